"""``dcmscrub log verify|show``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.audit.log import default_log_path
from dcmscrub.audit.show import summarize_runs
from dcmscrub.audit.verify import verify_log
from dcmscrub.cli.app import DebugOpt, JsonOpt, log_app
from dcmscrub.cli.console import info, print_json, render_table, stderr_console, stdout_console, warn
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
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Check the log's chain, sequence, run pairing, signatures and (optionally) the outputs."""
    for path in logs:
        if not path.is_file():
            raise UsageError(f"log not found: {path}")
    keys = [read_audit_public_key_file(p) for p in pubkey or []]
    result = verify_log(logs, public_keys=keys, check_outputs=check_outputs)
    console = stderr_console()
    if json_out:
        print_json(result.to_dict())
    for w in result.warnings:
        warn(console, w)
    if not result.ok:
        where = "" if result.first_bad_seq is None else f" at seq {result.first_bad_seq}"
        raise VerificationFailed(f"log check failed{where}: {result.problem}")
    info(console, f"log ok: {result.lines} lines, {result.runs} runs")


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
