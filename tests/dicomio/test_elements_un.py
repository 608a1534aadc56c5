"""dicomio.elements.use_dictionary_vrs: an element stored as UN whose tag the dictionary knows is
handled (and written) with the dictionary's VR; the rest stays UN, byte for byte."""

from __future__ import annotations

import struct

from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.tag import Tag

from dcmscrub.dicomio import elements as el
from dcmscrub.dicomio.encode import encode_dataset


def raw(tag: int, value: bytes, *, little: bool = True, length: int | None = None) -> RawDataElement:
    size = len(value) if length is None else length
    return RawDataElement(Tag(tag), "UN", size, value, 0, False, little)


def dataset(*elements: RawDataElement) -> Dataset:
    ds = Dataset()
    for elem in elements:
        ds._dict[elem.tag] = elem
    return ds


def test_known_tags_get_their_dictionary_vr() -> None:
    ds = dataset(
        raw(0x00080020, b"20240115"),  # StudyDate DA
        raw(0x00100010, b"DOE^JANE"),  # PatientName PN
        raw(0x00280010, struct.pack("<H", 512)),  # Rows US
        raw(0x00081030, b"CT" * 40000),  # StudyDescription LO, longer than a 2-byte length holds
    )
    el.use_dictionary_vrs(ds)
    assert el.stored_vr(ds, 0x00080020) == "DA" and ds.StudyDate == "20240115"
    assert el.stored_vr(ds, 0x00100010) == "PN" and str(ds.PatientName) == "DOE^JANE"
    assert el.stored_vr(ds, 0x00280010) == "US" and ds.Rows == 512
    assert el.stored_vr(ds, 0x00081030) == "UN"


def test_what_stays_un() -> None:
    ds = dataset(
        raw(0x00091001, b"PRIVATE!"),  # private
        raw(0x00081234, b"UNKNOWN!"),  # not in the dictionary
        raw(0x00280106, b"\x00\x00"),  # SmallestImagePixelValue: US or SS
        raw(0x00081110, b"", length=0xFFFFFFFF),  # ReferencedStudySequence: SQ (decoded elsewhere)
        raw(0x00081111, b"\xfe\xff\x00\xe0\x00\x00\x00\x00"),  # ReferencedPerformedProcedureStepSequence
        raw(0x00280011, b"\x02\x00", little=False),  # Columns US in a big endian file
    )
    el.use_dictionary_vrs(ds)
    assert [el.stored_vr(ds, t) for t in el.tags(ds)] == ["UN"] * 6


def test_big_endian_text_is_relabelled() -> None:
    ds = dataset(raw(0x00080020, b"20240115", little=False))
    el.use_dictionary_vrs(ds)
    assert el.stored_vr(ds, 0x00080020) == "DA"


def test_the_output_carries_the_dictionary_vr_and_the_same_value_bytes() -> None:
    ds = dataset(raw(0x00080020, b"20240115"))
    el.use_dictionary_vrs(ds)
    out = bytearray()
    encode_dataset(ds, False, True, out)
    assert bytes(out) == b"\x08\x00\x20\x00DA\x08\x0020240115"
