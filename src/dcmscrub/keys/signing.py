"""The audit signing key (Ed25519) that signs the audit log's checkpoints, and its public key."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dcmscrub.age import bech32
from dcmscrub.errors import ConfigError, KeyFileError
from dcmscrub.keys.kinds import refuse_other_kind
from dcmscrub.keys.protect import (
    PathLike,
    comment,
    decode_key_line,
    open_secret_file,
    read_public_file,
    rfc3339,
)

_AUDIT_SECRET_HRP: Final = "dcmscrub-audit-key-"  # noqa: S105 (a label, not a secret)
_AUDIT_PUBLIC_HRP: Final = "dcmscrubaudit"


def generate_audit_key() -> Ed25519PrivateKey:
    """A new Ed25519 key for signing audit checkpoints."""
    return Ed25519PrivateKey.generate()


def audit_public_key_str(public_key: Ed25519PublicKey) -> str:
    """The public key as given to auditors: ``dcmscrubaudit1...``."""
    return bech32.encode(_AUDIT_PUBLIC_HRP, public_key.public_bytes_raw())


def format_audit_key_file(key: Ed25519PrivateKey, created: datetime) -> bytes:
    """The audit key file: comments (format, creation time, public key) and the 32-byte seed."""
    lines = [
        "# dcmscrub audit signing key v1",
        f"# created: {rfc3339(created)}",
        f"# public key: {audit_public_key_str(key.public_key())}",
        bech32.encode(_AUDIT_SECRET_HRP, key.private_bytes_raw()).upper(),
    ]
    return ("\n".join(lines) + "\n").encode("ascii")


def read_audit_key_file(path: PathLike) -> Ed25519PrivateKey:
    """The Ed25519 signing key from a protected key file."""
    name = os.fspath(path)
    what = "audit key file"
    content = open_secret_file(path, what=what)
    refuse_other_kind(content, name, what, "audit")
    seed = decode_key_line(content, name, what, _AUDIT_SECRET_HRP, "DCMSCRUB-AUDIT-KEY-1")
    key = Ed25519PrivateKey.from_private_bytes(seed)
    stated = comment(content, "public key")
    if stated is not None and stated != audit_public_key_str(key.public_key()):
        raise KeyFileError(
            f"{what} {name}: the public key comment does not match the key",
            hint="the file was edited or damaged; restore it from its backup",
        )
    return key


def _parse_public_key(text: str) -> Ed25519PublicKey | tuple[str, str]:
    """The key, or what is wrong with ``text`` and a hint (no text of the key in either)."""
    lines = [line.strip() for line in text.splitlines()]
    if any(line.upper().startswith("DCMSCRUB-AUDIT-KEY-") for line in lines):
        return (
            "this is the secret audit signing key, not its public key",
            "give the dcmscrubaudit1... public key; the signing key stays on the de-identification host",
        )
    keys = [line for line in lines if line and not line.startswith("#")]
    if not keys:
        return "no audit public key found", "expected a line dcmscrubaudit1..."
    try:
        hrp, raw = bech32.decode(keys[0])
    except bech32.Bech32Error as exc:
        return f"not a valid audit public key ({exc})", "expected dcmscrubaudit1..."
    if hrp != _AUDIT_PUBLIC_HRP or len(raw) != 32:
        return "not an audit public key", "expected dcmscrubaudit1..."
    return Ed25519PublicKey.from_public_bytes(raw)


def parse_audit_public_key(text: str) -> Ed25519PublicKey:
    """A ``dcmscrubaudit1...`` public key, given alone or as a file's first non-comment line.

    The content of a *private* key file is refused, even though it carries the public key in a
    comment: auditors must never be handed the signing key.
    """
    found = _parse_public_key(text)
    if isinstance(found, tuple):
        raise ConfigError(found[0], hint=found[1])
    return found


def read_audit_public_key_file(path: PathLike) -> Ed25519PublicKey:
    """An audit public key from a file that others cannot write to."""
    content = read_public_file(path, "audit public key file")
    try:
        found = _parse_public_key(content.decode("utf-8"))
    except UnicodeDecodeError:
        found = ("not text", "expected a line dcmscrubaudit1...")
    if isinstance(found, tuple):
        raise KeyFileError(f"audit public key file {os.fspath(path)} is malformed", hint=found[1])
    return found
