"""Whether an object's pixel data may be released: the one place that decides it.

The header engine never looks at pixels, so pixel data is released only when nothing suggests it
shows identifying text, or when something that looks at the pixels has cleared it. Fail closed:

- BurnedInAnnotation (0028,0301) present with any value that is not clearly ``NO`` (one value,
  ``NO`` with padding at most): ``YES``, ``NO\\YES``, ``Y``, ``yes``, an empty value, anything else
  counts as yes. Quarantined with ``burned_in_annotation``.
- An object of a kind whose pixels commonly carry burned-in text (ultrasound, secondary and screen
  captures, angiography and fluoroscopy, endoscopy and other photographs:
  :mod:`dcmscrub.standard.pixels`), whatever its BurnedInAnnotation says. Quarantined with
  ``pixels_not_cleared``.

:func:`decide` is the single answer. A pixel rule that matched the object, or the text detector
that looked at it, clears it (``cleared_by``: ``rule``, ``detector``, ``rule+detector``): the
object is then released with the rectangles blanked (:mod:`dcmscrub.deid.pixel_verdict`). A
profile with ``burned_in: allow`` releases such objects anyway; the decision then still carries its
reason, so the object's marks do not claim what is not true
(``uncleared`` in :func:`dcmscrub.deid.marks.mark_deidentified`).
"""

from __future__ import annotations

from typing import NamedTuple

from pydicom.dataset import Dataset

from dcmscrub.deid.subject import text_of, values_of
from dcmscrub.dicomio import elements as el
from dcmscrub.outcomes import Reason
from dcmscrub.standard.pixels import MODALITIES, SCREEN_IMAGE_TYPES, SOP_CLASSES

BURNED_IN_ANNOTATION = 0x00280301
_SOP_CLASS, _MODALITY, _IMAGE_TYPE, _CONVERSION_TYPE = 0x00080016, 0x00080060, 0x00080008, 0x00080064


class PixelDecision(NamedTuple):
    """``released`` or not, and why the pixels are suspect (``reason``: None when nothing is).

    ``suspect`` says what made them suspect (for people: a fixed phrase, never a value);
    ``cleared_by`` names the pixel rule or detector that cleared them, if any."""

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
    if sop_class in SOP_CLASSES:
        return "SOP class"
    # every value counts: a crafted CT\\US must not hide behind its first value
    if any(v.strip().upper() in MODALITIES for v in values_of(ds, _MODALITY)):
        return "modality"
    if any(_screen_term(v) in SCREEN_IMAGE_TYPES for v in values_of(ds, _IMAGE_TYPE)):
        return "image type"
    if text_of(ds, _CONVERSION_TYPE):
        return "conversion type"  # the SC Equipment module: the pixels were captured
    return None


def _screen_term(value: str) -> str:
    """An Image Type value in the form SCREEN_IMAGE_TYPES spells (``SCREEN_SAVE`` as ``SCREEN SAVE``)."""
    return " ".join(value.replace("_", " ").upper().split())


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


def at_risk(ds: Dataset) -> bool:
    """True if :func:`decide` would hold ``ds`` back unless something clears its pixels."""
    return burned_in_claim(ds) == "yes" or pixel_suspect(ds) is not None
