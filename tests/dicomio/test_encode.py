"""The Part 10 encoder (dicomio.encode) writes exactly the bytes pydicom's own writer writes.

dcmscrub encodes datasets itself because pydicom's writer costs ~20 us an element in Python and
most elements of a file pass through untouched. These property tests hold it to pydicom's bytes
for random datasets: every VR, multiple values, nested sequences, implicit VR little endian and
explicit VR in both byte orders, non-ASCII text, and both kinds of element the encoder meets:
elements as read from a file (pydicom's raw elements, copied through) and elements the engine set
(decoded values, encoded again). Sequences are written with undefined lengths by the encoder, so
pydicom's side is asked for the same.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.datadict import dictionary_VM, dictionary_VR, keyword_dict
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filereader import read_dataset
from pydicom.filewriter import write_dataset
from pydicom.sequence import Sequence

from dcmscrub.dicomio.encode import encode_dataset

ENCODINGS = [(True, True), (False, True), (False, False)]  # (implicit VR, little endian)


def _tags_by_vr() -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for keyword, tag in keyword_dict.items():
        group = tag >> 16
        if group in (0x0000, 0x0002, 0x0008) and keyword != "ImageType":
            continue  # no command set, no file meta, and leave the charset group to the test
        if group >= 0x5000 or tag in (0x00280008,):
            continue
        vr = dictionary_VR(tag)
        if " or " in vr:
            continue
        out.setdefault(vr, []).append(tag)
    return {vr: sorted(tags)[:40] for vr, tags in out.items()}


TAGS = _tags_by_vr()
ASCII = string.ascii_letters + string.digits


def text(alphabet: str, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=0, max_size=max_size)


# one value of each VR, valid for it (the encoder does not judge values; pydicom must accept them)
VALUE: dict[str, st.SearchStrategy[Any]] = {
    "AE": text(ASCII + " ", 16).map(str.strip),
    "AS": st.sampled_from(["018Y", "002M", "010D", "003W"]),
    "CS": text(string.ascii_uppercase + string.digits + "_ ", 16).map(str.strip),
    "DA": st.dates(min_value=dt.date(1900, 1, 1)).map(lambda d: d.strftime("%Y%m%d")),
    "DS": st.decimals(-1e6, 1e6, places=3, allow_nan=False).map(lambda d: str(d.normalize())[:16]),
    "DT": st.datetimes(min_value=dt.datetime(1900, 1, 1)).map(lambda d: d.strftime("%Y%m%d%H%M%S")),
    "IS": st.integers(-(2**31), 2**31 - 1).map(str),
    "LO": text(ASCII + " .-^", 64),
    "LT": text(ASCII + " .\n", 200),
    "PN": text(string.ascii_letters + "^", 40),
    "SH": text(ASCII + " ", 16),
    "ST": text(ASCII + " .", 200),
    "TM": st.times().map(lambda t: t.strftime("%H%M%S")),
    "UC": text(ASCII + " ", 80),
    "UI": st.lists(st.integers(0, 999999), min_size=2, max_size=8).map(lambda p: ".".join(map(str, p))),
    "UR": st.just("http://example.org/a"),
    "UT": text(ASCII + " .\n", 300),
    "AT": st.integers(0, 0xFFFFFFFF),
    "FL": st.floats(allow_nan=False, allow_infinity=False, width=32),
    "FD": st.floats(-1e300, 1e300, allow_nan=False),
    "SL": st.integers(-(2**31), 2**31 - 1),
    "SS": st.integers(-(2**15), 2**15 - 1),
    "UL": st.integers(0, 2**32 - 1),
    "US": st.integers(0, 2**16 - 1),
    "SV": st.integers(-(2**63), 2**63 - 1),
    "UV": st.integers(0, 2**64 - 1),
    "OB": st.binary(max_size=64).map(lambda b: b + b"\x00" * (len(b) & 1)),
    "OD": st.binary(max_size=8).map(lambda b: b * 8),
    "OF": st.binary(max_size=8).map(lambda b: b * 4),
    "OL": st.binary(max_size=8).map(lambda b: b * 4),
    "OV": st.binary(max_size=8).map(lambda b: b * 8),
    "OW": st.binary(max_size=64).map(lambda b: b + b"\x00" * (len(b) & 1)),
    "UN": st.binary(max_size=64).map(lambda b: b + b"\x00" * (len(b) & 1)),
}
NON_ASCII = text("äöüéßÅø漢字山田 ", 20)
MULTI = frozenset({"CS", "DS", "IS", "LO", "SH", "UI", "US", "SS", "UL", "SL", "FL", "FD", "DA", "TM", "PN"})


@st.composite
def elements(draw: st.DrawFn, depth: int) -> DataElement:
    vrs = sorted(VALUE) + (["SQ"] if depth < 2 else [])
    vr = draw(st.sampled_from([v for v in vrs if v in TAGS]))
    tag = draw(st.sampled_from(TAGS[vr]))
    if vr == "SQ":
        items = draw(st.lists(datasets(depth + 1), max_size=3))
        return DataElement(tag, vr, Sequence(items))
    vm = dictionary_VM(tag)
    if vr in MULTI and vm != "1" and draw(st.booleans()):
        return DataElement(tag, vr, draw(st.lists(VALUE[vr], min_size=2, max_size=4)))
    if vr in ("LO", "PN", "SH", "LT") and draw(st.integers(0, 9)) == 0:
        return DataElement(tag, vr, draw(NON_ASCII)[: 16 if vr == "SH" else 64])
    return DataElement(tag, vr, draw(VALUE[vr]))


@st.composite
def datasets(draw: st.DrawFn, depth: int = 0) -> Dataset:
    ds = Dataset()
    if depth == 0:
        ds.SpecificCharacterSet = "ISO_IR 192"  # UTF-8, so non-ASCII text has an encoding
    for elem in draw(st.lists(elements(depth), max_size=12 if depth == 0 else 5)):
        ds[elem.tag] = elem
    return ds


def _undefined_lengths(ds: Dataset) -> None:
    """Ask pydicom for undefined sequence and item lengths, as the encoder writes them."""
    for elem in ds:
        if elem.VR == "SQ":
            elem.is_undefined_length = True
            for item in elem.value:
                item.is_undefined_length_sequence_item = True
                _undefined_lengths(item)


def pydicom_bytes(ds: Dataset, implicit: bool, little: bool) -> bytes:
    _undefined_lengths(ds)
    fp = DicomBytesIO()
    fp.is_implicit_VR, fp.is_little_endian = implicit, little
    write_dataset(fp, ds)
    return fp.getvalue()


def ours(ds: Dataset, implicit: bool, little: bool) -> bytes:
    out = bytearray()
    encode_dataset(ds, implicit, little, out)
    return bytes(out)


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(ds=datasets(), encoding=st.sampled_from(ENCODINGS))
def test_elements_the_engine_set_encode_as_pydicom_writes_them(
    ds: Dataset, encoding: tuple[bool, bool]
) -> None:
    implicit, little = encoding
    assert ours(ds, implicit, little) == pydicom_bytes(ds, implicit, little)


@PROPERTY
@given(ds=datasets(), encoding=st.sampled_from(ENCODINGS))
def test_elements_as_read_are_copied_byte_for_byte(ds: Dataset, encoding: tuple[bool, bool]) -> None:
    implicit, little = encoding
    written = pydicom_bytes(ds, implicit, little)
    raw = read_dataset(io.BytesIO(written), implicit, little)  # every element raw, as from a file
    assert ours(raw, implicit, little) == written


def test_the_property_sees_every_kind_of_element() -> None:
    """The generators reach every VR the encoder has a path for (else the properties prove less)."""
    assert set(VALUE) | {"SQ"} <= set(TAGS)


def test_a_mismatch_would_be_seen() -> None:
    """The comparison is exact: one changed byte of value is a different encoding."""
    ds = Dataset()
    ds.PatientName = "A^B"
    other = Dataset()
    other.PatientName = "A^C"
    assert ours(ds, False, True) != pydicom_bytes(other, False, True)
