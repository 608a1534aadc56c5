"""The per-file pipeline: read, de-identify, encode, write through the run's sink.

A worker reads an input (pixel data streamed, never loaded), calls the engine, and writes the
result through the sink (an age encrypting writer, or plain) under a temporary name next to its
output, hashing what reaches the disk. It never gives an output its final name and never writes
the audit log: the parent does both, in input order (:mod:`dcmscrub.batch.commit`). Every failure
of one file becomes a :class:`FileResult` with a fixed reason, never an exception: one bad file
never stops a batch.
"""

from __future__ import annotations

import hashlib
import io
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from dcmscrub.atomic import write_temp
from dcmscrub.audit.records import PixelsCleaned
from dcmscrub.batch.outtree import media_relpath, output_relpath
from dcmscrub.batch.pixels import PixelStep
from dcmscrub.batch.sink import Sink
from dcmscrub.batch.walk import InputFile
from dcmscrub.deid import gate
from dcmscrub.deid.engine import deidentify, output_ids
from dcmscrub.deid.gate import exemptions
from dcmscrub.deid.mapping import FileMapping, file_mapping
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.deid.review import Removed
from dcmscrub.dicomio.flat import flatten
from dcmscrub.dicomio.limits import DEFAULT_MAX_HEADER
from dcmscrub.dicomio.pixels import PixelPlan
from dcmscrub.dicomio.read import Header, header_bytes, quiet_pydicom, read_header
from dcmscrub.dicomio.sniff import sniff
from dcmscrub.dicomio.write import Encoded, encode_output, write_encoded
from dcmscrub.outcomes import FileProblem, Note, Outcome, Reason, os_error_reason


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
    # the output this input names (known once its header is read), whatever became of it: the
    # commit makes a later input that names an output an earlier input took a duplicate, so the
    # outcome never depends on whether that output was already on disk when this file was read
    claim: str | None = None
    notes: frozenset[Note] = frozenset()  # what the run says once about its outputs (Note.text)
    mapping: FileMapping | None = None  # originals and pseudonyms, for the run's escrow (if any)
    removed: Removed | None = None  # what clean removed (scrub --review only; merged, then dropped)
    where: tuple[str, ...] = ()  # attribute paths of a residual identifier (never values)
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
    max_header: int = DEFAULT_MAX_HEADER  # bytes a header may cost in memory (dicomio.limits)
    media: bool = False  # 8-character file IDs for a DICOMDIR (outtree.media_relpath)
    dry_run: bool = False  # everything but the writing: the output is encoded into nothing
    escrow: bool = False  # compute each output's FileMapping for the run's escrow
    review: bool = False  # send back what clean removed (scrub --review)
    gate: bool = True  # check every output against its input before release (deid.gate)


class Worker:
    """Processes files for one run (one instance per process)."""

    def __init__(self, settings: WorkerSettings) -> None:
        self.s = settings
        ps = settings.profile.pseudonyms
        self.pseudonymizer = Pseudonymizer(
            settings.linkage_key, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days
        )
        self._made_dirs: set[Path] = set()
        self._exempt = exemptions(settings.profile)
        self.pixels = PixelStep(settings.profile)

    def process(self, index: int, item: InputFile) -> FileResult:
        """De-identify one input; every failure becomes a result, never an exception."""
        t0 = time.perf_counter()
        result = FileResult(index, item.relpath, Outcome.FAILED, bytes_in=item.size)
        try:
            self._process(item, result)
        except FileProblem as exc:
            result.outcome, result.reason, result.where = exc.reason.outcome, exc.reason, exc.where
        except OSError as exc:
            result.outcome, result.reason = Outcome.FAILED, os_error_reason(exc)
        except Exception:
            result.outcome, result.reason = Outcome.FAILED, Reason.INTERNAL
            if self.s.debug:
                result.debug = traceback.format_exc()
        if result.outcome not in (Outcome.WRITTEN, Outcome.EXISTS):
            result.mapping = None  # only released outputs are escrowed; nothing else carries values
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
            header = read_header(fh, item.size, kind, self.s.max_header)
            ids = output_ids(header.ds, self.s.profile, self.pseudonymizer)
            relpath = output_relpath(*ids, self.s.sink.suffix)
            if self.s.media:
                relpath = media_relpath(relpath)
            result.claim = relpath
            final = self.s.out / relpath
            if self.s.escrow:  # from the header as read, before the engine changes it
                result.mapping = file_mapping(header.ds, self.s.profile, self.pseudonymizer, ids)
            if not self.s.overwrite and final.exists():
                result.outcome, result.output = Outcome.EXISTS, relpath
                return
            identifiers = self._identifiers(fh, header, item) if self.s.gate else None
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
            encoded = encode_output(header, plan)
            if identifiers is not None:
                self._gate(identifiers, encoded, relpath)
            if self.s.dry_run:
                counting = _HashingWriter(None)
                write_encoded(cast(BinaryIO, counting), encoded, header, fh, plan)  # finds what writing finds
                result.bytes_out = counting.count
            else:
                self._write(final, (encoded, plan), header, fh, result)
            if verdict.cleaned and verdict.cleared_by is not None:
                result.pixels = PixelsCleaned(len(plan.rects) if plan else 0, verdict.cleared_by)
            result.outcome, result.output = Outcome.WRITTEN, relpath
            result.notes = report.notes
            result.removed = report.removed if self.s.review and report.removed else None

    def _gate(self, identifiers: gate.Identifiers, encoded: Encoded, relpath: str) -> None:
        """Release nothing that still holds an identifier of its input: the plaintext on its way
        into the sink is read back and checked (deid.gate); a hit quarantines the file and names
        the attribute paths, never the values."""
        preamble, rest = encoded.head[:128], encoded.head[128:] + encoded.tail
        if not encoded.deflated and not gate.may_hold(identifiers, rest, little=encoded.little_endian):
            hits = gate.check_path(identifiers, preamble, relpath)  # nothing to look for element by element
        else:
            written = flatten(
                encoded.head,
                encoded.tail,
                implicit=encoded.implicit_vr,
                little=encoded.little_endian,
                deflated=encoded.deflated,
            )
            hits = gate.check(identifiers, written, relpath, self._exempt)
        if hits:
            raise FileProblem(Reason.RESIDUAL_IDENTIFIER, tuple(h.where for h in hits))

    def _identifiers(self, fh: BinaryIO, header: Header, item: InputFile) -> gate.Identifiers:
        """The input's identifiers, read from its bytes with the gate's own reader (dicomio.flat)."""
        head, tail = header_bytes(fh, header, item.size)
        read = flatten(
            head,
            tail,
            implicit=header.implicit_vr,
            little=header.little_endian,
            deflated=header.deflated,
            keep=gate.listed(),
        )
        return gate.collect(read, item.relpath)

    def _write(
        self,
        final: Path,
        output: tuple[Encoded, PixelPlan | None],
        header: Header,
        src: BinaryIO,
        result: FileResult,
    ) -> None:
        folder = final.parent
        if folder not in self._made_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(folder)
        # the file is written under a temporary name; the parent gives it its final name, in
        # input order, so that which of two inputs with one SOP Instance UID becomes the output
        # never depends on the number of workers
        encoded, plan = output
        with write_temp(final, tag=self.s.temp_tag, sync=False) as (raw, tmp):
            hashing = _HashingWriter(raw)
            with self.s.sink.open(cast(BinaryIO, hashing)) as stream:
                write_encoded(stream, encoded, header, src, plan)
        result.output_sha256 = hashing.hexdigest()
        result.bytes_out = hashing.count
        result.temp = str(tmp)


class _HashingWriter:
    """A write-only stream that hashes (SHA-256) and counts what passes through to ``raw`` (None:
    nowhere, for a dry run)."""

    def __init__(self, raw: BinaryIO | None) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.count = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._hash.update(data)
        if self._raw is not None:
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
        if self._raw is not None:
            self._raw.flush()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
