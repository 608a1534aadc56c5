"""What the command line reads besides its arguments: key files named by options or by an
environment variable holding a path, recipients, shard specs and passphrases typed at a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dcmscrub.age import X25519Recipient, parse_recipient
from dcmscrub.audit.anchor import AnchorSink, anchor_sink
from dcmscrub.batch.outtree import Shard
from dcmscrub.cli.app import ANCHOR_ENV, AUDIT_KEY_ENV, LINKAGE_ENV
from dcmscrub.errors import UsageError
from dcmscrub.escrow.access import Question
from dcmscrub.escrow.writer import EscrowOptions
from dcmscrub.keys import read_audit_key_file, read_linkage_key_file, read_recipients_file
from dcmscrub.standard.options import OPTIONS


def recipients(given: list[str], path: Path | None, from_profile: tuple[str, ...]) -> list[X25519Recipient]:
    """The recipients named by ``-r`` and ``-R``, else the profile's; each once."""
    out = [parse_recipient(r) for r in given]
    if path is not None:
        out += read_recipients_file(path)
    if not out:
        out = [parse_recipient(r) for r in from_profile]
    unique: dict[str, X25519Recipient] = {str(r): r for r in out}
    return list(unique.values())


def annex_options(given: list[str] | None) -> list[str]:
    """The ``-O`` values, each an Annex E option name (a bad one is a usage error, exit 2)."""
    for name in given or []:
        if name not in OPTIONS:
            raise UsageError(
                f"unknown Annex E option '{name}' given with -O", hint=f"options: {', '.join(OPTIONS)}"
            )
    return list(given or [])


def linkage_key(path: Path | None) -> bytes | None:
    """The linkage secret from ``--linkage-key`` or the file ``$DCMSCRUB_LINKAGE_KEY_FILE`` names."""
    path = path or (Path(os.environ[LINKAGE_ENV]) if os.environ.get(LINKAGE_ENV) else None)
    return read_linkage_key_file(path) if path is not None else None


def audit_signer(path: Path | None) -> Ed25519PrivateKey | None:
    """The audit signing key from ``--audit-key`` or the file ``$DCMSCRUB_AUDIT_KEY_FILE`` names."""
    path = path or (Path(os.environ[AUDIT_KEY_ENV]) if os.environ.get(AUDIT_KEY_ENV) else None)
    return read_audit_key_file(path) if path is not None else None


def anchors(given: list[str] | None) -> tuple[AnchorSink, ...]:
    """The anchor sinks of ``--anchor`` (a file or ``syslog``), else of ``$DCMSCRUB_ANCHOR``."""
    specs = given or ([os.environ[ANCHOR_ENV]] if os.environ.get(ANCHOR_ENV) else [])
    return tuple(anchor_sink(spec) for spec in specs)


def size(text: str | None) -> int | None:
    """A size in bytes: ``1000``, ``64K``, ``64M``, ``1G`` (powers of 1024)."""
    if text is None:
        return None
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    number, unit = text.rstrip("KMGkmg"), text[len(text.rstrip("KMGkmg")) :].upper()
    if not number.isdigit() or unit not in units or int(number) == 0:
        raise UsageError(f"not a size: {text}", hint="give bytes, or a number with K, M or G (e.g. 64M)")
    return int(number) * units[unit]


def shard(text: str | None) -> Shard | None:
    """``--shard K/N``."""
    if text is None:
        return None
    try:
        return Shard.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def escrow(given: list[str], folder: Path | None, from_profile: tuple[str, ...]) -> EscrowOptions | None:
    """``--escrow`` (else the profile's ``escrow:``) and ``--escrow-out``: both or neither."""
    unique = {str(r): r for r in (parse_recipient(r) for r in given or from_profile)}
    if unique and folder is None:
        raise UsageError(
            "an escrow needs a folder to go to", hint="give --escrow-out DIR (outside OUTDIR, kept apart)"
        )
    if folder is not None and not unique:
        raise UsageError(
            "--escrow-out without an escrow recipient", hint="give --escrow age1... (the broker's key)"
        )
    return EscrowOptions(tuple(unique.values()), folder) if folder is not None else None


def questions(asked: dict[str, str | None], issuer: str | None) -> list[Question]:
    """The one query option given (``kind: value``); ``-`` reads one value per line from stdin,
    so that a patient's identifier need not appear in argv (``ps``, shell history)."""
    given = [(kind, value) for kind, value in asked.items() if value is not None]
    if len(given) != 1:
        options = ", ".join("--" + k.replace("_", "-") for k in asked)
        raise UsageError(f"give exactly one of {options}", hint="- reads the values from stdin, one per line")
    kind, value = given[0]
    values = sys.stdin.read().splitlines() if value == "-" else [value]
    values = [v.strip(" \x00\r") for v in values]
    if not any(values):
        raise UsageError("no value to look for", hint="give a value, or - and one value per line on stdin")
    return [Question(kind, v, issuer) for v in values if v]


def prompt_passphrase(*, confirm: bool) -> bytes:
    """A passphrase typed at the terminal (twice with ``confirm``)."""
    first = getpass.getpass("passphrase: ")
    if confirm and getpass.getpass("passphrase again: ") != first:
        raise UsageError("the passphrases differ")
    if not first:
        raise UsageError("empty passphrase")
    return first.encode("utf-8")
