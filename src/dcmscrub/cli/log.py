"""``dcmscrub log verify|show``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.audit.access import ACCESS_EVENTS
from dcmscrub.audit.line import new_run_id, utc_now
from dcmscrub.audit.log import AuditLog, default_log_path
from dcmscrub.audit.rotate import rotate_log
from dcmscrub.audit.show import summarize_runs
from dcmscrub.audit.verify import VerifyResult, verify_log
from dcmscrub.cli import readers
from dcmscrub.cli.app import AUDIT_KEY_ENV, AnchorOpt, Command, DebugOpt, JsonOpt, examples, log_app
from dcmscrub.cli.console import error, info, print_json, print_rows, stderr_console, warn
from dcmscrub.errors import UsageError, VerificationFailed
from dcmscrub.keys import read_audit_public_key_file


@log_app.command(
    "verify",
    cls=Command,
    epilog=examples(
        "dcmscrub log verify                       # the default log",
        "dcmscrub log verify audit.jsonl --pubkey audit.key.pub",
        "dcmscrub log verify --check-outputs /data/release --json",
    ),
)
def log_verify(
    logs: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="LOG...",
            help="Log files, oldest first (rotated files in order); default: the default log.",
        ),
    ] = None,
    pubkey: Annotated[
        list[Path] | None,
        typer.Option("--pubkey", metavar="KEY", help="File with an audit public key (dcmscrubaudit1...)."),
    ] = None,
    check_outputs: Annotated[
        Path | None,
        typer.Option(
            "--check-outputs", metavar="DIR", help="Check the files in this output tree against the log."
        ),
    ] = None,
    anchors: Annotated[
        list[str] | None,
        typer.Option(
            "--anchors",
            metavar="FILE|journal",
            help="Check the log against the checkpoints anchored in FILE (a witness file or a syslog"
            " file) or in the journal (repeatable).",
        ),
    ] = None,
    only_given: Annotated[
        bool,
        typer.Option("--only-given", help="Do not look for the earlier files of a rotated log beside it."),
    ] = False,
    max_problems: Annotated[
        int, typer.Option("--max-problems", min=1, metavar="N", help="Print at most N problems (default 20).")
    ] = 20,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Check the log's chain, sequence, run pairing, signatures and (optionally) anchors and outputs.

    Every problem found is listed (up to --max-problems), not only the first. Given the current
    file of a rotated log, its earlier files (audit.jsonl.1, ...) are found beside it and checked first."""
    paths = _logs_or_default(logs)
    keys = [read_audit_public_key_file(p) for p in pubkey or []]
    result = verify_log(
        paths, public_keys=keys, check_outputs=check_outputs, anchors=anchors or [], earlier=not only_given
    )
    console = stderr_console()
    if json_out:
        print_json(result.to_dict())
    for w in result.warnings:
        warn(console, w)
    outputs = _outputs_line(result, check_outputs)
    if not result.ok:
        for problem in result.problems[:max_problems]:
            where = "" if problem["seq"] is None else f" at seq {problem['seq']}"
            name = Path(str(problem["file"])).name if len(result.files) > 1 else ""
            error(console, f"{name}{where}: {problem['problem']}".lstrip(" :"))
        more = result.problem_count - min(max_problems, len(result.problems))
        extra = f" ({more} more not shown)" if more > 0 else ""
        where = "" if result.first_bad_seq is None else f" at seq {result.first_bad_seq}"
        if outputs:
            info(console, outputs)
        raise VerificationFailed(
            f"log check failed{where}: {result.problem}; {result.problem_count} problem(s) in all{extra}"
        )
    done = f"log ok: {result.lines} lines, {result.runs} runs in {len(result.files)} file(s)"
    info(console, done + (f"; {outputs}" if outputs else ""))


@log_app.command(
    "rotate",
    cls=Command,
    epilog=examples(
        "dcmscrub log rotate                  # the default log",
        "dcmscrub log rotate ~/.local/state/dcmscrub/audit.jsonl --audit-key audit.key \\",
        "    --anchor /mnt/witness/dcmscrub-anchors.txt",
    ),
)
def log_rotate(
    log: Annotated[
        Path | None, typer.Argument(metavar="LOG", help="The log (default: the default log).")
    ] = None,
    audit_key: Annotated[
        Path | None,
        typer.Option(
            "--audit-key", metavar="FILE", help=f"Ed25519 key file to sign the seal (or ${AUDIT_KEY_ENV})."
        ),
    ] = None,
    anchor: AnchorOpt = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Seal the log with a checkpoint and start its next file, chained to it.

    The sealed file keeps its lines as LOG.1 (then LOG.2, ...: numbered oldest first, never
    renamed again, made read-only); LOG starts with a log_open record that chains to it."""
    path = log or default_log_path(os.environ)
    if not path.is_file():
        raise UsageError(f"log not found: {path}")
    audit = AuditLog(
        path,
        digest_key=os.urandom(32),
        signer=readers.audit_signer(audit_key),
        anchors=readers.anchors(anchor),
    )
    audit.check_writable()
    result = rotate_log(audit, new_run_id(utc_now, os.urandom))
    console = stderr_console()
    for sink in sorted(set(audit.anchor_failures)):
        warn(console, f"the seal could not be anchored in {sink}")
    if json_out:
        print_json(
            {
                "sealed": str(result.sealed),
                "generation": result.generation,
                "lines": result.lines,
                "open_runs": len(result.open_runs),
                "log": str(path),
            }
        )
    info(console, f"log sealed as {result.sealed.name} ({result.lines} lines); {path.name} goes on from it")


LISTED = 20  # missing or extra files named one per line, at most


def _outputs_line(result: VerifyResult, tree: Path | None) -> str:
    """How many outputs --check-outputs checked; each missing and extra file on its own line."""
    if tree is None or result.outputs_checked is None:
        return ""
    console = stderr_console()
    for label, names in (("missing", result.outputs_missing), ("not recorded", result.outputs_extra)):
        for name in names[:LISTED]:
            warn(console, f"{label}: {name}")
        if len(names) > LISTED:
            warn(console, f"... and {len(names) - LISTED} more {label}")
    return (
        f"{result.outputs_checked} recorded outputs checked in {tree}: "
        f"{len(result.outputs_missing)} missing, {len(result.outputs_changed)} changed, "
        f"{len(result.outputs_extra)} files not recorded"
    )


@log_app.command(
    "show",
    cls=Command,
    epilog=examples(
        "dcmscrub log show                    # a table on a terminal",
        "dcmscrub log show | cut -f1,7        # tab-separated in a pipe",
        "dcmscrub log show audit.jsonl --json",
    ),
)
def log_show(
    logs: Annotated[
        list[Path] | None, typer.Argument(metavar="LOG...", help="Log files (default: the default log).")
    ] = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Print the runs in the log, and each escrow lookup, export and forward pseudonym (who asked, when,
    whether it was answered): a table on a terminal, tab-separated lines in a pipe."""
    paths = _logs_or_default(logs)
    runs = summarize_runs(paths)
    if json_out:
        print_json({"runs": [vars(r) for r in runs]})
        return
    if sys.stdout.isatty():
        header = ["run", "started", "profile", "status", "files", "output", "sig"]
        rows = [
            [
                r.run_id[-8:],
                _when(r.started),
                _text(r.profile) if r.command == "scrub" else _text(r.command),
                _text(r.status) + ("" if r.exit_code is None else f" {r.exit_code}"),
                _counts(r.counts, short=True),
                _text(r.output)[:8],
                "yes" if r.signed else "no",
            ]
            for r in runs
        ]
        accesses = sum(1 for r in runs if r.command in ACCESS_COMMANDS)
        title = f"{len(runs) - accesses} runs" + (f", {accesses} accesses" if accesses else "")
        title += f"; files: {LEGEND}"
        print_rows(
            header,
            rows,
            title=title,
            fixed=("run", "started", "files", "output", "sig"),
            cut=("profile", "status"),
        )
        return
    header = ["run_id", "started", "ended", "user", "host", "command", "profile", "status", "exit_code"]
    header += ["counts", "output_root_id", "signed"]
    rows = [
        [
            r.run_id,
            _text(r.started),
            _text(r.ended),
            _text(r.user),
            _text(r.host),
            _text(r.command),
            _text(r.profile),
            _text(r.status),
            _text(r.exit_code),
            _counts(r.counts, short=False),
            _text(r.output),
            "yes" if r.signed else "no",
        ]
        for r in runs
    ]
    print_rows(header, rows)


def _logs_or_default(logs: list[Path] | None) -> list[Path]:
    """The logs named, else the default log; each must be a file."""
    paths = logs or [default_log_path(os.environ)]
    for path in paths:
        if not path.is_file():
            hint = None if logs else "name the log (LOG), or set DCMSCRUB_LOG"
            raise UsageError(f"log not found: {path}", hint=hint)
    return paths


def _text(value: object) -> str:
    return "-" if value is None else str(value)


def _when(ts: str | None) -> str:
    """``2026-05-01 12:34`` (UTC) from the log's timestamp."""
    return "-" if ts is None else ts[:16].replace("T", " ")


# log show's command column for an escrow lookup or export or a forward pseudonym
ACCESS_COMMANDS = frozenset(e.replace("_", " ") for e in ACCESS_EVENTS)
SHORT = {"written": "w", "exists": "e", "quarantined": "q", "skipped": "s", "failed": "f"}
LEGEND = ", ".join(f"{v} {k}" for k, v in SHORT.items())


def _counts(counts: dict[str, int] | None, *, short: bool) -> str:
    """``10w 1q 5s`` on a terminal, ``written=10 quarantined=1 skipped=5`` in a pipe."""
    if counts is None:
        return "-"
    order = [*SHORT, *sorted(set(counts) - set(SHORT))]
    items = [(k, counts[k]) for k in order if k in counts and k != "total" and counts[k]]
    if short:
        return " ".join(f"{n}{SHORT.get(k, k)}" for k, n in items) or "none"
    return " ".join(f"{k}={n}" for k, n in items) or "none"
