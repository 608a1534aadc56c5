"""The linkage secret: the 256-bit HMAC master key that every keyed pseudonym derives from."""

from __future__ import annotations

import os
import re
from datetime import datetime
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from dcmscrub.age import bech32
from dcmscrub.errors import ConfigError, KeyFileError
from dcmscrub.keys.kinds import refuse_other_kind
from dcmscrub.keys.protect import PathLike, comment, decode_key_line, open_secret_file, rfc3339

LINKAGE_KEY_SIZE: Final = 32
_LINKAGE_HRP: Final = "dcmscrub-linkage-key-"
_KEY_ID_INFO: Final = b"dcmscrub/v1/key-id"
_PROJECT = re.compile(r"[A-Za-z0-9._-]{1,64}")


def generate_linkage_key() -> bytes:
    """32 random bytes: the HMAC master key for pseudonyms."""
    return os.urandom(LINKAGE_KEY_SIZE)


def _check_linkage_key(key: bytes) -> None:
    if len(key) != LINKAGE_KEY_SIZE:
        raise ConfigError(f"a linkage key must be {LINKAGE_KEY_SIZE} bytes")


def linkage_key_id(key: bytes) -> str:
    """16 hex characters naming the key; HKDF-Expand with its own label, so it reveals nothing."""
    _check_linkage_key(key)
    return HKDFExpand(algorithm=hashes.SHA256(), length=8, info=_KEY_ID_INFO).derive(key).hex()


def format_linkage_key_file(key: bytes, created: datetime, *, project: str | None = None) -> bytes:
    """The linkage key file: comments (format, creation time, optional project, key id) and the key."""
    _check_linkage_key(key)
    lines = ["# dcmscrub linkage secret v1", f"# created: {rfc3339(created)}"]
    if project is not None:
        if not _PROJECT.fullmatch(project):
            raise ConfigError("a project name is 1 to 64 of A-Z a-z 0-9 . _ -")
        lines.append(f"# project: {project}")
    lines += [f"# key-id: {linkage_key_id(key)}", bech32.encode(_LINKAGE_HRP, key).upper()]
    return ("\n".join(lines) + "\n").encode("ascii")


def read_linkage_key_file(path: PathLike) -> bytes:
    """The 32-byte linkage secret from a protected key file (checksum and key id verified)."""
    name = os.fspath(path)
    what = "linkage key file"
    content = open_secret_file(path, what=what)
    refuse_other_kind(content, name, what, "linkage")
    key = decode_key_line(content, name, what, _LINKAGE_HRP, "DCMSCRUB-LINKAGE-KEY-1")
    stated = comment(content, "key-id")
    if stated is not None and stated != linkage_key_id(key):
        raise KeyFileError(
            f"{what} {name}: the key-id comment does not match the key",
            hint="the file was edited or damaged; restore it from its backup",
        )
    return key
