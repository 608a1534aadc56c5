"""``dcmscrub profile list|show|check``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dcmscrub.cli import readers
from dcmscrub.cli.app import Command, DebugOpt, JsonOpt, examples, profile_app
from dcmscrub.cli.console import (
    info,
    print_json,
    print_rows,
    render_table,
    stderr_console,
    stdout_console,
    warn,
)
from dcmscrub.deid.effective import effective_rows
from dcmscrub.deid.profile_load import render_profile
from dcmscrub.errors import ConfigError, ProfileError
from dcmscrub.profiles import check_profiles, list_builtin_profiles, load_profile, profile_warnings


@profile_app.command(
    "list", cls=Command, epilog=examples("dcmscrub profile list", "dcmscrub profile list --json")
)
def profile_list(json_out: JsonOpt = False) -> None:
    """List the built-in profiles."""
    rows = [{"name": n, "description": d} for n, d in list_builtin_profiles()]
    if json_out:
        print_json({"profiles": rows})
    else:
        stdout_console().print(render_table(rows, ["name", "description"]))


@profile_app.command(
    "show",
    cls=Command,
    epilog=examples(
        "dcmscrub profile show basic",
        "dcmscrub profile show my.yaml -O clean-descriptors",
        "dcmscrub profile show research-longitudinal --table | grep -w shift",
    ),
)
def profile_show(
    name: Annotated[str, typer.Argument(metavar="NAME|PATH", help="Built-in profile name or a YAML file.")],
    option: Annotated[
        list[str] | None, typer.Option("--option", "-O", metavar="OPTION", help="Add an Annex E option.")
    ] = None,
    table: Annotated[
        bool, typer.Option("--table", help="Each attribute's effective action after options and rules.")
    ] = False,
    _debug: DebugOpt = False,
) -> None:
    """Print the resolved profile (its extends chain merged) as YAML, or its effective actions."""
    profile = load_profile(name, readers.annex_options(option))
    if not table:
        sys.stdout.write(render_profile(profile))
        return
    rows = [[r.tag, r.keyword, r.action, r.why.text] for r in effective_rows(profile)]
    options = ", ".join(sorted(profile.options)) or "none"
    print_rows(
        ["tag", "keyword", "action", "why"],
        rows,
        title=f"{profile.name} (options: {options})",
        fixed=("tag",),
    )


@profile_app.command(
    "check",
    cls=Command,
    epilog=examples(
        "dcmscrub profile check site.yaml other.yaml",
        "dcmscrub profile check site.yaml --strict   # exit 78 on any warning",
    ),
)
def profile_check(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Profile files to validate.")],
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Treat warnings (weakened rows, removed required attributes) as errors."
        ),
    ] = False,
    _debug: DebugOpt = False,
) -> None:
    """Validate profiles completely; print every problem as file:line: what is wrong.

    Warns about each rule that keeps or weakens an attribute beyond what the profile's options allow
    (naming the Table E.1-1 row: outputs then do not claim the Basic Profile), and each rule that
    removes an attribute an IOD requires."""
    problems = check_profiles(paths)
    if problems:
        raise ProfileError(problems)  # every problem of every file, each with its place
    console = stderr_console()
    warnings = [w for path in paths for w in profile_warnings(load_profile(path))]
    for text in warnings:
        warn(console, text)
    if strict and warnings:
        raise ConfigError(
            f"{len(warnings)} warning{'s' * (len(warnings) != 1)} with --strict",
            hint="drop or narrow the rules named above, or enable the option that allows them",
        )
    info(console, f"{len(paths)} profile{'s' * (len(paths) != 1)} ok")
