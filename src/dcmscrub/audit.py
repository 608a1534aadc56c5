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

Verification lives in :mod:`dcmscrub.auditcheck` (``log verify``, ``log show``).

Limits: a hash chain cannot show that lines were cut off the end of the log, nor a complete
rewrite by someone holding the signing key (Crosby & Wallach 2009): that needs the checkpoints
copied to an external anchor (§4.4), which this module does not do yet. Rotation is not done here
either; :func:`dcmscrub.auditcheck.verify_log` already accepts rotated files that chain into each other.
"""

from __future__ import annotations

import base64
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
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dcmscrub.errors import AuditWriteError

__all__ = [
    "AUDIT_VERSION",
    "CHECKPOINT_CONTEXT",
    "GENESIS_PREV",
    "AuditLog",
    "audit_key_fingerprint",
    "canonical_line",
    "default_log_path",
    "new_run_id",
    "operator_info",
    "tool_versions",
]

AUDIT_VERSION: Final = 1
GENESIS_PREV: Final = "0" * 64
CHECKPOINT_CONTEXT: Final = b"dcmscrub-audit-checkpoint-v1\n"
COMMON_KEYS: Final = frozenset({"v", "seq", "ts", "event", "run_id", "prev"})
SIGNATURE_KEYS: Final = frozenset({"checkpoint", "sig", "sig_alg", "key"})
MAX_LINE_BYTES: Final = 1 << 20  # a longer line is refused on append and is an error on verify
REPAIR_EVENT: Final = "repair"
# written by a run that found another run's process dead (dcmscrub.runmarks): closes that run
ABANDONED_EVENT: Final = "run_abandoned"

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
# atomic.temp_name_for's names (not imported: layering), with or without a writer's tag
_TEMP_NAME_RE: Final = re.compile(r"\..+\.tmp-(?:[A-Za-z0-9]+-)?[0-9a-f]+")
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
    raw = public_key.public_bytes_raw()
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


def tool_versions() -> dict[str, str]:
    """``{name, version, python, pydicom, cryptography}`` of the running tool."""
    # imported here, not at the top: dcmscrub/__init__ may import the runner, which imports this
    # module. The versions are those of the modules that run (not importlib.metadata's view of
    # what is installed, which also costs a scan of sys.path).
    import cryptography
    import pydicom

    from dcmscrub import __version__

    return {
        "name": "dcmscrub",
        "version": __version__,
        "python": platform.python_version(),
        "pydicom": str(pydicom.__version__),
        "cryptography": str(cryptography.__version__),
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
        marker = f'"run_id":{json.dumps(run_id)}'.encode()
        try:
            with open(self.path, "rb") as fh:
                fh.seek(start)
                if start:
                    fh.readline()  # the rest of a line that began before the window
                for line in fh:
                    if b'"event":"file"' not in line or marker not in line:
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
            raise self._error("it cannot be read back", _GENERIC_HINT, _errno_name(exc)) from exc
        return found

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
