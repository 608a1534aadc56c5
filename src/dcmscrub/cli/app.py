"""The ``dcmscrub`` Typer application: its command groups and the options commands share.

Commands live in one module per concern (:mod:`~dcmscrub.cli.scrub`, :mod:`~dcmscrub.cli.crypt`,
:mod:`~dcmscrub.cli.keygen`, :mod:`~dcmscrub.cli.profiles`, :mod:`~dcmscrub.cli.log`); each is
argument wiring plus one library call. :mod:`dcmscrub.cli.main` is the one place that turns
errors into exit codes. No option takes a secret: keys come from files, an environment variable
holding a *path*, or a prompt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from dcmscrub._version import __version__
from dcmscrub.errors import EXIT_CODE_MEANINGS

EXIT_TABLE = "\n".join(f"  {int(code):>3}  {text}" for code, text in EXIT_CODE_MEANINGS.items())

app = typer.Typer(
    name="dcmscrub",
    help="De-identify DICOM per PS3.15 Annex E: keyed pseudonyms, age-encrypted outputs, an audit log.\n\n"
    "Exit codes:\n\n" + EXIT_TABLE.replace("\n", "\n\n"),
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish)
    no_args_is_help=True,
    rich_markup_mode=None,
)
profile_app = typer.Typer(help="List, show and check de-identification profiles.", no_args_is_help=True)
log_app = typer.Typer(help="Verify and read the audit log.", no_args_is_help=True)
escrow_app = typer.Typer(
    help="Read a run's escrowed re-identification table: look rows up, or export them (each access logged).",
    no_args_is_help=True,
)
app.add_typer(profile_app, name="profile")
app.add_typer(log_app, name="log")
app.add_typer(escrow_app, name="escrow")

LINKAGE_ENV = "DCMSCRUB_LINKAGE_KEY_FILE"
ANCHOR_ENV = "DCMSCRUB_ANCHOR"
AUDIT_KEY_ENV = "DCMSCRUB_AUDIT_KEY_FILE"

DebugOpt = Annotated[bool, typer.Option("--debug", help="Show details and tracebacks of errors.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")]
LogOpt = Annotated[
    Path | None,
    typer.Option(
        "--log",
        metavar="FILE",
        help="Audit log file (default: $DCMSCRUB_LOG or ~/.local/state/dcmscrub/audit.jsonl).",
    ),
]


AnchorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--anchor",
        metavar="FILE|syslog",
        help="Also write each checkpoint of the log to this witness file, or to the system log"
        " (repeatable; default: $DCMSCRUB_ANCHOR).",
    ),
]


class Command(TyperCommand):
    """A command whose usage line reads ``dcmscrub scrub [OPTIONS] INPUT...``: arguments as their
    metavar says (Typer would write a required one as ``{INPUT}``)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def examples(*lines: str) -> str:
    """A command's epilog: example lines shown as written (``\\b``: never rewrapped, so no line
    breaks inside an option); a line ending in `` \\`` continues on the next one."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dcmscrub {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """De-identify DICOM trees per PS3.15 Annex E."""
