"""``dcmscrub keygen``: make a key file (an age identity, a linkage secret, an audit signing key),
or print the public part of one (``-y``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.cli.app import Command, DebugOpt, app, examples
from dcmscrub.errors import OutputError, UsageError
from dcmscrub.keys import (
    audit_public_key_str,
    check_new_secret_file,
    format_audit_key_file,
    format_identity_file,
    format_linkage_key_file,
    generate_audit_key,
    generate_identity,
    generate_linkage_key,
    linkage_key_id,
    public_lines,
    write_public_file,
    write_secret_file,
)


@app.command(
    cls=Command,
    epilog=examples(
        "dcmscrub keygen -o alice.key              # and alice.key.pub: age1...",
        "dcmscrub keygen -y alice.key              # its recipient, again",
        "dcmscrub keygen --linkage -o project.key  # pseudonym secret; prints its id",
        "dcmscrub keygen --audit -o audit.key      # and audit.key.pub (public)",
    ),
)
def keygen(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The new key file (mode 0600) and, but for --linkage, FILE.pub; never overwritten.",
        ),
    ] = None,
    public_of: Annotated[
        Path | None,
        typer.Option(
            "-y", metavar="FILE", help="Print the public part of an existing key file (like age-keygen -y)."
        ),
    ] = None,
    linkage: Annotated[
        bool, typer.Option("--linkage", help="Make a 256-bit linkage secret for pseudonyms.")
    ] = False,
    audit: Annotated[
        bool, typer.Option("--audit", help="Make an Ed25519 key that signs audit checkpoints.")
    ] = False,
    _debug: DebugOpt = False,
) -> None:
    """Make a new key file: an age identity (default), a linkage secret, or an audit signing key."""
    if linkage and audit:
        raise UsageError("choose one of --linkage and --audit")
    if public_of is not None:
        if output is not None or linkage or audit:
            raise UsageError("-y reads a key file: give it alone")
        for line in public_lines(public_of):
            typer.echo(line)
        return
    if output is None:
        raise UsageError("give -o FILE for the new key (or -y FILE to read one)")
    pub = None if linkage else output.with_name(output.name + ".pub")
    # every check before anything is written: a refusal leaves no file behind, not even half a pair
    check_new_secret_file(output)
    if pub is not None and (pub.exists() or pub.is_symlink()):
        raise OutputError(f"{pub} already exists", hint="choose another name or move the old files away")
    now = dt.datetime.now(dt.UTC)
    if linkage:
        key = generate_linkage_key()
        write_secret_file(output, format_linkage_key_file(key, now))
        typer.echo(linkage_key_id(key))
        return
    if audit:
        signing = generate_audit_key()
        public = audit_public_key_str(signing.public_key())
        write_secret_file(output, format_audit_key_file(signing, now))
    else:
        identity = generate_identity()
        public = str(identity.recipient)
        write_secret_file(output, format_identity_file(identity, now))
    assert pub is not None
    write_public_file(pub, f"{public}\n".encode("ascii"))
    typer.echo(public)
