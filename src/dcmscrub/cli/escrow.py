"""``dcmscrub escrow lookup|export``: read a run's escrowed re-identification table (each access logged)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.age import X25519Identity
from dcmscrub.audit.log import default_log_path
from dcmscrub.cli import readers
from dcmscrub.cli.app import DebugOpt, JsonOpt, LogOpt, escrow_app
from dcmscrub.cli.console import info, print_json, stderr_console, warn
from dcmscrub.errors import UsageError
from dcmscrub.escrow.access import lookup
from dcmscrub.escrow.export import FORMATS, export
from dcmscrub.escrow.format import Row
from dcmscrub.keys import read_identity_file

EscrowsArg = Annotated[
    list[Path], typer.Argument(metavar="ESCROW", help="Escrow files (escrow-*.jsonl.age) a scrub wrote.")
]
IdentityOpt = Annotated[
    list[Path],
    typer.Option("--identity", "-i", metavar="FILE", help="The escrow's age identity file (repeatable)."),
]
IssuerOpt = Annotated[
    str | None,
    typer.Option("--issuer", metavar="I", help="Only rows of this Issuer of Patient ID (with --patient-id)."),
]
COLUMNS = ("kind", "original", "issuer", "pseudonym", "patient", "name", "name_pseudonym", "date_offset_days")


def _identities(paths: list[Path]) -> list[X25519Identity]:
    out: list[X25519Identity] = []
    for path in paths:
        out += read_identity_file(path)
    return out


def _cell(value: object) -> str:
    """A TSV cell: a value from a file, with tabs, newlines and terminal escapes shown as \\xNN."""
    text = "" if value is None else str(value)
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _row(row: Row) -> dict[str, object]:
    return {k: v for k, v in vars(row).items() if v is not None}


@escrow_app.command(
    "lookup",
    epilog="Examples:\n\n"
    "  dcmscrub escrow lookup escrow/escrow-*.jsonl.age -i broker.key --pseudonym P7QUH4ZQCXJOFL272\n\n"
    "  dcmscrub escrow lookup escrow/*.age -i broker.key --uid 2.25.1234... --json\n\n"
    "  dcmscrub escrow lookup escrow/*.age -i broker.key --patient-id - < mrns.txt   # IDs not in argv",
)
def escrow_lookup(
    escrows: EscrowsArg,
    identity: IdentityOpt,
    pseudonym: Annotated[
        str | None, typer.Option("--pseudonym", metavar="P", help="A pseudonym (Patient ID, name, UID, ...).")
    ] = None,
    patient_id: Annotated[
        str | None, typer.Option("--patient-id", metavar="X", help="An original Patient ID.")
    ] = None,
    uid: Annotated[
        str | None, typer.Option("--uid", metavar="U", help="An original study, series or SOP instance UID.")
    ] = None,
    accession: Annotated[
        str | None, typer.Option("--accession", metavar="A", help="An original accession number.")
    ] = None,
    issuer: IssuerOpt = None,
    log: LogOpt = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Print the escrow rows that answer one question; the question is recorded in the audit log
    (as a keyed digest) before anything is printed. A value of - reads values from stdin, one per
    line, so that a patient's ID never appears in the process list or shell history."""
    asked = {"pseudonym": pseudonym, "patient_id": patient_id, "uid": uid, "accession": accession}
    questions = readers.questions(asked, issuer)
    log_path = log or default_log_path(os.environ)
    answers = lookup(escrows, _identities(identity), questions, log=log_path)
    rows = [row for answer in answers for row in answer.rows]
    if json_out:
        print_json({"questions": len(questions), "rows": [_row(r) for r in rows]})
    else:
        typer.echo("\t".join(COLUMNS))
        for row in rows:
            typer.echo("\t".join(_cell(getattr(row, c)) for c in COLUMNS))
    unanswered = sum(1 for a in answers if not a.rows)
    message = (
        f"{len(rows)} row{'s' * (len(rows) != 1)} for {len(questions)} question{'s' * (len(questions) != 1)}"
    )
    info(stderr_console(), f"{message} ({unanswered} unanswered); recorded in {log_path}")


@escrow_app.command(
    "export",
    epilog="Examples:\n\n"
    "  dcmscrub escrow export escrow/*.jsonl.age -i broker.key --format midi -o midi-mapping\n\n"
    "  dcmscrub escrow export escrow/*.jsonl.age -i broker.key --format csv -o mapping --json",
)
def escrow_export(
    escrows: EscrowsArg,
    identity: IdentityOpt,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="csv|midi",
            help="csv: mapping.csv, every row; midi: uid_mapping.csv and patid_mapping.csv (id_old,id_new).",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the files (mode 0600).")
    ],
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace export files that exist.")] = False,
    log: LogOpt = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Write escrow rows in PLAINTEXT, by the steward's explicit choice: files that re-identify the
    release, mode 0600, written whole or not at all, and recorded in the audit log."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}", hint=f"one of: {', '.join(FORMATS)}")
    log_path = log or default_log_path(os.environ)
    files, rows = export(escrows, _identities(identity), fmt, out, overwrite=overwrite, log=log_path)
    if json_out:
        print_json({"format": fmt, "rows": rows, "files": [str(f) for f in files]})
    console = stderr_console()
    warn(
        console,
        f"wrote {rows} rows in plaintext to {', '.join(str(f) for f in files)}: they re-identify the release",
    )
    info(console, f"export recorded in {log_path}")
