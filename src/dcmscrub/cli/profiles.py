"""``dcmscrub profile list|show|check|import-pixels``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.atomic import OutputExistsError, atomic_output
from dcmscrub.cli.app import DebugOpt, JsonOpt, profile_app
from dcmscrub.cli.console import info, print_json, render_table, stderr_console, stdout_console
from dcmscrub.deid.profile_load import render_profile
from dcmscrub.errors import InputError, OutputError, ProfileError, UsageError
from dcmscrub.profiles import check_profiles, list_builtin_profiles, load_profile


@profile_app.command("list", epilog="Examples:\n\n  dcmscrub profile list\n\n  dcmscrub profile list --json")
def profile_list(json_out: JsonOpt = False) -> None:
    """List the built-in profiles."""
    rows = [{"name": n, "description": d} for n, d in list_builtin_profiles()]
    if json_out:
        print_json({"profiles": rows})
    else:
        stdout_console().print(render_table(rows, ["name", "description"]))


@profile_app.command(
    "show",
    epilog="Examples:\n\n  dcmscrub profile show basic\n\n"
    "  dcmscrub profile show my.yaml -O clean-descriptors",
)
def profile_show(
    name: Annotated[str, typer.Argument(metavar="NAME|PATH", help="Built-in profile name or a YAML file.")],
    option: Annotated[
        list[str] | None, typer.Option("--option", "-O", metavar="OPTION", help="Add an Annex E option.")
    ] = None,
    _debug: DebugOpt = False,
) -> None:
    """Print the resolved profile (its extends chain merged) as YAML."""
    sys.stdout.write(render_profile(load_profile(name, option or [])))


@profile_app.command("check", epilog="Examples:\n\n  dcmscrub profile check site.yaml other.yaml")
def profile_check(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Profile files to validate.")],
    _debug: DebugOpt = False,
) -> None:
    """Validate profiles completely; print every problem as file:line: what is wrong."""
    problems = check_profiles(paths)
    if problems:
        raise ProfileError(problems)  # every problem of every file, each with its place
    info(stderr_console(), f"{len(paths)} profile{'s' * (len(paths) != 1)} ok")


_IMPORT_FORMATS = ("ctp", "deid")


@profile_app.command(
    "import-pixels",
    epilog="Examples:\n\n"
    "  dcmscrub profile import-pixels DicomPixelAnonymizer.script -o ctp-pixels.yaml\n\n"
    "  dcmscrub profile import-pixels deid.dicom --format deid -o deid-pixels.yaml\n\n"
    "  then in a site profile: extends: ctp-pixels.yaml (or copy the rules you checked)",
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
