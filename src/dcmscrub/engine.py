"""De-identify one DICOM dataset in memory, per PS3.15 Annex E and a profile.

:func:`deidentify` changes a ``pydicom.Dataset`` in place and returns a :class:`FileReport`.
It does no file I/O and uses no clock and no randomness: the same dataset, profile and linkage
secret always give the same result (architecture.md, house rules 1 and 2).

Every element is visited at every depth: the file meta information, the top level, items of
kept sequences and items inside those, private blocks. Elements the engine does not need to
change are never decoded, so pixel data and large kept values pass through as raw bytes.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydicom.datadict import keyword_dict
from pydicom.dataelem import DataElement, RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag

from dcmscrub import __version__, iod
from dcmscrub.annex_e import (
    CURVE_TEXT_ELEMENTS,
    DATE_VRS,
    OVERLAY_TEXT_ELEMENTS,
)
from dcmscrub.dates import shift_date, shift_datetime, valid_date
from dcmscrub.errors import InternalError
from dcmscrub.plan import CODE_TO_ACTION, DATE, DESCRIPTOR, KEEP_PLAIN, Plan, compile_plan, dictionary_vr
from dcmscrub.profile import Profile, Rule
from dcmscrub.pseudonym import Pseudonymizer
from dcmscrub.textclean import Cleaner, Subject

_TEXT_VRS = frozenset({"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UT", "UR"})
_BINARY_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})
_NUMBER_VRS = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "DS", "IS"})
_VR_MAX = {"AE": 16, "CS": 16, "LO": 64, "PN": 64, "SH": 16, "LT": 10240, "ST": 1024, "UC": 64, "UT": 64}
_DUMMY_TEXT = "REMOVED"
_NO_STAR_VRS = frozenset({"CS", "UR"})
_DUMMY_BY_VR: dict[str, Any] = {
    "AE": _DUMMY_TEXT,
    "AS": "000D",
    "CS": _DUMMY_TEXT,
    "DA": "20000101",
    "DS": "0",
    "DT": "20000101000000",
    "IS": "0",
    "LO": _DUMMY_TEXT,
    "LT": _DUMMY_TEXT,
    "PN": "ANONYMOUS",
    "SH": _DUMMY_TEXT,
    "ST": _DUMMY_TEXT,
    "TM": "000000",
    "UC": _DUMMY_TEXT,
    "UR": "urn:dcmscrub:removed",
    "UT": _DUMMY_TEXT,
    "US": 0,
    "SS": 0,
    "UL": 0,
    "SL": 0,
    "FL": 0.0,
    "FD": 0.0,
    "SV": 0,
    "UV": 0,
    "AT": 0,
}
# Enumerated values some IODs require of a few CS elements that Table E.1-1 gives action D
_DUMMY_BY_TAG: dict[int, str] = {keyword_dict["ReasonForTheAttributeModification"]: "COERCE"}

_TAG = keyword_dict
_PATIENT_ID, _ISSUER, _PATIENT_NAME = _TAG["PatientID"], _TAG["IssuerOfPatientID"], _TAG["PatientName"]
_BURNED_IN = _TAG["BurnedInAnnotation"]
_SOP_CLASS, _SOP_INSTANCE = _TAG["SOPClassUID"], _TAG["SOPInstanceUID"]
_STUDY_UID, _SERIES_UID = _TAG["StudyInstanceUID"], _TAG["SeriesInstanceUID"]
_OVERLAY_DATA_ELEMENT = 0x3000

# Elements read before anything changes, to know whose text must be cleaned (textclean.py)
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

_META_REMOVE = frozenset(
    {0x00020016, 0x00020017, 0x00020018, 0x00020100, 0x00020102}
)  # AE titles, private info


@dataclass
class FileReport:
    """What :func:`deidentify` did to one dataset.

    ``patient``, ``study_uid``, ``series_uid`` and ``sop_uid`` are pseudonymous (under
    retain-uids the UIDs are the originals) and name the output file. ``quarantine`` holds a
    fixed reason code when the object must not be released; the dataset is then unchanged.
    """

    patient: str  # the pseudonymous PatientID ("P" and the keyed patient code)
    study_uid: str
    series_uid: str
    sop_uid: str
    quarantine: str | None = None
    actions: Counter[str] = field(default_factory=Counter)


# --------------------------------------------------------------------------------------------
# the walk


class _Scrubber:
    """One dataset's de-identification: context gathered once, then a recursive walk."""

    def __init__(self, ds: Dataset, plan: Plan, pseudonymizer: Pseudonymizer) -> None:
        self.ds = ds
        self.plan = plan
        self.p = pseudonymizer
        self.actions: Counter[str] = Counter()
        self.sop_class = _text_of(ds, _SOP_CLASS)
        if not self.sop_class and getattr(ds, "file_meta", None) is not None:
            self.sop_class = str(ds.file_meta.get("MediaStorageSOPClassUID", "") or "")
        self.patient_id, self.issuer = _patient_key(ds)
        self.patient_code = self.p.patient_id(self.patient_id, self.issuer)
        self.offset = self.p.date_offset_days(self.patient_id, self.issuer) if plan.shifts_dates else 0
        self._cleaner: Cleaner | None = None

    # -- context ------------------------------------------------------------------------------

    @property
    def cleaner(self) -> Cleaner:
        if self._cleaner is None:
            raise InternalError("cleaner used before the subject was gathered (Plan.may_clean is wrong)")
        return self._cleaner

    def gather_subject(self) -> None:
        """Read the subject's names, IDs and birth date before anything changes."""
        subject = Subject()
        for tag in _SUBJECT_NAMES:
            for v in _values(self.ds, tag):
                subject.add_person_name(v)
        for tag in _SUBJECT_IDS:
            for v in _values(self.ds, tag):
                subject.add_id(v)
        for tag in _SUBJECT_DATES:
            for v in _values(self.ds, tag):
                subject.add_birth_date(v)
        other_ids = self.ds.get(_TAG["OtherPatientIDsSequence"])
        if other_ids is not None and other_ids.VR == "SQ":
            for item in other_ids.value:
                for v in _values(item, _PATIENT_ID):
                    subject.add_id(v)
        self._cleaner = Cleaner(subject)

    # -- the walk -----------------------------------------------------------------------------

    def walk(self, ds: Dataset, parent: int | None, mode: str) -> None:
        """Apply the plan to every element of ``ds`` (an item when ``parent`` is set)."""
        tags = list(ds._dict.keys())
        present = frozenset(int(t) for t in tags)
        private_blocks: dict[tuple[int, int], str] = {}
        kept_blocks: set[tuple[int, int]] = set()
        for tag in tags:
            # ``tag`` stays the BaseTag key of ds._dict: looking it up again hits by identity
            # (an int would go through BaseTag.__eq__, in Python, on every lookup)
            group, elem = tag >> 16, tag & 0xFFFF
            if group & 1:
                self._private(ds, tag, group, elem, private_blocks, kept_blocks, parent, present)
            elif group == 0x0000 and parent is None:
                del ds._dict[_key(tag)]  # a command set (PS3.7) has no place in a stored object
                self.actions["remove"] += 1
            elif elem == 0 and group != 0x0002:
                del ds._dict[_key(tag)]  # group lengths would be wrong after the changes; they are optional
                self.actions["remove"] += 1
            elif 0x5000 <= group <= 0x501E or 0x6000 <= group <= 0x601E:
                self._repeating(ds, tag, group, elem, parent, present, mode)
            else:
                action, rule = self.plan.public_action(tag)
                if action is not KEEP_PLAIN:
                    self._apply(ds, tag, action, rule, parent, present, mode)
        for dependent, condition in iod.PRESENT_ONLY_WITH.items():
            if dependent in ds._dict and condition not in ds._dict:
                self._remove(ds, dependent)
        # a Private Creator stays only if an element of its block stayed (PS3.15 E.3.10)
        for (group, block), _creator in private_blocks.items():
            if (group, block) not in kept_blocks:
                creator_tag = (group << 16) | block
                if creator_tag in ds._dict:
                    del ds._dict[BaseTag(creator_tag)]
                    self.actions["remove"] += 1

    def _private(
        self,
        ds: Dataset,
        tag: int,
        group: int,
        elem: int,
        blocks: dict[tuple[int, int], str],
        kept: set[tuple[int, int]],
        parent: int | None,
        present: frozenset[int],
    ) -> None:
        if 0x0010 <= elem <= 0x00FF:
            blocks[(group, elem)] = str(_elem(ds, tag).value or "").strip(" \x00")
            return
        if elem < 0x1000:
            del ds._dict[_key(tag)]  # (gggg,0001-000F) and unreserved (gggg,01xx-0Fxx) cannot be private data
            self.actions["remove"] += 1
            return
        block = elem >> 8
        creator = blocks.get((group, block))
        if creator is None and ((group << 16) | block) in ds._dict:
            creator = str(_elem(ds, (group << 16) | block).value or "").strip(" \x00")
            blocks[(group, block)] = creator
        action, rule = self.plan.private_action(creator, group, elem & 0xFF)
        if action != "remove":
            kept.add((group, block))
        self._apply(ds, tag, action, rule, parent, present, "normal")

    def _repeating(
        self,
        ds: Dataset,
        tag: int,
        group: int,
        elem: int,
        parent: int | None,
        present: frozenset[int],
        mode: str,
    ) -> None:
        rule = self.plan.repeating_rule(tag)
        if rule is not None:
            self._apply(ds, tag, rule.action, rule, parent, present, mode)
            return
        overlay = group >= 0x6000
        code = self.plan.overlay_code if overlay else self.plan.curve_code
        if code == "X":
            # without its data an overlay (or curve) is invalid: the whole group goes (E.3.3)
            self._remove(ds, tag)
            return
        texts = OVERLAY_TEXT_ELEMENTS if overlay else CURVE_TEXT_ELEMENTS
        if elem in texts:
            cleans = self.plan.clean_graphics or self.plan.clean_descriptors
            action = "clean" if cleans else "remove"
            if overlay and elem == 0x4000:
                action = CODE_TO_ACTION[self.plan.overlay_comment_code]
            self._apply(ds, tag, action, None, parent, present, mode)
        # other overlay and curve elements (geometry, the bitmap) stay under clean-graphics

    # -- actions ------------------------------------------------------------------------------

    def _apply(
        self,
        ds: Dataset,
        tag: int,
        action: str,
        rule: Rule | None,
        parent: int | None,
        present: frozenset[int],
        mode: str,
    ) -> None:
        if action == "keep":
            self._keep(ds, tag, mode)
            return
        if action == "remove":
            self._remove(ds, tag)
            return
        vr = _vr_of(ds, tag)
        if action == DATE:
            action = {"keep": "keep-date", "shift": "shift", "remove": "remove"}[self.plan.date_action]
        elif action == DESCRIPTOR:
            action = self._descriptor_action(tag, parent, present, mode)
        elif "/" in action:
            action = self._compound(action, tag, parent, present)
        elif action == "empty" and self._required(tag, parent, present) == "1":
            action = "dummy"  # Z: "zero length or dummy value"; Type 1 needs the dummy
        elif action == "clean":
            action = self._clean_action(vr)
        _ACTIONS[action](self, ds, tag, vr, rule, mode)

    def _compound(self, code: str, tag: int, parent: int | None, present: frozenset[int]) -> str:
        if code == "X/Z/U*":
            # keep the reference with every UID inside remapped: references between objects stay
            # intact (the product's promise) and a remapped UID reveals nothing
            return "keep"
        need = self._required(tag, parent, present)
        if code == "X/Z":
            return {"3": "remove", "2": "empty"}.get(need, "dummy")
        if code == "X/D":
            return "remove" if need == "3" else "dummy"
        if code == "Z/D":
            return "dummy" if need == "1" else "empty"
        if code == "X/Z/D":
            return {"3": "remove", "2": "empty"}.get(need, "dummy")
        raise InternalError(f"unknown compound action {code}")

    def _descriptor_action(self, tag: int, parent: int | None, present: frozenset[int], mode: str) -> str:
        if mode == "dummy":
            return "dummy"  # inside a D sequence (ContentSequence without clean-structured-content)
        if mode == "clean" or self.plan.clean_descriptors:
            return "clean"
        need = self._required(tag, parent, present)
        return {"3": "remove", "2": "empty"}.get(need, "dummy")

    def _required(self, tag: int, parent: int | None, present: frozenset[int]) -> str:
        return iod.required_type(tag, sop_class=self.sop_class, parent=parent, item_has=present)

    @staticmethod
    def _clean_action(vr: str | None) -> str:
        if vr in DATE_VRS:
            return "shift"
        if vr == "TM":
            return "keep"  # times stay when dates move (crypto-audit.md 3.4)
        if vr == "SQ":
            return "clean-sequence"
        if vr in _BINARY_VRS:
            return "remove"  # bytes cannot be cleaned (overlay and curve data are handled apart)
        return "clean"

    def _remove(self, ds: Dataset, tag: int) -> None:
        del ds._dict[_key(tag)]
        self.actions["remove"] += 1

    def _keep(self, ds: Dataset, tag: int, mode: str) -> None:
        raw = ds._dict[BaseTag(tag)]
        vr = raw.VR if raw.VR is not None else dictionary_vr(tag)
        if vr == "SQ":
            elem = _elem(ds, tag)
            if elem.VR == "SQ":
                for item in elem.value:
                    self.walk(item, tag, mode)
        elif vr in DATE_VRS:
            self._keep_date(ds, tag, vr, None, mode)
            return
        self.actions["keep"] += 1

    def _keep_date(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        elem = _elem(ds, tag)
        if vr in DATE_VRS and any(not valid_date(v, vr) for v in _strings(elem) if v):
            self._invalid_date(ds, tag, elem)  # never pass an invalid date value through
            return
        self.actions["keep"] += 1

    def _invalid_date(self, ds: Dataset, tag: int, elem: DataElement) -> None:
        elem.value = ""
        self.actions["invalid-date"] += 1

    def _empty(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        # a new empty element: the old value is never decoded
        vr = vr or "UN"
        value: Any = [] if vr == "SQ" else (b"" if vr in _BINARY_VRS else "")
        if vr in _NUMBER_VRS - {"DS", "IS"} or vr == "AT":
            value = None
        ds._dict[BaseTag(tag)] = DataElement(tag, vr, Sequence() if vr == "SQ" else value)
        self.actions["empty"] += 1

    def _dummy(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        vr = vr or _elem(ds, tag).VR
        if vr == "SQ":
            for item in _elem(ds, tag).value:
                self.walk(item, tag, "dummy")
        elif vr == "UI":
            self._uid(ds, tag, vr, rule, mode)
            return
        elif vr in _BINARY_VRS:
            raw = ds._dict[_key(tag)]
            length = raw.length if isinstance(raw, RawDataElement) else len(raw.value or b"")
            _set(ds, tag, vr, b"\x00" * max(2, length + (length & 1)))  # the length, not the bytes
        else:
            _set(ds, tag, vr, _DUMMY_BY_TAG.get(tag, _DUMMY_BY_VR.get(vr, _DUMMY_TEXT)))
        self.actions["dummy"] += 1

    def _clean(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        elem = _elem(ds, tag)
        if elem.VR not in _TEXT_VRS:
            if elem.VR in DATE_VRS:
                self._shift(ds, tag, vr, rule, mode)
            return
        original = _strings(elem)
        values = [self.cleaner.clean(v) for v in original]
        if elem.VR == "PN":
            values = [v if v.strip("*^ =") else "" for v in values]
        elif elem.VR in _NO_STAR_VRS and values != original:
            # a code or an AE title cannot hold the redaction mark: a dummy instead
            values = [_DUMMY_BY_TAG.get(tag, _DUMMY_BY_VR[elem.VR])]
        elem.value = _as_value(values)
        self.actions["clean"] += 1

    def _clean_sequence(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        for item in _elem(ds, tag).value:
            self.walk(item, tag, "clean")
        self.actions["clean"] += 1

    def _uid(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        raw = ds._dict[_key(tag)]
        if isinstance(raw, RawDataElement) and vr == "UI" and raw.value is not None:
            # UIDs are ASCII digits and dots: no character set, no pydicom conversion needed
            values = raw.value.decode("latin-1").rstrip("\x00 ").split("\\")
        else:
            elem = _elem(ds, tag)
            if elem.VR != "UI":
                self._remove(ds, tag)  # a UID rule on a non-UID element: do not pass the value on
                return
            values = [str(v) for v in _strings(elem)]
        _set(ds, tag, "UI", _as_value([self.p.uid(v) for v in values if v]))
        self.actions["uid"] += 1

    def _shift(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        elem = _elem(ds, tag)
        if elem.VR not in DATE_VRS:
            self.actions["keep"] += 1
            return
        shift: Callable[[str, int], str | None] = shift_date if elem.VR == "DA" else shift_datetime
        days = self.offset or self.p.date_offset_days(self.patient_id, self.issuer)
        out = []
        for v in _strings(elem):
            if not v:
                out.append("")
                continue
            moved = shift(v, days)
            if moved is None:
                self._invalid_date(ds, tag, elem)
                return
            out.append(moved)
        elem.value = _as_value(out)
        self.actions["shift"] += 1

    def _pseudonym(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        if tag == _PATIENT_ID:
            _set(ds, tag, "LO", self.p.patient_id(self.patient_id, self.issuer))
            self.actions["pseudonym"] += 1
            return
        if tag == _PATIENT_NAME:
            _set(ds, tag, "PN", self.p.patient_name(self.patient_id, self.issuer))
            self.actions["pseudonym"] += 1
            return
        elem = _elem(ds, tag)
        if tag == _TAG["AccessionNumber"]:
            elem.value = _as_value([self.p.accession(v, self.issuer) if v else "" for v in _strings(elem)])
        else:
            label = f"{tag:08X}"
            length = min(_VR_MAX.get(elem.VR, 16), 16)
            codes = [self.p.code(label, v, length) if v else "" for v in _strings(elem)]
            if elem.VR == "PN":
                codes = [f"PSEUDO^{c}" if c else "" for c in codes]
            elem.value = _as_value(codes)
        self.actions["pseudonym"] += 1

    def _replace(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        if rule is None or rule.value is None:
            raise InternalError("replace without a value")
        vr = vr or _elem(ds, tag).VR
        _set(ds, tag, vr, rule.value.encode("utf-8") if vr in _BINARY_VRS else rule.value)
        self.actions["replace"] += 1

    def _keep_action(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        self._keep(ds, tag, mode)

    def _remove_action(self, ds: Dataset, tag: int, vr: str | None, rule: Rule | None, mode: str) -> None:
        self._remove(ds, tag)


_ACTIONS: dict[str, Callable[[_Scrubber, Dataset, int, str | None, Rule | None, str], None]] = {
    KEEP_PLAIN: _Scrubber._keep_action,
    "remove": _Scrubber._remove_action,
    "keep": _Scrubber._keep_action,
    "keep-date": _Scrubber._keep_date,
    "empty": _Scrubber._empty,
    "dummy": _Scrubber._dummy,
    "clean": _Scrubber._clean,
    "clean-sequence": _Scrubber._clean_sequence,
    "uid": _Scrubber._uid,
    "shift": _Scrubber._shift,
    "pseudonym": _Scrubber._pseudonym,
    "replace": _Scrubber._replace,
}


# --------------------------------------------------------------------------------------------
# helpers on elements


def _vr_of(ds: Dataset, tag: int) -> str | None:
    raw = ds._dict[BaseTag(tag)]
    if raw.VR is not None:
        return str(raw.VR)
    return dictionary_vr(tag)


def _strings(elem: DataElement) -> list[str]:
    value = elem.value
    if value is None or value == "":
        return []
    if isinstance(value, MultiValue | list | tuple):
        return [str(v) if v is not None else "" for v in value]
    if isinstance(value, bytes):
        return [value.decode("latin-1")]
    return [str(value)]


def _as_value(values: list[str]) -> str | list[str]:
    if not values:
        return ""
    return values[0] if len(values) == 1 else values


def _set(ds: Dataset, tag: int, vr: str, value: Any) -> None:
    """Replace an element by a new one (the old value is never decoded)."""
    key = _key(tag)
    ds._dict[key] = DataElement(key, vr, value)


def _key(tag: int) -> BaseTag:
    # a BaseTag taken from ds._dict finds its entry by identity; a new one goes through __eq__
    return tag if isinstance(tag, BaseTag) else BaseTag(tag)


def _elem(ds: Dataset, tag: int) -> DataElement:
    """``ds[tag]`` without Dataset.__getitem__'s overhead: decode a raw element once, keep it."""
    key = _key(tag)
    elem = ds._dict[key]
    if isinstance(elem, DataElement):
        return elem
    decoded = convert_raw_data_element(elem, encoding=ds._character_set, ds=ds)
    ds._dict[key] = decoded
    return decoded


def _peek(ds: Dataset, tag: int) -> DataElement:
    """An element's decoded value without storing the decoded form in ``ds``: an element left
    raw is written out again without being re-encoded (see dicomfile.encode_dataset)."""
    elem = ds._dict[BaseTag(tag)]
    if isinstance(elem, DataElement):
        return elem
    return convert_raw_data_element(elem, encoding=ds._character_set, ds=ds)


def _text_of(ds: Dataset, tag: int) -> str:
    """A top-level text value as str ('' when absent or empty); never raises on bad data."""
    if tag not in ds._dict:
        return ""
    try:
        elem = _peek(ds, tag)
        if elem.value is None:
            return ""
        value = elem.value
        if isinstance(value, MultiValue | list):
            value = value[0] if value else ""
        return str(value).strip(" \x00")
    except Exception:
        return ""


def _values(ds: Dataset, tag: int) -> list[str]:
    if tag not in ds._dict:
        return []
    try:
        elem = _peek(ds, tag)
    except Exception:
        return []
    if elem.VR == "SQ":
        return []
    return [v for v in _strings(elem) if v]


# --------------------------------------------------------------------------------------------
# the public entry point


def deidentify(ds: Dataset, profile: Profile, pseudonymizer: Pseudonymizer) -> FileReport:
    """De-identify ``ds`` in place per ``profile``; return what was done.

    ``ds`` may carry ``file_meta`` (MediaStorageSOPInstanceUID then follows the new
    SOPInstanceUID). With ``burned_in: quarantine`` an object whose BurnedInAnnotation is YES
    is left unchanged and reported with ``quarantine="burned_in_annotation"``.
    """
    with warnings.catch_warnings():
        # pydicom warns about odd values, quoting them: nothing may echo a value
        warnings.simplefilter("ignore")
        return _deidentify(ds, profile, pseudonymizer)


def _deidentify(ds: Dataset, profile: Profile, pseudonymizer: Pseudonymizer) -> FileReport:
    plan = compile_plan(profile)
    scrubber = _Scrubber(ds, plan, pseudonymizer)
    old_ids = (_text_of(ds, _STUDY_UID), _text_of(ds, _SERIES_UID), _text_of(ds, _SOP_INSTANCE))
    if profile.burned_in == "quarantine" and _text_of(ds, _BURNED_IN).upper() == "YES":
        return FileReport(scrubber.patient_code, *old_ids, quarantine="burned_in_annotation")
    if plan.may_clean:
        scrubber.gather_subject()
    scrubber.walk(ds, None, "normal")
    _mark(ds, plan)
    _fix_file_meta(ds)
    study, series, sop = (_text_of(ds, _STUDY_UID), _text_of(ds, _SERIES_UID), _text_of(ds, _SOP_INSTANCE))
    return FileReport(scrubber.patient_code, study, series, sop, actions=scrubber.actions)


def output_ids(ds: Dataset, profile: Profile, pseudonymizer: Pseudonymizer) -> tuple[str, str, str, str]:
    """The pseudonymous patient and the study, series and instance UIDs :func:`deidentify` will
    give ``ds``, computed without changing it (to skip work whose output already exists)."""
    plan = compile_plan(profile)
    patient_id, issuer = _patient_key(ds)
    out = []
    for tag in (_STUDY_UID, _SERIES_UID, _SOP_INSTANCE):
        value = _text_of(ds, tag)
        action, _rule = plan.public_action(tag)
        if action == "uid" and value:
            value = pseudonymizer.uid(value)
        elif action not in ("keep", KEEP_PLAIN):
            value = ""
        out.append(value)
    return pseudonymizer.patient_id(patient_id, issuer), out[0], out[1], out[2]


def _patient_key(ds: Dataset) -> tuple[str, str]:
    """Who the object is about, as pseudonyms key it: (patient ID, issuer of the ID)."""
    patient_id, issuer = _text_of(ds, _PATIENT_ID), _text_of(ds, _ISSUER)
    if not patient_id:
        # no ID: key the patient on the name, so one unnamed patient does not absorb all
        patient_id = "name:" + _text_of(ds, _PATIENT_NAME)
    return patient_id, issuer


def _mark(ds: Dataset, plan: Plan) -> None:
    """Record the de-identification in the object (PS3.15 E.1.1, PS3.3 C.7.1.1)."""
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


def _fix_file_meta(ds: Dataset) -> None:
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        return
    for tag in list(meta._dict):
        if int(tag) in _META_REMOVE:
            del meta[tag]
    sop = _text_of(ds, _SOP_INSTANCE)
    if sop:
        meta.MediaStorageSOPInstanceUID = sop
