"""Who an object is about, read before anything changes: the patient key that pseudonyms and date
shifts are keyed on, and the names, IDs and birth date that ``clean`` must remove from text."""

from __future__ import annotations

from pydicom.datadict import keyword_dict
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from dcmscrub.deid.text import Subject
from dcmscrub.deid.values import strings
from dcmscrub.dicomio import elements as el

_TAG = keyword_dict
PATIENT_ID, ISSUER, PATIENT_NAME = _TAG["PatientID"], _TAG["IssuerOfPatientID"], _TAG["PatientName"]

# Whose names are removed from free text (patient and staff)
_SUBJECT_NAMES = tuple(
    _TAG[k]
    for k in (
        "PatientName",
        "OtherPatientNames",
        "PatientBirthName",
        "PatientMotherBirthName",
        "ReferringPhysicianName",
        "PerformingPhysicianName",
        "NameOfPhysiciansReadingStudy",
        "OperatorsName",
        "PhysiciansOfRecord",
        "RequestingPhysician",
        "ConsultingPhysicianName",
        "ResponsiblePerson",
        "PersonName",
    )
)
_SUBJECT_IDS = tuple(
    _TAG[k]
    for k in (
        "PatientID",
        "OtherPatientIDs",
        "AccessionNumber",
        "StudyID",
        "IssuerOfPatientID",
        "MedicalRecordLocator",
        "PatientInsurancePlanCodeSequence",
        "ClinicalTrialSubjectID",
        "ClinicalTrialSubjectReadingID",
        "AdmissionID",
        "ServiceEpisodeID",
        "PerformedProcedureStepID",
        "RequestedProcedureID",
        "ScheduledProcedureStepID",
        "FillerOrderNumberImagingServiceRequest",
        "PlacerOrderNumberImagingServiceRequest",
    )
)
_SUBJECT_DATES = (_TAG["PatientBirthDate"],)
_OTHER_IDS_SEQUENCE = _TAG["OtherPatientIDsSequence"]


def text_of(ds: Dataset, tag: int) -> str:
    """A top-level text value as str ('' when absent or empty); never raises on bad data."""
    if not el.has(ds, tag):
        return ""
    fast = el.first_ascii(ds, tag)
    if fast is not None:
        return fast
    try:
        elem = el.peek(ds, tag)
        if elem.value is None:
            return ""
        value = elem.value
        if isinstance(value, MultiValue | list):
            value = value[0] if value else ""
        return str(value).strip(" \x00")
    except Exception:
        return ""


def values_of(ds: Dataset, tag: int) -> list[str]:
    """The non-empty string values of ``tag`` in ``ds`` ([] when absent, a sequence, or unreadable)."""
    if not el.has(ds, tag):
        return []
    try:
        elem = el.peek(ds, tag)
    except Exception:
        return []
    if elem.VR == "SQ":
        return []
    return [v for v in strings(elem) if v]


def patient_key(ds: Dataset) -> tuple[str, str]:
    """Who the object is about, as pseudonyms key it: (patient ID, issuer of the ID)."""
    patient_id, issuer = text_of(ds, PATIENT_ID), text_of(ds, ISSUER)
    if not patient_id:
        # no ID: key the patient on the name, so one unnamed patient does not absorb all
        patient_id = "name:" + text_of(ds, PATIENT_NAME)
    return patient_id, issuer


def gather_subject(ds: Dataset) -> Subject:
    """The subject's and staff's names, IDs and birth date, read before anything changes."""
    subject = Subject()
    for tag in _SUBJECT_NAMES:
        for v in values_of(ds, tag):
            subject.add_person_name(v)
    for tag in _SUBJECT_IDS:
        for v in values_of(ds, tag):
            subject.add_id(v)
    for tag in _SUBJECT_DATES:
        for v in values_of(ds, tag):
            subject.add_birth_date(v)
    other_ids = ds.get(_OTHER_IDS_SEQUENCE)
    if other_ids is not None and other_ids.VR == "SQ":
        for item in other_ids.value:
            for v in values_of(item, PATIENT_ID):
                subject.add_id(v)
    return subject
