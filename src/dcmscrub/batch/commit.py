"""Group commit: outputs get their final names, and their records their lines, a batch at a time.

Workers write and close each output under a temporary name without syncing it. A batch (up to
:attr:`CommitBatch.COMMIT_FILES` results or :attr:`CommitBatch.COMMIT_SECONDS`) is then made
durable with one syncfs of the output file system, renamed in input order, synced again so the
renames last, and logged with one write and one fsync of the audit log. Each output is on disk
before its name appears and before its record is written; the cost of a journal commit is paid
once per batch instead of three times per file.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from dcmscrub.atomic import OutputExistsError, commit, discard, sync_filesystem
from dcmscrub.audit.journal import RunMark, pending_note
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.placement import GENERIC_HINT, errno_name
from dcmscrub.audit.records import FileRecord
from dcmscrub.batch.pool import Stop
from dcmscrub.batch.worker import FileResult
from dcmscrub.errors import AuditWriteError, StorageError
from dcmscrub.outcomes import Outcome, Reason, os_error_reason


def file_record(audit: AuditLog, result: FileResult) -> FileRecord:
    """The audit record of one input (its name only as the log's keyed digest)."""
    return FileRecord(
        input=audit.digest(result.name),
        outcome=result.outcome,
        reason=result.reason,
        output=result.output,
        output_sha256=result.output_sha256,
        bytes_in=result.bytes_in,
        bytes_out=result.bytes_out,
        ms=result.ms,
        residual=result.where,
        pixels=result.pixels,
    )


class CommitBatch:
    """Collects results in input order and commits them a batch at a time (module docstring).

    The run's counts and its ``file`` records are always the same set of inputs: a result is
    counted (``on_committed``) only once its record is in the log. After a stop that ends the
    run (``stop.fatal``: the output disk or the log is full) no further result is committed,
    counted or recorded; its temporary file is removed and the input is left for the next run,
    like a file never handed out. A batch whose records cannot be written is taken back
    (``taken_back`` counts its outputs) and is not counted either.
    """

    COMMIT_FILES = 64
    COMMIT_SECONDS = 0.5

    def __init__(
        self,
        out: Path,
        overwrite: bool,
        audit: AuditLog | None,
        *,
        run_id: str,
        stop: Stop,
        mark: RunMark,
        on_committed: Callable[[FileResult], None],
    ) -> None:
        self.out, self.overwrite, self.audit, self.run_id = out, overwrite, audit, run_id
        self.stop, self.mark, self.on_committed = stop, mark, on_committed
        self.committed: set[str] = set()
        self.results: list[FileResult] = []
        self.started = 0.0
        self.taken_back = 0  # outputs removed again because their records could not be written
        self.left = 0  # results dropped after a fatal stop (left for the next run)

    def add(self, result: FileResult) -> None:
        """Take the next result (in input order); commit when the batch is full or old enough,
        and at once when the output disk is full (the run stops there)."""
        if self.stop.fatal is not None:
            self._leave([result])
            return
        if not self.results:
            self.started = time.monotonic()
        self.results.append(result)
        if (
            len(self.results) >= self.COMMIT_FILES
            or time.monotonic() - self.started > self.COMMIT_SECONDS
            or result.reason == Reason.DISK_FULL
        ):
            self.flush()

    def flush(self) -> None:
        """Commit what is pending."""
        batch, self.results = self.results, []
        if not batch:
            return
        if self.stop.fatal is not None:
            self._leave(batch)
            return
        temps = any(r.temp for r in batch)
        if temps:
            sync_filesystem(self.out)  # the data, before any name points at it
            if not self._note(batch):
                return
        for result in batch:  # every result: which input takes an output is decided in input order
            _commit(result, self.out, self.overwrite, self.committed)
        if temps:
            sync_filesystem(self.out)  # the names, before a record says they exist
        if self.audit is not None:
            if not self._log(self.audit, batch):
                return
            with contextlib.suppress(OSError):
                self.mark.clear_pending()
        for result in batch:
            self.on_committed(result)
        if any(r.reason == Reason.DISK_FULL for r in batch):
            self.stop.fatal = StorageError(
                "the output disk is full; the run stopped", hint="free space, then run again"
            )

    def _note(self, batch: list[FileResult]) -> bool:
        """Keep the batch's records in the run's mark before the renames (if the run dies
        between the renames and the records, the next run logs them). False when the mark
        cannot be written: the run then stops before renaming anything."""
        if self.audit is None or not self.mark.held:
            return True
        notes = [file_record(self.audit, r) for r in batch if r.temp and r.outcome == Outcome.WRITTEN]
        try:
            self.mark.note_pending(pending_note(self.out, self.audit.end_offset(), notes))
        except OSError as exc:
            self.stop.fatal = AuditWriteError(
                f"cannot write the run's mark beside the audit log {self.audit.path} ({errno_name(exc)});"
                " the run stops rather than work unlogged",
                hint=GENERIC_HINT,
                detail=errno_name(exc),
            )
            self._leave(batch)
            return False
        return True

    def _log(self, audit: AuditLog, batch: list[FileResult]) -> bool:
        try:
            audit.record_many(self.run_id, [file_record(audit, r) for r in batch])
        except AuditWriteError as exc:
            self.stop.fatal = exc  # no work goes unlogged: hand out no further file
            for result in batch:
                self.taken_back += _unlog(result, self.out)
            self.left += len(batch)
            return False
        return True

    def _leave(self, batch: list[FileResult]) -> None:
        """Results that arrive after the run stopped for good: not committed, counted or recorded."""
        for result in batch:
            if result.temp:
                discard(Path(result.temp))
                result.temp = None
        self.left += len(batch)


def in_order(results: Iterator[FileResult]) -> Iterator[FileResult]:
    """Results in input order (workers finish out of order); a stopped run flushes the rest."""
    waiting: dict[int, FileResult] = {}
    expected = 0
    for result in results:
        waiting[result.index] = result
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1
    for index in sorted(waiting):  # after a stop: inputs never handed out leave gaps
        yield waiting[index]


def _commit(result: FileResult, out: Path, overwrite: bool, committed: set[str]) -> None:
    """Give a written output its final name; the first input (in input order) that names an
    output wins, and a later one with the same SOP Instance UID is a reported duplicate, whatever
    became of it (written, found on disk, quarantined or failed after its name was known)."""
    claim = result.claim or result.output
    if claim is not None and claim in committed and result.outcome != Outcome.SKIPPED:
        if result.temp:
            discard(Path(result.temp))
        result.outcome, result.reason, result.temp = Outcome.SKIPPED, Reason.DUPLICATE_SOP_INSTANCE, None
        result.output, result.output_sha256 = None, None
        return
    if result.temp is None:
        if result.outcome == Outcome.EXISTS and result.output is not None:
            committed.add(result.output)
        return
    tmp, result.temp = Path(result.temp), None
    assert result.output is not None
    try:
        commit(tmp, out / result.output, overwrite=overwrite, sync_dir=False)
    except OutputExistsError:
        result.outcome, result.output_sha256 = Outcome.EXISTS, None  # appeared meanwhile (another process)
        return
    except OSError as exc:
        result.outcome, result.reason = Outcome.FAILED, os_error_reason(exc)
        result.output = result.output_sha256 = None
        return
    committed.add(result.output)


def _unlog(result: FileResult, out: Path) -> int:
    """Take back an output whose record could not be written (no work goes unlogged); 1 if one was."""
    if result.outcome == Outcome.WRITTEN and result.output:
        with contextlib.suppress(FileNotFoundError):
            (out / result.output).unlink()
        result.outcome, result.reason = Outcome.FAILED, Reason.NOT_LOGGED
        return 1
    return 0
