#!/usr/bin/env bash
# Launcher overhead: cache miss (download from a local release host + SHA-256 + unpack) and
# cache hit, measured as the launcher running `size-labeler --version`; minus the binary alone.
# Also the archive size of the binary as built here. Results: bench/launcher.md.
#
#   bash bench/launcher.sh [RUNS]        (default 20 runs each; needs cargo and python3)
#
# The archive is made from `cargo build --profile dist -p size-labeler` (the shipping profile)
# for this machine's target only; the release workflow builds the other targets.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-20}"
work="$root/bench/.cache/launcher"
rm -rf "$work" && mkdir -p "$work/host" "$work/repo/release"
cd "$root"
cargo build --quiet --profile dist -p size-labeler
# A copy: the shared target directory may be rebuilt by someone else meanwhile.
mkdir -p "$work/bin"
cp "${CARGO_TARGET_DIR:-$root/target}/dist/size-labeler" "$work/bin/size-labeler"
bin="$work/bin/size-labeler"
case "$(uname -m)" in aarch64 | arm64) target=aarch64-unknown-linux-musl ;; *) target=x86_64-unknown-linux-musl ;; esac
asset="size-labeler-bench-$target.tar.gz"
(cd "$(dirname "$bin")" && tar -czf "$work/host/$asset" size-labeler)
sha="$(sha256sum "$work/host/$asset" | cut -d' ' -f1)"

python3 -m http.server --bind 127.0.0.1 0 --directory "$work/host" >"$work/http.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 50); do
  port="$(grep -o 'port [0-9]*' "$work/http.log" | head -1 | cut -d' ' -f2 || true)"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the local release host did not start" >&2; exit 1; }

cp -r actions "$work/repo/actions"
printf 'size-labeler\t%s\t%s\thttp://127.0.0.1:%s/%s\tbench\n' "$target" "$sha" "$port" "$asset" \
  >"$work/repo/release/manifest.tsv"
launcher="$work/repo/actions/_launcher/launch.sh"

# bash 5's microsecond clock: no timer process in the measurement.
now() { echo "${EPOCHREALTIME/,/.}"; }
median_ms() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'; }

measure() { # label, command...
  local label="$1"; shift
  : >"$work/$label.times"
  for _ in $(seq "$runs"); do
    [ "$label" = miss ] && rm -rf "$work/cache"
    local t0 t1
    t0="$(now)"
    RUNNER_TOOL_CACHE="$work/cache" RUNNER_OS=Linux "$@" >/dev/null
    t1="$(now)"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$work/$label.times"
  done
}

measure binary "$bin" --version
RUNNER_TOOL_CACHE="$work/cache" bash "$launcher" size-labeler --version >/dev/null # warm
measure hit bash "$launcher" size-labeler --version
measure miss bash "$launcher" size-labeler --version

binary_ms="$(median_ms <"$work/binary.times")"
hit_ms="$(median_ms <"$work/hit.times")"
miss_ms="$(median_ms <"$work/miss.times")"
archive_bytes="$(wc -c <"$work/host/$asset")"
binary_bytes="$(wc -c <"$bin")"
echo "asset:                  $asset (a host build with --profile dist; the musl builds come from the release workflow)"
echo "binary alone:           $binary_ms ms (median of $runs)"
echo "launcher, cache hit:    $hit_ms ms"
echo "launcher, cache miss:   $miss_ms ms (download from 127.0.0.1 + SHA-256 + unpack)"
echo "archive size:           $archive_bytes bytes ($binary_bytes bytes unpacked)"
