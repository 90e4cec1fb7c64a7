#!/usr/bin/env python3
"""Counts and precision samples for bench/histories.sh (issue 13).

  precision.py counts TOOL OUT.json      one table cell: breaking / potentially / other
  precision.py sample CACHE N [SEED]     N breaking verdicts per tool and history, drawn
                                         reproducibly, as TSV to hand-check
  precision.py summary CHECKED.tsv...    precision per tool and history from checked samples
  precision.py kinds TOOL OUT.json...    breaking verdicts by kind (ours: rule and direction;
                                         peers: the last segment of the path), to read a
                                         whole history by class

A checked sample is the TSV `sample` prints with a last column filled in by a person:
`yes` (the change breaks a client as described), `no` (it does not), then a reason.
"""
import json
import random
import sys
from collections import defaultdict
from pathlib import Path


def verdicts(tool, path):
    """(severity, where, message) for every finding a tool printed, or None if it failed."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    if tool == "contracts-diff":
        return [
            (c["severity"], c["pointer"], f'{c["rule"]}: {c["message"]}')
            for f in data["files"]
            for c in f["changes"]
        ]
    # Peers' levels: api-smart-diff breaking / non-breaking / annotation / unclassified /
    # deprecated; graphql-inspector BREAKING / DANGEROUS / NON_BREAKING. DANGEROUS is what
    # we call potentially breaking.
    rows = [("breaking", b["path"], b["description"]) for b in data["breaking"]]
    for level, n in data["counts"].items():
        if level.lower() == "dangerous":
            rows += [("potentially-breaking", "", "")] * n
        elif level.lower() != "breaking":
            rows += [("other", "", "")] * n
    return rows


def counts(tool, path):
    found = verdicts(tool, path)
    if found is None:
        return "failed (no report)"
    tally = defaultdict(int)
    for severity, _, _ in found:
        tally[severity] += 1
    rest = len(found) - tally["breaking"] - tally["potentially-breaking"]
    return f'{tally["breaking"]} / {tally["potentially-breaking"]} / {rest}'


def sample(cache, n, seed):
    out = Path(cache) / "out"
    pools = defaultdict(list)
    for path in sorted(out.glob("*/*/*.json")):
        tool, history, pair = path.parts[-3], path.parts[-2], path.stem
        for severity, where, message in verdicts(tool, path) or []:
            if severity == "breaking":
                pools[(tool, history)].append((pair, where, message))
    print("tool\thistory\tpair\twhere\tmessage\tbreaks a client?\twhy")
    for (tool, history), pool in sorted(pools.items()):
        # One generator per pool, so adding a history leaves the other samples as they were.
        rng = random.Random(f"{seed}/{tool}/{history}")
        for pair, where, message in rng.sample(pool, min(n, len(pool))):
            print(f"{tool}\t{history}\t{pair}\t{where}\t{message.replace(chr(9), ' ')}\t\t")


def summary(files):
    tally = defaultdict(lambda: [0, 0])
    for name in files:
        for line in Path(name).read_text().splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) < 6 or cells[5] not in ("yes", "no"):
                sys.exit(f"{name}: every row needs `yes` or `no` in column 6: {line[:80]}")
            key = (cells[0], cells[1])
            tally[key][0] += cells[5] == "yes"
            tally[key][1] += 1
    print("| tool | history | breaking verdicts checked | right | precision |")
    print("|---|---|---:|---:|---:|")
    for (tool, history), (right, checked) in sorted(tally.items()):
        print(f"| {tool} | {history} | {checked} | {right} | {100 * right / checked:.0f}% |")


def kinds(tool, files):
    tally = defaultdict(int)
    for name in files:
        data = json.loads(Path(name).read_text())
        if tool == "contracts-diff":
            for f in data["files"]:
                for c in f["changes"]:
                    if c["severity"] == "breaking":
                        tally[f'{c["rule"]} ({c["direction"]})'] += 1
        else:
            for b in data["breaking"]:
                tally[b["path"].rsplit("/", 1)[-1]] += 1
    print(f"{sum(tally.values())} breaking")
    for kind, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{n:6}  {kind}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "counts" and len(sys.argv) == 4:
        print(counts(sys.argv[2], sys.argv[3]))
    elif command == "sample" and len(sys.argv) in (4, 5):
        sample(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) == 5 else 13)
    elif command == "kinds" and len(sys.argv) > 3:
        kinds(sys.argv[2], sys.argv[3:])
    elif command == "summary" and len(sys.argv) > 2:
        summary(sys.argv[2:])
    else:
        sys.exit(__doc__)
