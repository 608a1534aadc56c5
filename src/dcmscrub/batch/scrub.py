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

from dcmscrub.audit.anchor import AnchorSink
from dcmscrub.audit.journal import RunMark
from dcmscrub.audit.line import audit_key_fingerprint, new_run_id
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.operator import operator_info, tool_versions
from dcmscrub.audit.records import RunEnd, RunStart, RunStatus
from dcmscrub.audit.rotate import rotate_log
from dcmscrub.batch.commit import CommitBatch, in_order
from dcmscrub.batch.media import tree_dicomdir
from dcmscrub.batch.outtree import OutputTree, Shard, sweep_temps
from dcmscrub.batch.pool import Stop, run_all
from dcmscrub.batch.recovery import hold_mark, take_mark
from dcmscrub.batch.sink import Sink
from dcmscrub.batch.walk import InputFile, Skipped, is_within, iter_inputs, resolve_roots
from dcmscrub.batch.worker import FileResult, WorkerSettings
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.dicomio.dicomdir import DicomdirResult
from dcmscrub.dicomio.limits import DEFAULT_MAX_HEADER
from dcmscrub.errors import (
    ConfigError,
    DcmscrubError,
    ExitCode,
    OutputError,
    PartialRunError,
    RunInterruptedError,
    RunTerminatedError,
    StorageError,
    UsageError,
)
from dcmscrub.keys import linkage_key_id, recipient_set_fingerprint
from dcmscrub.outcomes import Note, Outcome, Reason


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
    anchors: tuple[AnchorSink, ...] = ()  # where each run_end checkpoint is also written
    rotate_size: int | None = None  # rotate the log after the run once it is this large (bytes)
    max_header: int = DEFAULT_MAX_HEADER  # what one file's header may cost; past it: too_large
    dry_run: bool = False  # count what each input would become; write nothing but a dry_run record
    dicomdir: bool = False  # plain outputs only: 8-character file IDs and a DICOMDIR (PS3.10)


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


@contextlib.contextmanager
def handle_signals(stop: Stop) -> Iterator[None]:
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
    check_options(options)
    if options.dry_run:
        from dcmscrub.batch.dryrun import dry_run_tree  # (dryrun imports this module)

        return dry_run_tree(inputs, out, options, on_start=on_start, on_result=on_result)
    roots = resolve_roots(inputs)
    out = check_output(out, roots)
    ephemeral = options.linkage_key is None
    key = options.linkage_key if options.linkage_key is not None else os.urandom(32)
    pseudonymizer = Pseudonymizer(key, options.profile.pseudonyms.namespace)
    # the log first: a log that cannot be kept stops the run before the output tree is touched
    audit = open_audit(options.log, pseudonymizer.audit_key, options.audit_signer, options.anchors)
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
            out,
            options.profile,
            key,
            options.sink,
            options.overwrite,
            tree.tag,
            options.debug,
            options.max_header,
            media=options.dicomdir,
        )
        summary.run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
        mark = _start(audit, summary.run_id, options, key=key, roots=roots, out=out, root_id=tree.root_id)
        items = select_shard(iter_inputs(roots), options.shard, pseudonymizer)
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
        with handle_signals(stop):
            for result in in_order(run_all(items, settings, options.jobs, stop)):
                batch.add(result)
            batch.flush()
        summary.taken_back, summary.left = batch.taken_back, batch.left
        _after_work(tree, options, stop, summary)
        summary.finish(stop)
        summary.seconds = time.perf_counter() - started
        if audit is not None:
            audit.record(summary.run_id, RunEnd(dict(summary.counts), summary.status, summary.exit_code))
            mark.release()
            summary.rotated = _rotate_if_large(audit, options.rotate_size)
            summary.anchor_failures = sorted(set(audit.anchor_failures))
        if stop.fatal is not None:
            raise stop.fatal
        clean_end = True
    finally:
        mark.abandon()  # no-op after release(); otherwise the next run records this one as abandoned
        tree.release(clean=clean_end)
    return summary


def _start(
    audit: AuditLog | None,
    run_id: str,
    options: ScrubOptions,
    *,
    key: bytes,
    roots: Sequence[Path],
    out: Path,
    root_id: str,
) -> RunMark:
    """Mark the run alive, write its ``run_start``, close the runs found dead: the run's mark."""
    mark = take_mark(audit, run_id)
    if audit is not None:
        ephemeral = options.linkage_key is None
        start = _run_start(
            audit, options, key=key, ephemeral=ephemeral, roots=roots, out=out, root_id=root_id
        )
        try:
            audit.record(run_id, start)
        except BaseException:
            mark.release()  # no run_start, no run: nothing for a later run to record as abandoned
            raise
    return hold_mark(audit, run_id, mark)


def _rotate_if_large(audit: AuditLog, limit: int | None) -> Path | None:
    """Rotate the log after a run once it has grown to ``limit`` bytes (``--rotate-size``)."""
    if limit is None or audit.end_offset() < limit:
        return None
    run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
    return rotate_log(audit, run_id).sealed


def _after_work(tree: OutputTree, options: ScrubOptions, stop: Stop, summary: RunSummary) -> None:
    """Once every result is committed: sweep a killed worker's temporary file, write the DICOMDIR."""
    if any(r.reason == Reason.WORKER_DIED for r in summary.problems):
        sweep_temps(tree.root, tree.tag)  # a killed worker may have left its temporary file
    if options.dicomdir and not stop.requested:
        try:
            summary.dicomdir = tree_dicomdir(tree.root, tree.state)
        except StorageError as exc:
            stop.fatal = exc  # recorded in run_end (exit 74), then raised


def check_options(options: ScrubOptions) -> None:
    """Options that cannot go together, refused before anything is read or written."""
    if options.shard is not None and options.linkage_key is None:
        raise ConfigError("--shard needs a linkage key shared by all shards", hint="give --linkage-key FILE")
    if options.dicomdir and options.sink.recipients:
        raise UsageError(
            "a DICOMDIR holds header values in clear: it is never written beside encrypted outputs",
            hint="make it where the outputs are read: dcmscrub decrypt --dicomdir (or scrub --no-encrypt)",
        )
    if options.dicomdir and options.shard is not None:
        raise UsageError(
            "--dicomdir names every file of the tree: build it after the shards",
            hint="run the same scrub once more without --shard, or dcmscrub decrypt --dicomdir",
        )


def check_output(out: Path, roots: Sequence[Path]) -> Path:
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


def open_audit(
    log: Path | None,
    digest_key: bytes,
    signer: Ed25519PrivateKey | None,
    anchors: Sequence[AnchorSink] = (),
) -> AuditLog | None:
    """The audit log of a run, checked to be appendable before any work (None: no log)."""
    if log is None:
        return None
    audit = AuditLog(log, digest_key=digest_key, signer=signer, anchors=anchors)
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
        profile={"name": profile.name, "sha256": profile.sha256, "options": sorted(profile.options)},
        output_root_id=root_id,
    )


def select_shard(
    found: Iterator[InputFile | Skipped], shard: Shard | None, p: Pseudonymizer
) -> list[InputFile | Skipped]:
    if shard is None:
        return list(found)
    return [item for item in found if p.shard_of(item.relpath, shard.count) == shard.index - 1]
