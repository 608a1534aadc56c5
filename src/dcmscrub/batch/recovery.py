"""Closing the runs that died: record them as abandoned, and log the outputs they named but never
recorded (see :mod:`dcmscrub.audit.journal` for how a dead run is told from a live one)."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from dcmscrub.audit.journal import RunMark, hold_run_mark, read_pending_note, reap_dead_runs
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.records import FileRecord, RunAbandoned
from dcmscrub.outcomes import Outcome


def take_mark(audit: AuditLog | None, run_id: str) -> RunMark:
    """Mark this run as alive beside its log, before its ``run_start`` is written: ``log verify``
    never sees the run without its mark while it lives."""
    if audit is None:
        return RunMark(None, -1)
    return hold_run_mark(audit.path, run_id)


def hold_mark(audit: AuditLog | None, run_id: str, mark: RunMark | None = None) -> RunMark:
    """Mark this run as alive beside its log (unless ``mark`` is already held, see
    :func:`take_mark`), and record the runs found dead there (killed, or cut off by a power
    loss) as ``run_abandoned``, so that ``log verify`` sees them closed. Call it after the
    run's ``run_start`` is written."""
    if audit is None:
        return RunMark(None, -1)
    if mark is None:
        mark = hold_run_mark(audit.path, run_id)

    def record(dead: str, pending: bytes) -> None:
        # records of outputs the dead run had named but not yet logged: logged now, in its name
        records = recoverable_records(pending, audit, dead)
        if records:
            audit.record_many(dead, records)
        audit.record(run_id, RunAbandoned(dead, len(records)))

    try:
        reap_dead_runs(audit.path, run_id, record)  # a mark goes only once its run is recorded
    except BaseException:
        mark.abandon()  # this run stops too (the log cannot be written); the next run reaps both
        raise
    return mark


def recoverable_records(pending: bytes, audit: AuditLog, dead: str) -> list[FileRecord]:
    """From the batch note of the dead run ``dead``, the ``file`` records whose outputs are on
    disk with the recorded SHA-256 (the renames that happened before the run died) and that are
    not in the log yet (the run may have died after appending them, before emptying its mark)."""
    batch = read_pending_note(pending)
    if batch is None:
        return []
    found: list[FileRecord] = []
    for rec in batch.records:
        if rec.outcome != Outcome.WRITTEN or rec.output is None or rec.output_sha256 is None:
            continue
        rel = PurePosixPath(rec.output)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            continue
        try:
            with open(batch.out / rel, "rb") as fh:
                actual = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:
            continue
        if actual == rec.output_sha256:
            found.append(rec)
    if found:
        logged = audit.outputs_recorded(dead, since=batch.log_offset)
        found = [rec for rec in found if rec.output not in logged]
    return found
