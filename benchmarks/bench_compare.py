#!/usr/bin/env python3
"""Two builds of dcmscrub side by side on one corpus: does a change make a run slower?

    .venv/bin/python benchmarks/bench_compare.py --a /path/to/old/.venv/bin/python \\
        --b .venv/bin/python --corpus /tmp/corpus/small-many [--rounds 5] [--encrypt] [-j 1]
    .venv/bin/python benchmarks/bench_compare.py ... --instructions --limit 200

Each round runs ``scrub`` once with A and once with B, in alternating order (ABBA...), into fresh
output folders, so a slow spell of a shared host falls on both sides. It reports per side the
median wall time and the median CPU time (user + system of the run's processes), and B/A. With
``--instructions`` it instead runs each side once under ``valgrind --tool=callgrind`` (on the first
``--limit`` files, -j 1) and reports instruction counts: repeatable whatever else the machine does.
A JSON summary goes to stdout. The corpus comes from benchmarks/harness/make_corpus.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def keys(folder: Path, python: str) -> tuple[Path, str]:
    """A linkage key and an age recipient, made by ``python``'s dcmscrub."""
    link, ident = folder / "link.key", folder / "id.key"
    if not link.exists():
        subprocess.run(
            [python, "-m", "dcmscrub", "keygen", "--linkage", "-o", str(link)],
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            [python, "-m", "dcmscrub", "keygen", "-o", str(ident)], check=True, capture_output=True, text=True
        )
        (folder / "recipient").write_text(out.stdout.strip().splitlines()[-1])
    return link, (folder / "recipient").read_text().strip()


def scrub_args(python: str, corpus: Path, out: Path, scratch: Path, args: argparse.Namespace) -> list[str]:
    link, recipient = keys(scratch, python)
    cmd = [python, "-m", "dcmscrub", "scrub", str(corpus), "--out", str(out), "--quiet", "-j", str(args.jobs)]
    cmd += ["--linkage-key", str(link), "--log", str(scratch / f"audit-{out.name}.jsonl")]
    cmd += ["-r", recipient] if args.encrypt else ["--no-encrypt"]
    return cmd


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child processes) of one run; exit 0 or 3 accepted."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 3):
        raise SystemExit(f"run failed ({result.returncode}): {result.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compare_times(args: argparse.Namespace, scratch: Path) -> dict[str, object]:
    sides = {"A": args.a, "B": args.b}
    times: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
    for r in range(args.rounds):
        order = ["A", "B"] if r % 2 == 0 else ["B", "A"]
        for side in order:
            out = scratch / f"out-{side}-{r}"
            wall, cpu = timed(scrub_args(sides[side], args.corpus, out, scratch, args))
            times[side].append((wall, cpu))
            print(f"round {r} {side}: wall {wall:.2f} s, cpu {cpu:.2f} s", file=sys.stderr)
            shutil.rmtree(out)
            subprocess.run(["sync"], check=False)
    med = {
        s: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for s, t in times.items()
    }
    return {
        "wall_s": {s: round(m[0], 3) for s, m in med.items()},
        "cpu_s": {s: round(m[1], 3) for s, m in med.items()},
        "b_over_a_wall": round(med["B"][0] / med["A"][0], 3),
        "b_over_a_cpu": round(med["B"][1] / med["A"][1], 3),
        "rounds": {s: [[round(w, 3), round(c, 3)] for w, c in t] for s, t in times.items()},
    }


def compare_instructions(args: argparse.Namespace, scratch: Path) -> dict[str, object]:
    subset = scratch / "subset"
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())[: args.limit]
    for p in files:
        dst = subset / p.relative_to(args.corpus)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p, dst)
    counts = {}
    for side, python in (("A", args.a), ("B", args.b)):
        out = scratch / f"cg-out-{side}"
        cmd = scrub_args(python, subset, out, scratch, argparse.Namespace(**{**vars(args), "jobs": 1}))
        cg = scratch / f"callgrind-{side}.out"
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", *cmd],
            capture_output=True,
            text=True,
        )
        found = re.findall(r"Collected : (\d+)", run.stderr)
        if not found:
            raise SystemExit(f"callgrind gave no count for {side}: {run.stderr[-500:]}")
        counts[side] = int(found[-1])
        print(f"{side}: {counts[side]:,} instructions for {len(files)} files", file=sys.stderr)
    return {"instructions": counts, "files": len(files), "b_over_a": round(counts["B"] / counts["A"], 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True, help="python of build A (the baseline)")
    ap.add_argument("--b", required=True, help="python of build B (the change)")
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--jobs", "-j", type=int, default=1)
    ap.add_argument("--encrypt", action="store_true", help="encrypted outputs (default: --no-encrypt)")
    ap.add_argument(
        "--instructions", action="store_true", help="callgrind instruction counts instead of time"
    )
    ap.add_argument("--limit", type=int, default=200, help="files for --instructions")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        scratch = Path(tmp)
        os.chmod(scratch, 0o700)
        result = compare_instructions(args, scratch) if args.instructions else compare_times(args, scratch)
    result.update(
        corpus=str(args.corpus),
        jobs=args.jobs,
        encrypt=args.encrypt,
        date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
