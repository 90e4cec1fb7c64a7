#!/usr/bin/env bash
# Benchmark: contracts-diff on hostile inputs that once cost minutes and gigabytes.
#   - the worst fan-out spec pair: 10 levels of `oneOf` over 8 `$ref`s (25 KB; 15 GB and 48 s
#     before comparisons were memoised by location pair and findings kept once), and 36
#     schemas each referencing the next two (10.6 KB; aborted at 4 GB before);
#   - a 1 MiB YAML of nested flow collections (minutes in libyaml before the linear nesting
#     pre-scan refused it).
# Prints wall time and peak RSS from /usr/bin/time -v (apt-get install time if missing).
#
#   crates/contracts-diff/bench/hostile.sh              # release profile; RUNS=3
#   PROFILE=dist crates/contracts-diff/bench/hostile.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
profile="${PROFILE:-release}"
runs="${RUNS:-3}"
work="${WORK:-$root/target/bench-cache/hostile}"
mkdir -p "$work"
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

python3 - "$work" <<'PY'
import sys, os
out = sys.argv[1]
head = ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json: {schema: {$ref: '#/components/schemas/S0'}}\n"
        "components:\n  schemas:\n")
def fan_out(leaf):
    s = head + "    S0: {$ref: '#/components/schemas/L0_0'}\n"
    for level in range(10):
        for i in range(8):
            members = ", ".join(f"{{$ref: '#/components/schemas/L{level+1}_{j}'}}" for j in range(8))
            s += f"    L{level}_{i}: {{oneOf: [{members}]}}\n"
    for i in range(8):
        s += f"    L10_{i}: {{type: object, properties: {{v{i}: {{type: {leaf}}}}}}}\n"
    return s
def fibonacci(leaf):
    s = head
    for i in range(36):
        s += (f"    S{i}: {{type: object, properties: {{a: {{$ref: '#/components/schemas/S{i+1}'}}, "
              f"b: {{$ref: '#/components/schemas/S{i+2}'}}}}}}\n")
    return s + f"    S36: {{type: {leaf}}}\n    S37: {{type: {leaf}}}\n"
def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)
def pairs(after):
    # 64 schemas per level, each a oneOf over all 64 of the next level; the head renames
    # them and rotates the order differently under each parent, so members pair up
    # positionally into 64 x 64 distinct pairs per level: the work budget must end it.
    n, levels = 64, 10
    name = "Y" if after else "X"
    s = head + f"    S0: {{$ref: '#/components/schemas/{name}0_0'}}\n"
    for k in range(levels):
        for p in range(n):
            order = [(j + p) % n if after else j for j in range(n)]
            m = ", ".join(f"{{$ref: '#/components/schemas/{name}{k+1}_{j}'}}" for j in order)
            s += f"    {name}{k}_{p}: {{oneOf: [{m}]}}\n"
    for j in range(n):
        t = "integer" if after else "string"
        s += f"    {name}{levels}_{j}: {{type: object, properties: {{v{j}: {{type: {t}}}}}}}\n"
    return s
write("pairs-before.yaml", pairs(False))
write("pairs-after.yaml", pairs(True))
write("fan-out-before.yaml", fan_out("string"))
write("fan-out-after.yaml", fan_out("integer"))
write("fibonacci-before.yaml", fibonacci("string"))
write("fibonacci-after.yaml", fibonacci("integer"))
deep = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: "
deep += "[{a: " * ((1024 * 1024 - len(deep)) // 5)
write("deep-before.yaml", head.replace("components:\n  schemas:\n", "") + "components: {}\n")
write("deep-after.yaml", deep)
PY

cargo build --quiet --profile "$profile" -p contracts-diff --manifest-path "$root/Cargo.toml"
dir="$profile"; [[ "$profile" == dev ]] && dir=debug
bin="${CARGO_TARGET_DIR:-$root/target}/$dir/contracts-diff"

measure() {
  local label="$1"; shift
  local best_wall="" best_rss="" status=0
  for _ in $(seq "$runs"); do
    status=0
    /usr/bin/time -v "$bin" "$@" --format json >"$work/out.json" 2>"$work/time.txt" || status=$?
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")"
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")"
    secs="$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
    if [[ -z "$best_wall" ]] || awk "BEGIN{exit !($secs < $best_wall)}"; then best_wall="$secs"; fi
    if [[ -z "$best_rss" ]] || (( rss > best_rss )); then best_rss="$rss"; fi
  done
  printf '%-34s best wall %6.2f s   peak RSS %7.1f MB   exit %s   (%s runs, profile %s)\n' \
    "$label" "$best_wall" "$(awk "BEGIN{print $best_rss/1024}")" "$status" "$runs" "$profile"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "sizes: fan-out $(wc -c <"$work/fan-out-after.yaml") B, fibonacci $(wc -c <"$work/fibonacci-after.yaml") B, pairs $(wc -c <"$work/pairs-after.yaml") B, deep $(wc -c <"$work/deep-after.yaml") B"
measure "oneOf fan-out (10 levels x 8 refs)" "$work/fan-out-before.yaml" "$work/fan-out-after.yaml"
grep -o '"rule": *"[a-z-]*"' "$work/out.json" | sort | uniq -c | sed 's/^/    /'
measure "fibonacci refs (36 schemas)" "$work/fibonacci-before.yaml" "$work/fibonacci-after.yaml"
grep -o '"rule": *"[a-z-]*"' "$work/out.json" | sort | uniq -c | sed 's/^/    /'
measure "union pairs (64x64 per level)" "$work/pairs-before.yaml" "$work/pairs-after.yaml"
grep -o '"rule": *"[a-z-]*"' "$work/out.json" | sort | uniq -c | sed 's/^/    /'
measure "1 MiB nested flow YAML" "$work/deep-before.yaml" "$work/deep-after.yaml"
grep -m1 -o 'deep-after.yaml at line [0-9]*: [^;]*' "$work/time.txt" | sed 's/^/    /' || true
