"""Key files: generate, format, read (with ssh-like protection checks) and fingerprint.

Four kinds of key live in four kinds of file (crypto-audit.md §2): age identities (X25519,
age-keygen compatible), the linkage secret (HMAC master key for pseudonyms), the audit signing
key (Ed25519) and passphrase files. Secret files are opened with ``O_NOFOLLOW`` and refused
unless they are regular files owned by the effective user, with no access for group or others,
in a folder others cannot write to (§2.3; there is no override). Recipients files are not
secret but must not be writable by others. No message ever contains a file's content.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from dcmscrub import _bech32
from dcmscrub.atomic import OutputExistsError, atomic_output
from dcmscrub.container import MAGIC, X25519Identity, X25519Recipient, parse_identity, parse_recipient
from dcmscrub.errors import ConfigError, KeyFileError, OutputError

__all__ = [
    "LINKAGE_KEY_SIZE",
    "audit_key_fingerprint",
    "audit_public_key_str",
    "format_audit_key_file",
    "format_identity_file",
    "format_linkage_key_file",
    "generate_audit_key",
    "generate_identity",
    "generate_linkage_key",
    "linkage_key_id",
    "open_secret_file",
    "parse_audit_public_key",
    "read_audit_key_file",
    "read_audit_public_key_file",
    "read_identity_file",
    "read_linkage_key_file",
    "read_passphrase_file",
    "read_recipients_file",
    "recipient_set_fingerprint",
    "write_secret_file",
]

LINKAGE_KEY_SIZE: Final = 32
_MAX_KEY_FILE_SIZE: Final = 1024 * 1024
_LINKAGE_HRP: Final = "dcmscrub-linkage-key-"
_AUDIT_SECRET_HRP: Final = "dcmscrub-audit-key-"  # noqa: S105 (a label, not a secret)
_AUDIT_PUBLIC_HRP: Final = "dcmscrubaudit"
_KEY_ID_INFO: Final = b"dcmscrub/v1/key-id"
_PROJECT = re.compile(r"[A-Za-z0-9._-]{1,64}")

PathLike = str | os.PathLike[str]


# --- reading protected files ------------------------------------------------------------------


def _mode_problem(mode: int) -> str:
    if mode & 0o044:
        return "readable by others"
    if mode & 0o022:
        return "writable by others"
    return "accessible by others"


def _open_checked(path: PathLike, what: str, *, follow: bool) -> int:
    """Open for reading without blocking on a FIFO; map failures to :class:`KeyFileError`."""
    name = os.fspath(path)
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        raise KeyFileError(f"{what} {name} not found", hint="check the path") from None
    except PermissionError:
        raise KeyFileError(f"{what} {name} cannot be read (permission denied)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise KeyFileError(
                f"{what} {name} is a symbolic link", hint="give the path of the file itself"
            ) from None
        raise KeyFileError(f"{what} {name} cannot be opened ({exc.strerror})") from None


def _read_fd(fd: int, name: str, what: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := os.read(fd, 65536):
        size += len(chunk)
        if size > _MAX_KEY_FILE_SIZE:
            raise KeyFileError(f"{what} {name} is too large to be a key file")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_secret_folder(path: PathLike, what: str) -> None:
    """ssh StrictModes: a folder others may write to lets them swap the file for their own."""
    folder = Path(path).parent
    st = folder.stat()
    if st.st_uid not in (os.geteuid(), 0):
        raise KeyFileError(
            f"folder {folder} of {what} {os.fspath(path)} is owned by another user (uid {st.st_uid})",
            hint="keep key files in a folder that belongs to you",
        )
    if st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX:
        raise KeyFileError(
            f"folder {folder} of {what} {os.fspath(path)} is writable by others "
            f"(mode {stat.S_IMODE(st.st_mode):04o})",
            hint=f"run: chmod go-w {folder}",
        )


def open_secret_file(path: PathLike, *, what: str = "secret file") -> bytes:
    """Read a secret file after checking it is protected like an ssh private key.

    Refused with :class:`KeyFileError` (exit 78): a missing file, a symbolic link, anything but
    a regular file, a file owned by another user, any permission bit for group or others, a
    folder others may write to. ``what`` names the kind of file in messages.
    """
    name = os.fspath(path)
    fd = _open_checked(path, what, follow=False)
    try:
        st = os.fstat(fd)  # the checks apply to what was opened: no check-then-open race
        if not stat.S_ISREG(st.st_mode):
            raise KeyFileError(f"{what} {name} is not a regular file")
        if st.st_uid != os.geteuid():
            raise KeyFileError(
                f"{what} {name} is owned by another user (uid {st.st_uid})",
                hint=f"it must belong to the user running dcmscrub (uid {os.geteuid()})",
            )
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o077:
            raise KeyFileError(
                f"{what} {name} is {_mode_problem(mode)} (mode {mode:04o})", hint=f"run: chmod 600 {name}"
            )
        _check_secret_folder(path, what)
        return _read_fd(fd, name, what)
    finally:
        os.close(fd)


def _read_public_file(path: PathLike, what: str) -> bytes:
    """Read a non-secret file that must keep its integrity: not writable by group or others."""
    name = os.fspath(path)
    fd = _open_checked(path, what, follow=True)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise KeyFileError(f"{what} {name} is not a regular file")
        if st.st_uid not in (os.geteuid(), 0):
            raise KeyFileError(
                f"{what} {name} is owned by another user (uid {st.st_uid})",
                hint="it must belong to you or to root, or its owner could change who can read the output",
            )
        mode = stat.S_IMODE(st.st_mode)
        if mode & 0o022:
            raise KeyFileError(
                f"{what} {name} is writable by others (mode {mode:04o})", hint=f"run: chmod go-w {name}"
            )
        return _read_fd(fd, name, what)
    finally:
        os.close(fd)


def _text_lines(content: bytes, name: str, what: str) -> list[tuple[int, str]]:
    """Numbered lines that are neither blank nor ``#`` comments."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"{what} {name} is not a text file") from None
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    return [(n, line) for n, line in lines if line and not line.startswith("#")]


def _comment(content: bytes, label: str) -> str | None:
    """The value of the first ``# label: value`` comment, if any."""
    prefix = f"# {label}:"
    for line in content.decode("utf-8", errors="replace").splitlines():
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    return None


# --- writing ------------------------------------------------------------------------------------


def write_secret_file(path: PathLike, data: bytes) -> None:
    """Create ``path`` with mode 0600 holding ``data``, atomically; never overwrite.

    The file is written under a temporary name created with ``O_CREAT | O_EXCL | O_NOFOLLOW``,
    fsynced, then hard-linked to ``path`` (which fails if anything, even a dangling symlink,
    has that name) and the folder is fsynced: the key file appears whole or not at all.
    """
    final = Path(path)
    name = os.fspath(path)
    if not final.parent.is_dir():
        raise OutputError(f"cannot write {name}: the folder does not exist", hint="create the folder first")
    try:
        with atomic_output(final, overwrite=False, mode=0o600) as fh:
            os.fchmod(fh.fileno(), 0o600)  # whatever the umask says
            fh.write(data)
    except OutputExistsError:
        raise OutputError(
            f"{name} already exists",
            hint="dcmscrub never overwrites a key file; choose another name or move the old file away",
        ) from None
    except PermissionError:
        raise OutputError(f"cannot write {name} (permission denied)") from None


def _rfc3339(created: datetime) -> str:
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)  # a naive time is taken as UTC, never as local time
    return created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- age identities and recipients ---------------------------------------------------------------


def generate_identity() -> X25519Identity:
    """A new age X25519 identity from the operating system's CSPRNG."""
    return X25519Identity.generate()


def format_identity_file(identity: X25519Identity, created: datetime) -> bytes:
    """The identity file exactly as age-keygen writes it (``created`` is shown in UTC)."""
    return (
        f"# created: {_rfc3339(created)}\n# public key: {identity.recipient}\n{identity.to_str()}\n"
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
    identities: list[X25519Identity] = []
    for n, line in _text_lines(content, name, "identity file"):
        try:
            identities.append(parse_identity(line))
        except ConfigError as exc:
            raise KeyFileError(f"identity file {name}: line {n}: {exc.message}", hint=exc.hint) from None
    if not identities:
        raise KeyFileError(f"identity file {name} holds no identity", hint="make one with age-keygen")
    return identities


def read_recipients_file(path: PathLike) -> list[X25519Recipient]:
    """All recipients in an age recipients file (one ``age1...`` per line; ``#`` comments).

    Not secret, but it decides who can read the output, so it must not be writable by others.
    """
    name = os.fspath(path)
    content = _read_public_file(path, "recipients file")
    recipients: list[X25519Recipient] = []
    for n, line in _text_lines(content, name, "recipients file"):
        if line.upper().startswith("AGE-SECRET-KEY-"):
            raise KeyFileError(
                f"recipients file {name}: line {n} is a secret identity, not a recipient",
                hint="list public keys (age1...) only; `age-keygen -y FILE` prints them. "
                "An identity does not belong on this host",
            )
        try:
            recipients.append(parse_recipient(line))
        except ConfigError as exc:
            raise KeyFileError(f"recipients file {name}: line {n}: {exc.message}", hint=exc.hint) from None
    if not recipients:
        raise KeyFileError(f"recipients file {name} holds no recipient", hint="add a line age1...")
    return recipients


def recipient_set_fingerprint(recipients: Iterable[X25519Recipient]) -> str:
    """SHA-256 (hex) of the sorted, distinct recipient strings joined by ``\\n``.

    Distinct, because it names a *set*: listing a key twice does not change who can read.
    """
    return hashlib.sha256("\n".join(sorted({str(r) for r in recipients})).encode("ascii")).hexdigest()


# --- the linkage secret -------------------------------------------------------------------------


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
    lines = ["# dcmscrub linkage secret v1", f"# created: {_rfc3339(created)}"]
    if project is not None:
        if not _PROJECT.fullmatch(project):
            raise ConfigError("a project name is 1 to 64 of A-Z a-z 0-9 . _ -")
        lines.append(f"# project: {project}")
    lines += [f"# key-id: {linkage_key_id(key)}", _bech32.encode(_LINKAGE_HRP, key).upper()]
    return ("\n".join(lines) + "\n").encode("ascii")


def _decode_key_line(content: bytes, name: str, what: str, hrp: str, example: str) -> bytes:
    """The 32 bytes of the one Bech32 key line of a key file; KeyFileError without content."""
    malformed = KeyFileError(
        f"{what} {name} is malformed",
        hint=f"expected one line {example}...; restore the file from its backup",
    )
    lines = _text_lines(content, name, what)
    if len(lines) != 1:
        raise malformed
    try:
        found_hrp, data = _bech32.decode(lines[0][1])
    except _bech32.Bech32Error:
        raise malformed from None
    if found_hrp != hrp or len(data) != 32:
        raise malformed
    return data


def read_linkage_key_file(path: PathLike) -> bytes:
    """The 32-byte linkage secret from a protected key file (checksum and key id verified)."""
    name = os.fspath(path)
    what = "linkage key file"
    content = open_secret_file(path, what=what)
    key = _decode_key_line(content, name, what, _LINKAGE_HRP, "DCMSCRUB-LINKAGE-KEY-1")
    stated = _comment(content, "key-id")
    if stated is not None and stated != linkage_key_id(key):
        raise KeyFileError(
            f"{what} {name}: the key-id comment does not match the key",
            hint="the file was edited or damaged; restore it from its backup",
        )
    return key


# --- the audit signing key ----------------------------------------------------------------------


def generate_audit_key() -> Ed25519PrivateKey:
    """A new Ed25519 key for signing audit checkpoints."""
    return Ed25519PrivateKey.generate()


def audit_public_key_str(public_key: Ed25519PublicKey) -> str:
    """The public key as given to auditors: ``dcmscrubaudit1...``."""
    return _bech32.encode(_AUDIT_PUBLIC_HRP, public_key.public_bytes_raw())


def audit_key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """``ed25519:`` + the first 128 bits of SHA-256 of the raw public key, in hex (safe to log)."""
    return "ed25519:" + hashlib.sha256(public_key.public_bytes_raw()).hexdigest()[:32]


def format_audit_key_file(key: Ed25519PrivateKey, created: datetime) -> bytes:
    """The audit key file: comments (format, creation time, public key) and the 32-byte seed."""
    lines = [
        "# dcmscrub audit signing key v1",
        f"# created: {_rfc3339(created)}",
        f"# public key: {audit_public_key_str(key.public_key())}",
        _bech32.encode(_AUDIT_SECRET_HRP, key.private_bytes_raw()).upper(),
    ]
    return ("\n".join(lines) + "\n").encode("ascii")


def read_audit_key_file(path: PathLike) -> Ed25519PrivateKey:
    """The Ed25519 signing key from a protected key file."""
    name = os.fspath(path)
    what = "audit key file"
    content = open_secret_file(path, what=what)
    seed = _decode_key_line(content, name, what, _AUDIT_SECRET_HRP, "DCMSCRUB-AUDIT-KEY-1")
    key = Ed25519PrivateKey.from_private_bytes(seed)
    stated = _comment(content, "public key")
    if stated is not None and stated != audit_public_key_str(key.public_key()):
        raise KeyFileError(
            f"{what} {name}: the public key comment does not match the key",
            hint="the file was edited or damaged; restore it from its backup",
        )
    return key


def parse_audit_public_key(text: str) -> Ed25519PublicKey:
    """A ``dcmscrubaudit1...`` public key, given alone or as a file's first non-comment line.

    The content of a *private* key file is refused, even though it carries the public key in a
    comment: auditors must never be handed the signing key.
    """
    lines = [line.strip() for line in text.splitlines()]
    if any(line.upper().startswith("DCMSCRUB-AUDIT-KEY-") for line in lines):
        raise ConfigError(
            "this is the secret audit signing key, not its public key",
            hint="give the dcmscrubaudit1... public key; the signing key stays on the de-identification host",
        )
    keys = [line for line in lines if line and not line.startswith("#")]
    if not keys:
        raise ConfigError("no audit public key found", hint="expected a line dcmscrubaudit1...")
    try:
        hrp, raw = _bech32.decode(keys[0])
    except _bech32.Bech32Error as exc:
        raise ConfigError(
            f"not a valid audit public key ({exc})", hint="expected dcmscrubaudit1..."
        ) from None
    if hrp != _AUDIT_PUBLIC_HRP or len(raw) != 32:
        raise ConfigError("not an audit public key", hint="expected dcmscrubaudit1...")
    return Ed25519PublicKey.from_public_bytes(raw)


def read_audit_public_key_file(path: PathLike) -> Ed25519PublicKey:
    """An audit public key from a file that others cannot write to."""
    content = _read_public_file(path, "audit public key file")
    try:
        return parse_audit_public_key(content.decode("utf-8"))
    except (ConfigError, UnicodeDecodeError) as exc:
        hint = exc.hint if isinstance(exc, ConfigError) else None
        raise KeyFileError(f"audit public key file {os.fspath(path)} is malformed", hint=hint) from None


# --- passphrases ----------------------------------------------------------------------------------


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
