"""Which attributes hold what, for the residual-identifier gate's collecting
(:mod:`dcmscrub.deid.identifiers`): the attributes read by kind (IDs, addresses, phone numbers,
institution, station and device names), the input's own vocabulary (codes and device
descriptions), and the UIDs that name a kind of thing rather than an instance.
"""

from __future__ import annotations

import functools
import re

from pydicom.datadict import keyword_dict, keyword_for_tag


def _keywords(*names: str) -> frozenset[int]:
    return frozenset(keyword_dict[n] for n in names if n in keyword_dict)


_ID_TAGS = _keywords(
    "PatientID",
    "OtherPatientIDs",
    "IssuerOfPatientID",
    "AccessionNumber",
    "StudyID",
    "AdmissionID",
    "IssuerOfAdmissionID",
    "ServiceEpisodeID",
    "RequestedProcedureID",
    "PlacerOrderNumberImagingServiceRequest",
    "FillerOrderNumberImagingServiceRequest",
    "PlacerOrderNumberProcedure",
    "FillerOrderNumberProcedure",
    "PlacerOrderNumberImagingServiceRequestRetired",
    "FillerOrderNumberImagingServiceRequestRetired",
    "ScheduledProcedureStepID",
    "PerformedProcedureStepID",
    "MedicalRecordLocator",
    "ClinicalTrialSubjectID",
    "ClinicalTrialSubjectReadingID",
    "ResultsID",
    "InterpretationID",
    "ContainerIdentifier",
    "SpecimenIdentifier",
)


# Where the input's vocabulary is: codes and device descriptions. A single word found there is a
# word of this file's vocabulary, not a name: a name part "TEXT" (an SR template's "Enter^Text")
# against the content item type TEXT, an institution "TOSHIBA" against the manufacturer TOSHIBA_MEC.
VOCABULARY_TAGS = _keywords(
    "CodeValue",
    "CodeMeaning",
    "CodingSchemeDesignator",
    "LongCodeValue",
    "Manufacturer",
    "ManufacturerModelName",
    "SoftwareVersions",
    "SecondaryCaptureDeviceManufacturer",
    "SecondaryCaptureDeviceManufacturerModelName",
    "SecondaryCaptureDeviceSoftwareVersions",
)

# The attributes that name a device: a person name that is one of them whole is that device's.
DEVICE_NAME_TAGS = _keywords(
    "Manufacturer",
    "ManufacturerModelName",
    "SecondaryCaptureDeviceManufacturer",
    "SecondaryCaptureDeviceManufacturerModelName",
)


@functools.cache
def kinds() -> dict[int, str]:
    """Public tags whose values identify: tag -> kind (names and dates are found by VR)."""
    out = dict.fromkeys(_ID_TAGS, "id")
    for keyword, tag in keyword_dict.items():
        if "Address" in keyword and "Network" not in keyword:
            out[tag] = "address"
        elif "Telephone" in keyword:
            out[tag] = "phone"
        elif keyword.startswith(("Institution", "RequestingService")) and "Code" not in keyword:
            out[tag] = "institution"
        elif "StationName" in keyword or keyword.endswith(("AETitle", "ApplicationEntityTitle")):
            out[tag] = "station"
        elif "SerialNumber" in keyword or keyword in (
            "DeviceID",
            "DetectorID",
            "GantryID",
            "PlateID",
            "CassetteID",
        ):
            out[tag] = "device"
    return out


@functools.cache
def listed() -> tuple[frozenset[str], frozenset[int]]:
    """What :func:`~dcmscrub.deid.identifiers.collect` reads, for the gate's reader (``keep`` of
    :func:`~dcmscrub.dicomio.flat.flatten`): elements of these VRs are read only for these tags
    (codes and device descriptions, the attributes read by kind), so they need not be listed
    otherwise. Every other VR is read by VR (names, dates, UIDs, codes, descriptive text)."""
    return _BY_TAG_ONLY, VOCABULARY_TAGS | frozenset(kinds())


# the VRs collect reads nothing from but in the attributes it reads by tag (see listed)
_BY_TAG_ONLY = frozenset({"AE", "AS", "DS", "IS", "OB", "OW", "TM", "UN", "UR"})


_KIND_UID = re.compile(
    r"Class|TransferSyntax|CodingScheme|MappingResource|ContextUID|Creator|Template|Selector"
)


@functools.cache
def uid_names_a_kind(tag: int) -> bool:
    """A UI element that names a kind of thing (a SOP class, a transfer syntax, a scheme), not an
    instance: its value is kept on purpose and is no identifier."""
    keyword = keyword_for_tag(tag) if not (tag >> 16) & 1 else ""
    return bool(keyword) and _KIND_UID.search(keyword) is not None
