#!/usr/bin/env python3
"""Damage real files at random and count the outcomes: any ``internal`` is a bug.

Every Part 10 file (``DICM`` at byte 128, under 3 MB) found under the given folders is mutated
``--per-file`` times on average (files drawn at random): a few bytes of the first 4 KiB replaced,
a 4-byte window set to 0, FFFFFFFF, an item tag or random bytes (a length, often), bytes inserted
or zeroed, or the file cut short. Each mutant goes through the worker (read, engine, encode, the
gate) exactly as ``scrub`` runs it, plain output, one process. Prints the count of each outcome
reason and, for each internal error, the source file, the mutation and the end of its traceback;
keeps the mutants that caused one in the work folder. Exit status 1 when there was one.

    python tools/fuzz_outcomes.py DIR... [--seed 1] [--per-file 4] [--profile basic]

``--profile`` takes a built-in name or a YAML file (``burned_in: allow`` reaches the encoder for
files the pixel step would hold back).
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import traceback
from pathlib import Path

from dcmscrub.batch.sink import PlainSink
from dcmscrub.batch.walk import InputFile
from dcmscrub.batch.worker import Worker, WorkerSettings
from dcmscrub.profiles import load_profile

_WINDOWS = (b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\xfe\xff\x00\xe0")


def find_files(roots: list[Path]) -> list[Path]:
    """The Part 10 files under ``roots`` (sorted, so a seed means the same mutants)."""
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and path.stat().st_size < 3_000_000:
                with path.open("rb") as fh:
                    if fh.read(132)[128:132] == b"DICM":
                        found.append(path)
    return sorted(found)


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One random mutation of ``data`` (a Part 10 file) and its kind."""
    out = bytearray(data)
    end = min(len(out), 4096)
    kind = rng.choice(["flip", "flip", "cut", "length", "insert", "zero"])
    if kind == "flip":
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(132, end)] = rng.randrange(256)
    elif kind == "cut":
        del out[rng.randrange(132, len(out)) :]
    elif kind == "length":
        at = rng.randrange(132, end - 4)
        out[at : at + 4] = rng.choice([*_WINDOWS, rng.randbytes(4)])
    elif kind == "insert":
        at = rng.randrange(132, end)
        out[at:at] = rng.randbytes(rng.randint(1, 16))
    else:
        at, size = rng.randrange(132, end), rng.randint(1, 64)
        out[at : at + size] = bytes(size)
    return kind, bytes(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=4)
    parser.add_argument("--profile", default="basic")
    args = parser.parse_args(argv)
    files = find_files(args.roots)
    if not files:
        print("no Part 10 files found", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    inbox = work / "in"
    inbox.mkdir()
    settings = WorkerSettings(
        work / "out", load_profile(args.profile), bytes(range(32)), PlainSink(), True, "fuzz", True, gate=True
    )
    worker = Worker(settings)
    counts: collections.Counter[str] = collections.Counter()
    bugs = []
    for n in range(args.per_file * len(files)):
        source = rng.choice(files)
        kind, data = mutate(source.read_bytes(), rng)
        path = inbox / "in.dcm"
        path.write_bytes(data)
        try:
            result = worker.process(n, InputFile(inbox, path, "in.dcm", len(data)))
            reason, debug = str(result.reason or "written"), result.debug or ""
            if result.temp:
                Path(result.temp).unlink(missing_ok=True)
        except Exception:  # a crash outside the worker's own error handling: also a bug
            reason, debug = "internal", traceback.format_exc()
        counts[reason] += 1
        if reason == "internal":
            bugs.append((source, kind, debug))
            (work / f"internal-{n}.dcm").write_bytes(data)
    print(f"{sum(counts.values())} mutants of {len(files)} files, profile {args.profile}, seed {args.seed}")
    for reason, count in counts.most_common():
        print(f"  {reason}: {count}")
    for source, kind, debug in bugs:
        print(f"internal: {source} ({kind}): {debug[-400:]!r}")
    if bugs:
        print(f"mutants kept in {work}")
    return 1 if bugs else 0


if __name__ == "__main__":
    raise SystemExit(main())
