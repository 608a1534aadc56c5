"""Fast access to a dataset's stored elements, for the engine (no I/O).

pydicom keeps each element as it was read (a ``RawDataElement``: tag, VR, length and value bytes)
until someone asks for its value. The engine walks every element of every file and changes few of
them, so it must look at elements without decoding them, and replace or delete them without
pydicom's per-access checks; an element left raw is written out again byte for byte by
:mod:`dcmscrub.dicomio.encode`. These functions are the engine's whole view of pydicom's internals.

Tags passed in may be the ``BaseTag`` keys :func:`tags` returns: those find their entry by
identity, where a plain int would go through ``BaseTag.__eq__`` (in Python) on every lookup.
"""

from __future__ import annotations

import functools
from typing import Any

from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

Stored = DataElement | RawDataElement


def _key(tag: int) -> BaseTag:
    return tag if isinstance(tag, BaseTag) else BaseTag(tag)


def tags(ds: Dataset) -> list[BaseTag]:
    """The tags of ``ds``'s elements, in stored order (a copy: the caller may change ``ds``)."""
    return list(ds._dict.keys())


def has(ds: Dataset, tag: int) -> bool:
    """True when ``ds`` holds ``tag``."""
    return tag in ds._dict


def stored(ds: Dataset, tag: int) -> Stored:
    """The element as stored: raw (undecoded) or decoded."""
    return ds._dict[_key(tag)]


def stored_vr(ds: Dataset, tag: int) -> str | None:
    """The VR the element was read or set with (None: implicit VR, not yet decoded)."""
    vr = ds._dict[_key(tag)].VR
    return None if vr is None else str(vr)


def value_length(ds: Dataset, tag: int) -> int:
    """The length of the element's value in bytes as read (or of a decoded bytes value)."""
    elem = ds._dict[_key(tag)]
    if isinstance(elem, RawDataElement):
        return int(elem.length)
    value = elem.value
    return len(value) if isinstance(value, bytes | bytearray) else 0


def raw_bytes(ds: Dataset, tag: int) -> bytes | None:
    """The element's value bytes when it is still raw (undecoded), else None."""
    elem = ds._dict[_key(tag)]
    if isinstance(elem, RawDataElement):
        return elem.value if elem.value is not None else b""
    return None


def remove(ds: Dataset, tag: int) -> None:
    """Delete the element (it must be there)."""
    del ds._dict[_key(tag)]


def put(ds: Dataset, tag: int, vr: str, value: Any) -> None:
    """Replace (or add) the element by a new one; the old value is never decoded."""
    key = _key(tag)
    ds._dict[key] = DataElement(key, vr, value)


def decoded(ds: Dataset, tag: int) -> DataElement:
    """The element decoded (once; the decoded form replaces the raw one in ``ds``)."""
    key = _key(tag)
    elem = ds._dict[key]
    if isinstance(elem, DataElement):
        return elem
    out = convert_raw_data_element(elem, encoding=ds._character_set, ds=ds)
    ds._dict[key] = out
    return out


def peek(ds: Dataset, tag: int) -> DataElement:
    """The element decoded without storing the decoded form: an element left raw is written out
    again without being re-encoded."""
    elem = ds._dict[_key(tag)]
    if isinstance(elem, DataElement):
        return elem
    return convert_raw_data_element(elem, encoding=ds._character_set, ds=ds)


# VRs with a 2-byte length field in explicit VR (PS3.5 7.1.2): a value longer than 0xFFFF bytes,
# which UN could hold, cannot be written with one of them
_LONG_LENGTH_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UC", "UR", "UT", "SV", "UV"})
# VRs whose value bytes do not depend on the byte order: the only ones re-labelled in a big
# endian file (whose UN values may have been written in either order)
_ORDER_FREE_VRS = frozenset(
    {
        "AE",
        "AS",
        "CS",
        "DA",
        "DS",
        "DT",
        "IS",
        "LO",
        "LT",
        "PN",
        "SH",
        "ST",
        "TM",
        "UC",
        "UI",
        "UR",
        "UT",
        "OB",
    }
)


def use_dictionary_vrs(ds: Dataset) -> None:
    """Give every element of ``ds`` (this level only) that was stored with VR UN and whose tag the
    data dictionary knows the dictionary's VR, in place; the value bytes stay as read.

    Some writers store attributes they do not know as UN (PS3.5 6.2.2); the engine must treat a
    Study Date stored so as a date (shift it, not drop it for being bytes), and the output then
    carries the VR the standard gives it. Left as UN: private and unknown tags, tags with a choice
    of VRs (US or SS, OB or OW), values of undefined length, values too long for the VR's length
    field, binary values in a big endian file, and sequences (SQ stored as UN is decoded as a
    sequence elsewhere).
    """
    store = ds._dict
    found = [key for key, elem in store.items() if elem.VR == "UN"]  # usually none: one quick pass
    for key in found:
        elem = store[key]
        if not isinstance(elem, RawDataElement) or key >> 16 & 1:
            continue  # decoded already, or private (the dictionary knows no private tag)
        vr = _known_vr(int(key))
        if vr is None or elem.length == 0xFFFFFFFF:
            continue
        if vr not in _LONG_LENGTH_VRS and elem.length > 0xFFFF:
            continue
        if not elem.is_little_endian and vr not in _ORDER_FREE_VRS:
            continue
        store[key] = elem._replace(VR=vr)


@functools.cache
def _known_vr(tag: int) -> str | None:
    """The data dictionary's one VR for a public ``tag`` (None: unknown, several, SQ, or UN)."""
    try:
        vr = str(dictionary_VR(tag))
    except KeyError:
        return None
    return None if " " in vr or vr in ("SQ", "UN", "NONE") else vr
