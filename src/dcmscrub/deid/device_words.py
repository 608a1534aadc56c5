"""A phrase of an input's institution, station or device names that its own device description
repeats (InstitutionName ``FUJI PHOTO FILM CO.`` beside the Manufacturer ``FUJI PHOTO FILM CO.
LTD.``, as vendors' test and phantom data have) is that vendor's name, which the profile keeps on
purpose: the gate does not look for it, as it already does not for single words
(:func:`dcmscrub.deid.identifiers.collect`). Never for a person's name, and never for a phrase with
a word of a place of care: a hospital's name planted in the manufacturer stays an identifier."""

from __future__ import annotations

from typing import Final

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
