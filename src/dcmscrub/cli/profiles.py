"""``dcmscrub profile list|show|check|import-pixels``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.atomic import OutputExistsError, atomic_output
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
from dcmscrub.errors import ConfigError, InputError, OutputError, ProfileError, UsageError
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


_IMPORT_FORMATS = ("ctp", "deid")


@profile_app.command(
    "import-pixels",
    cls=Command,
    epilog=examples(
        "dcmscrub profile import-pixels DicomPixelAnonymizer.script -o ctp-pixels.yaml",
        "dcmscrub profile import-pixels deid.dicom --format deid -o deid-pixels.yaml",
        "# then in a site profile: extends: ctp-pixels.yaml (or copy the rules you checked)",
    ),
)
def profile_import_pixels(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="CTP DicomPixelAnonymizer.script or a deid recipe.")
    ],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="ctp|deid", help="The file's format (default: guessed)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="OUT", help="Write the profile here (default: stdout)."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="The profile's name (default: from FILE).")
    ] = None,
    _debug: DebugOpt = False,
) -> None:
    """Convert a peer's burned-in text rectangles (RSNA CTP, pydicom/deid) into a profile with
    ``pixels:`` rules: one rule per signature, each with a comment naming its source line."""
    from dcmscrub.deid.pixels_ctp import import_ctp_script
    from dcmscrub.deid.pixels_deidrecipe import import_deid_recipe
    from dcmscrub.deid.pixels_import import render_pixels_yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read {path}: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}"
        ) from None
    kind = fmt or _guess_format(path, text)
    if kind not in _IMPORT_FORMATS:
        raise UsageError(f"unknown format '{kind}'", hint="--format ctp or --format deid")
    result = import_ctp_script(text) if kind == "ctp" else import_deid_recipe(text)
    profile_name = name or _profile_name(path)
    rendered = render_pixels_yaml(result, profile_name=profile_name)
    console = stderr_console()
    info(
        console,
        f"{result.found} source rules: {result.converted} converted into {len(result.rules)} pixels rules, "
        f"{len(result.skipped)} skipped",
    )
    for skipped in result.skipped:
        info(console, f"skipped line {skipped.line}: {' '.join(skipped.reason.split())}")
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        with atomic_output(output, mode=0o644) as fh:
            fh.write(rendered.encode("utf-8"))
    except OutputExistsError:
        raise OutputError(
            f"{output} already exists", hint="choose another name or move the old file away"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or 'error'}") from None
    info(console, f"wrote {output}: check it with dcmscrub profile check {output}")


def _guess_format(path: Path, text: str) -> str:
    if "%filter" in text or path.name.startswith("deid"):
        return "deid"
    if path.suffix == ".script" or "{" in text:
        return "ctp"
    raise UsageError(f"cannot tell the format of {path}", hint="give --format ctp or --format deid")


def _profile_name(path: Path) -> str:
    stem = "".join(c if c.isalnum() or c in "._-" else "-" for c in path.stem).strip("-._") or "imported"
    return f"pixels-{stem}"[:64]
