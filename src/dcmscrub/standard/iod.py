"""Which attributes an object's IOD requires, for resolving compound actions.

Table E.1-1's compound codes (X/Z, X/D, Z/D, X/Z/D) mean "the first, unless the object's IOD
needs more": X where the attribute is optional (Type 3), Z where it must be present but may be
empty (Type 2), D where it must hold a value (Type 1). This module answers "what does this
attribute's IOD need here?" for the attributes those codes and our extra descriptors name,
from PS3.3 (2024b) module tables, per SOP class family and, inside sequences, per parent
sequence. It is a curated subset: an attribute not listed is treated as Type 3 (removable),
and tests/test_dciodvfy.py checks outputs with dciodvfy so a gap shows up as a failing test.
"""

from __future__ import annotations

from typing import Final

from pydicom.datadict import keyword_dict

_SR = "1.2.840.10008.5.1.4.1.1.88."
_RT = "1.2.840.10008.5.1.4.1.1.481."

# Enhanced (multi-frame functional group) image IODs: Enhanced General Equipment (PS3.3
# C.7.5.2: DeviceSerialNumber Type 1), Enhanced MR/CT/XA/PET Image modules (ContentDate and
# ContentTime Type 1, AcquisitionDateTime Type 1C).
ENHANCED_SOP_CLASSES = frozenset(
    {
        "1.2.840.10008.5.1.4.1.1.2.1",  # Enhanced CT
        "1.2.840.10008.5.1.4.1.1.2.2",  # Legacy Converted Enhanced CT
        "1.2.840.10008.5.1.4.1.1.4.1",  # Enhanced MR
        "1.2.840.10008.5.1.4.1.1.4.2",  # MR Spectroscopy
        "1.2.840.10008.5.1.4.1.1.4.3",  # Enhanced MR Color
        "1.2.840.10008.5.1.4.1.1.4.4",  # Legacy Converted Enhanced MR
        "1.2.840.10008.5.1.4.1.1.6.2",  # Enhanced US Volume
        "1.2.840.10008.5.1.4.1.1.12.1.1",  # Enhanced XA
        "1.2.840.10008.5.1.4.1.1.12.2.1",  # Enhanced XRF
        "1.2.840.10008.5.1.4.1.1.13.1.3",  # Breast Tomosynthesis
        "1.2.840.10008.5.1.4.1.1.13.1.4",  # Breast Projection X-Ray (presentation)
        "1.2.840.10008.5.1.4.1.1.13.1.5",  # Breast Projection X-Ray (processing)
        "1.2.840.10008.5.1.4.1.1.128.1",  # Legacy Converted Enhanced PET
        "1.2.840.10008.5.1.4.1.1.130",  # Enhanced PET
        "1.2.840.10008.5.1.4.1.1.30",  # Parametric Map
        "1.2.840.10008.5.1.4.1.1.66.4",  # Segmentation
        "1.2.840.10008.5.1.4.1.1.77.1.6",  # VL Whole Slide Microscopy
    }
)

# Presentation states and other objects with the Content Identification macro (ContentLabel,
# ContentDescription Type 2, ContentCreatorName Type 2).
_CONTENT_IDENTIFICATION_PREFIXES = ("1.2.840.10008.5.1.4.1.1.11.", "1.2.840.10008.5.1.4.1.1.66.")

# RT objects written during or after treatment (RT General Treatment Record module).
_RT_TREATMENT_RECORDS = frozenset({_RT + "4", _RT + "6", _RT + "7", _RT + "9"})
_RT_PLANS = frozenset({_RT + "5", _RT + "8"})


def _tag(keyword: str) -> int:
    return keyword_dict[keyword]


def is_sr(sop_class: str) -> bool:
    """Structured reports and key object selections (SR Document General module)."""
    return sop_class.startswith(_SR)


def is_enhanced(sop_class: str) -> bool:
    """Multi-frame functional-group image IODs."""
    return sop_class in ENHANCED_SOP_CLASSES


def is_rt(sop_class: str) -> bool:
    """Radiotherapy objects (PS3.3 A.17-A.30)."""
    return sop_class.startswith(_RT)


def required_type(tag: int, *, sop_class: str, parent: int | None, item_has: frozenset[int]) -> str:
    """What the IOD needs of ``tag`` here: ``"1"`` (a value), ``"2"`` (present, may be empty) or
    ``"3"`` (optional).

    ``parent`` is the tag of the sequence holding the element (None at the top level) and
    ``item_has`` the tags present next to it (for conditions such as "required if ...").
    """
    if parent is None:
        return _top_level(tag, sop_class, item_has)
    return _nested(tag, parent, item_has)


def _top_level(tag: int, sop_class: str, item_has: frozenset[int]) -> str:  # noqa: C901, PLR0911 (a table in code)
    kw = _KEYWORD_OF.get(tag)
    if kw is None:
        return "3"
    if kw in ("ContentDate", "ContentTime"):
        return "1" if is_sr(sop_class) or is_enhanced(sop_class) else "2"
    if kw == "AcquisitionDateTime":
        return "1" if is_enhanced(sop_class) else "3"
    if kw == "DeviceSerialNumber":
        return "1" if is_enhanced(sop_class) else "3"
    if kw == "ReferencedPerformedProcedureStepSequence":
        return "2" if is_sr(sop_class) else "3"
    if kw in ("ContentDescription", "ContentCreatorName"):
        return "2" if sop_class.startswith(_CONTENT_IDENTIFICATION_PREFIXES) else "3"
    if kw == "ContentLabel":
        return "1" if sop_class.startswith(_CONTENT_IDENTIFICATION_PREFIXES) else "3"
    if kw in _PATIENT_STUDY_TYPE2:
        return "2"  # Patient, General Study and Contrast/Bolus modules
    if kw == "PatientSexNeutered":
        # Type 2C: required for non-human subjects (PS3.3 C.7.1.1)
        return "2" if item_has & _SPECIES_TAGS else "3"
    if kw in ("RTPlanDate", "RTPlanTime"):
        return "2" if sop_class in _RT_PLANS else "3"
    if kw in ("TreatmentDate", "TreatmentTime", "FirstTreatmentDate", "MostRecentTreatmentDate"):
        return "2" if sop_class in _RT_TREATMENT_RECORDS else "3"
    if kw in ("DocumentTitle",):
        return "2"  # Encapsulated Document module
    if kw == "ReviewerName":
        # Type 2C: required once a plan is approved or rejected (PS3.3 C.8.8.16)
        return "2" if _tag("ApprovalStatus") in item_has else "3"
    if kw in ("RTImageLabel",):
        return "1" if is_rt(sop_class) else "3"
    return "3"


def _nested(tag: int, parent: int, item_has: frozenset[int]) -> str:
    kw = _KEYWORD_OF.get(tag)
    pkw = _KEYWORD_OF.get(parent)
    if kw is None or pkw is None:
        return "3"
    if kw == "TextValue" and _tag("ValueType") in item_has:
        return "1"  # the value of a TEXT content item (PS3.3 C.17.3)
    if kw == "SegmentLabel" and pkw == "SegmentSequence":
        return "1"  # Segmentation Image module
    if kw in ("LUTLabel", "LUTExplanation") and pkw == "RealWorldValueMappingSequence":
        return "1"  # Real World Value Mapping item macro (PS3.3 C.7.6.16.2.11)
    if kw == "RequestedProcedureDescription" and pkw == "ReferencedRequestSequence":
        return "2"  # SR Document General module
    if kw in ("TreatmentMachineName",) and pkw in (
        "BeamSequence",
        "IonBeamSequence",
        "TreatmentMachineSequence",
    ):
        return "2"  # RT Beams / Ion Beams modules
    return "3"


_PATIENT_STUDY_TYPE2: Final = (
    "PatientID",
    "ContrastBolusAgent",
    "StudyDate",
    "StudyTime",
    "ReferringPhysicianName",
    "StudyID",
    "AccessionNumber",
    "PatientName",
    "PatientBirthDate",
    "PatientSex",
)
_SPECIES_TAGS = frozenset({_tag("PatientSpeciesDescription"), _tag("PatientSpeciesCodeSequence")})

_KEYWORD_OF: dict[int, str] = {
    _tag(k): k
    for k in (
        "ContentDate",
        "ContentTime",
        "AcquisitionDateTime",
        "DeviceSerialNumber",
        "ReferencedPerformedProcedureStepSequence",
        "ContentDescription",
        "ContentCreatorName",
        "ContentLabel",
        *_PATIENT_STUDY_TYPE2,
        "PatientSexNeutered",
        "RTPlanDate",
        "RTPlanTime",
        "TreatmentDate",
        "TreatmentTime",
        "FirstTreatmentDate",
        "MostRecentTreatmentDate",
        "DocumentTitle",
        "RTImageLabel",
        "TextValue",
        "SegmentLabel",
        "SegmentSequence",
        "RequestedProcedureDescription",
        "ReferencedRequestSequence",
        "TreatmentMachineName",
        "BeamSequence",
        "IonBeamSequence",
        "TreatmentMachineSequence",
        "ReviewerName",
        "LUTLabel",
        "LUTExplanation",
        "RealWorldValueMappingSequence",
    )
}


# Type 1C attributes that may be present only when another one is (PS3.3): when de-identification
# removes the condition, the dependent goes too, or the object would gain a validation error.
PRESENT_ONLY_WITH: dict[int, int] = {
    # C.7.1.3 Clinical Trial Subject: the committee's name goes with its approval number
    _tag("ClinicalTrialProtocolEthicsCommitteeName"): _tag(
        "ClinicalTrialProtocolEthicsCommitteeApprovalNumber"
    ),
}
