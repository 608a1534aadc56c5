"""Run marks: which runs that write to an audit log are still alive, so a dead run can be closed.

A run killed with ``kill -9`` (or by a power cut) leaves a ``run_start`` without ``run_end``.
``log verify`` cannot tell such a run from a log whose end was cut off. So the next run that
writes to the same log records ``run_abandoned`` for every run it finds dead, and removes a dead
run's mark only once that record is written (if the log is full, the mark waits for the next run).

How a dead run is told from a live one: every run holds an exclusive ``flock`` on a mark file
``<log>.runs/<run_id>`` for as long as it runs. The kernel drops the lock when the process dies,
however it dies. The file is created and locked under a temporary name and only then renamed
into place, so a visible mark is always locked from the start. A clean end unlinks the mark
while it still holds the lock. A later run that manages to lock a mark that is still linked
under its name has found a dead run.

While a batch of outputs is being renamed into place, the mark also holds what the batch is
about to record (:meth:`RunMark.note_pending`), and is emptied once those records are in the
log. A run killed between the renames and its records thus leaves them in its mark, and the run
that reaps it can append the records whose outputs really appeared (same SHA-256), so that no
output stays unlogged. The mark holds a run id, the batch's ``file`` records (what the log will
hold anyway: keyed digests, pseudonymous paths, hashes, counts) and, unlike the log, the output
folder's path in clear (never an input path), in a 0700 folder, for as long as the batch takes
to rename. Marks are an aid
to ``log verify``, not records: if they cannot be kept (a read-only folder), the run goes on
without them and a crash stays visible in the log as an unended run.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Final

from dcmscrub.audit.records import FileRecord

__all__ = [
    "PendingBatch",
    "RunMark",
    "hold_run_mark",
    "pending_note",
    "probe_run",
    "read_pending_note",
    "reap_dead_runs",
]

MAX_PENDING_BYTES: Final = 4 << 20  # a batch's records are far smaller; more is not a mark of ours
_RUN_ID_RE: Final = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def marks_dir(log: Path) -> Path:
    """The folder of run marks beside ``log``."""
    return log.with_name(log.name + ".runs")


class RunMark:
    """The locked mark of the current run (``held`` is False when it could not be made).

    :meth:`release` after ``run_end`` is written; :meth:`abandon` when the run stops without
    one, so that the next run records it as abandoned."""

    def __init__(self, path: Path | None, fd: int) -> None:
        self.path, self._fd = path, fd

    @property
    def held(self) -> bool:
        return self._fd >= 0

    def release(self) -> None:
        """Unlink the mark, then drop its lock: the run ended and its ``run_end`` is written."""
        if self._fd >= 0 and self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
        self.abandon()

    def note_pending(self, data: bytes) -> None:
        """Replace the mark's content with ``data`` and sync it (a batch's records, before its renames)."""
        if self._fd >= 0:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, data, 0)
            os.fsync(self._fd)

    def clear_pending(self) -> None:
        """Empty the mark: the batch's records are in the log."""
        if self._fd >= 0:
            os.ftruncate(self._fd, 0)

    def abandon(self) -> None:
        """Drop the lock and keep the mark (a no-op after :meth:`release`)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def hold_run_mark(log: Path, run_id: str) -> RunMark:
    """Create and lock the mark of ``run_id`` beside ``log`` (not held when that fails)."""
    folder = marks_dir(log)
    temp = folder / f".{run_id}.tmp"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    except OSError:
        return RunMark(None, -1)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        temp.rename(folder / run_id)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        os.close(fd)
        return RunMark(None, -1)
    return RunMark(folder / run_id, fd)


def reap_dead_runs(
    log: Path, own_run_id: str, record: Callable[[str, bytes], None] | None = None
) -> list[tuple[str, bytes]]:
    """The runs whose marks beside ``log`` are unlocked (their process died), each with what its
    mark held (see :meth:`RunMark.note_pending`; empty unless it died inside a batch).

    ``record(run_id, content)`` is called for each while its mark is still locked by this call
    (the caller records the run as ``run_abandoned`` there); the mark is removed only once it
    returns. If it raises, the mark stays for the next run and the exception propagates.
    Temporary marks left by a run that died while creating its mark are removed too. (A live
    run's temporary mark is unlocked for a moment before its flock; removing it then only makes
    that run go on without a mark.)"""
    folder = marks_dir(log)
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return []
    dead: list[tuple[str, bytes]] = []
    for name in names:
        if name == own_run_id:
            continue
        if _RUN_ID_RE.fullmatch(name):
            pending = _reap_if_dead(folder / name, None if record is None else partial(record, name))
            if pending is not None:
                dead.append((name, pending))
        elif name.startswith(".") and name.endswith(".tmp"):
            _reap_if_dead(folder / name, None)  # never renamed into place: its run wrote no records
    return dead


def probe_run(log: Path, run_id: str) -> bool | None:
    """Whether the run ``run_id`` that writes to ``log`` is alive, read-only (for ``log verify``):
    True while its process holds its mark, False when its mark is there but its process died and
    no run has reaped it yet, None when it has no mark (it ended, was reaped, or never had one)."""
    if not _RUN_ID_RE.fullmatch(run_id):
        return None  # the name comes from the log: never a path of its own choosing
    path = marks_dir(log) / run_id
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        try:
            # shared: two verifiers at once do not take each other for a live run
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return None
        return False
    finally:
        os.close(fd)  # drops the shared lock, if taken


def _reap_if_dead(path: Path, record: Callable[[bytes], None] | None) -> bytes | None:
    """Lock ``path``; when that succeeds and the name still points at it (the run is dead), read
    it, hand its content to ``record`` and then unlink it, and return the content. None while
    its run is alive."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = os.fstat(fd)
            named = path.lstat()
            if not stat.S_ISREG(named.st_mode) or (held.st_dev, held.st_ino) != (named.st_dev, named.st_ino):
                return None  # the run ended cleanly (unlinked) and a new file took the name meanwhile
            content = os.pread(fd, min(held.st_size, MAX_PENDING_BYTES), 0)
        except OSError:
            return None  # held: that run is alive (or the mark cannot be read)
        if record is not None:
            record(content)  # raises: the mark stays for the next run
        with contextlib.suppress(OSError):  # a mark that cannot go is found (and recorded) again
            path.unlink()
        return content
    finally:
        os.close(fd)


# --------------------------------------------------------------------------------------------
# the batch note a run keeps in its mark while a batch's outputs get their names

PENDING_VERSION: Final = 2  # version 1 had no log offset (the whole log was searched then)


@dataclass(frozen=True)
class PendingBatch:
    """What a dead run's batch was about to record: the output folder, the log's size before the
    batch (its records, if they made it, are after it), and the ``file`` records."""

    out: Path
    log_offset: int
    records: list[FileRecord]


def pending_note(out: Path, log_offset: int, records: list[FileRecord]) -> bytes:
    """The batch note for :meth:`RunMark.note_pending` (versioned JSON)."""
    note = {
        "v": PENDING_VERSION,
        "out": str(out),
        "log_offset": log_offset,
        "records": [r.to_fields() for r in records],
    }
    return json.dumps(note, sort_keys=True, separators=(",", ":")).encode()


def read_pending_note(pending: bytes) -> PendingBatch | None:
    """The batch a note describes, or None when it is empty or not a note of ours; records that
    do not parse as file records are left out."""
    if not pending:
        return None
    try:
        note = json.loads(pending)
    except (ValueError, RecursionError):
        return None
    if not isinstance(note, dict) or note.get("v") not in (1, PENDING_VERSION):
        return None
    out, offset, records = note.get("out"), note.get("log_offset", 0), note.get("records")
    if not isinstance(out, str) or type(offset) is not int or offset < 0 or not isinstance(records, list):
        return None
    parsed = [FileRecord.from_fields(r) for r in records]
    return PendingBatch(Path(out), offset, [r for r in parsed if r is not None])
