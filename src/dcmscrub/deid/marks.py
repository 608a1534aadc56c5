"""What a de-identified object says about its own de-identification (PS3.15 E.1.1, PS3.3 C.7.1.1)."""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dcmscrub._version import __version__
from dcmscrub.deid.honesty import codes_that_hold, weakenings
from dcmscrub.deid.plan import Plan
from dcmscrub.deid.subject import text_of
from dcmscrub.dicomio import elements as el
from dcmscrub.outcomes import Reason

_SOP_INSTANCE = 0x00080018
_CODE_SEQUENCE = 0x00120064
# the DeidentificationMethod value of an object whose pixel data was released uncleared
PIXELS_NOT_CLEARED = "pixel data not cleared of burned-in text"


def mark_deidentified(ds: Dataset, plan: Plan, *, uncleared: Reason | None = None) -> None:
    """Set PatientIdentityRemoved, DeidentificationMethod (and its code sequence: the Basic Profile
    and exactly the options applied) and LongitudinalTemporalInformationModified.

    The marks claim only what holds: a profile whose rules weaken Table E.1-1 beyond its options
    says so in DeidentificationMethod ("modified"), and its code sequence lists only the codes that
    still hold (dcmscrub.deid.honesty); pixel data released without being cleared (``burned_in:
    allow``: ``uncleared`` is why they were suspect) leaves PatientIdentityRemoved at NO, which
    PS3.3 C.7.1.1 defines as removed "from the Attributes and the Pixel Data"."""
    ds.PatientIdentityRemoved = "NO" if uncleared is not None else "YES"
    suffix = " (modified)" if weakenings(plan.profile) else ""
    methods = [f"dcmscrub {__version__} profile {plan.profile.name}"[: 64 - len(suffix)] + suffix]
    methods += sorted(plan.options)
    if uncleared is not None:
        methods.append(PIXELS_NOT_CLEARED)
        if uncleared == Reason.BURNED_IN_ANNOTATION:
            ds.BurnedInAnnotation = "YES"  # whatever unclear value it held: the honest one
    ds.DeidentificationMethod = methods if len(methods) > 1 else methods[0]
    items = []
    for value, scheme, meaning in codes_that_hold(plan):
        item = Dataset()
        item.CodeValue = value
        item.CodingSchemeDesignator = scheme
        item.CodeMeaning = meaning
        items.append(item)
    if items:
        ds.DeidentificationMethodCodeSequence = Sequence(items)
    elif el.has(ds, _CODE_SEQUENCE):
        el.remove(ds, _CODE_SEQUENCE)  # nothing holds: claim nothing (DeidentificationMethod says why)
    if plan.date_action == "keep":
        ds.LongitudinalTemporalInformationModified = "UNMODIFIED"
    elif plan.date_action == "shift":
        ds.LongitudinalTemporalInformationModified = "MODIFIED"
    else:
        ds.LongitudinalTemporalInformationModified = "REMOVED"


# PS3.16 CID 7050: the pixels were cleaned of burned-in identifying text (PS3.15 E.3.1)
CLEAN_PIXEL_DATA = ("113101", "DCM", "Clean Pixel Data Option")
CLEAN_PIXEL_DATA_METHOD = "clean-pixel-data"


def mark_pixels_cleaned(ds: Dataset) -> None:
    """After :func:`mark_deidentified`, for an object whose pixels a rule or the detector
    cleared: BurnedInAnnotation NO, and the Clean Pixel Data Option (113101) in
    DeidentificationMethodCodeSequence and DeidentificationMethod."""
    ds.BurnedInAnnotation = "NO"
    value, scheme, meaning = CLEAN_PIXEL_DATA
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    ds.DeidentificationMethodCodeSequence.append(item)
    methods = ds.DeidentificationMethod
    methods = [methods] if isinstance(methods, str) else list(methods)
    ds.DeidentificationMethod = [*methods, CLEAN_PIXEL_DATA_METHOD]


def fix_file_meta(ds: Dataset) -> None:
    """Keep only the allowed file meta elements (:data:`~dcmscrub.dicomio.elements.FILE_META_ALLOWED`:
    the sending and receiving AE titles, source and private information and anything unknown go);
    follow the new SOP Instance UID. The writer builds an output's file meta anew from the same
    allow-list."""
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        return
    for tag in el.tags(meta):
        if int(tag) not in el.FILE_META_ALLOWED:
            el.remove(meta, tag)
    sop = text_of(ds, _SOP_INSTANCE)
    if sop:
        meta.MediaStorageSOPInstanceUID = sop
