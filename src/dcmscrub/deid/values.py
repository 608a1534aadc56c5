"""Values the engine writes and reads: dummies valid for each VR, and element values as strings."""

from __future__ import annotations

from typing import Any

from pydicom.datadict import keyword_dict
from pydicom.dataelem import DataElement
from pydicom.multival import MultiValue

REDACTED_TEXT = "REMOVED"
# A dummy valid for each VR (PS3.15 E.1.1: "a dummy value ... consistent with the VR").
DUMMY_BY_VR: dict[str, Any] = {
    "AE": REDACTED_TEXT,
    "AS": "000D",
    "CS": REDACTED_TEXT,
    "DA": "20000101",
    "DS": "0",
    "DT": "20000101000000",
    "IS": "0",
    "LO": REDACTED_TEXT,
    "LT": REDACTED_TEXT,
    "PN": "ANONYMOUS",
    "SH": REDACTED_TEXT,
    "ST": REDACTED_TEXT,
    "TM": "000000",
    "UC": REDACTED_TEXT,
    "UR": "urn:dcmscrub:removed",
    "UT": REDACTED_TEXT,
    "US": 0,
    "SS": 0,
    "UL": 0,
    "SL": 0,
    "FL": 0.0,
    "FD": 0.0,
    "SV": 0,
    "UV": 0,
    "AT": 0,
}
# Enumerated values some IODs require of a few CS elements that Table E.1-1 gives action D
DUMMY_BY_TAG: dict[int, str] = {keyword_dict["ReasonForTheAttributeModification"]: "COERCE"}
# Code and AE values cannot hold the redaction mark '*': a changed value becomes a dummy
NO_STAR_VRS = frozenset({"CS", "UR"})
# Longest value per VR that a keyed code may take (PS3.5 6.2)
CODE_MAX = {"AE": 16, "CS": 16, "LO": 64, "PN": 64, "SH": 16, "LT": 10240, "ST": 1024, "UC": 64, "UT": 64}


def dummy_for(tag: int, vr: str) -> Any:
    """The dummy value of ``tag`` (an enumerated value where the IOD requires one) for ``vr``."""
    return DUMMY_BY_TAG.get(tag, DUMMY_BY_VR.get(vr, REDACTED_TEXT))


def strings(elem: DataElement) -> list[str]:
    """Every value of ``elem`` as a string ('' for a missing one)."""
    value = elem.value
    if value is None or value == "":
        return []
    if isinstance(value, MultiValue | list | tuple):
        return [str(v) if v is not None else "" for v in value]
    if isinstance(value, bytes):
        return [value.decode("latin-1")]
    return [str(value)]


def as_value(values: list[str]) -> str | list[str]:
    """A list of strings as pydicom takes an element value (one value, several, or empty)."""
    if not values:
        return ""
    return values[0] if len(values) == 1 else values
