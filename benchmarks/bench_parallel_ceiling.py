#!/usr/bin/env python3
"""How much faster can two processes be than one on this machine? A ceiling for `scrub -j 2`.

    .venv/bin/python benchmarks/bench_parallel_ceiling.py [--pairs 8] [--seconds 6] [--file F]

The workload is the CPU-bound part of dcmscrub's work on one file, with no disk I/O: the worker's
own steps (sniff, `read_header` up to the pixel data, predict the output names, `deidentify` with
the ``basic`` profile, `write_file` with the pixel bytes copied through), from memory to memory,
again and again. F is one DICOM file (default: the first Part 10 file of sample_data/). Each pair
of measurements times a fixed number of iterations in one process alone, then the same number in
each of two processes at once (forked, released together), and reports the throughput ratio
2 x t(one) / t(two). On a machine whose two cores do not slow each other that ratio is close to 2;
it bounds what `scrub -j 2` can gain on this CPU-bound part (a whole run can do better or worse:
-j 2 also overlaps the I/O waits that -j 1 sits through). The order within a pair alternates, so
a slow spell of the host is not always charged to the same side. Prints one line per pair on
stderr as it goes, then the median; a JSON summary on stdout. Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from dcmscrub import Profile, Pseudonymizer, deidentify, load_profile
from dcmscrub.deid.engine import output_ids
from dcmscrub.dicomio.read import quiet_pydicom, read_header
from dcmscrub.dicomio.sniff import sniff
from dcmscrub.dicomio.write import write_file

REPO = Path(__file__).resolve().parents[1]


def scrub_in_memory(data: bytes, profile: Profile, pseudonymizer: Pseudonymizer) -> bytes:
    """De-identify the DICOM file held in ``data`` as a worker does; return the written file."""
    src = io.BytesIO(data)
    out = io.BytesIO()
    with quiet_pydicom():
        header = read_header(src, len(data), sniff(data[:132]))
        output_ids(header.ds, profile, pseudonymizer)
        deidentify(header.ds, profile, pseudonymizer)
        write_file(out, header, src)
    return out.getvalue()


def make_engine() -> tuple[Profile, Pseudonymizer]:
    """The ``basic`` profile and a pseudonymizer under a fixed throwaway key."""
    profile = load_profile("basic")
    ps = profile.pseudonyms
    pseudonymizer = Pseudonymizer(
        b"\x01" * 32, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days
    )
    return profile, pseudonymizer


def default_file() -> Path:
    """The first file of sample_data/ with a DICOM Part 10 header (some there have none, on purpose)."""
    for path in sorted((REPO / "sample_data").rglob("*.dcm")):
        with path.open("rb") as fh:
            if fh.read(132)[128:] == b"DICM":
                return path
    raise SystemExit("no DICOM Part 10 file in sample_data/; give one with --file")


def _work(data: bytes, iterations: int, engine: tuple[Profile, Pseudonymizer]) -> None:
    for _ in range(iterations):
        scrub_in_memory(data, *engine)


def _timed(data: bytes, iterations: int, processes: int) -> float:
    """Wall seconds for ``processes`` forked processes, each doing ``iterations``, all at once."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(processes + 1, timeout=60)

    def run() -> None:
        engine = make_engine()  # before the start: only the iterations are timed
        start.wait()
        _work(data, iterations, engine)

    procs = [ctx.Process(target=run) for _ in range(processes)]
    for proc in procs:
        proc.start()
    try:
        start.wait()
    except threading.BrokenBarrierError:
        for proc in procs:
            proc.kill()
        raise SystemExit("a worker did not start") from None
    t0 = time.perf_counter()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - t0
    failed = [proc.exitcode for proc in procs if proc.exitcode != 0]
    if failed:
        raise SystemExit(f"a worker failed (exit {failed[0]})")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=8)
    ap.add_argument(
        "--seconds", type=float, default=6.0, help="about how long one process works per measurement"
    )
    ap.add_argument("--file", type=Path, default=None)
    a = ap.parse_args()
    sample = a.file or default_file()
    if a.pairs < 1 or a.seconds <= 0:
        ap.error("--pairs must be at least 1 and --seconds above 0")
    data = sample.read_bytes()
    profile, pseudonymizer = make_engine()
    scrub_in_memory(data, profile, pseudonymizer)  # warm up, then calibrate
    t0 = time.perf_counter()
    for _ in range(20):
        scrub_in_memory(data, profile, pseudonymizer)
    per_iteration = (time.perf_counter() - t0) / 20
    iterations = max(1, round(a.seconds / per_iteration))
    print(f"{sample.name}: {iterations} iterations per process, {os.cpu_count()} CPUs", file=sys.stderr)
    ratios, ones, twos = [], [], []
    for pair in range(a.pairs):
        order = (1, 2) if pair % 2 == 0 else (2, 1)
        times = {n: _timed(data, iterations, n) for n in order}
        ratio = 2 * times[1] / times[2]
        ratios.append(ratio)
        ones.append(times[1])
        twos.append(times[2])
        print(
            f"pair {pair}: one {times[1]:.2f} s, two at once {times[2]:.2f} s, ratio {ratio:.2f}",
            file=sys.stderr,
        )
    summary = {
        "file": sample.name,
        "iterations": iterations,
        "pairs": a.pairs,
        "one_s": ones,
        "two_s": twos,
        "ratio": ratios,
        "ratio_median": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
    }
    print(
        f"ratio median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})",
        file=sys.stderr,
    )
    json.dump(summary, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
