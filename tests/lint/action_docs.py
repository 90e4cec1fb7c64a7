"""docs/actions.md, generated from actions/*/action.yml: inputs, outputs, permissions, usage.

    python tests/lint/action_docs.py          # rewrite docs/actions.md
    python tests/lint/action_docs.py --check  # exit 1 when it is stale (the lint suite does this)

The permissions each guardian needs are stated in its `github-token` input's description; the
usage snippet is built from the action's name so that every action gets the same pinned form.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "actions.md"
OWNER_REPO = "guardians-dev/guardians"
PLACEHOLDER_PIN = "0000000000000000000000000000000000000000 # v1.0.0"


def load_actions() -> dict[str, dict]:
    yaml = YAML(typ="safe")
    actions = {}
    for path in sorted((ROOT / "actions").glob("*/action.yml")):
        actions[path.parent.name] = yaml.load(path.read_text())
    return actions


def cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render(actions: dict[str, dict]) -> str:
    out = [
        "# The actions: inputs and outputs",
        "",
        "<!-- Generated from actions/*/action.yml by tests/lint/action_docs.py; do not edit by hand. -->",
        "",
        "Every action runs one prebuilt binary whose SHA-256 is pinned in `release/manifest.tsv` at",
        "the commit you pin. Replace the placeholder commit below with the commit of a release tag",
        "(`git ls-remote https://github.com/" + OWNER_REPO + " refs/tags/v1.0.0^{}`), keep the version",
        "comment, and let Dependabot update both (see the README).",
        "",
    ]
    for name, action in actions.items():
        inputs = action.get("inputs") or {}
        outputs = action.get("outputs") or {}
        out += [f"## {name}", "", cell(action.get("description", "")), ""]
        out += ["```yaml", f"- uses: {OWNER_REPO}/actions/{name}@{PLACEHOLDER_PIN}", "```", ""]
        token = inputs.get("github-token", {}).get("description")
        if token:
            out += ["**Permissions.** " + cell(token), ""]
        out += ["| input | default | description |", "| --- | --- | --- |"]
        for key, spec in inputs.items():
            default = spec.get("default", "")
            default = f"`{default}`" if default != "" else "(empty)"
            out.append(f"| `{key}` | {cell(default)} | {cell(spec.get('description', ''))} |")
        out += ["", "| output | description |", "| --- | --- |"]
        for key, spec in outputs.items():
            out.append(f"| `{key}` | {cell(spec.get('description', ''))} |")
        out.append("")
    return "\n".join(out)


def main() -> int:
    text = render(load_actions())
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text() != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run python tests/lint/action_docs.py")
            return 1
        return 0
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
