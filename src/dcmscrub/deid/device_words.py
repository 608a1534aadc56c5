"""Which of an input's words are its devices' and codes' own vocabulary, not identifiers.

A phrase of an input's institution, station or device names that its own device description
repeats (InstitutionName ``FUJI PHOTO FILM CO.`` beside the Manufacturer ``FUJI PHOTO FILM CO.
LTD.``, as vendors' test and phantom data have) is that vendor's name, which the profile keeps on
purpose: the gate does not look for it, as it already does not for single words
(:func:`dcmscrub.deid.identifiers.collect`). Never for a person's name, and never for a phrase with
a word of a place of care: a hospital's name planted in the manufacturer stays an identifier."""

from __future__ import annotations

from typing import Final

from pydicom.datadict import keyword_dict


def _tags(*names: str) -> frozenset[int]:
    return frozenset(keyword_dict[n] for n in names)


# Where the input's vocabulary is: codes and device descriptions. A single word found there is a
# word of this file's vocabulary, not a name: a name part "TEXT" (an SR template's "Enter^Text")
# against the content item type TEXT, an institution "TOSHIBA" against the manufacturer TOSHIBA_MEC.
VOCABULARY_TAGS = _tags(
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
DEVICE_NAME_TAGS = _tags(
    "Manufacturer",
    "ManufacturerModelName",
    "SecondaryCaptureDeviceManufacturer",
    "SecondaryCaptureDeviceManufacturerModelName",
)

# Words that make a phrase a place of care, whatever device description repeats it.
CARE_WORDS: Final = frozenset(
    b"HOSPITAL HOSP HOSPITALS CLINIC CLINICS CLINICAL KLINIK KLINIKUM KLINIKEN UNIVERSITY UNIV "
    b"UNIVERSITAT UNIVERSITE UNIVERSIDAD UNIVERSITA CENTER CENTRE CTR INFIRMARY HEALTH HEALTHCARE "
    b"SPITAL HOPITAL OSPEDALE ZIEKENHUIS SJUKHUS SYGEHUS SYKEHUS HOSPITAAL INSTITUTE INSTITUT "
    b"RADIOLOGY IMAGING PRACTICE SURGERY MEMORIAL SAINT ST WARD DEPARTMENT DEPT SCHOOL COLLEGE".split()
)
_DEVICE_KINDS: Final = frozenset({"institution", "station", "device"})


def drop_device_phrases(phrases: dict[bytes, str], vocabulary: bytes) -> None:
    """Remove from ``phrases`` (``b" A B "`` to kind, in normal form) each institution, station or
    device phrase found in ``vocabulary`` (the file's device descriptions and codes, in normal form,
    values apart, with a space at each end) that has no word of :data:`CARE_WORDS`."""
    for phrase in [
        p
        for p, kind in phrases.items()
        if kind in _DEVICE_KINDS and p in vocabulary and not CARE_WORDS & set(p.split())
    ]:
        del phrases[phrase]
