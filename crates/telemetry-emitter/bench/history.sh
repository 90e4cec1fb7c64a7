#!/usr/bin/env bash
# Benchmark: `telemetry-emitter report --github` over 90 days of a repository with 1,000 merged
# PRs, 300 production deployments and 5,000 workflow runs, in fake-github answering each request
# after LATENCY_MS (default 100, like github.com). Runs the real binary twice, cold and then with
# the --cache the first run filled, and prints requests (the fake's call log) and wall time.
#
#   crates/telemetry-emitter/bench/history.sh
#   LATENCY_MS=0 crates/telemetry-emitter/bench/history.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
profile="${PROFILE:-release}"
cargo build --quiet --profile "$profile" -p telemetry-emitter --manifest-path "$root/Cargo.toml"
dir="$profile"; [[ "$profile" == dev ]] && dir=debug
cargo run --quiet --profile "$profile" -p telemetry-emitter --example history_bench \
  --manifest-path "$root/Cargo.toml" -- "$root/target/$dir/telemetry-emitter" "${LATENCY_MS:-100}"
