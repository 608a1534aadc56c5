"""The audit log's line format (``v`` 1): canonical JSON, the hash chain, signed checkpoints.

Each line is ``canonical_line(record)``: ``json.dumps(record, sort_keys=True, separators=(",", ":"),
ensure_ascii=True)`` (``allow_nan=False``: NaN and infinities are refused) plus ``"\\n"``. Every line
carries ``v`` (1), ``seq`` (0, 1, 2, ... per file), ``ts`` (UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``),
``event``, ``run_id`` and ``prev``: the lowercase hex SHA-256 of the previous line's bytes without its
``"\\n"``, or 64 zeros on the first line of the first file. A rotated file given after an older one
must start at ``seq`` 0 with ``prev`` chaining to the older file's last line.

With a signer, every ``run_end`` line is a checkpoint (see :mod:`dcmscrub.audit.log`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

AUDIT_VERSION: Final = 1
GENESIS_PREV: Final = "0" * 64
CHECKPOINT_CONTEXT: Final = b"dcmscrub-audit-checkpoint-v1\n"
COMMON_KEYS: Final = frozenset({"v", "seq", "ts", "event", "run_id", "prev"})
SIGNATURE_KEYS: Final = frozenset({"checkpoint", "sig", "sig_alg", "key"})
MAX_LINE_BYTES: Final = 1 << 20  # a longer line is refused on append and is an error on verify
REPAIR_EVENT: Final = "repair"
# written by a run that found another run's process dead (dcmscrub.runmarks): closes that run
ABANDONED_EVENT: Final = "run_abandoned"
# rotation (dcmscrub.audit.rotate): the last line of a sealed file, the first line of the next
SEALED_EVENT: Final = "log_sealed"
LOG_OPEN_EVENT: Final = "log_open"
SIGNED_EVENTS: Final = frozenset({"run_end", SEALED_EVENT})  # checkpoints: signed with an audit key
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
TS_RE: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
HEX64_RE: Final = re.compile(r"[0-9a-f]{64}")
EVENT_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,31}")
RUN_ID_RE: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
# atomic.temp_name_for's names (not imported: layering), with or without a writer's tag


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


def format_ts(now: datetime) -> str:
    if now.tzinfo is None:
        raise ValueError("clock must return a timezone-aware datetime")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_now() -> datetime:
    return datetime.now(UTC)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checkpoint_head(record: Mapping[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k not in SIGNATURE_KEYS}
    return sha256_hex(canonical_line(body)[:-1])


def checkpoint_message(head: str) -> bytes:
    return CHECKPOINT_CONTEXT + head.encode("ascii")


# ------------------------------------------------------------------------------------ reading lines


def _reject_constant(_name: str) -> object:
    raise ValueError("NaN and infinities are not JSON")


def parse_canonical(line: bytes) -> dict[str, Any] | None:
    """The record on ``line`` (without "\\n") if it is an object in exact canonical form."""
    try:
        obj = json.loads(line.decode("ascii"), parse_constant=_reject_constant)
        if not isinstance(obj, dict) or canonical_line(obj)[:-1] != line:
            return None
    except (UnicodeDecodeError, ValueError, TypeError, RecursionError):
        return None
    return obj


def common_problem(rec: Mapping[str, Any]) -> str | None:
    if not rec.keys() >= COMMON_KEYS:
        return "line lacks a common field (v seq ts event run_id prev)"
    if type(rec["v"]) is not int or rec["v"] != AUDIT_VERSION:
        return "unsupported record version"
    if type(rec["seq"]) is not int or rec["seq"] < 0:
        return "seq is not a whole number"
    if not isinstance(rec["ts"], str) or not TS_RE.fullmatch(rec["ts"]):
        return "ts is not UTC RFC 3339 with microseconds"
    if not isinstance(rec["event"], str) or not EVENT_RE.fullmatch(rec["event"]):
        return "event is not a valid name"
    if not isinstance(rec["run_id"], str) or not rec["run_id"]:
        return "run_id is not a string"
    if not isinstance(rec["prev"], str) or not HEX64_RE.fullmatch(rec["prev"]):
        return "prev is not a SHA-256 hex digest"
    return None


def decode_signature(text: object) -> bytes | None:
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
