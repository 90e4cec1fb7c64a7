#!/usr/bin/env bash
# Benchmark: one `telemetry-emitter` emit for a completed workflow_run of 20 jobs (two pages of
# jobs, 10 a page) on a PR, against the fake GitHub binary and a local PostHog capture server.
# Prints the API calls the run made (from the fake's call log) and the wall time (hyperfine when
# installed, else the best of $RUNS runs).
#
#   crates/telemetry-emitter/bench/emit.sh                 # fake GitHub answers at once
#   LATENCY_MS=100 crates/telemetry-emitter/bench/emit.sh  # 100 ms per API call, like github.com
#
# Needs python3 (the capture server and the seed). Builds with `--release` (PROFILE to change).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
profile="${PROFILE:-release}"
latency="${LATENCY_MS:-0}"
runs="${RUNS:-20}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --quiet --profile "$profile" -p telemetry-emitter -p fake-github \
  --manifest-path "$root/Cargo.toml"
dir="$profile"; [[ "$profile" == dev ]] && dir=debug
emitter="$root/target/$dir/telemetry-emitter"
fake="$root/target/$dir/fake-github"

# The seed: a private repository, its config on main, PR 12 and run 99 (attempt 1, 20 jobs).
python3 - "$work" <<'PY'
import json, sys, datetime as dt
work = sys.argv[1]
t0 = dt.datetime(2026, 11, 22, 10, 0, 0, tzinfo=dt.timezone.utc)
iso = lambda s: (t0 + dt.timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ")
jobs = [{"name": f"test {i}", "run_attempt": 1, "status": "completed", "conclusion": "success",
         "created_at": iso(2), "started_at": iso(10 + i), "completed_at": iso(10 + i + 90 + 20 * i),
         "labels": ["ubuntu-latest" if i % 4 else "ubuntu-latest-16-cores"]} for i in range(20)]
sha = "a" * 40
seed = {"repos": {"acme/app": {
    "private": True, "default_branch": "main",
    "contents": {"main": {".github/guardians.yml": "telemetry-emitter:\n  max-attempts: 2\n"}},
    "pulls": [{"number": 12, "head": {"ref": "feature", "sha": sha},
               "files": [{"filename": "src/a.rs", "additions": 40, "deletions": 3},
                         {"filename": "Cargo.lock", "additions": 900, "deletions": 400}]}],
    "runs": [{"id": 99, "name": "CI", "head_branch": "feature", "head_sha": sha,
              "event": "pull_request", "status": "completed", "conclusion": "success",
              "pull_requests": [12], "created_at": iso(0), "jobs": jobs}]}}}
json.dump(seed, open(f"{work}/seed.json", "w"))
event = {"action": "completed",
         "workflow_run": {"id": 99, "name": "CI", "event": "pull_request", "status": "completed",
                          "conclusion": "success", "head_branch": "feature", "head_sha": sha,
                          "run_attempt": 1, "run_started_at": iso(0), "created_at": iso(0),
                          "updated_at": iso(700),
                          "pull_requests": [{"number": 12, "head": {"ref": "feature", "sha": sha},
                                             "base": {"ref": "main", "sha": "b" * 40}}]},
         "repository": {"full_name": "acme/app", "private": True, "default_branch": "main"},
         "sender": {"login": "octocat"}}
json.dump(event, open(f"{work}/event.json", "w"))
PY

# PostHog's capture endpoint, as little as answers `POST /batch/` with 200.
cat >"$work/capture.py" <<'PY'
import http.server, sys
class Capture(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = b'{"status":"Ok"}'
        self.send_response(200); self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Capture)
print(f"http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
PY

start_server() { # NAME command... ; the server prints its URL first; sets $NAME to it
  local name="$1"; shift
  local out="$work/$name.url"
  "$@" >"$out" </dev/null &
  pids+=("$!")
  for _ in $(seq 200); do [[ -s "$out" ]] && break; sleep 0.05; done
  printf -v "$name" '%s' "$(head -n1 "$out")"
}
start_server github "$fake" serve --seed "$work/seed.json" --latency-ms "$latency" --print-url
start_server capture python3 "$work/capture.py"

cmd=(env -i "PATH=$PATH" GITHUB_EVENT_NAME=workflow_run "GITHUB_EVENT_PATH=$work/event.json"
  GITHUB_REPOSITORY=acme/app "GITHUB_API_URL=$github" GITHUB_TOKEN=ghs_test
  "$emitter" --posthog-api-key phc_bench --posthog-host "$capture" --jobs-per-page 10)

curl -fsS -X POST "$github/_fake/reset-calls" >/dev/null
"${cmd[@]}" >"$work/emit.log"
echo "emit output:"; sed 's/^/  /' "$work/emit.log"
echo "API calls (fake GitHub's log):"
curl -fsS "$github/_fake/calls" | python3 -c '
import json, sys
calls = json.load(sys.stdin)
for c in calls:
    q = "?" + c["query"] if c["query"] else ""
    print("  %s %s%s -> %s" % (c["method"], c["path"], q, c["status"]))
print(f"  total: {len(calls)}")'

echo "machine: $(nproc) cores; fake GitHub latency ${latency} ms per call; profile $profile"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs "$runs" -N --export-json "$work/hyperfine.json" \
    "$(printf '%q ' "${cmd[@]}")"
else
  best=""
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "${cmd[@]}" >/dev/null; e=$(date +%s.%N)
    t=$(awk "BEGIN{print $e-$s}")
    if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
  done
  echo "best of $runs: ${best}s"
fi
