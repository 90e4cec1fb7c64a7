#!/usr/bin/env bash
# Benchmark of the size-labeler guardian against the fake GitHub (crates/fake-github).
#
#   bench/size-labeler/run.sh [--runs N] [--latency-runs N] [--warmup N] [--no-build] [--keep DIR]
#
# Builds both binaries with the shipping `dist` profile, then for a small PR (2 files) and a
# 2,500-file PR, each in three cases -- "first" (stale size label replaced, the new label created in
# the repository), "change" (stale label replaced, the new label already in the repository) and
# "steady" (labels already right, nothing written) -- measures with the fake answering at once and
# with 100 ms added to every response:
#   - wall time per run (hyperfine, with warmup; the fake is re-prepared before every run),
#   - API calls per run (from the fake's call log) and the labels left on the PR,
#   - peak RSS of one run (/usr/bin/time -v),
# and the size of the stripped binary. Prints a Markdown report on stdout.
set -euo pipefail

runs=100
latency_runs=20
warmup=5
build=1
keep=""
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --latency-runs) latency_runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=$2; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

need() {
    command -v "$1" >/dev/null 2>&1 || {
        echo "run.sh: '$1' is missing; install it with: $2" >&2
        exit 1
    }
}
need cargo "rustup (https://rustup.rs)"
need hyperfine "apt-get install -y hyperfine   (or: cargo install hyperfine)"
need curl "apt-get install -y curl"
need python3 "apt-get install -y python3"
[[ -x /usr/bin/time ]] || {
    echo "run.sh: /usr/bin/time is missing; install it with: apt-get install -y time" >&2
    exit 1
}

log() { echo "run.sh: $*" >&2; }

if ((build)); then
    log "building size-labeler and fake-github with --profile dist (fat LTO; minutes on 2 cores)"
    cargo build --profile dist -p size-labeler -p fake-github >&2
fi
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
labeler="$target_dir/dist/size-labeler"
fake="$target_dir/dist/fake-github"
for bin in "$labeler" "$fake"; do
    [[ -x $bin ]] || { log "$bin not found; run without --no-build"; exit 1; }
done

work=$(mktemp -d)
fake_pid=""
cleanup() {
    if [[ -n $fake_pid ]]; then
        kill "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
    fi
    if [[ -n $keep ]]; then
        mkdir -p "$keep" && cp -r "$work"/. "$keep"/
    fi
    rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/make_data.py" "$root" "$work"
cp /proc/loadavg "$work/loadavg.start" 2>/dev/null || true

# Starts the fake with LATENCY ms added to every API response; sets $url and $fake_pid.
start_fake() {
    local latency=$1
    local args=(serve --port 0 --seed "$work/seed.json" --print-url)
    ((latency > 0)) && args+=(--latency-ms "$latency")
    "$fake" "${args[@]}" >"$work/fake-$latency.out" 2>"$work/fake-$latency.err" &
    fake_pid=$!
    for _ in $(seq 100); do
        url=$(head -n1 "$work/fake-$latency.out" 2>/dev/null || true)
        [[ -n $url ]] && return 0
        sleep 0.1
    done
    log "fake-github did not print its URL:"
    cat "$work/fake-$latency.err" >&2
    exit 1
}

stop_fake() {
    kill "$fake_pid"
    wait "$fake_pid" 2>/dev/null || true
    fake_pid=""
}

# The labeler's environment, as the Actions runner (and the crate's e2e tests) set it, as a
# command prefix in $envline.
labeler_env() {
    local number=$1
    envline=(env -i "PATH=$PATH" "HOME=${HOME:-/root}"
        GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request
        "GITHUB_EVENT_PATH=$work/event-$number.json" GITHUB_REPOSITORY=octo/demo
        "GITHUB_API_URL=$url" "GITHUB_OUTPUT=$work/output-$number"
        "GITHUB_STEP_SUMMARY=$work/summary-$number" INPUT_GITHUB-TOKEN=ghs_test)
}

# One case: PR NUMBER whose right label is LABEL, MODE first|change|steady, at LATENCY ms, COUNT runs.
measure() {
    local number=$1 label=$2 mode=$3 latency=$4 count=$5
    local name="pr$number-$mode-$latency"
    local prepare=(bash "$here/prepare.sh" "$url" "$work" "$number" "$label" "$mode")
    local envline
    labeler_env "$number"

    # One run under /usr/bin/time: exit code, peak RSS, the calls it made, the labels it left.
    "${prepare[@]}"
    local code=0
    "${envline[@]}" /usr/bin/time -v -o "$work/$name.time" "$labeler" \
        >"$work/$name.stdout" 2>"$work/$name.stderr" || code=$?
    if ((code != 0)); then
        log "size-labeler exited $code on $name:"
        cat "$work/$name.stdout" "$work/$name.stderr" >&2
        exit 1
    fi
    curl -sSf "$url/_fake/calls" >"$work/$name.calls.json"
    curl -sSf "$url/_fake/state" >"$work/$name.state.json"
    cp "$work/output-$number" "$work/$name.outputs"

    log "timing $name: $count runs after $warmup warmup runs"
    "${envline[@]}" hyperfine -N --style none --warmup "$warmup" --runs "$count" \
        --prepare "$(printf '%q ' "${prepare[@]}")" --export-json "$work/$name.hyperfine.json" \
        "$labeler" >&2
    # The log now holds the last timed run's calls (every prepare empties it): the report checks
    # that the timed runs did the same work as the inspected one.
    curl -sSf "$url/_fake/calls" >"$work/$name.last-calls.json"
}

for latency in 0 100; do
    start_fake "$latency"
    log "fake GitHub at $url with ${latency} ms latency"
    n=$runs
    ((latency > 0)) && n=$latency_runs
    # In this order: each mode starts from the labels the one before left.
    for mode in first change steady; do
        measure 7 size/XS "$mode" "$latency" "$n"
    done
    for mode in first change steady; do
        measure 8 size/XL "$mode" "$latency" "$n"
    done
    stop_fake
done

python3 "$here/report.py" "$work" "$labeler" "$runs" "$latency_runs" "$warmup"
