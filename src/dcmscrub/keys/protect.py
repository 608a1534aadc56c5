"""Key files on disk: read only when protected like an ssh private key, written whole or not at all.

Secret files are opened with ``O_NOFOLLOW`` and refused unless they are regular files owned by the
effective user, with no access for group or others, in a folder others cannot write to (there is
no override). Public files that decide who can read outputs (recipients, audit public keys) must
not be writable by others. No message ever contains a file's content.
"""

from __future__ import annotations

import errno
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from dcmscrub.age import bech32
from dcmscrub.atomic import OutputExistsError, atomic_output
from dcmscrub.errors import KeyFileError, OutputError

_MAX_KEY_FILE_SIZE: Final = 1024 * 1024

PathLike = str | os.PathLike[str]


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


def read_public_file(path: PathLike, what: str) -> bytes:
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


def text_lines(content: bytes, name: str, what: str) -> list[tuple[int, str]]:
    """Numbered lines that are neither blank nor ``#`` comments."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"{what} {name} is not a text file") from None
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    return [(n, line) for n, line in lines if line and not line.startswith("#")]


def comment(content: bytes, label: str) -> str | None:
    """The value of the first ``# label: value`` comment, if any."""
    prefix = f"# {label}:"
    for line in content.decode("utf-8", errors="replace").splitlines():
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    return None


def write_secret_file(path: PathLike, data: bytes) -> None:
    """Create ``path`` with mode 0600 holding ``data``, atomically; never overwrite.

    The file is written under a temporary name created with ``O_CREAT | O_EXCL | O_NOFOLLOW``,
    fsynced, then hard-linked to ``path`` (which fails if anything, even a dangling symlink,
    has that name) and the folder is fsynced: the key file appears whole or not at all.
    """
    final = Path(path)
    name = os.fspath(path)
    check_new_secret_file(final)
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


def check_new_secret_file(path: Path) -> None:
    """Where a new key file may go: an existing folder that the reading side will accept (ssh
    StrictModes, as :func:`open_secret_file` checks it), and no file of that name yet."""
    name = os.fspath(path)
    if not path.parent.is_dir():
        raise OutputError(f"cannot write {name}: the folder does not exist", hint="create the folder first")
    _check_secret_folder(path, "key file")
    if path.exists() or path.is_symlink():
        raise OutputError(
            f"{name} already exists",
            hint="dcmscrub never overwrites a key file; choose another name or move the old file away",
        )


def write_public_file(path: PathLike, data: bytes) -> None:
    """Create ``path`` (mode 0644) holding a public key, atomically; never overwrite."""
    name = os.fspath(path)
    try:
        with atomic_output(Path(path), overwrite=False, mode=0o644) as fh:
            os.fchmod(fh.fileno(), 0o644)
            fh.write(data)
    except OutputExistsError:
        raise OutputError(
            f"{name} already exists", hint="choose another name or move the old file away"
        ) from None
    except PermissionError:
        raise OutputError(f"cannot write {name} (permission denied)") from None


def rfc3339(created: datetime) -> str:
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)  # a naive time is taken as UTC, never as local time
    return created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def decode_key_line(content: bytes, name: str, what: str, hrp: str, example: str) -> bytes:
    """The 32 bytes of the one Bech32 key line of a key file; KeyFileError without content."""
    malformed = KeyFileError(
        f"{what} {name} is malformed",
        hint=f"expected one line {example}...; restore the file from its backup",
    )
    lines = text_lines(content, name, what)
    if len(lines) != 1:
        raise malformed
    try:
        found_hrp, data = bech32.decode(lines[0][1])
    except bech32.Bech32Error:
        raise malformed from None
    if found_hrp != hrp or len(data) != 32:
        raise malformed
    return data
