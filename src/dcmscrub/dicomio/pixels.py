"""Writing pixel data with rectangles blanked (the Clean Pixel Data option), streaming.

The header is written before the pixel data, so blanking is three steps:

1. :func:`plan_blanking` -- from the :class:`PixelFacts` of a file and the rectangles, decide
   what the output will be: None when nothing is to blank (the caller then copies the pixel
   data byte for byte, and the file stays byte-identical), else a :class:`PixelPlan` naming
   the output transfer syntax and the header attributes that must follow it. For compressed
   data the first frame is decoded, blanked and re-encoded here, so that a file that cannot go
   through fails before anything is written.
2. :func:`apply_plan` -- set those attributes on the de-identified header, then write it.
3. :func:`write_pixels` -- stream the pixel data element, blanked, after the header.

Native pixel data is blanked in place, frame by frame; RLE is decoded and re-encoded as RLE;
the JPEG family is decoded and re-encoded as JPEG 2000 Lossless (see pixelencap). Memory holds
one frame at a time whatever the file size. Every failure is a :class:`PixelProblem` with a
fixed code: the caller quarantines the file (fail closed) and discards a partial output.
:func:`iter_frames` decodes frames for the optional text detector.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from pydicom.dataset import Dataset
from pydicom.uid import UID

from dcmscrub.dicomio.pixelencap import (
    TARGET,
    Decoded,
    LossyHistory,
    compressed_size,
    header_changes,
    iter_encapsulated,
    lossy_history,
    plan_encapsulated,
    target_syntax,
    write_encapsulated,
)
from dcmscrub.dicomio.pixelfacts import (
    NATIVE_SYNTAXES,
    PixelFacts,
    PixelProblem,
    Rect,
    clip_rects,
    pixel_facts,
)
from dcmscrub.dicomio.pixelnative import blank_native

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "BlankReport",
    "PixelFacts",
    "PixelPlan",
    "PixelProblem",
    "Rect",
    "apply_plan",
    "iter_frames",
    "pixel_facts",
    "plan_blanking",
    "write_pixels",
]


@dataclass(frozen=True)
class PixelPlan:
    """What blanking one file's pixel data will produce.

    ``changes`` maps attribute keywords to their new values (None: remove the attribute);
    ``transfer_syntax`` is the output's (the input's for native and RLE data).
    """

    facts: PixelFacts
    rects: tuple[Rect, ...]
    frames: frozenset[int] | None  # frame indices to blank (0-based); None: every frame
    transfer_syntax: str
    changes: dict[str, Any] = field(default_factory=dict)
    lossy: LossyHistory | None = None
    decoded: Decoded | None = None

    @property
    def reencodes(self) -> bool:
        return self.decoded is not None


@dataclass(frozen=True)
class BlankReport:
    """What was done, for the audit record (counts only, never pixel or text content)."""

    regions: int
    frames: int


def plan_blanking(
    facts: PixelFacts,
    rects: list[Rect] | tuple[Rect, ...],
    src: BinaryIO,
    *,
    frames: Collection[int] | None = None,
) -> PixelPlan | None:
    """Plan blanking ``rects`` (x, y, w, h) in ``frames`` (all when None) of the file ``src``.

    Returns None when no rectangle meets the image or no frame is named: the pixel data is
    then to be copied unchanged. Raises :class:`PixelProblem`.
    """
    clipped = clip_rects(rects, facts.rows, facts.columns)
    chosen = None if frames is None else frozenset(i for i in frames if 0 <= i < facts.number_of_frames)
    if not clipped or chosen == frozenset():
        return None
    if facts.transfer_syntax in NATIVE_SYNTAXES:
        return PixelPlan(facts, clipped, chosen, facts.transfer_syntax)
    if facts.transfer_syntax not in TARGET:
        raise PixelProblem("pixels_unsupported_syntax")
    decoded = plan_encapsulated(facts, clipped, src)
    size = compressed_size(facts, src)
    return PixelPlan(
        facts,
        clipped,
        chosen,
        target_syntax(facts),
        header_changes(facts, decoded),
        lossy_history(facts, size),
        decoded,
    )


def apply_plan(ds: Dataset, plan: PixelPlan) -> None:
    """Set the header attributes the planned pixel data needs (before the header is written).

    Lossy history stays true: when the source syntax is lossy, LossyImageCompression becomes
    "01" (kept "00" only for JPEG-LS near-lossless and JPEG 2000 syntaxes whose writer said
    it used them reversibly) and a missing LossyImageCompressionMethod/Ratio is filled in with
    the source's method and the ratio its pixel data shows.
    """
    if plan.transfer_syntax != plan.facts.transfer_syntax:
        ds.file_meta.TransferSyntaxUID = UID(plan.transfer_syntax)
    for keyword, value in plan.changes.items():
        if value is None:
            if keyword in ds:
                delattr(ds, keyword)
        elif ds.get(keyword) != value:
            setattr(ds, keyword, value)
    lossy = plan.lossy
    if lossy is None:
        return
    claimed = str(ds.get("LossyImageCompression", "") or "").strip()
    if claimed == "00" and not lossy.always:
        return
    ds.LossyImageCompression = "01"
    if not ds.get("LossyImageCompressionMethod"):
        ds.LossyImageCompressionMethod = lossy.method
        if not ds.get("LossyImageCompressionRatio"):
            ds.LossyImageCompressionRatio = lossy.ratio


def write_pixels(plan: PixelPlan, src: BinaryIO, out: BinaryIO) -> BlankReport:
    """Write the blanked pixel data element (tag to end) to ``out``, a sequential stream.

    Raises :class:`PixelProblem`; ``out`` then holds a partial element and must be discarded.
    """
    facts = plan.facts
    if plan.decoded is None:
        frames = blank_native(facts, plan.rects, plan.frames, src, out)
    else:
        frames = write_encapsulated(facts, plan.decoded, plan.rects, plan.frames, src, out)
    return BlankReport(regions=len(plan.rects), frames=frames)


def iter_frames(facts: PixelFacts, src: BinaryIO) -> Iterator[tuple[np.ndarray, str]]:
    """Yield each frame decoded (stored samples, (rows, columns[, samples])) with its
    photometric interpretation, one frame in memory at a time: for the text detector."""
    if facts.transfer_syntax not in NATIVE_SYNTAXES:
        if facts.transfer_syntax not in TARGET:
            raise PixelProblem("pixels_unsupported_syntax")
        yield from iter_encapsulated(facts, src)
        return
    try:
        import numpy as np
    except ImportError:
        raise PixelProblem("pixels_no_codec") from None
    kind = "i" if facts.pixel_representation else "u"
    dtype = np.dtype(f"{'<' if facts.little_endian else '>'}{kind}{facts.bits_allocated // 8}")
    pi = facts.photometric_interpretation
    for index in range(facts.number_of_frames):
        src.seek(facts.value_start + index * facts.frame_bytes)
        data = src.read(facts.frame_bytes + (facts.frame_bytes & 1 if facts.swapped else 0))
        if len(data) < facts.frame_bytes:
            raise PixelProblem("pixels_short")
        if facts.swapped:
            ordered = bytearray(data)
            ordered[0::2], ordered[1::2] = ordered[1::2], ordered[0::2]
            data = bytes(ordered)
        flat = np.frombuffer(data[: facts.frame_bytes], dtype=dtype)
        if pi == "YBR_FULL_422":
            pairs = flat.reshape(facts.rows, facts.columns // 2, 4)
            frame = np.empty((facts.rows, facts.columns, 3), dtype=dtype)
            frame[:, 0::2, 0], frame[:, 1::2, 0] = pairs[..., 0], pairs[..., 1]
            frame[:, :, 1] = np.repeat(pairs[..., 2], 2, axis=1)
            frame[:, :, 2] = np.repeat(pairs[..., 3], 2, axis=1)
            yield frame, "YBR_FULL"
        elif facts.samples_per_pixel == 1:
            yield flat.reshape(facts.rows, facts.columns), pi
        elif facts.planar_configuration == 0:
            yield flat.reshape(facts.rows, facts.columns, 3), pi
        else:
            yield flat.reshape(3, facts.rows, facts.columns).transpose(1, 2, 0), pi
