#!/usr/bin/env python3
"""Seed and event payloads for the size-labeler benchmark.

Writes into OUT_DIR:
  seed.json         the fake GitHub's starting state: repo octo/demo with a config, a .gitattributes,
                    a stale size label, PR #7 (small) and PR #8 (2,500 files)
  pull-7.json       a seed document holding only PR #7 as first seen (stale label), to re-seed it
  pull-8.json       the same for PR #8
  event-7.json      a real-format `pull_request` payload for PR #7
  event-8.json      the same for PR #8

The payloads start from the crate's test payload (octokit's `pull_request.opened` example) and get
the number, head/base and totals of the seeded PR, as the crate's end-to-end tests do.
"""

import copy
import json
import sys
from pathlib import Path

REPO = "octo/demo"
BASE_SHA = "b" * 40

# Small: 38 lines in 2 files (size/XS), currently labelled size/L (stale).
SMALL = {
    "number": 7,
    "head_sha": "7" * 40,
    "files": [
        {"filename": "src/lib.rs", "additions": 30, "deletions": 5},
        {"filename": "README.md", "additions": 2, "deletions": 1},
    ],
    "generate": None,
    "stale_label": "size/L",
}
# Large: 2,500 files of 3 + 1 lines = 10,000 lines (size/XL), currently labelled size/S (stale).
LARGE = {
    "number": 8,
    "head_sha": "8" * 40,
    "files": [],
    "generate": {"count": 2500, "additions": 3, "deletions": 1},
    "stale_label": "size/S",
}


def pull_seed(pr):
    seed = {
        "number": pr["number"],
        "title": f"Benchmark PR #{pr['number']}",
        "head": {"ref": f"bench-{pr['number']}", "sha": pr["head_sha"]},
        "base": {"ref": "main", "sha": BASE_SHA},
        "labels": [pr["stale_label"]],
        "files": [dict(f, status="modified") for f in pr["files"]],
    }
    if pr["generate"]:
        seed["generate_files"] = pr["generate"]
    return seed


def totals(pr):
    additions = sum(f["additions"] for f in pr["files"])
    deletions = sum(f["deletions"] for f in pr["files"])
    count = len(pr["files"])
    if pr["generate"]:
        g = pr["generate"]
        additions += g["count"] * g["additions"]
        deletions += g["count"] * g["deletions"]
        count += g["count"]
    return additions, deletions, count


def payload(template, pr):
    event = copy.deepcopy(template)
    additions, deletions, count = totals(pr)
    event["action"] = "synchronize"
    event["number"] = pr["number"]
    event["repository"]["full_name"] = REPO
    event["repository"]["name"] = REPO.split("/")[1]
    event["repository"]["owner"]["login"] = REPO.split("/")[0]
    body = event["pull_request"]
    body["number"] = pr["number"]
    body["head"]["ref"] = f"bench-{pr['number']}"
    body["head"]["sha"] = pr["head_sha"]
    body["base"]["ref"] = "main"
    body["base"]["sha"] = BASE_SHA
    body["additions"] = additions
    body["deletions"] = deletions
    body["changed_files"] = count
    body["labels"] = [{"name": pr["stale_label"]}]
    return event


def main():
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    template = json.loads(
        (root / "fixtures/webhooks/pull_request.opened.json").read_text()
    )
    out.mkdir(parents=True, exist_ok=True)
    stale = [
        {"name": "size/L", "color": "e99695", "description": "stale size label"},
        {"name": "size/S", "color": "5d9801", "description": "stale size label"},
    ]
    seed = {
        "repos": {
            REPO: {
                "default_branch": "main",
                "labels": stale,
                "pulls": [pull_seed(SMALL), pull_seed(LARGE)],
                "contents": {
                    "main": {
                        ".github/guardians.yml": "size-labeler: {}\n",
                        ".gitattributes": "*.png binary\ndocs/api/** linguist-generated=true\n",
                    }
                },
            }
        }
    }
    (out / "seed.json").write_text(json.dumps(seed))
    for pr in (SMALL, LARGE):
        n = pr["number"]
        reseed = {"repos": {REPO: {"labels": stale, "pulls": [pull_seed(pr)]}}}
        (out / f"pull-{n}.json").write_text(json.dumps(reseed))
        (out / f"event-{n}.json").write_text(json.dumps(payload(template, pr)))


if __name__ == "__main__":
    main()
