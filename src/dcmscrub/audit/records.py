"""The audit log's records, typed: one class per event, one place that says what each carries.

Every writer (a scrub run, the batch commit, the recovery of a dead run's batch, decrypt) builds
these, and every reader (recovery, ``log verify``, ``log show``) parses them back with
:meth:`FileRecord.from_fields`. A record never holds a DICOM value, an input name in clear or a
secret: inputs appear as keyed digests (:meth:`dcmscrub.audit.log.AuditLog.digest`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from dcmscrub.audit.line import ABANDONED_EVENT, LOG_OPEN_EVENT, SEALED_EVENT
from dcmscrub.errors import ExitCode
from dcmscrub.outcomes import Outcome, Reason


class RunStatus(StrEnum):
    """How a run ended (``run_end.status``); :func:`status_agrees` ties it to counts and exit code."""

    OK = "ok"
    PARTIAL = "partial"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


@dataclass(frozen=True)
class PixelsCleaned:
    """What was done to an output's pixels (Clean Pixel Data), in counts: ``blanked`` regions (in
    every frame), cleared ``by`` ``rule``, ``detector`` or ``rule+detector``. Never the text."""

    blanked: int
    by: str

    def to_fields(self) -> dict[str, object]:
        """As the log stores it: ``"pixels": {"blanked": N, "by": ...}``."""
        return {"blanked": self.blanked, "by": self.by}

    @classmethod
    def from_fields(cls, fields: object) -> PixelsCleaned | None:
        """The value these fields describe, or None when they are not one."""
        if not isinstance(fields, Mapping) or set(fields) != {"blanked", "by"}:
            return None
        blanked, by = fields["blanked"], fields["by"]
        if type(blanked) is not int or blanked < 0 or by not in PIXELS_CLEARED_BY:
            return None
        return cls(blanked, by)

    def __str__(self) -> str:
        return f"pixels: blanked {self.blanked} region{'s' * (self.blanked != 1)} ({self.by})"


PIXELS_CLEARED_BY = frozenset({"rule", "detector", "rule+detector"})


@dataclass(frozen=True)
class FileRecord:
    """One input of a run: ``event`` ``file``. ``pixels`` (written only when an output's pixels
    were cleaned) says how many regions were blanked."""

    EVENT: ClassVar[str] = "file"

    input: str  # keyed digest of the input's path relative to its root
    outcome: Outcome
    reason: Reason | None = None  # written as error_code
    output: str | None = None  # pseudonymous POSIX path relative to the output root
    output_sha256: str | None = None  # of the bytes written (ciphertext when encrypted)
    bytes_in: int = 0
    bytes_out: int = 0
    ms: int = 0
    # where a residual identifier was found (attribute paths, never values); only with
    # error_code residual_identifier, and only then written
    residual: tuple[str, ...] = ()
    pixels: PixelsCleaned | None = None

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        fields: dict[str, object] = {
            "input": self.input,
            "output": self.output,
            "output_sha256": self.output_sha256,
            "outcome": self.outcome.value,
            "error_code": None if self.reason is None else self.reason.value,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "ms": self.ms,
        }
        if self.residual:
            fields["residual"] = list(self.residual)
        if self.pixels is not None:
            fields["pixels"] = self.pixels.to_fields()
        return fields

    @classmethod
    def from_fields(cls, fields: object) -> FileRecord | None:
        """The record these fields describe, or None when they are not a valid file record (a
        record from an older version may carry ``input_hmac``, which meant nothing)."""
        if (
            not isinstance(fields, Mapping)
            or not FILE_FIELDS <= fields.keys() <= FILE_FIELDS | OPTIONAL_FIELDS
        ):
            return None
        pixels = None
        if "pixels" in fields and (pixels := PixelsCleaned.from_fields(fields["pixels"])) is None:
            return None
        residual = fields.get("residual", [])
        if not isinstance(residual, list) or not all(isinstance(r, str) for r in residual):
            return None
        try:
            outcome = Outcome(fields["outcome"])
            reason = None if fields["error_code"] is None else Reason(fields["error_code"])
        except ValueError:
            return None
        texts = (fields["input"], fields["output"], fields["output_sha256"])
        numbers = (fields["bytes_in"], fields["bytes_out"], fields["ms"])
        if not isinstance(texts[0], str) or any(t is not None and not isinstance(t, str) for t in texts[1:]):
            return None
        if any(type(n) is not int for n in numbers):
            return None
        return cls(
            fields["input"],
            outcome,
            reason,
            fields["output"],
            fields["output_sha256"],
            *numbers,
            tuple(residual),
            pixels,
        )


FILE_FIELDS = frozenset(FileRecord("", Outcome.WRITTEN).to_fields())
# ``pixels`` when an output's pixels were cleaned; ``residual`` where the gate found an
# identifier; ``input_hmac`` in records of older versions (it meant nothing)
OPTIONAL_FIELDS = frozenset({"pixels", "residual", "input_hmac"})


@dataclass(frozen=True)
class RunStart:
    """The start of a run: who, with what, on which (digested) roots. ``event`` ``run_start``."""

    EVENT: ClassVar[str] = "run_start"

    command: str  # scrub | decrypt
    operator: Mapping[str, object]
    tool: Mapping[str, str]
    args: Mapping[str, object]
    keys: Mapping[str, object]  # fingerprints and key ids only
    input_roots: list[str]  # keyed digests
    output_root_digest: str
    profile: Mapping[str, object] | None = None  # name, sha256, options (scrub)
    output_root_id: str | None = None  # the output tree's random id (scrub)

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them (absent optional parts are left out)."""
        out: dict[str, object] = {
            "command": self.command,
            "operator": dict(self.operator),
            "tool": dict(self.tool),
            "args": dict(self.args),
            "keys": dict(self.keys),
            "input_roots": list(self.input_roots),
            "output_root_digest": self.output_root_digest,
        }
        if self.profile is not None:
            out["profile"] = dict(self.profile)
        if self.output_root_id is not None:
            out["output_root_id"] = self.output_root_id
        return out


@dataclass(frozen=True)
class RunEnd:
    """The end of a run: counts by outcome (plus ``total``), status, exit code. ``event`` ``run_end``;
    with an audit key it also carries a signed checkpoint (added by the log)."""

    EVENT: ClassVar[str] = "run_end"

    counts: Mapping[str, int]
    status: RunStatus
    exit_code: int

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {
            "counts": {str(k): n for k, n in self.counts.items()} | {"total": sum(self.counts.values())},
            "status": self.status.value,
            "exit_code": self.exit_code,
        }


@dataclass(frozen=True)
class RunAbandoned:
    """Written by a later run that found this run's process dead: closes it. ``event`` ``run_abandoned``."""

    EVENT: ClassVar[str] = ABANDONED_EVENT

    abandoned_run: str
    recovered_records: int = 0

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {"abandoned_run": self.abandoned_run, "recovered_records": self.recovered_records}


@dataclass(frozen=True)
class LogSealed:
    """The last record of a file that rotation sealed (a checkpoint: signed with an audit key,
    anchored). ``event`` ``log_sealed``."""

    EVENT: ClassVar[str] = SEALED_EVENT

    generation: int  # of the sealed file (1: the log's first file)
    sealed_as: str  # the name it keeps beside the log (<log>.<generation>)
    open_runs: list[str]  # runs begun and not ended: their records go on in the next file

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {"generation": self.generation, "sealed_as": self.sealed_as, "open_runs": list(self.open_runs)}


@dataclass(frozen=True)
class LogOpen:
    """The first record of the file that follows a sealed one; its ``prev`` chains to the sealed
    file's last line. ``event`` ``log_open``."""

    EVENT: ClassVar[str] = LOG_OPEN_EVENT

    generation: int  # of this file
    log_id: str  # the log's id for good: SHA-256 of the first line of its first file
    prev_file: str  # the sealed file's name (beside this one)
    prev_lines: int
    open_runs: list[str]

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {
            "generation": self.generation,
            "log_id": self.log_id,
            "prev_file": self.prev_file,
            "prev_lines": self.prev_lines,
            "open_runs": list(self.open_runs),
        }


@dataclass(frozen=True)
class DryRun:
    """``scrub --dry-run``: what a run would have done, and nothing else (no run_start, no file
    records, no outputs). ``event`` ``dry_run``; it belongs to no run, so ``log verify`` takes it
    like any record outside a run (it chains, nothing pairs with it)."""

    EVENT: ClassVar[str] = "dry_run"

    command: str  # scrub
    operator: Mapping[str, object]
    tool: Mapping[str, str]
    args: Mapping[str, object]
    input_roots: list[str]  # keyed digests
    output_root_digest: str
    profile: Mapping[str, object]  # name, sha256, options
    counts: Mapping[str, int]  # by outcome, plus total
    problems: Mapping[str, int]  # "outcome:reason" -> count
    exit_code: int  # what the run would exit with

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {
            "command": self.command,
            "operator": dict(self.operator),
            "tool": dict(self.tool),
            "args": dict(self.args),
            "input_roots": list(self.input_roots),
            "output_root_digest": self.output_root_digest,
            "profile": dict(self.profile),
            "counts": {str(k): n for k, n in self.counts.items()} | {"total": sum(self.counts.values())},
            "problems": dict(self.problems),
            "exit_code": self.exit_code,
        }


@dataclass(frozen=True)
class EscrowWritten:
    """A scrub run's escrow file, sealed and about to get its final name: which file, its SHA-256,
    the fingerprints of the only keys that open it, how many rows. Never its content. ``event``
    ``escrow``, inside the run (before its ``run_end``)."""

    EVENT: ClassVar[str] = "escrow"

    file: str  # the file's name (escrow-<run id>.jsonl.age), not its folder
    sha256: str  # of the age file's bytes
    recipients: list[str]  # x25519:... fingerprints
    rows: int
    format_version: int

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "recipients": list(self.recipients),
            "rows": self.rows,
            "format_version": self.format_version,
        }


class AccessStatus(StrEnum):
    """How a lookup, export or pseudonym computation ended."""

    OK = "ok"
    FAILED = "failed"  # the escrow could not be opened (wrong key, damaged): nothing was answered


@dataclass(frozen=True)
class Query:
    """What was asked: its kind and a keyed digest of the value (never the value). The digest is
    None only when the key could not be read (a lookup whose escrow did not open)."""

    kind: str  # pseudonym | patient_id | uid | accession
    digest: str | None

    def to_fields(self) -> dict[str, object]:
        return {"kind": self.kind, "digest": self.digest}


@dataclass(frozen=True)
class EscrowLookup:
    """One question asked of escrow files (``dcmscrub escrow lookup``): who, with which keys, of
    which files (by SHA-256), what (keyed with the first file's query key), how many rows answered.
    ``event`` ``escrow_lookup``, a record of its own (its own ``run_id``, outside any run)."""

    EVENT: ClassVar[str] = "escrow_lookup"

    operator: Mapping[str, object]
    identities: list[str]  # x25519:... fingerprints of the identities given
    escrows: list[str]  # SHA-256 of each escrow file read (empty when they did not open)
    query: Query
    rows: int
    status: AccessStatus = AccessStatus.OK

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {
            "operator": dict(self.operator),
            "identities": list(self.identities),
            "escrows": list(self.escrows),
            "query": self.query.to_fields(),
            "rows": self.rows,
            "status": self.status.value,
        }


@dataclass(frozen=True)
class EscrowExport:
    """A plaintext export of escrow files (``dcmscrub escrow export``): who, with which keys, of
    which files, in which format, how many rows, the names of the files written. ``event``
    ``escrow_export``, a record of its own."""

    EVENT: ClassVar[str] = "escrow_export"

    operator: Mapping[str, object]
    identities: list[str]
    escrows: list[str]
    format: str  # csv | midi
    rows: int
    files: list[str]  # names only, not the folder
    status: AccessStatus = AccessStatus.OK

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {
            "operator": dict(self.operator),
            "identities": list(self.identities),
            "escrows": list(self.escrows),
            "format": self.format,
            "rows": self.rows,
            "files": list(self.files),
            "status": self.status.value,
        }


@dataclass(frozen=True)
class PseudonymQuery:
    """A pseudonym computed forward without a table (``dcmscrub pseudonym``): who, under which
    linkage key and profile, what (keyed with the linkage key's audit subkey, like a run's path
    digests), whether the profile gives it a pseudonym. ``event`` ``pseudonym``, a record of its own."""

    EVENT: ClassVar[str] = "pseudonym"

    operator: Mapping[str, object]
    linkage_key_id: str
    profile: Mapping[str, object]  # name, sha256
    query: Query
    answered: bool

    def to_fields(self) -> dict[str, object]:
        """The record's fields as the log stores them."""
        return {
            "operator": dict(self.operator),
            "linkage_key_id": self.linkage_key_id,
            "profile": dict(self.profile),
            "query": self.query.to_fields(),
            "answered": self.answered,
        }


Record = (
    FileRecord
    | RunStart
    | RunEnd
    | RunAbandoned
    | LogSealed
    | LogOpen
    | DryRun
    | EscrowWritten
    | EscrowLookup
    | EscrowExport
    | PseudonymQuery
)


def status_agrees(status: object, exit_code: object, counts: Mapping[str, int]) -> bool:
    """Whether a run_end's status and exit code can go with its counts."""
    if type(exit_code) is not int:
        return False
    problems = counts.get(Outcome.FAILED, 0) + counts.get(Outcome.QUARANTINED, 0)
    stopped = (ExitCode.INTERRUPTED, ExitCode.TERMINATED)
    if status == RunStatus.OK:
        return exit_code == ExitCode.OK and problems == 0
    if status == RunStatus.PARTIAL:
        return exit_code == ExitCode.PARTIAL and problems > 0
    if status == RunStatus.INTERRUPTED:
        return exit_code in stopped
    if status == RunStatus.FAILED:
        return exit_code not in (ExitCode.OK, ExitCode.PARTIAL, *stopped)
    return False
