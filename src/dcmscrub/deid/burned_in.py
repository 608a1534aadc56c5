"""Whether an object's pixel data may be released: the one place that decides it.

The header engine never looks at pixels, so pixel data is released only when nothing suggests it
shows identifying text, or when something that looks at the pixels has cleared it. Fail closed:

- BurnedInAnnotation (0028,0301) present with any value that is not clearly ``NO`` (one value,
  ``NO`` with padding at most): ``YES``, ``NO\\YES``, ``Y``, an empty value, anything else counts
  as yes. Not released: ``burned_in_annotation``.
- An object of a kind whose pixels commonly carry burned-in text (ultrasound, secondary and screen
  captures, angiography and fluoroscopy, endoscopy and other photographs), whatever its
  BurnedInAnnotation says. Not released: ``pixels_not_cleared``.

:func:`decide` is the single answer. A pixel rule that matched the object, or the text detector
that looked at it, clears it (``cleared_by``): the object is then released, with the rectangles
blanked (:mod:`dcmscrub.deid.pixel_verdict`). A profile with ``burned_in: allow`` releases such
objects anyway (the decision still carries its reason).
"""

from __future__ import annotations

from typing import NamedTuple

from pydicom.dataset import Dataset

from dcmscrub.deid.subject import text_of, values_of
from dcmscrub.dicomio import elements as el
from dcmscrub.outcomes import Reason

BURNED_IN_ANNOTATION = 0x00280301
_SOP_CLASS, _MODALITY, _IMAGE_TYPE, _CONVERSION_TYPE = 0x00080016, 0x00080060, 0x00080008, 0x00080064
_STORAGE = "1.2.840.10008.5.1.4.1.1."

# SOP classes whose pixels are screen captures, ultrasound, fluoroscopy or photographs
SUSPECT_SOP_CLASSES: frozenset[str] = frozenset(
    _STORAGE + suffix
    for suffix in (
        "6",  # Ultrasound Image Storage (retired)
        "6.1",  # Ultrasound Image Storage
        "6.2",  # Enhanced US Volume Storage
        "3",  # Ultrasound Multi-frame Image Storage (retired)
        "3.1",  # Ultrasound Multi-frame Image Storage
        "7",  # Secondary Capture Image Storage
        "7.1",  # Multi-frame Single Bit Secondary Capture
        "7.2",  # Multi-frame Grayscale Byte Secondary Capture
        "7.3",  # Multi-frame Grayscale Word Secondary Capture
        "7.4",  # Multi-frame True Color Secondary Capture
        "12.1",  # X-Ray Angiographic Image Storage
        "12.1.1",  # Enhanced XA Image Storage
        "12.2",  # X-Ray Radiofluoroscopic Image Storage
        "12.2.1",  # Enhanced XRF Image Storage
        "77.1.1",  # VL Endoscopic Image Storage
        "77.1.1.1",  # Video Endoscopic Image Storage
        "77.1.2",  # VL Microscopic Image Storage
        "77.1.2.1",  # Video Microscopic Image Storage
        "77.1.4",  # VL Photographic Image Storage
        "77.1.4.1",  # Video Photographic Image Storage
        "77.1.5.1",  # Ophthalmic Photography 8 Bit Image Storage
        "77.1.5.2",  # Ophthalmic Photography 16 Bit Image Storage
    )
)
# Modalities (0008,0060) of the same kinds, whatever SOP class carries them
SUSPECT_MODALITIES: frozenset[str] = frozenset(
    {"US", "IVUS", "SC", "OT", "XA", "RF", "ES", "XC", "GM", "OP", "DOC"}
)
# Image Type (0008,0008) values that say the pixels are a capture of a screen
SCREEN_IMAGE_TYPES: frozenset[str] = frozenset({"SCREEN SAVE", "SCREENSHOT", "SCREEN SHOT", "SCREEN CAPTURE"})


class PixelDecision(NamedTuple):
    """``released`` or not, and why the pixels are suspect (``reason``: None when nothing is).

    ``suspect`` says what made them suspect (a fixed phrase, never a value); ``cleared_by``
    names what cleared them (``rule``, ``detector``, ``rule+detector``), if anything did."""

    released: bool
    reason: Reason | None = None
    suspect: str | None = None
    cleared_by: str | None = None


def burned_in_claim(ds: Dataset) -> str | None:
    """``"no"`` when BurnedInAnnotation is clearly NO, ``"yes"`` for any other value it holds (an
    empty one too), None when the object does not carry it."""
    if not el.has(ds, BURNED_IN_ANNOTATION):
        return None
    try:
        values = [v.strip(" \x00") for v in _strings(ds)]
    except Exception:
        return "yes"  # a value nobody can read is not a clear NO
    return "no" if values == ["NO"] else "yes"


def _strings(ds: Dataset) -> list[str]:
    value = el.peek(ds, BURNED_IN_ANNOTATION).value
    if value is None:
        return []
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if isinstance(value, str):
        return value.split("\\") if value.strip(" \x00") else []
    return [str(v) for v in value]


def pixel_suspect(ds: Dataset, sop_class: str = "") -> str | None:
    """Why this object's pixels may show identifying text by its kind (None: nothing says so)."""
    sop_class = sop_class or text_of(ds, _SOP_CLASS)
    if sop_class in SUSPECT_SOP_CLASSES:
        return "SOP class"
    if text_of(ds, _MODALITY).upper() in SUSPECT_MODALITIES:
        return "modality"
    if any(v.strip().upper() in SCREEN_IMAGE_TYPES for v in values_of(ds, _IMAGE_TYPE)):
        return "image type"
    if text_of(ds, _CONVERSION_TYPE):
        return "conversion type"  # the SC Equipment module: the pixels were captured
    return None


def at_risk(ds: Dataset) -> bool:
    """True if :func:`decide` would hold ``ds`` back unless something clears its pixels."""
    return burned_in_claim(ds) == "yes" or pixel_suspect(ds) is not None


def decide(ds: Dataset, policy: str, *, sop_class: str = "", cleared_by: str | None = None) -> PixelDecision:
    """May ``ds``'s pixel data be released under ``policy`` (``quarantine`` or ``allow``)?

    ``cleared_by`` names a pixel rule or detector that has looked at the pixels and cleared them:
    the object is then released whatever its header says."""
    reason: Reason | None = None
    suspect: str | None = None
    if burned_in_claim(ds) == "yes":
        reason, suspect = Reason.BURNED_IN_ANNOTATION, "burned-in annotation"
    elif (kind := pixel_suspect(ds, sop_class)) is not None:
        reason, suspect = Reason.PIXELS_NOT_CLEARED, kind
    if reason is None or cleared_by is not None:
        return PixelDecision(True, None, suspect, cleared_by)
    return PixelDecision(policy == "allow", reason, suspect, None)
