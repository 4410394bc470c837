#!/usr/bin/env python3
"""Measure `kb serve`: edit-to-reload latency and memory across rebuilds.

Usage: bench/serve.py SITE [--edits 20] [--rebuilds 0] [--kb target/release/kb]

Copies SITE (its content/, themes/ and site.toml) to a temporary folder and
runs `kb serve --port 0` there, on 127.0.0.1 only. Then, EDITS times: changes
one postmortem's title, and times the moment of the write until the `reload`
event arrives on /__kb/events, and until the edited page has been fetched
with the new title (waiting for a further reload when the first one came
from a rebuild that started before the write ended). Prints each edit and the medians,
and the median rebuild as the server timed it (after the watcher's 50 ms
debounce). With --rebuilds N it
then makes N more edits, waiting for each reload, and prints the server's
RSS after the first rebuild and after the last. The server is stopped at
the end.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 30


def get(addr, path):
    host, port = addr.split(":")
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


class Events:
    def __init__(self, addr):
        host, port = addr.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        self.sock.sendall(f"GET /__kb/events HTTP/1.1\r\nHost: {addr}\r\n\r\n".encode())
        self.buf = b""

    def next(self):
        while b"\n\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                sys.exit("the event stream closed")
            self.buf += data
        block, self.buf = self.buf.split(b"\n\n", 1)
        name = re.search(rb"^event: (.*)$", block, re.M)
        return name.group(1).decode() if name else None

    def wait_for(self, name):
        while True:
            if self.next() == name:
                return


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("site")
    p.add_argument("--edits", type=int, default=20)
    p.add_argument("--rebuilds", type=int, default=0)
    p.add_argument("--kb", default=os.path.join(HERE, "..", "target", "release", "kb"))
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="kb-serve-bench-")
    root = os.path.join(tmp, "kb")
    os.mkdir(root)
    for name in ("content", "themes"):
        if os.path.isdir(os.path.join(args.site, name)):
            shutil.copytree(os.path.join(args.site, name), os.path.join(root, name))
    if os.path.isfile(os.path.join(args.site, "site.toml")):
        shutil.copy(os.path.join(args.site, "site.toml"), root)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "content"))
                   for f in fs if f.endswith(".md"))
    target = next(f for f in files if re.search(r'^title = ".*"$', open(f).read(), re.M)
                  and 'status = "draft"' not in open(f).read())
    slug = re.sub(r"[^0-9a-z]+", "-", os.path.splitext(os.path.basename(target))[0].lower()).strip("-")
    original = open(target).read()
    server = subprocess.Popen([args.kb, "--root", root, "serve", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        t0 = time.perf_counter()
        addr = None
        for line in server.stdout:
            m = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
            if m:
                addr = m.group(1)
                break
        print(f"first build and start: {time.perf_counter() - t0:.3f} s")
        # The server's own account of each rebuild (`kb: built ... in N ms`):
        # the watcher's debounce comes before it, the reload event after.
        rebuild_ms = []

        def read_rebuilds():
            for line in server.stdout:
                m = re.search(r"^kb: built .* in (\d+) ms", line)
                if m:
                    rebuild_ms.append(int(m.group(1)))

        threading.Thread(target=read_rebuilds, daemon=True).start()
        events = Events(addr)
        events.wait_for("status")
        reload_ms, page_ms = [], []

        def edit(i):
            text = re.sub(r'^title = "(.*)"$', lambda m: f'title = "Edited {i} {m.group(1)}"', original, count=1, flags=re.M)
            start = time.perf_counter()
            with open(target, "w") as f:
                f.write(text)
            events.wait_for("reload")
            return start, time.perf_counter()

        rss_first = None
        for i in range(args.edits):
            start, reloaded = edit(i)
            body = get(addr, f"/incidents/{slug}/")
            # The editor's write can reach the watcher as two changes (the
            # truncation, then the text): the first reload may predate it.
            while f"Edited {i} " not in body and time.perf_counter() - start < TIMEOUT:
                events.wait_for("reload")
                reloaded = time.perf_counter()
                body = get(addr, f"/incidents/{slug}/")
            done = time.perf_counter()
            if f"Edited {i} " not in body:
                sys.exit(f"edit {i}: the page does not show the edit")
            reload_ms.append((reloaded - start) * 1000)
            page_ms.append((done - start) * 1000)
            print(f"edit {i:2}: reload event {reload_ms[-1]:6.1f} ms, new page {page_ms[-1]:6.1f} ms")
            if rss_first is None:
                rss_first = rss_kib(server.pid)
            time.sleep(0.05)
        if reload_ms:
            print(f"median of {len(reload_ms)} edits: reload event {statistics.median(reload_ms):.1f} ms, "
                  f"new page {statistics.median(page_ms):.1f} ms (max {max(page_ms):.1f} ms)")
        if rebuild_ms:
            print(f"median of {len(rebuild_ms)} rebuilds, as the server timed them: "
                  f"{statistics.median(rebuild_ms)} ms (max {max(rebuild_ms)} ms)")
        if args.rebuilds:
            rss_first = rss_first or rss_kib(server.pid)
            for i in range(args.rebuilds):
                edit(args.edits + i)
                if (i + 1) % 250 == 0:
                    print(f"after {args.edits + i + 1} rebuilds: RSS {rss_kib(server.pid) / 1024:.1f} MiB")
            print(f"RSS after the first rebuild {rss_first / 1024:.1f} MiB, after "
                  f"{args.edits + args.rebuilds} rebuilds {rss_kib(server.pid) / 1024:.1f} MiB")
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
