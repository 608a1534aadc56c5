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
import re
from typing import Any

from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

from dcmscrub.dicomio.flat import Flat as Flat  # the gate's view of encoded elements
from dcmscrub.dicomio.flat import Flattened as Flattened
from dcmscrub.dicomio.flat import dictionary_vr as dictionary_vr  # one reading, shared with the gate
from dcmscrub.dicomio.flat import parses_as_items
from dcmscrub.outcomes import FileProblem, Reason

Stored = DataElement | RawDataElement
_UNDEFINED = 0xFFFFFFFF

# The file meta elements an output may carry (PS3.10 7.1), built by dicomio.write from the
# object itself: version, media storage SOP class and instance, transfer syntax, and the writer's
# implementation class UID and version name. Nothing else of an input's file meta survives (the
# sending and receiving AE titles, source and private information, (0002,0026)-(0002,0028) URLs,
# elements a later edition may add).
FILE_META_ALLOWED = frozenset({0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013})


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


# VRs whose values are ASCII whatever the character set (PS3.5 6.2): read without pydicom
_ASCII_VRS = frozenset({"AE", "AS", "CS", "DA", "DT", "TM", "UI"})
_PRINTABLE = re.compile(rb"[\x20-\x7e]*")


def first_ascii(ds: Dataset, tag: int) -> str | None:
    """The first value of a raw element of an ASCII VR (UI, CS, DA, ...), padding stripped, read
    straight from its bytes (pydicom's conversion costs tens of microseconds an element); None
    when the element is decoded already, of another VR, or holds anything but printable ASCII
    (the caller then asks pydicom)."""
    elem = ds._dict[_key(tag)]
    if not isinstance(elem, RawDataElement):
        return None
    vr = elem.VR if elem.VR is not None else dictionary_vr(tag)
    if vr not in _ASCII_VRS:
        return None
    value = (elem.value or b"").rstrip(b"\x00 ")
    if _PRINTABLE.fullmatch(value) is None:
        return None
    return value.split(b"\\", 1)[0].decode("ascii").strip(" ")


def remove(ds: Dataset, tag: int) -> None:
    """Delete the element (it must be there)."""
    del ds._dict[_key(tag)]


def put(ds: Dataset, tag: int, vr: str, value: Any) -> None:
    """Replace (or add) the element by a new one; the old value is never decoded."""
    key = _key(tag)
    ds._dict[key] = DataElement(key, vr, value)


def _convert(ds: Dataset, raw: RawDataElement) -> DataElement:
    """pydicom's conversion of a raw element; a value it cannot read (an unknown VR, a sequence
    whose items do not parse: a flipped byte) makes the file damaged, never a crash."""
    try:
        return convert_raw_data_element(raw, encoding=ds._character_set, ds=ds)
    except Exception:
        raise FileProblem(Reason.CORRUPT) from None


def decoded(ds: Dataset, tag: int) -> DataElement:
    """The element decoded (once; the decoded form replaces the raw one in ``ds``).

    Raises :class:`FileProblem` (``corrupt``) when the stored value cannot be read."""
    key = _key(tag)
    elem = ds._dict[key]
    if isinstance(elem, DataElement):
        return elem
    out = _convert(ds, elem)
    ds._dict[key] = out
    return out


def peek(ds: Dataset, tag: int) -> DataElement:
    """The element decoded without storing the decoded form: an element left raw is written out
    again without being re-encoded. Raises :class:`FileProblem` (``corrupt``) like :func:`decoded`."""
    elem = ds._dict[_key(tag)]
    if isinstance(elem, DataElement):
        return elem
    return _convert(ds, elem)


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


def effective_vr(ds: Dataset, tag: int) -> str | None:
    """The VR the element's value has: the stored VR, except that a value stored as UN (or read
    without a VR) has its dictionary VR when the tag is known, and SQ when its length is
    undefined (PS3.5 6.2.2). None when nothing says (an implicit private element)."""
    elem = ds._dict[_key(tag)]
    vr = None if elem.VR is None else str(elem.VR)
    if vr not in (None, "UN"):
        return vr
    if isinstance(elem, RawDataElement) and elem.length == _UNDEFINED:
        return "SQ"
    return dictionary_vr(tag) or vr


def sequence_items(ds: Dataset, tag: int, *, known_sq: bool = False) -> list[Dataset] | None:
    """The items of a sequence, also one stored as UN (a known sequence written by a tool that did
    not know it, or a UN of undefined length: PS3.5 6.2.2 encodes such a value in implicit VR
    little endian). The decoded sequence replaces the stored element, so it is written out as SQ.

    ``known_sq``: the caller knows the element is a sequence though the dictionary does not (a
    private element that Table E.3.10-1 lists as SQ).

    None when the element is not a sequence, or is stored as UN and its value does not parse as
    items: the caller must not keep such bytes. Raises :class:`FileProblem` (``corrupt``) for a
    real SQ whose items do not parse."""
    key = _key(tag)
    elem = ds._dict[key]
    if isinstance(elem, DataElement):
        return list(elem.value) if elem.VR == "SQ" and elem.value is not None else None
    vr = None if elem.VR is None else str(elem.VR)
    if vr == "SQ" or (vr is None and dictionary_vr(tag) == "SQ"):
        value = decoded(ds, key).value
        return list(value) if value is not None else []
    if vr not in ("UN", None) or (not known_sq and effective_vr(ds, tag) != "SQ"):
        return None
    for implicit in (True, False):  # the standard's encoding first, then the file's own
        if not parses_as_items(elem.value or b"", implicit=implicit):
            continue  # checked strictly first: pydicom would skip what it cannot read
        raw = RawDataElement(key, "SQ", elem.length, elem.value, elem.value_tell, implicit, True, True, False)
        try:
            out = convert_raw_data_element(raw, encoding=ds._character_set, ds=ds)
            items = list(out.value) if out.value is not None else []
            for item in items:
                list(item.keys())  # the item parsed: its elements are known
        except Exception:  # noqa: S112 (not items in this encoding: try the next, then give up)
            continue
        ds._dict[key] = out
        return items
    return None
