"""Reading a DICOM file's header without loading its pixel data.

:func:`read_header` parses everything before the pixel data element (and anything after it) with
pydicom, and records where the pixel data lies, checking that the whole element is in the file;
:mod:`dcmscrub.dicomio.write` later copies it byte for byte, so memory stays flat however large
the file is. Deflated files are the exception: their whole dataset is one zlib stream, so it is
inflated whole, as a stream and up to the header cap. Every length a file declares is bounded
(:mod:`dcmscrub.dicomio.limits`): past the cap the file fails as ``too_large``.

pydicom's warnings are captured and never shown: they can quote element values and file names.
"""

from __future__ import annotations

import contextlib
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

from pydicom import config as pydicom_config
from pydicom.datadict import dictionary_VR
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.filebase import DicomBytesIO
from pydicom.filereader import _read_file_meta_info, dcmread, read_dataset, read_preamble
from pydicom.uid import DeflatedExplicitVRLittleEndian
from pydicom.valuerep import VR

from dcmscrub.dicomio.limits import DEFAULT_MAX_HEADER, BoundedReader, check_items, inflate_capped
from dcmscrub.outcomes import FileProblem, Reason

_ITEM, _SEQ_DELIM = 0xFFFEE000, 0xFFFEE0DD
LONG_VRS = frozenset(
    {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"UC", b"UN", b"UR", b"UT", b"SV", b"UV"}
)
_DICOMDIR_CLASS = "1.2.840.10008.1.3.10"


@dataclass
class Header:
    """A parsed input: the dataset without its pixel data, and where the pixel data lies."""

    ds: Dataset
    implicit_vr: bool
    little_endian: bool
    deflated: bool
    pixel_start: int | None  # offset of the pixel data element's tag, None if there is none
    pixel_end: int | None  # offset just past it


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


def read_header(fh: BinaryIO, size: int, kind: str, max_header: int = DEFAULT_MAX_HEADER) -> Header:
    """Parse ``fh`` (a seekable binary file of ``size`` bytes) up to its pixel data.

    ``max_header`` caps what the header may cost (see :mod:`dcmscrub.dicomio.limits`). Raises
    :class:`FileProblem` (``truncated``, ``corrupt``, ``dicomdir``, ``not_dicom``, ``too_large``).
    """
    meta = None if _not_deflated(fh, kind) else _file_meta(fh, size, kind, max_header)
    if meta is not None and str(meta[1].get("TransferSyntaxUID", "")) == DeflatedExplicitVRLittleEndian:
        header = _read_deflated(fh, meta, max_header)
        ds = header.ds
    else:
        header = _read_plain(fh, size, kind, max_header)
        ds = header.ds
    check_items(_raw_sequences(ds, header.little_endian), max_header)
    _decode_file_meta(ds)
    _check_kind(ds, kind)
    if header.deflated:
        return header
    header.pixel_start = fh.tell() if fh.tell() < size else None
    if header.pixel_start is not None:
        header.pixel_end = _skip_element(fh, header.pixel_start, size, header, max_header)
        if header.pixel_end < size:
            _read_trailing(fh, header, size, max_header)
    return header


_DEFLATED = DeflatedExplicitVRLittleEndian.encode()
_META_PEEK = 4096


def _not_deflated(fh: BinaryIO, kind: str) -> bool:
    """True when the file meta plainly names a transfer syntax that is not deflated: a Part 10
    file whose group 0002 elements (walked one by one, whatever the group length says, as pydicom
    reads them) all lie in its first bytes. Then the meta need not be read twice (here and by
    pydicom); otherwise it is, and a deflated data set is inflated by :func:`_read_deflated` under
    the cap, never by pydicom."""
    if kind != "dicom":
        return False
    fh.seek(132)
    head = fh.read(_META_PEEK)
    pos, syntax = 0, None
    while pos + 8 <= len(head):
        group, elem = struct.unpack_from("<HH", head, pos)
        if group != 0x0002:
            return syntax is not None and syntax.rstrip(b"\x00 ") != _DEFLATED
        vr = head[pos + 4 : pos + 6]
        if vr in LONG_VRS:
            if pos + 12 > len(head):
                return False
            length, value_at = struct.unpack_from("<L", head, pos + 8)[0], pos + 12
        else:
            length, value_at = struct.unpack_from("<H", head, pos + 6)[0], pos + 8
        if length == 0xFFFFFFFF or value_at + length > len(head):
            return False
        if elem == 0x0010:
            syntax = head[value_at : value_at + length]
        pos = value_at + length
    return False


# VRs pydicom can read, and the value sizes of the binary numbers among them
_KNOWN_VRS = frozenset(str(vr.value) for vr in VR)
_NUMBER_SIZE = {"AT": 4, "FD": 8, "FL": 4, "OD": 8, "OF": 4, "OL": 4, "OV": 8, "OW": 2, "SL": 4,
                "SS": 2, "SV": 8, "UL": 4, "US": 2, "UV": 8}  # fmt: skip


def _decode_file_meta(ds: Dataset) -> None:
    """Check the file meta's elements now (a few): one pydicom could not read (a damaged VR, a
    binary number of the wrong length) makes the file ``corrupt`` here, not an error later where
    the meta is used. Cheap: raw elements are checked by their VR and length, not converted."""
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        return
    for raw in meta._dict.values():
        if not isinstance(raw, RawDataElement) or raw.VR is None:
            continue
        vr = str(raw.VR)
        size = _NUMBER_SIZE.get(vr)
        if vr not in _KNOWN_VRS or (size is not None and raw.length % size):
            raise FileProblem(Reason.CORRUPT)


def _check_kind(ds: Dataset, kind: str) -> None:
    if not ds._dict:
        # a DICM prefix with no data set after it (or a cut inside the file meta): the file ends
        # before its data set begins
        raise FileProblem(Reason.NOT_DICOM if kind == "raw" else Reason.TRUNCATED)
    file_meta = getattr(ds, "file_meta", None)
    if file_meta is not None and str(file_meta.get("MediaStorageSOPClassUID", "")) == _DICOMDIR_CLASS:
        raise FileProblem(Reason.DICOMDIR)
    if kind == "raw" and not _looks_like_dataset(ds):
        raise FileProblem(Reason.NOT_DICOM)


def _read_plain(fh: BinaryIO, size: int, kind: str, cap: int) -> Header:
    """A file in any other transfer syntax: its header read by pydicom through a bounded view."""
    fh.seek(0)
    view = BoundedReader(fh, size, cap)
    with quiet_pydicom() as caught:
        try:
            ds = dcmread(view, stop_before_pixels=True, force=kind == "raw")
        except InvalidDicomError:
            raise view.problem(Reason.NOT_DICOM) from None
        except (EOFError, struct.error):
            raise view.problem(Reason.TRUNCATED) from None
        except Exception:
            raise view.problem(Reason.CORRUPT) from None
        if _truncated(caught) or _short_element(ds, fh.tell(), size):
            raise FileProblem(Reason.TRUNCATED)
    return Header(ds, bool(ds.original_encoding[0]), bool(ds.original_encoding[1]), False, None, None)


def _file_meta(
    fh: BinaryIO, size: int, kind: str, cap: int
) -> tuple[bytes | None, FileMetaDataset, int] | None:
    """The preamble, the file meta and where the data set starts; None when they cannot be
    read (the full read below then says why)."""
    fh.seek(0)
    view = BoundedReader(fh, size, cap)
    with quiet_pydicom():
        try:
            preamble = read_preamble(view, force=kind == "raw")  # type: ignore[arg-type]
            meta = _read_file_meta_info(view)  # type: ignore[arg-type]
        except Exception:
            if view.exceeded:
                raise view.problem(Reason.TOO_LARGE) from None
            return None
    return preamble, meta, fh.tell()


def _read_deflated(fh: BinaryIO, meta: tuple[bytes | None, FileMetaDataset, int], cap: int) -> Header:
    """A Deflated Explicit VR Little Endian file: the data set inflated (up to ``cap``) and parsed."""
    preamble, file_meta, start = meta
    fh.seek(start)
    inflated = inflate_capped(fh, cap)
    view = BoundedReader(cast(BinaryIO, DicomBytesIO(inflated)), len(inflated), cap)
    with quiet_pydicom() as caught:
        try:
            dataset = read_dataset(view, False, True)  # type: ignore[arg-type]
        except (EOFError, struct.error):
            raise view.problem(Reason.TRUNCATED) from None
        except Exception:
            raise view.problem(Reason.CORRUPT) from None
        if _truncated(caught):
            raise FileProblem(Reason.TRUNCATED)
    ds = FileDataset(getattr(fh, "name", "") or "", dataset, preamble, file_meta, False, True)
    ds.set_original_encoding(False, True, dataset._character_set)
    return Header(ds, False, True, True, None, None)


def _raw_sequences(ds: Dataset, little: bool) -> list[tuple[bytes, bool]]:
    """The value bytes of the sequences still raw at the top level of ``ds``."""
    found = []
    for tag, raw in ds._dict.items():
        if not isinstance(raw, RawDataElement) or not raw.value:
            continue
        vr = raw.VR
        if vr is None:
            try:
                vr = dictionary_VR(tag)
            except KeyError:
                continue
        if vr == "SQ":
            found.append((bytes(raw.value), little))
    return found


def header_bytes(fh: BinaryIO, header: Header, size: int) -> tuple[bytes, bytes]:
    """The input's bytes as read, without its pixel data: everything before the pixel data element
    (the whole file when it has none, or is deflated), and everything after it. For the
    residual-identifier gate, which reads them with its own reader (dicomio.flat)."""
    fh.seek(0)
    if header.deflated or header.pixel_start is None or header.pixel_end is None:
        return fh.read(size), b""
    head = fh.read(header.pixel_start)
    fh.seek(header.pixel_end)
    return head, fh.read(size - header.pixel_end)


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


def _read_trailing(fh: BinaryIO, header: Header, size: int, cap: int) -> None:
    """Parse elements after the pixel data (padding, signatures) into the header dataset."""
    assert header.pixel_end is not None
    fh.seek(header.pixel_end)
    view = BoundedReader(fh, size, cap)
    with quiet_pydicom() as caught:
        try:
            tail = read_dataset(view, header.implicit_vr, header.little_endian)  # type: ignore[arg-type]
        except Exception:
            raise view.problem(Reason.CORRUPT) from None
        if _truncated(caught):
            raise FileProblem(Reason.TRUNCATED)
    for tag in tail._dict:
        header.ds._dict[tag] = tail._dict[tag]


def _past_the_end(length: int, cap: int) -> FileProblem:
    """A length that runs past the end of the file: a length bomb when it is also past the cap."""
    return FileProblem(Reason.TOO_LARGE if length > cap else Reason.TRUNCATED)


def _skip_element(fh: BinaryIO, start: int, size: int, header: Header, cap: int) -> int:
    """Return the offset just past the element at ``start`` (the pixel data), checking that the
    whole element, with every fragment of encapsulated data, is in the file."""
    implicit = header.implicit_vr
    e = "<" if header.little_endian else ">"
    fh.seek(start)
    head = fh.read(12)
    if len(head) < 8:
        raise FileProblem(Reason.TRUNCATED)
    vr = head[4:6]
    if not implicit and not (len(vr) == 2 and 0x41 <= vr[0] <= 0x5A and 0x41 <= vr[1] <= 0x5A):
        implicit = True  # an implicit element in an explicit file: pydicom reads these too
    if implicit:
        length = struct.unpack_from(e + "L", head, 4)[0]
        value_at = start + 8
    elif head[4:6] in LONG_VRS:
        if len(head) < 12:
            raise FileProblem(Reason.TRUNCATED)
        length = struct.unpack_from(e + "L", head, 8)[0]
        value_at = start + 12
    else:
        length = struct.unpack_from(e + "H", head, 6)[0]
        value_at = start + 8
    if length != 0xFFFFFFFF:
        end = value_at + length
        if end > size:
            raise _past_the_end(length, cap)
        return int(end)
    return _skip_items(fh, value_at, size, e, cap)


def _skip_items(fh: BinaryIO, pos: int, size: int, e: str, cap: int) -> int:
    while True:
        fh.seek(pos)
        head = fh.read(8)
        if len(head) < 8:
            raise FileProblem(Reason.TRUNCATED)
        group, elem, length = struct.unpack(e + "HHL", head)
        tag = (group << 16) | elem
        pos += 8
        if tag == _SEQ_DELIM:
            return pos
        if tag != _ITEM or length == 0xFFFFFFFF:
            raise FileProblem(Reason.CORRUPT)
        pos += length
        if pos > size:
            raise _past_the_end(length, cap)
