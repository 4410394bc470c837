#!/usr/bin/env python3
"""Time `kb build` on a synthetic knowledge base of N postmortems.

Usage: bench/bench.py N [--runs 5] [--kb target/release/kb ...] [--dir bench/out/N]

Generates the knowledge base (bench/gen.py) unless it exists, then times
three kinds of build, each RUNS times, with every binary given by `--kb`
(two binaries are compared by alternating their runs, so that a change in
the machine's speed hits both alike):

- fresh: into a new, never-used output folder (as on a fresh CI machine:
  every file created, every postmortem parsed);
- repeated: into the previous output with nothing changed;
- one edit: into the previous output after a line is added to the body of
  one postmortem (the same one each time).

Each binary builds into its own output folder. Before the timed repeated
and one-edit builds, each binary builds twice after an edit, so that both
trees of its output (it and its hidden sibling) exist and hold a recent
site. Prints every run's wall time, CPU time (user + system) and peak RSS,
then the medians.

The fresh builds' folders are deleted only at the end: on ext4, creating
tens of thousands of files right after deleting as many makes the kernel's
inode allocator skip the recently freed ones one by one (`recently_deleted`
in its profile), which made `rm -rf public && kb build` take 3-8 s instead
of 3 s here. Run the bench again half a minute after a previous one.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from timing import timed

HERE = os.path.dirname(os.path.abspath(__file__))


def run(kb, site, out, *extra):
    """One build: wall time, CPU time, peak RSS (MB) and kb's summary line."""
    return timed([kb, "--root", site, "build", "-o", out, *extra])


def edited_file(site):
    """The postmortem the one-edit builds change: the middle one."""
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content"))
                   for f in fs if f.endswith(".md"))
    return files[len(files) // 2]


def edit(path, n):
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\nA line added by the benchmark's edit {n}.\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--kb", action="append", help="a kb binary; give two to compare them")
    p.add_argument("--dir")
    args = p.parse_args()
    kbs = args.kb or [os.path.join(HERE, "..", "target", "release", "kb")]
    site = args.dir or os.path.join(HERE, "out", str(args.n))
    if not os.path.isdir(os.path.join(site, "content")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(args.n), site], check=True)
    target = edited_file(site)
    outs = {kb: os.path.join(site, f"public-{i}") for i, kb in enumerate(kbs)}
    results = {(kind, kb): [] for kind in ("repeated", "one edit", "fresh") for kb in kbs}
    edits = 0
    for _ in range(2):
        edits += 1
        edit(target, edits)
        for kb in kbs:
            run(kb, site, outs[kb])
    for _ in range(args.runs):
        for kb in kbs:
            results[("repeated", kb)].append(run(kb, site, outs[kb]))
        edits += 1
        edit(target, edits)
        for kb in kbs:
            results[("one edit", kb)].append(run(kb, site, outs[kb]))
    scratch = tempfile.mkdtemp(prefix="fresh-", dir=site)
    try:
        for i in range(args.runs):
            for j, kb in enumerate(kbs):
                subprocess.run(["sync"], check=False)
                results[("fresh", kb)].append(run(kb, site, os.path.join(scratch, f"public-{i}-{j}")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for (kind, kb), runs in results.items():
        for wall, cpu, rss, line in runs:
            print(f"{kind} [{kb}]: {wall:.3f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MB  [{line}]")
    print()
    print(f"{args.n} postmortems, medians of {args.runs} runs:")
    for (kind, kb), runs in results.items():
        med = lambda k: statistics.median(r[k] for r in runs)
        print(f"  {kind:9} {med(0):7.3f} s  CPU {med(1):6.2f} s  peak RSS {med(2):5.0f} MB  {kb}")


if __name__ == "__main__":
    main()
