"""The unused bits of pixel data: set to what the stored value implies, so that nothing rides in them.

When Bits Stored is less than Bits Allocated, the bits above High Bit belong to no pixel value
(PS3.5 8.1.1). A retired form kept overlay planes there (Overlay Bits Allocated > 1, Overlay Bit
Position: PS3.3 C.9.2.1.3, retired), so a removed overlay group would leave its bitmap (often
text: a name, an ID) inside the pixel data; anything else can hide there too. Readers ignore these
bits (pydicom corrects them on decoding), so the output gets them as pydicom's decoder gives them:
zero above an unsigned sample, the sign's copy above a signed one. Every pixel value a reader sees
is unchanged; the bits that carried something else are gone.

Native data is corrected while it streams (:func:`correct_unused_bits`, one frame at a time). In
compressed data the bits sit inside the codestream: an object that says it has an overlay there
is held back (:func:`embedded_overlay`); the caller decides.
"""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset

from dcmscrub.dicomio.elements import tags
from dcmscrub.dicomio.pixelfacts import PixelFacts

# (60xx,0010) Overlay Rows, (60xx,0100) Overlay Bits Allocated, (60xx,0102) Overlay Bit Position,
# (60xx,3000) Overlay Data: the element numbers inside an overlay group
_ROWS, _BITS_ALLOCATED, _BIT_POSITION, _DATA = 0x0010, 0x0100, 0x0102, 0x3000


def has_unused_bits(facts: PixelFacts) -> bool:
    """True for native pixel data whose samples have bits above Bits Stored."""
    return (
        not facts.encapsulated
        and facts.bits_allocated in (8, 16, 32)
        and facts.bits_stored < facts.bits_allocated
    )


def correct_unused_bits(
    buffer: bytearray | memoryview,
    *,
    bits_allocated: int,
    bits_stored: int,
    signed: bool,
    little_endian: bool,
) -> None:
    """Set the bits above ``bits_stored`` of every sample in ``buffer`` (whole samples, in place):
    zero for unsigned samples, the sign bit's copy for signed ones."""
    width = bits_allocated // 8
    count = len(buffer) // width
    if count == 0 or bits_stored >= bits_allocated:
        return
    dtype = np.dtype(f"{'<' if little_endian else '>'}{'i' if signed else 'u'}{width}")
    samples = np.frombuffer(buffer, dtype=dtype, count=count)
    shift = bits_allocated - bits_stored
    np.left_shift(samples, shift, out=samples)
    np.right_shift(samples, shift, out=samples)


def correct_frame(buffer: bytearray | memoryview, facts: PixelFacts) -> None:
    """:func:`correct_unused_bits` for one native frame described by ``facts``."""
    correct_unused_bits(
        buffer,
        bits_allocated=facts.bits_allocated,
        bits_stored=facts.bits_stored,
        signed=facts.pixel_representation == 1,
        little_endian=facts.little_endian,
    )


def embedded_overlay(ds: Dataset) -> bool:
    """True when an overlay group of ``ds`` says its bitmap lives in the pixel data (the retired
    form): Overlay Bits Allocated other than 1, an Overlay Bit Position other than 0, or an overlay
    with rows, no Overlay Data of its own and no Overlay Bits Allocated to say where its bits are.
    One that says 1 bit at position 0 and has no data has no bitmap anywhere (fo-dicom's
    IM-0001-0001-0001.dcm, a CT from A.L.I.): nothing to hold back."""
    groups: dict[int, set[int]] = {}
    plain = {_BITS_ALLOCATED: 1, _BIT_POSITION: 0}  # the values of an overlay with its own data
    for tag in tags(ds):
        group, elem = tag >> 16, tag & 0xFFFF
        if 0x6000 <= group <= 0x60FF and not group & 1:
            groups.setdefault(group, set()).add(elem)
            if elem in plain and _number(ds, tag) not in (None, plain[elem]):
                return True
    return any(
        _ROWS in elems and _DATA not in elems and _BITS_ALLOCATED not in elems for elems in groups.values()
    )


def _number(ds: Dataset, tag: int) -> int | None:
    try:
        value = ds[tag].value
        if isinstance(value, bytes | bytearray):
            return int.from_bytes(value[:2], "little") if len(value) >= 2 else None
        return int(value) if value not in (None, "") else None
    except Exception:
        return -1  # unreadable: counts as an overlay in the pixel data (fail closed)
