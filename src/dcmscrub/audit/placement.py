"""Where an audit log may live: a regular file the user owns, in a folder others cannot write to,
on a local file system (``flock`` is unreliable on network file systems). Checked before a run
touches anything, so a log that cannot be kept stops the run at once (exit 74)."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Final

from dcmscrub.errors import AuditWriteError

_CHECK_FLAGS: Final = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
# flock is unreliable on network file systems (§4.3): the log must be local
_NETWORK_FS: Final = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "fuse.sshfs"})
GENERIC_HINT: Final = "check the owner, mode and free space of the log and its folder, or set DCMSCRUB_LOG"


def _mount_point_unescape(text: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def _filesystem_type(path: Path) -> str | None:
    """The type of the file system holding ``path`` (longest mount point in /proc/self/mountinfo)."""
    try:
        target = os.path.realpath(path)
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best, best_type = "", None
    for line in lines:
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        mount = _mount_point_unescape(fields[4])
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, best_type = mount, right.split()[0]
    return best_type


def errno_name(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, "unknown")


CAUSES: Final[dict[int, tuple[str, str]]] = {
    errno.ENOSPC: ("no space is left on its file system", "free space on the log's file system, then rerun"),
    errno.EDQUOT: ("the disk quota is exhausted", "free space or raise the quota, then rerun"),
    errno.EACCES: ("permission denied", "check the owner and mode of the log and its folder"),
    errno.EPERM: ("permission denied", "check the owner and mode of the log and its folder"),
    errno.EROFS: ("its file system is read-only", "point DCMSCRUB_LOG at a writable local file system"),
    errno.ELOOP: ("it is a symbolic link", "point DCMSCRUB_LOG at the real file, not at a link to it"),
    errno.ENOENT: ("its folder does not exist", "create the folder (mode 700) or set DCMSCRUB_LOG"),
    errno.EIO: ("an I/O error occurred", "check the disk holding the log"),
}


def check_log_placement(path: Path) -> None:
    """Create the folder (0700) and file (0600) if missing; refuse a log that others could swap
    or rewrite, or that lives on a network file system. Raises :class:`AuditWriteError`."""
    _check_folder(path)
    _check_file(path)
    try:
        fd = os.open(path, _CHECK_FLAGS, 0o600)
    except OSError as exc:
        cause, hint = CAUSES.get(exc.errno or 0, ("it cannot be opened for appending", GENERIC_HINT))
        raise _error(path, cause, hint, errno_name(exc)) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _error(path, "it is not a regular file", "set DCMSCRUB_LOG to a regular file")
    finally:
        os.close(fd)
    if _filesystem_type(path) in _NETWORK_FS:
        raise _error(
            path,
            "it is on a network file system, where file locks are unreliable",
            "keep the log on a local disk and ship its lines to syslog or a SIEM",
        )


def _check_folder(path: Path) -> None:
    """The log's folder exists (made 0700), is ours or root's, and others cannot write to it."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fst = folder.stat()
    except OSError as exc:
        raise _error(path, "its folder cannot be created or read", GENERIC_HINT, errno_name(exc)) from exc
    if not stat.S_ISDIR(fst.st_mode):
        raise _error(path, "its folder is not a folder", "set DCMSCRUB_LOG to a file in a folder")
    mine = os.geteuid()
    if fst.st_uid not in (mine, 0):
        raise _error(path, "its folder belongs to another user", f"use a folder you own (chmod 700 {folder})")
    sticky_and_mine = bool(fst.st_mode & stat.S_ISVTX) and fst.st_uid == mine
    if fst.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not sticky_and_mine:
        raise _error(
            path,
            "its folder is group- or world-writable, so others could replace the log",
            f"run: chmod go-w {folder}",
        )


def _check_file(path: Path) -> None:
    """An existing log is a regular file (not a link), ours or root's, not writable by others."""
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _error(path, "it cannot be inspected", GENERIC_HINT, errno_name(exc)) from exc
    if stat.S_ISLNK(lst.st_mode):
        raise _error(path, "it is a symbolic link", CAUSES[errno.ELOOP][1])
    if not stat.S_ISREG(lst.st_mode):
        raise _error(path, "it is not a regular file", "set DCMSCRUB_LOG to a regular file")
    if lst.st_uid not in (os.geteuid(), 0):
        raise _error(path, "it belongs to another user", "use a log you own, or set DCMSCRUB_LOG")
    if lst.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise _error(path, "it is group- or world-writable", f"run: chmod 600 {path}")


def _error(path: Path, problem: str, hint: str, detail: str | None = None) -> AuditWriteError:
    return AuditWriteError(f"audit log {path}: {problem}", hint=hint, detail=detail)
