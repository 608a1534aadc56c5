"""``dcmscrub log verify|show``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.audit.line import new_run_id, utc_now
from dcmscrub.audit.log import AuditLog, default_log_path
from dcmscrub.audit.rotate import rotate_log
from dcmscrub.audit.show import summarize_runs
from dcmscrub.audit.verify import verify_log
from dcmscrub.cli import readers
from dcmscrub.cli.app import AUDIT_KEY_ENV, AnchorOpt, DebugOpt, JsonOpt, log_app
from dcmscrub.cli.console import (
    error,
    info,
    print_json,
    render_table,
    stderr_console,
    stdout_console,
    warn,
)
from dcmscrub.errors import UsageError, VerificationFailed
from dcmscrub.keys import read_audit_public_key_file


@log_app.command(
    "verify",
    epilog="Examples:\n\n  dcmscrub log verify ~/.local/state/dcmscrub/audit.jsonl --pubkey audit.pub\n\n"
    "  dcmscrub log verify audit.jsonl --check-outputs /data/release --json",
)
def log_verify(
    logs: Annotated[
        list[Path], typer.Argument(metavar="LOG", help="Log files, oldest first (rotated files in order).")
    ],
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
    for path in logs:
        if not path.is_file():
            raise UsageError(f"log not found: {path}")
    keys = [read_audit_public_key_file(p) for p in pubkey or []]
    result = verify_log(
        logs, public_keys=keys, check_outputs=check_outputs, anchors=anchors or [], earlier=not only_given
    )
    console = stderr_console()
    if json_out:
        print_json(result.to_dict())
    for w in result.warnings:
        warn(console, w)
    if not result.ok:
        for problem in result.problems[:max_problems]:
            where = "" if problem["seq"] is None else f" at seq {problem['seq']}"
            name = Path(str(problem["file"])).name if len(result.files) > 1 else ""
            error(console, f"{name}{where}: {problem['problem']}".lstrip(" :"))
        more = result.problem_count - min(max_problems, len(result.problems))
        extra = f" ({more} more not shown)" if more > 0 else ""
        where = "" if result.first_bad_seq is None else f" at seq {result.first_bad_seq}"
        raise VerificationFailed(
            f"log check failed{where}: {result.problem}; {result.problem_count} problem(s) in all{extra}"
        )
    info(console, f"log ok: {result.lines} lines, {result.runs} runs in {len(result.files)} file(s)")


@log_app.command(
    "rotate",
    epilog="Examples:\n\n  dcmscrub log rotate ~/.local/state/dcmscrub/audit.jsonl --audit-key audit.key"
    " --anchor /mnt/witness/dcmscrub-anchors.txt",
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


@log_app.command("show", epilog="Examples:\n\n  dcmscrub log show\n\n  dcmscrub log show audit.jsonl --json")
def log_show(
    logs: Annotated[
        list[Path] | None, typer.Argument(metavar="LOG", help="Log files (default: the default log).")
    ] = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Print a table of the runs in the log."""
    paths = logs or [default_log_path(os.environ)]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"log not found: {path}")
    rows = [vars(r) for r in summarize_runs(paths)]
    if json_out:
        print_json({"runs": rows})
        return
    columns = ["started", "user", "host", "command", "profile", "status", "exit_code", "counts", "signed"]
    stdout_console().print(render_table(rows, columns, title=f"{len(rows)} runs"))
