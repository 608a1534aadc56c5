#!/usr/bin/env python3
"""Peak memory of `dcmscrub scrub` with and without an escrow, over many tiny files.

    .venv/bin/python benchmarks/bench_escrow_memory.py [--files 10000 100000] [--tmp /tmp] [--keep]

For each N it writes N tiny DICOM files (about 1.5 kB: a small CT header and 8x8 pixels; 100
files per patient and study, 20 per series, so the escrow sees repeats as a real tree gives them)
into a fresh folder under --tmp, then scrubs the tree twice with `-j 1 --no-encrypt` (one process
does everything, so its peak RSS is the run's): once without an escrow, once with `--escrow`. Each
run is timed from outside with `os.wait4` (wall, user+sys, `ru_maxrss`); a thread also samples the
process's VmRSS from /proc every 0.2 s, and the RSS at 25, 50, 75 and 100 % of the run shows whether
memory grows while files go through. Prints one JSON line per run. The escrow run's escrow is
checked to hold one sop_uid row per output. Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import pydicom
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from dcmscrub.escrow.reader import read_escrow
from dcmscrub.keys import read_identity_file

UID_ROOT = "1.2.826.0.1.3680043.10.1426.99"
WIDTH = 9  # digits of every counter: every file has the same length


def _template() -> bytes:
    """A tiny CT file whose varying values are fixed-width placeholders."""
    warnings.simplefilter("ignore")  # the placeholders are not valid UIDs until filled in
    ds = pydicom.Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.file_meta.MediaStorageSOPInstanceUID = f"{UID_ROOT}.3.{'S' * WIDTH}"
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = f"{UID_ROOT}.1.{'T' * WIDTH}"
    ds.SeriesInstanceUID = f"{UID_ROOT}.2.{'R' * WIDTH}"
    ds.PatientID = f"BENCH-{'P' * WIDTH}"
    ds.IssuerOfPatientID = "BENCH"
    ds.PatientName = f"BENCH^{'N' * WIDTH}"
    ds.AccessionNumber = f"A{'C' * WIDTH}"
    ds.PatientBirthDate = "19700101"
    ds.StudyDate = ds.SeriesDate = "20240115"
    ds.Modality = "CT"
    ds.Rows = ds.Columns = 8
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.SamplesPerPixel, ds.PixelRepresentation = 1, 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = bytes(8 * 8 * 2)
    ds.FrameOfReferenceUID = generate_uid(prefix=f"{UID_ROOT}.4.")
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def make_tree(folder: Path, count: int) -> None:
    """``count`` files: patient and study every 100 files, series every 20, one SOP instance each."""
    template = _template()
    for i in range(count):
        data = template
        for mark, value in ((b"S", i), (b"T", i // 100), (b"R", i // 20), (b"P", i // 100), (b"N", i // 100)):
            # a leading 1: no UID component may start with 0
            data = data.replace(mark * WIDTH, ("1" + str(value).zfill(WIDTH - 1)).encode("ascii"))
        data = data.replace(b"C" * WIDTH, str(i // 100).zfill(WIDTH).encode("ascii"))
        sub = folder / f"p{i // 100:06d}"
        if i % 100 == 0:
            sub.mkdir(parents=True)
        (sub / f"{i:09d}.dcm").write_bytes(data)


def _sample(pid: int, samples: list[tuple[float, int]], done: threading.Event) -> None:
    start = time.perf_counter()
    while not done.is_set():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    samples.append((time.perf_counter() - start, int(line.split()[1])))
        except OSError:
            return
        done.wait(0.2)


def timed(cmd: list[str]) -> dict[str, object]:
    """Run ``cmd``; wall, CPU, peak RSS (MiB) and the sampled RSS at 25/50/75/100 % of the run."""
    samples: list[tuple[float, int]] = []
    done = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = threading.Thread(target=_sample, args=(proc.pid, samples, done), daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    stdout = proc.stdout.read() if proc.stdout else b""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"bench_escrow_memory: scrub exited {code}: {err}")
    at = {}
    for pct in (25, 50, 75, 100):
        cut = wall * pct / 100
        before = [kib for t, kib in samples if t <= cut]
        at[f"rss_mib_at_{pct}pct"] = round(max(before) / 1024, 1) if before else None
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        **at,
        "summary": json.loads(stdout),
    }


def _sop_rows(path: Path, identity: Path) -> int:
    count = [0]

    def row(r: object) -> None:
        count[0] += getattr(r, "kind", "") == "sop_uid"

    read_escrow(path, read_identity_file(identity), row)
    return count[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--dcmscrub", default=f"{shlex.quote(sys.executable)} -m dcmscrub")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and outputs")
    a = ap.parse_args()
    dcmscrub = shlex.split(a.dcmscrub)
    for count in a.files:
        work = Path(tempfile.mkdtemp(prefix=f"dcmscrub-bench-escrow-{count}-", dir=a.tmp))
        try:
            t0 = time.perf_counter()
            make_tree(work / "in", count)
            made = time.perf_counter() - t0
            keys = work / "keys"
            keys.mkdir(mode=0o700)
            subprocess.run(
                [*dcmscrub, "keygen", "--linkage", "-o", str(keys / "l.key")], check=True, capture_output=True
            )
            broker = subprocess.run(
                [*dcmscrub, "keygen", "-o", str(keys / "broker.key")],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            base = [*dcmscrub, "scrub", str(work / "in"), "--no-encrypt", "-j", "1", "--quiet", "--json"]
            base += ["--linkage-key", str(keys / "l.key"), "--log", str(work / "audit.jsonl")]
            for escrow in (False, True):
                os.sync()
                extra = ["--escrow", broker, "--escrow-out", str(work / "vault")] if escrow else []
                result = timed(
                    [*base, "--out", str(work / ("out-escrow" if escrow else "out-plain")), *extra]
                )
                summary = result.pop("summary")
                assert isinstance(summary, dict)
                if escrow:
                    path = Path(str(summary["escrow"]))
                    result["escrow_bytes"] = path.stat().st_size
                    result["escrow_sop_rows"] = _sop_rows(path, keys / "broker.key")
                    if result["escrow_sop_rows"] != summary["counts"]["written"]:
                        raise SystemExit("bench_escrow_memory: the escrow lacks rows")
                line = {"files": count, "escrow": escrow, "written": summary["counts"]["written"], **result}
                print(json.dumps(line), flush=True)
            print(f"bench_escrow_memory: {count} files made in {made:.1f} s under {work}", file=sys.stderr)
        finally:
            if not a.keep:
                shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
