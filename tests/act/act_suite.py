"""Our composite actions run by a real workflow runner (act, self-hosted mode, offline).

Each case builds a small repository that uses `./actions/<guardian>` the way a user's workflow
uses `OWNER/REPO/actions/<guardian>@SHA` (the whole repository is the action's checkout),
starts the fake GitHub and a local HTTP server that plays the release host, runs `act`, and
asserts on what a user would see: the job's result and log, the label in the fake GitHub,
what the release host served and what the tool cache holds.

Run through `bash tests/act/run.sh`, which builds the binaries first. Standard library only.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
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


def make_archive(binary: Path, name: str, dest: Path) -> str:
    """A release archive as the release workflow makes it: the binary at the top level."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
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

    def labels(self) -> list[str]:
        state = self.get("/_fake/state")
        repo = state["repos"][REPO]
        pull = repo["pulls"][str(NUMBER)]
        return sorted(pull.get("labels", []))

    def writes(self) -> list[str]:
        return [f"{c['method']} {c['path']}" for c in self.get("/_fake/calls") if c["method"] != "GET"]

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


def make_repo(path: Path, manifest_lines: list[str], with_sources: bool) -> None:
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
    (path / ".github" / "workflows" / "size.yml").write_text(WORKFLOW)
    git(path, "init", "-q", "-b", "main")
    git(path, "remote", "add", "origin", f"https://github.com/{REPO}.git")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "use the guardians")


def run_act(repo: Path, fake: FakeGitHub, runner_dir: Path, extra_env: dict | None = None):
    """act with its own cache directory: act sets RUNNER_TOOL_CACHE to `<that>/tool_cache`,
    whatever `--env` says, so one directory is one runner's tool cache."""
    event = repo.parent / f"{repo.name}.event.json"
    event.write_text(json.dumps(event_payload()))
    env_args = [f"GITHUB_API_URL={fake.url}"]
    for key, value in (extra_env or {}).items():
        env_args.append(f"{key}={value}")
    cmd = [
        ACT,
        "pull_request",
        "-W", ".github/workflows/size.yml",
        "-e", str(event),
        "-P", "ubuntu-latest=-self-hosted",
        "--action-offline-mode",
        "--no-cache-server",
        "--action-cache-path", str(runner_dir),
        "-s", f"GITHUB_TOKEN={TOKEN}",
    ]
    for item in env_args:
        cmd += ["--env", item]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=900)
    log = proc.stdout + proc.stderr
    (repo.parent / f"{repo.name}.act.log").write_text(log)
    return proc.returncode, log, time.monotonic() - started


def manifest_line(guardian: str, sha: str, url: str) -> str:
    return "\t".join([guardian, host_target(), sha, url, "0123456789abcdef0123456789abcdef01234567"])


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
        binary = TARGET_DIR / "debug" / "size-labeler"
        self.asset = f"size-labeler-{host_target()}.tar.gz"
        self.sha = make_archive(binary, "size-labeler", self.host_dir / self.asset)
        self.runner = WORK / "runner"

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
            cached = self.runner / "tool_cache" / "guardians" / self.sha / "size-labeler"
            assert cached.is_file(), f"{cached} is not in the tool cache"
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


def tail(log: str, lines: int = 40) -> str:
    return "\n".join(log.splitlines()[-lines:])


def main() -> int:
    missing = [p for p in (Path(ACT), TARGET_DIR / "debug" / "size-labeler", TARGET_DIR / "debug" / "fake-github") if not p.exists()]
    cases = [name for name in dir(Suite) if name.startswith("case_")]
    cases.sort(key=lambda n: list(Suite.__dict__).index(n))
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
