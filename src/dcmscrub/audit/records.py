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

from dcmscrub.audit.line import ABANDONED_EVENT
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
            fields["input"], outcome, reason, fields["output"], fields["output_sha256"], *numbers, pixels
        )


FILE_FIELDS = frozenset(FileRecord("", Outcome.WRITTEN).to_fields())
# ``pixels`` when an output's pixels were cleaned; ``input_hmac`` in records of older versions
OPTIONAL_FIELDS = frozenset({"pixels", "input_hmac"})


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


Record = FileRecord | RunStart | RunEnd | RunAbandoned


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
