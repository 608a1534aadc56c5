"""``dcmscrub review FILE -i IDENTITY``: the words clean removed in a run, most frequent first."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Annotated, Any

import typer

from dcmscrub.batch.review import read_review
from dcmscrub.cli.app import DebugOpt, JsonOpt, app
from dcmscrub.cli.console import print_json, render_table, stdout_console
from dcmscrub.errors import UsageError
from dcmscrub.keys import read_identity_file


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub review run.review.age -i steward.key\n\n"
    "  dcmscrub review run.review.age -i steward.key --top 50 -a SeriesDescription\n\n"
    "  dcmscrub review run.review.age -i steward.key --json > review.json"
)
def review(
    review_file: Annotated[Path, typer.Argument(metavar="FILE", help="A review file (scrub --review).")],
    identity: Annotated[
        list[Path] | None,
        typer.Option("--identity", "-i", metavar="FILE", help="age identity file (repeatable)."),
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, metavar="N", help="Tokens per attribute.")] = 20,
    attribute: Annotated[
        list[str] | None,
        typer.Option("--attribute", "-a", metavar="KEYWORD", help="Only this attribute (repeatable)."),
    ] = None,
    json_out: JsonOpt = False,
    _debug: DebugOpt = False,
) -> None:
    """Print the tokens clean removed for not being in the vocabulary, per attribute, most frequent
    first, so that the safe ones can go into the site's vocabulary (profile text.vocabulary_files)."""
    identities: list[Any] = []
    for path in identity or []:
        identities += read_identity_file(path)
    if not identities:
        raise UsageError("no identity given", hint="give -i IDENTITY_FILE (a key the run encrypted to)")
    document = read_review(review_file, identities)
    keywords = {k: v for k, v in document["keywords"].items() if not attribute or k in attribute}
    if json_out:
        print_json(
            {**document, "keywords": {k: {**v, "tokens": v["tokens"][:top]} for k, v in keywords.items()}}
        )
        return
    console = stdout_console()
    console.print(
        f"review of run {document['run_id']} (profile {document['profile']['name']}, "
        f"clean: {document['profile']['clean']}): {document['files']} outputs"
    )
    for name, entry in keywords.items():
        reasons = ", ".join(f"{reason} {n}" for reason, n in entry["removed"].items())
        title = f"{name}: removed {reasons}"
        if entry["uncounted"]:
            title += f" (counts may be low by up to {entry['uncounted']})"
        rows = [{"token": visible(token), "times": n} for token, n in entry["tokens"][:top]]
        console.print(render_table(rows, ["token", "times"], title=title) if rows else title)


def visible(token: str) -> str:
    """A token as it can be printed: invisible and control characters (a zero-width space, a
    direction override) shown as ``\\uXXXX``, so a token cannot hide or reorder what is around it."""
    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in token
    )
