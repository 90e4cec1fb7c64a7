#!/usr/bin/env bash
# Benchmark: preview-commenter updating its comment on a PR with 150 earlier comments while the
# previews are healthy. Counts the GitHub API calls per run (from the fake's call log) and times
# whole runs with hyperfine, with and without simulated API latency.
#
#   crates/preview-commenter/bench/upsert.sh [--runs N] [--latency-ms MS] [--no-build]
#
# Needs: cargo, hyperfine (apt-get install -y hyperfine), curl, jq, python3 (the preview server).
# Results go to crates/preview-commenter/BENCHMARKS.md by hand.
set -euo pipefail

RUNS=20
LATENCY_MS=50
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --latency-ms) LATENCY_MS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown argument: $1 (expected --runs N, --latency-ms MS, --no-build)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
for tool in hyperfine curl jq python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
if [ "$BUILD" = 1 ]; then
  cargo build --profile dist -p preview-commenter -p fake-github >&2
fi
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}/dist"
COMMENTER="$TARGET/preview-commenter"
FAKE="$TARGET/fake-github"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The previews: a static server whose / and /health answer 200 at once.
mkdir -p "$WORK/preview/health"
echo ok > "$WORK/preview/index.html"
echo ok > "$WORK/preview/health/index.html"
PREVIEW_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
python3 -m http.server "$PREVIEW_PORT" --bind 127.0.0.1 --directory "$WORK/preview" >/dev/null 2>&1 &
PIDS+=($!)

HEAD=9f8e7d6c5b4a39281706f5e4d3c2b1a098765432
python3 - "$WORK" "$PREVIEW_PORT" "$HEAD" <<'EOF'
import json, sys
work, port, head = sys.argv[1], sys.argv[2], sys.argv[3]
config = f"""preview-commenter:
  environments:
    - name: Frontend
      url: http://127.0.0.1:{port}/
    - name: API
      url: http://127.0.0.1:{port}/
      health-path: /health
"""
ours = ('<!-- guardians:preview-commenter -->\n<!-- preview-commenter:meta {"sha":"' + head +
        '","run_id":1,"run_attempt":1,"updated_at":"2026-11-22T10:00:00Z"} -->\nold')
comments = [{"issue": 42, "user": "reviewer", "body": f"comment {i}"} for i in range(120)]
comments.append({"issue": 42, "user": "github-actions[bot]", "body": ours})
comments += [{"issue": 42, "user": "reviewer", "body": f"later {i}"} for i in range(29)]
seed = {"repos": {"octo-org/myapp": {
    "default_branch": "main",
    "pulls": [{"number": 42, "head": {"ref": "feature/login", "sha": head},
               "base": {"ref": "main", "sha": "b" * 40}}],
    "comments": comments,
    "contents": {"main": {".github/guardians.yml": config}},
}}}
json.dump(seed, open(f"{work}/seed.json", "w"))
repo = {"full_name": "octo-org/myapp", "name": "myapp", "owner": {"login": "octo-org"}}
pr = {"number": 42, "state": "open", "comments": 150,
      "head": {"ref": "feature/login", "sha": head}, "base": {"ref": "main", "sha": "b" * 40}}
json.dump({"action": "synchronize", "number": 42, "pull_request": pr, "repository": repo},
          open(f"{work}/event.json", "w"))
EOF

"$FAKE" serve --port 0 --seed "$WORK/seed.json" --print-url > "$WORK/fake.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  [ -s "$WORK/fake.out" ] && break
  sleep 0.05
done
FAKE_URL="$(head -n1 "$WORK/fake.out")"
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PREVIEW_PORT/health/" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -fsS "http://127.0.0.1:$PREVIEW_PORT/health/" >/dev/null

cat > "$WORK/step.sh" <<EOF
#!/usr/bin/env bash
# One workflow step: the environment the runner gives the action.
export GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$WORK/event.json"
export GITHUB_REPOSITORY=octo-org/myapp GITHUB_API_URL="$FAKE_URL" GITHUB_SERVER_URL=https://github.com
# Every run is a later run than the last (nanoseconds), so each one updates the comment.
export GITHUB_RUN_ID=\$(date +%s%N) GITHUB_RUN_ATTEMPT=1
export GITHUB_OUTPUT="$WORK/output" GITHUB_STEP_SUMMARY="$WORK/summary"
export INPUT_DEPLOYMENTS=\${DEPLOYMENTS:-false}
# INPUT_GITHUB-TOKEN is not a shell name, so it goes through env.
exec env INPUT_GITHUB-TOKEN=ghs_test "$COMMENTER" >/dev/null
EOF
chmod +x "$WORK/step.sh"

calls_of_one_run() { # $1: deployments true/false
  curl -fsS -X POST "$FAKE_URL/_fake/reset-calls" >/dev/null
  DEPLOYMENTS="$1" "$WORK/step.sh"
  curl -fsS "$FAKE_URL/_fake/calls" | jq -r '.[] | "\(.method) \(.path)\(if .query then "?" + .query else "" end) -> \(.status)"'
}

set_latency() {
  curl -fsS -X POST -H 'content-type: application/json' -d "{\"ms\": $1}" "$FAKE_URL/_fake/latency" >/dev/null
}

echo "## API calls of one run (our comment exists among 150 on the PR and needs an update; 2 healthy previews)"
for deployments in false true; do
  echo
  echo "### deployments: $deployments"
  echo '```'
  calls_of_one_run "$deployments" | tee "$WORK/calls-$deployments"
  echo '```'
  echo "requests: $(wc -l < "$WORK/calls-$deployments")"
done
echo
COMMENTS="$(curl -fsS "$FAKE_URL/_fake/state" | jq '[.repos["octo-org/myapp"].comments[] | select(.issue_number == 42)] | length')"
echo "comments on the PR after the runs: $COMMENTS (150 before: updated in place)"

echo
echo "## Wall time (hyperfine, $RUNS runs)"
for latency in 0 "$LATENCY_MS"; do
  set_latency "$latency"
  for deployments in false true; do
    echo
    echo "### API latency ${latency} ms per request, deployments: $deployments"
    hyperfine --runs "$RUNS" --warmup 2 --style basic --export-json "$WORK/h.json" \
      "DEPLOYMENTS=$deployments $WORK/step.sh" >/dev/null
    jq -r '.results[0] | "mean \(.mean * 1000 | floor) ms ± \(.stddev * 1000 | floor) ms (min \(.min * 1000 | floor), max \(.max * 1000 | floor))"' "$WORK/h.json"
  done
done
