"""Decrypt a release, logged: ``dcmscrub decrypt`` appends a ``run_start``, one ``file`` record per
input and a ``run_end`` to the audit log, like a scrub run. Every access to outputs is on the
record; the log holds no file name and no identity, only its fingerprint."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from dcmscrub.age import Identity
from dcmscrub.audit.journal import RunMark
from dcmscrub.audit.line import new_run_id
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.operator import operator_info, tool_versions
from dcmscrub.audit.records import FileRecord, RunEnd, RunStart, RunStatus
from dcmscrub.batch.crypt import DecryptResult, DecryptSummary, decrypt_paths
from dcmscrub.batch.media import tree_dicomdir
from dcmscrub.batch.recovery import hold_mark
from dcmscrub.batch.scrub import open_audit
from dcmscrub.errors import ExitCode, StorageError
from dcmscrub.outcomes import Outcome, Reason

_OUTCOMES: dict[str, Outcome] = {
    "decrypted": Outcome.WRITTEN,
    "exists": Outcome.EXISTS,
    "skipped": Outcome.SKIPPED,
    "failed": Outcome.FAILED,
}


def decrypt_tree(
    inputs: Sequence[Path],
    out: Path,
    identities: Sequence[Identity],
    *,
    overwrite: bool = False,
    log: Path | None = None,
    digest_key: bytes | None = None,
    on_failure: Callable[[DecryptResult], None] | None = None,
    dicomdir: bool = False,
) -> DecryptSummary:
    """Decrypt files and folders into ``out`` (see :func:`~dcmscrub.batch.crypt.decrypt_paths`),
    recording the run in the audit log ``log``.

    ``digest_key`` keys the log's path digests (a random key when None: the digests then only
    tell records apart). With ``dicomdir`` the outputs get PS3.10 file IDs and ``out/DICOMDIR``
    names every DICOM file of the tree (:mod:`dcmscrub.batch.media`).
    """
    audit = open_audit(log, digest_key or os.urandom(32), None)
    run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
    if audit is not None:
        audit.record(
            run_id,
            RunStart(
                command="decrypt",
                operator=operator_info(os.environ),
                tool=tool_versions(),
                args={"overwrite": overwrite, "identities": len(identities)}
                | ({"dicomdir": True} if dicomdir else {}),
                keys={"identities": sorted(_identity_fingerprint(i) for i in identities)},
                input_roots=[audit.digest(str(p.resolve())) for p in inputs],
                output_root_digest=audit.digest(str(out.resolve())),
            ),
        )
    mark = hold_mark(audit, run_id)
    try:
        return _decrypt_logged(
            inputs,
            out,
            identities,
            (overwrite, dicomdir),
            audit=audit,
            run_id=run_id,
            mark=mark,
            on_failure=on_failure,
        )
    finally:
        mark.abandon()  # no-op after release(); otherwise the next run records this one as abandoned


def _decrypt_logged(
    inputs: Sequence[Path],
    out: Path,
    identities: Sequence[Identity],
    flags: tuple[bool, bool],  # overwrite, dicomdir
    *,
    audit: AuditLog | None,
    run_id: str,
    mark: RunMark,
    on_failure: Callable[[DecryptResult], None] | None,
) -> DecryptSummary:
    """The body of :func:`decrypt_tree` once its ``run_start`` is written: files, then ``run_end``."""
    counts: Counter[str] = Counter()

    def record(result: DecryptResult) -> None:
        outcome = _OUTCOMES[result.outcome]
        counts[outcome] += 1
        if outcome == Outcome.FAILED and on_failure is not None:
            on_failure(result)
        if audit is not None:
            reason = Reason.DECRYPT_FAILED if outcome == Outcome.FAILED else None
            audit.record(
                run_id, FileRecord(audit.digest(result.name), outcome, reason, bytes_out=result.size)
            )

    overwrite, dicomdir = flags
    summary = decrypt_paths(inputs, out, identities, overwrite=overwrite, on_result=record, media=dicomdir)
    if dicomdir and (summary.decrypted or summary.exists):
        try:
            summary.dicomdir = tree_dicomdir(out, out)
        except StorageError:
            if audit is not None:
                audit.record(run_id, RunEnd(dict(counts), RunStatus.FAILED, int(ExitCode.IO)))
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
