#!/usr/bin/env python3
"""Time `kb build` on a synthetic knowledge base of N postmortems.

Usage: bench/bench.py N [--runs 5] [--kb target/release/kb] [--dir bench/out/N]

Generates the knowledge base (bench/gen.py) unless it exists, then runs
`kb build` RUNS times into new, never-used output folders (cold builds, as
on a fresh CI machine: no parse cache either), then RUNS times into the same
folder (warm builds: only changed files are written, and only changed
postmortems parsed, with the parse cache the previous build left), each
followed by one with `--no-cache` (warm, no cache: every postmortem parsed).
Prints every run's wall time and peak RSS, and the medians.

The cold builds' folders are deleted only at the end: on ext4, creating
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
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(kb, site, out, *extra):
    t0 = time.perf_counter()
    proc = subprocess.Popen([kb, "--root", site, "build", "-o", out, *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode()
    line = proc.stdout.read().decode().strip()
    if proc.returncode not in (0, None) and "error" in err:
        sys.exit(f"kb build failed:\n{err[:2000]}")
    return wall, usage.ru_maxrss / 1024, line


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--kb", default=os.path.join(HERE, "..", "target", "release", "kb"))
    p.add_argument("--dir")
    args = p.parse_args()
    site = args.dir or os.path.join(HERE, "out", str(args.n))
    if not os.path.isdir(os.path.join(site, "content")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(args.n), site], check=True)
    out = os.path.join(site, "public")
    results = {"cold": [], "warm": [], "warm, no cache": []}
    scratch = tempfile.mkdtemp(prefix="cold-", dir=site)
    try:
        for i in range(args.runs):
            subprocess.run(["sync"], check=False)
            results["cold"].append(run(args.kb, site, os.path.join(scratch, f"public-{i}")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # Both trees of the output (it and its hidden sibling) exist before
    # the first timed warm build.
    for _ in range(2):
        run(args.kb, site, out)
    # Alternated, so that a change in the machine's speed hits both alike.
    for i in range(args.runs):
        results["warm"].append(run(args.kb, site, out))
        results["warm, no cache"].append(run(args.kb, site, out, "--no-cache"))
    for kind, runs in results.items():
        for wall, rss, line in runs:
            print(f"{kind}: {wall:.3f} s, peak RSS {rss:.0f} MB  [{line}]")
        walls = [w for w, _, _ in runs]
        rsss = [r for _, r, _ in runs]
        print(f"{kind} median: {statistics.median(walls):.3f} s, peak RSS median {statistics.median(rsss):.0f} MB"
              f" ({args.n} postmortems, {len(runs)} runs)")


if __name__ == "__main__":
    main()
