"""What the vocabulary rule of ``clean`` costs a whole scrub run: two source trees, alternating.

    git archive <old commit> src | tar -x -C /tmp/before
    python benchmarks/bench_clean_scrub.py --before /tmp/before/src [--files 999] [--rounds 5]

Makes ``--files`` small files from sample_data's first patient (each with its own SOP Instance UID;
they carry a description, comments and a request reason for ``clean``), then runs
``python -m dcmscrub scrub --profile research-longitudinal --no-encrypt -j 1`` over them with
``PYTHONPATH`` set to the ``--before`` tree and to this checkout's ``src`` in turn, ``--rounds``
times, and prints each run's seconds (from ``--json``) and the medians. Small files are the worst
case: the text is a large share of the work per file. Write the numbers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pydicom

ROOT = Path(__file__).resolve().parents[1]


def make_inputs(folder: Path, count: int) -> None:
    sources = []
    for path in sorted((ROOT / "sample_data" / "DOE_JANE_FAKE-MRN-0001").rglob("*.dcm")):
        try:
            sources.append(pydicom.dcmread(path))
        except pydicom.errors.InvalidDicomError:
            continue
    folder.mkdir(parents=True)
    for n in range(count):
        ds = sources[n % len(sources)]
        uid = ds.SOPInstanceUID
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = f"{uid}.{n}"
        ds.save_as(folder / f"f{n:05d}.dcm")
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = uid


def one_run(src: Path, inputs: Path, work: Path) -> tuple[float, float]:
    """(wall seconds from --json, CPU seconds of the scrub process: user + system)."""
    out, log = work / "out", work / "log"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(log, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "dcmscrub", "scrub", str(inputs), "--out", str(out), "--no-encrypt",
         "-p", "research-longitudinal", "-j", "1", "--log", str(log / "audit.jsonl"), "--json", "-q"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    return float(json.loads(done.stdout)["seconds"]), used


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--before", type=Path, required=True, help="the src folder of the older build")
    parser.add_argument("--files", type=int, default=999)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        make_inputs(work / "in", args.files)
        times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
        for r in range(args.rounds):
            for name, src in (("before", args.before), ("after", ROOT / "src")):
                times[name].append(one_run(src, work / "in", work))
                wall, cpu = times[name][-1]
                print(f"round {r + 1} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    for i, what in ((0, "wall"), (1, "CPU")):  # CPU time: less moved by other work on the machine
        before = statistics.median(t[i] for t in times["before"])
        after = statistics.median(t[i] for t in times["after"])
        print(
            f"median {what} over {args.rounds} rounds, {args.files} files: before {before:.2f} s "
            f"({before / args.files * 1000:.2f} ms/file), after {after:.2f} s "
            f"({after / args.files * 1000:.2f} ms/file), after/before {after / before:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
