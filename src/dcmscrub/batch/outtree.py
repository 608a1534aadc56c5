"""The output tree: its lock, its identity, and leftovers of killed runs.

While a run works, the output tree holds a small ``.dcmscrub/`` folder:

- ``lock``: a whole-tree run holds an exclusive ``flock`` on it; a shard run (``--shard K/N``)
  holds a shared one, plus an exclusive lock on ``lock.shard-K-of-N``, so shards of one tree run
  side by side while a second run of the same tree (or shard) stops at once with exit 75. The
  kernel drops a lock when its process dies, so a dead run's lock is simply taken over. The
  holder writes its pid, host and start time into the lock file for the message a second run
  prints. A run that ends removes its lock files (the usual check that the locked file is still
  the one under the name makes that safe).
- ``root-<id>/``: an empty folder whose name is a random id naming this tree in the audit log
  (``output_root_id``), so ``log verify --check-outputs`` can match records to a tree without its
  path in the log. A folder, not a file: a finished run leaves nothing but DICOM files in the tree.
- ``running.<lock>``: present while a run works; if a run finds it on start, the previous run
  was killed, and its temporary files (``.<name>.tmp-<lock>-<hex>``) are removed before work
  starts.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

from dcmscrub.atomic import TEMP_MARK
from dcmscrub.errors import LockedError, OutputError
from dcmscrub.outcomes import FileProblem, Reason

STATE_DIR = ".dcmscrub"
_UID_RE = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_PATIENT_RE = re.compile(r"^[A-Z0-9]{1,64}$")
_FILE_ID_RE = re.compile(r"^[A-Z0-9_]{1,8}$")


def output_relpath(patient: str, study: str, series: str, sop: str, suffix: str) -> str:
    """Where an output goes in the tree: ``<patient>/<study>/<series>/<sop><suffix>``, from the
    pseudonymous patient and the (remapped) UIDs only, so no input name reaches the output.

    Raises :class:`FileProblem` for a missing SOP Instance UID or a UID that is not digits and
    dots (a UID is also a path component)."""
    if not sop:
        raise FileProblem(Reason.NO_SOP_INSTANCE_UID)
    if (
        not _UID_RE.match(sop)
        or (study and not _UID_RE.match(study))
        or (series and not _UID_RE.match(series))
    ):
        raise FileProblem(Reason.BAD_UID)
    if not _PATIENT_RE.match(patient):
        raise FileProblem(Reason.INTERNAL)
    return f"{patient}/{study or 'no-study'}/{series or 'no-series'}/{sop}{suffix}"


def file_id(name: str) -> str:
    """A PS3.10 file ID component (1 to 8 of A-Z 0-9 _) for a name: the name itself when it is
    one, else the first 8 base32 characters of its SHA-256 (40 bits: two names in one folder
    collide with odds of about n^2/2^41)."""
    if _FILE_ID_RE.match(name):
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).digest()
    return base64.b32encode(digest).decode("ascii")[:8]


def media_relpath(relpath: str) -> str:
    """The path of an output in a tree with a DICOMDIR: each component of ``relpath`` mapped by
    :func:`file_id`, the file's ``.dcm`` (and ``.age``) dropped first, so that ``scrub --no-encrypt
    --dicomdir`` and ``decrypt --dicomdir`` of an encrypted release lay out the same tree."""
    parts = relpath.split("/")
    for suffix in (".age", ".dcm"):
        if parts[-1].endswith(suffix) and len(parts[-1]) > len(suffix):
            parts[-1] = parts[-1][: -len(suffix)]
    return "/".join(file_id(part) for part in parts)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based, as users write it) of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """Parse ``K/N`` with 1 <= K <= N."""
        try:
            k_s, n_s = text.split("/")
            k, n = int(k_s), int(n_s)
        except ValueError:
            raise ValueError("--shard takes K/N, e.g. 2/8") from None
        if not 1 <= k <= n:
            raise ValueError("--shard K/N needs 1 <= K <= N")
        return cls(k, n)

    @property
    def tag(self) -> str:
        return f"s{self.index}of{self.count}"


class OutputTree:
    """An output folder owned by one run (or one shard) at a time."""

    def __init__(self, root: Path, shard: Shard | None = None) -> None:
        self.root = root
        self.shard = shard
        self.state = root / STATE_DIR
        self.tag = shard.tag if shard else "all"
        self._locks: list[tuple[int, Path]] = []
        self.root_id = ""
        self.recovered_temps = 0

    def prepare(self) -> None:
        """Create the tree, take its lock, read or create its id, clean a killed run's temps."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.state.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create output folder {self.root} ({exc.strerror})",
                hint="check the path and its permissions",
            ) from None
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise OutputError(f"output folder {self.root} is not writable", hint="check its permissions")
        self._lock()
        self.root_id = self._root_id()
        running = self.state / f"running.{self.tag}"
        if running.exists():
            self.recovered_temps = sweep_temps(self.root, self.tag)
        running.write_text(f"{os.getpid()}\n")

    def release(self, *, clean: bool) -> None:
        """Drop the locks; a clean end removes the running file and lock files nobody holds."""
        if clean:
            with contextlib.suppress(FileNotFoundError):
                (self.state / f"running.{self.tag}").unlink()
        for fd, path in reversed(self._locks):
            with contextlib.suppress(OSError):
                # remove the file only while holding it exclusively: a shard's shared lock may
                # still be held by other shards, and their lock must stay the file under the name
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if clean:
                    path.unlink()
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        self._locks.clear()

    def _lock(self) -> None:
        main = self.state / "lock"
        self._take(main, fcntl.LOCK_SH if self.shard else fcntl.LOCK_EX)
        if self.shard:
            self._take(self.state / f"lock.shard-{self.shard.index}-of-{self.shard.count}", fcntl.LOCK_EX)
        _write_holder(self._locks[-1][0])

    def _take(self, path: Path, mode: int) -> None:
        for _attempt in range(50):
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                holder = _read_holder(path) or self._any_holder() or "another process"
                self.release(clean=False)
                raise LockedError(
                    f"output folder {self.root} is in use by {holder}",
                    hint="wait for that run to finish, or write to another folder; cron may retry",
                ) from None
            if _same_file(fd, path):
                self._locks.append((fd, path))
                return
            os.close(fd)  # the file was removed by a run that just ended: lock the new one
        raise LockedError(f"output folder {self.root}: its lock keeps changing", hint="try again")

    def _any_holder(self) -> str:
        holders = [_read_holder(p) for p in sorted(self.state.glob("lock.shard-*"))]
        return "; ".join(h for h in holders if h)

    def _root_id(self) -> str:
        named = sorted(p.name[5:] for p in self.state.iterdir() if p.name.startswith("root-") and p.is_dir())
        if named:
            return named[0]
        new = secrets.token_hex(16)
        (self.state / f"root-{new}").mkdir(mode=0o700)
        # shards that start together may each make one: the smallest name wins for all of them
        named = sorted(p.name[5:] for p in self.state.iterdir() if p.name.startswith("root-") and p.is_dir())
        for extra in named[1:]:
            with contextlib.suppress(OSError):
                (self.state / f"root-{extra}").rmdir()
        return named[0]


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)


def _write_holder(fd: int) -> None:
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"pid {os.getpid()} on {socket.gethostname()} since {started}\n".encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, text, 0)


def _read_holder(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def sweep_temps(root: Path, tag: str) -> int:
    """Remove temporary files a killed run with lock ``tag`` left under ``root``; return how many."""
    removed = 0
    mark = f"{TEMP_MARK}{tag}-"
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != STATE_DIR]
        for name in files:
            if name.startswith(".") and mark in name:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
    return removed
