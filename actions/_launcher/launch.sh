#!/usr/bin/env bash
# Runs one guardian binary for a composite action.
#
#   launch.sh GUARDIAN [ARGS...]
#
# The action's inputs are already in the environment as INPUT_<NAME>; the binary reads them
# and writes its outputs to $GITHUB_OUTPUT itself. This script only finds the right binary:
#
# 1. release/manifest.tsv, committed at the release tag, names per guardian and target the
#    asset's URL, its SHA-256 and the commit it was built from. A user who pins the action by
#    commit SHA therefore pins the binary's hash too.
# 2. The asset for RUNNER_OS/RUNNER_ARCH is downloaded once, its SHA-256 checked, unpacked into
#    the runner's tool cache under that hash, and reused by later steps and jobs on the runner,
#    hashed again before every run. A mismatch stops here with an error and nothing is run.
# 3. With no manifest entry (a development ref, or a target we do not ship) it builds the
#    guardian from this checkout with cargo: correct, but minutes instead of seconds.
#
# Settings (environment, all optional):
#   GUARDIANS_ASSET_MIRROR   base URL that replaces the directory of every asset URL, for
#                            runners that cannot reach github.com (GitHub Enterprise Server);
#                            the SHA-256 from the manifest is still enforced.
#   GUARDIANS_BUILD_PROFILE  cargo profile for the build-from-source path (default: release).
#   RUNNER_TOOL_CACHE        where verified archives are cached (default: a per-user 0700
#                            directory under TMPDIR; none if that is not ours alone).
set -euo pipefail

readonly ME="guardians-launcher"

fail() {
  # One annotation line; the values here come from our manifest and the runner, not from a PR.
  printf '::error title=%s::%s\n' "$ME" "$1"
  exit 1
}

note() { printf '%s: %s\n' "$ME" "$1"; }

[ "$#" -ge 1 ] || fail "usage: launch.sh GUARDIAN [ARGS...]"
guardian="$1"
shift
case "$guardian" in
  size-labeler | pr-critic | contracts-diff | preview-commenter | telemetry-emitter | integration-queue) ;;
  *) fail "unknown guardian '$guardian'" ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
manifest="$root/release/manifest.tsv"

# The Rust target triple for this runner. RUNNER_OS/RUNNER_ARCH are set by every runner;
# uname covers running the script by hand.
runner_target() {
  local os="${RUNNER_OS:-}" arch="${RUNNER_ARCH:-}"
  if [ -z "$os" ]; then
    case "$(uname -s)" in
      Linux) os=Linux ;;
      Darwin) os=macOS ;;
      MINGW* | MSYS* | CYGWIN*) os=Windows ;;
      *) os="$(uname -s)" ;;
    esac
  fi
  if [ -z "$arch" ]; then
    case "$(uname -m)" in
      x86_64 | amd64) arch=X64 ;;
      aarch64 | arm64) arch=ARM64 ;;
      *) arch="$(uname -m)" ;;
    esac
  fi
  case "$os/$arch" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    # Windows on Arm runs x86_64 binaries under emulation; we ship no native build.
    Windows/X64 | Windows/ARM64) echo x86_64-pc-windows-msvc ;;
    *) echo "unsupported-$os-$arch" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else
    fail "no sha256sum, shasum or openssl on this runner: cannot verify the download; install one of them"
  fi
}

download() {
  local url="$1" dest="$2"
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --retry 3 --retry-delay 2 \
      --connect-timeout 20 --max-time 300 --output "$dest" -- "$url"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --tries=3 --timeout=60 --output-document="$dest" -- "$url"
  else
    fail "neither curl nor wget is installed: cannot download $url"
  fi
}

target="$(runner_target)"
exe=""
case "$target" in *windows*) exe=".exe" ;; esac

entry=""
if [ -f "$manifest" ]; then
  # guardian <TAB> target <TAB> sha256 <TAB> url <TAB> source commit; '#' starts a comment.
  entry="$(awk -F '\t' -v g="$guardian" -v t="$target" \
    '$1 !~ /^#/ && $1 == g && $2 == t { print; exit }' "$manifest")"
fi

if [ -z "$entry" ]; then
  # The slow path: no release for this ref. Only a checkout of the whole repository has the
  # sources, which is what `uses: OWNER/REPO/actions/NAME@REF` downloads.
  profile="${GUARDIANS_BUILD_PROFILE:-release}"
  printf '::notice title=%s::%s\n' "$ME" \
    "No prebuilt $guardian for $target in $(basename "$manifest") (a development ref?): building it from source with cargo (profile $profile). This is the slow path; pin a release for a start in seconds."
  command -v cargo >/dev/null 2>&1 ||
    fail "cargo is not installed, and this ref has no prebuilt $guardian for $target: pin a released version (see the README), or install Rust on the runner"
  [ -f "$root/Cargo.toml" ] || fail "no Cargo.toml in $root: cannot build $guardian from source"
  cargo build --quiet --locked --manifest-path "$root/Cargo.toml" --profile "$profile" \
    --package "$guardian" --bin "$guardian" >&2
  profile_dir="$profile"
  [ "$profile" = dev ] && profile_dir=debug
  bin="${CARGO_TARGET_DIR:-$root/target}/$profile_dir/$guardian$exe"
  [ -x "$bin" ] || fail "cargo finished but $bin is missing"
  exec "$bin" "$@"
fi

IFS=$'\t' read -r _ _ want_sha url source_commit <<<"$entry"
case "$want_sha" in
  *[!0-9a-f]* | "") fail "manifest entry for $guardian/$target has a malformed SHA-256 '$want_sha'" ;;
esac
[ "${#want_sha}" -eq 64 ] || fail "manifest entry for $guardian/$target has a malformed SHA-256 '$want_sha'"
if [ -n "${GUARDIANS_ASSET_MIRROR:-}" ]; then
  url="${GUARDIANS_ASSET_MIRROR%/}/${url##*/}"
fi

# The cache holds verified *archives*, never binaries we trust as they lie: a cache directory
# may be shared or planted (a self-hosted runner, a world-writable temp dir). So every run
# copies the cached archive into a private directory, hashes that copy against the manifest,
# and unpacks the binary from it; what runs is exactly what the manifest pins, or nothing.
private_cache_root() {
  # The runner's tool cache belongs to the runner's user. Outside it, a per-user directory
  # that only we can write; if it is not ours or others can write to it, we do not cache.
  if [ -n "${RUNNER_TOOL_CACHE:-}" ]; then
    printf '%s\n' "$RUNNER_TOOL_CACHE/guardians"
    return
  fi
  local dir="${TMPDIR:-/tmp}/guardians-cache-$(id -u)"
  (umask 077 && mkdir -p "$dir") 2>/dev/null || return 0
  # `ls -ld` (not find -perm, whose syntax differs on macOS): group and other write bits.
  if [ -O "$dir" ] && [ "$(ls -ld "$dir" | cut -c6,9)" = "--" ]; then
    printf '%s\n' "$dir"
  fi
}

work="$(umask 077 && mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/guardians-run.XXXXXX")" ||
  fail "could not create a private temporary directory"
trap 'rm -rf "$work"' EXIT
archive="$work/asset.tar.gz"

cache_root="$(private_cache_root)"
cached=""
[ -n "$cache_root" ] && cached="$cache_root/$want_sha/asset.tar.gz"

from_cache=false
if [ -n "$cached" ] && [ -f "$cached" ] && cp -- "$cached" "$archive" 2>/dev/null; then
  if [ "$(sha256_of "$archive")" = "$want_sha" ]; then
    from_cache=true
  else
    # Not what the manifest pins: never run it; replace it with a fresh download.
    printf '::warning title=%s::%s\n' "$ME" \
      "the cached archive for $guardian $target does not match the manifest's SHA-256; it was discarded and is downloaded again"
    rm -f -- "$cached" "$archive"
  fi
fi

if ! $from_cache; then
  note "downloading $guardian for $target from $url"
  download "$url" "$archive" || fail "could not download $url; check the runner's network access (GUARDIANS_ASSET_MIRROR serves a copy)"
  got_sha="$(sha256_of "$archive")"
  if [ "$got_sha" != "$want_sha" ]; then
    fail "SHA-256 mismatch for $url: the manifest pins $want_sha but the download is $got_sha. Nothing was run. The asset was replaced or corrupted; do not run it. Re-pin to a release whose manifest matches, or report this to the maintainers."
  fi
fi

mkdir "$work/unpacked"
# Relative names only: GNU tar on Windows would read 'C:' in an absolute path as a host name.
(cd "$work/unpacked" && tar -xzf ../asset.tar.gz) || fail "the archive from $url does not unpack"
bin="$work/unpacked/$guardian$exe"
[ -f "$bin" ] && [ ! -L "$bin" ] || fail "the archive from $url has no $guardian$exe at its top level"
chmod +x "$bin"

if $from_cache; then
  note "$guardian $target from the tool cache, verified again (sha256 $want_sha, built from ${source_commit:-unknown})"
else
  note "$guardian $target verified (sha256 $want_sha, built from ${source_commit:-unknown})"
  if [ -n "$cache_root" ]; then
    # Publish atomically: a concurrent job either wins the rename or finds a finished file.
    # A failure to cache costs the next run a download, nothing else.
    if mkdir -p "$cache_root/$want_sha" 2>/dev/null &&
      cp -- "$archive" "$cache_root/$want_sha/.asset.$$" 2>/dev/null &&
      mv -f -- "$cache_root/$want_sha/.asset.$$" "$cached" 2>/dev/null; then
      note "cached in $cache_root/$want_sha"
    else
      rm -f -- "$cache_root/$want_sha/.asset.$$" 2>/dev/null || true
    fi
  fi
fi

# Not exec: the private directory is removed when the guardian ends, and its exit code is ours.
set +e
"$bin" "$@"
code=$?
set -e
exit "$code"
