"""De-identify one DICOM dataset in memory, per PS3.15 Annex E and a profile.

:func:`deidentify` changes a ``pydicom.Dataset`` in place and returns a :class:`FileReport`.
It does no file I/O and uses no clock and no randomness: the same dataset, profile and linkage
secret always give the same result (architecture, house rules 1 and 2).

Every element is visited at every depth: the file meta information, the top level, items of
kept sequences and items inside those, private blocks. Elements the engine does not need to
change are never decoded (:mod:`dcmscrub.dicomio.elements`), so pixel data and large kept values
pass through as raw bytes.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field

from pydicom.datadict import keyword_dict
from pydicom.dataset import Dataset

from dcmscrub.deid.actions import ElementActions, Target, clean_action
from dcmscrub.deid.codes import NOT_TYPED, TypedCode, typed_code
from dcmscrub.deid.marks import fix_file_meta, mark_deidentified, mark_pixels_cleaned
from dcmscrub.deid.pixel_verdict import PixelVerdict, pixel_verdict
from dcmscrub.deid.plan import CODE_TO_ACTION, DATE, DESCRIPTOR, KEEP_PLAIN, Plan, compile_plan, dictionary_vr
from dcmscrub.deid.profile import Profile, Rule
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.deid.review import Removed
from dcmscrub.deid.safe_values import safe_private_action
from dcmscrub.deid.subject import gather_subject, patient_key, text_of
from dcmscrub.deid.text import Cleaner, cleaner_for
from dcmscrub.dicomio import elements as el
from dcmscrub.errors import InternalError
from dcmscrub.outcomes import Note, Reason
from dcmscrub.standard.beyond_table import (
    CODE_TEXTS,
    CURVE_TEXT_ELEMENTS,
    IDENTITY_CODE_SEQUENCES,
    OVERLAY_TEXT_ELEMENTS,
)
from dcmscrub.standard.coding_schemes import CODE_MEANING, LOCAL_CODE_TEXTS
from dcmscrub.standard.iod import PRESENT_ONLY_WITH, known_iod, need_of
from dcmscrub.standard.safe_private import safe_private_vrs
from dcmscrub.standard.vrs import DATE_VRS

_TAG = keyword_dict
_SOP_CLASS, _SOP_INSTANCE = _TAG["SOPClassUID"], _TAG["SOPInstanceUID"]
_STUDY_UID, _SERIES_UID = _TAG["StudyInstanceUID"], _TAG["SeriesInstanceUID"]
_ACCESSION = _TAG["AccessionNumber"]
_ICON_IMAGE = _TAG["IconImageSequence"]


@dataclass
class FileReport:
    """What :func:`deidentify` did to one dataset.

    ``patient``, ``study_uid``, ``series_uid`` and ``sop_uid`` are pseudonymous (under
    retain-uids the UIDs are the originals) and name the output file. ``quarantine`` holds a
    fixed reason when the object must not be released; the dataset is then unchanged.
    """

    patient: str  # the pseudonymous PatientID ("P" and the keyed patient code)
    study_uid: str
    series_uid: str
    sop_uid: str
    quarantine: Reason | None = None
    actions: Counter[str] = field(default_factory=Counter)
    notes: frozenset[Note] = frozenset()  # things the run says once about its files (Note.text)
    removed: Removed = field(default_factory=Removed)  # what clean removed (scrub --review)
    pixels: PixelVerdict = field(default_factory=PixelVerdict)


# --------------------------------------------------------------------------------------------
# the walk


class _Scrubber(ElementActions):
    """One dataset's de-identification: context gathered once, then a recursive walk."""

    def __init__(self, ds: Dataset, plan: Plan, pseudonymizer: Pseudonymizer) -> None:
        self.ds = ds
        self.plan = plan
        self.p = pseudonymizer
        self.actions: Counter[str] = Counter()
        self.sop_class = text_of(ds, _SOP_CLASS)
        if not self.sop_class and getattr(ds, "file_meta", None) is not None:
            self.sop_class = str(ds.file_meta.get("MediaStorageSOPClassUID", "") or "")
        self.patient_id, self.issuer = patient_key(ds)
        self.patient_code = self.p.patient_id(self.patient_id, self.issuer)
        self.offset = self.p.date_offset_days(self.patient_id, self.issuer) if plan.shifts_dates else 0
        self._cleaner: Cleaner | None = None
        # the IOD's attribute types; None for an IOD the table does not know (or knows only in
        # part): every removal then takes the standard's first action, and the run says so once
        self.iod = known_iod(self.sop_class)
        self.notes: set[Note] = set()
        self.removed = Removed()

    def gather_subject(self) -> None:
        """Read the subject's names, IDs and birth date before anything changes."""
        shift = self.offset if self.plan.date_action == "shift" else None  # dates in text move too
        self._cleaner = cleaner_for(gather_subject(self.ds), self.plan.profile.text, shift)

    def walk(self, ds: Dataset, path: tuple[int, ...], mode: str) -> None:
        """Apply the plan to every element of ``ds``; ``path`` holds the tags of the sequences
        from the top level down to ``ds`` (empty at the top level)."""
        el.use_dictionary_vrs(ds)  # an element stored as UN is handled with its dictionary VR
        tags = el.tags(ds)
        # a code of a scheme the standard does not name, or a meaning in words the field does not
        # use: typed text (deid.codes)
        typed = typed_code(ds, path, self.plan.profile.text)
        private_blocks: dict[tuple[int, int], str] = {}
        kept_blocks: set[tuple[int, int]] = set()
        for tag in tags:
            group, elem = tag >> 16, tag & 0xFFFF
            if group & 1:
                self._private(ds, tag, blocks=private_blocks, kept=kept_blocks, path=path)
            elif group == 0x0000 and not path:
                self.remove(ds, tag)  # a command set (PS3.7) has no place in a stored object
            elif elem == 0 and group != 0x0002:
                self.remove(ds, tag)  # group lengths would be wrong after the changes; they are optional
            elif 0x5000 <= group <= 0x50FF or 0x6000 <= group <= 0x60FF:
                # every even group of the repeating ranges (PS3.5 7.6): 5000-50FE, 6000-60FE
                self._repeating(ds, tag, path=path, mode=mode)
            else:
                action, rule = self._public_action(tag, path, mode, typed=typed)
                if action is not KEEP_PLAIN:
                    self._apply(ds, tag, action, rule, path=path, mode=mode)
        for dependent, condition in PRESENT_ONLY_WITH.items():
            if el.has(ds, dependent) and not el.has(ds, condition):
                self.remove(ds, dependent)
        # a Private Creator stays only if an element of its block stayed (PS3.15 E.3.10)
        for group, block in private_blocks:
            if (group, block) not in kept_blocks:
                creator_tag = (group << 16) | block
                if el.has(ds, creator_tag):
                    self.remove(ds, creator_tag)

    def _public_action(
        self, tag: int, path: tuple[int, ...], mode: str, *, typed: TypedCode = NOT_TYPED
    ) -> tuple[str, Rule | None]:
        if mode == "dummy" and path and path[-1] in IDENTITY_CODE_SEQUENCES and tag in CODE_TEXTS:
            return "dummy", None  # in a D sequence, the code of a person or institution names them
        action, rule = self.plan.public_action(tag)
        if (
            rule is None
            and tag in LOCAL_CODE_TEXTS
            and (typed.meaning if tag == CODE_MEANING else typed.value)
        ):
            # a code's typed value and meaning (a name, an ID) are never removed (the code item
            # needs them, Type 1): the value becomes a keyed code (one local concept stays one, and
            # apart from the others), the meaning is treated like the descriptors (a dummy, or
            # cleaned where descriptors are)
            if tag != CODE_MEANING:
                return "pseudonym", None
            cleans = mode == "clean" or (mode != "dummy" and self.plan.clean_descriptors)
            return ("clean" if cleans else "dummy"), None
        return action, rule

    def _private(
        self,
        ds: Dataset,
        tag: int,
        *,
        blocks: dict[tuple[int, int], str],
        kept: set[tuple[int, int]],
        path: tuple[int, ...],
    ) -> None:
        group, elem = tag >> 16, tag & 0xFFFF
        if 0x0010 <= elem <= 0x00FF:
            blocks[(group, elem)] = str(el.decoded(ds, tag).value or "").strip(" \x00")
            return
        if elem < 0x1000:
            self.remove(ds, tag)  # (gggg,0001-000F) and unreserved (gggg,01xx-0Fxx) cannot be private data
            return
        block = elem >> 8
        creator = blocks.get((group, block))
        if creator is None and el.has(ds, (group << 16) | block):
            creator = str(el.decoded(ds, (group << 16) | block).value or "").strip(" \x00")
            blocks[(group, block)] = creator
        action, rule = self.plan.private_action(creator, group, elem & 0xFF)
        if action == "keep" and rule is None and creator is not None:
            # kept because Table E.3.10-1 lists it: only a value of the form the table gives
            action = safe_private_action(ds, tag, safe_private_vrs()[(creator, group, elem & 0xFF)])
            if action == "uid" and "retain-uids" in self.plan.options:
                action = "keep"
        if action == "remove":
            self.remove(ds, tag)  # no IOD has private attributes: nothing to consult
            return
        kept.add((group, block))
        self._apply(ds, tag, action, rule, path=path, mode="normal")

    def _repeating(self, ds: Dataset, tag: int, *, path: tuple[int, ...], mode: str) -> None:
        group, elem = tag >> 16, tag & 0xFFFF
        rule = self.plan.repeating_rule(tag)
        if rule is not None:
            self._apply(ds, tag, rule.action, rule, path=path, mode=mode)
            return
        overlay = group >= 0x6000
        code = self.plan.overlay_code if overlay else self.plan.curve_code
        if code == "X":
            # without its data an overlay (or curve) is invalid: the whole group goes (E.3.3)
            self.remove(ds, tag)
            return
        texts = OVERLAY_TEXT_ELEMENTS if overlay else CURVE_TEXT_ELEMENTS
        if elem in texts:
            cleans = self.plan.clean_graphics or self.plan.clean_descriptors
            action = "clean" if cleans else "remove"
            if overlay and elem == 0x4000:
                action = CODE_TO_ACTION[self.plan.overlay_comment_code]
            self._apply(ds, tag, action, None, path=path, mode=mode)
        # other overlay and curve elements (geometry, the bitmap) stay under clean-graphics

    # -- choosing the action --------------------------------------------------------------------

    def _apply(
        self, ds: Dataset, tag: int, action: str, rule: Rule | None, *, path: tuple[int, ...], mode: str
    ) -> None:
        if action == "keep":
            self.keep(Target(ds, tag, None, rule, mode, path))
            return
        if action == DATE:
            action = {"keep": "keep-date", "shift": "shift", "remove": "remove"}[self.plan.date_action]
        elif action == DESCRIPTOR:
            action = self._descriptor_action(mode)
        elif "/" in action:
            action = self._compound(action, tag, path)
            if action == "remove":
                self.remove(ds, tag)
                return
        if action == "remove":
            # every removal asks the IOD: empty where it needs the attribute, a dummy where it
            # needs a value (a profile's remove rule too: see README, "Compound codes")
            action = {"3": "remove", "2": "empty"}.get(self.required(tag, path), "dummy")
            if action == "remove":
                self.remove(ds, tag)
                return
        vr = el.effective_vr(ds, tag) or dictionary_vr(tag)
        if action == "clean":
            action = clean_action(vr)
            if action == "remove":  # bytes cannot be cleaned
                action = {"3": "remove", "2": "empty"}.get(self.required(tag, path), "dummy")
        elif action == "empty" and self.required(tag, path) == "1":
            action = "dummy"  # Z: "zero length or dummy value"; Type 1 needs the dummy
        if (
            action == "dummy"
            and vr in DATE_VRS
            and self.plan.date_action == "shift"
            and (rule is None or rule.action != "dummy")
        ):
            action = "shift"  # the IOD needs a date, and dates are shifted: the shifted one
        self.apply(action, Target(ds, tag, vr, rule, mode, path))

    def _compound(self, code: str, tag: int, path: tuple[int, ...]) -> str:
        if code == "X/Z/U*":
            # keep the reference with every UID inside remapped: references between objects stay
            # intact (the product's promise) and a remapped UID reveals nothing
            return "keep"
        need = self.required(tag, path)
        if code in ("X/Z", "X/Z/D"):
            return {"3": "remove", "2": "empty"}.get(need, "dummy")
        if code == "X/D":
            return "remove" if need == "3" else "dummy"
        if code == "Z/D":
            return "dummy" if need == "1" else "empty"
        raise InternalError(f"unknown compound action {code}")

    def _descriptor_action(self, mode: str) -> str:
        if mode == "dummy":
            return "dummy"  # inside a D sequence (ContentSequence without clean-structured-content)
        if mode == "clean" or self.plan.clean_descriptors:
            return "clean"
        return "remove"  # or what the IOD needs instead (_apply)

    def required(self, tag: int, path: tuple[int, ...]) -> str:
        if self.iod is None:
            self.notes.add(Note.IOD_UNKNOWN)  # the standard's first action; the run says so once
        return need_of(self.iod, tag, path)

    def keeps_unscanned_pixels(self) -> bool:
        """True if the output would keep pixels nobody scanned for burned-in text: an icon image
        (Icon Image Sequence) or an overlay bitmap (60xx,3000) that the profile keeps."""
        for tag in el.tags(self.ds):
            group, elem = tag >> 16, tag & 0xFFFF
            if tag == _ICON_IMAGE and self.plan.public_action(tag)[0] != "remove":
                return True
            if 0x6000 <= group <= 0x60FF and not group & 1 and elem == 0x3000:
                rule = self.plan.repeating_rule(tag)
                kept = rule.action != "remove" if rule is not None else self.plan.overlay_code != "X"
                if kept:
                    return True
        return False


# --------------------------------------------------------------------------------------------
# the public entry points


def deidentify(
    ds: Dataset, profile: Profile, pseudonymizer: Pseudonymizer, pixels: PixelVerdict | None = None
) -> FileReport:
    """De-identify ``ds`` in place per ``profile``; return what was done.

    ``ds`` may carry ``file_meta`` (MediaStorageSOPInstanceUID then follows the new
    SOPInstanceUID). ``pixels`` is the object's pixel verdict when the caller made it (the worker,
    with the text detector's boxes); without it the verdict of the profile's pixel rules alone is
    used, and an object they would clear by blanking rectangles is not released (this function
    changes no pixel: ``scrub_tree`` does). An object the verdict does not release (burned-in
    text nothing cleared: see :mod:`dcmscrub.deid.burned_in`) is left unchanged and reported with
    ``quarantine``; one it cleared is marked cleaned (BurnedInAnnotation NO, 113101): the caller
    blanks ``report.pixels.regions`` before the output leaves.
    """
    with warnings.catch_warnings():
        # pydicom warns about odd values, quoting them: nothing may echo a value
        warnings.simplefilter("ignore")
        return _deidentify(ds, profile, pseudonymizer, pixels)


def _deidentify(
    ds: Dataset, profile: Profile, pseudonymizer: Pseudonymizer, pixels: PixelVerdict | None
) -> FileReport:
    plan = compile_plan(profile)
    scrubber = _Scrubber(ds, plan, pseudonymizer)
    old_ids = (text_of(ds, _STUDY_UID), text_of(ds, _SERIES_UID), text_of(ds, _SOP_INSTANCE))
    verdict = pixels if pixels is not None else pixel_verdict(ds, profile)
    quarantine = verdict.reason
    if pixels is None and verdict.regions:
        # rectangles to blank, and nobody here to blank them (the worker passes its verdict and
        # writes them): the pixels are not cleared, whatever the rule says
        quarantine = Reason.PIXELS_NOT_CLEARED
    if quarantine is None and verdict.cleaned and scrubber.keeps_unscanned_pixels():
        quarantine = Reason.PIXELS_NOT_SCANNED
    if quarantine is not None:
        return FileReport(scrubber.patient_code, *old_ids, quarantine=quarantine, pixels=verdict)
    if plan.may_clean:
        scrubber.gather_subject()
    scrubber.walk(ds, (), "normal")
    mark_deidentified(ds, plan, uncleared=verdict.uncleared)
    if verdict.cleaned:
        mark_pixels_cleaned(ds)
    fix_file_meta(ds)
    study, series, sop = (text_of(ds, _STUDY_UID), text_of(ds, _SERIES_UID), text_of(ds, _SOP_INSTANCE))
    return FileReport(
        scrubber.patient_code,
        study,
        series,
        sop,
        actions=scrubber.actions,
        notes=frozenset(scrubber.notes),
        removed=scrubber.removed,
        pixels=verdict,
    )


def output_ids(ds: Dataset, profile: Profile, pseudonymizer: Pseudonymizer) -> tuple[str, str, str, str]:
    """The pseudonymous patient and the study, series and instance UIDs :func:`deidentify` will
    give ``ds``, computed without changing it (to skip work whose output already exists)."""
    plan = compile_plan(profile)
    patient_id, issuer = patient_key(ds)
    out = []
    for tag in (_STUDY_UID, _SERIES_UID, _SOP_INSTANCE):
        value = text_of(ds, tag)
        action, _rule = plan.public_action(tag)
        if action == "uid" and value:
            value = pseudonymizer.uid(value)
        elif action not in ("keep", KEEP_PLAIN):
            value = ""
        out.append(value)
    return pseudonymizer.patient_id(patient_id, issuer), out[0], out[1], out[2]
