#!/usr/bin/env bash
# Benchmark: contracts-diff on GitHub's REST API description, two real versions
# (npm @octokit/openapi 22.0.0 and 23.0.2, generated/api.github.com.json, ~12-13 MB each),
# plus a small spec pair. Prints wall time and peak RSS from /usr/bin/time -v.
#
#   crates/contracts-diff/bench/github-rest.sh            # builds with --profile dist
#   PROFILE=release crates/contracts-diff/bench/github-rest.sh
#
# Downloads go to $CACHE (default target/bench-cache) and are reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
profile="${PROFILE:-dist}"
cache="${CACHE:-$root/target/bench-cache}"
runs="${RUNS:-5}"
mkdir -p "$cache"

fetch() {
  local version="$1" out="$cache/api.github.com-$1.json"
  if [[ ! -s "$out" ]]; then
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "@octokit/openapi@$version" >/dev/null)
    tar -xzf "$tmp"/octokit-openapi-"$version".tgz -C "$tmp" package/generated/api.github.com.json
    mv "$tmp/package/generated/api.github.com.json" "$out"
    rm -rf "$tmp"
  fi
  echo "$out"
}

old="$(fetch 22.0.0)"
new="$(fetch 23.0.2)"
cargo build --quiet --profile "$profile" -p contracts-diff --manifest-path "$root/Cargo.toml"
bin="$root/target/$profile/contracts-diff"
small_old="$root/crates/contracts-diff/tests/data/petstore-before.yaml"
small_new="$root/crates/contracts-diff/tests/data/petstore-after.yaml"

measure() {
  local label="$1"; shift
  local best_wall="" best_rss=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -v "$bin" "$@" --format json >/dev/null 2>"$cache/time.txt" || true
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$cache/time.txt")"
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$cache/time.txt")"
    secs="$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
    if [[ -z "$best_wall" ]] || awk "BEGIN{exit !($secs < $best_wall)}"; then best_wall="$secs"; fi
    if [[ -z "$best_rss" ]] || (( rss > best_rss )); then best_rss="$rss"; fi
  done
  printf '%-32s best wall %6.3f s   peak RSS %6.1f MB   (%s runs, profile %s)\n' \
    "$label" "$best_wall" "$(awk "BEGIN{print $best_rss/1024}")" "$runs" "$profile"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "sizes: $(du -h "$old" | cut -f1) -> $(du -h "$new" | cut -f1)"
"$bin" "$old" "$new" --format json >"$cache/github-rest-diff.json" || true
echo "changes: $(grep -c '"rule"' "$cache/github-rest-diff.json") (JSON in $cache/github-rest-diff.json)"
measure "github rest 22.0.0 -> 23.0.2" "$old" "$new"
measure "petstore (small pair)" "$small_old" "$small_new"
