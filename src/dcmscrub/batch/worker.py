"""The per-file pipeline: read, de-identify, encode, write through the run's sink.

A worker reads an input (pixel data streamed, never loaded), calls the engine, and writes the
result through the sink (an age encrypting writer, or plain) under a temporary name next to its
output, hashing what reaches the disk. It never gives an output its final name and never writes
the audit log: the parent does both, in input order (:mod:`dcmscrub.batch.commit`). Every failure
of one file becomes a :class:`FileResult` with a fixed reason, never an exception: one bad file
never stops a batch.
"""

from __future__ import annotations

import errno
import hashlib
import io
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from dcmscrub.atomic import write_temp
from dcmscrub.audit.records import PixelsCleaned
from dcmscrub.batch.outtree import output_relpath
from dcmscrub.batch.pixels import PixelStep
from dcmscrub.batch.sink import Sink
from dcmscrub.batch.walk import InputFile
from dcmscrub.deid.engine import deidentify, output_ids
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.dicomio.pixels import PixelPlan
from dcmscrub.dicomio.read import Header, quiet_pydicom, read_header
from dcmscrub.dicomio.sniff import sniff
from dcmscrub.dicomio.write import write_file
from dcmscrub.outcomes import FileProblem, Outcome, Reason


@dataclass
class FileResult:
    """The outcome of one input; ``reason`` is a fixed code, never a value from the file."""

    index: int
    name: str  # path relative to its input root, for people only (never logged)
    outcome: Outcome
    reason: Reason | None = None
    output: str | None = None  # POSIX path relative to the output root
    output_sha256: str | None = None
    bytes_in: int = 0
    bytes_out: int = 0
    ms: int = 0
    debug: str | None = None  # a traceback, only when the run is in debug mode
    temp: str | None = None  # the written, closed temporary file waiting for its final name
    pixels: PixelsCleaned | None = None  # when the output's pixels were cleaned


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs; built once per run, inherited by worker processes."""

    out: Path
    profile: Profile
    linkage_key: bytes
    sink: Sink
    overwrite: bool
    temp_tag: str
    debug: bool


class Worker:
    """Processes files for one run (one instance per process)."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.s = settings
        ps = settings.profile.pseudonyms
        self.pseudonymizer = Pseudonymizer(
            settings.linkage_key, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days
        )
        self._made_dirs: set[Path] = set()
        self.pixels = PixelStep(settings.profile)

    def process(self, index: int, item: InputFile) -> FileResult:
        """De-identify one input; every failure becomes a result, never an exception."""
        t0 = time.perf_counter()
        result = FileResult(index, item.relpath, Outcome.FAILED, bytes_in=item.size)
        try:
            self._process(item, result)
        except FileProblem as exc:
            result.outcome, result.reason = exc.reason.outcome, exc.reason
        except OSError as exc:
            result.outcome, result.reason = Outcome.FAILED, os_error_reason(exc)
        except Exception:
            result.outcome, result.reason = Outcome.FAILED, Reason.INTERNAL
            if self.s.debug:
                result.debug = traceback.format_exc()
        result.ms = round((time.perf_counter() - t0) * 1000)
        return result

    def _process(self, item: InputFile, result: FileResult) -> None:
        try:
            fh = open(item.path, "rb")  # noqa: SIM115 (closed below)
        except OSError:
            raise FileProblem(Reason.UNREADABLE) from None
        with fh, quiet_pydicom():
            kind = sniff(fh.read(132))
            if kind in ("empty", "other"):
                raise FileProblem(Reason.EMPTY if kind == "empty" else Reason.NOT_DICOM)
            header = read_header(fh, item.size, kind)
            ids = output_ids(header.ds, self.s.profile, self.pseudonymizer)
            relpath = output_relpath(*ids, self.s.sink.suffix)
            final = self.s.out / relpath
            if not self.s.overwrite and final.exists():
                result.outcome, result.output = Outcome.EXISTS, relpath
                return
            # the pixel verdict (rules, catalogue, detector) is made on the header as read, and the
            # pixel plan before anything is written: a file that cannot be cleaned fails here
            verdict = self.pixels.verdict(header, fh)
            if verdict.reason is not None:
                raise FileProblem(verdict.reason)
            plan = self.pixels.plan(header, fh, verdict)
            report = deidentify(header.ds, self.s.profile, self.pseudonymizer, verdict)
            if report.quarantine:
                raise FileProblem(report.quarantine)
            if (report.patient, report.study_uid, report.series_uid, report.sop_uid) != ids:
                raise FileProblem(Reason.INTERNAL)  # the prediction above must match what the engine did
            self._write(final, header, fh, result, plan)
            if verdict.cleaned and verdict.cleared_by is not None:
                result.pixels = PixelsCleaned(len(plan.rects) if plan else 0, verdict.cleared_by)
            result.outcome, result.output = Outcome.WRITTEN, relpath

    def _write(
        self, final: Path, header: Header, src: BinaryIO, result: FileResult, plan: PixelPlan | None
    ) -> None:
        folder = final.parent
        if folder not in self._made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(folder)
        # the file is written under a temporary name; the parent gives it its final name, in
        # input order, so that which of two inputs with one SOP Instance UID becomes the output
        # never depends on the number of workers
        with write_temp(final, tag=self.s.temp_tag, sync=False) as (raw, tmp):
            hashing = _HashingWriter(raw)
            with self.s.sink.open(cast(BinaryIO, hashing)) as stream:
                write_file(stream, header, src, plan)
        result.output_sha256 = hashing.hexdigest()
        result.bytes_out = hashing.count
        result.temp = str(tmp)


class _HashingWriter:
    """A write-only stream that hashes (SHA-256) and counts what passes through to ``raw``."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.count = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._hash.update(data)
        self._raw.write(data)
        self.count += len(data)
        return len(data)

    def tell(self) -> int:
        return self.count

    def seek(self, _offset: int, _whence: int = 0) -> int:
        raise io.UnsupportedOperation("the output stream is write-only and sequential")

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        self._raw.flush()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def os_error_reason(exc: OSError) -> Reason:
    """The fixed reason for an OS error while writing an output."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Reason.DISK_FULL
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Reason.WRITE_DENIED
    return Reason.IO_ERROR
