#!/usr/bin/env bash
# Lints every action.yml, workflow and template (check-jsonschema, zizmor offline at medium and
# above) and checks the actions against the binaries and docs/actions.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${GUARDIANS_TOOLS_VENV:-$root/target/tools-venv}"
cd "$root"
PATH="$venv/bin:$PATH" "$venv/bin/python" tests/lint/lint_suite.py
