"""Throughput and peak memory of the age container, encrypt and decrypt, file to file.

Run by hand (not part of the test suite):

    .venv/bin/python benchmarks/bench_container.py --mb 1024

Each direction runs in a fresh subprocess, so its peak RSS (``ru_maxrss``) is its own. A third
subprocess that only imports the modules gives the baseline RSS to compare against. Files live
in a temporary folder (``--tmp`` to choose where, e.g. ``/dev/shm`` to leave the disk out);
the decrypted output is checked against the input by SHA-256 at the end. Dirty pages are
synced before each direction, so one direction's writeback does not slow the next.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from dcmscrub import keys
from dcmscrub.age import decrypt, encrypt

MB = 1024 * 1024


def child(direction: str, folder: Path) -> None:
    """One measurement in this process; prints one JSON line."""
    identity = keys.read_identity_file(folder / "identity.txt")[0]
    start = time.perf_counter()
    size = 0
    if direction == "encrypt":
        with open(folder / "plain.bin", "rb") as src, open(folder / "data.age", "wb") as dst:
            size = encrypt(src, dst, [identity.recipient])
    elif direction == "decrypt":
        with open(folder / "data.age", "rb") as src, open(folder / "out.bin", "wb") as dst:
            size = decrypt(src, dst, [identity])
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"direction": direction, "bytes": size, "seconds": seconds, "peak_rss_kib": peak_kib}))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(MB):
            digest.update(block)
    return digest.hexdigest()


def run_child(direction: str, folder: Path) -> dict[str, float]:
    os.sync()  # start each direction with no dirty pages from the previous one being written back
    out = subprocess.run(
        [sys.executable, __file__, "--child", direction, "--tmp", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="payload size in MiB (default 1024)")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the temporary files")
    parser.add_argument("--child", choices=["encrypt", "decrypt", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tmp)
        return
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="bench-age-") as name:
        folder = Path(name)
        keys.write_secret_file(
            folder / "identity.txt", keys.format_identity_file(keys.generate_identity(), datetime.now(UTC))
        )
        with open(folder / "plain.bin", "wb") as fh:
            for _ in range(args.mb):
                fh.write(os.urandom(MB))
        results = [run_child(d, folder) for d in ("baseline", "encrypt", "decrypt")]
        same = sha256_file(folder / "plain.bin") == sha256_file(folder / "out.bin")
    print(f"payload: {args.mb} MiB; round trip identical: {same}")
    for r in results:
        rss = r["peak_rss_kib"] / 1024
        if r["direction"] == "baseline":
            print(f"baseline (imports only): peak RSS {rss:.1f} MiB")
            continue
        rate = r["bytes"] / 1e6 / r["seconds"]
        print(f"{r['direction']}: {r['seconds']:.2f} s, {rate:.0f} MB/s, peak RSS {rss:.1f} MiB")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
