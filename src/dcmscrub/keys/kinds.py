"""Which kind of key a file holds, said without showing any of it: a key given where another kind
belongs (an age identity as ``--linkage-key``) is named for what it is."""

from __future__ import annotations

from dcmscrub.errors import KeyFileError

# the first characters of each kind's key line, and how a message names the kind
_KINDS: tuple[tuple[str, str, str], ...] = (
    ("AGE-SECRET-KEY-1", "identity", "an age identity (AGE-SECRET-KEY-1...: it reads outputs, decrypt -i)"),
    ("DCMSCRUB-LINKAGE-KEY-1", "linkage", "a linkage secret (DCMSCRUB-LINKAGE-KEY-1...: --linkage-key)"),
    ("DCMSCRUB-AUDIT-KEY-1", "audit", "an audit signing key (DCMSCRUB-AUDIT-KEY-1...: --audit-key)"),
    ("AGE1", "recipient", "an age recipient (age1...: a public key for -r/-R)"),
    ("DCMSCRUBAUDIT1", "audit-public", "an audit public key (dcmscrubaudit1...: log verify --pubkey)"),
)
KIND_WORDS = {kind: words for _prefix, kind, words in _KINDS}
_HINTS = {
    "identity": "make an age identity with: dcmscrub keygen -o FILE",
    "linkage": "make a linkage secret with: dcmscrub keygen --linkage -o FILE",
    "audit": "make an audit signing key with: dcmscrub keygen --audit -o FILE",
}


def key_kind(content: bytes) -> str | None:
    """``identity``, ``linkage``, ``audit``, ``recipient``, ``audit-public``, or None."""
    for line in content.decode("utf-8", errors="replace").splitlines():
        text = line.strip().upper()
        if not text or text.startswith("#"):
            continue
        for prefix, kind, _words in _KINDS:
            if text.startswith(prefix):
                return kind
        return None
    return None


def refuse_other_kind(content: bytes, name: str, what: str, expected: str) -> None:
    """Raise :class:`KeyFileError` naming the kind when ``content`` is a key of another kind."""
    kind = key_kind(content)
    if kind is not None and kind != expected:
        raise KeyFileError(
            f"{what} {name} holds {KIND_WORDS[kind]}, not {KIND_WORDS[expected]}", hint=_HINTS[expected]
        )
