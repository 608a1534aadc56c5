"""``dcmscrub log show``: one row per run of a log, and one per re-identification access (an escrow
lookup or export, a forward pseudonym: each has a run id of its own). Reads, does not verify."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dcmscrub.audit.access import ACCESS_EVENTS
from dcmscrub.audit.line import ABANDONED_EVENT
from dcmscrub.audit.records import DryRun
from dcmscrub.audit.verify import log_lines

DRY_RUN_EVENT = DryRun.EVENT


@dataclass
class RunSummaryRow:
    """One run for ``log show``; None where the log does not say (e.g. a run that has not ended)."""

    run_id: str
    started: str | None
    ended: str | None
    user: str | None
    host: str | None
    command: str | None
    profile: str | None
    counts: dict[str, int] | None
    status: str | None
    exit_code: int | None
    signed: bool
    output: str | None = None  # the output tree's id (output_root_id; log verify --check-outputs)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def summarize_runs(paths: Sequence[Path]) -> list[RunSummaryRow]:
    """One row per run, in the order runs first appear. Does not verify: lines that do not parse
    are skipped (run :func:`verify_log` for integrity)."""
    rows: dict[str, RunSummaryRow] = {}
    for path in paths:
        for raw in log_lines(path):
            try:
                rec = json.loads(raw)
            except (ValueError, RecursionError):
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("run_id"), str):
                continue
            event, run_id = rec.get("event"), rec["run_id"]
            if event not in ("run_start", "run_end"):
                _add_other(rows, rec)
                continue
            row = rows.get(run_id)
            if row is None:
                row = rows[run_id] = RunSummaryRow(
                    run_id, None, None, None, None, None, None, None, None, None, False
                )
            ts = _str_or_none(rec.get("ts"))
            if event == "run_start":
                operator = rec["operator"] if isinstance(rec.get("operator"), dict) else {}
                profile = rec["profile"] if isinstance(rec.get("profile"), dict) else {}
                row.started = ts
                row.user = _str_or_none(operator.get("user"))
                row.host = _str_or_none(operator.get("host"))
                row.command = _str_or_none(rec.get("command"))
                row.profile = _str_or_none(profile.get("name"))
                row.output = _str_or_none(rec.get("output_root_id"))
            else:
                counts = rec.get("counts")
                exit_code = rec.get("exit_code")
                row.ended = ts
                row.status = _str_or_none(rec.get("status"))
                row.exit_code = exit_code if type(exit_code) is int else None
                if isinstance(counts, dict) and all(type(n) is int for n in counts.values()):
                    row.counts = dict(counts)
                row.signed = isinstance(rec.get("sig"), str)
    return list(rows.values())


def _add_other(rows: dict[str, RunSummaryRow], rec: dict[str, Any]) -> None:
    """A record that is not a run's start or end: a dead run's end, a dry run, an access."""
    event, run_id = rec.get("event"), rec["run_id"]
    if event == ABANDONED_EVENT and isinstance(rec.get("abandoned_run"), str):
        dead = rows.get(rec["abandoned_run"])
        if dead is not None and dead.status is None:
            dead.ended, dead.status = _str_or_none(rec.get("ts")), "abandoned"
    elif event == DRY_RUN_EVENT:
        rows[run_id] = _dry_run_row(run_id, rec)
    elif event in ACCESS_EVENTS:  # one row per record: a lookup of several questions has several
        rows[f"{run_id}\0{len(rows)}"] = _access_row(run_id, rec)


def _dry_run_row(run_id: str, rec: dict[str, Any]) -> RunSummaryRow:
    """A ``scrub --dry-run``: one record, counts of what would have happened."""
    counts, exit_code = rec.get("counts"), rec.get("exit_code")
    if not (isinstance(counts, dict) and all(type(n) is int for n in counts.values())):
        counts = None
    return _one_record_row(
        run_id,
        rec,
        _str_or_none(rec.get("command")),
        "dry run",
        counts=dict(counts) if counts is not None else None,
        exit_code=exit_code if type(exit_code) is int else None,
    )


def _access_row(run_id: str, rec: dict[str, Any]) -> RunSummaryRow:
    """An escrow lookup or export, or a forward pseudonym: who asked and whether it was answered
    (the question itself is only a keyed digest in the log, and is not shown)."""
    if rec["event"] == "pseudonym":
        answered = rec.get("answered")
        status = None if not isinstance(answered, bool) else "answered" if answered else "not answered"
    else:
        status = _str_or_none(rec.get("status"))
    return _one_record_row(run_id, rec, str(rec["event"]).replace("_", " "), status)


def _one_record_row(
    run_id: str,
    rec: dict[str, Any],
    command: str | None,
    status: str | None,
    *,
    counts: dict[str, int] | None = None,
    exit_code: int | None = None,
) -> RunSummaryRow:
    """A row for what one record says whole (started and ended at its time, never signed)."""
    operator = rec["operator"] if isinstance(rec.get("operator"), dict) else {}
    profile = rec["profile"] if isinstance(rec.get("profile"), dict) else {}
    ts = _str_or_none(rec.get("ts"))
    return RunSummaryRow(
        run_id,
        ts,
        ts,
        _str_or_none(operator.get("user")),
        _str_or_none(operator.get("host")),
        command,
        _str_or_none(profile.get("name")),
        counts,
        status,
        exit_code,
        False,
    )
