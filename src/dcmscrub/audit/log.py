"""The audit log: append-only, hash-chained JSON lines that every ``scrub`` and ``decrypt`` run appends to.

The log answers "who ran what, when, on which (digested) inputs, producing which outputs" without
ever holding patient data: input paths, input roots and file contents appear only as keyed digests
(:meth:`AuditLog.digest`), never in clear. :mod:`dcmscrub.audit.records` types the records; this module owns
the log mechanics, the helpers that build safe field values, and verification (crypto-audit.md §4).

The line format and the hash chain are described in :mod:`dcmscrub.audit.line`.

Appending (§4.3)
    ``open(O_RDWR|O_APPEND|O_CREAT|O_CLOEXEC|O_NOFOLLOW, 0600)``, ``flock(LOCK_EX)``, check the name still
    points at the locked file (rotation), read the last line backwards from EOF, repair a torn last line
    (no ``"\\n"``: truncate after the last ``"\\n"``, then write ``{"event": "repair", "dropped_bytes": N}``
    first), write the line(s) with one ``os.write`` (looping on short writes under the lock), ``fsync``,
    unlock, close. The fd is opened read-write, not write-only, because the tail is read through the same
    locked fd. A failed write is truncated back, so a full disk leaves no torn line behind.

Signed checkpoints
    With a signer, every ``run_end`` line is a checkpoint. Let ``body`` be the complete record except
    the keys ``checkpoint``, ``sig``, ``sig_alg`` and ``key``. Then::

        head    = hex(SHA-256(canonical_line(body) without its "\\n"))        # 64 lowercase hex chars
        message = b"dcmscrub-audit-checkpoint-v1\\n" + head.encode("ascii")
        record  = body + {"checkpoint": {"seq": body["seq"], "head": head},
                          "sig_alg": "ed25519",
                          "key": "ed25519:" + hex(SHA-256(raw 32-byte public key))[:32],
                          "sig": base64(Ed25519 signature of message)}    # standard alphabet, padded

    ``body`` contains ``prev``, which is the hash of the previous line, which contains its own ``prev``:
    the head therefore commits to every earlier line of the chain, not only to the ``run_end``.

Verification lives in :mod:`dcmscrub.audit.verify` (``log verify``) and :mod:`dcmscrub.audit.show`.

Limits: a hash chain cannot show that lines were cut off the end of the log, nor a complete
rewrite by someone holding the signing key (Crosby & Wallach 2009): that needs the checkpoints
copied to an external anchor (§4.4), which this module does not do yet. Rotation is not done here
either; :func:`dcmscrub.audit.verify.verify_log` already accepts rotated files that chain into each other.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import fcntl
import hashlib
import hmac
import json
import math
import os
import pwd
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dcmscrub.audit.anchor import Anchor, AnchorSink, anchor_for, log_identity
from dcmscrub.audit.line import (
    AUDIT_VERSION,
    COMMON_KEYS,
    EVENT_RE,
    GENESIS_PREV,
    MAX_LINE_BYTES,
    REPAIR_EVENT,
    RUN_ID_RE,
    SIGNATURE_KEYS,
    SIGNED_EVENTS,
    audit_key_fingerprint,
    canonical_line,
    checkpoint_head,
    checkpoint_message,
    format_ts,
    sha256_hex,
    utc_now,
)
from dcmscrub.audit.placement import CAUSES, GENERIC_HINT, check_log_placement, errno_name
from dcmscrub.audit.records import Record
from dcmscrub.errors import AuditWriteError

_APPEND_FLAGS: Final = (
    os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
)  # O_NONBLOCK: opening a FIFO planted under the log's name fails instead of hanging
_TAIL_CHUNK: Final = 8192
_MAX_DEPTH: Final = 32  # nesting of field values
_REOPEN_ATTEMPTS: Final = 5
# flock is unreliable on network file systems (§4.3): the log must be local


def default_log_path(env: Mapping[str, str]) -> Path:
    """``$DCMSCRUB_LOG``, else ``$XDG_STATE_HOME/dcmscrub/audit.jsonl``, else
    ``$HOME/.local/state/dcmscrub/audit.jsonl`` (XDG base directories: a relative XDG path is ignored)."""
    explicit = env.get("DCMSCRUB_LOG")
    if explicit:
        return Path(explicit)
    state = env.get("XDG_STATE_HOME")
    if state and Path(state).is_absolute():
        return Path(state) / "dcmscrub" / "audit.jsonl"
    home = env.get("HOME") or pwd.getpwuid(os.getuid()).pw_dir
    return Path(home) / ".local" / "state" / "dcmscrub" / "audit.jsonl"


# ------------------------------------------------------------------------------------ file helpers


def _pread_exact(fd: int, size: int, offset: int) -> bytes:
    data = os.pread(fd, size, offset)
    if len(data) != size:
        raise OSError(errno.EIO, "short read from the audit log")
    return data


def _rfind_newline(fd: int, end: int) -> int:
    """Offset of the last ``b"\\n"`` before ``end`` (reading backwards in chunks), or -1."""
    pos = end
    while pos > 0:
        start = max(0, pos - _TAIL_CHUNK)
        index = _pread_exact(fd, pos - start, start).rfind(b"\n")
        if index >= 0:
            return start + index
        pos = start
    return -1


def _first_line(fd: int) -> bytes:
    """The log's first line (without its "\\n"): it names the log in its anchors."""
    head = os.pread(fd, MAX_LINE_BYTES, 0)
    return head.split(b"\n", 1)[0]


def _is_plain_json(value: object, depth: int) -> bool:
    """True for values that serialize to canonical JSON and parse back equal (so verify can re-check)."""
    if value is None or isinstance(value, bool | str):
        return True
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if depth <= 0:
        return False
    if isinstance(value, list | tuple):
        return all(_is_plain_json(item, depth - 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain_json(v, depth - 1) for k, v in value.items())
    return False


# ------------------------------------------------------------------------------------ the log itself


class AuditLog:
    """One audit log file: keyed digests for record values, safe appends, optional signed checkpoints.

    ``digest_key`` (32 bytes) keys :meth:`digest`; ``signer`` turns every ``run_end`` into a signed
    checkpoint; ``clock`` must return aware datetimes; ``fault_injection_write`` replaces ``os.write``
    (tests only: a short write, a crash or ``ENOSPC`` on demand).
    """

    def __init__(
        self,
        path: Path,
        *,
        digest_key: bytes,
        signer: Ed25519PrivateKey | None = None,
        clock: Callable[[], datetime] | None = None,
        fault_injection_write: Callable[[int, bytes], int] | None = None,
        anchors: Sequence[AnchorSink] = (),
    ) -> None:
        if not isinstance(digest_key, bytes) or len(digest_key) != 32:
            raise ValueError("digest_key must be 32 bytes")
        self.path = Path(path)
        self._digest_key = digest_key
        self._signer = signer
        self._key_id = audit_key_fingerprint(signer.public_key()) if signer is not None else None
        self._clock = clock or utc_now
        self._write = fault_injection_write or os.write
        self._anchors = tuple(anchors)
        self.anchor_failures: list[str] = []  # sinks that could not take a checkpoint (a warning)

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r}, signed={self._signer is not None})"

    @property
    def key_id(self) -> str | None:
        """The fingerprint of the signing key (``ed25519:...``), or None when unsigned."""
        return self._key_id

    def digest(self, data: bytes | str) -> str:
        """Hex HMAC-SHA-256 under the log's digest key: the only way an input path, root or content
        may appear in the log. ``str`` is UTF-8 with ``surrogateescape`` (``os.fsdecode`` names)."""
        raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)
        return hmac.new(self._digest_key, raw, hashlib.sha256).hexdigest()

    # -- reading back (recovery of a dead run's records)

    def end_offset(self) -> int:
        """The log's size now (0 when it cannot be read): records appended later start at or
        after it, give or take a torn last line that the next writer drops."""
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def outputs_recorded(self, run_id: str, since: int = 0) -> set[str]:
        """The ``output`` of every ``file`` record of ``run_id`` from byte ``since`` of the log
        on (from the start of the line that holds it, and of a torn line dropped there since)."""
        start = max(0, since - MAX_LINE_BYTES)
        found: set[str] = set()
        needle = f'"run_id":{json.dumps(run_id)}'.encode()
        try:
            with open(self.path, "rb") as fh:
                fh.seek(start)
                if start:
                    fh.readline()  # the rest of a line that began before the window
                for line in fh:
                    if b'"event":"file"' not in line or needle not in line:
                        continue  # cheap filter; the parse below decides
                    try:
                        rec = json.loads(line)
                    except (ValueError, RecursionError):
                        continue
                    if isinstance(rec, dict) and rec.get("event") == "file" and rec.get("run_id") == run_id:
                        output = rec.get("output")
                        if isinstance(output, str):
                            found.add(output)
        except FileNotFoundError:
            return found  # no log yet: nothing recorded
        except OSError as exc:
            raise self._error("it cannot be read back", GENERIC_HINT, errno_name(exc)) from exc
        return found

    # -- checks before a run

    def _error(self, problem: str, hint: str, detail: str | None = None) -> AuditWriteError:
        return AuditWriteError(f"audit log {self.path}: {problem}", hint=hint, detail=detail)

    def check_writable(self) -> None:
        """Create the folder (0700) and file (0600) if missing; refuse a log that others could swap
        or rewrite, or that lives on a network file system. Raises :class:`AuditWriteError`."""
        check_log_placement(self.path)

    def record(self, run_id: str, record: Record) -> dict[str, Any]:
        """Append one typed record (see :meth:`append`)."""
        return self.append(record.EVENT, run_id, record.to_fields())

    def record_many(self, run_id: str, records: Sequence[Record]) -> list[dict[str, Any]]:
        """Append typed records of one event as a group commit (see :meth:`append_many`)."""
        if not records:
            return []
        events = {r.EVENT for r in records}
        if len(events) != 1:
            raise ValueError("record_many takes records of one event")
        return self.append_many(events.pop(), run_id, [r.to_fields() for r in records])

    def append(self, event: str, run_id: str, fields: Mapping[str, object]) -> dict[str, Any]:
        """Append one record under an exclusive lock and return it as written.

        Raises ValueError for a bad request (reserved keys in ``fields``, values that are not
        canonical JSON, a bad event name) before touching the file, and :class:`AuditWriteError`
        for any failure to append: the run must then stop rather than work unlogged.
        """
        return self.append_many(event, run_id, [fields])[0]

    def append_many(
        self, event: str, run_id: str, fields: Sequence[Mapping[str, object]]
    ) -> list[dict[str, Any]]:
        """Append several records of one event as a group commit: one lock, one write of whole
        lines, one fsync (a run appends its ``file`` records in batches this way). Each record
        is chained to the one before it exactly as :meth:`append` chains them."""
        for one in fields:
            self._check_request(event, run_id, one)
        if not fields:
            return []
        try:
            records, anchors = self._append_locked(event, run_id, fields)
        except OSError as exc:
            cause, hint = CAUSES.get(exc.errno or 0, ("a system error occurred", GENERIC_HINT))
            raise AuditWriteError(
                f"cannot append to the audit log {self.path}: {cause};"
                " the run stops rather than work unlogged",
                hint=hint,
                detail=errno_name(exc),
            ) from exc
        self.anchor(anchors)
        return records

    def anchor(self, anchors: Sequence[Anchor]) -> None:
        """Copy checkpoints to the anchor sinks (after the log's lock is dropped). A sink that
        fails is noted in :attr:`anchor_failures`: the record is in the log, the run goes on."""
        for anchor in anchors:
            for sink in self._anchors:
                try:
                    sink.write(anchor)
                except OSError:
                    self.anchor_failures.append(sink.name)

    def _check_request(self, event: str, run_id: str, fields: Mapping[str, object]) -> None:
        if not isinstance(event, str) or not EVENT_RE.fullmatch(event) or event == REPAIR_EVENT:
            raise ValueError("event must be a lowercase name other than 'repair'")
        if not isinstance(run_id, str) or not RUN_ID_RE.fullmatch(run_id):
            raise ValueError("run_id must be 1-64 characters of A-Z a-z 0-9 . _ -")
        for key in fields:
            if not isinstance(key, str):
                raise ValueError("field names must be strings")
            if key in COMMON_KEYS or key in SIGNATURE_KEYS:
                raise ValueError(
                    "fields must not set a reserved key (v seq ts event run_id prev or signature)"
                )
        if not _is_plain_json(dict(fields), _MAX_DEPTH):
            raise ValueError("fields must be plain JSON values (str keys, no NaN, no other types)")
        if (
            len(canonical_line(dict(fields))) > MAX_LINE_BYTES - 2048
        ):  # room for the common keys and signature
            raise ValueError("fields are too large for one audit line")

    def _append_locked(
        self, event: str, run_id: str, fields: Sequence[Mapping[str, object]]
    ) -> tuple[list[dict[str, Any]], list[Anchor]]:
        with self.locked() as fd:
            return self.append_fd(fd, event, run_id, fields)

    @contextlib.contextmanager
    def locked(self) -> Iterator[int]:
        """The log file, open read-write and locked exclusively, still the one under its name
        (a rotation may rename it between the open and the lock: then the new one is opened)."""
        for _ in range(_REOPEN_ATTEMPTS):
            fd = os.open(self.path, _APPEND_FLAGS, 0o600)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise self._error("it is not a regular file", "set DCMSCRUB_LOG to a regular file")
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    if self._still_named(fd):
                        yield fd
                        return
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        # renamed under us again and again (rotation storm): refuse rather than write to an old file
        raise self._error("it keeps being replaced while opening", GENERIC_HINT)

    def _still_named(self, fd: int) -> bool:
        """The locked file is still the one at ``path`` (a rotation may have renamed it meanwhile)."""
        try:
            named = self.path.lstat()
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def append_fd(
        self, fd: int, event: str, run_id: str, fields: Sequence[Mapping[str, object]]
    ) -> tuple[list[dict[str, Any]], list[Anchor]]:
        """Append to the log open and locked as ``fd`` (see :meth:`locked`): the records as
        written and the anchors of the checkpoints among them (for :meth:`anchor`)."""
        ts = format_ts(self._clock())  # before any change: a bad clock must not leave a half-repair
        size = os.fstat(fd).st_size
        dropped = 0
        if size and _pread_exact(fd, 1, size - 1) != b"\n":
            keep = _rfind_newline(fd, size) + 1
            dropped = size - keep
            os.ftruncate(fd, keep)
            size = keep
        if size:
            start = _rfind_newline(fd, size - 1) + 1
            last = _pread_exact(fd, size - 1 - start, start)
            seq, prev = self._tail_seq(last) + 1, sha256_hex(last)
        else:
            seq, prev = 0, GENESIS_PREV
        out = b""
        if dropped:
            repair = self.build(REPAIR_EVENT, run_id, {"dropped_bytes": dropped}, seq, prev, ts)
            line = canonical_line(repair)
            out += line
            seq, prev = seq + 1, sha256_hex(line[:-1])
        records = []
        for one in fields:
            record = self.build(event, run_id, one, seq, prev, ts)
            line = canonical_line(record)
            out += line
            records.append(record)
            seq, prev = seq + 1, sha256_hex(line[:-1])
        self._write_all(fd, out, size)
        os.fsync(fd)
        anchors: list[Anchor] = []
        if self._anchors and event in SIGNED_EVENTS:
            log_id, generation = log_identity(_first_line(fd))
            for record in records:
                line = canonical_line(record)
                anchors.append(
                    anchor_for(record, line, log_id=log_id, generation=generation, file=self.path.name)
                )
        return records, anchors

    def _tail_seq(self, last: bytes) -> int:
        try:
            seq = json.loads(last.decode("ascii"))["seq"]
        except (UnicodeDecodeError, ValueError, RecursionError, TypeError, KeyError):
            seq = None
        if type(seq) is not int or seq < 0:
            raise self._error(
                "its last line is damaged, so the next line cannot be chained to it",
                "run 'dcmscrub log verify' on it, then move it aside to start a new log",
            )
        return seq

    def build(
        self, event: str, run_id: str, fields: Mapping[str, object], seq: int, prev: str, ts: str
    ) -> dict[str, Any]:
        record: dict[str, Any] = dict(fields)
        record.update(v=AUDIT_VERSION, seq=seq, ts=ts, event=event, run_id=run_id, prev=prev)
        if self._signer is not None and event in SIGNED_EVENTS:
            head = checkpoint_head(record)
            signature = self._signer.sign(checkpoint_message(head))
            record["checkpoint"] = {"seq": seq, "head": head}
            record["sig_alg"] = "ed25519"
            record["key"] = self._key_id
            record["sig"] = base64.b64encode(signature).decode("ascii")
        return record

    def _write_all(self, fd: int, data: bytes, start_size: int) -> None:
        written = 0
        try:
            while written < len(data):
                count = self._write(fd, data[written:])
                if count <= 0:
                    raise OSError(errno.EIO, "write made no progress")
                written += count
        except BaseException:
            # leave no torn line behind us (we still hold the lock), also on KeyboardInterrupt; if
            # this fails too, or the process dies here, the next writer repairs the torn line
            try:
                os.ftruncate(fd, start_size)
            except OSError:
                pass
            raise
