"""What a de-identified object says about its own de-identification (PS3.15 E.1.1, PS3.3 C.7.1.1)."""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dcmscrub._version import __version__
from dcmscrub.deid.plan import Plan
from dcmscrub.deid.subject import text_of
from dcmscrub.dicomio import elements as el

_SOP_INSTANCE = 0x00080018
# File meta elements that name the sending and receiving application entities, or carry private
# data of the writer: they identify the source systems and go.
_META_REMOVE = frozenset({0x00020016, 0x00020017, 0x00020018, 0x00020100, 0x00020102})


def mark_deidentified(ds: Dataset, plan: Plan) -> None:
    """Set PatientIdentityRemoved, DeidentificationMethod (and its code sequence: the Basic Profile
    and exactly the options applied) and LongitudinalTemporalInformationModified."""
    ds.PatientIdentityRemoved = "YES"
    methods = [f"dcmscrub {__version__} profile {plan.profile.name}"[:64]]
    methods += sorted(plan.options)
    ds.DeidentificationMethod = methods if len(methods) > 1 else methods[0]
    items = []
    for value, scheme, meaning in plan.codes:
        item = Dataset()
        item.CodeValue = value
        item.CodingSchemeDesignator = scheme
        item.CodeMeaning = meaning
        items.append(item)
    ds.DeidentificationMethodCodeSequence = Sequence(items)
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
    """Drop the file meta elements that name source systems; follow the new SOP Instance UID."""
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        return
    for tag in el.tags(meta):
        if int(tag) in _META_REMOVE:
            el.remove(meta, tag)
    sop = text_of(ds, _SOP_INSTANCE)
    if sop:
        meta.MediaStorageSOPInstanceUID = sop
