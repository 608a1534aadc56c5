"""Atomic output files: a temporary name in the target folder, fsync, rename, or nothing at all.

Every file dcmscrub writes for a user (scrubbed outputs, decrypted files, key files) goes
through here, so that a crash, a full disk or a failed check never leaves a half-written file
under its final name (architecture.md, house rule 7). :func:`atomic_output` does it in one
step; :func:`write_temp` and :func:`commit` split it for the runner, whose workers write and
fsync while the parent decides, in input order, which temporary file becomes the output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_MARK = ".tmp-"


def temp_name_for(final: Path, tag: str = "") -> Path:
    """A fresh hidden temporary name next to ``final`` (same folder, so rename is atomic).

    ``tag`` names the writer (e.g. a shard), so a later run can remove exactly the leftovers of
    a killed writer with the same tag and nobody else's.
    """
    prefix = f"{tag}-" if tag else ""
    return final.with_name(f".{final.name}{TEMP_MARK}{prefix}{secrets.token_hex(6)}")


def is_temp_name(name: str) -> bool:
    """True for names made by :func:`temp_name_for` (left behind only by a killed process)."""
    return name.startswith(".") and TEMP_MARK in name


def fsync_dir(path: Path) -> None:
    """Flush a directory entry change (a rename or a new file) to disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_filesystem(path: Path) -> None:
    """Flush every written byte and directory change of the file system holding ``path``
    (Linux syncfs(2), one journal commit for many files; os.sync() where it is missing)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if _SYNCFS is None or _SYNCFS(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


_AT_FDCWD = -100
_RENAME_NOREPLACE = 1


def _rename_noreplace(tmp: Path, final: Path) -> bool:
    """renameat2(RENAME_NOREPLACE): True when done; False where the call is missing or the file
    system does not support it (the caller falls back to link and unlink). Raises
    :class:`OutputExistsError` when ``final`` exists."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(final), _RENAME_NOREPLACE) == 0:
        return True
    import ctypes

    err = ctypes.get_errno()
    if err == errno.EEXIST:
        raise OutputExistsError(str(final))
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(final))


def _load_renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    try:
        import ctypes

        fn: Callable[[int, bytes, int, bytes, int], int] = ctypes.CDLL(None, use_errno=True).renameat2
        return fn
    except (OSError, AttributeError):
        return None


_RENAMEAT2 = _load_renameat2()


def _load_syncfs() -> Callable[[int], int] | None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn: Callable[[int], int] = libc.syncfs
        return fn
    except (OSError, AttributeError):
        return None


_SYNCFS = _load_syncfs()


class OutputExistsError(FileExistsError):
    """The final name exists and overwriting was not asked for."""


@contextlib.contextmanager
def write_temp(
    final: Path, *, mode: int = 0o600, tag: str = "", sync: bool = True
) -> Iterator[tuple[BinaryIO, Path]]:
    """Yield ``(file, temporary path)`` next to ``final``; on success the file is fsynced (unless
    ``sync`` is false: the caller then syncs a batch, see :func:`sync_filesystem`) and closed,
    not renamed (see :func:`commit`); on any exception it is removed."""
    tmp = temp_name_for(final, tag)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    fh = os.fdopen(fd, "wb")
    try:
        yield fh, tmp
        fh.flush()
        if sync:
            os.fsync(fh.fileno())
        fh.close()
    except BaseException:
        with contextlib.suppress(Exception):
            fh.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def commit(tmp: Path, final: Path, *, overwrite: bool = False, sync_dir: bool = True) -> None:
    """Give the written temporary file ``tmp`` its final name, atomically.

    Without ``overwrite`` an existing ``final`` is never replaced (:class:`OutputExistsError`,
    and ``tmp`` is removed). ``sync_dir=False`` leaves the folder fsync to the caller.
    """
    try:
        if overwrite:
            os.replace(tmp, final)
        elif _rename_noreplace(tmp, final):
            pass  # one atomic step that never replaces an existing name (Linux renameat2)
        else:
            # link() fails if the name exists (even if another process made it a moment ago)
            try:
                os.link(tmp, final)
            except FileExistsError:
                raise OutputExistsError(str(final)) from None
            except OSError:
                # file systems without hard links: check, then rename (a narrow race remains)
                if final.exists():
                    raise OutputExistsError(str(final)) from None
                os.replace(tmp, final)
            else:
                os.unlink(tmp)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_dir(final.parent)


def discard(tmp: Path) -> None:
    """Remove a temporary file that will not become an output."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


@contextlib.contextmanager
def atomic_output(
    final: Path, *, overwrite: bool = False, mode: int = 0o600, tag: str = "", sync_dir: bool = True
) -> Iterator[BinaryIO]:
    """Yield a binary file that becomes ``final`` only if the block completes.

    The temporary file is created with ``O_EXCL | O_NOFOLLOW`` and ``mode``; on success it is
    fsynced and renamed over ``final`` (refused with :class:`OutputExistsError` when ``final``
    exists and ``overwrite`` is false), then the folder is fsynced. On any exception the
    temporary file is removed and the exception propagates.
    """
    if not overwrite and final.exists():
        raise OutputExistsError(str(final))
    with write_temp(final, mode=mode, tag=tag) as (fh, tmp):
        yield fh
    commit(tmp, final, overwrite=overwrite, sync_dir=sync_dir)
