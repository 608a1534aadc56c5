"""The escrow file's plaintext, version 1: JSON lines inside an age file.

The first line is the header, every other line one row; each line is canonical JSON (sorted keys,
no spaces, ASCII) and ``\\n``::

    {"format":"dcmscrub-escrow","version":1,"run_id":"...","created":"2026-...Z",
     "namespace":"dcmscrub","linkage_key_id":"0123456789abcdef","profile":"basic",
     "profile_sha256":"...","query_key":"<64 hex>"}
    {"kind":"patient","original":"MRN-1","issuer":"HOSP","pseudonym":"P...","patient":"P...",
     "name":"DOE^JANE","name_pseudonym":"PSEUDO^...","date_offset_days":-17}
    {"kind":"accession","original":"ACC-1","issuer":"HOSP","pseudonym":"A...","patient":"P..."}
    {"kind":"study_uid","original":"1.2.3","pseudonym":"2.25....","patient":"P..."}

Row kinds: ``patient``, ``accession``, ``study_uid``, ``series_uid``, ``sop_uid``. A key whose
value does not apply is left out (``name_pseudonym`` when the profile does not pseudonymize the
name, ``date_offset_days`` when it does not shift dates). ``patient`` names the patient every row
belongs to. A patient row's ``original`` is the key pseudonyms are keyed on: the Patient ID, or
``name:`` and the Patient Name for objects without one. Rows may repeat (a writer removes only
the repeats it still remembers; readers tolerate the rest). ``query_key`` keys the digests that
lookups of this file write to the audit log, so only those who can open the file can tell what
was asked. A reader refuses any other ``format`` or ``version``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from dcmscrub.deid.mapping import FileMapping
from dcmscrub.errors import DataError

FORMAT: Final = "dcmscrub-escrow"
FORMAT_VERSION: Final = 1
ROW_KINDS: Final = ("patient", "accession", "study_uid", "series_uid", "sop_uid")
UID_KINDS: Final = ("study_uid", "series_uid", "sop_uid")
MAX_LINE: Final = 1 << 20
_HEADER_KEYS: Final = frozenset(
    {
        "format",
        "version",
        "run_id",
        "created",
        "namespace",
        "linkage_key_id",
        "profile",
        "profile_sha256",
        "query_key",
    }
)
_TEXT_FIELDS: Final = ("issuer", "patient", "name", "name_pseudonym")


def canonical(obj: dict[str, Any]) -> bytes:
    """One line of the file: canonical JSON and ``\\n``."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii") + b"\n"


@dataclass(frozen=True)
class EscrowHeader:
    """The first line: which run, key and profile the rows come from, and the lookup digest key."""

    run_id: str
    created: str
    namespace: str
    linkage_key_id: str  # 16 hex characters, or "ephemeral" (a random key for that run only)
    profile: str
    profile_sha256: str
    query_key: bytes

    def to_line(self) -> bytes:
        """The header line."""
        fields = {k: v for k, v in vars(self).items() if k != "query_key"}
        return canonical(
            {"format": FORMAT, "version": FORMAT_VERSION, **fields, "query_key": self.query_key.hex()}
        )

    @classmethod
    def from_line(cls, line: bytes, name: str) -> EscrowHeader:
        """Parse the header line of the escrow file ``name``; :class:`DataError` if it is not one."""
        try:
            obj = _json(line, name)
        except DataError:
            obj = None
        if obj is None or obj.get("format") != FORMAT:
            raise DataError(
                f"{name}: not a dcmscrub escrow file", hint="give the escrow-*.jsonl.age files a scrub wrote"
            )
        if obj.get("version") != FORMAT_VERSION:
            raise DataError(
                f"{name}: escrow format version {obj.get('version')!r} is not supported",
                hint=f"this dcmscrub reads escrow version {FORMAT_VERSION}; use the dcmscrub that wrote it",
            )
        texts = {k: obj.get(k) for k in _HEADER_KEYS - {"format", "version"}}
        if set(obj) != _HEADER_KEYS or not all(isinstance(v, str) for v in texts.values()):
            raise DataError(f"{name}: damaged escrow header")
        try:
            key = bytes.fromhex(str(texts.pop("query_key")))
        except ValueError:
            key = b""
        if len(key) != 32:
            raise DataError(f"{name}: damaged escrow header")
        return cls(query_key=key, **{k: str(v) for k, v in texts.items()})


@dataclass(frozen=True)
class Row:
    """One row: an original and its pseudonym, the patient it belongs to, and per kind more."""

    kind: str
    original: str
    pseudonym: str
    patient: str
    issuer: str | None = None
    name: str | None = None
    name_pseudonym: str | None = None
    date_offset_days: int | None = None

    def to_line(self) -> bytes:
        """The row's line (keys that do not apply left out)."""
        return canonical({k: v for k, v in vars(self).items() if v is not None})

    @classmethod
    def from_line(cls, line: bytes, name: str) -> Row:
        """Parse one row of the escrow file ``name``; :class:`DataError` if it is not one."""
        obj = _json(line, name)
        ok = (
            obj is not None
            and obj.get("kind") in ROW_KINDS
            and set(obj) <= {f for f in cls.__dataclass_fields__}
            and all(isinstance(obj.get(k), str) for k in ("original", "pseudonym", "patient"))
            and all(obj.get(k) is None or isinstance(obj[k], str) for k in _TEXT_FIELDS)
            and (obj.get("date_offset_days") is None or type(obj["date_offset_days"]) is int)
        )
        if not ok or obj is None:
            raise DataError(f"{name}: damaged escrow row")
        return cls(**obj)


def _json(line: bytes, name: str) -> dict[str, Any] | None:
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        raise DataError(f"{name}: damaged escrow line") from None
    return obj if isinstance(obj, dict) else None


def rows_of(m: FileMapping) -> Iterator[Row]:
    """The rows one output gives: its patient, its accession number (when pseudonymized), its UIDs."""
    yield Row(
        "patient",
        m.patient_id,
        m.patient,
        m.patient,
        issuer=m.issuer,
        name=m.patient_name,
        name_pseudonym=m.patient_name_pseudonym,
        date_offset_days=m.date_offset_days,
    )
    if m.accession and m.accession_pseudonym is not None:
        yield Row("accession", m.accession, m.accession_pseudonym, m.patient, issuer=m.issuer)
    for level, original, new in m.uids:
        yield Row(f"{level}_uid", original, new, m.patient)
