"""How long `log verify` takes on a large log, and what memory it needs.

Builds a log of ``--runs`` runs of ``--files`` file records each (the records a scrub run
writes, signed checkpoints, each run_end anchored in a witness file), then times
``dcmscrub log verify LOG --pubkey KEY --anchors WITNESS`` in a subprocess, ``--repeat`` times,
and prints one JSON object: lines, MB, seconds of each verify, lines per second, peak RSS.

    .venv/bin/python benchmarks/bench_verify.py [--runs 100] [--files 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dcmscrub.audit.anchor import WitnessFile
from dcmscrub.audit.log import AuditLog
from dcmscrub.keys.signing import audit_public_key_str


def build(path: Path, witness: Path, runs: int, files: int, signer: Ed25519PrivateKey) -> None:
    log = AuditLog(path, digest_key=bytes(32), signer=signer, anchors=[WitnessFile(witness)])
    for number in range(runs):
        run_id = f"bench-run-{number}"
        log.append("run_start", run_id, {"command": "scrub", "args": {"jobs": 2}})
        for start in range(0, files, 1000):
            batch = []
            for index in range(start, min(files, start + 1000)):
                digest = hashlib.sha256(f"{number}/{index}".encode()).hexdigest()
                batch.append(
                    {
                        "input": digest,
                        "output": f"P{digest[:16].upper()}/2.25.1{index}/2.25.2{index}/2.25.3{index}.dcm.age",
                        "output_sha256": digest,
                        "outcome": "written",
                        "error_code": None,
                        "bytes_in": 524288,
                        "bytes_out": 524688,
                        "ms": 12,
                    }
                )
            log.append_many("file", run_id, batch)
        counts = {"written": files, "total": files}
        log.append("run_end", run_id, {"counts": counts, "status": "ok", "exit_code": 0})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    signer = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        log, witness, pub = Path(tmp) / "audit.jsonl", Path(tmp) / "anchors.txt", Path(tmp) / "audit.pub"
        t0 = time.perf_counter()
        build(log, witness, args.runs, args.files, signer)
        built = time.perf_counter() - t0
        pub.write_text(audit_public_key_str(signer.public_key()) + "\n")
        lines = sum(1 for _ in log.open("rb"))
        seconds = []
        for _ in range(args.repeat):
            t1 = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "dcmscrub",
                    "log",
                    "verify",
                    str(log),
                    "--pubkey",
                    str(pub),
                    "--anchors",
                    str(witness),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds.append(round(time.perf_counter() - t1, 2))
            if done.returncode != 0:
                sys.exit(done.stderr)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size_mb = log.stat().st_size / 1e6
    print(
        json.dumps(
            {
                "runs": args.runs,
                "files_per_run": args.files,
                "lines": lines,
                "mb": round(size_mb, 1),
                "build_seconds": round(built, 1),
                "verify_seconds": seconds,
                "lines_per_second": round(lines / min(seconds)),
                "peak_rss_mib": round(peak, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
