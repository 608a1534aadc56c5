"""The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), by the names
profiles use, and which of them contradict each other."""

from __future__ import annotations

from enum import StrEnum


class Option(StrEnum):
    """An Annex E option, named as the standard names it (hyphenated), in Table E.1-1's column order."""

    RETAIN_SAFE_PRIVATE = "retain-safe-private"
    RETAIN_UIDS = "retain-uids"
    RETAIN_DEVICE_IDENTITY = "retain-device-identity"
    RETAIN_INSTITUTION_IDENTITY = "retain-institution-identity"
    RETAIN_PATIENT_CHARACTERISTICS = "retain-patient-characteristics"
    RETAIN_LONG_FULL_DATES = "retain-long-full-dates"
    RETAIN_LONG_MODIFIED_DATES = "retain-long-modified-dates"
    CLEAN_DESCRIPTORS = "clean-descriptors"
    CLEAN_STRUCTURED_CONTENT = "clean-structured-content"
    CLEAN_GRAPHICS = "clean-graphics"


OPTIONS: tuple[str, ...] = tuple(o.value for o in Option)

# Options that cannot both hold: a date cannot be kept and shifted at once (PS3.15 E.3.6).
CONTRADICTIONS: tuple[tuple[Option, Option, str], ...] = (
    (
        Option.RETAIN_LONG_FULL_DATES,
        Option.RETAIN_LONG_MODIFIED_DATES,
        "dates are either kept (full) or shifted (modified), not both",
    ),
)
