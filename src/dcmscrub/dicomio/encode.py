"""Encoding a dataset as DICOM bytes (PS3.5, PS3.10), fast.

An element the engine did not touch is still a pydicom ``RawDataElement``: its value bytes are
written again exactly as pydicom would write them, without decoding them. Most elements of a file
are untouched and pydicom's writer costs ~20 us an element in Python, so this is the hot path of
a run. Sequences are written with undefined lengths; everything else goes through pydicom's
writer. ``tests/dicomio`` checks the bytes against pydicom's own ``dcmwrite``.
"""

from __future__ import annotations

import re
import struct

from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_data_element
from pydicom.multival import MultiValue
from pydicom.valuerep import STR_VR

from dcmscrub.dicomio.elements import dictionary_vr
from dcmscrub.dicomio.read import LONG_VRS
from dcmscrub.outcomes import FileProblem, Reason

# values that are character strings (pydicom encodes plain ASCII str values exactly this way)
_STRING_VRS = frozenset(vr.value for vr in STR_VR)

# What a value of each string VR may hold (PS3.5 6.2), checked on every text value written. A
# value that breaks these rules is damage, never passed on: an over-long length that swallowed the
# elements after it carries their tags and lengths (control bytes) and their text. Padding (trailing
# spaces or NULs) is allowed everywhere. UIDs are held to their character repertoire; codes and
# numbers to printable ASCII (real devices write codes such as ``ABDOM/RAD`` or ``0001`` that break
# the CS repertoire but carry nothing swallowed: failing them would lose real files for nothing);
# text may hold any character of its character set, but no control character except ESC
# (ISO 2022), and CR, LF, FF and TAB in the long text VRs (LT, ST, UT).
_FORBIDDEN = {
    **dict.fromkeys(("AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM"), re.compile(rb"[^\x20-\x7e]")),
    "UI": re.compile(rb"[^0-9.\\]"),
    **dict.fromkeys(("SH", "LO", "PN", "UC", "UR"), re.compile(rb"[\x00-\x1a\x1c-\x1f\x7f]")),
    **dict.fromkeys(("ST", "LT", "UT"), re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")),
}
# the longest single value a UID or an age may be (PS3.5 Table 6.2-1); longer is damage. Codes (CS,
# AE) longer than 16 characters are common in real files and are not held to it.
_MAX_VALUE = {"AS": 4, "UI": 64}


def damaged(vr: str | None, value: bytes) -> bool:
    """True when ``value`` breaks the rules of its string ``vr`` (see :data:`_FORBIDDEN`)."""
    rule = _FORBIDDEN.get(vr) if vr is not None else None
    if rule is None:
        return False
    value = value.rstrip(b"\x00 ")
    if rule.search(value) is not None:
        return True
    limit = _MAX_VALUE.get(vr) if vr is not None else None
    return limit is not None and any(len(v.strip(b" ")) > limit for v in value.split(b"\\"))


def encode_file_meta(meta: Dataset) -> bytes:
    """The file meta group (explicit VR little endian) with its group length (PS3.10 7.1)."""
    missing = {
        "MediaStorageSOPClassUID": Reason.NO_SOP_CLASS_UID,
        "MediaStorageSOPInstanceUID": Reason.NO_SOP_INSTANCE_UID,
        "TransferSyntaxUID": Reason.CORRUPT,
    }
    for keyword, reason in missing.items():
        if not meta.get(keyword):
            raise FileProblem(reason)
    if "FileMetaInformationVersion" not in meta:
        meta.FileMetaInformationVersion = b"\x00\x01"
    body = Dataset()
    body._dict.update({k: v for k, v in meta._dict.items() if k != 0x00020000})
    encoded = bytearray()
    encode_dataset(body, False, True, encoded)
    return struct.pack("<HH2sHL", 0x0002, 0x0000, b"UL", 4, len(encoded)) + bytes(encoded)


def encode_dataset(
    ds: Dataset, implicit: bool, little: bool, out: bytearray, parent_encodings: str | list[str] | None = None
) -> None:
    """Append ``ds``'s elements to ``out``, in tag order (see the module docstring).

    Text is encoded in the data set's Specific Character Set, or, in a sequence item that names
    none, in its parent's (PS3.5 6.1.2.5.2), as pydicom's writer does."""
    e = "<" if little else ">"
    encodings: str | list[str] = ds._character_set
    if parent_encodings is not None and 0x00080005 not in ds._dict:
        encodings = parent_encodings
    for key in sorted(ds._dict):
        elem = ds._dict[key]
        head = struct.pack(e + "HH", key >> 16, key & 0xFFFF)
        if isinstance(elem, RawDataElement) and _copyable(elem, implicit, little):
            value = elem.value or b""
            vr = str(elem.VR) if elem.VR is not None else dictionary_vr(key)
            if damaged(vr, value):
                raise FileProblem(Reason.CORRUPT)
            encoded = _element_bytes(head, str(elem.VR), value, implicit, e)
            if encoded is not None:
                out += encoded
                continue
        elif isinstance(elem, DataElement) and (text := _ascii_text(elem)) is not None:
            if damaged(str(elem.VR), text):
                raise FileProblem(Reason.CORRUPT)
            encoded = _element_bytes(head, str(elem.VR), text, implicit, e)
            if encoded is not None:
                out += encoded
                continue
        elif isinstance(elem, DataElement) and elem.VR == "SQ":
            out += head + (b"" if implicit else b"SQ\x00\x00") + _UNDEFINED[e]
            for item in elem.value or []:
                out += _ITEM_START[e]
                encode_dataset(item, implicit, little, out, encodings)
                out += _ITEM_END[e]
            out += _SEQ_END[e]
            continue
        out += _pydicom_element(ds, key, implicit, little, encodings)


def _pydicom_element(
    ds: Dataset, key: int, implicit: bool, little: bool, encodings: str | list[str]
) -> bytes:
    """One element as pydicom's writer encodes it; a value pydicom cannot read or write (an unknown
    VR, a value that does not fit it) is damage. A text value is checked like a copied one."""
    fp = DicomBytesIO()
    fp.is_little_endian, fp.is_implicit_VR = little, implicit
    try:
        elem = ds[key]
        write_data_element(fp, elem, encodings)
    except Exception:
        raise FileProblem(Reason.CORRUPT) from None
    data = fp.getvalue()
    if elem.VR in _FORBIDDEN and elem.VR not in ("SQ",):
        # the value is what follows the element's header (8 bytes, or 12 for a long VR)
        start = 8 if implicit or str(elem.VR).encode() not in LONG_VRS else 12
        if damaged(str(elem.VR), data[start:]):
            raise FileProblem(Reason.CORRUPT)
    return data


def _element_bytes(head: bytes, vr: str, value: bytes, implicit: bool, e: str) -> bytes | None:
    """Tag ``head``, VR and length, then ``value``; None when a short-length VR cannot hold it."""
    if implicit:
        return head + struct.pack(e + "L", len(value)) + value
    code = vr.encode()
    if code in LONG_VRS:
        return head + code + b"\x00\x00" + struct.pack(e + "L", len(value)) + value
    if len(value) <= 0xFFFF:
        return head + code + struct.pack(e + "H", len(value)) + value
    return None


def _ascii_text(elem: DataElement) -> bytes | None:
    """The encoded value of a text element the engine set (plain ASCII str values), padded to an
    even length as pydicom pads it; None for anything else, which pydicom then encodes."""
    if elem.VR not in _STRING_VRS:
        return None
    value = elem.value
    if value is None or value == "":
        return b""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list | MultiValue) and all(isinstance(v, str) for v in value):
        text = "\\".join(value)
    else:
        return None
    if not text.isascii():
        return None
    data = text.encode("ascii")
    if len(data) & 1:
        data += b"\x00" if elem.VR == "UI" else b" "
    return data


def _copyable(elem: RawDataElement, implicit: bool, little: bool) -> bool:
    # a raw element read in another encoding than the file's (some writers switch mid-file)
    # is decoded and re-encoded by pydicom instead
    return (
        elem.length != 0xFFFFFFFF
        and elem.is_implicit_VR == implicit
        and elem.is_little_endian == little
        and (implicit or elem.VR is not None)
    )


_UNDEFINED = {"<": struct.pack("<L", 0xFFFFFFFF), ">": struct.pack(">L", 0xFFFFFFFF)}
_ITEM_START = {e: struct.pack(e + "HHL", 0xFFFE, 0xE000, 0xFFFFFFFF) for e in "<>"}
_ITEM_END = {e: struct.pack(e + "HHL", 0xFFFE, 0xE00D, 0) for e in "<>"}
_SEQ_END = {e: struct.pack(e + "HHL", 0xFFFE, 0xE0DD, 0) for e in "<>"}
