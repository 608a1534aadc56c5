"""Is a file DICOM? By its content, never its name.

A Part 10 file has the ``DICM`` prefix after the 128-byte preamble; the old "raw dataset" files
without a preamble start with an element in group 0002, 0008 or 0010 (which
:func:`~dcmscrub.dicomio.read.read_header` then has to parse).
"""

from __future__ import annotations

import struct

PREAMBLE = 128
_NO_PREAMBLE_GROUPS = frozenset({0x0002, 0x0008, 0x0010})


def sniff(head: bytes) -> str:
    """Classify a file by its first 132 bytes: ``dicom``, ``raw`` (no preamble), ``empty``, ``other``."""
    if not head:
        return "empty"
    if len(head) >= PREAMBLE + 4 and head[PREAMBLE : PREAMBLE + 4] == b"DICM":
        return "dicom"
    if len(head) >= 8:
        group_le = struct.unpack_from("<H", head)[0]
        group_be = struct.unpack_from(">H", head)[0]
        if group_le in _NO_PREAMBLE_GROUPS or group_be in _NO_PREAMBLE_GROUPS:
            return "raw"
    return "other"
