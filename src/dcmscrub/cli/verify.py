"""``dcmscrub verify``: check a release made earlier against its inputs (the residual-identifier gate)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dcmscrub.batch.verify import verify_release
from dcmscrub.cli import readers
from dcmscrub.cli.app import LINKAGE_ENV, DebugOpt, JsonOpt, app
from dcmscrub.cli.console import escaped, print_json
from dcmscrub.errors import ConfigError, VerificationFailed
from dcmscrub.keys import read_identity_file
from dcmscrub.profiles import load_profile
from dcmscrub.standard.options import OPTIONS


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub verify release --inputs /data/inbox -i reader.key --linkage-key project.key\n\n"
    "  dcmscrub verify plain-out --inputs sample_data --linkage-key project.key --json\n\n"
    "Exit 0: no output holds an identifier of its input; 1: some do (the report names them)."
)
def verify(
    release: Annotated[Path, typer.Argument(metavar="RELEASE", help="The output folder of a scrub run.")],
    inputs: Annotated[
        list[Path],
        typer.Option("--inputs", metavar="INPUT", help="The inputs it was made from (repeatable)."),
    ],
    identity: Annotated[
        list[Path] | None,
        typer.Option(
            "--identity", "-i", metavar="FILE", help="age identity that reads the outputs (repeatable)."
        ),
    ] = None,
    linkage_key: Annotated[
        Path | None,
        typer.Option(
            "--linkage-key", metavar="FILE", help=f"The run's linkage secret (or ${LINKAGE_ENV}: a path)."
        ),
    ] = None,
    profile: Annotated[
        str, typer.Option("--profile", "-p", metavar="NAME|PATH", help="The run's profile (default basic).")
    ] = "basic",
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-O", metavar="OPTION", help=f"An option of the run: {', '.join(OPTIONS)}."),
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log", metavar="FILE", help="The run's audit log: pairs inputs with outputs by its records."
        ),
    ] = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Check each output of RELEASE against its input: no identifier of the input may remain."""
    key = readers.linkage_key(linkage_key)
    if key is None:
        raise ConfigError(
            "verify needs the run's linkage key", hint="give --linkage-key FILE: outputs are named by it"
        )
    identities: list[Any] = []
    for path in identity or []:
        identities += read_identity_file(path)
    report = verify_release(
        release,
        inputs,
        profile=load_profile(profile, option or []),
        linkage_key=key,
        identities=identities,
        log=log,
    )
    if json_out:
        print_json(report.to_json())
    else:
        out = sys.stdout
        for finding in report.findings:
            out.write(
                f"identifier: {escaped(finding.input)} -> {finding.output}: {'; '.join(finding.where)}\n"
            )
        for output in report.unreadable:
            out.write(f"unreadable: {output}\n")
        out.write(
            f"{report.checked} checked, {report.clean} clean, {len(report.findings)} with identifiers, "
            f"{len(report.unreadable)} unreadable, {report.without_output} inputs without output\n"
        )
    if not report.ok:
        raise VerificationFailed(
            f"{len(report.findings)} output(s) hold identifiers of their input, "
            f"{len(report.unreadable)} could not be read",
            hint="the report on stdout names each file and attribute path",
        )
