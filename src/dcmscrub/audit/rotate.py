"""Rotation of the audit log: ``dcmscrub log rotate`` (and ``scrub --rotate-size``).

Under the log's lock, the current file (generation ``g``: 1 for a log never rotated) gets a last
record ``log_sealed`` (a checkpoint: signed with an audit key, and anchored like a ``run_end``),
keeps its lines under the name ``<log>.<g>`` (made read-only), and the name ``<log>`` passes at
once to a new file whose first line is ``log_open``::

    {"event": "log_open", "seq": 0, "prev": <SHA-256 of the sealed file's last line>,
     "generation": g + 1, "log_id": <the log's id>, "prev_file": "<log>.<g>",
     "prev_lines": <lines of the sealed file>, "open_runs": [<run ids begun, not ended>], ...}

so the chain goes on across files (``log verify`` walks it back from the current file), and a
writer that waited for the lock finds the new file under the name (it checks that the file it
locked is still the one under the name). The name never points at nothing: the sealed file is
linked to its new name first, then the new file is renamed over the old name. Sealed files are
numbered oldest first and never renamed again (no shifting: an archive or a WORM copy keeps its
name).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dcmscrub.audit.anchor import log_identity
from dcmscrub.audit.line import ABANDONED_EVENT, LOG_OPEN_EVENT, canonical_line, sha256_hex
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.records import LogOpen, LogSealed
from dcmscrub.errors import AuditWriteError

__all__ = ["RotateResult", "rotate_log"]


@dataclass(frozen=True)
class RotateResult:
    """What a rotation did: the sealed file's new name, its generation and lines."""

    sealed: Path
    generation: int
    lines: int
    open_runs: list[str]


def _lines(fd: int) -> Iterator[bytes]:
    with os.fdopen(os.dup(fd), "rb") as fh:
        fh.seek(0)
        yield from fh


def _scan(fd: int) -> tuple[bytes, list[str]]:
    """The first line, and the runs still open at the end of the file (begun here or listed as
    open by its ``log_open``)."""
    first = b""
    open_runs: dict[str, None] = {}
    for index, line in enumerate(_lines(fd)):
        try:
            rec = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if index == 0:
            first = line.rstrip(b"\n")
        if not isinstance(rec, dict):
            continue
        event, run_id = rec.get("event"), rec.get("run_id")
        if event == LOG_OPEN_EVENT and isinstance(rec.get("open_runs"), list):
            open_runs.update((r, None) for r in rec["open_runs"] if isinstance(r, str))
        elif event == "run_start" and isinstance(run_id, str):
            open_runs[run_id] = None
        elif event == "run_end" and isinstance(run_id, str):
            open_runs.pop(run_id, None)
        elif event == ABANDONED_EVENT and isinstance(rec.get("abandoned_run"), str):
            open_runs.pop(rec["abandoned_run"], None)
    return first, list(open_runs)


def rotate_log(log: AuditLog, run_id: str) -> RotateResult:
    """Seal ``log`` and start its next file (module docstring); ``run_id`` names the rotation
    in its two records. Raises :class:`AuditWriteError` (74) when it cannot be done; then the
    log is as it was."""
    try:
        with log.locked() as fd:
            return _rotate(log, fd, run_id)
    except OSError as exc:
        raise AuditWriteError(
            f"cannot rotate the audit log {log.path} ({exc.strerror or type(exc).__name__})",
            hint="check the log's folder (free space, permissions)",
        ) from exc


def _rotate(log: AuditLog, fd: int, run_id: str) -> RotateResult:
    first, open_runs = _scan(fd)
    log_id, generation = log_identity(first) if first else ("", 1)
    sealed = log.path.with_name(f"{log.path.name}.{generation}")
    if not first or os.path.lexists(sealed):
        why = "it is empty" if not first else f"{sealed.name} exists already"
        raise AuditWriteError(f"cannot rotate the audit log {log.path}: {why}", hint="nothing was changed")
    size = os.fstat(fd).st_size
    seal = LogSealed(generation, sealed.name, open_runs)
    records, anchors = log.append_fd(fd, seal.EVENT, run_id, [seal.to_fields()])
    try:
        last = canonical_line(records[-1])[:-1]
        opening = LogOpen(generation + 1, log_id, sealed.name, records[-1]["seq"] + 1, open_runs)
        record = log.build(opening.EVENT, run_id, opening.to_fields(), 0, sha256_hex(last), records[-1]["ts"])
        _start_next(log.path, sealed, canonical_line(record))
    except BaseException:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)  # no seal without a next file: the log is as it was
        raise
    log.anchor(anchors)
    return RotateResult(sealed, generation, records[-1]["seq"] + 1, open_runs)


def _start_next(path: Path, sealed: Path, first_line: bytes) -> None:
    """Link the locked file to its sealed name, then put the new file under the log's name."""
    temp = path.with_name(f".{path.name}.rotate-{secrets.token_hex(6)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    try:
        try:
            os.write(fd, first_line)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(path, sealed)
        try:
            temp.rename(path)
        except BaseException:
            os.unlink(sealed)
            raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError):
        sealed.chmod(0o400)
    dirfd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dirfd)
    finally:
        os.close(dirfd)
