"""Test helpers for pixel blanking: build Part 10 files in memory, blank them the way the worker
will (plan, apply to the header, write the header, stream the pixels), decode them, and say
what a blanked frame must look like. Not part of the package."""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence

import numpy as np
from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.filewriter import dcmwrite
from pydicom.pixels import get_encoder, pixel_array

from dcmscrub.dicomio.pixels import (
    BlankReport,
    PixelFacts,
    PixelPlan,
    Rect,
    apply_plan,
    pixel_facts,
    plan_blanking,
    write_pixels,
)

IMPLICIT_LE = "1.2.840.10008.1.2"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
RLE = "1.2.840.10008.1.2.5"
J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
SC = "1.2.840.10008.5.1.4.1.1.7"


def facts_of(data: bytes) -> tuple[Dataset, PixelFacts, io.BytesIO]:
    fh = io.BytesIO(data)
    ds = dcmread(fh, stop_before_pixels=True)
    facts = pixel_facts(
        ds, fh, fh.tell(), implicit_vr=ds.original_encoding[0], little_endian=ds.original_encoding[1]
    )
    return ds, facts, fh


def plan_file(data: bytes, rects: Sequence[Rect], frames: Collection[int] | None = None) -> PixelPlan | None:
    _, facts, fh = facts_of(data)
    return plan_blanking(facts, list(rects), fh, frames=frames)


def blank_file(
    data: bytes, rects: Sequence[Rect], frames: Collection[int] | None = None
) -> tuple[bytes, BlankReport | None]:
    """The file with ``rects`` blanked; the input itself (the same bytes) when nothing is to do."""
    ds, facts, fh = facts_of(data)
    plan = plan_blanking(facts, list(rects), fh, frames=frames)
    if plan is None:
        return data, None
    apply_plan(ds, plan)
    out = io.BytesIO()
    dcmwrite(out, ds, enforce_file_format=True)
    report = write_pixels(plan, fh, out)
    return out.getvalue(), report


def decode(data: bytes) -> np.ndarray:
    """All frames, (frames, rows, columns[, samples]), raw (no colour conversion)."""
    arr = pixel_array(io.BytesIO(data), raw=True)
    ds = dcmread(io.BytesIO(data), stop_before_pixels=True)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    return arr if frames > 1 else arr[None]


def image_dataset(
    syntax: str,
    rows: int,
    cols: int,
    frames: int,
    spp: int,
    bits: int,
    stored: int,
    signed: bool,
    pi: str,
    planar: int = 0,
) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.file_meta.MediaStorageSOPClassUID = SC
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.3.4"
    ds.SOPClassUID, ds.SOPInstanceUID = SC, "1.2.3.4"
    ds.Modality = "OT"
    ds.Rows, ds.Columns, ds.SamplesPerPixel = rows, cols, spp
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits, stored, stored - 1
    ds.PixelRepresentation = int(signed)
    ds.PhotometricInterpretation = pi
    if spp > 1:
        ds.PlanarConfiguration = planar
    if frames > 1:
        ds.NumberOfFrames = frames
    return ds


def native_file(ds: Dataset, frames: np.ndarray, *, ow_swapped: bool = False) -> bytes:
    """A native file holding ``frames`` ((n, rows, cols[, spp]) in the dataset's layout)."""
    syntax = ds.file_meta.TransferSyntaxUID
    arr = frames
    if ds.SamplesPerPixel > 1 and ds.get("PlanarConfiguration", 0) == 1:
        arr = arr.transpose(0, 3, 1, 2)
    order = ">" if syntax == EXPLICIT_BE else "<"
    raw = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder(order)).tobytes()
    if len(raw) & 1:
        raw += b"\x00"
    if ow_swapped:  # 8-bit samples in an OW value of a big endian file
        swapped = bytearray(raw)
        swapped[0::2], swapped[1::2] = swapped[1::2], swapped[0::2]
        raw = bytes(swapped)
    ds.PixelData = raw
    ds["PixelData"].VR = "OW" if ds.BitsAllocated > 8 or ow_swapped else "OB"
    out = io.BytesIO()
    dcmwrite(out, ds, enforce_file_format=True)
    return out.getvalue()


def encoded_file(ds: Dataset, codestreams: list[bytes], *, with_bot: bool = False) -> bytes:
    ds.PixelData = encapsulate(codestreams, has_bot=with_bot)
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    out = io.BytesIO()
    dcmwrite(out, ds, enforce_file_format=True)
    return out.getvalue()


def encode_frames(syntax: str, ds: Dataset, frames: np.ndarray) -> list[bytes]:
    encoder = get_encoder(syntax)
    return [
        encoder.encode(
            frame,
            rows=ds.Rows,
            columns=ds.Columns,
            samples_per_pixel=ds.SamplesPerPixel,
            bits_allocated=ds.BitsAllocated,
            bits_stored=ds.BitsStored,
            pixel_representation=ds.PixelRepresentation,
            photometric_interpretation=ds.PhotometricInterpretation,
            planar_configuration=0,
            number_of_frames=1,
            validate=ds.BitsAllocated <= 16,
        )
        for frame in frames
    ]


def black(pi: str, stored: int, signed: bool, samples: int) -> tuple[int, ...]:
    """The fill the blanked region must hold (written out again here, independently)."""
    if pi == "MONOCHROME1":
        return ((1 << (stored - 1)) - 1,) if signed else ((1 << stored) - 1,)
    if pi.startswith("YBR_FULL"):
        return (0, 1 << (stored - 1), 1 << (stored - 1))
    return (0,) * samples


def mask_of(rects: Sequence[Rect], rows: int, cols: int, *, pairs: bool = False) -> np.ndarray:
    mask = np.zeros((rows, cols), bool)
    for x, y, w, h in rects:
        x0, x1 = x, x + w
        if pairs:  # YBR_FULL_422 blanks whole pixel pairs
            x0, x1 = x0 // 2 * 2, (x1 + 1) // 2 * 2
        mask[y : y + h, x0:x1] = True
    return mask


def expected(
    before: np.ndarray, mask: np.ndarray, fill: tuple[int, ...], frames: Collection[int] | None = None
) -> np.ndarray:
    out = before.copy()
    for index in range(len(out)):
        if frames is None or index in frames:
            out[index][mask] = fill if out.ndim == 4 else fill[0]
    return out
