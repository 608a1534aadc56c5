"""Writing a de-identified header as a Part 10 file, with the input's pixel data copied raw.

:func:`write_file` encodes the header (:mod:`dcmscrub.dicomio.encode`), then copies the pixel data
element byte for byte from the input in 1 MiB blocks, then any elements that followed it, all in
the input's transfer syntax. The pixels are never decoded, unless a :class:`PixelPlan` says which
rectangles to blank (Clean Pixel Data): the header then gets the plan's changes (transfer syntax,
photometric interpretation, lossy history) and the pixel data is streamed through
:func:`dcmscrub.dicomio.pixels.write_pixels`, one frame in memory at a time.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import UID, ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from dcmscrub._version import __version__
from dcmscrub.dicomio.encode import encode_dataset, encode_file_meta
from dcmscrub.dicomio.pixels import BlankReport, PixelPlan, apply_plan, write_pixels
from dcmscrub.dicomio.read import Header, quiet_pydicom
from dcmscrub.dicomio.sniff import PREAMBLE
from dcmscrub.outcomes import FileProblem, Reason

# dcmscrub's implementation class UID (PS3.7 D.3.3.2): a fixed UUID rendered under 2.25
IMPLEMENTATION_CLASS_UID = UID("2.25.253367069446349683315096463981946612437")
IMPLEMENTATION_VERSION_NAME = "DCMSCRUB_" + __version__.replace(".", "_")[:7]
COPY_BLOCK = 1 << 20


def ensure_file_meta(header: Header) -> None:
    """Give a raw (preamble-less) dataset the file meta a Part 10 file needs."""
    ds = header.ds
    meta = getattr(ds, "file_meta", None)
    if meta is None or "TransferSyntaxUID" not in meta:
        new = FileMetaDataset() if meta is None else meta
        if header.implicit_vr:
            new.TransferSyntaxUID = ImplicitVRLittleEndian
        elif header.little_endian:
            new.TransferSyntaxUID = ExplicitVRLittleEndian
        else:
            new.TransferSyntaxUID = ExplicitVRBigEndian
        ds.file_meta = new
    ds.file_meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    ds.file_meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    if "SOPClassUID" in ds:
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    if "SOPInstanceUID" in ds:
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID


def _give_vrs(ds: Dataset) -> None:
    """Decode elements read as implicit VR inside an explicit VR file (some writers switch
    mid-file): writing them explicitly needs their VR from the dictionary."""
    for tag, elem in list(ds._dict.items()):
        if isinstance(elem, RawDataElement):
            if elem.VR is None:
                ds[tag]
        elif elem.VR == "SQ":
            for item in elem.value or []:
                _give_vrs(item)


def write_file(
    out: BinaryIO, header: Header, src: BinaryIO, pixels: PixelPlan | None = None
) -> BlankReport | None:
    """Write the de-identified ``header`` as a Part 10 file, then its pixel data, then any
    elements that followed the pixel data, in the input's transfer syntax.

    With ``pixels`` (a plan made from this input), the plan's rectangles are blanked on the way
    and its report returned. A :class:`~dcmscrub.dicomio.pixels.PixelProblem` may then be raised
    after part of the output is written: the caller discards the output (the worker writes under
    a temporary name that an exception removes)."""
    ensure_file_meta(header)
    ds = header.ds
    if pixels is not None:
        if header.deflated or header.pixel_start != pixels.facts.element_start:
            raise FileProblem(Reason.INTERNAL)  # a plan for another file, or for no pixel data
        apply_plan(ds, pixels)
    if not header.implicit_vr:
        _give_vrs(ds)
    after = {t: ds._dict[t] for t in list(ds._dict) if header.pixel_start is not None and int(t) > 0x7FE00010}
    for t in after:
        del ds._dict[t]
    with quiet_pydicom():
        # pydicom writes element by element; collecting the header in memory turns hundreds of
        # tiny writes into one (the header is small: the pixel data is copied apart below)
        buffer = io.BytesIO()
        if header.deflated:
            dcmwrite(buffer, ds, enforce_file_format=True)
            out.write(buffer.getbuffer())
            return None
        _write_part10(buffer, header)
        out.write(buffer.getbuffer())
        if header.pixel_start is None or header.pixel_end is None:
            return None
        report = None
        if pixels is None:
            _copy_range(src, out, header.pixel_start, header.pixel_end)
        else:
            report = write_pixels(pixels, src, out)
        if after:
            tail = Dataset()
            tail._dict.update(after)
            tail_bytes = bytearray()
            encode_dataset(tail, header.implicit_vr, header.little_endian, tail_bytes)
            out.write(tail_bytes)
        return report


def _write_part10(out: io.BytesIO, header: Header) -> None:
    """Preamble, file meta and data set, in the input's transfer syntax."""
    ds = header.ds
    preamble = getattr(ds, "preamble", None) or b"\x00" * PREAMBLE
    out.write(preamble[:PREAMBLE].ljust(PREAMBLE, b"\x00") + b"DICM")
    out.write(encode_file_meta(ds.file_meta))
    body = bytearray()
    encode_dataset(ds, header.implicit_vr, header.little_endian, body)
    out.write(body)


def _copy_range(src: BinaryIO, out: BinaryIO, start: int, end: int) -> None:
    src.seek(start)
    left = end - start
    while left:
        block = src.read(min(COPY_BLOCK, left))
        if not block:
            raise FileProblem(Reason.TRUNCATED)
        out.write(block)
        left -= len(block)
