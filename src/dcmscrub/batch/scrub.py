"""Scrub a tree: find inputs, de-identify each, write it (encrypted) atomically, log every access.

:func:`scrub_tree` is the one call behind ``dcmscrub scrub``. It walks the inputs
(:mod:`~dcmscrub.batch.walk`), hands them to workers (:mod:`~dcmscrub.batch.pool`,
:mod:`~dcmscrub.batch.worker`) that read, de-identify and write each file through the run's sink
under a temporary name, and commits the results in input order (:mod:`~dcmscrub.batch.commit`):
final names, then one audit record per input. One bad file never stops the batch; a failure to
log does (exit 74).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dcmscrub.audit.journal import RunMark
from dcmscrub.audit.line import audit_key_fingerprint, new_run_id
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.operator import operator_info, tool_versions
from dcmscrub.audit.records import RunEnd, RunStart, RunStatus
from dcmscrub.batch.commit import CommitBatch, in_order
from dcmscrub.batch.outtree import OutputTree, Shard, sweep_temps
from dcmscrub.batch.pixels import check_detector
from dcmscrub.batch.pool import Stop, run_all
from dcmscrub.batch.recovery import hold_mark
from dcmscrub.batch.sink import Sink
from dcmscrub.batch.walk import InputFile, Skipped, is_within, iter_inputs, resolve_roots
from dcmscrub.batch.worker import FileResult, WorkerSettings
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.errors import (
    ConfigError,
    DcmscrubError,
    ExitCode,
    OutputError,
    PartialRunError,
    RunInterruptedError,
    RunTerminatedError,
)
from dcmscrub.keys import linkage_key_id, recipient_set_fingerprint
from dcmscrub.outcomes import Outcome, Reason


@dataclass(frozen=True)
class ScrubOptions:
    """How to scrub: the profile, where outputs go (the sink), the keys, the log, the parallelism.

    Without ``linkage_key`` a random secret is used for this run only (pseudonyms then match no
    other run). ``log`` None writes no audit log (library use; the CLI always logs).
    """

    profile: Profile
    sink: Sink  # AgeSink(recipients), or PlainSink() for plain outputs (asked for)
    linkage_key: bytes | None = None
    log: Path | None = None
    audit_signer: Ed25519PrivateKey | None = None
    overwrite: bool = False
    jobs: int = 1
    shard: Shard | None = None
    command_args: Mapping[str, object] = field(default_factory=dict)  # recorded in run_start
    debug: bool = False


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
    error: DcmscrubError | None = None  # why the run is not a plain success (its exit_code is recorded)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object (no file names: they may carry patient data)."""
        return {
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
        }

    def account(self, result: FileResult) -> None:
        """Count one committed result."""
        self.counts[result.outcome] += 1
        self.bytes_in += result.bytes_in
        self.bytes_out += result.bytes_out
        if result.outcome in (Outcome.FAILED, Outcome.QUARANTINED, Outcome.SKIPPED):
            self.problems.append(result)

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


@contextlib.contextmanager
def _signals(stop: Stop) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        stop.signal = signum

    saved = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in saved.items():
            signal.signal(s, h)


def scrub_tree(
    inputs: Sequence[Path],
    out: Path,
    options: ScrubOptions,
    *,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> RunSummary:
    """De-identify every DICOM file under ``inputs`` into ``out``; see the module docstring.

    ``on_start(files, bytes)`` is called once the inputs are known, ``on_result`` once per input
    as it is committed. Raises :class:`~dcmscrub.errors.DcmscrubError` subclasses for problems
    that stop the whole run (bad input path 66, output inside input 73, locked 75, bad
    configuration 78, audit log 74).
    """
    started = time.perf_counter()
    if options.shard is not None and options.linkage_key is None:
        raise ConfigError("--shard needs a linkage key shared by all shards", hint="give --linkage-key FILE")
    check_detector(options.profile)
    roots = resolve_roots(inputs)
    out = _check_output(out, roots)
    ephemeral = options.linkage_key is None
    key = options.linkage_key if options.linkage_key is not None else os.urandom(32)
    tree = OutputTree(out, options.shard)
    tree.prepare()
    summary = RunSummary(
        "",
        out,
        options.log,
        ephemeral_key=ephemeral,
        encrypted=bool(options.sink.recipients),
        recovered_temps=tree.recovered_temps,
    )
    clean_end = False
    mark = RunMark(None, -1)
    try:
        settings = WorkerSettings(
            out, options.profile, key, options.sink, options.overwrite, tree.tag, options.debug
        )
        pseudonymizer = Pseudonymizer(key, options.profile.pseudonyms.namespace)
        audit = open_audit(options.log, pseudonymizer.audit_key, options.audit_signer)
        summary.run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
        if audit is not None:
            start = _run_start(
                audit, options, key=key, ephemeral=ephemeral, roots=roots, out=out, root_id=tree.root_id
            )
            audit.record(summary.run_id, start)
        mark = hold_mark(audit, summary.run_id)
        items = _select(iter_inputs(roots), options.shard, pseudonymizer)
        if on_start is not None:
            on_start(len(items), sum(i.size for i in items if isinstance(i, InputFile)))
        stop = Stop()

        def committed(result: FileResult) -> None:
            summary.account(result)
            if on_result is not None:
                on_result(result)

        batch = CommitBatch(
            out, options.overwrite, audit, run_id=summary.run_id, stop=stop, mark=mark, on_committed=committed
        )
        with _signals(stop):
            for result in in_order(run_all(items, settings, options.jobs, stop)):
                batch.add(result)
            batch.flush()
        summary.finish(stop)
        if any(r.reason == Reason.WORKER_DIED for r in summary.problems):
            sweep_temps(out, tree.tag)  # a killed worker may have left its temporary file
        summary.seconds = time.perf_counter() - started
        if audit is not None:
            audit.record(summary.run_id, RunEnd(dict(summary.counts), summary.status, summary.exit_code))
            mark.release()
        if stop.fatal is not None:
            raise stop.fatal
        clean_end = True
    finally:
        mark.abandon()  # no-op after release(); otherwise the next run records this one as abandoned
        tree.release(clean=clean_end)
    return summary


def _check_output(out: Path, roots: Sequence[Path]) -> Path:
    real = out.resolve()
    for root in roots:
        if is_within(real, root):
            raise OutputError(
                f"output folder {out} is inside input {root}", hint="write outputs outside every input tree"
            )
        if is_within(root, real):
            raise OutputError(
                f"input {root} is inside output folder {out}",
                hint="write outputs to a folder that holds no input",
            )
    if real.exists() and not real.is_dir():
        raise OutputError(f"output {out} exists and is not a folder")
    return real


def open_audit(log: Path | None, digest_key: bytes, signer: Ed25519PrivateKey | None) -> AuditLog | None:
    """The audit log of a run, checked to be appendable before any work (None: no log)."""
    if log is None:
        return None
    audit = AuditLog(log, digest_key=digest_key, signer=signer)
    audit.check_writable()
    return audit


def _run_start(
    audit: AuditLog,
    options: ScrubOptions,
    *,
    key: bytes,
    ephemeral: bool,
    roots: Sequence[Path],
    out: Path,
    root_id: str,
) -> RunStart:
    profile = options.profile
    recipients = options.sink.recipients
    signer = options.audit_signer
    return RunStart(
        command="scrub",
        operator=operator_info(os.environ),
        tool=tool_versions(),
        args=dict(options.command_args),
        keys={
            "recipients": [r.fingerprint for r in recipients],
            "recipient_set_sha256": recipient_set_fingerprint(recipients) if recipients else None,
            "linkage_key_id": "ephemeral" if ephemeral else linkage_key_id(key),
            "audit_key": audit_key_fingerprint(signer.public_key()) if signer is not None else None,
        },
        input_roots=[audit.digest(str(r)) for r in roots],
        output_root_digest=audit.digest(str(out)),
        profile={
            "name": profile.name,
            "sha256": profile.sha256,
            "options": sorted(profile.options),
            **_pixel_fields(profile),
        },
        output_root_id=root_id,
    )


def _pixel_fields(profile: Profile) -> dict[str, object]:
    """What the run's pixel cleaning rests on (only when the profile cleans pixels): the built-in
    catalogue's revision and digest, the number of the profile's own rules, the detector mode."""
    pixels = profile.pixels
    if not pixels.rules and pixels.catalogue is None and pixels.detector.enabled == "off":
        return {}
    catalogue = pixels.catalogue
    return {
        "pixels": {
            "rules": len(pixels.rules),
            "catalogue": None
            if catalogue is None
            else {"revision": catalogue.revision, "sha256": catalogue.sha256},
            "detector": pixels.detector.enabled,
        }
    }


def _select(
    found: Iterator[InputFile | Skipped], shard: Shard | None, p: Pseudonymizer
) -> list[InputFile | Skipped]:
    if shard is None:
        return list(found)
    return [item for item in found if p.shard_of(item.relpath, shard.count) == shard.index - 1]
