"""``dcmscrub keygen``: make a key file (an age identity, a linkage secret, an audit signing key)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from dcmscrub.cli.app import DebugOpt, app
from dcmscrub.errors import UsageError
from dcmscrub.keys import (
    audit_public_key_str,
    format_audit_key_file,
    format_identity_file,
    format_linkage_key_file,
    generate_audit_key,
    generate_identity,
    generate_linkage_key,
    linkage_key_id,
    write_secret_file,
)


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub keygen -o alice.key              # an age identity; prints its recipient age1...\n\n"
    "  dcmscrub keygen --linkage -o project.key  # the pseudonym secret; prints its key id\n\n"
    "  dcmscrub keygen --audit -o audit.key      # signs audit checkpoints; prints its public key"
)
def keygen(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The new key file (mode 0600, never overwritten)."
        ),
    ],
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
    now = dt.datetime.now(dt.UTC)
    if linkage:
        key = generate_linkage_key()
        write_secret_file(output, format_linkage_key_file(key, now))
        typer.echo(linkage_key_id(key))
    elif audit:
        signing = generate_audit_key()
        write_secret_file(output, format_audit_key_file(signing, now))
        typer.echo(audit_public_key_str(signing.public_key()))
    else:
        identity = generate_identity()
        write_secret_file(output, format_identity_file(identity, now))
        typer.echo(str(identity.recipient))
