"""Atomic output files: a temporary name in the target folder, fsync, rename, or nothing at all.

Every file dcmscrub writes for a user (scrubbed outputs, decrypted files, key files) goes
through :func:`atomic_output`, so that a crash, a full disk or a failed check never leaves a
half-written file under its final name (architecture.md, house rule 7).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
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


class OutputExistsError(FileExistsError):
    """The final name exists and overwriting was not asked for."""


@contextlib.contextmanager
def atomic_output(
    final: Path, *, overwrite: bool = False, mode: int = 0o600, tag: str = "", sync_dir: bool = True
) -> Iterator[BinaryIO]:
    """Yield a binary file that becomes ``final`` only if the block completes.

    The temporary file is created with ``O_EXCL | O_NOFOLLOW`` and ``mode``; on success it is
    fsynced and renamed over ``final`` (refused with :class:`OutputExistsError` when ``final``
    exists and ``overwrite`` is false), then the folder is fsynced. On any exception the
    temporary file is removed and the exception propagates. ``sync_dir=False`` leaves the folder
    fsync to the caller (a batch writer syncs each folder once).
    """
    if not overwrite and final.exists():
        raise OutputExistsError(str(final))
    tmp = temp_name_for(final, tag)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    fh = os.fdopen(fd, "wb")
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        if overwrite:
            os.replace(tmp, final)
        else:
            # link() fails if the name appeared meanwhile (another process), rename would not
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
        if sync_dir:
            fsync_dir(final.parent)
    except BaseException:
        with contextlib.suppress(Exception):
            fh.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
