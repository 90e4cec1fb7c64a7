#!/usr/bin/env bash
# The launcher's input hygiene, without a workflow runner (the act suite covers the rest):
# a manifest URL that looks like an option is a URL to curl, never an option.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {
  local name="$1" ok="$2"
  if [ "$ok" = yes ]; then
    passed=$((passed + 1))
    echo "launcher: $name ok"
  else
    failed=$((failed + 1))
    echo "launcher: $name FAILED"
  fi
}

mkdir -p "$work/repo/actions/_launcher" "$work/repo/release"
cp "$root/actions/_launcher/launch.sh" "$work/repo/actions/_launcher/"
case "$(uname -m)" in aarch64 | arm64) target=aarch64-unknown-linux-musl ;; *) target=x86_64-unknown-linux-musl ;; esac
sha="$(printf '%064d' 0)"
# `--version` would make curl print its version and exit 0 if it were read as an option.
printf 'size-labeler\t%s\t%s\t%s\t%s\n' "$target" "$sha" "--version" "0000000" >"$work/repo/release/manifest.tsv"
set +e
out="$(RUNNER_OS=Linux RUNNER_TOOL_CACHE="$work/cache" RUNNER_TEMP="$work" \
  bash "$work/repo/actions/_launcher/launch.sh" size-labeler 2>&1)"
code=$?
set -e
if [ "$code" -ne 0 ] && grep -q "could not download --version" <<<"$out" && ! grep -q "SHA-256 mismatch" <<<"$out"; then
  check "a URL that looks like an option is not read as one" yes
else
  check "a URL that looks like an option is not read as one" no
  printf '%s\n' "$out"
fi

# Outside a runner the cache is a per-user 0700 directory, or none.
mkdir -p "$work/tmp"
set +e
TMPDIR="$work/tmp" RUNNER_OS=Linux RUNNER_TOOL_CACHE="" RUNNER_TEMP="$work" \
  bash "$work/repo/actions/_launcher/launch.sh" size-labeler >/dev/null 2>&1
set -e
cache_dir="$work/tmp/guardians-cache-$(id -u)"
if [ -d "$cache_dir" ] && [ "$(ls -ld "$cache_dir" | cut -c1-10)" = "drwx------" ]; then
  check "the fallback cache is private to the user" yes
else
  check "the fallback cache is private to the user" no
  ls -ld "$cache_dir" 2>&1 || true
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
