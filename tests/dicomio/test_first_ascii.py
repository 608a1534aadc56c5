"""dicomio.elements.first_ascii reads what pydicom's conversion reads, for every value it answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.tag import BaseTag

from dcmscrub.dicomio import elements as el

# a tag of each ASCII VR first_ascii answers for
TAGS = {
    "AE": 0x00020016,
    "AS": 0x00101010,
    "CS": 0x00080060,
    "DA": 0x00080020,
    "DT": 0x0008002A,
    "TM": 0x00080030,
    "UI": 0x00080018,
}


def raw(tag: int, vr: str | None, value: bytes) -> Dataset:
    ds = Dataset()
    ds._dict[BaseTag(tag)] = RawDataElement(BaseTag(tag), vr, len(value), value, 0, vr is None, True)
    return ds


def by_pydicom(ds: Dataset, tag: int) -> str:
    value = ds[tag].value
    if value is None:
        return ""
    if isinstance(value, MultiValue | list):
        value = value[0] if value else ""
    return str(value).strip(" \x00")


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydicom warns about the odd values drawn
@settings(max_examples=300, deadline=None)
@given(
    vr=st.sampled_from(sorted(TAGS)),
    explicit=st.booleans(),
    value=st.binary(max_size=40)
    | st.text(alphabet=" .\\0123456789ABCZ_^-+\x00", max_size=40).map(str.encode),
)
def test_first_ascii_agrees_with_pydicom(vr: str, explicit: bool, value: bytes) -> None:
    tag = TAGS[vr]
    got = el.first_ascii(raw(tag, vr if explicit else None, value), tag)
    if got is not None:  # it answers printable ASCII only; the rest goes to pydicom
        assert got == by_pydicom(raw(tag, vr if explicit else None, value), tag)


def test_first_ascii_declines_what_it_cannot_read_plainly() -> None:
    assert el.first_ascii(raw(0x00100010, "PN", b"DOE^JANE"), 0x00100010) is None  # not an ASCII VR
    assert el.first_ascii(raw(0x00080060, "CS", b"C\xc9"), 0x00080060) is None  # not ASCII
    assert el.first_ascii(raw(0x00080060, "CS", b"MR\\CT "), 0x00080060) == "MR"
    decoded = Dataset()
    decoded.Modality = "CT"
    assert el.first_ascii(decoded, 0x00080060) is None  # decoded already: pydicom has it
