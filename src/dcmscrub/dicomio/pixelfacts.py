"""What the pixel writer needs to know about one file's pixel data, read from its header.

:func:`pixel_facts` reads the Image Pixel attributes of a parsed header and the pixel data
element's own header (tag, VR, length) at the offset where header parsing stopped. Nothing here
decodes a pixel. Everything that would make blanking unsafe or impossible is a
:class:`PixelProblem` with a fixed code, so that the caller can quarantine the file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, BinaryIO, NamedTuple, cast

from pydicom.dataset import Dataset

from dcmscrub.outcomes import FileProblem, Reason

# transfer syntaxes whose pixel data is native (not encapsulated)
IMPLICIT_LE = "1.2.840.10008.1.2"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
DEFLATED_LE = "1.2.840.10008.1.2.1.99"
NATIVE_SYNTAXES = frozenset({IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE})

_PIXEL_DATA = 0x7FE00010
_UNDEFINED = 0xFFFFFFFF
_LONG_VRS = frozenset({b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"UN"})


class PixelProblem(FileProblem):
    """Why the pixel data of one file cannot be blanked: a :class:`FileProblem` whose reason is
    the :class:`Reason` of the same fixed ``code`` (never a value), so the worker turns it into
    that file's outcome like any other (quarantined or failed, never a partial output).

    Codes: ``pixels_unsupported_syntax`` (no decoder or encoder path for the transfer syntax,
    e.g. MPEG/HEVC video, JPEG XL, deflated), ``pixels_unsupported_layout`` (bit-packed or
    float pixel data, a sample layout blanking cannot address), ``pixels_bad_attributes``
    (Rows, Columns, ... missing or inconsistent), ``pixels_short`` (less pixel data than the
    attributes say), ``pixels_no_codec`` (the decoding/encoding packages are not installed),
    ``pixels_undecodable`` (a decoder failed), ``pixels_frame_count`` (the encapsulated data
    does not hold NumberOfFrames frames), ``pixels_unencodable`` (the encoder refused a frame),
    ``pixels_inconsistent`` (frames decode to different layouts).
    """

    def __init__(self, code: str) -> None:
        super().__init__(Reason(code))
        self.code = code


class Rect(NamedTuple):
    """A rectangle in pixels: left column ``x``, top row ``y``, width ``w``, height ``h``."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class PixelFacts:
    """The pixel data element of one file and the attributes that describe it."""

    transfer_syntax: str
    element_start: int  # offset of the element's tag in the input
    value_start: int  # offset of its value (after tag, VR and length)
    length: int | None  # value length; None when undefined (encapsulated)
    little_endian: bool
    rows: int
    columns: int
    samples_per_pixel: int
    bits_allocated: int
    bits_stored: int
    pixel_representation: int
    planar_configuration: int
    number_of_frames: int
    photometric_interpretation: str
    extended_offsets: tuple[bytes, bytes] | None = None
    # 8-bit samples in an OW value of a big endian file: each pair of bytes is swapped
    swapped: bool = False

    @property
    def encapsulated(self) -> bool:
        return self.length is None

    @property
    def frame_bytes(self) -> int:
        """Bytes of one native frame (YBR_FULL_422 stores two samples per pixel)."""
        samples = self.samples_per_pixel
        if self.photometric_interpretation == "YBR_FULL_422":
            samples = 2
        return self.rows * self.columns * samples * (self.bits_allocated // 8)


def pixel_facts(
    ds: Dataset, fh: BinaryIO, element_start: int, *, implicit_vr: bool, little_endian: bool
) -> PixelFacts:
    """Describe the pixel data element at ``element_start`` of ``fh`` using ``ds``'s attributes.

    ``ds`` is the parsed header (its file meta names the transfer syntax); ``implicit_vr`` and
    ``little_endian`` are the data set's encoding. Raises :class:`PixelProblem`.
    """
    meta = getattr(ds, "file_meta", None)
    syntax = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    if not syntax:
        syntax = IMPLICIT_LE if implicit_vr else (EXPLICIT_LE if little_endian else EXPLICIT_BE)
    if syntax == DEFLATED_LE:
        raise PixelProblem("pixels_unsupported_syntax")
    tag, vr, value_start, length = _element_header(fh, element_start, implicit_vr, little_endian)
    if tag != _PIXEL_DATA:
        raise PixelProblem("pixels_unsupported_layout")  # Float / Double Float Pixel Data
    pi = str(_value(ds, "PhotometricInterpretation", "")).strip()
    spp = _int(ds, "SamplesPerPixel", 1)
    bits_allocated = _int(ds, "BitsAllocated", 0)
    facts = PixelFacts(
        transfer_syntax=syntax,
        element_start=element_start,
        value_start=value_start,
        length=None if length == _UNDEFINED else length,
        little_endian=little_endian,
        rows=_int(ds, "Rows", 0),
        columns=_int(ds, "Columns", 0),
        samples_per_pixel=spp,
        bits_allocated=bits_allocated,
        bits_stored=_int(ds, "BitsStored", 0),
        pixel_representation=_int(ds, "PixelRepresentation", 0),
        planar_configuration=_int(ds, "PlanarConfiguration", 0) if spp > 1 else 0,
        number_of_frames=_int(ds, "NumberOfFrames", 1) or 1,
        photometric_interpretation=pi,
        extended_offsets=_extended_offsets(ds),
        swapped=not little_endian and bits_allocated == 8 and vr == b"OW",
    )
    _check(facts, syntax in NATIVE_SYNTAXES)
    return facts


def _value(ds: Dataset, keyword: str, default: object) -> object:
    try:
        value = ds.get(keyword, default)
    except Exception:
        raise PixelProblem("pixels_bad_attributes") from None
    return default if value is None or value == "" else value


def _int(ds: Dataset, keyword: str, default: int) -> int:
    value = _value(ds, keyword, default)
    try:
        return int(cast(Any, value))
    except (TypeError, ValueError):
        raise PixelProblem("pixels_bad_attributes") from None


def _extended_offsets(ds: Dataset) -> tuple[bytes, bytes] | None:
    offsets = ds.get("ExtendedOffsetTable")
    lengths = ds.get("ExtendedOffsetTableLengths")
    if offsets is None or lengths is None:
        return None
    return bytes(offsets), bytes(lengths)


def _check(facts: PixelFacts, native: bool) -> None:
    if facts.rows <= 0 or facts.columns <= 0 or facts.number_of_frames <= 0:
        raise PixelProblem("pixels_bad_attributes")
    if facts.samples_per_pixel not in (1, 3) or facts.planar_configuration not in (0, 1):
        raise PixelProblem("pixels_unsupported_layout")
    if facts.bits_allocated not in (8, 16, 32, 64):
        raise PixelProblem("pixels_unsupported_layout")  # 1-bit data is bit-packed across pixels
    if not 0 < facts.bits_stored <= facts.bits_allocated or facts.pixel_representation not in (0, 1):
        raise PixelProblem("pixels_bad_attributes")
    if native == facts.encapsulated:
        raise PixelProblem("pixels_bad_attributes")  # a defined length for compressed data or v.v.
    pairs_ok = facts.samples_per_pixel == 3 and not facts.columns % 2 and not facts.planar_configuration
    if facts.photometric_interpretation == "YBR_FULL_422" and native and not pairs_ok:
        raise PixelProblem("pixels_unsupported_layout")
    if native and facts.length is not None and facts.length < facts.frame_bytes * facts.number_of_frames:
        raise PixelProblem("pixels_short")
    if facts.swapped and facts.frame_bytes % 2 and facts.number_of_frames > 1:
        raise PixelProblem("pixels_unsupported_layout")  # frames that split a swapped byte pair


def _element_header(fh: BinaryIO, start: int, implicit: bool, little: bool) -> tuple[int, bytes, int, int]:
    """(tag, VR or b"", value offset, value length) of the element whose tag is at ``start``."""
    e = "<" if little else ">"
    fh.seek(start)
    head = fh.read(12)
    if len(head) < 8:
        raise PixelProblem("pixels_short")
    group, elem = struct.unpack_from(e + "HH", head)
    vr = head[4:6]
    if not implicit and not (0x41 <= vr[0] <= 0x5A and 0x41 <= vr[1] <= 0x5A):
        implicit = True  # an implicit element in an explicit file (read the same way by dicomio)
    if implicit:
        return (group << 16) | elem, b"", start + 8, int(struct.unpack_from(e + "L", head, 4)[0])
    if vr in _LONG_VRS:
        if len(head) < 12:
            raise PixelProblem("pixels_short")
        return (group << 16) | elem, vr, start + 12, int(struct.unpack_from(e + "L", head, 8)[0])
    return (group << 16) | elem, vr, start + 8, int(struct.unpack_from(e + "H", head, 6)[0])


def clip_rects(rects: list[Rect] | tuple[Rect, ...], rows: int, columns: int) -> tuple[Rect, ...]:
    """The rectangles cut to the image; those left empty are dropped, duplicates kept once.

    Raises ValueError for a negative position or a non-positive size (profiles and the
    detector validate theirs first: this is a programming error).
    """
    out: list[Rect] = []
    for rect in rects:
        x, y, w, h = (int(v) for v in rect)
        if x < 0 or y < 0 or w <= 0 or h <= 0:
            raise ValueError("a rectangle needs x, y >= 0 and w, h > 0")
        clipped = Rect(x, y, min(w, columns - x), min(h, rows - y))
        if clipped.w > 0 and clipped.h > 0 and clipped not in out:
            out.append(clipped)
    return tuple(out)


def fill_samples(pi: str, samples: int, bits_stored: int, signed: bool) -> tuple[int, ...]:
    """The stored sample values that show black in ``pi``: 0, except MONOCHROME1 (its top
    value) and YBR_FULL/YBR_FULL_422 (Y=0 with neutral chroma). PALETTE COLOR gets index 0."""
    top = (1 << (bits_stored - 1)) - 1 if signed else (1 << bits_stored) - 1
    if pi == "MONOCHROME1":
        return (top,)
    if pi in ("YBR_FULL", "YBR_FULL_422") and samples == 3:
        half = 1 << (bits_stored - 1)
        return (0, half, half)
    return (0,) * samples
