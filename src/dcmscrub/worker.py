"""Worker processes: each de-identifies the files it is handed, one at a time.

A worker reads an input (pixel data streamed, never loaded), calls the engine, and writes the
result (through an age encrypting writer) under a temporary name next to its output, hashing what
reaches the disk. It never gives an output its final name and never writes the audit log: the
parent does both, in input order (:mod:`dcmscrub.runner`). Every failure of one file becomes a
:class:`FileResult` with a fixed reason code, never an exception: one bad file never stops a batch.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import multiprocessing
import re
import signal
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from dcmscrub.atomic import OutputExistsError, write_temp
from dcmscrub.container import AgeWriter, X25519Recipient
from dcmscrub.dicomfile import FileProblem, quiet_pydicom, read_header, sniff, write_file
from dcmscrub.engine import deidentify, output_ids
from dcmscrub.errors import StorageError
from dcmscrub.profile import Profile
from dcmscrub.pseudonym import Pseudonymizer
from dcmscrub.walker import InputFile, Skipped

_UID_RE = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_PATIENT_RE = re.compile(r"^[A-Z0-9]{1,64}$")
# Reasons a file is skipped by policy (exit 0) rather than failed (exit 3)
SKIP_CODES = frozenset(
    {"empty", "not_dicom", "dicomdir", "symlink_outside", "not_a_file", "loop", "duplicate_sop_instance"}
)


@dataclass
class FileResult:
    """The outcome of one input; ``code`` is a fixed string, never a value from the file."""

    index: int
    name: str  # path relative to its input root, for people only (never logged)
    outcome: str
    code: str | None = None
    output: str | None = None  # POSIX path relative to the output root
    output_sha256: str | None = None
    bytes_in: int = 0
    bytes_out: int = 0
    ms: int = 0
    debug: str | None = None  # a traceback, only when the run is in debug mode
    temp: str | None = None  # the written, fsynced temporary file waiting for its final name


@dataclass(frozen=True)
class WorkerSettings:
    """Everything a worker needs; built once per run, inherited by worker processes."""

    out: Path
    profile: Profile
    linkage_key: bytes
    recipients: tuple[X25519Recipient, ...]
    encrypt: bool
    overwrite: bool
    temp_tag: str
    debug: bool


# --------------------------------------------------------------------------------------------
# one file


class _Worker:
    """Processes files for one run (one instance per process)."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.s = settings
        ps = settings.profile.pseudonyms
        self.pseudonymizer = Pseudonymizer(
            settings.linkage_key, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days
        )
        self.suffix = ".dcm.age" if settings.encrypt else ".dcm"
        self._made_dirs: set[Path] = set()

    def process(self, index: int, item: InputFile) -> FileResult:
        """De-identify one input; every failure becomes a result, never an exception."""
        t0 = time.perf_counter()
        result = FileResult(index, item.relpath, "failed", bytes_in=item.size)
        try:
            self._process(item, result)
        except FileProblem as exc:
            result.outcome = "skipped" if exc.code in SKIP_CODES else "failed"
            result.code = exc.code
        except OSError as exc:
            result.outcome, result.code = "failed", os_error_code(exc)
        except Exception:
            result.outcome, result.code = "failed", "internal"
            if self.s.debug:
                result.debug = traceback.format_exc()
        result.ms = round((time.perf_counter() - t0) * 1000)
        return result

    def _process(self, item: InputFile, result: FileResult) -> None:
        try:
            fh = open(item.path, "rb")  # noqa: SIM115 (closed below)
        except OSError:
            raise FileProblem("unreadable") from None
        with fh, quiet_pydicom():
            kind = sniff(fh.read(132))
            if kind in ("empty", "other"):
                raise FileProblem("empty" if kind == "empty" else "not_dicom")
            header = read_header(fh, item.size, kind)
            patient, study, series, sop = output_ids(header.ds, self.s.profile, self.pseudonymizer)
            relpath = self._output_path(patient, study, series, sop)
            final = self.s.out / relpath
            if not self.s.overwrite and final.exists():
                result.outcome, result.output = "exists", relpath
                return
            report = deidentify(header.ds, self.s.profile, self.pseudonymizer)
            if report.quarantine:
                result.outcome, result.code = "quarantined", report.quarantine
                return
            if (report.patient, report.study_uid, report.series_uid, report.sop_uid) != (
                patient,
                study,
                series,
                sop,
            ):
                raise FileProblem("internal")  # the prediction above must match what the engine did
            self._write(final, header, fh, result)
            result.outcome, result.output = "written", relpath

    def _output_path(self, patient: str, study: str, series: str, sop: str) -> str:
        if not sop:
            raise FileProblem("no_sop_instance_uid")
        if (
            not _UID_RE.match(sop)
            or (study and not _UID_RE.match(study))
            or (series and not _UID_RE.match(series))
        ):
            raise FileProblem("bad_uid")  # a UID is also a path component: digits and dots only
        if not _PATIENT_RE.match(patient):
            raise FileProblem("internal")
        return f"{patient}/{study or 'no-study'}/{series or 'no-series'}/{sop}{self.suffix}"

    def _write(self, final: Path, header: Any, src: BinaryIO, result: FileResult) -> None:
        folder = final.parent
        if folder not in self._made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(folder)
        # the file is written and fsynced under a temporary name; the parent gives it its final
        # name (_commit), in input order, so that which of two inputs with one SOP Instance UID
        # becomes the output never depends on the number of workers
        with write_temp(final, tag=self.s.temp_tag, sync=False) as (raw, tmp):
            sink = _HashingWriter(raw)
            stream = cast(BinaryIO, sink)  # write/tell/flush: all pydicom and AgeWriter use
            if self.s.encrypt:
                with AgeWriter(stream, self.s.recipients) as age:
                    write_file(cast(BinaryIO, age), header, src)
            else:
                write_file(stream, header, src)
        result.output_sha256 = sink.hexdigest()
        result.bytes_out = sink.count
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

    def seek(self, offset: int, whence: int = 0) -> int:
        raise io.UnsupportedOperation("the output stream is write-only and sequential")

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        self._raw.flush()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def os_error_code(exc: OSError) -> str:
    if isinstance(exc, OutputExistsError):
        return "exists"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk_full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "write_denied"
    return "io_error"


# --------------------------------------------------------------------------------------------
# worker processes

_WORKER: _Worker | None = None


def _init_worker(settings: WorkerSettings) -> None:
    global _WORKER
    # Workers finish their file when the run is interrupted: only the parent decides to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    _WORKER = _Worker(settings)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the parent dies (kill -9): no orphan keeps writing."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _work(chunk: list[tuple[int, InputFile]]) -> list[FileResult]:
    if _WORKER is None:
        raise RuntimeError("worker not initialised")
    return [_WORKER.process(index, item) for index, item in chunk]


CHUNK_FILES = 16
CHUNK_BYTES = 32 << 20


def _chunks(work: list[tuple[int, InputFile]]) -> Iterator[list[tuple[int, InputFile]]]:
    """Small files go to a worker a few at a time (one round trip each costs about as much as
    de-identifying a small file); a large file goes alone, so a stop never waits long."""
    chunk: list[tuple[int, InputFile]] = []
    size = 0
    for entry in work:
        if chunk and (len(chunk) >= CHUNK_FILES or size + entry[1].size > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(entry)
        size += entry[1].size
    if chunk:
        yield chunk


class Stop:
    """Set by SIGINT/SIGTERM: stop handing out files, finish those in flight."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self.fatal: StorageError | None = None

    @property
    def requested(self) -> bool:
        return self.signal is not None or self.fatal is not None


def run_all(
    items: list[InputFile | Skipped], settings: WorkerSettings, jobs: int, stop: Stop
) -> Iterator[FileResult]:
    work: list[tuple[int, InputFile]] = []
    for index, item in enumerate(items):
        if isinstance(item, Skipped):
            yield FileResult(
                index, item.relpath, "skipped" if item.reason in SKIP_CODES else "failed", item.reason
            )
        else:
            work.append((index, item))
    if jobs <= 1 or len(work) <= 1:
        worker = _Worker(settings)
        for index, item in work:
            if stop.requested:
                return
            yield worker.process(index, item)
        return
    yield from _run_pool(work, settings, jobs, stop)


def _run_pool(
    work: list[tuple[int, InputFile]], settings: WorkerSettings, jobs: int, stop: Stop
) -> Iterator[FileResult]:
    """Hand files to ``jobs`` worker processes, a few each at a time, so that a stop leaves
    little in flight. A worker that dies (the OOM killer, a crash) breaks the pool: the files that
    were in flight are then retried one at a time in a fresh pool, so that only the file that
    kills a worker again fails (``worker_died``)."""
    ctx = multiprocessing.get_context("fork")
    window = jobs * 3  # queued chunks keep workers busy while the parent syncs and logs a batch
    todo = _chunks(work)
    exhausted = False
    suspects: list[tuple[int, InputFile]] = []
    while True:
        executor = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(settings,))
        pending: dict[Future[list[FileResult]], tuple[list[tuple[int, InputFile]], bool]] = {}
        broken = False
        try:
            while True:
                while not stop.requested and len(pending) < window:
                    if suspects:
                        if pending:
                            break  # a suspect runs alone: if it breaks the pool, it is the cause
                        task, alone = [suspects.pop(0)], True
                    else:
                        nxt = None if exhausted else next(todo, None)
                        if nxt is None:
                            exhausted = True
                            break
                        task, alone = nxt, False
                    pending[executor.submit(_work, task)] = (task, alone)
                if not pending:
                    break
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut in done:
                    task, alone = pending.pop(fut)
                    try:
                        yield from fut.result()
                    except BrokenProcessPool:
                        broken = True
                        if alone:
                            yield from _died(task)
                        else:
                            suspects.extend(task)
                if broken:
                    for task, _alone in pending.values():
                        suspects.extend(task)
                    suspects.sort(key=lambda entry: entry[0])
                    pending.clear()
                    break
        finally:
            if broken or pending:
                _kill_workers(executor)
            executor.shutdown(wait=True, cancel_futures=True)
        if stop.requested or (exhausted and not suspects and not broken):
            return  # else: a fresh pool for the suspects and the rest of the work


def _died(chunk: list[tuple[int, InputFile]]) -> Iterator[FileResult]:
    for index, item in chunk:
        yield FileResult(index, item.relpath, "failed", "worker_died", bytes_in=item.size)


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    # workers ignore SIGTERM (they finish their file on a stop); an abandoned pool needs SIGKILL
    for proc in list(getattr(executor, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()
