"""``scrub --dry-run``: what each input would become, found the way a run finds it, written nowhere.

Every input goes through the worker as in a run (read, de-identify, encode) but the encoded
output goes into nothing: no output folder, no lock, no temporary file, no ``run_start`` or
``file`` records. Outputs that already exist count as ``exists`` (unless ``overwrite``) and two
inputs naming one output count the second as a duplicate, as a run would. The audit log gets one
``dry_run`` record with the counts, so that even a look at the data is on the record.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from dcmscrub.audit.line import new_run_id
from dcmscrub.audit.operator import operator_info, tool_versions
from dcmscrub.audit.records import DryRun
from dcmscrub.batch.commit import in_order
from dcmscrub.batch.pool import Stop, run_all
from dcmscrub.batch.scrub import ScrubOptions, check_output, handle_signals, open_audit, select_shard
from dcmscrub.batch.summary import RunSummary
from dcmscrub.batch.walk import InputFile, iter_inputs, resolve_roots
from dcmscrub.batch.worker import FileResult, WorkerSettings
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.outcomes import Outcome, Reason


def dry_run_tree(
    inputs: Sequence[Path],
    out: Path,
    options: ScrubOptions,
    *,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> RunSummary:
    """Count what :func:`~dcmscrub.batch.scrub.scrub_tree` would do with the same arguments."""
    started = time.perf_counter()
    roots = resolve_roots(inputs)
    out = check_output(out, roots)  # reads only: nothing is created
    key = options.linkage_key if options.linkage_key is not None else os.urandom(32)
    pseudonymizer = Pseudonymizer(key, options.profile.pseudonyms.namespace)
    audit = open_audit(options.log, pseudonymizer.audit_key, options.audit_signer)
    summary = RunSummary(
        new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom),
        out,
        options.log,
        ephemeral_key=options.linkage_key is None,
        encrypted=bool(options.sink.recipients),
        dry_run=True,
    )
    settings = WorkerSettings(
        out, options.profile, key, options.sink, options.overwrite, "dry", options.debug,
        options.max_header, media=options.dicomdir, dry_run=True, gate=options.gate,
    )  # fmt: skip
    items = select_shard(iter_inputs(roots), options.shard, pseudonymizer)
    if on_start is not None:
        on_start(len(items), sum(i.size for i in items if isinstance(i, InputFile)))
    stop = Stop()
    named: set[str] = set()
    with handle_signals(stop):
        for result in in_order(run_all(items, settings, options.jobs, stop)):
            _duplicate(result, named)
            summary.account(result)
            if on_result is not None:
                on_result(result)
    summary.finish(stop)
    summary.seconds = time.perf_counter() - started
    if audit is not None:
        profile = options.profile
        record = DryRun(
            command="scrub",
            operator=operator_info(os.environ),
            tool=tool_versions(),
            args=dict(options.command_args),
            input_roots=[audit.digest(str(r)) for r in roots],
            output_root_digest=audit.digest(str(out)),
            profile={"name": profile.name, "sha256": profile.sha256, "options": sorted(profile.options)},
            counts=dict(summary.counts),
            problems=dict(Counter(f"{r.outcome}:{r.reason}" for r in summary.problems)),
            exit_code=summary.exit_code,
        )
        audit.record(summary.run_id, record)
    return summary


def _duplicate(result: FileResult, named: set[str]) -> None:
    """The second input naming an output is a duplicate, as batch.commit decides in a run."""
    if result.output is None or result.outcome not in (Outcome.WRITTEN, Outcome.EXISTS):
        return
    if result.output in named:
        result.outcome, result.reason, result.output = Outcome.SKIPPED, Reason.DUPLICATE_SOP_INSTANCE, None
        return
    named.add(result.output)
