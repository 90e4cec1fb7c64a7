#!/usr/bin/env bash
# Puts the fake GitHub back into the state a benchmark case starts from; run by hyperfine's
# --prepare before every timed run (its own time is not measured).
#
#   prepare.sh URL WORK NUMBER LABEL first|change|steady
#
# first:  the PR carries a stale size label and the repository has no LABEL yet (the first time the
#         labeler gives this size in the repository): the run creates LABEL, removes the stale one
#         and adds LABEL.
# change: the PR carries a stale size label and LABEL already exists in the repository (the usual
#         case once the labeler has run for a while): same writes, the creation answered 422.
# steady: leave the labels as the previous run left them (already right): the run writes nothing.
# Both empty the run's GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and the fake's call log.
set -euo pipefail
url=$1 work=$2 number=$3 label=$4 mode=$5

# Re-seeding the PR puts the stale label back (pulls are replaced by number; the repository's
# other labels stay).
reseed() {
    curl -sSf -o /dev/null -X POST -H 'content-type: application/json' \
        --data-binary "@$work/pull-$number.json" "$url/_fake/seed"
}

: >"$work/output-$number"
: >"$work/summary-$number"
case $mode in
first)
    # Deleting the repository's label also takes it off the PR; 404 (not there yet) is fine.
    curl -sS -o /dev/null -X DELETE -H "Authorization: Bearer ghs_test" \
        "$url/repos/octo/demo/labels/${label/\//%2F}"
    reseed
    ;;
change) reseed ;;
steady) ;;
*)
    echo "prepare.sh: mode must be first, change or steady, not '$mode'" >&2
    exit 2
    ;;
esac
curl -sSf -o /dev/null -X POST "$url/_fake/reset-calls"
