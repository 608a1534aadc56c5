"""Blanking encapsulated (compressed) pixel data: decode a frame, blank it, re-encode it.

Frames are decoded one at a time with pydicom's decoders (pylibjpeg and its plugins) in their
raw form (no colour conversion by pydicom, so a lossless source keeps its exact samples) and
re-encoded losslessly:

* RLE Lossless stays RLE Lossless (fast, same syntax, header unchanged);
* every JPEG family syntax (baseline, extended, lossless, JPEG-LS, JPEG 2000, HTJ2K) becomes
  JPEG 2000 Lossless Only (1.2.840.10008.1.2.4.90): the only lossless encoder pydicom drives
  with the codec packages already needed to decode them (pylibjpeg-openjpeg), readable by
  every viewer that reads JPEG 2000, and 2-10x smaller than RLE on ultrasound (REPORT.md).
  Colour frames decoded as RGB are encoded with the reversible colour transform (YBR_RCT);
  frames decoded as YBR_FULL stay YBR_FULL.

The output is written as it is encoded: an empty Basic Offset Table (the output stream cannot
seek back to fill one in) and one fragment per frame, which PS3.5 A.4 allows and readers
resolve by counting fragments.
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from dcmscrub.dicomio.pixelfacts import PixelFacts, PixelProblem, Rect, fill_samples

if TYPE_CHECKING:
    import numpy as np

RLE = "1.2.840.10008.1.2.5"
J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
# source syntax -> output syntax; a syntax not listed (MPEG-2/4, HEVC, JPEG XL, ...) fails closed
TARGET = {
    RLE: RLE,
    "1.2.840.10008.1.2.4.50": J2K_LOSSLESS,  # JPEG baseline
    "1.2.840.10008.1.2.4.51": J2K_LOSSLESS,  # JPEG extended 12-bit
    "1.2.840.10008.1.2.4.57": J2K_LOSSLESS,  # JPEG lossless
    "1.2.840.10008.1.2.4.70": J2K_LOSSLESS,  # JPEG lossless SV1
    "1.2.840.10008.1.2.4.80": J2K_LOSSLESS,  # JPEG-LS lossless
    "1.2.840.10008.1.2.4.81": J2K_LOSSLESS,  # JPEG-LS near-lossless
    J2K_LOSSLESS: J2K_LOSSLESS,
    "1.2.840.10008.1.2.4.91": J2K_LOSSLESS,  # JPEG 2000 (lossy allowed)
    "1.2.840.10008.1.2.4.201": J2K_LOSSLESS,  # HTJ2K lossless
    "1.2.840.10008.1.2.4.202": J2K_LOSSLESS,  # HTJ2K lossless RPCL
    "1.2.840.10008.1.2.4.203": J2K_LOSSLESS,  # HTJ2K (lossy allowed)
}
# syntaxes that may be lossy -> Lossy Image Compression Method (PS3.3 C.7.6.1.1.5.1)
LOSSY_METHOD = {
    "1.2.840.10008.1.2.4.50": "ISO_10918_1",
    "1.2.840.10008.1.2.4.51": "ISO_10918_1",
    "1.2.840.10008.1.2.4.81": "ISO_14495_1",
    "1.2.840.10008.1.2.4.91": "ISO_15444_1",
    "1.2.840.10008.1.2.4.203": "ISO_15444_15",
}
ALWAYS_LOSSY = frozenset({"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"})  # DCT processes
_ITEM = struct.pack("<HH", 0xFFFE, 0xE000)
_SEQ_END = struct.pack("<HHL", 0xFFFE, 0xE0DD, 0)
_ELEMENT = struct.pack("<HH2sHL", 0x7FE0, 0x0010, b"OB", 0, 0xFFFFFFFF) + _ITEM + b"\x00" * 4


@dataclass(frozen=True)
class Decoded:
    """How frames come out of the decoder, and how they go into the encoder."""

    photometric_interpretation: str  # of the decoded samples
    bits_allocated: int
    bits_stored: int
    pixel_representation: int
    out_photometric_interpretation: str  # what the encoded output is labelled


# openjpeg encodes 6 resolution levels, which needs 32 pixels on each side: smaller images
# (icons, test files) go to RLE Lossless instead
J2K_MIN_SIDE = 32


def target_syntax(facts: PixelFacts) -> str:
    """The transfer syntax the blanked output is written in."""
    target = TARGET[facts.transfer_syntax]
    if target == J2K_LOSSLESS and min(facts.rows, facts.columns) < J2K_MIN_SIDE:
        return RLE
    return target


def plan_encapsulated(facts: PixelFacts, rects: tuple[Rect, ...], src: BinaryIO) -> Decoded:
    """Decode, blank and encode the first frame (so that a file that cannot go through fails
    before its header is written) and say what the frames look like."""
    if facts.transfer_syntax not in TARGET:
        raise PixelProblem("pixels_unsupported_syntax")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = next(_fragmented_frames(facts, src), None)
    if first is None:
        raise PixelProblem("pixels_frame_count")
    frame, props = _decode_one(facts, b"".join(first))
    pi = _decoded_pi(props)
    out_pi = pi
    if target_syntax(facts) == J2K_LOSSLESS and facts.samples_per_pixel == 3 and pi == "RGB":
        out_pi = "YBR_RCT"
    decoded = Decoded(
        pi,
        int(props["bits_allocated"]),
        int(props["bits_stored"]),
        int(props["pixel_representation"]),
        out_pi,
    )
    _encode(facts, decoded, _blank(frame, rects, decoded))
    return decoded


def header_changes(facts: PixelFacts, decoded: Decoded) -> dict[str, Any]:
    """Attribute keyword -> new value (None: remove) for the re-encoded output."""
    target = target_syntax(facts)
    changes: dict[str, Any] = {
        "PhotometricInterpretation": decoded.out_photometric_interpretation,
        "BitsAllocated": decoded.bits_allocated,
        "BitsStored": decoded.bits_stored,
        "HighBit": decoded.bits_stored - 1,
        "PixelRepresentation": decoded.pixel_representation,
        # the output has its own fragments: offsets of the input's would be wrong
        "ExtendedOffsetTable": None,
        "ExtendedOffsetTableLengths": None,
    }
    if facts.samples_per_pixel > 1 and target != RLE:
        changes["PlanarConfiguration"] = 0  # JPEG 2000 interleaves (PS3.5 8.2.4)
    return changes


@dataclass(frozen=True)
class LossyHistory:
    """What the source's compression says about loss: the method, the ratio it achieved, and
    whether it is lossy whatever the file claims (JPEG DCT) or may have been used reversibly."""

    method: str
    ratio: str
    always: bool


def lossy_history(facts: PixelFacts, compressed_size: int) -> LossyHistory | None:
    """The lossy compression the source syntax may carry, None for a lossless syntax."""
    method = LOSSY_METHOD.get(facts.transfer_syntax)
    if method is None:
        return None
    stored = facts.rows * facts.columns * facts.samples_per_pixel * facts.bits_allocated // 8
    ratio = stored * facts.number_of_frames / max(compressed_size, 1)
    return LossyHistory(method, _ds(ratio), facts.transfer_syntax in ALWAYS_LOSSY)


def compressed_size(facts: PixelFacts, src: BinaryIO) -> int:
    """Bytes in the fragments of the encapsulated pixel data (item headers excluded)."""
    pos, total, first = facts.value_start, 0, True
    while True:
        src.seek(pos)
        head = src.read(8)
        if len(head) < 8:
            raise PixelProblem("pixels_short")
        group, elem, length = struct.unpack("<HHL", head)
        if (group, elem) == (0xFFFE, 0xE0DD):
            return total
        if (group, elem) != (0xFFFE, 0xE000) or length == 0xFFFFFFFF:
            raise PixelProblem("pixels_undecodable")
        total += 0 if first else length  # the first item is the Basic Offset Table
        first = False
        pos += 8 + length


def write_encapsulated(
    facts: PixelFacts,
    decoded: Decoded,
    rects: tuple[Rect, ...],
    frames: Collection[int] | None,
    src: BinaryIO,
    out: BinaryIO,
) -> int:
    """Write the new pixel data element; return how many frames were blanked."""
    out.write(_ELEMENT)
    with warnings.catch_warnings():
        # pydicom warns when it finds fewer frames than expected: counted below
        warnings.simplefilter("ignore")
        changed = _write_frames(facts, decoded, rects, frames, src, out)
    out.write(_SEQ_END)
    return changed


def _write_frames(
    facts: PixelFacts,
    decoded: Decoded,
    rects: tuple[Rect, ...],
    frames: Collection[int] | None,
    src: BinaryIO,
    out: BinaryIO,
) -> int:
    same_syntax = target_syntax(facts) == facts.transfer_syntax
    changed = count = 0
    for index, fragments in enumerate(_fragmented_frames(facts, src)):
        count += 1
        if count > facts.number_of_frames:
            raise PixelProblem("pixels_frame_count")
        selected = frames is None or index in frames
        if same_syntax and not selected:
            for fragment in fragments:  # an untouched frame keeps its codestream
                _write_item(out, fragment)
            continue
        frame, props = _decode_one(facts, b"".join(fragments))
        if _decoded_pi(props) != decoded.photometric_interpretation:
            raise PixelProblem("pixels_inconsistent")
        if selected:
            frame = _blank(frame, rects, decoded)
            changed += 1
        _write_item(out, _encode(facts, decoded, frame))
    if count != facts.number_of_frames:
        raise PixelProblem("pixels_frame_count")
    return changed


def iter_encapsulated(facts: PixelFacts, src: BinaryIO) -> Iterator[tuple[np.ndarray, str]]:
    """Yield each decoded frame (raw samples) with its photometric interpretation."""
    for index, fragments in enumerate(_fragmented_frames(facts, src)):
        if index >= facts.number_of_frames:
            raise PixelProblem("pixels_frame_count")
        frame, props = _decode_one(facts, b"".join(fragments))
        yield frame, _decoded_pi(props)


def _fragmented_frames(facts: PixelFacts, src: BinaryIO) -> Iterator[tuple[bytes, ...]]:
    from pydicom.encaps import generate_fragmented_frames

    src.seek(facts.value_start)
    try:
        yield from generate_fragmented_frames(
            src, number_of_frames=facts.number_of_frames, extended_offsets=facts.extended_offsets
        )
    except (ValueError, struct.error, EOFError):
        raise PixelProblem("pixels_undecodable") from None


def _decode_one(facts: PixelFacts, codestream: bytes) -> tuple[np.ndarray, dict[str, Any]]:
    try:
        from pydicom.encaps import encapsulate
        from pydicom.pixels.decoders.base import get_decoder
    except ImportError:
        raise PixelProblem("pixels_no_codec") from None
    decoder = get_decoder(facts.transfer_syntax)
    plugins = decoder.available_plugins
    options: dict[str, Any] = {
        "rows": facts.rows,
        "columns": facts.columns,
        "samples_per_pixel": facts.samples_per_pixel,
        "bits_allocated": facts.bits_allocated,
        "bits_stored": facts.bits_stored,
        "pixel_representation": facts.pixel_representation,
        "photometric_interpretation": facts.photometric_interpretation,
        "planar_configuration": facts.planar_configuration,
        "number_of_frames": 1,
    }
    if not plugins:
        raise PixelProblem("pixels_no_codec")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame, props = decoder.as_array(
                encapsulate([codestream]),
                raw=True,
                decoding_plugin="pylibjpeg" if "pylibjpeg" in plugins else "",
                **options,
            )
        except Exception:
            raise PixelProblem("pixels_undecodable") from None
    return frame, props


def _decoded_pi(props: dict[str, Any]) -> str:
    # a decoded frame has full resolution chroma whatever its label (JPEG 4:2:2 upsampled)
    pi = str(props["photometric_interpretation"])
    return "YBR_FULL" if pi == "YBR_FULL_422" else pi


def _blank(frame: np.ndarray, rects: tuple[Rect, ...], decoded: Decoded) -> np.ndarray:
    samples = frame.shape[2] if frame.ndim == 3 else 1
    fill = fill_samples(
        decoded.photometric_interpretation, samples, decoded.bits_stored, decoded.pixel_representation == 1
    )
    for x, y, w, h in rects:
        frame[y : y + h, x : x + w] = fill if samples > 1 else fill[0]
    return frame


def _encode(facts: PixelFacts, decoded: Decoded, frame: np.ndarray) -> bytes:
    from pydicom.pixels.encoders.base import get_encoder

    target = target_syntax(facts)
    encoder = get_encoder(target)
    plugins = encoder.available_plugins
    if not plugins:
        raise PixelProblem("pixels_no_codec")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return encoder.encode(
                frame,
                # pydicom's RLE profile stops at 16 bits; the encoder itself takes 32 and 64
                validate=not (target == RLE and decoded.bits_allocated > 16),
                encoding_plugin="pylibjpeg" if "pylibjpeg" in plugins else "",
                rows=facts.rows,
                columns=facts.columns,
                samples_per_pixel=facts.samples_per_pixel,
                bits_allocated=decoded.bits_allocated,
                bits_stored=decoded.bits_stored,
                pixel_representation=decoded.pixel_representation,
                photometric_interpretation=decoded.out_photometric_interpretation,
                planar_configuration=0,
                number_of_frames=1,
            )
        except Exception:
            raise PixelProblem("pixels_unencodable") from None


def _write_item(out: BinaryIO, fragment: bytes) -> None:
    pad = len(fragment) & 1
    out.write(_ITEM + struct.pack("<L", len(fragment) + pad))
    out.write(fragment)
    if pad:
        out.write(b"\x00")


def _ds(value: float) -> str:
    """A Decimal String of at most 16 characters."""
    text = f"{value:.4g}" if value < 1e6 else f"{value:.6e}"
    return text[:16]
