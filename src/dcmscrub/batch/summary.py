"""What a scrub run did: counts by outcome, the problem files, the status and exit code, and what
the run says once at its end (notes, anchors, rotation, DICOMDIR, escrow)."""

from __future__ import annotations

import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dcmscrub.audit.records import RunStatus
from dcmscrub.batch.pool import Stop
from dcmscrub.batch.worker import FileResult
from dcmscrub.dicomio.dicomdir import DicomdirResult
from dcmscrub.errors import (
    DcmscrubError,
    ExitCode,
    PartialRunError,
    RunInterruptedError,
    RunTerminatedError,
)
from dcmscrub.outcomes import Note, Outcome


@dataclass
class RunSummary:
    """What a run did: counts by outcome, the exit code, where things went."""

    run_id: str
    out: Path
    log: Path | None
    counts: Counter[str] = field(default_factory=Counter)
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    status: RunStatus = RunStatus.OK
    exit_code: int = int(ExitCode.OK)
    ephemeral_key: bool = False
    encrypted: bool = True
    problems: list[FileResult] = field(default_factory=list)  # failed, quarantined and skipped files
    recovered_temps: int = 0
    taken_back: int = 0  # outputs removed again because their records could not be written
    left: int = 0  # results not committed after a stop that ended the run (the next run does them)
    error: DcmscrubError | None = None  # why the run is not a plain success (its exit_code is recorded)
    anchor_failures: list[str] = field(default_factory=list)  # anchor sinks that missed a checkpoint
    rotated: Path | None = None  # the sealed file, when the run rotated the log
    notes: Counter[Note] = field(default_factory=Counter)  # written outputs per note, said once a run
    dry_run: bool = False
    dicomdir: DicomdirResult | None = None  # what the DICOMDIR names (None: none was written)
    escrow: Path | None = None  # the run's escrow file, once it has its name

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object. Problem files are named by their path relative to their input
        root, as stderr names them (never in the audit log)."""
        return {
            "dry_run": self.dry_run,
            "problem_files": [
                {
                    "input": r.name,
                    "outcome": r.outcome.value,
                    "reason": None if r.reason is None else r.reason.value,
                }
                for r in self.problems
            ],
            "dicomdir": None if self.dicomdir is None else self.dicomdir.instances,
            "run_id": self.run_id,
            "status": self.status.value,
            "exit_code": self.exit_code,
            "counts": {o.value: self.counts.get(o, 0) for o in Outcome}
            | {"total": sum(self.counts.values())},
            "problems": dict(sorted(Counter(f"{r.outcome}:{r.reason}" for r in self.problems).items())),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 3),
            "files_per_second": round(sum(self.counts.values()) / self.seconds, 1) if self.seconds else None,
            "output": str(self.out),
            "log": str(self.log) if self.log else None,
            "encrypted": self.encrypted,
            "linkage_key": "ephemeral" if self.ephemeral_key else "file",
            "notes": {n.value: self.notes[n] for n in sorted(self.notes)},
            "escrow": str(self.escrow) if self.escrow else None,
        }

    def account(self, result: FileResult) -> None:
        """Count one committed result."""
        self.counts[result.outcome] += 1
        self.bytes_in += result.bytes_in
        self.bytes_out += result.bytes_out
        if result.outcome in (Outcome.FAILED, Outcome.QUARANTINED, Outcome.SKIPPED):
            self.problems.append(result)
        if result.outcome == Outcome.WRITTEN:
            self.notes.update(result.notes)

    def finish(self, stop: Stop) -> None:
        """Status, error and exit code from the counts and how the run stopped."""
        problems = self.counts[Outcome.FAILED] + self.counts[Outcome.QUARANTINED]
        if stop.fatal is not None:
            self.status, self.error = RunStatus.FAILED, stop.fatal
        elif stop.signal is not None:
            self.status = RunStatus.INTERRUPTED
            stopped = RunInterruptedError if stop.signal == signal.SIGINT else RunTerminatedError
            self.error = stopped("the run was stopped; files not started were left for the next run")
        elif problems:
            self.status = RunStatus.PARTIAL
            plural = problems != 1
            self.error = PartialRunError(
                f"{problems} input{'s' * plural} failed or {'were' if plural else 'was'} quarantined",
                hint="the summary above says why; rerun with -v to list them",
            )
        self.exit_code = int(self.error.exit_code) if self.error is not None else int(ExitCode.OK)


# --------------------------------------------------------------------------------------------
# the run
