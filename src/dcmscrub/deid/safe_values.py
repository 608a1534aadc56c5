"""What a safe private element may keep: only a value of the form Table E.3.10-1 lists.

The Retain Safe Private Option keeps private elements the standard lists as safe *for what their
vendor writes there*: a pitch as DS, a flag as US. Anyone can write that creator and block with a
name in it, so the table's promise holds only for a value of the listed form (PS3.15 E.3.10):

- a value stored with another VR than the table's (a name as LO where the table says DS) goes;
- numbers (DS, IS) must read as numbers, binary numbers must fill whole values;
- text (CS, LO, SH, ST, LT, UT, ...) is cleaned like any other text (a vendor's words survive
  ``clean``, a name does not);
- a UID (UI: an analysed series, a bookmark) is an instance UID like any other: remapped (U)
  unless the profile keeps UIDs (retain-uids), so the original series is not named;
- sequences are walked (their items follow their own rules), also one stored as UN (a private
  sequence written by a tool that did not know it: Philips' (2001,9000) in explicit VR files);
  one whose bytes do not read as items goes. Bytes stay as the table allows.
"""

from __future__ import annotations

import re

from pydicom.dataset import Dataset

from dcmscrub.dicomio import elements as el
from dcmscrub.standard.vrs import BINARY_NUMBER_VRS, TEXT_VRS

_SIZES = {"US": 2, "SS": 2, "UL": 4, "SL": 4, "FL": 4, "AT": 4, "FD": 8, "SV": 8, "UV": 8}
_NUMBER = {
    "DS": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"),
    "IS": re.compile(r"[+-]?\d+"),
}


def safe_private_action(ds: Dataset, tag: int, listed: str) -> str:
    """``keep``, ``clean``, ``uid`` or ``remove`` for the safe private element ``tag`` whose table
    VR is ``listed``. A ``clean`` or ``uid`` element stored without a VR is given the table's VR
    first."""
    allowed = {v for v in listed.split("/") if v}
    stored = el.stored_vr(ds, tag)
    if stored not in (None, "UN"):
        if allowed and stored not in allowed:
            return "remove"  # not what the vendor writes there
        vr = stored
    elif len(allowed) == 1:
        vr = next(iter(allowed))
    else:
        return "keep"  # the table names no single VR: bytes as read (OB/OW)
    if vr == "SQ":
        # read as items, or the walk would keep the bytes unread (names, UIDs and dates in them)
        read = stored == "SQ" or el.sequence_items(ds, tag, known_sq=True) is not None
        return "keep" if read else "remove"
    if vr in BINARY_NUMBER_VRS:
        return "keep" if el.value_length(ds, tag) % _SIZES.get(vr, 1) == 0 else "remove"
    if vr in _NUMBER:
        text = _text(ds, tag)
        parts = [p.strip(" \x00") for p in text.split("\\")] if text is not None else None
        ok = parts is not None and all(not p or _NUMBER[vr].fullmatch(p) for p in parts)
        return "keep" if ok else "remove"
    if vr in TEXT_VRS or vr == "UI":
        if stored in (None, "UN"):
            text = _text(ds, tag)
            if text is None:
                return "remove"
            el.put(ds, tag, vr, text.rstrip(" \x00"))  # read as the table's VR, then cleaned
        return "uid" if vr == "UI" else "clean"
    return "keep"


def _text(ds: Dataset, tag: int) -> str | None:
    """The value as text (None when it is not text)."""
    raw = el.raw_bytes(ds, tag)
    value = raw if raw is not None else el.peek(ds, tag).value
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("ascii")
        except UnicodeDecodeError:
            return bytes(value).decode("latin-1")  # cleaned or checked below; never trusted
    return None if value is None else str(value)
