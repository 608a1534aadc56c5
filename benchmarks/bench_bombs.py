"""Hostile inputs: peak memory of a scrub run over a deflate bomb and declared-length bombs.

Writes the bombs and one ordinary file into a folder, runs ``dcmscrub scrub`` on it in a
subprocess (``-j 1`` by default) and reports, as one JSON object on stdout, the subprocess's peak
RSS (``ru_maxrss`` of the waited-for children: the run and its workers), the seconds it took
and the outcome of every file (from the run's audit log).

    .venv/bin/python benchmarks/bench_bombs.py [--inflate-mib 1024] [--jobs 1]

The bombs (each a few KiB to about 1 MiB on disk):

- ``deflate``: Deflated Explicit VR Little Endian whose data set inflates to ``--inflate-mib``
  MiB (one OB element of zeros);
- ``value``: an OB value whose length says 4 GiB - 16 in a 1 KiB file;
- ``value_fits``: an OB value of 200 MiB that is really there (a header larger than the cap);
- ``item``: a sequence item whose length says 4 GiB - 16;
- ``fragment``: an encapsulated pixel data fragment whose length says 4 GiB - 16.
"""

from __future__ import annotations

import argparse
import json
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pydicom
from pydicom.dataset import FileMetaDataset
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, JPEGBaseline8Bit

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
HUGE = 0xFFFFFFF0


def _meta(ts: str, sop: str) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = sop
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = "1.2.3.4"
    from pydicom.filebase import DicomBytesIO
    from pydicom.filewriter import write_file_meta_info

    buf = DicomBytesIO()
    buf.is_little_endian, buf.is_implicit_VR = True, False
    write_file_meta_info(buf, meta, enforce_standard=True)
    return b"\0" * 128 + b"DICM" + buf.getvalue()


def _el(group: int, elem: int, vr: bytes, value: bytes, length: int | None = None) -> bytes:
    """One explicit VR little endian element (``length`` may lie)."""
    n = len(value) if length is None else length
    if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
        return struct.pack("<HH2sHL", group, elem, vr, 0, n) + value
    return struct.pack("<HH2sH", group, elem, vr, n) + value


def _ids(sop: str) -> bytes:
    return (
        _el(0x0008, 0x0016, b"UI", b"1.2.840.10008.5.1.4.1.1.7\0")
        + _el(0x0008, 0x0018, b"UI", sop.encode().ljust(len(sop) + len(sop) % 2, b"\0"))
        + _el(0x0010, 0x0010, b"PN", b"BOMB^DEFLATE")
    )


def deflate_bomb(path: Path, inflate_mib: int) -> None:
    sop = "1.2.826.0.1.3680043.10.1426.99.1"
    body_head = _ids(sop) + struct.pack("<HH2sHL", 0x0009, 0x1010, b"OB", 0, inflate_mib << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    with path.open("wb") as out:
        out.write(_meta(DeflatedExplicitVRLittleEndian, sop))
        out.write(comp.compress(body_head))
        zeros = bytes(1 << 20)
        for _ in range(inflate_mib):
            out.write(comp.compress(zeros))
        out.write(comp.flush())


def value_bomb(path: Path) -> None:
    sop = "1.2.826.0.1.3680043.10.1426.99.2"
    body = _ids(sop) + _el(0x0009, 0x1010, b"OB", b"\0" * 1024, HUGE)
    path.write_bytes(_meta(ExplicitVRLittleEndian, sop) + body)


def value_fits(path: Path, mib: int = 200) -> None:
    sop = "1.2.826.0.1.3680043.10.1426.99.3"
    with path.open("wb") as out:
        out.write(_meta(ExplicitVRLittleEndian, sop) + _ids(sop))
        out.write(struct.pack("<HH2sHL", 0x0009, 0x1010, b"OB", 0, mib << 20))
        out.truncate(out.tell() + (mib << 20))  # sparse: 200 MiB of zeros that are really there


def item_bomb(path: Path) -> None:
    sop = "1.2.826.0.1.3680043.10.1426.99.4"
    item = struct.pack("<HHL", 0xFFFE, 0xE000, HUGE) + _el(0x0008, 0x0100, b"SH", b"CODE")
    end = struct.pack("<HHL", 0xFFFE, 0xE0DD, 0)  # the sequence ends: only the item's length lies
    body = _ids(sop) + _el(0x0008, 0x1140, b"SQ", b"", 0xFFFFFFFF) + item + end
    path.write_bytes(_meta(ExplicitVRLittleEndian, sop) + body)


def fragment_bomb(path: Path) -> None:
    sop = "1.2.826.0.1.3680043.10.1426.99.5"
    pixel = (
        struct.pack("<HH2sHL", 0x7FE0, 0x0010, b"OB", 0, 0xFFFFFFFF)
        + struct.pack("<HHL", 0xFFFE, 0xE000, 0)  # the basic offset table
        + struct.pack("<HHL", 0xFFFE, 0xE000, HUGE)
        + b"\xff\xd8" * 512
    )
    path.write_bytes(_meta(JPEGBaseline8Bit, sop) + _ids(sop) + pixel)


BOMBS = {
    "deflate": deflate_bomb,
    "value": value_bomb,
    "value_fits": value_fits,
    "item": item_bomb,
    "fragment": fragment_bomb,
}


def make_all(folder: Path, inflate_mib: int) -> list[Path]:
    """The bombs and an ordinary file (that must still be written) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in BOMBS.items():
        path = folder / f"bomb_{name}.dcm"
        if name == "deflate":
            deflate_bomb(path, inflate_mib)
        else:
            make(path)  # type: ignore[operator]
        paths.append(path)
    ds = pydicom.dcmread(SAMPLE)
    ds.save_as(folder / "zz_ordinary.dcm", enforce_file_format=True)
    return paths


def run(folder: Path, work: Path, jobs: int) -> dict[str, object]:
    """Scrub ``folder`` in a subprocess; its peak RSS, time and each file's outcome."""
    log = work / "state" / "audit.jsonl"
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dcmscrub",
            "scrub",
            str(folder),
            "--out",
            str(work / "out"),
            "--no-encrypt",
            "-j",
            str(jobs),
            "--log",
            str(log),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    outcomes = [
        (rec["outcome"], rec["error_code"])
        for rec in (json.loads(line) for line in log.read_text().splitlines())
        if rec["event"] == "file"
    ]
    return {
        "exit_code": done.returncode,
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "seconds": round(seconds, 2),
        "outcomes": outcomes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inflate-mib", type=int, default=1024)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        make_all(folder, args.inflate_mib)
        sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
        report = run(folder, Path(tmp), args.jobs)
    print(json.dumps({"inflate_mib": args.inflate_mib, "jobs": args.jobs, "sizes": sizes, **report}))


if __name__ == "__main__":
    main()
