"""Writing a de-identified header as a Part 10 file, with the input's pixel data copied raw.

:func:`encode_output` encodes the header (:mod:`dcmscrub.dicomio.encode`) with a zero preamble and
a file meta group built from an allow-list; :func:`write_encoded` writes it, copies the pixel data
element byte for byte from the input in 1 MiB blocks, then any elements that followed it, all in
the input's transfer syntax. The pixels are never decoded, unless a :class:`PixelPlan` says which
rectangles to blank (Clean Pixel Data): the header then gets the plan's changes (transfer syntax,
photometric interpretation, lossy history) before it is encoded, and the pixel data is streamed
through :func:`dcmscrub.dicomio.pixels.write_pixels`, one frame in memory at a time. Between
encoding and writing, the worker's gate reads the encoded plaintext.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import BinaryIO

from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import UID, ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from dcmscrub._version import __version__
from dcmscrub.dicomio.elements import FILE_META_ALLOWED
from dcmscrub.dicomio.encode import encode_dataset, encode_file_meta
from dcmscrub.dicomio.pixels import BlankReport, PixelPlan, apply_plan, write_pixels
from dcmscrub.dicomio.read import Header, quiet_pydicom
from dcmscrub.dicomio.sniff import PREAMBLE
from dcmscrub.outcomes import FileProblem, Reason

# dcmscrub's implementation class UID (PS3.7 D.3.3.2): a fixed UUID rendered under 2.25
IMPLEMENTATION_CLASS_UID = UID("2.25.253367069446349683315096463981946612437")
IMPLEMENTATION_VERSION_NAME = "DCMSCRUB_" + __version__.replace(".", "_")[:7]
COPY_BLOCK = 1 << 20


_UID_RE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_UID_MAX = 64


def _uid_text(value: object) -> str:
    """A UID value as text ('' when missing); one that is not digits and dots is damage."""
    text = str(value or "").strip(" \x00")
    if text and (len(text) > _UID_MAX or not _UID_RE.fullmatch(text)):
        raise FileProblem(Reason.CORRUPT)
    return text


def _value(ds: Dataset, keyword: str) -> object:
    try:
        return ds.get(keyword)
    except Exception:
        raise FileProblem(Reason.CORRUPT) from None


def build_file_meta(header: Header) -> None:
    """Give the output a file meta group built from an allow-list (PS3.10 7.1), never copied:
    version 00\\01, the media storage SOP class and instance of the object itself, its transfer
    syntax, and dcmscrub's implementation class UID and version name. Nothing else of the input's
    file meta reaches the output (elements.FILE_META_ALLOWED)."""
    ds = header.ds
    old = getattr(ds, "file_meta", None) or Dataset()
    syntax = _uid_text(_value(old, "TransferSyntaxUID"))
    if not syntax:
        if header.implicit_vr:
            syntax = ImplicitVRLittleEndian
        elif header.little_endian:
            syntax = ExplicitVRLittleEndian
        else:
            syntax = ExplicitVRBigEndian
    sop_class = _uid_text(_value(ds, "SOPClassUID")) or _uid_text(_value(old, "MediaStorageSOPClassUID"))
    sop = _uid_text(_value(ds, "SOPInstanceUID"))
    meta = FileMetaDataset()
    meta.FileMetaInformationVersion = b"\x00\x01"
    if sop_class:
        meta.MediaStorageSOPClassUID = UID(sop_class)
    if sop:
        meta.MediaStorageSOPInstanceUID = UID(sop)
    meta.TransferSyntaxUID = UID(syntax)
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    assert set(meta.keys()) <= FILE_META_ALLOWED
    ds.file_meta = meta


def _give_vrs(ds: Dataset) -> None:
    """Decode elements read as implicit VR inside an explicit VR file (some writers switch
    mid-file): writing them explicitly needs their VR from the dictionary."""
    for tag, elem in list(ds._dict.items()):
        if isinstance(elem, RawDataElement):
            if elem.VR is None:
                try:
                    ds[tag]
                except Exception:
                    raise FileProblem(Reason.CORRUPT) from None
        elif elem.VR == "SQ":
            for item in elem.value or []:
                _give_vrs(item)


@dataclass(frozen=True)
class Encoded:
    """An output before it is written: ``head`` is everything before the pixel data (a zero
    preamble, ``DICM``, the file meta group, the data set), ``tail`` the elements that followed the
    pixel data. A deflated output is encoded whole into ``head``. This plaintext is what the
    residual-identifier gate reads before a byte reaches the sink."""

    head: bytes
    tail: bytes
    implicit_vr: bool
    little_endian: bool
    deflated: bool


def encode_output(header: Header, pixels: PixelPlan | None = None) -> Encoded:
    """Encode the de-identified ``header`` (file meta built anew, a zero preamble), in the input's
    transfer syntax (or the one ``pixels``, a plan made from this input, sets), without its pixel
    data. Raises :class:`FileProblem` (``corrupt``) for a value that breaks its VR's rules
    (dicomio.encode)."""
    build_file_meta(header)
    ds = header.ds
    if pixels is not None:
        if header.deflated or header.pixel_start != pixels.facts.element_start:
            raise FileProblem(Reason.INTERNAL)  # a plan for another file, or for no pixel data
        apply_plan(ds, pixels)  # its transfer syntax goes into the file meta just built
    ds.preamble = bytes(PREAMBLE)  # never the input's: it may hold anything
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
            try:
                dcmwrite(buffer, ds, enforce_file_format=True)
            except FileProblem:
                raise
            except Exception:
                raise FileProblem(Reason.CORRUPT) from None
            return Encoded(bytes(buffer.getbuffer()), b"", False, True, True)
        buffer.write(bytes(PREAMBLE) + b"DICM")
        buffer.write(encode_file_meta(ds.file_meta))
        body = bytearray()
        encode_dataset(ds, header.implicit_vr, header.little_endian, body)
        buffer.write(body)
        tail = bytearray()
        if after:
            rest = Dataset()
            rest._dict.update(after)
            encode_dataset(rest, header.implicit_vr, header.little_endian, tail)
    return Encoded(bytes(buffer.getbuffer()), bytes(tail), header.implicit_vr, header.little_endian, False)


def write_encoded(
    out: BinaryIO, encoded: Encoded, header: Header, src: BinaryIO, pixels: PixelPlan | None = None
) -> BlankReport | None:
    """Write ``encoded``'s head, the input's pixel data element (copied byte for byte, or with
    ``pixels``' rectangles blanked: its report is returned), then the tail.

    With ``pixels``, a :class:`~dcmscrub.dicomio.pixels.PixelProblem` may be raised after part of
    the output is written: the caller discards the output (the worker writes under a temporary
    name that an exception removes)."""
    out.write(encoded.head)
    if encoded.deflated or header.pixel_start is None or header.pixel_end is None:
        return None
    report = None
    if pixels is None:
        _copy_range(src, out, header.pixel_start, header.pixel_end)
    else:
        report = write_pixels(pixels, src, out)
    if encoded.tail:
        out.write(encoded.tail)
    return report


def write_file(
    out: BinaryIO, header: Header, src: BinaryIO, pixels: PixelPlan | None = None
) -> BlankReport | None:
    """Write the de-identified ``header`` as a Part 10 file, then its pixel data (``pixels``' rectangles
    blanked, if given), then any elements that followed the pixel data, in the input's transfer
    syntax."""
    return write_encoded(out, encode_output(header, pixels), header, src, pixels)


def _copy_range(src: BinaryIO, out: BinaryIO, start: int, end: int) -> None:
    src.seek(start)
    left = end - start
    while left:
        block = src.read(min(COPY_BLOCK, left))
        if not block:
            raise FileProblem(Reason.TRUNCATED)
        out.write(block)
        left -= len(block)
