"""Byte-level DICOM for tests: files pydicom refuses to write (a UN sequence, an over-long length,
a flipped VR byte, text in the preamble or file meta). Not a test module: import it."""

from __future__ import annotations

import struct

CT = "1.2.840.10008.5.1.4.1.1.2"
LONG_VRS = (b"OB", b"OW", b"SQ", b"UN", b"UT", b"UC", b"UR", b"OD", b"OF", b"OL", b"OV", b"SV", b"UV")
NAME = "DOE^JANE"
MRN = "MRN12345678"


def element(tag: int, vr: bytes, value: bytes, *, explicit: bool = True) -> bytes:
    """One element, explicit VR little endian unless ``explicit`` is False."""
    group, elem = tag >> 16, tag & 0xFFFF
    if not explicit:
        return struct.pack("<HHL", group, elem, len(value)) + value
    if vr in LONG_VRS:
        return struct.pack("<HH2sHL", group, elem, vr, 0, len(value)) + value
    return struct.pack("<HH2sH", group, elem, vr, len(value)) + value


def undefined(tag: int, vr: bytes, body: bytes) -> bytes:
    """An element of undefined length (items, then a sequence delimiter)."""
    return struct.pack("<HH2sHL", tag >> 16, tag & 0xFFFF, vr, 0, 0xFFFFFFFF) + body + SEQ_END


def item(body: bytes, *, defined: bool = True) -> bytes:
    if defined:
        return struct.pack("<HHL", 0xFFFE, 0xE000, len(body)) + body
    return struct.pack("<HHL", 0xFFFE, 0xE000, 0xFFFFFFFF) + body + struct.pack("<HHL", 0xFFFE, 0xE00D, 0)


SEQ_END = struct.pack("<HHL", 0xFFFE, 0xE0DD, 0)


def text(value: str) -> bytes:
    data = value.encode("latin-1")
    return data + (b" " if len(data) % 2 else b"")


def uid(value: str) -> bytes:
    data = value.encode("ascii")
    return data + (b"\x00" if len(data) % 2 else b"")


def meta(sop_class: str, sop: str, extra: bytes = b"", version: bytes = b"\x00\x01") -> bytes:
    body = (
        element(0x00020001, b"OB", version)
        + element(0x00020002, b"UI", uid(sop_class))
        + element(0x00020003, b"UI", uid(sop))
        + element(0x00020010, b"UI", uid("1.2.840.10008.1.2.1"))
        + extra
    )
    return element(0x00020000, b"UL", struct.pack("<L", len(body))) + body


def base(sop: str = "1.2.826.0.1.3680043.10.1426.13.1", sop_class: str = CT) -> dict[int, bytes]:
    """A small CT header (no pixels) with a name and an MRN, by tag: add or replace elements."""
    return {
        0x00080016: element(0x00080016, b"UI", uid(sop_class)),
        0x00080018: element(0x00080018, b"UI", uid(sop)),
        0x00080060: element(0x00080060, b"CS", text("CT")),
        0x00100010: element(0x00100010, b"PN", text(NAME)),
        0x00100020: element(0x00100020, b"LO", text(MRN)),
        0x0020000D: element(0x0020000D, b"UI", uid("1.2.826.0.1.3680043.10.1426.13.2")),
        0x0020000E: element(0x0020000E, b"UI", uid("1.2.826.0.1.3680043.10.1426.13.3")),
    }


def part10(
    elements: dict[int, bytes] | bytes,
    *,
    preamble: bytes = bytes(128),
    extra_meta: bytes = b"",
    sop: str = "",
) -> bytes:
    """A Part 10 file: preamble, DICM, file meta, then ``elements`` (in tag order) or raw bytes."""
    body = elements if isinstance(elements, bytes) else b"".join(elements[t] for t in sorted(elements))
    return preamble + b"DICM" + meta(CT, sop or "1.2.826.0.1.3680043.10.1426.13.1", extra_meta) + body
