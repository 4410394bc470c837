#!/usr/bin/env python3
"""The floor of a fresh build's writes: make the folders and files of a
built site again, with the fewest system calls (one mkdir per folder; one
open, one write and one close per file), and time it.

Usage: bench/floor.py SITE_OUTPUT [--runs 5]

Reads every file of SITE_OUTPUT (a folder `kb build` wrote) into memory,
then RUNS times makes a copy of it in a new folder beside it, timed; the
copies are deleted at the end (see bench.py on why not between runs).
Run it under `strace -c -f` to count its calls against kb's.
"""
import argparse
import os
import shutil
import statistics
import tempfile
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("site")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    folders, files = [], []
    for d, dirs, names in os.walk(args.site):
        rel = os.path.relpath(d, args.site)
        folders.extend(os.path.normpath(os.path.join(rel, x)) for x in sorted(dirs))
        for name in names:
            with open(os.path.join(d, name), "rb") as f:
                files.append((os.path.normpath(os.path.join(rel, name)), f.read()))
    scratch = tempfile.mkdtemp(prefix="floor-", dir=os.path.dirname(os.path.abspath(args.site)))
    walls = []
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        for i in range(args.runs):
            os.sync()
            root = os.path.join(scratch, str(i))
            t0 = time.perf_counter()
            os.mkdir(root)
            for folder in folders:
                os.mkdir(os.path.join(root, folder))
            for rel, data in files:
                fd = os.open(os.path.join(root, rel), flags, 0o644)
                os.write(fd, data)
                os.close(fd)
            walls.append(time.perf_counter() - t0)
            print(f"floor: {walls[-1]:.3f} s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    size = sum(len(d) for _, d in files)
    print(f"floor median: {statistics.median(walls):.3f} s for {len(folders)} folders and "
          f"{len(files)} files ({size / 1e6:.0f} MB), {args.runs} runs")


if __name__ == "__main__":
    main()
