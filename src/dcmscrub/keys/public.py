"""The public part of a key file (``dcmscrub keygen -y FILE``, like ``age-keygen -y``)."""

from __future__ import annotations

import os
import stat

from dcmscrub.errors import KeyFileError
from dcmscrub.keys.identity import read_identity_file
from dcmscrub.keys.kinds import KIND_WORDS, key_kind
from dcmscrub.keys.linkage import linkage_key_id, read_linkage_key_file
from dcmscrub.keys.protect import PathLike, open_secret_file
from dcmscrub.keys.signing import audit_public_key_str, read_audit_key_file


def public_lines(path: PathLike) -> list[str]:
    """What may be shown of a key file: the recipient of each age identity in it, an audit key's
    public key, a linkage secret's key id. The file must be protected like any secret file."""
    kind = key_kind(_head(path))
    if kind in ("recipient", "audit-public"):
        raise KeyFileError(f"{os.fspath(path)} holds {KIND_WORDS[kind]}: it is public already")
    kind = key_kind(open_secret_file(path, what="key file"))  # the checks of any secret file
    if kind == "identity":
        return [str(identity.recipient) for identity in read_identity_file(path)]
    if kind == "audit":
        return [audit_public_key_str(read_audit_key_file(path).public_key())]
    if kind == "linkage":
        return [linkage_key_id(read_linkage_key_file(path))]
    if kind is not None:
        raise KeyFileError(f"{os.fspath(path)} holds {KIND_WORDS[kind]}: it is public already")
    raise KeyFileError(
        f"{os.fspath(path)} holds no key file dcmscrub knows",
        hint="give an age identity (AGE-SECRET-KEY-1...), a linkage secret or an audit signing key",
    )


def _head(path: PathLike) -> bytes:
    """The first bytes of a file, to tell a public key from a secret one (nothing is shown)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return b""  # open_secret_file says what is wrong
    try:
        return os.read(fd, 4096) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    finally:
        os.close(fd)
