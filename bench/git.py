#!/usr/bin/env python3
"""What reading git history costs a warm `kb build`.

Usage: bench/git.py N [--runs 5] [--kb target/release/kb] [--dir DIR] [--history]

Generates N postmortems (bench/gen.py) in DIR (default bench/out/git-N), a
git checkout of its own, committed in one commit; with --history, grown
instead as a team would over ten years: one commit per postmortem, then
3,000 edits and 300 renames among them, by 40 authors (git fast-import,
deterministic). Then times warm builds into one folder, RUNS of each kind
in turn: with the history kept by the last build (HEAD has not moved: git
is asked only for HEAD), reading the whole log (the kept history deleted
first, as on a first build or after a rebase), and with --no-git; prints
each run, the medians, and the `git log` alone.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys

import timing

HERE = os.path.dirname(os.path.abspath(__file__))
GIT_ENV = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
LOG = ["log", "--date-order", "--no-color", "--format=%x1e%H%x1f%m%x1f%aN%x1f%at%x1f%D",
       "--name-status", "-z", "-M", "--relative"]


def git(site, *args, **kw):
    return subprocess.run(["git", "-C", site, *args], env=GIT_ENV, check=True, **kw)


def one_commit(site):
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
        "commit", "-qm", "Postmortems")


def history_stream(site):
    """A fast-import stream: adds, then edits and renames mixed in."""
    files = sorted(os.path.relpath(os.path.join(d, f), site)
                   for d, _, fs in os.walk(os.path.join(site, "content")) for f in fs)
    rng = random.Random(21)
    events = [("add", f) for f in files]
    for kind, count in (("edit", 3000), ("rename", 300)):
        for _ in range(count):
            events.insert(rng.randrange(len(files) // 2, len(events) + 1), (kind, None))
    out = bytearray()
    t, step = 1451606400, (10 * 365 * 86400) // len(events)
    present, names = [], {}

    def data(b):
        out.extend(b"data %d\n" % len(b) + b + b"\n")

    for i, (kind, f) in enumerate(events):
        t += step
        who = f"Author {rng.randrange(40):02d}"
        out.extend(f"commit refs/heads/main\nauthor {who} <a{who[-2:]}@example.com> {t} +0000\n"
                   f"committer CI <ci@example.com> {t} +0000\n".encode())
        if kind == "add":
            data(f"Add {f}".encode())
            out.extend(f"M 100644 inline {f}\n".encode())
            data(open(os.path.join(site, f), "rb").read())
            present.append(f)
            names[f] = f
        elif kind == "edit":
            f = rng.choice(present)
            data(f"Edit {names[f]}".encode())
            out.extend(f"M 100644 inline {names[f]}\n".encode())
            data(open(os.path.join(site, f), "rb").read() + f"\nEdited in commit {i}.\n".encode())
        else:
            f = rng.choice(present)
            old, new = names[f], names[f][:-3] + "-r.md"
            data(f"Rename {old}".encode())
            out.extend(f'R "{old}" "{new}"\n'.encode())
            names[f] = new
    return bytes(out)


def grown(site):
    stream = history_stream(site)
    git(site, "init", "-q", "-b", "main")
    git(site, "fast-import", "--quiet", input=stream)
    git(site, "checkout", "-q", "-f", "main")
    git(site, "clean", "-qfdx", "content")
    git(site, "gc", "-q")


def timed(cmd):
    """Wall time and CPU time (user + system, the command's and its
    children's: kb's and git's), in seconds. On a shared machine the CPU
    time moves less than the wall time."""
    wall, cpu, _, _ = timing.timed(cmd)
    return wall, cpu


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--kb", default=os.path.join(HERE, "..", "target", "release", "kb"))
    p.add_argument("--dir")
    p.add_argument("--history", action="store_true")
    args = p.parse_args()
    kind = "history" if args.history else "one-commit"
    site = args.dir or os.path.join(HERE, "out", f"git-{kind}-{args.n}")
    if not os.path.isdir(os.path.join(site, ".git")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(args.n), site], check=True)
        (grown if args.history else one_commit)(site)
    commits = git(site, "rev-list", "--count", "HEAD", capture_output=True).stdout.decode().strip()
    # Builds with and without git make different pages: each kind has its
    # own output folder, so that every build is warm (nothing to rewrite).
    out = os.path.join(site, "..", os.path.basename(site) + "-public")
    build = [args.kb, "--root", site, "build", "-o", out]
    no_git = [args.kb, "--root", site, "build", "-o", out + "-no-git", "--no-git"]
    kept = os.path.join(os.path.dirname(out), "." + os.path.basename(out) + ".kb-history")
    timed(build)  # the first, cold builds
    timed(no_git)
    times = {"git, kept": [], "git, whole log": [], "no git": [], "git log alone": []}
    for i in range(args.runs):
        times["git, kept"].append(timed(build))
        os.remove(kept)
        times["git, whole log"].append(timed(build))
        times["no git"].append(timed(no_git))
        times["git log alone"].append(timed(["git", "-C", site, *LOG]))
        print(f"run {i + 1}: " + ", ".join(f"{k} {v[-1][0]:.3f} s ({v[-1][1]:.3f} s CPU)"
                                           for k, v in times.items()))
    print(f"{args.n} postmortems, {commits} commits; medians of {args.runs}:")
    for which, unit in ((0, "wall"), (1, "CPU")):
        med = {k: statistics.median(t[which] for t in v) for k, v in times.items()}
        base = med["no git"]
        print(f"  {unit}: " + ", ".join(f"{k} {v:.3f} s" for k, v in med.items()))
        for kind in ("git, kept", "git, whole log"):
            print(f"    {kind}: {med[kind] - base:+.3f} s, {(med[kind] - base) / base * 100:+.1f} %"
                  f" of a warm build without git")
        print(f"    git log alone: {med['git log alone'] / base * 100:.1f} % of it")


if __name__ == "__main__":
    main()
