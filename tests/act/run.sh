#!/usr/bin/env bash
# The actions under a real workflow runner (act, self-hosted mode, offline). Builds the
# binaries the suite needs, then runs tests/act/act_suite.py. Needs the tools venv
# (tests/lint/install-tools.sh) or ACT pointing at an act binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
venv="${GUARDIANS_TOOLS_VENV:-$root/target/tools-venv}"
export ACT="${ACT:-$venv/bin/act}"
cargo build --quiet -p fake-github -p size-labeler -p pr-critic -p preview-commenter -p telemetry-emitter -p contracts-diff -p integration-queue
python3 tests/act/act_suite.py "$@"
