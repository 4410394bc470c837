"""Times one command the way the benchmarks report it: wall time, CPU time
(user + system, the command's and its children's) and peak RSS.

The command's output goes to temporary files, not pipes, so a command
that writes a lot (kb's warnings on a large corpus) cannot fill a pipe
and block while the benchmark waits for it to end.
"""

import os
import subprocess
import sys
import tempfile
import time


def timed(cmd):
    """Runs `cmd`; gives (wall s, CPU s, peak RSS MB, stdout text). Exits
    with the command's stderr when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err.read().decode()[:2000]}")
        out.seek(0)
        text = out.read().decode().strip()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text
