"""``log verify``'s checks of the records that concern re-identification: a run's ``escrow`` record
and the records of their own that every lookup, export and forward pseudonym appends
(:mod:`dcmscrub.audit.records`). Each check returns a fixed sentence, or None when the record holds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from dcmscrub.audit.line import COMMON_KEYS, HEX64_RE

ESCROW_EVENT: Final = "escrow"
ACCESS_EVENTS: Final = frozenset({"escrow_lookup", "escrow_export", "pseudonym"})
_FINGERPRINT_RE: Final = re.compile(r"x25519:[0-9a-f]{32}")
_KEY_ID_RE: Final = re.compile(r"[0-9a-f]{16}")
_FILE_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_FIELDS: Final = {
    ESCROW_EVENT: {"file", "sha256", "recipients", "rows", "format_version"},
    "escrow_lookup": {"operator", "identities", "escrows", "query", "rows", "status"},
    "escrow_export": {"operator", "identities", "escrows", "format", "rows", "files", "status"},
    "pseudonym": {"operator", "linkage_key_id", "profile", "query", "answered"},
}
_LOOKUP_KINDS: Final = frozenset({"pseudonym", "patient_id", "uid", "accession"})
_FORWARD_KINDS: Final = frozenset({"patient_id", "uid", "accession"})


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def _hexes(value: object, *, empty: bool) -> bool:
    return (
        isinstance(value, list)
        and (empty or bool(value))
        and all(isinstance(v, str) and HEX64_RE.fullmatch(v) for v in value)
    )


def _fingerprints(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, str) and _FINGERPRINT_RE.fullmatch(v) for v in value)
    )


def _fields_problem(rec: Mapping[str, Any]) -> str | None:
    if set(rec) - COMMON_KEYS != _FIELDS[rec["event"]]:
        return f"{rec['event']} record with missing or unknown fields"
    return None


def declared_escrow(run_start: Mapping[str, Any]) -> object:
    """The escrow recipients a ``run_start`` declares (None: the run has no escrow)."""
    keys = run_start.get("keys")
    return keys.get("escrow_recipients") if isinstance(keys, dict) else None


def access_record_problem(rec: Mapping[str, Any], run: tuple[object, bool] | None) -> str | None:
    """A run's ``escrow`` record (``run``: the recipients its ``run_start`` declared and whether the
    run already has one) or a lookup, export or forward pseudonym (``run`` None: outside every
    run, as each has a ``run_id`` of its own)."""
    if rec["event"] in ACCESS_EVENTS:
        return access_problem(rec) if run is None else f"{rec['event']} record inside a run"
    if run is None or run[1]:
        return "escrow record outside its run, or twice in one run"
    return escrow_problem(rec, run[0])


def escrow_problem(rec: Mapping[str, Any], declared: object) -> str | None:
    """A run's ``escrow`` record: the file its run names, a SHA-256, the recipients its
    ``run_start`` declared (``declared``), a row count."""
    problem = _fields_problem(rec)
    if problem is not None:
        return problem
    if rec["file"] != f"escrow-{rec['run_id']}.jsonl.age":
        return "escrow record names a file that is not its run's"
    if not isinstance(rec["sha256"], str) or not HEX64_RE.fullmatch(rec["sha256"]):
        return "escrow record without a SHA-256"
    if not _fingerprints(rec["recipients"]) or rec["recipients"] != declared:
        return "escrow recipients differ from those its run_start declared"
    if not _count(rec["rows"]) or type(rec["format_version"]) is not int or rec["format_version"] < 1:
        return "escrow record with a bad row count or format version"
    return None


def _query_problem(query: object, kinds: frozenset[str], ok: bool) -> str | None:
    if not isinstance(query, dict) or set(query) != {"kind", "digest"} or query["kind"] not in kinds:
        return "query is not a known kind with a digest"
    digest = query["digest"]
    if (ok or digest is not None) and not (isinstance(digest, str) and HEX64_RE.fullmatch(digest)):
        return "query digest is not a keyed SHA-256"
    return None


def _operator_problem(operator: object) -> str | None:
    if not isinstance(operator, dict) or not isinstance(operator.get("user"), str):
        return "record without its operator"
    return None


def access_problem(rec: Mapping[str, Any]) -> str | None:
    """A lookup, export or forward pseudonym record (``event`` in :data:`ACCESS_EVENTS`)."""
    problem = _fields_problem(rec) or _operator_problem(rec["operator"])
    if problem is not None:
        return problem
    if rec["event"] == "pseudonym":
        return _pseudonym_problem(rec)
    return _escrow_access_problem(rec)


def _pseudonym_problem(rec: Mapping[str, Any]) -> str | None:
    if not isinstance(rec["linkage_key_id"], str) or not _KEY_ID_RE.fullmatch(rec["linkage_key_id"]):
        return "pseudonym record without a linkage key id"
    profile = rec["profile"]
    if not isinstance(profile, dict) or not isinstance(profile.get("name"), str):
        return "pseudonym record without its profile"
    if not isinstance(rec["answered"], bool):
        return "pseudonym record without whether it answered"
    return _query_problem(rec["query"], _FORWARD_KINDS, True)


def _escrow_access_problem(rec: Mapping[str, Any]) -> str | None:
    event = rec["event"]
    ok = rec["status"] == "ok"
    if rec["status"] not in ("ok", "failed") or not _fingerprints(rec["identities"]):
        return f"{event} record without a status or the identities used"
    if not _hexes(rec["escrows"], empty=not ok) or not _count(rec["rows"]) or (not ok and rec["rows"]):
        return f"{event} record with bad escrow digests or row count"
    if event == "escrow_lookup":
        return _query_problem(rec["query"], _LOOKUP_KINDS, ok)
    files = rec["files"]
    if rec["format"] not in ("csv", "midi") or not isinstance(files, list):
        return "escrow_export record without its format or files"
    if not all(isinstance(f, str) and _FILE_RE.fullmatch(f) for f in files) or (ok and not files):
        return "escrow_export record with bad file names"
    return None
