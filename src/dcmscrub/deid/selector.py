"""What a profile rule points at, and what a replacement value may be.

A rule's ``select`` is a keyword (``PatientName``), a tag (``(0010,0010)`` or ``00100010``), a
repeating group (``(60xx,4000)``, ``(50xx,xxxx)``), or a private element by creator
(``(0019,xx0C)`` with ``creator: SIEMENS MR HEADER``). :func:`parse_selector` turns that text into
a :class:`Selector`; :func:`check_value_for_vr` checks a ``replace`` value against the element's
VR, so that a bad value is a profile error before any file is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from pydicom.datadict import dictionary_VR, keyword_dict

_TAG_RE = re.compile(r"^\(?\s*([0-9A-Fa-fXx]{4})\s*,?\s*([0-9A-Fa-fXx]{4})\s*\)?$")


@dataclass(frozen=True)
class Selector:
    """What a rule applies to.

    ``kind`` is ``tag`` (one public element), ``pattern`` (a repeating group such as
    ``(60xx,4000)``: matches when ``tag & mask == value``) or ``private`` (an element of a
    private block reserved by ``creator``: ``group`` and the low byte ``offset``).
    """

    kind: Literal["tag", "pattern", "private"]
    text: str
    tag: int = 0
    mask: int = 0xFFFFFFFF
    creator: str | None = None
    group: int = 0
    offset: int = 0

    def matches_public(self, tag: int) -> bool:
        """True if this (non-private) selector covers ``tag``."""
        if self.kind == "tag":
            return tag == self.tag
        if self.kind == "pattern":
            return tag & self.mask == self.tag
        return False


def parse_selector(text: str, creator: str | None) -> tuple[Selector | None, str | None, str | None]:
    """Parse a rule's ``select`` (and ``creator``); return ``(selector, problem, hint)``."""
    text = text.strip()
    m = _TAG_RE.match(text)
    if not m:
        return _keyword_selector(text, creator)
    group_s, elem_s = m.group(1).lower(), m.group(2).lower()
    if "x" in group_s[:2]:
        return None, f"bad tag '{text}': the high byte of the group cannot repeat", None
    group_hi = int(group_s[:2], 16)
    if "x" not in group_s and int(group_s, 16) % 2 == 1:
        return _private_selector(text, group_s, elem_s, creator)
    if creator is not None:
        return None, f"'creator' applies only to private elements (odd groups), not {text}", None
    if "x" not in group_s + elem_s:
        return Selector("tag", text, tag=int(group_s + elem_s, 16)), None, None
    if "x" in group_s and group_hi not in (0x50, 0x60):
        return None, f"bad tag '{text}': only groups 50xx and 60xx repeat", None
    mask = int("".join("0" if c == "x" else "f" for c in group_s + elem_s), 16)
    value = int((group_s + elem_s).replace("x", "0"), 16)
    return Selector("pattern", text, tag=value, mask=mask), None, None


def _keyword_selector(text: str, creator: str | None) -> tuple[Selector | None, str | None, str | None]:
    if text not in keyword_dict:
        return (
            None,
            f"unknown element '{text}'",
            "use a DICOM keyword (PatientName), a tag like (0010,0010), a repeating group like "
            "(60xx,4000) or a private element like (0019,xx0C) with creator:",
        )
    if creator is not None:
        return None, f"'creator' applies only to private elements, not {text}", None
    return Selector("tag", text, tag=keyword_dict[text]), None, None


def _private_selector(
    text: str, group_s: str, elem_s: str, creator: str | None
) -> tuple[Selector | None, str | None, str | None]:
    if creator is None or not creator.strip():
        return (
            None,
            f"private element {text} needs 'creator:'",
            "name the private creator, e.g. SIEMENS MR HEADER",
        )
    if elem_s[:2] != "xx" or "x" in elem_s[2:]:
        return (
            None,
            f"bad private tag '{text}': write it as (gggg,xxEE) with xx for the block",
            "the block byte depends on the file; the creator identifies the block",
        )
    group = int(group_s, 16)
    if group <= 0x0007 or group == 0xFFFF:
        return None, f"bad private tag '{text}': group {group_s} cannot hold private elements", None
    sel = Selector("private", text, creator=creator.strip(), group=group, offset=int(elem_s[2:], 16))
    return sel, None, None


def vr_of(selector: Selector) -> str | None:
    """The dictionary VR of a public selector (the first VR when several are allowed)."""
    try:
        if selector.kind == "tag":
            return dictionary_VR(selector.tag).split(" ")[0]
        if selector.kind == "pattern":
            return dictionary_VR(selector.tag).split(" ")[0]
    except KeyError:
        return None
    return None


# --------------------------------------------------------------------------------------------
# values valid for a VR (replacement values are checked before any file is read)

_VR_MAX = {
    "AE": 16,
    "AS": 4,
    "CS": 16,
    "DS": 16,
    "IS": 12,
    "LO": 64,
    "LT": 10240,
    "PN": 324,
    "SH": 16,
    "ST": 1024,
    "UC": 2**32 - 2,
    "UI": 64,
    "UR": 2**32 - 2,
    "UT": 2**32 - 2,
}
_VR_RE = {
    "AS": re.compile(r"^\d{3}[DWMY]$"),
    "CS": re.compile(r"^[A-Z0-9_ ]*$"),
    "DA": re.compile(r"^\d{8}$"),
    "DS": re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"),
    "IS": re.compile(r"^[+-]?\d+$"),
    "TM": re.compile(r"^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$"),
    "DT": re.compile(r"^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$"),
    "UI": re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$"),
}


def check_value_for_vr(value: str, vr: str | None) -> str | None:
    """Return a problem if ``value`` is not a valid single value of ``vr``, else None."""
    if vr is None:
        return None
    if vr in (
        "SQ",
        "OB",
        "OW",
        "OF",
        "OD",
        "OL",
        "OV",
        "UN",
        "US",
        "SS",
        "UL",
        "SL",
        "FL",
        "FD",
        "AT",
        "SV",
        "UV",
    ):
        return f"a replacement value cannot be written into a {vr} element"
    limit = _VR_MAX.get(vr)
    if limit is not None and len(value) > limit:
        return f"value is {len(value)} characters; {vr} allows at most {limit}"
    pattern = _VR_RE.get(vr)
    if pattern is not None and not pattern.match(value):
        return f"value is not a valid {vr}"
    if vr == "DA" and not _valid_calendar_date(value):
        return "value is not a valid DA (no such calendar date)"
    if "\\" in value and vr not in ("LT", "ST", "UT"):
        return "value contains a backslash (a value separator); give a single value"
    if any(ord(c) < 32 for c in value) and vr not in ("LT", "ST", "UT"):
        return f"value contains control characters, not allowed in {vr}"
    return None


def _valid_calendar_date(text: str) -> bool:
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return int(text[:4]) >= 1
