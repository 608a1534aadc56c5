"""How each action changes one element: remove, keep, empty, dummy, clean, uid, shift, pseudonym,
replace. Which action an element gets is decided by :mod:`dcmscrub.deid.engine`; this module only
carries it out (and walks into the items of a sequence that is kept, dummied or cleaned)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

from pydicom.datadict import keyword_dict, keyword_for_tag
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dcmscrub.deid.dates import shift_date, shift_datetime, valid_date
from dcmscrub.deid.plan import KEEP_PLAIN, dictionary_vr
from dcmscrub.deid.profile import Rule
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.deid.review import Removed
from dcmscrub.deid.subject import PATIENT_ID, PATIENT_NAME
from dcmscrub.deid.text import Cleaner, Removal
from dcmscrub.deid.values import CODE_MAX, NO_STAR_VRS, as_value, dummy_for, strings
from dcmscrub.dicomio import elements as el
from dcmscrub.errors import InternalError
from dcmscrub.standard.vrs import BINARY_NUMBER_VRS, BINARY_VRS, DATE_VRS, TEXT_VRS

_ACCESSION = keyword_dict["AccessionNumber"]


class Target(NamedTuple):
    """The element an action works on: where it is, its VR (None: not known yet), the profile rule
    that chose the action (for ``replace``), the walk's mode (normal, clean, dummy), and the path
    of sequence tags from the top level down to ``ds`` (empty at the top level)."""

    ds: Dataset
    tag: int
    vr: str | None
    rule: Rule | None
    mode: str
    path: tuple[int, ...] = ()


class ElementActions:
    """The actions, for one dataset's walk: the pseudonymizer, the patient it is about, the
    cleaner of its text and a count of what was done. :meth:`walk` is the engine's."""

    p: Pseudonymizer
    patient_id: str
    issuer: str
    offset: int  # the patient's date shift in days (0 until a profile shifts dates)
    actions: Counter[str]
    removed: Removed  # what clean removed, per keyword (for scrub --review)
    _cleaner: Cleaner | None

    def walk(self, ds: Dataset, path: tuple[int, ...], mode: str) -> None:
        raise NotImplementedError

    def required(self, tag: int, path: tuple[int, ...]) -> str:
        """What the object's IOD needs of ``tag`` in the dataset at ``path``: "1" (a value), "2"
        (present, may be empty) or "3" (nothing)."""
        raise NotImplementedError

    @property
    def cleaner(self) -> Cleaner:
        if self._cleaner is None:
            raise InternalError("cleaner used before the subject was gathered (Plan.may_clean is wrong)")
        return self._cleaner

    def remove(self, ds: Dataset, tag: int) -> None:
        """Delete the element."""
        el.remove(ds, tag)
        self.actions["remove"] += 1

    def keep(self, t: Target) -> None:
        """Keep the element; walk a kept sequence's items (also one stored as UN), check a kept
        date is valid. A sequence stored as UN whose value does not parse as items is removed:
        bytes nobody can read are never passed on."""
        ds, tag = t.ds, t.tag
        vr = el.effective_vr(ds, tag) or dictionary_vr(tag)
        if vr == "SQ":
            if not self._walk_items(t, t.mode):
                return
        elif vr in DATE_VRS:
            self._keep_date(Target(ds, tag, vr, t.rule, t.mode, t.path))
            return
        self.actions["keep"] += 1

    def _walk_items(self, t: Target, mode: str) -> bool:
        """Walk the items of the sequence ``t`` names in ``mode``; False (and the element removed)
        when its value cannot be read as items."""
        items = el.sequence_items(t.ds, t.tag)
        if items is None:
            self.remove(t.ds, t.tag)
            self.actions["undecodable-sequence"] += 1
            return False
        for item in items:
            self.walk(item, (*t.path, t.tag), mode)
        return True

    def apply(self, action: str, t: Target) -> None:
        """Carry out ``action`` (a resolved action name) on the element ``t`` names."""
        _ACTIONS[action](self, t)

    # -- one method per action, each taking the element as a Target ---------------------------

    def _keep_target(self, t: Target) -> None:
        self.keep(t)

    def _remove_target(self, t: Target) -> None:
        self.remove(t.ds, t.tag)

    def _keep_date(self, t: Target) -> None:
        elem = el.decoded(t.ds, t.tag)
        if t.vr in DATE_VRS and any(not valid_date(v, t.vr) for v in strings(elem) if v):
            self._invalid_date(t, elem)  # never pass an invalid date value through
            return
        self.actions["keep"] += 1

    def _invalid_date(self, t: Target, elem: DataElement) -> None:
        # emptied, or the dummy date where the IOD needs a value
        elem.value = dummy_for(t.tag, elem.VR) if self.required(t.tag, t.path) == "1" else ""
        self.actions["invalid-date"] += 1

    def _empty(self, t: Target) -> None:
        # a new empty element: the old value is never decoded
        vr = t.vr or "UN"
        if vr == "SQ":
            el.put(t.ds, t.tag, vr, Sequence())
        elif vr in BINARY_NUMBER_VRS:
            el.put(t.ds, t.tag, vr, None)
        else:
            el.put(t.ds, t.tag, vr, b"" if vr in BINARY_VRS else "")
        self.actions["empty"] += 1

    def _dummy(self, t: Target) -> None:
        ds, tag = t.ds, t.tag
        vr = t.vr or el.decoded(ds, tag).VR
        if vr == "SQ":
            if not self._walk_items(t, "dummy"):
                return
        elif vr == "UI":
            self._uid(Target(ds, tag, vr, t.rule, t.mode, t.path))
            return
        elif vr in BINARY_VRS:
            length = el.value_length(ds, tag)
            el.put(ds, tag, vr, b"\x00" * max(2, length + (length & 1)))  # the length, not the bytes
        else:
            el.put(ds, tag, vr, dummy_for(tag, vr))
        self.actions["dummy"] += 1

    def _clean(self, t: Target) -> None:
        elem = el.decoded(t.ds, t.tag)
        if elem.VR not in TEXT_VRS:
            if elem.VR in DATE_VRS:
                self._shift(t)
            elif elem.VR in BINARY_VRS:
                # bytes cannot be cleaned: an element read without its VR (an implicit private
                # element a rule cleans) goes rather than passing through unread
                self.remove(t.ds, t.tag)
            return
        if elem.VR == "PN":
            # a person name cleaned of identifying text is no name at all: what is left of it
            # (the part that was not the subject's) is still someone's name
            elem.value = ""
            self.actions["clean"] += 1
            return
        original = strings(elem)
        removals: list[Removal] = []
        values = [self.cleaner.clean(v, removals) for v in original]
        if removals:  # counted per attribute keyword for scrub --review
            keyword = keyword_for_tag(t.tag) or f"({t.tag >> 16:04X},{t.tag & 0xFFFF:04X})"
            for r in removals:
                self.removed.add(keyword, r.reason, r.token)
        if elem.VR in NO_STAR_VRS and values != original:
            values = [dummy_for(t.tag, elem.VR)]  # a code cannot hold the redaction mark
        elem.value = as_value(values)
        self.actions["clean"] += 1

    def _clean_sequence(self, t: Target) -> None:
        if self._walk_items(t, "clean"):
            self.actions["clean"] += 1

    def _uid(self, t: Target) -> None:
        ds, tag = t.ds, t.tag
        raw = el.raw_bytes(ds, tag)
        if raw is not None and t.vr == "UI":
            # UIDs are ASCII digits and dots: no character set, no pydicom conversion needed
            values = raw.decode("latin-1").rstrip("\x00 ").split("\\")
        else:
            elem = el.decoded(ds, tag)
            if elem.VR != "UI":
                self.remove(ds, tag)  # a UID rule on a non-UID element: do not pass the value on
                return
            values = strings(elem)
        el.put(ds, tag, "UI", as_value([self.p.uid(v) for v in values if v]))
        self.actions["uid"] += 1

    def _shift(self, t: Target) -> None:
        elem = el.decoded(t.ds, t.tag)
        if elem.VR not in DATE_VRS:
            self.actions["keep"] += 1
            return
        shift: Callable[[str, int], str | None] = shift_date if elem.VR == "DA" else shift_datetime
        days = self.offset or self.p.date_offset_days(self.patient_id, self.issuer)
        out = []
        for v in strings(elem):
            if not v:
                out.append("")
                continue
            moved = shift(v, days)
            if moved is None:
                self._invalid_date(t, elem)
                return
            out.append(moved)
        elem.value = as_value(out)
        self.actions["shift"] += 1

    def _pseudonym(self, t: Target) -> None:
        ds, tag = t.ds, t.tag
        self.actions["pseudonym"] += 1
        if tag == PATIENT_ID:
            el.put(ds, tag, "LO", self.p.patient_id(self.patient_id, self.issuer))
            return
        if tag == PATIENT_NAME:
            el.put(ds, tag, "PN", self.p.patient_name(self.patient_id, self.issuer))
            return
        elem = el.decoded(ds, tag)
        if tag == _ACCESSION:
            elem.value = as_value([self.p.accession(v, self.issuer) if v else "" for v in strings(elem)])
            return
        label = f"{tag:08X}"
        length = min(CODE_MAX.get(elem.VR, 16), 16)
        codes = [self.p.code(label, v, length) if v else "" for v in strings(elem)]
        if elem.VR == "PN":
            codes = [f"PSEUDO^{c}" if c else "" for c in codes]
        elem.value = as_value(codes)

    def _replace(self, t: Target) -> None:
        rule = t.rule
        if rule is None or rule.value is None:
            raise InternalError("replace without a value")
        vr = t.vr or el.decoded(t.ds, t.tag).VR
        el.put(t.ds, t.tag, vr, rule.value.encode("utf-8") if vr in BINARY_VRS else rule.value)
        self.actions["replace"] += 1


_ACTIONS: dict[str, Callable[[ElementActions, Target], None]] = {
    KEEP_PLAIN: ElementActions._keep_target,
    "remove": ElementActions._remove_target,
    "keep": ElementActions._keep_target,
    "keep-date": ElementActions._keep_date,
    "empty": ElementActions._empty,
    "dummy": ElementActions._dummy,
    "clean": ElementActions._clean,
    "clean-sequence": ElementActions._clean_sequence,
    "uid": ElementActions._uid,
    "shift": ElementActions._shift,
    "pseudonym": ElementActions._pseudonym,
    "replace": ElementActions._replace,
}


def clean_action(vr: str | None) -> str:
    """What ``clean`` (C) means for an element of ``vr``."""
    if vr in DATE_VRS:
        return "shift"
    if vr == "TM":
        return "keep"  # times stay when dates move (crypto-audit.md 3.4)
    if vr == "SQ":
        return "clean-sequence"
    if vr in BINARY_VRS:
        return "remove"  # bytes cannot be cleaned (overlay and curve data are handled apart)
    return "clean"
