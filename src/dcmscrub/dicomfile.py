"""Reading and writing DICOM files without loading their pixel data.

A file is DICOM by its content: the ``DICM`` prefix after the 128-byte preamble, or, for the
old "raw dataset" files without a preamble, a first element in group 0002, 0008 or 0010 that
parses. :func:`read_header` parses everything before the pixel data element (and anything after
it) with pydicom; :func:`write_file` writes the de-identified header with pydicom, then copies the
pixel data element byte for byte from the input in 1 MiB blocks, so memory stays flat however
large the file is and the pixels are never decoded. Deflated files are the exception: their
whole dataset is one zlib stream, so it is read and written whole.

pydicom's warnings are captured and never shown: they can quote element values and file names.
"""

from __future__ import annotations

import contextlib
import io
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from pydicom import config as pydicom_config
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.filebase import DicomBytesIO
from pydicom.filereader import dcmread, read_dataset
from pydicom.filewriter import dcmwrite, write_data_element
from pydicom.multival import MultiValue
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from dcmscrub import __version__

# dcmscrub's implementation class UID (PS3.7 D.3.3.2): a fixed UUID rendered under 2.25
IMPLEMENTATION_CLASS_UID = UID("2.25.253367069446349683315096463981946612437")
IMPLEMENTATION_VERSION_NAME = "DCMSCRUB_" + __version__.replace(".", "_")[:7]
PREAMBLE = 128
COPY_BLOCK = 1 << 20
PIXEL_TAGS = frozenset({0x7FE00008, 0x7FE00009, 0x7FE00010})
_ITEM, _SEQ_DELIM = 0xFFFEE000, 0xFFFEE0DD
_LONG_VRS = frozenset(
    {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"UC", b"UN", b"UR", b"UT", b"SV", b"UV"}
)
_DICOMDIR_CLASS = "1.2.840.10008.1.3.10"
_NO_PREAMBLE_GROUPS = frozenset({0x0002, 0x0008, 0x0010})


class FileProblem(Exception):
    """Why one input file cannot be de-identified: ``code`` is a fixed string for the log and
    the summary (never a value from the file)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Header:
    """A parsed input: the dataset without its pixel data, and where the pixel data lies."""

    ds: Dataset
    implicit_vr: bool
    little_endian: bool
    deflated: bool
    pixel_start: int | None  # offset of the pixel data element's tag, None if there is none
    pixel_end: int | None  # offset just past it


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


@contextlib.contextmanager
def quiet_pydicom() -> Iterator[list[warnings.WarningMessage]]:
    """Silence pydicom (warnings and value validation) and collect its warnings."""
    saved = (pydicom_config.settings.reading_validation_mode, pydicom_config.settings.writing_validation_mode)
    pydicom_config.settings.reading_validation_mode = pydicom_config.IGNORE
    pydicom_config.settings.writing_validation_mode = pydicom_config.IGNORE
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
    finally:
        pydicom_config.settings.reading_validation_mode = saved[0]
        pydicom_config.settings.writing_validation_mode = saved[1]


def _truncated(caught: list[warnings.WarningMessage]) -> bool:
    return any("end of file" in str(w.message).lower() for w in caught)


def read_header(fh: BinaryIO, size: int, kind: str) -> Header:
    """Parse ``fh`` (a seekable binary file of ``size`` bytes) up to its pixel data.

    Raises :class:`FileProblem` (``truncated``, ``corrupt``, ``dicomdir``, ``not_dicom``).
    """
    fh.seek(0)
    with quiet_pydicom() as caught:
        try:
            ds = dcmread(fh, stop_before_pixels=True, force=kind == "raw")
        except InvalidDicomError:
            raise FileProblem("not_dicom") from None
        except (EOFError, struct.error):
            raise FileProblem("truncated") from None
        except Exception:
            raise FileProblem("corrupt") from None
        meta = getattr(ds, "file_meta", None)
        deflated = (
            meta is not None and str(meta.get("TransferSyntaxUID", "")) == DeflatedExplicitVRLittleEndian
        )
        if _truncated(caught) or (not deflated and _short_element(ds, fh.tell(), size)):
            raise FileProblem("truncated")
    if not ds._dict:
        # a DICM prefix with no data set after it (or a cut inside the file meta): the file ends
        # before its data set begins
        raise FileProblem("not_dicom" if kind == "raw" else "truncated")
    if meta is not None and str(meta.get("MediaStorageSOPClassUID", "")) == _DICOMDIR_CLASS:
        raise FileProblem("dicomdir")
    if kind == "raw" and not _looks_like_dataset(ds):
        raise FileProblem("not_dicom")
    implicit = bool(ds.original_encoding[0])
    little = bool(ds.original_encoding[1])
    pixel_start = fh.tell() if not deflated and fh.tell() < size else None
    header = Header(ds, implicit, little, deflated, pixel_start, None)
    if deflated:
        _read_whole(fh, header)
    elif pixel_start is not None:
        header.pixel_end = _skip_element(fh, pixel_start, size, implicit, little)
        if header.pixel_end < size:
            _read_trailing(fh, header, size)
    return header


def _short_element(ds: Dataset, stopped_at: int, size: int) -> bool:
    """True if an element's value is shorter than its length says, or bytes after the last
    element were left unparsed (pydicom stops silently at a cut-off element)."""
    last_end = 0
    for raw in ds._dict.values():
        if not isinstance(raw, RawDataElement) or raw.length == 0xFFFFFFFF:
            last_end = -1 if not isinstance(raw, RawDataElement) else last_end
            continue
        if raw.value is not None and len(raw.value) != raw.length:
            return True
        last_end = max(last_end, raw.value_tell + raw.length)
    at_pixels = stopped_at < size
    # last_end is -1 when the last element had an undefined length: its end is not known here
    return not at_pixels and 0 < last_end < size


def _looks_like_dataset(ds: Dataset) -> bool:
    # a raw file must at least name its SOP class and instance to be taken for DICOM
    return "SOPClassUID" in ds and "SOPInstanceUID" in ds


def _read_whole(fh: BinaryIO, header: Header) -> None:
    fh.seek(0)
    with quiet_pydicom() as caught:
        try:
            header.ds = dcmread(fh, force=True)
        except Exception:
            raise FileProblem("corrupt") from None
        if _truncated(caught):
            raise FileProblem("truncated")


def _read_trailing(fh: BinaryIO, header: Header, size: int) -> None:
    """Parse elements after the pixel data (padding, signatures) into the header dataset."""
    assert header.pixel_end is not None
    fh.seek(header.pixel_end)
    with quiet_pydicom() as caught:
        try:
            tail = read_dataset(fh, header.implicit_vr, header.little_endian)
        except Exception:
            raise FileProblem("corrupt") from None
        if _truncated(caught):
            raise FileProblem("truncated")
    for tag in tail._dict:
        header.ds._dict[tag] = tail._dict[tag]


def _skip_element(fh: BinaryIO, start: int, size: int, implicit: bool, little: bool) -> int:
    """Return the offset just past the element at ``start`` (the pixel data), checking that the
    whole element, with every fragment of encapsulated data, is in the file."""
    e = "<" if little else ">"
    fh.seek(start)
    head = fh.read(12)
    if len(head) < 8:
        raise FileProblem("truncated")
    vr = head[4:6]
    if not implicit and not (len(vr) == 2 and 0x41 <= vr[0] <= 0x5A and 0x41 <= vr[1] <= 0x5A):
        implicit = True  # an implicit element in an explicit file: pydicom reads these too
    if implicit:
        length = struct.unpack_from(e + "L", head, 4)[0]
        value_at = start + 8
    elif head[4:6] in _LONG_VRS:
        if len(head) < 12:
            raise FileProblem("truncated")
        length = struct.unpack_from(e + "L", head, 8)[0]
        value_at = start + 12
    else:
        length = struct.unpack_from(e + "H", head, 6)[0]
        value_at = start + 8
    if length != 0xFFFFFFFF:
        end = value_at + length
        if end > size:
            raise FileProblem("truncated")
        return int(end)
    return _skip_items(fh, value_at, size, e)


def _skip_items(fh: BinaryIO, pos: int, size: int, e: str) -> int:
    while True:
        fh.seek(pos)
        head = fh.read(8)
        if len(head) < 8:
            raise FileProblem("truncated")
        group, elem, length = struct.unpack(e + "HHL", head)
        tag = (group << 16) | elem
        pos += 8
        if tag == _SEQ_DELIM:
            return pos
        if tag != _ITEM or length == 0xFFFFFFFF:
            raise FileProblem("corrupt")
        pos += length
        if pos > size:
            raise FileProblem("truncated")


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


def write_file(out: BinaryIO, header: Header, src: BinaryIO) -> None:
    """Write the de-identified ``header`` as a Part 10 file, then its pixel data, then any
    elements that followed the pixel data, in the input's transfer syntax."""
    ensure_file_meta(header)
    ds = header.ds
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
            return
        _write_part10(buffer, header)
        out.write(buffer.getbuffer())
        if header.pixel_start is None or header.pixel_end is None:
            return
        _copy_range(src, out, header.pixel_start, header.pixel_end)
        if after:
            tail = Dataset()
            tail._dict.update(after)
            tail_bytes = bytearray()
            encode_dataset(tail, header.implicit_vr, header.little_endian, tail_bytes)
            out.write(tail_bytes)


def _write_part10(out: io.BytesIO, header: Header) -> None:
    """Preamble, file meta and data set, in the input's transfer syntax."""
    ds = header.ds
    preamble = getattr(ds, "preamble", None) or b"\x00" * PREAMBLE
    out.write(preamble[:PREAMBLE].ljust(PREAMBLE, b"\x00") + b"DICM")
    out.write(encode_file_meta(ds.file_meta))
    body = bytearray()
    encode_dataset(ds, header.implicit_vr, header.little_endian, body)
    out.write(body)


def encode_file_meta(meta: Dataset) -> bytes:
    """The file meta group (explicit VR little endian) with its group length (PS3.10 7.1)."""
    for keyword in ("MediaStorageSOPClassUID", "MediaStorageSOPInstanceUID", "TransferSyntaxUID"):
        if not meta.get(keyword):
            raise FileProblem("no_sop_instance_uid" if "Instance" in keyword else "corrupt")
    if "FileMetaInformationVersion" not in meta:
        meta.FileMetaInformationVersion = b"\x00\x01"
    body = Dataset()
    body._dict.update({k: v for k, v in meta._dict.items() if k != 0x00020000})
    encoded = bytearray()
    encode_dataset(body, False, True, encoded)
    return struct.pack("<HH2sHL", 0x0002, 0x0000, b"UL", 4, len(encoded)) + bytes(encoded)


def encode_dataset(ds: Dataset, implicit: bool, little: bool, out: bytearray) -> None:
    """Append ``ds``'s elements to ``out``, in tag order.

    An element the engine did not touch is still a pydicom RawDataElement: its value bytes are
    written again exactly as pydicom would write them, without decoding them. Most elements of
    a file are untouched and pydicom's writer costs ~20 us an element in Python, so this is the
    hot path of a run. Sequences are written with undefined lengths; everything else pydicom's
    writer encodes.
    """
    e = "<" if little else ">"
    encodings = ds._character_set
    for key in sorted(ds._dict):
        elem = ds._dict[key]
        head = struct.pack(e + "HH", key >> 16, key & 0xFFFF)
        if isinstance(elem, RawDataElement) and _copyable(elem, implicit, little):
            encoded = _element_bytes(head, str(elem.VR), elem.value or b"", implicit, e)
            if encoded is not None:
                out += encoded
                continue
        elif isinstance(elem, DataElement) and (text := _ascii_text(elem)) is not None:
            encoded = _element_bytes(head, str(elem.VR), text, implicit, e)
            if encoded is not None:
                out += encoded
                continue
        elif isinstance(elem, DataElement) and elem.VR == "SQ":
            out += head + (b"" if implicit else b"SQ\x00\x00") + _UNDEFINED[e]
            for item in elem.value or []:
                out += _ITEM_START[e]
                encode_dataset(item, implicit, little, out)
                out += _ITEM_END[e]
            out += _SEQ_END[e]
            continue
        fp = DicomBytesIO()
        fp.is_little_endian, fp.is_implicit_VR = little, implicit
        write_data_element(fp, ds[key], encodings)
        out += fp.getvalue()


def _element_bytes(head: bytes, vr: str, value: bytes, implicit: bool, e: str) -> bytes | None:
    """Tag ``head``, VR and length, then ``value``; None when a short-length VR cannot hold it."""
    if implicit:
        return head + struct.pack(e + "L", len(value)) + value
    code = vr.encode()
    if code in _LONG_VRS:
        return head + code + b"\x00\x00" + struct.pack(e + "L", len(value)) + value
    if len(value) <= 0xFFFF:
        return head + code + struct.pack(e + "H", len(value)) + value
    return None


_TEXT_VRS = frozenset(
    {"AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
)


def _ascii_text(elem: DataElement) -> bytes | None:
    """The encoded value of a text element the engine set (plain ASCII str values), padded to an
    even length as pydicom pads it; None for anything else, which pydicom then encodes."""
    if elem.VR not in _TEXT_VRS:
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


def _copy_range(src: BinaryIO, out: BinaryIO, start: int, end: int) -> None:
    src.seek(start)
    left = end - start
    while left:
        block = src.read(min(COPY_BLOCK, left))
        if not block:
            raise FileProblem("truncated")
        out.write(block)
        left -= len(block)
