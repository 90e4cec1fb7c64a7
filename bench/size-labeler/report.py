#!/usr/bin/env python3
"""The Markdown report of bench/size-labeler/run.sh, from the files it left in WORK.

    report.py WORK LABELER_BINARY RUNS LATENCY_RUNS WARMUP
"""

import json
import os
import platform
import re
import struct
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

LATENCY_MS = 100
CASES = [
    (7, "small PR (2 files, 38 lines)", "size/XS"),
    (8, "2,500-file PR (10,000 lines)", "size/XL"),
]
MODES = {
    "first": "first: label created, stale one replaced",
    "change": "change: label exists, stale one replaced",
    "steady": "steady: labels right, no writes",
}
TARGET_MS = {7: 30, 8: 300}
TARGET_BINARY_BYTES = 6_000_000


def ms(seconds):
    return seconds * 1000.0


def timing(work, name):
    result = json.loads((work / f"{name}.hyperfine.json").read_text())["results"][0]
    return {
        "mean": ms(result["mean"]),
        "stddev": ms(result["stddev"] or 0.0),
        "median": ms(result["median"]),
        "min": ms(result["min"]),
        "max": ms(result["max"]),
        "runs": len(result["times"]),
    }


def peak_rss_kib(work, name):
    text = (work / f"{name}.time").read_text()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(match.group(1)) if match else None


def calls(work, name, which="calls"):
    log = json.loads((work / f"{name}.{which}.json").read_text())
    grouped = Counter()
    for call in log:
        path = re.sub(r"/repos/octo/demo", "", call["path"])
        grouped[(call["method"], path, call["status"])] += 1
    reads = sum(1 for c in log if c["method"] in ("GET", "HEAD"))
    parts = [
        f"{method} {path} {status}" + (f" ×{n}" if n > 1 else "")
        for (method, path, status), n in grouped.items()
    ]
    return reads, len(log) - reads, parts


def labels_after(work, name, number):
    state = json.loads((work / f"{name}.state.json").read_text())
    repo = state["repos"]["octo/demo"]
    pulls = repo["pulls"]
    pull = pulls.get(str(number)) or pulls.get(number)
    return pull["labels"] if pull else None


def outputs(work, name):
    text = (work / f"{name}.outputs").read_text()
    found = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line:
            key, delimiter = line.split("<<", 1)
            value = []
            for nxt in lines:
                if nxt == delimiter:
                    break
                value.append(nxt)
            found[key] = "\n".join(value)
    return found


def elf_has_symtab(path):
    """Whether a 64-bit little-endian ELF file still has a .symtab section (i.e. is not stripped)."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    strtab = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
    for i in range(shnum):
        name_offset = struct.unpack_from("<I", data, shoff + i * shentsize)[0]
        start = strtab + name_offset
        name = data[start : data.index(b"\0", start)]
        if name == b".symtab":
            return True
    return False


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def verdict(ok):
    return "met" if ok else "NOT met"


def main():
    work = Path(sys.argv[1])
    labeler = sys.argv[2]
    runs, latency_runs, warmup = sys.argv[3:6]

    out = []
    say = out.append
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    say(f"Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}  ")
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    say(f"Machine: `nproc` {nproc}, {cpu_model()}, "
        f"{platform.system()} {platform.release()}  ")
    say(f"Toolchain: {rustc}; profile `dist`  ")
    start = work / "loadavg.start"
    if start.exists():
        say(f"Load average (1/5/15 min) at start: {' '.join(start.read_text().split()[:3])}, "
            f"at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  ")
    say(f"Runs per case: {runs} at 0 ms, {latency_runs} at {LATENCY_MS} ms, after {warmup} warmup runs each")
    say("")

    size = os.stat(labeler).st_size
    symtab = elf_has_symtab(labeler)
    stripped = {True: "has a .symtab (not stripped)", False: "no .symtab (stripped)",
                None: "not a 64-bit ELF; strip state not checked"}[symtab]
    say(f"**Binary**: `size-labeler` is {size:,} bytes ({size / 2**20:.2f} MiB), {stripped}. "
        f"Target under 6 MB: {verdict(size < TARGET_BINARY_BYTES)}.")
    say("")

    say("| PR | case | latency | mean ± σ (ms) | median | min | max | runs | API reads / writes | peak RSS | labels after |")
    say("|---|---|---|---|---|---|---|---|---|---|---|")
    means = {}
    details = []
    mismatches = []
    for number, pr_name, _ in CASES:
        for mode, mode_name in MODES.items():
            for latency in (0, LATENCY_MS):
                name = f"pr{number}-{mode}-{latency}"
                t = timing(work, name)
                means[(number, mode, latency)] = t["mean"]
                reads, writes, parts = calls(work, name)
                rss = peak_rss_kib(work, name)
                rss_text = f"{rss / 1024:.1f} MiB" if rss is not None else "?"
                labels = labels_after(work, name, number)
                say(f"| {pr_name} | {mode_name} | {latency} ms | {t['mean']:.1f} ± {t['stddev']:.1f} | "
                    f"{t['median']:.1f} | {t['min']:.1f} | {t['max']:.1f} | {t['runs']} | "
                    f"{reads} / {writes} | {rss_text} | {', '.join(labels or [])} |")
                last = calls(work, name, "last-calls")
                same = (sorted(last[2]) == sorted(parts))
                if not same:
                    mismatches.append(f"- {pr_name}, {mode_name}, {latency} ms: last timed run made "
                                      f"{'; '.join(last[2])}")
                if latency == 0:
                    o = outputs(work, name)
                    details.append(
                        f"- {pr_name}, {mode_name}: {'; '.join(parts)} "
                        f"(outputs: size={o.get('size')}, lines={o.get('lines')}, "
                        f"files-counted={o.get('files-counted')})"
                    )
    say("")
    say("Calls of one run (path after `/repos/octo/demo`, status, count):")
    say("")
    out.extend(details)
    say("")
    if mismatches:
        say("**Warning**: timed runs that did not make the same calls as the inspected run:")
        out.extend(mismatches)
    else:
        say("The last timed run of every case made the same calls as the inspected run.")
    say("")

    say(f"**Round trips at {LATENCY_MS} ms per response** (mean wall time ÷ {LATENCY_MS} ms, and the same "
        f"after subtracting the case's mean at 0 ms):")
    say("")
    say("| PR | case | wall at 100 ms | wall ÷ 100 ms | (wall − wall at 0 ms) ÷ 100 ms |")
    say("|---|---|---|---|---|")
    for number, pr_name, _ in CASES:
        for mode, mode_name in MODES.items():
            slow = means[(number, mode, LATENCY_MS)]
            fast = means[(number, mode, 0)]
            say(f"| {pr_name} | {mode_name} | {slow:.0f} ms | {slow / LATENCY_MS:.2f} | "
                f"{(slow - fast) / LATENCY_MS:.2f} |")
    say("")

    say("**Against the targets** (mean at 0 ms latency):")
    say("")
    for number, pr_name, _ in CASES:
        for mode, mode_name in MODES.items():
            mean = means[(number, mode, 0)]
            say(f"- {pr_name}, {mode_name}: {mean:.1f} ms, target under {TARGET_MS[number]} ms: "
                f"{verdict(mean < TARGET_MS[number])}")
    for mode in ("first", "change"):
        trips = means[(7, mode, LATENCY_MS)] / LATENCY_MS
        say(f"- small PR, {MODES[mode]}, at {LATENCY_MS} ms: {trips:.2f} round trips of wall time, "
            f"target about 3: {verdict(trips < 3.5)}")
    say(f"- binary: {size:,} bytes, target under 6 MB: {verdict(size < TARGET_BINARY_BYTES)}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
