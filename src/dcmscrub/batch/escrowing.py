"""A scrub run's escrow: one row set per output as its batch is committed, one file at the end.

Rows are written for every output the run wrote or found already in place (``written`` and
``exists``), so a run after a killed one escrows the outputs the killed run made too. The file
is sealed after the last batch, recorded in the audit log (``escrow``: name, SHA-256, recipient
fingerprints, rows), and only then named: no escrow appears unlogged. A write that fails stops the
run (74) and leaves no escrow; so does a run whose audit log failed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.records import EscrowWritten
from dcmscrub.batch.pool import Stop
from dcmscrub.batch.worker import FileResult
from dcmscrub.deid.profile import Profile
from dcmscrub.errors import StorageError
from dcmscrub.escrow.format import FORMAT_VERSION, EscrowHeader
from dcmscrub.escrow.writer import EscrowOptions, EscrowWriter
from dcmscrub.outcomes import Outcome


class RunEscrow:
    """The escrow of one run (``options`` None: the run has none and this does nothing)."""

    def __init__(
        self, options: EscrowOptions | None, *, run_id: str, profile: Profile, key_id: str, stop: Stop
    ) -> None:
        self.options, self.stop = options, stop
        self.writer: EscrowWriter | None = None
        self.path: Path | None = None
        if options is None:
            return
        header = EscrowHeader(
            run_id=run_id,
            created=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            namespace=profile.pseudonyms.namespace,
            linkage_key_id=key_id,
            profile=profile.name,
            profile_sha256=profile.sha256,
            query_key=os.urandom(32),
        )
        try:
            self.writer = EscrowWriter(options, header)
        except OSError as exc:
            raise StorageError(f"the escrow cannot be written in {options.folder} ({exc.strerror})") from None

    def committed(self, result: FileResult) -> None:
        """Escrow the rows of one committed result (its batch is renamed and logged)."""
        mapping, result.mapping = result.mapping, None  # the parent keeps no values once used
        if self.writer is None or mapping is None or result.outcome not in (Outcome.WRITTEN, Outcome.EXISTS):
            return
        try:
            self.writer.add(mapping)
        except OSError as exc:
            self._fail(exc)

    def finish(self, audit: AuditLog | None, run_id: str) -> None:
        """Seal, log and name the escrow; a run that failed gets none (:meth:`abort`)."""
        writer = self.writer
        if writer is None or self.options is None:
            return
        if self.stop.fatal is not None:
            self.abort()
            return
        try:
            sealed = writer.seal()
        except OSError as exc:
            self._fail(exc)
            return
        if audit is not None:
            record = EscrowWritten(
                file=sealed.path.name,
                sha256=sealed.sha256,
                recipients=[r.fingerprint for r in self.options.recipients],
                rows=sealed.rows,
                format_version=FORMAT_VERSION,
            )
            try:
                audit.record(run_id, record)
            except StorageError as exc:
                self.stop.fatal = exc  # no escrow unlogged
                self.abort()
                return
        try:
            self.path = writer.commit()
        except OSError as exc:
            self._fail(exc)
        self.writer = None

    def _fail(self, exc: OSError) -> None:
        self.stop.fatal = StorageError(
            f"the escrow could not be written ({exc.strerror}); the run stopped and left no escrow",
            hint="free space or fix the escrow folder, then run again (outputs in place are escrowed then)",
        )
        self.abort()

    def abort(self) -> None:
        """Leave no escrow (no-op once finished)."""
        if self.writer is not None:
            self.writer.abort()
            self.writer = None
