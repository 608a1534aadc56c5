"""tools/check_dciodvfy.py reduces dciodvfy error lines to kinds: values go, attribute and type stay.

The lines below have dciodvfy's layout; their values are made up.
"""

from __future__ import annotations

import pytest

from conftest import load_tool

tool = load_tool("check_dciodvfy")

SAME_KIND = [
    (
        "Error - Value invalid for this VR - (0x0008,0x0020) DA Study Date  DA [0] = <2001.01.01>"
        " - Character invalid for this VR = '.' (0x2e)",
        "Error - Value invalid for this VR - (0x0008,0x0020) DA Study Date  DA [0] = <1999:12:31>"
        " - Character invalid for this VR = ':' (0x3a)",
    ),
    (
        "Error - Unrecognized enumerated value <FOO> for value 1 of attribute <Rescale Type>",
        "Error - Unrecognized enumerated value <BAR> for value 2 of attribute <Rescale Type>",
    ),
    (
        "Error - Referenced SOP Instance is not listed in CurrentRequestedProcedureEvidenceSequence or"
        " PertinentOtherEvidenceSequence but have IMAGE ReferencedSOPInstanceUID 0",
        "Error - Referenced SOP Instance is not listed in CurrentRequestedProcedureEvidenceSequence or"
        " PertinentOtherEvidenceSequence but have IMAGE ReferencedSOPInstanceUID 2.25.1234567",
    ),
    (
        'Error - Illegal root for UID - "abc" in (0x0020,0x000d) Study Instance UID',
        'Error - Illegal root for UID - "1.2.3.4" in (0x0020,0x000d) Study Instance UID',
    ),
    (
        "Error - StudyInstanceUID has same value as FrameOfReferenceUID <1.2.840.99.1.2>",
        "Error - StudyInstanceUID has same value as FrameOfReferenceUID <2.25.12345678901234567890>",
    ),
    (
        "Error - PixelData has incorrect value length - expected 30000 dec - got 20000 dec",
        "Error - PixelData has incorrect value length - expected 8192 dec - got 8320 dec",
    ),
]

DIFFERENT_KIND = [
    (  # another attribute
        "Error - Missing attribute Type 2 Required Element=<StudyDate> Module=<GeneralStudy>",
        "Error - Missing attribute Type 2 Required Element=<StudyTime> Module=<GeneralStudy>",
    ),
    (  # another type
        "Error - Missing attribute Type 1 Required Element=<Manufacturer> Module=<EnhancedGeneralEquipment>",
        "Error - Missing attribute Type 2 Required Element=<Manufacturer> Module=<EnhancedGeneralEquipment>",
    ),
    (  # missing, not empty
        "Error - Missing attribute Type 1 Required Element=<ContentDate> Module=<WaveformIdentification>",
        "Error - Empty attribute (no value) Type 1 Required Element=<ContentDate>"
        " Module=<WaveformIdentification>",
    ),
    (  # another problem with the same element
        "Error - Value invalid for this VR - (0x0020,0x000d) UI Study Instance UID  UI [0] = <1.02>"
        " - Leading zeroes in embedded numeric component(s)",
        "Error - Value invalid for this VR - (0x0020,0x000d) UI Study Instance UID  UI [0] = <1.a>"
        " - Character invalid for this VR = 'a' (0x61)",
    ),
]


@pytest.mark.parametrize(("a", "b"), SAME_KIND)
def test_values_do_not_make_a_new_kind(a: str, b: str) -> None:
    assert tool.error_kind(a) == tool.error_kind(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT_KIND)
def test_attribute_type_and_problem_make_the_kind(a: str, b: str) -> None:
    assert tool.error_kind(a) != tool.error_kind(b)


def test_no_value_survives() -> None:
    for a, b in SAME_KIND:
        for line in (a, b):
            kind = tool.error_kind(line)
            for value in ("2001.01.01", "FOO", "abc", "2.25.1234567", "30000", "'.'"):
                assert value not in kind


@pytest.mark.parametrize(
    ("line", "attribute"),
    [
        (
            "Error - Missing attribute Type 2 Required Element=<OperatorsName> Module=<RTSeries>",
            "OperatorsName",
        ),
        ("Error - Value invalid for this VR - (0x0008,0x0020) DA Study Date  DA [0] = <x>", "StudyDate"),
        ("Error - Value is zero for value 1 of attribute <Pixel Spacing>", "Pixel Spacing"),
        ("Error - Dicom dataset read failed", "-"),
    ],
)
def test_attribute_of(line: str, attribute: str) -> None:
    assert tool.attribute_of(tool.error_kind(line)) == attribute
