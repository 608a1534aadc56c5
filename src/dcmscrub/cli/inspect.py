"""``dcmscrub plan`` and ``dcmscrub diff``: see what a run does to a file, before and after."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from dcmscrub.batch.inspect import FileDiff, FilePlan, diff_files, plan_file
from dcmscrub.cli import readers
from dcmscrub.cli.app import Command, DebugOpt, JsonOpt, app, examples
from dcmscrub.cli.console import info, print_json, print_rows, stderr_console, warn
from dcmscrub.deid.reasons import describe_action
from dcmscrub.keys import read_identity_file
from dcmscrub.profiles import load_profile
from dcmscrub.standard.options import OPTIONS

OptionOpt = Annotated[
    list[str] | None,
    typer.Option("--option", "-O", metavar="OPTION", help=f"Add an Annex E option: {', '.join(OPTIONS)}."),
]


@app.command(
    cls=Command,
    epilog=examples(
        "dcmscrub plan scan.dcm                      # every element: action and why",
        "dcmscrub plan scan.dcm --profile site.yaml -O retain-uids",
        "dcmscrub plan scan.dcm --show-values        # values before and after (PHI!)",
        "dcmscrub plan scan.dcm --json | jq '.elements[] | select(.action == \"keep\")'",
    ),
)
def plan(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One DICOM file.")],
    profile: Annotated[
        str,
        typer.Option("--profile", "-p", metavar="NAME|PATH", help="Built-in profile name or a YAML file."),
    ] = "basic",
    option: OptionOpt = None,
    linkage_key: Annotated[
        Path | None,
        typer.Option(
            "--linkage-key", metavar="FILE", help="The project's linkage secret (for the real names)."
        ),
    ] = None,
    show_values: Annotated[
        bool, typer.Option("--show-values", help="Also show each value before and after (patient data!).")
    ] = False,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Show what scrub would do to every element of FILE, at every depth, and why; writes nothing."""
    prof = load_profile(profile, readers.annex_options(option))
    key = readers.linkage_key(linkage_key)
    result = plan_file(file, prof, key)
    if json_out:
        print_json(_plan_json(result, show_values=show_values, keyed=key is not None))
        return
    console = stderr_console()
    options = ", ".join(sorted(prof.options)) or "none"
    info(
        console,
        f"plan for {file.name}: profile {prof.name} (options: {options}), SOP class {result.sop_class}",
    )
    if result.quarantine is not None:
        warn(console, f"not released: {result.quarantine.text}")
    elif result.output:
        named = (
            "" if key is not None else " (with a random linkage key: give --linkage-key for the real name)"
        )
        info(console, f"output: {result.output}{named}")
    header = ["element", "action", "result", "why"] + (["before", "after"] if show_values else [])
    rows = []
    for e in result.elements:
        row = [e.name, e.action, e.result, "; ".join(w.text for w in e.why)]
        if show_values:
            row += [e.before if e.before is not None else "(absent)", e.after if e.after is not None else "-"]
        rows.append(row)
    print_rows(header, rows, fixed=("action",))
    counts = Counter(e.result for e in result.elements)
    info(
        console,
        f"{len(result.elements)} elements: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())),
    )
    disagree = [e for e in result.elements if not e.agrees]
    if disagree:
        warn(
            console,
            f"{len(disagree)} element(s) where the engine did otherwise than explained (a bug: report it)",
        )


def _plan_json(result: FilePlan, *, show_values: bool, keyed: bool) -> dict[str, Any]:
    elements = []
    for e in result.elements:
        item: dict[str, Any] = {
            "path": e.path,
            "name": e.name,
            "tag": f"{e.tag:08X}",
            "vr": e.vr,
            "depth": e.depth,
            "action": e.action,
            "action_text": describe_action(e.action),
            "result": e.result,
            "why": [w.to_json() for w in e.why],
            "agrees": e.agrees,
        }
        if show_values:
            item["before"], item["after"] = e.before, e.after
        elements.append(item)
    return {
        "file": result.name,
        "profile": {"name": result.profile.name, "options": sorted(result.profile.options)},
        "sop_class": result.sop_class,
        "quarantine": None if result.quarantine is None else result.quarantine.value,
        "output": result.output,
        "output_keyed": keyed,
        "counts": dict(Counter(e.result for e in result.elements)),
        "elements": elements,
    }


@app.command(
    cls=Command,
    epilog=examples(
        "dcmscrub diff scan.dcm demo-out/P.../2.25.../2.25.../2.25....dcm",
        "dcmscrub diff scan.dcm demo-out          # finds the output by its pixel data",
        "dcmscrub diff scan.dcm release -i reader.key --json",
    ),
)
def diff(
    input_file: Annotated[Path, typer.Argument(metavar="INPUT", help="The input file.")],
    output: Annotated[
        Path,
        typer.Argument(metavar="OUTPUT", help="Its output (a .dcm or .dcm.age file, or the output folder)."),
    ],
    identity: Annotated[
        list[Path] | None,
        typer.Option(
            "--identity", "-i", metavar="FILE", help="age identity file, to read encrypted outputs."
        ),
    ] = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Show what changed between an input and its output (an encrypted output is decrypted in memory)."""
    identities: list[Any] = []
    for path in identity or []:
        identities += read_identity_file(path)
    result = diff_files(input_file, output, identities)
    if json_out:
        print_json(_diff_json(result))
        return
    console = stderr_console()
    info(console, f"{result.input} -> {result.output}")
    rows = [
        [
            c.name,
            c.before if c.before is not None else "(absent)",
            c.after if c.after is not None else "(removed)",
        ]
        for c in result.changes
    ]
    print_rows(["attribute", "before", "after"], rows)
    info(
        console,
        f"{len(result.changes)} attributes changed, {result.unchanged} unchanged; pixel data {result.pixels}",
    )


def _diff_json(result: FileDiff) -> dict[str, Any]:
    return {
        "input": result.input,
        "output": result.output,
        "changes": [
            {
                "path": c.path,
                "name": c.name,
                "tag": f"{c.tag:08X}",
                "change": c.kind,
                "before": c.before,
                "after": c.after,
            }
            for c in result.changes
        ],
        "unchanged": result.unchanged,
        "pixel_data": result.pixels,
    }
