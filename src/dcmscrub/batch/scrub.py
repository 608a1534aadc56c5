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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dcmscrub.audit.anchor import AnchorSink
from dcmscrub.audit.journal import RunMark
from dcmscrub.audit.line import audit_key_fingerprint, new_run_id
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.operator import operator_info, tool_versions
from dcmscrub.audit.records import RunEnd, RunStart
from dcmscrub.audit.rotate import rotate_log
from dcmscrub.batch.commit import CommitBatch, in_order
from dcmscrub.batch.escrowing import RunEscrow
from dcmscrub.batch.media import tree_dicomdir
from dcmscrub.batch.outtree import OutputTree, Shard, sweep_temps
from dcmscrub.batch.pixels import check_detector
from dcmscrub.batch.pool import Stop, run_all
from dcmscrub.batch.recovery import hold_mark, take_mark
from dcmscrub.batch.review import RunReview
from dcmscrub.batch.sink import Sink
from dcmscrub.batch.summary import RunSummary
from dcmscrub.batch.walk import InputFile, Skipped, is_within, iter_inputs, resolve_roots
from dcmscrub.batch.worker import FileResult, WorkerSettings
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.dicomio.limits import DEFAULT_MAX_HEADER
from dcmscrub.errors import (
    ConfigError,
    OutputError,
    StorageError,
    UsageError,
)
from dcmscrub.escrow.writer import EscrowOptions, check_escrow
from dcmscrub.keys import linkage_key_id, recipient_set_fingerprint
from dcmscrub.outcomes import Reason


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
    escrow: EscrowOptions | None = None  # a re-identification table for the escrow recipients only
    review: Path | None = None  # write what clean removed there, encrypted (batch/review.py)
    # check every output against its input before release (deid.gate); off only to measure its cost
    gate: bool = True


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
    roots, out, review = _check_places(inputs, out, options)
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
    escrow = RunEscrow(None, run_id="", profile=options.profile, key_id="", stop=Stop())
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
            escrow=bool(options.escrow),
            review=review.enabled,
            gate=options.gate,
        )
        summary.run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
        mark = _start(audit, summary.run_id, options, key=key, roots=roots, out=out, root_id=tree.root_id)
        items = select_shard(iter_inputs(roots), options.shard, pseudonymizer)
        if on_start is not None:
            on_start(len(items), sum(i.size for i in items if isinstance(i, InputFile)))
        stop = Stop()
        key_id = "ephemeral" if ephemeral else linkage_key_id(key)
        escrow = RunEscrow(
            options.escrow, run_id=summary.run_id, profile=options.profile, key_id=key_id, stop=stop
        )

        def taken(result: FileResult) -> None:
            review.take(result)  # merges, then drops, what clean removed from this output
            if on_result is not None:
                on_result(result)

        _commit_all(items, settings, options, summary, audit=audit, mark=mark, escrow=escrow, on_result=taken)
        escrow.finish(audit, summary.run_id)
        summary.escrow = escrow.path
        _after_work(tree, options, escrow.stop, summary)
        summary.finish(stop)
        summary.seconds = time.perf_counter() - started
        if audit is not None:
            _end(audit, mark, summary, options)
        review.write(summary.run_id, options.profile, overwrite=options.overwrite)  # after the run is logged
        if stop.fatal is not None:
            raise stop.fatal
        clean_end = True
    finally:
        escrow.abort()  # no-op once finished: an escrow appears whole, logged, or not at all
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


def _check_places(
    inputs: Sequence[Path], out: Path, options: ScrubOptions
) -> tuple[list[Path], Path, RunReview]:
    """The inputs, the output tree, the escrow and review places, checked before anything is
    written: the resolved roots, the output tree and the run's review (disabled without one)."""
    roots = resolve_roots(inputs)
    out = check_output(out, roots)
    if options.escrow is not None:
        check_escrow(options.escrow, options.sink.recipients, out, roots)
    return roots, out, RunReview(options.review, options.sink.recipients, out, roots)


def _end(audit: AuditLog, mark: RunMark, summary: RunSummary, options: ScrubOptions) -> None:
    """Write the run's ``run_end``, release its mark, then rotate and report missed anchors."""
    audit.record(summary.run_id, RunEnd(dict(summary.counts), summary.status, summary.exit_code))
    mark.release()
    summary.rotated = _rotate_if_large(audit, options.rotate_size)
    summary.anchor_failures = sorted(set(audit.anchor_failures))


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
    """Options that cannot go together, refused before anything is read or written; a pixel
    detector the profile needs must be there."""
    check_detector(options.profile)
    if options.shard is not None and options.linkage_key is None:
        raise ConfigError("--shard needs a linkage key shared by all shards", hint="give --linkage-key FILE")
    if options.dicomdir and options.sink.recipients:
        raise UsageError(
            "a DICOMDIR holds header values in clear: it is never written beside encrypted outputs",
            hint="make it where the outputs are read: dcmscrub decrypt --dicomdir (or scrub --no-encrypt)",
        )
    if options.dry_run and options.review is not None:
        raise UsageError(
            "--review writes what clean removed from the outputs; a dry run writes no outputs",
            hint="drop --dry-run or --review",
        )
    if options.dicomdir and options.shard is not None:
        raise UsageError(
            "--dicomdir names every file of the tree: build it after the shards",
            hint="run the same scrub once more without --shard, or dcmscrub decrypt --dicomdir",
        )


def _commit_all(
    items: list[InputFile | Skipped],
    settings: WorkerSettings,
    options: ScrubOptions,
    summary: RunSummary,
    *,
    audit: AuditLog | None,
    mark: RunMark,
    escrow: RunEscrow,
    on_result: Callable[[FileResult], None] | None,
) -> None:
    """Run the workers and commit their results in input order (until done or stopped)."""
    stop = escrow.stop

    def committed(result: FileResult) -> None:
        escrow.committed(result)
        summary.account(result)
        if on_result is not None:
            on_result(result)

    batch = CommitBatch(
        summary.out,
        options.overwrite,
        audit,
        run_id=summary.run_id,
        stop=stop,
        mark=mark,
        on_committed=committed,
    )
    with handle_signals(stop):
        for result in in_order(run_all(items, settings, options.jobs, stop)):
            batch.add(result)
        batch.flush()
    summary.taken_back, summary.left = batch.taken_back, batch.left


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
    escrow = options.escrow.recipients if options.escrow is not None else ()
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
            **({"escrow_recipients": [r.fingerprint for r in escrow]} if escrow else {}),
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


def select_shard(
    found: Iterator[InputFile | Skipped], shard: Shard | None, p: Pseudonymizer
) -> list[InputFile | Skipped]:
    if shard is None:
        return list(found)
    return [item for item in found if p.shard_of(item.relpath, shard.count) == shard.index - 1]
