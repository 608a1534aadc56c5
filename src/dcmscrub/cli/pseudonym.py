"""``dcmscrub pseudonym``: the pseudonym a scrub gives a value, computed forward (logged), no table."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.audit.log import default_log_path
from dcmscrub.cli import readers
from dcmscrub.cli.app import LINKAGE_ENV, DebugOpt, JsonOpt, LogOpt, app
from dcmscrub.cli.console import info, print_json, stderr_console
from dcmscrub.errors import ConfigError
from dcmscrub.escrow.access import forward_pseudonyms
from dcmscrub.profiles import load_profile


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub pseudonym --linkage-key project.key --patient-id - --issuer HOSP < mrns.txt\n\n"
    "  dcmscrub pseudonym --linkage-key project.key --profile research-longitudinal --patient-id - --json\n\n"
    "  dcmscrub pseudonym --linkage-key project.key --uid 1.2.826.0.1.3680043.10.1426.4.1.1.2.1"
)
def pseudonym(
    linkage_key: Annotated[
        Path | None,
        typer.Option(
            "--linkage-key", metavar="FILE", help=f"File with the linkage secret (or ${LINKAGE_ENV}: a path)."
        ),
    ] = None,
    profile: Annotated[
        str,
        typer.Option(
            "--profile", "-p", metavar="NAME|PATH", help="The profile the scrub uses (default basic)."
        ),
    ] = "basic",
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-O", metavar="OPTION", help="An Annex E option the scrub adds."),
    ] = None,
    patient_id: Annotated[
        str | None,
        typer.Option("--patient-id", metavar="X", help="A Patient ID (- : one per line on stdin)."),
    ] = None,
    uid: Annotated[str | None, typer.Option("--uid", metavar="U", help="An instance UID.")] = None,
    accession: Annotated[
        str | None, typer.Option("--accession", metavar="A", help="An accession number.")
    ] = None,
    issuer: Annotated[
        str | None,
        typer.Option("--issuer", metavar="I", help="Issuer of Patient ID, as the inputs carry it."),
    ] = None,
    log: LogOpt = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Print the pseudonym a scrub with this linkage key and profile gives each value, so clinical
    tables can be linked to a release without a mapping file. Each value is recorded in the audit
    log as a keyed digest. A value of - reads values from stdin, one per line (keeps patient IDs
    out of the process list and shell history); output lines follow the input lines."""
    key = readers.linkage_key(linkage_key)
    if key is None:
        raise ConfigError(
            "pseudonyms can only be computed with the project's linkage key",
            hint=f"give --linkage-key FILE (or ${LINKAGE_ENV})",
        )
    prof = load_profile(profile, option or [])
    asked = {"patient_id": patient_id, "uid": uid, "accession": accession}
    questions = readers.questions(asked, issuer)
    log_path = log or default_log_path(os.environ)
    answers = forward_pseudonyms(prof, key, questions, log=log_path)
    if json_out:
        print_json({"answers": [{k: v for k, v in vars(a).items() if v is not None} for a in answers]})
    else:
        for answer in answers:
            typer.echo(answer.pseudonym if answer.pseudonym is not None else "-")
    missing = sum(1 for a in answers if a.pseudonym is None)
    note = f"; {missing} get no pseudonym under profile {prof.name} (printed as -)" if missing else ""
    info(stderr_console(), f"{len(answers)} computed{note}; recorded in {log_path}")
