#!/usr/bin/env python3
"""Start-up cost of dcmscrub: wall and CPU time of N one-file `scrub` processes.

    .venv/bin/python benchmarks/bench_startup.py [--runs 15] [--dcmscrub CMD] [--file F]

CMD is how to start dcmscrub (default: this interpreter with ``-m dcmscrub``; quote a command
with arguments, e.g. ``--dcmscrub "/path/python -P -m dcmscrub"``). F is one DICOM file (default:
the first file of sample_data/). Each run scrubs F with ``-j 2 --no-encrypt --quiet`` and a
throwaway linkage key and log into a fresh temporary folder, timed from outside with
``os.wait4``. Prints the median and minimum of wall and user+sys seconds. Run it on an idle
machine; compare variants in the same session, several passes each.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--dcmscrub", default=f"{shlex.quote(sys.executable)} -m dcmscrub")
    ap.add_argument("--file", type=Path, default=None)
    a = ap.parse_args()
    sample = a.file or next(iter(sorted((REPO / "sample_data").rglob("*.dcm"))))
    with tempfile.TemporaryDirectory(prefix="dcmscrub-startup-") as tmp:
        work = Path(tmp)
        key = work / "linkage.key"
        subprocess.run(
            [*shlex.split(a.dcmscrub), "keygen", "--linkage", "-o", str(key)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cmd = [
            *shlex.split(a.dcmscrub),
            "scrub",
            str(sample),
            "--out",
            str(work / "out"),
            "-j",
            "2",
            "--no-encrypt",
            "--quiet",
            "--linkage-key",
            str(key),
            "--log",
            str(work / "audit.jsonl"),
        ]
        walls, cpus = [], []
        for _ in range(a.runs):
            shutil.rmtree(work / "out", ignore_errors=True)
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
            _pid, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - t0)
            cpus.append(usage.ru_utime + usage.ru_stime)
            if os.waitstatus_to_exitcode(status) != 0:
                print(f"bench_startup: scrub exited {os.waitstatus_to_exitcode(status)}", file=sys.stderr)
                return 1
    print(
        f"{a.runs} runs: wall median {statistics.median(walls):.3f} s (min {min(walls):.3f}), "
        f"cpu median {statistics.median(cpus):.3f} s (min {min(cpus):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
