"""Checks of every action.yml, workflow and template, as named cases with a closing tally.

- check-jsonschema with its built-in GitHub schemas (vendor.github-actions / -workflows), and
  the sample .github/guardians.yml against schema/guardians.schema.json;
- zizmor, offline, no finding at medium severity or above;
- the actions' shape: one composite step, inputs mapped to INPUT_* env, no ${{ }} in run:,
  every output mapped from that step, name/description/author/branding;
- the actions against the binaries: every input an action declares is read by its binary and
  every input the binary reads is declared (inputs declared ahead of a binary that does not read
  them yet are listed in pending-inputs.txt and reported as skipped); every output is a name the
  crate writes;
- third-party `uses:` pinned by a full commit SHA with a version comment, checkouts with
  persist-credentials: false, permissions: on every workflow and job;
- docs/actions.md matches the actions (tests/lint/action_docs.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import traceback
from pathlib import Path

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent))
import action_docs  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = sorted((ROOT / "actions").glob("*/action.yml"))
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TEMPLATES = sorted((ROOT / "action-templates").glob("*.yml"))
YAML_SAFE = YAML(typ="safe")

# How a crate reads an input: toolkit calls, or clap's `env = "INPUT_..."`.
INPUT_CALL = re.compile(r'\b(?:input|input_bool|input_required|input_multiline|input_pr_number|flag)\(\s*"([a-z0-9][a-z0-9 _-]*)"')
INPUT_ENV = re.compile(r'"INPUT_([A-Z0-9][A-Z0-9_-]*)"')
PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+){0,2}\b")


class Skip(Exception):
    pass


def load(path: Path):
    return YAML_SAFE.load(path.read_text())


def rust_sources(directory: Path) -> str:
    return "\n".join(p.read_text() for p in sorted(directory.rglob("*.rs")) if "/tests/" not in str(p))


def inputs_read(crate: str) -> set[str]:
    src = rust_sources(ROOT / "crates" / crate / "src")
    names = set(INPUT_CALL.findall(src))
    # Test modules inside src set INPUT_* variables too; only count clap's env attributes.
    names |= {m.lower() for m in re.findall(r'env\s*=\s*"INPUT_([A-Z0-9][A-Z0-9_-]*)"', src)}
    if "Session::open" in src or "impl Guardian for" in src:
        # guardians-core's runner and Session read the common inputs for every guardian on them;
        # the helpers a guardian opts into (PR-target selection, the sticky-comment lookup) read
        # theirs only for the guardians that call them.
        runner = ROOT / "crates" / "guardians-core" / "src" / "runner"
        for path in sorted(runner.rglob("*.rs")):
            if "/tests" in str(path):
                continue
            opt_in = RUNNER_HELPERS.get(path.stem)
            if opt_in is None or any(calls_runner(src, name) for name in opt_in):
                names |= set(INPUT_CALL.findall(path.read_text()))
    return names


# Runner files whose inputs are read only for a guardian that calls one of these functions.
RUNNER_HELPERS = {
    "target": ("select_pull_request", "requested_pr_number", "decide"),
    "sticky": ("sticky_comments",),
}


def calls_runner(src: str, name: str) -> bool:
    """Whether `src` uses the runner's `name` (imported from or called through `runner::`, or
    as a method), not a function of its own with the same name."""
    return bool(
        re.search(rf"\brunner::(?:\{{[^}}]*\b{name}\b|{name}\b)", src)
        or re.search(rf"\.{name}\(", src)
    )


def pending_inputs() -> set[tuple[str, str]]:
    path = Path(__file__).with_name("pending-inputs.txt")
    pending = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            guardian, name = line.split()
            pending.add((guardian, name))
    return pending


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


# --------------------------------------------------------------------------------------------


def case_actions_validate_against_the_github_actions_schema():
    proc = run(["check-jsonschema", "--builtin-schema", "vendor.github-actions", *map(str, ACTIONS)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def case_workflows_and_templates_validate_against_the_github_workflows_schema():
    files = [*WORKFLOWS, *TEMPLATES]
    assert files, "no workflows or templates found"
    proc = run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def case_dependabot_config_validates_and_passes_zizmor():
    config = ROOT / ".github" / "dependabot.yml"
    proc = run(["check-jsonschema", "--builtin-schema", "vendor.dependabot", str(config)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run(["zizmor", "--offline", "--min-severity", "medium", "--format", "plain", str(config)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def case_sample_config_validates_against_the_guardians_schema():
    proc = run([
        "check-jsonschema", "--schemafile", "schema/guardians.schema.json",
        "action-templates/config/guardians.yml",
    ])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def case_template_properties_are_complete():
    for template in TEMPLATES:
        props = template.with_suffix(".properties.json")
        assert props.exists(), f"{template.name} has no {props.name}"
        doc = json.loads(props.read_text())
        for key in ("name", "description", "iconName", "categories"):
            assert doc.get(key), f"{props.name} lacks {key}"


def case_zizmor_offline_has_no_finding_at_medium_or_above():
    files = [*ACTIONS, *WORKFLOWS, *TEMPLATES]
    proc = run(["zizmor", "--offline", "--min-severity", "medium", "--format", "plain", *map(str, files)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def case_actions_have_the_composite_launcher_shape():
    assert {p.parent.name for p in ACTIONS} == {
        "size-labeler", "pr-critic", "contracts-diff", "preview-commenter", "telemetry-emitter",
        "integration-queue",
    }, [p.parent.name for p in ACTIONS]
    for path in ACTIONS:
        name = path.parent.name
        action = load(path)
        for key in ("name", "description", "author"):
            assert action.get(key), f"{name}: no {key}"
        assert action.get("branding", {}).get("icon") and action["branding"].get("color"), f"{name}: branding"
        runs = action["runs"]
        assert runs["using"] == "composite", f"{name}: not composite"
        assert len(runs["steps"]) == 1, f"{name}: one step expected"
        step = runs["steps"][0]
        assert step.get("shell") == "bash", f"{name}: shell must be bash (all three OSes have it)"
        assert "${{" not in step["run"], f"{name}: ${{{{ }}}} inside run:"
        assert step["run"].strip() == f'bash "${{GITHUB_ACTION_PATH//\\\\//}}/../_launcher/launch.sh" {name}', (
            f"{name}: run: must call the launcher for {name}, got {step['run']!r}"
        )
        env = step.get("env") or {}
        inputs = action.get("inputs") or {}
        for key, spec in inputs.items():
            assert spec.get("description"), f"{name}: input {key} has no description"
            assert "default" in spec, f"{name}: input {key} has no default"
            var = "INPUT_" + key.replace(" ", "_").upper()
            assert env.get(var) == f"${{{{ inputs.{key} }}}}", f"{name}: {var} must be ${{{{ inputs.{key} }}}}"
        extra = set(env) - {"INPUT_" + k.replace(" ", "_").upper() for k in inputs}
        # The workflow's own token, so that core knows when `github-token` is it and names the
        # comment author without a call (guardians-core's identity.rs, WORKFLOW_TOKEN_ENV).
        if "GUARDIANS_WORKFLOW_TOKEN" in extra:
            assert env["GUARDIANS_WORKFLOW_TOKEN"] == "${{ github.token }}", f"{name}: GUARDIANS_WORKFLOW_TOKEN"
            extra.discard("GUARDIANS_WORKFLOW_TOKEN")
        assert not extra, f"{name}: env without an input: {sorted(extra)}"
        for key, spec in (action.get("outputs") or {}).items():
            assert spec.get("description"), f"{name}: output {key} has no description"
            assert spec.get("value") == f"${{{{ steps.{step['id']}.outputs.{key} }}}}", f"{name}: output {key}"


def case_action_inputs_match_what_the_binaries_read():
    pending = pending_inputs()
    problems, skipped = [], []
    for path in ACTIONS:
        guardian = path.parent.name
        declared = set((load(path).get("inputs") or {}).keys())
        read = inputs_read(guardian)
        for name in sorted(declared - read):
            if (guardian, name) in pending:
                skipped.append(f"{guardian}:{name}")
            else:
                problems.append(f"{guardian}: input `{name}` is declared but the binary never reads it")
        for name in sorted(read - declared):
            problems.append(f"{guardian}: the binary reads input `{name}` but action.yml does not declare it")
        for name in sorted(n for g, n in pending if g == guardian and n in read):
            problems.append(f"{guardian}: `{name}` is read now; remove it from tests/lint/pending-inputs.txt")
    assert not problems, "\n".join(problems)
    if skipped:
        raise Skip("declared ahead of their binaries (pending-inputs.txt): " + ", ".join(skipped))


def case_action_outputs_are_names_the_crates_write():
    problems = []
    for path in ACTIONS:
        guardian = path.parent.name
        src = rust_sources(ROOT / "crates" / guardian / "src")
        for name in (load(path).get("outputs") or {}):
            if f'"{name}"' not in src:
                problems.append(f"{guardian}: output `{name}` appears nowhere in crates/{guardian}/src")
    assert not problems, "\n".join(problems)


def uses_lines(path: Path):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        m = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
        if m:
            yield number, m.group(1), m.group(2)


def case_third_party_actions_are_pinned_by_sha_with_a_version_comment():
    problems = []
    for path in [*WORKFLOWS, *TEMPLATES, *ACTIONS]:
        for number, ref, rest in uses_lines(path):
            if ref.startswith("./"):
                continue
            where = f"{path.relative_to(ROOT)}:{number}"
            if not PIN.match(ref):
                problems.append(f"{where}: {ref} is not pinned by a full commit SHA")
            if not VERSION_COMMENT.search(rest):
                problems.append(f"{where}: {ref} has no `# vX.Y.Z` comment")
    assert not problems, "\n".join(problems)


def case_workflows_set_permissions_and_do_not_persist_credentials():
    problems = []
    for path in [*WORKFLOWS, *TEMPLATES]:
        doc = load(path)
        rel = path.relative_to(ROOT)
        if "permissions" not in doc:
            problems.append(f"{rel}: no top-level permissions:")
        for job_name, job in doc["jobs"].items():
            if "permissions" not in job:
                problems.append(f"{rel}: job {job_name} has no permissions:")
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    if (step.get("with") or {}).get("persist-credentials") is not False:
                        problems.append(f"{rel}: job {job_name}: checkout without persist-credentials: false")
    assert not problems, "\n".join(problems)


def case_action_docs_are_up_to_date():
    text = action_docs.render(action_docs.load_actions())
    assert action_docs.DOC.exists() and action_docs.DOC.read_text() == text, (
        "docs/actions.md is stale: run python tests/lint/action_docs.py"
    )


def case_launcher_is_valid_bash():
    proc = run(["bash", "-n", "actions/_launcher/launch.sh"])
    assert proc.returncode == 0, proc.stderr


def main() -> int:
    cases = [(n, f) for n, f in globals().items() if n.startswith("case_")]
    passed = failed = skipped = 0
    for name, case in cases:
        try:
            case()
            passed += 1
            print(f"lint: {name} ok")
        except Skip as why:
            skipped += 1
            print(f"lint: {name} skipped: {why}")
        except Exception:  # noqa: BLE001 (report every case)
            failed += 1
            print(f"lint: {name} FAILED")
            traceback.print_exc(file=sys.stdout)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
