"""What the residual-identifier gate costs per file: the worker with the gate on and off, side by side.

Run by hand (a smoke run is part of the test suite):

    .venv/bin/python benchmarks/bench_gate.py                   # small-many and ct-series, 7 rounds
    .venv/bin/python benchmarks/bench_gate.py --rounds 3 --files 50

A generated corpus (benchmarks/harness/make_corpus.py: its small-many shape, 64x64 MR, and a
ct-series shape with 256x256 slices, fewer files than the harness's) is scrubbed by the real
per-file pipeline (``Worker.process``: read, engine, encode, gate, write through a plain sink into
a temporary folder), with the gate on and off in alternating rounds (on, off, off, on, ...), so
drift of a shared machine falls on both. CPU time (``time.process_time``) is measured, not wall
time, so the disk's writeback does not count. It prints, per shape and profile, the median CPU
milliseconds per file of each mode, the min-max of the rounds, and the median of the same-round
ratios on/off.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from dcmscrub.batch.sink import PlainSink
from dcmscrub.batch.walk import InputFile
from dcmscrub.batch.worker import Worker, WorkerSettings
from dcmscrub.profiles import load_profile

HERE = Path(__file__).resolve().parent
KEY = bytes(range(32))
SHAPES = {
    "small-many": ["--sm-patients", "10", "--sm-slices", "5"],
    "ct-series": ["--ct-patients", "2", "--ct-slices", "10", "--ct-size", "256"],
}


def make_corpus(root: Path, shapes: list[str]) -> None:
    args = [sys.executable, str(HERE / "harness" / "make_corpus.py"), *shapes, "--out", str(root)]
    for shape in shapes:
        args += SHAPES[shape]
    subprocess.run(args, check=True, capture_output=True)


def one_round(files: list[InputFile], profile: str, gate: bool, scratch: Path) -> float:
    """CPU seconds per file for one pass over ``files``."""
    out = scratch / f"out-{gate}"
    shutil.rmtree(out, ignore_errors=True)
    worker = Worker(WorkerSettings(out, load_profile(profile), KEY, PlainSink(), True, "b", False, gate=gate))
    start = time.process_time()
    for i, item in enumerate(files):
        result = worker.process(i, item)
        if result.outcome != "written":
            raise SystemExit(f"{item.relpath}: {result.outcome} {result.reason}")
    return (time.process_time() - start) / len(files)


def measure(files: list[InputFile], profile: str, rounds: int, scratch: Path) -> dict[str, object]:
    on: list[float] = []
    off: list[float] = []
    one_round(files[:10], profile, True, scratch)  # warm up: imports, caches, the plan
    for r in range(rounds):
        order = (True, False) if r % 2 == 0 else (False, True)
        for gate in order:
            (on if gate else off).append(one_round(files, profile, gate, scratch))
    ratios = [a / b for a, b in zip(on, off, strict=True)]
    return {
        "gate_on_ms": round(statistics.median(on) * 1000, 3),
        "gate_on_range": [round(min(on) * 1000, 3), round(max(on) * 1000, 3)],
        "gate_off_ms": round(statistics.median(off) * 1000, 3),
        "gate_off_range": [round(min(off) * 1000, 3), round(max(off) * 1000, 3)],
        "ratio_median": round(statistics.median(ratios), 4),
        "ratio_range": [round(min(ratios), 4), round(max(ratios), 4)],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7, help="rounds of each mode (default 7)")
    ap.add_argument("--files", type=int, default=0, help="use at most this many files per shape (0: all)")
    ap.add_argument("--shapes", default="small-many,ct-series")
    ap.add_argument("--profiles", default="basic,research-longitudinal")
    ap.add_argument("--corpus", type=Path, help="an existing make_corpus.py output folder")
    a = ap.parse_args(argv)
    shapes = [s for s in a.shapes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="bench-gate-") as tmp:
        scratch = Path(tmp)
        corpus = a.corpus or scratch / "corpus"
        if a.corpus is None:
            make_corpus(corpus, shapes)
        report: dict[str, object] = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {platform.processor() or platform.system()}, "
            f"Python {platform.python_version()}",
            "rounds": a.rounds,
        }
        for shape in shapes:
            root = corpus / shape
            paths = sorted(p for p in root.rglob("*.dcm") if p.is_file())
            if a.files:
                paths = paths[: a.files]
            files = [InputFile(root, p, p.relative_to(root).as_posix(), p.stat().st_size) for p in paths]
            for profile in a.profiles.split(","):
                key = f"{shape} ({len(files)} files), {profile}"
                report[key] = measure(files, profile, a.rounds, scratch)
                print(key, json.dumps(report[key]), file=sys.stderr)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
