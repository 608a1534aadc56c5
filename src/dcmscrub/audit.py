"""The audit log: append-only, hash-chained JSON lines that every ``scrub`` and ``decrypt`` run appends to.

The log answers "who ran what, when, on which (digested) inputs, producing which outputs" without
ever holding patient data: input paths, input roots and file contents appear only as keyed digests
(:meth:`AuditLog.digest`), never in clear. The runner builds the record contents; this module owns
the log mechanics, the helpers that build safe field values, and verification (crypto-audit.md §4).

Line format (``v`` 1)
    Each line is ``canonical_line(record)``: ``json.dumps(record, sort_keys=True, separators=(",", ":"),
    ensure_ascii=True)`` (``allow_nan=False``: NaN and infinities are refused) plus ``"\\n"``. Every line
    carries ``v`` (1), ``seq`` (0, 1, 2, ... per file), ``ts`` (UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``),
    ``event``, ``run_id`` and ``prev``: the lowercase hex SHA-256 of the previous line's bytes without its
    ``"\\n"``, or 64 zeros on the first line of the first file. A rotated file given after an older one
    must start at ``seq`` 0 with ``prev`` chaining to the older file's last line.

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

Verification (:func:`verify_log`) streams the files once, keeping state per open run only.

Limits: a hash chain cannot show that lines were cut off the end of the log, nor a complete
rewrite by someone holding the signing key (Crosby & Wallach 2009): that needs the checkpoints
copied to an external anchor (§4.4), which this module does not do yet. Rotation is not done here
either; :func:`verify_log` already accepts rotated files that chain into each other.
"""

from __future__ import annotations

import base64
import binascii
import errno
import fcntl
import hashlib
import hmac
import json
import math
import os
import platform
import pwd
import re
import socket
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dcmscrub.errors import AuditWriteError, InputError

__all__ = [
    "AUDIT_VERSION",
    "CHECKPOINT_CONTEXT",
    "GENESIS_PREV",
    "AuditLog",
    "RunSummaryRow",
    "VerifyResult",
    "audit_key_fingerprint",
    "canonical_line",
    "default_log_path",
    "new_run_id",
    "operator_info",
    "summarize_runs",
    "tool_versions",
    "verify_log",
]

AUDIT_VERSION: Final = 1
GENESIS_PREV: Final = "0" * 64
CHECKPOINT_CONTEXT: Final = b"dcmscrub-audit-checkpoint-v1\n"
COMMON_KEYS: Final = frozenset({"v", "seq", "ts", "event", "run_id", "prev"})
SIGNATURE_KEYS: Final = frozenset({"checkpoint", "sig", "sig_alg", "key"})
MAX_LINE_BYTES: Final = 1 << 20  # a longer line is refused on append and is an error on verify
REPAIR_EVENT: Final = "repair"

_APPEND_FLAGS: Final = (
    os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
)  # O_NONBLOCK: opening a FIFO planted under the log's name fails instead of hanging
_CHECK_FLAGS: Final = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
_TAIL_CHUNK: Final = 8192
_MAX_DEPTH: Final = 32  # nesting of field values
_REOPEN_ATTEMPTS: Final = 5
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_TS_RE: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_HEX64_RE: Final = re.compile(r"[0-9a-f]{64}")
_EVENT_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,31}")
_RUN_ID_RE: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
_USER_RE: Final = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._@$-]{0,63}")
_TEMP_NAME_RE: Final = re.compile(r"\..+\.tmp-[0-9a-f]+")  # atomic.temp_name_for (not imported: layering)
_CRON_NAMES: Final = frozenset({"cron", "crond", "CRON"})
_CRON_ANCESTORS: Final = 4  # cron -> sh -c -> wrapper script -> dcmscrub
# flock is unreliable on network file systems (§4.3): the log must be local
_NETWORK_FS: Final = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "fuse.sshfs"})
_GENERIC_HINT: Final = "check the owner, mode and free space of the log and its folder, or set DCMSCRUB_LOG"


# --------------------------------------------------------------------------------------------- basics


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


def canonical_line(record: Mapping[str, Any]) -> bytes:
    """The one byte form of a record: sorted keys, no spaces, ASCII only, plus ``"\\n"``."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return text.encode("ascii") + b"\n"


def audit_key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """``ed25519:`` + the first 32 hex characters of SHA-256 of the raw public key (as logged in ``key``)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:32]


def new_run_id(clock: Callable[[], datetime], random_bytes: Callable[[int], bytes]) -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds from ``clock``, then 74 random bits."""
    now = clock()
    if now.tzinfo is None:
        raise ValueError("clock must return a timezone-aware datetime")
    millis = (now - _EPOCH) // timedelta(milliseconds=1)
    if not 0 <= millis < 1 << 48:
        raise ValueError("clock is outside the UUIDv7 time range")
    rand = random_bytes(10)
    if len(rand) != 10:
        raise ValueError("random_bytes returned the wrong length")
    bits = int.from_bytes(rand, "big")
    rand_a = bits >> 68  # 12 bits
    rand_b = bits & ((1 << 62) - 1)  # 62 bits
    value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    hexed = f"{value:032x}"
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def _format_ts(now: datetime) -> str:
    if now.tzinfo is None:
        raise ValueError("clock must return a timezone-aware datetime")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checkpoint_head(record: Mapping[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k not in SIGNATURE_KEYS}
    return _sha256_hex(canonical_line(body)[:-1])


def _checkpoint_message(head: str) -> bytes:
    return CHECKPOINT_CONTEXT + head.encode("ascii")


# ------------------------------------------------------------------------------------ who and what


def _proc_comm(pid: int) -> str | None:
    """The process name from ``/proc/<pid>/comm``, or None when it cannot be read."""
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _proc_ppid(pid: int) -> int | None:
    """The parent pid from ``/proc/<pid>/stat`` (fields after the last ")", comm may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        return int(text.rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _under_cron(ppid: int) -> bool:
    pid: int | None = ppid
    for _ in range(_CRON_ANCESTORS):
        if pid is None or pid <= 1:
            return False
        if _proc_comm(pid) in _CRON_NAMES:
            return True
        pid = _proc_ppid(pid)
    return False


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _safe_user_name(name: str) -> str:
    # a user name from the environment is free text: keep only what looks like a login name
    return name if _USER_RE.fullmatch(name) else "?"


def operator_info(env: Mapping[str, str]) -> dict[str, object]:
    """Who runs this process: staff identity, never patient data, never an environment dump.

    ``user`` comes from the password database (not from ``$USER``); ``sudo_user`` is present only
    when ``$SUDO_USER`` is set. ``invoked_via`` is a heuristic, first match wins:
    ``INVOCATION_ID`` in the environment -> ``"systemd"``; ``cron``/``crond``/``CRON`` among the
    parent and up to three further ancestors (``/proc``) -> ``"cron"``; stdin or stderr a terminal
    -> ``"tty"``; anything else -> ``"script"``.
    """
    uid = os.getuid()
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = f"uid:{uid}"
    ppid = os.getppid()
    tty = _isatty(0) or _isatty(2)
    via: str
    if env.get("INVOCATION_ID"):
        via = "systemd"
    elif _under_cron(ppid):
        via = "cron"
    elif tty:
        via = "tty"
    else:
        via = "script"
    info: dict[str, object] = {
        "user": user,
        "uid": uid,
        "euid": os.geteuid(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "ppid": ppid,
        "tty": tty,
        "invoked_via": via,
    }
    sudo_user = env.get("SUDO_USER")
    if sudo_user:
        info["sudo_user"] = _safe_user_name(sudo_user)
    return info


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def tool_versions() -> dict[str, str]:
    """``{name, version, python, pydicom, cryptography}`` of the running tool."""
    # imported here, not at the top: dcmscrub/__init__ may import the runner, which imports this module
    from dcmscrub import __version__

    return {
        "name": "dcmscrub",
        "version": __version__,
        "python": platform.python_version(),
        "pydicom": _dist_version("pydicom"),
        "cryptography": _dist_version("cryptography"),
    }


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


def _errno_name(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, "unknown")


_CAUSES: Final[dict[int, tuple[str, str]]] = {
    errno.ENOSPC: ("no space is left on its file system", "free space on the log's file system, then rerun"),
    errno.EDQUOT: ("the disk quota is exhausted", "free space or raise the quota, then rerun"),
    errno.EACCES: ("permission denied", "check the owner and mode of the log and its folder"),
    errno.EPERM: ("permission denied", "check the owner and mode of the log and its folder"),
    errno.EROFS: ("its file system is read-only", "point DCMSCRUB_LOG at a writable local file system"),
    errno.ELOOP: ("it is a symbolic link", "point DCMSCRUB_LOG at the real file, not at a link to it"),
    errno.ENOENT: ("its folder does not exist", "create the folder (mode 700) or set DCMSCRUB_LOG"),
    errno.EIO: ("an I/O error occurred", "check the disk holding the log"),
}


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
    ) -> None:
        if not isinstance(digest_key, bytes) or len(digest_key) != 32:
            raise ValueError("digest_key must be 32 bytes")
        self.path = Path(path)
        self._digest_key = digest_key
        self._signer = signer
        self._key_id = audit_key_fingerprint(signer.public_key()) if signer is not None else None
        self._clock = clock or _utc_now
        self._write = fault_injection_write or os.write

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

    # -- checks before a run

    def _error(self, problem: str, hint: str, detail: str | None = None) -> AuditWriteError:
        return AuditWriteError(f"audit log {self.path}: {problem}", hint=hint, detail=detail)

    def check_writable(self) -> None:
        """Create the folder (0700) and file (0600) if missing; refuse a log that others could swap
        or rewrite, or that lives on a network file system. Raises :class:`AuditWriteError`."""
        path, folder = self.path, self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fst = folder.stat()
        except OSError as exc:
            raise self._error(
                "its folder cannot be created or read", _GENERIC_HINT, _errno_name(exc)
            ) from exc
        if not stat.S_ISDIR(fst.st_mode):
            raise self._error("its folder is not a folder", "set DCMSCRUB_LOG to a file in a folder")
        mine = os.geteuid()
        if fst.st_uid not in (mine, 0):
            raise self._error(
                "its folder belongs to another user", f"use a folder you own (chmod 700 {folder})"
            )
        sticky_and_mine = bool(fst.st_mode & stat.S_ISVTX) and fst.st_uid == mine
        if fst.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not sticky_and_mine:
            raise self._error(
                "its folder is group- or world-writable, so others could replace the log",
                f"run: chmod go-w {folder}",
            )
        try:
            lst = os.lstat(path)
        except FileNotFoundError:
            lst = None
        except OSError as exc:
            raise self._error("it cannot be inspected", _GENERIC_HINT, _errno_name(exc)) from exc
        if lst is not None:
            if stat.S_ISLNK(lst.st_mode):
                raise self._error("it is a symbolic link", _CAUSES[errno.ELOOP][1])
            if not stat.S_ISREG(lst.st_mode):
                raise self._error("it is not a regular file", "set DCMSCRUB_LOG to a regular file")
            if lst.st_uid not in (mine, 0):
                raise self._error("it belongs to another user", "use a log you own, or set DCMSCRUB_LOG")
            if lst.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                raise self._error("it is group- or world-writable", f"run: chmod 600 {path}")
        try:
            fd = os.open(path, _CHECK_FLAGS, 0o600)
        except OSError as exc:
            cause, hint = _CAUSES.get(exc.errno or 0, ("it cannot be opened for appending", _GENERIC_HINT))
            raise self._error(cause, hint, _errno_name(exc)) from exc
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise self._error("it is not a regular file", "set DCMSCRUB_LOG to a regular file")
        finally:
            os.close(fd)
        fs_type = _filesystem_type(path)
        if fs_type in _NETWORK_FS:
            raise self._error(
                "it is on a network file system, where file locks are unreliable",
                "keep the log on a local disk and ship its lines to syslog or a SIEM",
            )

    # -- appending

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
            return self._append_locked(event, run_id, fields)
        except OSError as exc:
            cause, hint = _CAUSES.get(exc.errno or 0, ("a system error occurred", _GENERIC_HINT))
            raise AuditWriteError(
                f"cannot append to the audit log {self.path}: {cause};"
                " the run stops rather than work unlogged",
                hint=hint,
                detail=_errno_name(exc),
            ) from exc

    def _check_request(self, event: str, run_id: str, fields: Mapping[str, object]) -> None:
        if not isinstance(event, str) or not _EVENT_RE.fullmatch(event) or event == REPAIR_EVENT:
            raise ValueError("event must be a lowercase name other than 'repair'")
        if not isinstance(run_id, str) or not _RUN_ID_RE.fullmatch(run_id):
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
    ) -> list[dict[str, Any]]:
        for _ in range(_REOPEN_ATTEMPTS):
            fd = os.open(self.path, _APPEND_FLAGS, 0o600)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise self._error("it is not a regular file", "set DCMSCRUB_LOG to a regular file")
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    if self._still_named(fd):
                        return self._append_fd(fd, event, run_id, fields)
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        # renamed under us again and again (rotation storm): refuse rather than write to an old file
        raise self._error("it keeps being replaced while opening", _GENERIC_HINT)

    def _still_named(self, fd: int) -> bool:
        """The locked file is still the one at ``path`` (a rotation may have renamed it meanwhile)."""
        try:
            named = self.path.lstat()
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def _append_fd(
        self, fd: int, event: str, run_id: str, fields: Sequence[Mapping[str, object]]
    ) -> list[dict[str, Any]]:
        ts = _format_ts(self._clock())  # before any change: a bad clock must not leave a half-repair
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
            seq, prev = self._tail_seq(last) + 1, _sha256_hex(last)
        else:
            seq, prev = 0, GENESIS_PREV
        out = b""
        if dropped:
            repair = self._build(REPAIR_EVENT, run_id, {"dropped_bytes": dropped}, seq, prev, ts)
            line = canonical_line(repair)
            out += line
            seq, prev = seq + 1, _sha256_hex(line[:-1])
        records = []
        for one in fields:
            record = self._build(event, run_id, one, seq, prev, ts)
            line = canonical_line(record)
            out += line
            records.append(record)
            seq, prev = seq + 1, _sha256_hex(line[:-1])
        self._write_all(fd, out, size)
        os.fsync(fd)
        return records

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

    def _build(
        self, event: str, run_id: str, fields: Mapping[str, object], seq: int, prev: str, ts: str
    ) -> dict[str, Any]:
        record: dict[str, Any] = dict(fields)
        record.update(v=AUDIT_VERSION, seq=seq, ts=ts, event=event, run_id=run_id, prev=prev)
        if self._signer is not None and event == "run_end":
            head = _checkpoint_head(record)
            signature = self._signer.sign(_checkpoint_message(head))
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


# ------------------------------------------------------------------------------------ verification


@dataclass
class VerifyResult:
    """The answer of :func:`verify_log`. ``problem`` is a fixed sentence without values;
    ``first_bad_seq`` is the seq of the first bad record within ``first_bad_file`` (None when the
    problem has no record, e.g. an output file that no record lists)."""

    ok: bool
    lines: int
    runs: int
    first_bad_seq: int | None = None
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)
    first_bad_file: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every field."""
        return asdict(self)

    def to_json(self) -> str:
        """One JSON object (sorted keys) for ``log verify --json``."""
        return json.dumps(self.to_dict(), sort_keys=True)


class _Bad(Exception):
    def __init__(self, file_index: int, seq: int | None, problem: str) -> None:
        super().__init__(problem)
        self.file_index = file_index
        self.seq = seq
        self.problem = problem


@dataclass
class _OpenRun:
    file_index: int
    start_seq: int
    last_pos: int
    output_root_id: object
    tally: Counter[str] = field(default_factory=Counter)


def _reject_constant(_name: str) -> object:
    raise ValueError("NaN and infinities are not JSON")


def _parse_canonical(line: bytes) -> dict[str, Any] | None:
    """The record on ``line`` (without "\\n") if it is an object in exact canonical form."""
    try:
        obj = json.loads(line.decode("ascii"), parse_constant=_reject_constant)
        if not isinstance(obj, dict) or canonical_line(obj)[:-1] != line:
            return None
    except (UnicodeDecodeError, ValueError, TypeError, RecursionError):
        return None
    return obj


def _common_problem(rec: Mapping[str, Any]) -> str | None:
    if not rec.keys() >= COMMON_KEYS:
        return "line lacks a common field (v seq ts event run_id prev)"
    if type(rec["v"]) is not int or rec["v"] != AUDIT_VERSION:
        return "unsupported record version"
    if type(rec["seq"]) is not int or rec["seq"] < 0:
        return "seq is not a whole number"
    if not isinstance(rec["ts"], str) or not _TS_RE.fullmatch(rec["ts"]):
        return "ts is not UTC RFC 3339 with microseconds"
    if not isinstance(rec["event"], str) or not _EVENT_RE.fullmatch(rec["event"]):
        return "event is not a valid name"
    if not isinstance(rec["run_id"], str) or not rec["run_id"]:
        return "run_id is not a string"
    if not isinstance(rec["prev"], str) or not _HEX64_RE.fullmatch(rec["prev"]):
        return "prev is not a SHA-256 hex digest"
    return None


def _decode_signature(text: object) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    # canonical base64 only: otherwise the unused low bits of the last character could change freely
    if len(raw) != 64 or base64.b64encode(raw).decode("ascii") != text:
        return None
    return raw


class _Verifier:
    """State of one streaming pass: per open run, never per line."""

    def __init__(self, public_keys: Sequence[Ed25519PublicKey], root_id: str | None) -> None:
        self.keys = {audit_key_fingerprint(k): k for k in public_keys}
        self.root_id = root_id
        self.lines = 0
        self.runs = 0
        self.pos = -1  # global line position across files
        self.prev_hash = GENESIS_PREV
        self.prev_loc: tuple[int, int] | None = None  # (file index, seq) of the previous line
        self.open: dict[str, _OpenRun] = {}
        self.last_repair_pos = -1
        self.closed_tail_pos = -1  # last line whose run is not open (or that belongs to no run)
        self.signed_unchecked = 0
        self.unsigned = 0
        self.warnings: list[str] = []
        self.outputs: dict[str, tuple[str, int, int]] = {}  # output -> (sha256, file index, seq)

    # -- one line

    def line(self, fi: int, index: int, raw: bytes) -> None:
        self.pos += 1
        if not raw.endswith(b"\n"):
            if len(raw) > MAX_LINE_BYTES:
                raise _Bad(fi, index, "line is too long")
            raise _Bad(fi, index, "the last line is incomplete (a torn write that no append has repaired)")
        line = raw[:-1]
        rec = _parse_canonical(line)
        if rec is None:
            raise _Bad(fi, index, "line is not canonical JSON")
        problem = _common_problem(rec)
        if problem is not None:
            raise _Bad(fi, index, problem)
        self._chain(fi, index, rec)
        self.prev_hash = _sha256_hex(line)
        self.prev_loc = (fi, index)
        self.lines += 1
        self._event(fi, index, rec)

    def _chain(self, fi: int, index: int, rec: Mapping[str, Any]) -> None:
        seq, prev_ok = rec["seq"], rec["prev"] == self.prev_hash
        if seq != index:
            if seq == index - 1 and not prev_ok:
                # this line repeats the previous line's seq and does not chain to it: that line was inserted
                raise _Bad(fi, index - 1, f"seq {index - 1} appears twice (a line was inserted)")
            if index == 0:
                raise _Bad(fi, 0, f"the first line of a file has seq {seq}, not 0")
            raise _Bad(fi, index, f"seq {seq} follows {index - 1}")
        if prev_ok:
            return
        # the previous line changed, or this line's prev did: report the earlier of the two
        if self.prev_loc is None:
            raise _Bad(fi, index, "the first line's prev is not 64 zeros")
        pfi, pseq = self.prev_loc
        if pfi != fi:
            raise _Bad(pfi, pseq, "the next file's first line does not chain to this line")
        raise _Bad(fi, pseq, "the next line's prev does not match this line")

    def _event(self, fi: int, seq: int, rec: Mapping[str, Any]) -> None:
        event, run_id = rec["event"], rec["run_id"]
        has_sig = not SIGNATURE_KEYS.isdisjoint(rec)
        if has_sig and event != "run_end":
            raise _Bad(fi, seq, "signature fields on a record that is not run_end")
        run = self.open.get(run_id)
        if event == "run_start":
            if run is not None:
                raise _Bad(fi, seq, "run_start repeats a run that has not ended")
            self.open[run_id] = _OpenRun(fi, seq, self.pos, rec.get("output_root_id"))
            self.runs += 1
            return
        if event == "file":
            if run is None:
                raise _Bad(fi, seq, "file record without a run_start of its run before it")
            self._file(fi, seq, rec, run)
            run.last_pos = self.pos
            return
        if event == "run_end":
            self._signature(fi, seq, rec, has_sig)
            if run is None:
                raise _Bad(fi, seq, "run_end without run_start")
            self._counts(fi, seq, rec, run)
            del self.open[run_id]
            self.closed_tail_pos = self.pos
            return
        if event == REPAIR_EVENT:
            dropped = rec.get("dropped_bytes")
            if type(dropped) is not int or dropped <= 0:
                raise _Bad(fi, seq, "repair record without a positive dropped_bytes")
            self.last_repair_pos = self.pos
            self.warnings.append(f"a torn line ({dropped} bytes) was dropped and repaired at seq {seq}")
        if run is None:
            self.closed_tail_pos = self.pos
        else:
            run.last_pos = self.pos

    def _file(self, fi: int, seq: int, rec: Mapping[str, Any], run: _OpenRun) -> None:
        outcome = rec.get("outcome")
        if not isinstance(outcome, str) or outcome == "total":
            raise _Bad(fi, seq, "file record without a valid outcome")
        run.tally[outcome] += 1
        if self.root_id is None or run.output_root_id != self.root_id or outcome != "written":
            return
        output, digest = rec.get("output"), rec.get("output_sha256")
        if not isinstance(output, str) or not isinstance(digest, str) or not _HEX64_RE.fullmatch(digest):
            raise _Bad(fi, seq, "written file record without output or output_sha256")
        self.outputs[output] = (digest, fi, seq)  # the latest record of an output wins

    def _counts(self, fi: int, seq: int, rec: Mapping[str, Any], run: _OpenRun) -> None:
        counts = rec.get("counts")
        expected = {**run.tally, "total": sum(run.tally.values())}
        if (
            not isinstance(counts, dict)
            or any(type(n) is not int for n in counts.values())
            or counts != expected
        ):
            raise _Bad(fi, seq, "run_end counts do not match its file records")

    def _signature(self, fi: int, seq: int, rec: Mapping[str, Any], has_sig: bool) -> None:
        if not has_sig:
            if self.keys:
                raise _Bad(fi, seq, "run_end is not signed")
            self.unsigned += 1
            return
        if not rec.keys() >= SIGNATURE_KEYS:
            raise _Bad(fi, seq, "run_end has incomplete signature fields")
        if rec["sig_alg"] != "ed25519":
            raise _Bad(fi, seq, "unsupported signature algorithm")
        checkpoint = rec["checkpoint"]
        if not isinstance(checkpoint, dict) or checkpoint.keys() != {"seq", "head"}:
            raise _Bad(fi, seq, "malformed checkpoint")
        if type(checkpoint["seq"]) is not int or checkpoint["seq"] != rec["seq"]:
            raise _Bad(fi, seq, "checkpoint seq does not match the line")
        if checkpoint["head"] != _checkpoint_head(rec):
            raise _Bad(fi, seq, "checkpoint head does not match the line")
        signature = _decode_signature(rec["sig"])
        if signature is None:
            raise _Bad(fi, seq, "bad signature")
        if not self.keys:
            self.signed_unchecked += 1
            return
        key = self.keys.get(rec["key"]) if isinstance(rec["key"], str) else None
        if key is None:
            raise _Bad(fi, seq, "run_end is signed by a key that is not among the given public keys")
        try:
            key.verify(signature, _checkpoint_message(checkpoint["head"]))
        except InvalidSignature:
            raise _Bad(fi, seq, "bad signature") from None

    # -- end of the log

    def finish(self) -> None:
        """Pairing of runs that never ended (documented in :func:`verify_log`)."""
        for run in self.open.values():
            if self.last_repair_pos > run.last_pos:
                self.warnings.append(f"run starting at seq {run.start_seq} never ended (crashed or killed)")
            elif self.closed_tail_pos < run.last_pos:
                self.warnings.append(
                    f"run starting at seq {run.start_seq} has no run_end yet (it may still be running)"
                )
            else:
                raise _Bad(run.file_index, run.start_seq, "run_start without run_end")
        if self.signed_unchecked:
            self.warnings.append(
                f"{self.signed_unchecked} signed run_end record(s) found but no public key was given:"
                " signatures were not checked"
            )
        if self.unsigned:
            self.warnings.append(f"{self.unsigned} run_end record(s) are not signed")


def _log_lines(path: Path) -> Iterator[bytes]:
    """The raw lines of one log file, each with its "\\n" (the last may lack it), bounded in length."""
    try:
        with path.open("rb") as fh:
            while raw := fh.readline(MAX_LINE_BYTES + 1):
                yield raw
    except OSError as exc:
        raise InputError(
            f"audit log {path}: cannot be read",
            hint="check the path and its permissions",
            detail=_errno_name(exc),
        ) from exc


def _read_root_id(root: Path) -> str | None:
    # the runner names the tree with an empty folder .dcmscrub/root-<id> (no file: a finished
    # run leaves only DICOM files in its output tree); a root-id file is read too
    state = root / ".dcmscrub"
    try:
        named = sorted(p.name[5:] for p in state.iterdir() if p.name.startswith("root-") and p.is_dir())
    except OSError:
        named = []
    if len(named) == 1 and named[0]:
        return named[0]
    marker = state / "root-id"
    try:
        if not stat.S_ISREG(os.lstat(marker).st_mode):
            return None
        text = marker.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def _file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _walk_outputs(root: Path) -> Iterator[tuple[str, Path | None]]:
    """``(relative POSIX path, path)`` of every file under ``root`` except ``.dcmscrub/`` and temp
    files; the path is None for a link or anything that is not a regular file."""

    def fail(_exc: OSError) -> None:
        raise InputError("the output folder to check cannot be read completely", hint="check its permissions")

    for dirpath, dirnames, filenames in os.walk(root, onerror=fail):
        here = Path(dirpath)
        if here == root and ".dcmscrub" in dirnames:
            dirnames.remove(".dcmscrub")
        for name in [*dirnames, *filenames]:
            full = here / name
            mode = os.lstat(full).st_mode
            rel = full.relative_to(root).as_posix()
            if stat.S_ISDIR(mode):
                continue
            if stat.S_ISREG(mode):
                if not _TEMP_NAME_RE.fullmatch(name):
                    yield rel, full
            else:
                yield rel, None  # symlinks (also to folders: os.walk lists them but does not enter them)


def _check_output_tree(root: Path, outputs: Mapping[str, tuple[str, int, int]]) -> _Bad | None:
    """The first problem between the recorded outputs and the files under ``root``."""
    seen: set[str] = set()
    record_problems: list[_Bad] = []
    unrecorded: _Bad | None = None
    for rel, full in _walk_outputs(root):
        if full is None:
            unrecorded = unrecorded or _Bad(0, None, "the output folder holds a link or special file")
            continue
        recorded = outputs.get(rel)
        if recorded is None:
            unrecorded = unrecorded or _Bad(0, None, "output file not recorded")
            continue
        seen.add(rel)
        digest, fi, seq = recorded
        try:
            actual = _file_sha256(full)
        except OSError as exc:
            raise InputError("an output file cannot be read", hint="check its permissions") from exc
        if actual != digest:
            record_problems.append(_Bad(fi, seq, "output file changed"))
    for rel, (_digest, fi, seq) in outputs.items():
        if rel not in seen:
            record_problems.append(_Bad(fi, seq, "recorded output file is missing"))
    if record_problems:
        return min(record_problems, key=lambda bad: (bad.file_index, bad.seq or 0))
    return unrecorded


def verify_log(
    paths: Sequence[Path],
    *,
    public_keys: Sequence[Ed25519PublicKey] = (),
    check_outputs: Path | None = None,
) -> VerifyResult:
    """Verify one log, or rotated files given oldest first, in one streaming pass.

    Checks, stopping at the first problem: every line is canonical JSON with ``v`` 1; ``seq`` runs
    0, 1, 2, ... in each file; ``prev`` chains every line to the one before (across files too);
    ``file`` records fall inside a started run; every ``run_end`` has a ``run_start`` and ``counts``
    equal to its file records tallied by ``outcome`` plus ``total``; checkpoints match their line;
    with ``public_keys``, every ``run_end`` is signed by one of them. A run that never ended is a
    warning when a ``repair`` record follows its last record ("crashed or killed") or when no
    record of a run that is not still open follows its last record ("may still be running"), and
    an error otherwise. A broken link between two lines is reported at the earlier line (the one
    whose bytes no longer match the next ``prev``). Then, with ``check_outputs``, every regular file
    under it (except ``.dcmscrub/`` and temp files) must be the latest ``written`` output recorded by
    a run whose ``output_root_id`` is the folder's ``.dcmscrub/root-id``, with that SHA-256, and
    every such output must exist.

    Raises :class:`InputError` when a log or the output folder cannot be read.
    """
    root_id: str | None = None
    if check_outputs is not None:
        if not check_outputs.is_dir():
            raise InputError("the output folder to check is not a folder", hint="give the output root")
        root_id = _read_root_id(check_outputs)
    state = _Verifier(public_keys, root_id)

    def result(bad: _Bad | None) -> VerifyResult:
        return VerifyResult(
            ok=bad is None,
            lines=state.lines,
            runs=state.runs,
            first_bad_seq=None if bad is None else bad.seq,
            problem=None if bad is None else bad.problem,
            warnings=state.warnings,
            first_bad_file=None if bad is None or bad.seq is None else str(paths[bad.file_index]),
        )

    try:
        for fi, path in enumerate(paths):
            for index, raw in enumerate(_log_lines(path)):
                state.line(fi, index, raw)
        state.finish()
    except _Bad as bad:
        return result(bad)
    if check_outputs is not None:
        if root_id is None:
            return result(_Bad(0, None, "the output folder has no readable .dcmscrub/root-id"))
        if not state.outputs:
            state.warnings.append("no run in the log wrote a file to this output folder")
        return result(_check_output_tree(check_outputs, state.outputs))
    return result(None)


# ------------------------------------------------------------------------------------ log show


@dataclass
class RunSummaryRow:
    """One run for ``log show``; None where the log does not say (e.g. a run that has not ended)."""

    run_id: str
    started: str | None
    ended: str | None
    user: str | None
    host: str | None
    command: str | None
    profile: str | None
    counts: dict[str, int] | None
    status: str | None
    exit_code: int | None
    signed: bool


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def summarize_runs(paths: Sequence[Path]) -> list[RunSummaryRow]:
    """One row per run, in the order runs first appear. Does not verify: lines that do not parse
    are skipped (run :func:`verify_log` for integrity)."""
    rows: dict[str, RunSummaryRow] = {}
    for path in paths:
        for raw in _log_lines(path):
            try:
                rec = json.loads(raw)
            except (ValueError, RecursionError):
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("run_id"), str):
                continue
            event, run_id = rec.get("event"), rec["run_id"]
            if event not in ("run_start", "run_end"):
                continue
            row = rows.get(run_id)
            if row is None:
                row = rows[run_id] = RunSummaryRow(
                    run_id, None, None, None, None, None, None, None, None, None, False
                )
            ts = _str_or_none(rec.get("ts"))
            if event == "run_start":
                operator = rec["operator"] if isinstance(rec.get("operator"), dict) else {}
                profile = rec["profile"] if isinstance(rec.get("profile"), dict) else {}
                row.started = ts
                row.user = _str_or_none(operator.get("user"))
                row.host = _str_or_none(operator.get("host"))
                row.command = _str_or_none(rec.get("command"))
                row.profile = _str_or_none(profile.get("name"))
            else:
                counts = rec.get("counts")
                exit_code = rec.get("exit_code")
                row.ended = ts
                row.status = _str_or_none(rec.get("status"))
                row.exit_code = exit_code if type(exit_code) is int else None
                if isinstance(counts, dict) and all(type(n) is int for n in counts.values()):
                    row.counts = dict(counts)
                row.signed = isinstance(rec.get("sig"), str)
    return list(rows.values())
