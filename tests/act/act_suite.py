"""Our composite actions run by a real workflow runner (act, self-hosted mode, offline).

Each case builds a small repository that uses `./actions/<guardian>` the way a user's workflow
uses `OWNER/REPO/actions/<guardian>@SHA` (the whole repository is the action's checkout),
starts the fake GitHub and a local HTTP server that plays the release host, runs `act`, and
asserts on what a user would see: the job's result and log, the step outputs read by a later
step, what the fake GitHub holds (labels, comments, deployments), what the release host served,
what the tool cache holds, and for telemetry what a JSON Lines file and a fake PostHog received.

Run through `bash tests/act/run.sh`, which builds the binaries first. Standard library only.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import traceback
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("ACT_SUITE_WORK", ROOT / "tests" / "act" / ".work"))
TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
ACT = os.environ.get("ACT", str(ROOT / "target" / "tools-venv" / "bin" / "act"))
REPO = "acme/app"
NUMBER = 12
GUARDIANS = ["size-labeler", "pr-critic", "preview-commenter", "telemetry-emitter", "contracts-diff", "integration-queue"]
TOKEN = "ghs_test"  # the fake GitHub's built-in write token
HEAD_SHA = "a" * 40
BASE_SHA = "b" * 40


def host_target() -> str:
    machine = os.uname().machine
    arch = "aarch64" if machine in ("aarch64", "arm64") else "x86_64"
    return f"{arch}-unknown-linux-musl"


# --------------------------------------------------------------------------------------------
# The release host: serves archives, counts downloads.


class ReleaseHost:
    def __init__(self, root: Path):
        self.root = root
        self.downloads: list[str] = []
        host = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def do_GET(self):  # noqa: N802 (http.server's naming)
                host.downloads.append(self.path)
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class LocalServer:
    """A tiny HTTP server on a free loopback port that records every request.

    `answer(method, path, body) -> (status, json)` decides the response; the requests are kept
    as `(method, path, headers, body)` with gzip bodies decoded, as a real server would read them.
    """

    def __init__(self, answer):
        self.requests: list[tuple[str, str, dict, bytes]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                server.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status, reply = answer(self.command, self.path, body)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle  # noqa: N815 (http.server's naming)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def shippable(binary: Path, workdir: Path) -> Path:
    """The debug binary without its debug info, as the release profile strips it: a tenth of
    the size, so archiving and downloading it takes a second instead of half a minute."""
    if shutil.which("strip") is None:
        return binary
    workdir.mkdir(parents=True, exist_ok=True)
    stripped = workdir / binary.name
    subprocess.run(["strip", "-o", str(stripped), str(binary)], check=True)
    return stripped


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_archive(binary: Path, name: str, dest: Path) -> str:
    """A release archive as the release workflow makes it: the binary at the top level."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        tar.add(binary, arcname=name)
    dest.write_bytes(buffer.getvalue())
    return hashlib.sha256(buffer.getvalue()).hexdigest()


# --------------------------------------------------------------------------------------------
# The fake GitHub, as its binary.


class FakeGitHub:
    def __init__(self, seed: dict, workdir: Path):
        seed_file = workdir / "seed.json"
        seed_file.write_text(json.dumps(seed))
        binary = TARGET_DIR / "debug" / "fake-github"
        self.proc = subprocess.Popen(
            [str(binary), "serve", "--port", "0", "--seed", str(seed_file), "--print-url"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError(f"fake-github printed {self.url!r} instead of its URL")

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.load(response)

    def api(self, path: str):
        """A GitHub API read, with the token the workflows use."""
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def labels(self) -> list[str]:
        state = self.get("/_fake/state")
        repo = state["repos"][REPO]
        pull = repo["pulls"][str(NUMBER)]
        return sorted(pull.get("labels", []))

    def writes(self) -> list[str]:
        return [f"{c['method']} {c['path']}" for c in self.get("/_fake/calls") if c["method"] != "GET"]

    def repo(self) -> dict:
        return self.get("/_fake/state")["repos"][REPO]

    def comments(self) -> list[dict]:
        return [c for c in self.repo()["comments"] if c["issue_number"] == NUMBER]

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def seed() -> dict:
    return {
        "repos": {
            REPO: {
                "pulls": [
                    {
                        "number": NUMBER,
                        "title": "Add a widget",
                        "head": {"ref": "widget", "sha": HEAD_SHA},
                        "base": {"ref": "main", "sha": BASE_SHA},
                        "files": [
                            {"filename": "src/widget.rs", "status": "added", "additions": 60, "deletions": 0},
                            {"filename": "src/lib.rs", "additions": 5, "deletions": 2},
                            {"filename": "Cargo.lock", "additions": 400, "deletions": 90},
                        ],
                    }
                ]
            }
        }
    }


def event_payload() -> dict:
    # 67 lines count (the lockfile does not): size/S.
    return {
        "action": "opened",
        "number": NUMBER,
        "pull_request": {
            "number": NUMBER,
            "title": "Add a widget",
            "state": "open",
            "draft": False,
            "user": {"login": "octocat", "id": 1},
            "head": {"ref": "widget", "sha": HEAD_SHA, "repo": {"full_name": REPO}},
            "base": {"ref": "main", "sha": BASE_SHA, "repo": {"full_name": REPO}},
            "labels": [],
            "additions": 465,
            "deletions": 92,
            "changed_files": 3,
        },
        "repository": {"full_name": REPO, "name": "app", "owner": {"login": "acme"}},
        "sender": {"login": "octocat", "id": 1},
    }


WORKFLOW = """\
name: size
on: pull_request
permissions:
  contents: read
jobs:
  size:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      issues: write
      pull-requests: write
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
        with:
          persist-credentials: false
      - id: size
        uses: ./actions/size-labeler
        with:
          ignore: |
            docs/**
      - name: Show the outputs
        env:
          SIZE: ${{ steps.size.outputs.size }}
          LABEL: ${{ steps.size.outputs.label }}
          LINES: ${{ steps.size.outputs.lines }}
        run: echo "outputs size=$SIZE label=$LABEL lines=$LINES"
"""


# --------------------------------------------------------------------------------------------
# A repository that uses our action, and act running it.


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def make_repo(
    path: Path,
    manifest_lines: list[str],
    with_sources: bool,
    workflows: dict[str, str] | None = None,
) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    shutil.copytree(ROOT / "actions", path / "actions")
    (path / "release").mkdir()
    header = (ROOT / "release" / "manifest.tsv").read_text()
    (path / "release" / "manifest.tsv").write_text(header + "".join(line + "\n" for line in manifest_lines))
    if with_sources:
        # The sources as a ref has them (committed files), not the working tree's edits in
        # progress: a ref's Cargo.lock matches its manifests, and the launcher builds --locked.
        archive = subprocess.run(
            ["git", "archive", "--format=tar", "HEAD", "Cargo.toml", "Cargo.lock", "crates"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(path, filter="data")
    (path / ".github" / "workflows").mkdir(parents=True)
    for name, text in (workflows or {"size.yml": WORKFLOW}).items():
        assert_no_expressions_in_run(text)
        (path / ".github" / "workflows" / name).write_text(text)
    git(path, "init", "-q", "-b", "main")
    git(path, "remote", "add", "origin", f"https://github.com/{REPO}.git")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "use the guardians")


def run_act(
    repo: Path,
    fake: FakeGitHub,
    runner_dir: Path,
    extra_env: dict | None = None,
    *,
    event_name: str = "pull_request",
    workflow: str = "size.yml",
    payload: dict | None = None,
    secrets: dict | None = None,
):
    """act with its own cache directory: act sets RUNNER_TOOL_CACHE to `<that>/tool_cache`,
    whatever `--env` says, so one directory is one runner's tool cache."""
    event = repo.parent / f"{repo.name}.event.json"
    event.write_text(json.dumps(payload if payload is not None else event_payload()))
    env_args = [f"GITHUB_API_URL={fake.url}"]
    for key, value in (extra_env or {}).items():
        env_args.append(f"{key}={value}")
    cmd = [
        ACT,
        event_name,
        "-W", f".github/workflows/{workflow}",
        "-e", str(event),
        "-P", "ubuntu-latest=-self-hosted",
        "--action-offline-mode",
        "--no-cache-server",
        "--action-cache-path", str(runner_dir),
        "-s", f"GITHUB_TOKEN={TOKEN}",
    ]
    for key, value in (secrets or {}).items():
        cmd += ["-s", f"{key}={value}"]
    for item in env_args:
        cmd += ["--env", item]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=900)
    log = proc.stdout + proc.stderr
    (repo.parent / f"{repo.name}.act.log").write_text(log)
    return proc.returncode, log, time.monotonic() - started


def manifest_line(guardian: str, sha: str, url: str) -> str:
    return "\t".join([guardian, host_target(), sha, url, "0123456789abcdef0123456789abcdef01234567"])



def assert_no_expressions_in_run(workflow: str) -> None:
    """No `${{ }}` inside a `run:` script of the workflows we generate: values reach scripts
    through `env:`, as the actions themselves do, so nothing from a PR is spliced into a shell."""
    lines = workflow.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^(\s*)(- )?run:(.*)$", line)
        if not match:
            continue
        script = [match.group(3)]
        indent = len(match.group(1)) + len(match.group(2) or "")
        for following in lines[i + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            script.append(following)
        joined = "\n".join(script)
        assert "${{" not in joined, f"an expression in a run: script:\n{joined}"


# --------------------------------------------------------------------------------------------
# The other guardians: what the fake GitHub holds, the event, and the workflow a user writes.
# Workflows get values into scripts only through `env:` (assert_no_expressions_in_run).

CHECKOUT = """\
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
        with:
          persist-credentials: false
"""

PR_TEMPLATE = """\
## Summary
<!-- What does this PR change, and why? -->

## Contracts touched (Yes/No)
<!-- Did this PR change an API contract (packages/contracts, OpenAPI, proto)? -->
- [ ] Yes
- [ ] No

## Tests
<!-- Which tests cover this change? -->

## Risk assessment
<!-- What could break, and how is it rolled back? -->
"""

# Summary and risk are filled; the contracts question is left unanswered, the tests section says
# TODO, and a contract file changed without the `architect-approved` label: three errors.
PR_BODY = """\
## Summary
Adds a sessions contract and its handler. Fixes #3.

## Contracts touched (Yes/No)
<!-- Did this PR change an API contract (packages/contracts, OpenAPI, proto)? -->
- [ ] Yes
- [ ] No

## Tests
TODO

## Risk assessment
Low: nothing reads the new contract yet; revert the commit to roll back.
"""


def critic_seed() -> dict:
    return {
        "repos": {
            REPO: {
                "pulls": [
                    {
                        "number": NUMBER,
                        "title": "Sessions contract",
                        "body": PR_BODY,
                        "head": {"ref": "widget", "sha": HEAD_SHA},
                        "base": {"ref": "main", "sha": BASE_SHA},
                        "files": [
                            {"filename": "packages/contracts/sessions.yaml", "status": "added", "additions": 30, "deletions": 0},
                            {"filename": "src/sessions.rs", "additions": 40, "deletions": 3},
                            {"filename": "tests/sessions.rs", "status": "added", "additions": 25, "deletions": 0},
                        ],
                    }
                ],
                # On the base branch only: a PR cannot choose its own template.
                "contents": {"main": {".github/pull_request_template.md": PR_TEMPLATE}},
            }
        }
    }


PR_CRITIC_WORKFLOW = """\
name: pr-critic
on:
  pull_request:
    types: [opened, edited, synchronize, reopened, labeled, unlabeled]
permissions:
  contents: read
jobs:
  critic:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
""" + CHECKOUT + """\
      - id: critic
        uses: ./actions/pr-critic
        continue-on-error: true
        with:
          mode: enforce
      - name: Read the verdict
        env:
          OUTCOME: ${{ steps.critic.outcome }}
          PASSED: ${{ steps.critic.outputs.passed }}
          ERRORS: ${{ steps.critic.outputs.errors }}
          WARNINGS: ${{ steps.critic.outputs.warnings }}
        run: echo "verdict outcome=$OUTCOME passed=$PASSED errors=$ERRORS warnings=$WARNINGS"
"""

# Fast retries: the local preview answers at once, and an unhealthy one should not stall a case.
PREVIEW_CONFIG = """\
preview-commenter:
  health-check:
    attempts: 2
    timeout-seconds: 5
    initial-backoff-ms: 100
"""


def preview_seed() -> dict:
    data = seed()
    data["repos"][REPO]["contents"] = {"main": {".github/guardians.yml": PREVIEW_CONFIG}}
    return data


def preview_workflow(preview_url: str) -> str:
    # The environment list as a user gives it without a config file: a YAML block scalar.
    return """\
name: preview
on:
  pull_request:
    types: [opened, synchronize, reopened, closed]
permissions:
  contents: read
jobs:
  preview:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
      deployments: write
    steps:
""" + CHECKOUT + """\
      - id: previews
        uses: ./actions/preview-commenter
        with:
          environments: |
            - name: Web
              url: @PREVIEW_URL@/pr-{number}
              health-path: /health
      - name: Read the previews
        env:
          HEALTHY: ${{ steps.previews.outputs.healthy }}
          COMMENT_ID: ${{ steps.previews.outputs.comment-id }}
          URLS: ${{ steps.previews.outputs.urls }}
        run: echo "previews healthy=$HEALTHY comment-id=$COMMENT_ID urls=$URLS"
""".replace("@PREVIEW_URL@", preview_url)


CI_RUN_ID = 4242
RUN_STARTED_AT = "2026-11-22T10:00:00Z"


def telemetry_seed() -> dict:
    # Attempt 1 of CI run 4242, started at 10:00:00 (run_started_at in the event):
    #   lint   created 10:00:02, started 10:00:09, completed 10:01:00
    #   build  created 10:00:02, started 10:00:12, completed 10:03:40
    #   test   created 10:00:02, started 10:00:15, completed 10:05:07   <- the last to finish
    # ci_duration_s = 10:05:07 - 10:00:00 = 307; queue_s = lint 10:00:09 - 10:00:02 = 7.
    # The PR's files are size-labeler's seed: 67 lines that count, size S.
    def job(name, created, started, completed):
        return {
            "name": name,
            "run_attempt": 1,
            "status": "completed",
            "conclusion": "success",
            "created_at": f"2026-11-22T10:{created}Z",
            "started_at": f"2026-11-22T10:{started}Z",
            "completed_at": f"2026-11-22T10:{completed}Z",
            "labels": ["ubuntu-latest"],
            "runner_name": "GitHub Actions 3",
        }

    data = seed()
    data["repos"][REPO]["runs"] = [
        {
            "id": CI_RUN_ID,
            "name": "CI",
            "head_branch": "widget",
            "head_sha": HEAD_SHA,
            "event": "pull_request",
            "status": "completed",
            "conclusion": "success",
            "pull_requests": [NUMBER],
            "created_at": RUN_STARTED_AT,
            "jobs": [
                job("lint", "00:02", "00:09", "01:00"),
                job("build", "00:02", "00:12", "03:40"),
                job("test", "00:02", "00:15", "05:07"),
            ],
        }
    ]
    return data


def workflow_run_payload() -> dict:
    return {
        "action": "completed",
        "workflow_run": {
            "id": CI_RUN_ID,
            "name": "CI",
            "path": ".github/workflows/ci.yml",
            "event": "pull_request",
            "status": "completed",
            "conclusion": "success",
            "head_branch": "widget",
            "head_sha": HEAD_SHA,
            "run_number": 31,
            "run_attempt": 1,
            "created_at": RUN_STARTED_AT,
            "run_started_at": RUN_STARTED_AT,
            "updated_at": "2026-11-22T10:05:10Z",
            "html_url": f"https://github.com/{REPO}/actions/runs/{CI_RUN_ID}",
            "pull_requests": [
                {
                    "number": NUMBER,
                    "head": {"ref": "widget", "sha": HEAD_SHA},
                    "base": {"ref": "main", "sha": BASE_SHA},
                }
            ],
        },
        "workflow": {"id": 5, "name": "CI", "path": ".github/workflows/ci.yml", "state": "active"},
        "repository": {"full_name": REPO, "name": "app", "owner": {"login": "acme"}, "private": False, "default_branch": "main"},
        "sender": {"login": "octocat", "id": 1},
    }


POSTHOG_KEY = "phc_actSuiteProjectKey"


def telemetry_workflow(posthog_url: str, events_copy: Path) -> str:
    return """\
name: telemetry
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  contents: read
jobs:
  emit:
    runs-on: ubuntu-latest
    permissions:
      actions: read
      contents: read
      pull-requests: read
    steps:
""" + CHECKOUT + """\
      - id: file
        uses: ./actions/telemetry-emitter
        with:
          sink: jsonl
          jsonl-path: telemetry-events.jsonl
          strict: true
      - id: posthog
        uses: ./actions/telemetry-emitter
        with:
          posthog-api-key: ${{ secrets.POSTHOG_PROJECT_API_KEY }}
          posthog-host: @POSTHOG_URL@
          strict: true
      - name: Keep the events file
        env:
          FILE_EVENT: ${{ steps.file.outputs.event }}
          FILE_SENT: ${{ steps.file.outputs.sent }}
          FILE_UUID: ${{ steps.file.outputs.uuid }}
          POSTHOG_EVENT: ${{ steps.posthog.outputs.event }}
          POSTHOG_SENT: ${{ steps.posthog.outputs.sent }}
          POSTHOG_UUID: ${{ steps.posthog.outputs.uuid }}
          EVENTS_COPY: @EVENTS_COPY@
        run: |
          echo "file event=$FILE_EVENT sent=$FILE_SENT uuid=$FILE_UUID"
          echo "posthog event=$POSTHOG_EVENT sent=$POSTHOG_SENT uuid=$POSTHOG_UUID"
          cp "$GITHUB_WORKSPACE/telemetry-events.jsonl" "$EVENTS_COPY"
""".replace("@POSTHOG_URL@", posthog_url).replace("@EVENTS_COPY@", str(events_copy))


def openapi(operations: list[str]) -> str:
    """A small OpenAPI 3.0 document with these operations (`"get /users"`, ...)."""
    paths: dict[str, list[str]] = {}
    for operation in operations:
        method, path = operation.split(" ", 1)
        paths.setdefault(path, []).append(method)
    out = "openapi: 3.0.3\ninfo: {title: users, version: '1'}\npaths:\n"
    for path, methods in sorted(paths.items()):
        out += f"  {path}:\n"
        for method in methods:
            out += f"    {method}:\n      responses:\n        '200': {{description: ok}}\n"
    return out


CONTRACT = "api/openapi.yaml"


def contracts_seed() -> dict:
    # The head removes DELETE /users/{id}: one breaking change, no architect-approved label.
    # The test repository's git history has neither commit, so both versions come from the
    # contents API at the PR's base and head SHAs.
    return {
        "repos": {
            REPO: {
                "pulls": [
                    {
                        "number": NUMBER,
                        "title": "Drop user deletion",
                        "head": {"ref": "widget", "sha": HEAD_SHA},
                        "base": {"ref": "main", "sha": BASE_SHA},
                        "files": [{"filename": CONTRACT, "additions": 0, "deletions": 3}],
                    }
                ],
                "contents": {
                    BASE_SHA: {CONTRACT: openapi(["get /users", "get /users/{id}", "delete /users/{id}"])},
                    HEAD_SHA: {CONTRACT: openapi(["get /users", "get /users/{id}"])},
                },
            }
        }
    }


CONTRACTS_WORKFLOW = """\
name: contracts
on:
  pull_request:
    types: [opened, synchronize, reopened, labeled, unlabeled]
permissions:
  contents: read
jobs:
  contracts:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
""" + CHECKOUT + """\
      - id: contracts
        uses: ./actions/contracts-diff
        continue-on-error: true
      - name: Read the diff
        env:
          OUTCOME: ${{ steps.contracts.outcome }}
          TOUCHED: ${{ steps.contracts.outputs.contracts-touched }}
          BREAKING: ${{ steps.contracts.outputs.breaking }}
          ENDPOINTS: ${{ steps.contracts.outputs.endpoints }}
        run: echo "contracts outcome=$OUTCOME touched=$TOUCHED breaking=$BREAKING endpoints=$ENDPOINTS"
"""


QUEUED = 7


def queue_seed() -> dict:
    # A git-backed repository: main protected by the required check `ci`, PR 7 from `pr/7`
    # labelled `ready-to-queue` and green on its head; simulated CI reports `ci` on every
    # workflow dispatch (the queue dispatches ci.yml on integration/main).
    return {
        "repos": {
            REPO: {
                "git": {
                    "commits": [
                        {"branch": "main", "message": "initial", "files": {"README.md": "hello\n"}},
                        {"branch": "pr/7", "from": "main", "message": "Add a widget", "files": {"widget.txt": "widget\n"}},
                    ],
                    "protect": {"main": {"required_checks": ["ci"]}},
                    "ci": {"checks": ["ci"]},
                    "pulls": [
                        {"number": QUEUED, "head": "pr/7", "title": "Add a widget", "labels": ["ready-to-queue"],
                         "labeled_at": "2026-12-01T10:00:00Z"}
                    ],
                    "statuses": [{"ref": "pr/7", "context": "ci", "state": "success"}],
                }
            }
        }
    }


def dispatch_payload() -> dict:
    return {
        "inputs": {},
        "ref": "refs/heads/main",
        "repository": {"full_name": REPO, "name": "app", "owner": {"login": "acme"}, "default_branch": "main"},
        "sender": {"login": "maintainer", "id": 2},
    }


QUEUE_WORKFLOW = """\
name: queue
on: workflow_dispatch
permissions: {}
jobs:
  queue:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
      checks: write
      actions: write
      issues: write
    steps:
""" + CHECKOUT + """\
      - id: build
        uses: ./actions/integration-queue
        with:
          ci-workflows: ci.yml
      - id: land
        uses: ./actions/integration-queue
        with:
          ci-workflows: ci.yml
      - name: Read the queue
        env:
          TESTING: ${{ steps.build.outputs.testing }}
          LANDED: ${{ steps.land.outputs.landed }}
          LANDED_SHA: ${{ steps.land.outputs.landed-sha }}
          QUEUE_LENGTH: ${{ steps.land.outputs.queue-length }}
        run: |
          echo "queue built testing=$TESTING"
          echo "queue landed landed=$LANDED sha=$LANDED_SHA length=$QUEUE_LENGTH"
"""


def guardian_manifest(host_url: str, assets: dict[str, tuple[str, str]]) -> list[str]:
    return [manifest_line(name, sha, f"{host_url}/{asset}") for name, (asset, sha) in assets.items()]


def step_lines(log: str, prefix: str) -> list[str]:
    """What a `run:` step echoed, starting with `prefix`, without act's `[job]   | ` decoration."""
    found = []
    for line in log.splitlines():
        _, bar, text = line.partition("| ")
        if bar and text.startswith(prefix):
            found.append(text)
    return found


# --------------------------------------------------------------------------------------------
# The cases.


class Suite:
    def __init__(self):
        if WORK.exists():
            shutil.rmtree(WORK)
        WORK.mkdir(parents=True)
        self.host_dir = WORK / "release-host"
        self.host_dir.mkdir()
        self.host = ReleaseHost(self.host_dir)
        # One archive per guardian, built once from the debug binaries; `assets` maps a guardian
        # to (asset name, sha256).
        self.assets: dict[str, tuple[str, str]] = {}
        for name in GUARDIANS:
            asset = f"{name}-{host_target()}.tar.gz"
            binary = shippable(TARGET_DIR / "debug" / name, WORK / "bin")
            self.assets[name] = (asset, make_archive(binary, name, self.host_dir / asset))
        self.asset, self.sha = self.assets["size-labeler"]
        self.runner = WORK / "runner"
        # The other guardians' cases share one runner (tool cache) and one repository.
        self.guardians_runner = WORK / "runner-guardians"
        self.guardians_repo = WORK / "guardians"

    def close(self):
        self.host.close()

    def case_release_binary_is_downloaded_verified_and_run(self):
        fake = FakeGitHub(seed(), WORK)
        try:
            repo = WORK / "released"
            make_repo(repo, [manifest_line("size-labeler", self.sha, f"{self.host.url}/{self.asset}")], False)
            code, log, took = run_act(repo, fake, self.runner)
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            assert "verified (sha256 " + self.sha in log, tail(log)
            assert "outputs size=S label=size/S lines=67" in log, tail(log)
            assert fake.labels() == ["size/S"], fake.labels()
            assert self.host.downloads == [f"/{self.asset}"], self.host.downloads
            cached = self.runner / "tool_cache" / "guardians" / self.sha / "asset.tar.gz"
            assert cached.is_file(), f"{cached} is not in the tool cache"
            assert sha256_file(cached) == self.sha, "the cached archive is not the verified one"
            print(f"  first run (download + verify) took {took:.1f}s")
        finally:
            fake.close()

    def case_second_run_uses_the_tool_cache(self):
        fake = FakeGitHub(seed(), WORK)
        try:
            repo = WORK / "released"
            downloads_before = len(self.host.downloads)
            code, log, took = run_act(repo, fake, self.runner)
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            assert "from the tool cache" in log, tail(log)
            assert len(self.host.downloads) == downloads_before, "the second run downloaded again"
            assert fake.labels() == ["size/S"], fake.labels()
            print(f"  second run (cache hit) took {took:.1f}s")
        finally:
            fake.close()

    def case_planted_cache_entry_is_never_run(self):
        """A tool cache another job or user could write to: an entry planted under the pinned
        hash (an old-style `.verified` marker with a binary, and an archive that is not the
        pinned one) is hashed again, discarded and replaced by a verified download."""
        fake = FakeGitHub(seed(), WORK)
        try:
            planted_runner = WORK / "runner-planted"
            entry = planted_runner / "tool_cache" / "guardians" / self.sha
            entry.mkdir(parents=True)
            marker = WORK / "planted-binary-ran"
            script = f"#!/bin/sh\ntouch '{marker}'\nexit 0\n"
            (entry / ".verified").write_text(self.sha + "\n")
            (entry / "size-labeler").write_text(script)
            (entry / "size-labeler").chmod(0o755)
            fake_bin = WORK / "planted" / "size-labeler"
            fake_bin.parent.mkdir(parents=True, exist_ok=True)
            fake_bin.write_text(script)
            fake_bin.chmod(0o755)
            make_archive(fake_bin, "size-labeler", entry / "asset.tar.gz")
            repo = WORK / "planted-repo"
            make_repo(repo, [manifest_line("size-labeler", self.sha, f"{self.host.url}/{self.asset}")], False)
            downloads_before = len(self.host.downloads)
            code, log, _ = run_act(repo, fake, planted_runner)
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            assert not marker.exists(), "the planted binary ran"
            assert "does not match the manifest" in log, tail(log)
            assert len(self.host.downloads) == downloads_before + 1, "the planted entry was not replaced"
            assert sha256_file(entry / "asset.tar.gz") == self.sha
            assert fake.labels() == ["size/S"], fake.labels()
        finally:
            fake.close()

    def case_tampered_asset_is_refused_and_nothing_runs(self):
        fake = FakeGitHub(seed(), WORK)
        try:
            tampered = f"tampered-{self.asset}"
            data = (self.host_dir / self.asset).read_bytes()
            (self.host_dir / tampered).write_bytes(data + b"\0")
            repo = WORK / "tampered"
            make_repo(repo, [manifest_line("size-labeler", self.sha, f"{self.host.url}/{tampered}")], False)
            fresh_runner = WORK / "runner-tampered"
            code, log, _ = run_act(repo, fake, fresh_runner)
            assert code != 0, "act succeeded with a tampered asset"
            assert "SHA-256 mismatch" in log and "Nothing was run" in log, tail(log)
            assert fake.writes() == [], f"the binary ran: {fake.writes()}"
            assert fake.labels() == [], fake.labels()
            cache = fresh_runner / "tool_cache" / "guardians"
            leftovers = [p.name for p in cache.glob("*")] if cache.exists() else []
            assert leftovers == [], f"the tampered asset was left in the tool cache: {leftovers}"
        finally:
            fake.close()

    def case_development_ref_builds_from_source(self):
        fake = FakeGitHub(seed(), WORK)
        try:
            repo = WORK / "development"
            make_repo(repo, [], True)
            downloads_before = len(self.host.downloads)
            code, log, took = run_act(
                repo,
                fake,
                WORK / "runner-dev",
                # Debug profile and the shared target dir keep this case to an incremental build.
                {"GUARDIANS_BUILD_PROFILE": "dev", "CARGO_TARGET_DIR": str(TARGET_DIR)},
            )
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            assert "building it from source with cargo" in log and "slow path" in log, tail(log)
            assert "outputs size=S label=size/S lines=67" in log, tail(log)
            assert fake.labels() == ["size/S"], fake.labels()
            assert len(self.host.downloads) == downloads_before, "a development ref downloaded an asset"
            print(f"  build-from-source run took {took:.1f}s")
        finally:
            fake.close()

    def case_pr_critic_comments_fails_the_step_and_exports_errors(self):
        fake = FakeGitHub(critic_seed(), WORK)
        try:
            repo = WORK / "pr-critic"
            make_repo(repo, guardian_manifest(self.host.url, self.assets), False, {"pr-critic.yml": PR_CRITIC_WORKFLOW})
            code, log, took = run_act(repo, fake, self.guardians_runner, workflow="pr-critic.yml")
            # The critic's step failed (exit 1) but continue-on-error keeps the job green.
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            assert f"pr-critic {host_target()} verified" in log, tail(log)
            assert re.search(r"❌\s+Failure - Main ./actions/pr-critic", log), tail(log)
            assert re.search(r"^\[pr-critic/critic\] exit status 1$", log, re.M), tail(log)
            assert step_lines(log, "verdict ") == ["verdict outcome=failure passed=false errors=3 warnings=0"], tail(log)

            comments = fake.comments()
            assert len(comments) == 1, comments
            body = comments[0]["body"]
            assert comments[0]["user"] == "github-actions[bot]", comments[0]
            assert body.startswith("<!-- guardians:pr-critic -->"), body
            assert "Checked against template `.github/pull_request_template.md`" in body, body
            for failure in ("❌ **Contracts touched (Yes/No)**", "❌ **Tests**", "❌ **Approval label architect-approved**"):
                assert failure in body, f"{failure!r} not in the comment:\n{body}"
            for passing in ("✅ **Summary**", "✅ **Risk assessment**"):
                assert passing in body, f"{passing!r} not in the comment:\n{body}"
            assert "packages/contracts/sessions.yaml" in body, body
            # The PR's description is never repeated in the log.
            assert "nothing reads the new contract yet" not in log, "the description reached the log"
            print(f"  pr-critic run took {took:.1f}s")
        finally:
            fake.close()

    def case_preview_commenter_checks_the_preview_comments_and_deploys(self):
        health_path = f"/pr-{NUMBER}/health"
        previews = LocalServer(lambda method, path, body: (200, {"status": "ok"}) if path == health_path else (404, {}))
        fake = FakeGitHub(preview_seed(), WORK)
        try:
            repo = WORK / "preview-commenter"
            make_repo(
                repo,
                guardian_manifest(self.host.url, self.assets),
                False,
                {"preview.yml": preview_workflow(previews.url)},
            )
            code, log, took = run_act(repo, fake, self.guardians_runner, workflow="preview.yml")
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            preview_url = f"{previews.url}/pr-{NUMBER}"
            assert [(m, p) for m, p, _, _ in previews.requests] == [("GET", health_path)], previews.requests

            comments = fake.comments()
            assert len(comments) == 1, comments
            body = comments[0]["body"]
            assert f"| Web | <{preview_url}> | ✅ 200 |" in body and "❌" not in body, body
            assert f"curl -fsS {preview_url}/health" in body, body
            assert HEAD_SHA[:7] in body, body
            # The health-check settings came from the base branch's config file.
            config_reads = [
                c for c in fake.get("/_fake/calls")
                if c["path"].endswith("/contents/.github/guardians.yml")
            ]
            assert [c["query"] for c in config_reads] == ["ref=main"], config_reads

            reported = step_lines(log, "previews ")
            assert len(reported) == 1, tail(log)
            assert reported[0].startswith(f"previews healthy=true comment-id={comments[0]['id']} urls="), reported
            assert json.loads(reported[0].split(" urls=", 1)[1]) == {"Web": preview_url}, reported

            deployments = fake.repo()["deployments"]
            assert len(deployments) == 1, deployments
            deployment = deployments[0]
            assert deployment["environment"] == f"preview/pr-{NUMBER}/Web", deployment
            assert deployment["sha"] == HEAD_SHA, deployment
            assert deployment["transient_environment"] and not deployment["production_environment"], deployment
            states = [status["state"] for status in deployment["statuses"]]
            assert states == ["in_progress", "success"], states
            assert deployment["statuses"][-1]["environment_url"] == preview_url, deployment["statuses"]
            print(f"  preview-commenter run took {took:.1f}s")
        finally:
            fake.close()
            previews.close()

    def case_telemetry_emitter_writes_jsonl_and_sends_the_same_event_to_posthog(self):
        posthog = LocalServer(lambda method, path, body: (200, {"status": "Ok"}))
        fake = FakeGitHub(telemetry_seed(), WORK)
        try:
            repo = WORK / "telemetry-emitter"
            events_copy = WORK / "telemetry-events.copy.jsonl"
            events_copy.unlink(missing_ok=True)
            make_repo(
                repo,
                guardian_manifest(self.host.url, self.assets),
                False,
                {"telemetry.yml": telemetry_workflow(posthog.url, events_copy)},
            )
            code, log, took = run_act(
                repo,
                fake,
                self.guardians_runner,
                event_name="workflow_run",
                workflow="telemetry.yml",
                payload=workflow_run_payload(),
                secrets={"POSTHOG_PROJECT_API_KEY": POSTHOG_KEY},
            )
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            assert POSTHOG_KEY not in log, "the PostHog key reached the log"

            lines = events_copy.read_text().splitlines()
            assert len(lines) == 1, lines
            written = json.loads(lines[0])
            assert written["event"] == "dev_ci_passed", written
            props = written["properties"]
            assert props["ci_duration_s"] == 307, props  # 10:05:07 (test) - 10:00:00
            assert props["queue_s"] == 7, props  # lint: 10:00:09 - 10:00:02
            assert props["run_id"] == CI_RUN_ID and props["run_attempt"] == 1, props
            assert props["pr"] == NUMBER and props["size"] == "S", props
            assert props["conclusion"] == "success", props

            batches = [(p, h, b) for m, p, h, b in posthog.requests if m == "POST"]
            assert len(batches) == 1, posthog.requests
            path, headers, raw = batches[0]
            assert path == "/batch/", path
            assert headers.get("content-encoding") == "gzip", headers
            sent = json.loads(raw)
            assert sent["api_key"] == POSTHOG_KEY, "the batch does not carry the project key"
            assert [e["uuid"] for e in sent["batch"]] == [written["uuid"]], sent["batch"]
            assert sent["batch"][0]["event"] == "dev_ci_passed", sent["batch"][0]
            assert sent["batch"][0]["properties"]["ci_duration_s"] == 307, sent["batch"][0]

            uuid = written["uuid"]
            assert step_lines(log, "file ") == [f"file event=dev_ci_passed sent=true uuid={uuid}"], tail(log)
            assert step_lines(log, "posthog ") == [f"posthog event=dev_ci_passed sent=true uuid={uuid}"], tail(log)
            print(f"  telemetry-emitter run took {took:.1f}s")
        finally:
            fake.close()
            posthog.close()

    def case_contracts_diff_comments_on_a_breaking_change_and_fails_without_approval(self):
        fake = FakeGitHub(contracts_seed(), WORK)
        try:
            repo = WORK / "contracts-diff"
            make_repo(repo, guardian_manifest(self.host.url, self.assets), False, {"contracts.yml": CONTRACTS_WORKFLOW})
            code, log, took = run_act(repo, fake, self.guardians_runner, workflow="contracts.yml")
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            assert re.search(r"^\[contracts/contracts\] exit status 1$", log, re.M), tail(log)
            reported = step_lines(log, "contracts ")
            assert reported == ['contracts outcome=failure touched=true breaking=true endpoints=["DELETE /users/{id}"]'], tail(log)
            comments = fake.comments()
            assert len(comments) == 1, comments
            body = comments[0]["body"]
            assert f"Needs `architect-approved` from an architect: 1 breaking change in `{CONTRACT}`." in body, body
            assert "`operation-removed`" in body, body
            assert fake.labels() == [], fake.labels()
            print(f"  contracts-diff run took {took:.1f}s")
        finally:
            fake.close()

    def case_integration_queue_builds_tests_and_fast_forwards_main(self):
        fake = FakeGitHub(queue_seed(), WORK)
        try:
            main_before = fake.api(f"/repos/{REPO}/git/ref/heads/main")["object"]["sha"]
            repo = WORK / "integration-queue"
            make_repo(repo, guardian_manifest(self.host.url, self.assets), False, {"queue.yml": QUEUE_WORKFLOW})
            code, log, took = run_act(
                repo, fake, self.guardians_runner, event_name="workflow_dispatch", workflow="queue.yml",
                payload=dispatch_payload(),
            )
            assert code == 0, f"act failed ({code}):\n{tail(log)}"
            # The first run merged PR 7 onto main in integration/main and dispatched CI there.
            writes = fake.writes()
            assert f"POST /repos/{REPO}/git/refs" in writes, writes
            assert f"POST /repos/{REPO}/merges" in writes, writes
            assert f"POST /repos/{REPO}/actions/workflows/ci.yml/dispatches" in writes, writes
            # The second run saw `ci` green there and moved main to exactly that commit.
            main_after = fake.api(f"/repos/{REPO}/git/ref/heads/main")["object"]["sha"]
            assert main_after != main_before
            landed_commit = fake.api(f"/repos/{REPO}/commits/{main_after}")
            assert [p["sha"] for p in landed_commit["parents"]][0] == main_before, landed_commit["parents"]
            assert step_lines(log, "queue built ") == ["queue built testing=7"], tail(log)
            assert step_lines(log, "queue landed ") == [f"queue landed landed=7 sha={main_after} length=0"], tail(log)
            pull = fake.api(f"/repos/{REPO}/pulls/{QUEUED}")
            assert pull["merged"] is True and pull["state"] == "closed", pull
            assert [label["name"] for label in pull["labels"]] == [], pull["labels"]
            comments = [c for c in fake.repo()["comments"] if c["issue_number"] == QUEUED]
            assert len(comments) == 1, comments
            assert main_after[:7] in comments[0]["body"], comments[0]["body"]
            refs = fake.api(f"/repos/{REPO}/git/matching-refs/heads/integration/")
            assert refs == [], refs
            print(f"  integration-queue run took {took:.1f}s")
        finally:
            fake.close()


def tail(log: str, lines: int = 40) -> str:
    return "\n".join(log.splitlines()[-lines:])


def main() -> int:
    needed = [Path(ACT), TARGET_DIR / "debug" / "fake-github"] + [TARGET_DIR / "debug" / name for name in GUARDIANS]
    missing = [p for p in needed if not p.exists()]
    cases = [name for name in dir(Suite) if name.startswith("case_")]
    cases.sort(key=lambda n: list(Suite.__dict__).index(n))
    # `act_suite.py WORD...` runs only the cases whose names contain one of the words.
    if sys.argv[1:]:
        cases = [name for name in cases if any(word in name for word in sys.argv[1:])]
    if missing:
        print("act suite skipped: missing " + ", ".join(map(str, missing)) + " (run tests/act/run.sh)")
        print(f"0 passed, 0 failed, {len(cases)} skipped")
        return 1
    suite = Suite()
    passed = failed = 0
    try:
        for name in cases:
            print(f"act: {name} ...", flush=True)
            try:
                getattr(suite, name)()
                passed += 1
                print(f"act: {name} ok", flush=True)
            except Exception:  # noqa: BLE001 (report every case)
                failed += 1
                print(f"act: {name} FAILED", flush=True)
                traceback.print_exc(file=sys.stdout)
    finally:
        suite.close()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
