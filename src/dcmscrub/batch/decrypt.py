"""Decrypt a release, logged: ``dcmscrub decrypt`` appends a ``run_start``, one ``file`` record per
input and a ``run_end`` to the audit log, like a scrub run. Every access to outputs is on the
record; the log holds no file name and no identity, only its fingerprint."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dcmscrub.age import Identity
from dcmscrub.audit.anchor import AnchorSink
from dcmscrub.audit.journal import RunMark
from dcmscrub.audit.line import new_run_id
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.operator import operator_info, tool_versions
from dcmscrub.audit.records import FileRecord, RunEnd, RunStart, RunStatus
from dcmscrub.batch.crypt import DecryptResult, DecryptSummary, decrypt_paths
from dcmscrub.batch.media import tree_dicomdir
from dcmscrub.batch.recovery import hold_mark, take_mark
from dcmscrub.batch.scrub import open_audit
from dcmscrub.errors import AuditWriteError, ExitCode, StorageError
from dcmscrub.outcomes import Outcome, Reason

_OUTCOMES: dict[str, Outcome] = {
    "decrypted": Outcome.WRITTEN,
    "exists": Outcome.EXISTS,
    "skipped": Outcome.SKIPPED,
    "failed": Outcome.FAILED,
}


@dataclass(frozen=True)
class DecryptOptions:
    """How to decrypt: replace existing outputs or not, the audit log and its anchors, the key of
    the log's path digests (None: a random one; the digests then only tell records apart), and
    ``dicomdir`` (PS3.10 file IDs and ``out/DICOMDIR``, :mod:`dcmscrub.batch.media`)."""

    overwrite: bool = False
    log: Path | None = None
    digest_key: bytes | None = None
    anchors: tuple[AnchorSink, ...] = ()
    dicomdir: bool = False


def decrypt_tree(
    inputs: Sequence[Path],
    out: Path,
    identities: Sequence[Identity],
    options: DecryptOptions = DecryptOptions(),
    *,
    on_result: Callable[[DecryptResult], None] | None = None,
) -> DecryptSummary:
    """Decrypt files and folders into ``out`` (see :func:`~dcmscrub.batch.crypt.decrypt_paths`),
    recording the run in the audit log ``options.log``. ``on_result`` is called with each file's
    result as it is recorded."""
    overwrite, log, digest_key, anchors, dicomdir = (
        options.overwrite,
        options.log,
        options.digest_key,
        options.anchors,
        options.dicomdir,
    )
    audit = open_audit(log, digest_key or os.urandom(32), None, anchors)
    run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
    mark = take_mark(audit, run_id)
    if audit is not None:
        start = RunStart(
            command="decrypt",
            operator=operator_info(os.environ),
            tool=tool_versions(),
            args={"overwrite": overwrite, "identities": len(identities)}
            | ({"dicomdir": True} if dicomdir else {}),
            keys={"identities": sorted(_identity_fingerprint(i) for i in identities)},
            input_roots=[audit.digest(str(p.resolve())) for p in inputs],
            output_root_digest=audit.digest(str(out.resolve())),
        )
        _record_start(audit, run_id, mark, start)
    try:
        mark = hold_mark(audit, run_id, mark)
        return _decrypt_logged(
            inputs,
            out,
            identities,
            (overwrite, dicomdir),
            audit=audit,
            run_id=run_id,
            mark=mark,
            on_result=on_result,
        )
    finally:
        mark.abandon()  # no-op after release(); otherwise the next run records this one as abandoned


def _record_start(audit: AuditLog, run_id: str, mark: RunMark, start: RunStart) -> None:
    try:
        audit.record(run_id, start)
    except BaseException:
        mark.release()  # no run_start, no run: nothing for a later run to record as abandoned
        raise


def _decrypt_logged(
    inputs: Sequence[Path],
    out: Path,
    identities: Sequence[Identity],
    flags: tuple[bool, bool],  # overwrite, dicomdir
    *,
    audit: AuditLog | None,
    run_id: str,
    mark: RunMark,
    on_result: Callable[[DecryptResult], None] | None,
) -> DecryptSummary:
    """The body of :func:`decrypt_tree` once its ``run_start`` is written: files, then ``run_end``."""
    counts: Counter[str] = Counter()

    def record(result: DecryptResult) -> None:
        outcome = _OUTCOMES[result.outcome]
        counts[outcome] += 1
        if on_result is not None:
            on_result(result)
        if audit is not None:
            reason = (result.reason or Reason.DECRYPT_FAILED) if outcome == Outcome.FAILED else None
            audit.record(
                run_id, FileRecord(audit.digest(result.name), outcome, reason, bytes_out=result.size)
            )

    overwrite, dicomdir = flags
    try:
        summary = decrypt_paths(
            inputs, out, identities, overwrite=overwrite, on_result=record, media=dicomdir
        )
        if dicomdir and (summary.decrypted or summary.exists):
            summary.dicomdir = tree_dicomdir(out, out)
    except StorageError as exc:
        # the output disk is full: the run ends here, on the record (74), with what it did
        if audit is not None and not isinstance(exc, AuditWriteError):
            audit.record(run_id, RunEnd(dict(counts), RunStatus.FAILED, int(exc.exit_code)))
            mark.release()
        raise
    if audit is not None:
        status = RunStatus.PARTIAL if summary.failed else RunStatus.OK
        exit_code = ExitCode.PARTIAL if summary.failed else ExitCode.OK
        audit.record(run_id, RunEnd(dict(counts), status, int(exit_code)))
        mark.release()
    return summary


def _identity_fingerprint(identity: Identity) -> str:
    recipient = getattr(identity, "recipient", None)
    return str(recipient.fingerprint) if recipient is not None else "scrypt"
