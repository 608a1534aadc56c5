"""age identity files, recipients files and passphrase files."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import datetime

from dcmscrub.age import X25519Identity, X25519Recipient, parse_identity, parse_recipient
from dcmscrub.age.format import MAGIC
from dcmscrub.errors import KeyFileError
from dcmscrub.keys.kinds import refuse_other_kind
from dcmscrub.keys.protect import PathLike, open_secret_file, read_public_file, rfc3339, text_lines


def generate_identity() -> X25519Identity:
    """A new age X25519 identity from the operating system's CSPRNG."""
    return X25519Identity.generate()


def format_identity_file(identity: X25519Identity, created: datetime) -> bytes:
    """The identity file exactly as age-keygen writes it (``created`` is shown in UTC)."""
    return (
        f"# created: {rfc3339(created)}\n# public key: {identity.recipient}\n{identity.to_str()}\n"
    ).encode("ascii")


def read_identity_file(path: PathLike) -> list[X25519Identity]:
    """All identities in an age identity file (one per line; ``#`` comments and blank lines)."""
    name = os.fspath(path)
    content = open_secret_file(path, what="identity file")
    if content.startswith(MAGIC):
        raise KeyFileError(
            f"identity file {name} is itself age-encrypted, which is not supported",
            hint="keep the identity in a plain file with mode 0600",
        )
    refuse_other_kind(content, name, "identity file", "identity")
    identities: list[X25519Identity] = []
    for n, line in text_lines(content, name, "identity file"):
        identities.append(parse_identity(line, source=f"identity file {name}: line {n}"))
    if not identities:
        raise KeyFileError(f"identity file {name} holds no identity", hint="make one with age-keygen")
    return identities


def read_recipients_file(path: PathLike) -> list[X25519Recipient]:
    """All recipients in an age recipients file (one ``age1...`` per line; ``#`` comments).

    Not secret, but it decides who can read the output, so it must not be writable by others.
    """
    name = os.fspath(path)
    content = read_public_file(path, "recipients file")
    recipients: list[X25519Recipient] = []
    for n, line in text_lines(content, name, "recipients file"):
        if line.upper().startswith("AGE-SECRET-KEY-"):
            raise KeyFileError(
                f"recipients file {name}: line {n} is a secret identity, not a recipient",
                hint="list public keys (age1...) only; `age-keygen -y FILE` prints them. "
                "An identity does not belong on this host",
            )
        recipients.append(parse_recipient(line, source=f"recipients file {name}: line {n}"))
    if not recipients:
        raise KeyFileError(f"recipients file {name} holds no recipient", hint="add a line age1...")
    return recipients


def recipient_set_fingerprint(recipients: Iterable[X25519Recipient]) -> str:
    """SHA-256 (hex) of the sorted, distinct recipient strings joined by ``\\n``.

    Distinct, because it names a *set*: listing a key twice does not change who can read.
    """
    return hashlib.sha256("\n".join(sorted({str(r) for r in recipients})).encode("ascii")).hexdigest()


def read_passphrase_file(path: PathLike) -> bytes:
    """A passphrase from a protected file, without one trailing ``\\n`` or ``\\r\\n``."""
    name = os.fspath(path)
    content = open_secret_file(path, what="passphrase file")
    for ending in (b"\r\n", b"\n"):
        if content.endswith(ending):
            content = content[: -len(ending)]
            break
    if not content:
        raise KeyFileError(f"passphrase file {name} is empty", hint="write the passphrase on its first line")
    return content
