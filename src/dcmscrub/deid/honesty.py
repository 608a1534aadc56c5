"""What a profile truly does against Table E.1-1, so that outputs claim only what holds.

A profile rule may keep or weaken an attribute beyond what the profile's options allow (``keep`` on
StudyDescription in a profile that extends ``basic`` without ``clean-descriptors``). Such a rule is
the site's right, but the output no longer meets the Basic Profile, nor the options whose column
names that attribute: :func:`weakenings` lists those rules (``profile check`` warns about each,
with the Table E.1-1 row it weakens), and :func:`codes_that_hold` gives the CID 7050 codes an
output may still claim (dcmscrub.deid.marks). (A rule that removes an attribute an IOD requires
is warned about by :mod:`dcmscrub.deid.iod_rules`: the IOD wins there.)

How revealing an action is, from least to most: remove (X); empty, dummy, pseudonym or a fixed
replacement (Z and D: PS3.15 E.1.1 lets Z be "a dummy value consistent with the VR"); a new UID
(U); clean, or a date shift (C); keep (K). A rule weakens a row when its action is more revealing
than the action the table (under the profile's options) or, outside the table, dcmscrub's own
handling of free text, dates, UIDs and identifiers would take.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from pydicom.datadict import keyword_for_tag

from dcmscrub.deid.plan import DATE, DESCRIPTOR, KEEP_PLAIN, Plan, dictionary_vr
from dcmscrub.deid.profile import Profile, Rule
from dcmscrub.standard.annex_e import load_table

# how revealing each action is (see the module docstring)
_RANK = {
    "remove": 0,
    "X": 0,
    "empty": 1,
    "dummy": 1,
    "pseudonym": 1,
    "replace": 1,
    "Z": 1,
    "D": 1,
    "uid": 2,
    "U": 2,
    "clean": 3,
    "shift": 3,
    "C": 3,
    "keep": 4,
    KEEP_PLAIN: 4,
    "K": 4,
}
_CODE = {"remove": "X", "empty": "Z", "dummy": "D", "uid": "U", "clean": "C", "keep": "K", KEEP_PLAIN: "K"}


@dataclass(frozen=True)
class Weakening:
    """A rule more revealing than what the table (or dcmscrub's handling outside it) allows."""

    rule: Rule
    row: str | None  # the Table E.1-1 row it weakens (its tag text), None outside the table
    name: str  # the attribute's keyword (or the row's)
    allowed: str  # the action code allowed under the profile's options (X, Z/D, C, ...)
    options: tuple[str, ...]  # enabled options whose column names the attribute: no longer met

    def message(self) -> str:
        """One line for people (``profile check``)."""
        where = (
            f"Table E.1-1 row ({self.row[:4]},{self.row[4:]}) {self.name}"
            if self.row
            else (f"{self.name}, outside Table E.1-1 (dcmscrub's own handling)")
        )
        under = f"with {', '.join(self.options)}" if self.options else "without an option for it"
        return (
            f"rule '{self.rule.action}' on {self.rule.selector.text} weakens {where} (the table allows "
            f"{self.allowed} {under}); outputs will not claim the Basic Profile"
            + (" nor those options" if self.options else "")
        )


def _rank(action: str, vr: str | None) -> int:
    if action == "X/Z/U*":
        return 4 if vr == "SQ" else 2  # a kept reference sequence: its items keep their own rules
    if "/" in action:
        return max(_RANK[part] for part in action.split("/"))
    return _RANK[action]


@functools.lru_cache(maxsize=16)
def _base(profile: Profile) -> Plan:
    """The plan of the profile's options without its rules: what the profile would do anyway."""
    return Plan(dataclasses.replace(profile, rules=()))


def _allowed_public(base: Plan, tag: int) -> tuple[str, str | None, tuple[str, ...]]:
    """(allowed action code, Table E.1-1 row, options naming the attribute) for a public tag."""
    table = load_table()
    row = table.by_tag.get(tag)
    if row is not None:
        named = tuple(sorted(o for o in base.options if o in row.options))
        return row.action_for(base.options), row.tag, named
    action, _rule = base.public_action(tag)
    if action == DESCRIPTOR:
        clean = "clean-descriptors" in base.options
        return ("C" if clean else "X/Z/D"), None, ("clean-descriptors",) if clean else ()
    if action == DATE:
        code = {"keep": "K", "shift": "C", "remove": "X/Z"}[base.date_action]
        named = tuple(
            o for o in ("retain-long-full-dates", "retain-long-modified-dates") if o in base.options
        )
        return code, None, named
    return _CODE.get(action, action), None, ()


def _allowed_repeating(base: Plan, rule: Rule) -> tuple[str, str]:
    sel = rule.selector
    if sel.tag >> 24 == 0x50:
        return base.curve_code, "50xxxxxx"
    if sel.tag & 0xFFFF == 0x4000 and sel.mask & 0xFFFF == 0xFFFF:
        return base.overlay_comment_code, "60xx4000"
    return base.overlay_code, "60xx3000"


def _weakening(base: Plan, rule: Rule) -> Weakening | None:
    sel = rule.selector
    options: tuple[str, ...] = ()
    if sel.kind == "tag":
        allowed, row, options = _allowed_public(base, sel.tag)
        vr = dictionary_vr(sel.tag)
        name = keyword_for_tag(sel.tag) or sel.text
    elif sel.kind == "pattern":
        allowed, row = _allowed_repeating(base, rule)
        vr, name = None, "overlay or curve"
        options = ("clean-graphics",) if "clean-graphics" in base.options else ()
    else:
        action, _ = base.private_action(sel.creator, sel.group, sel.offset)
        allowed, row, vr, name = _CODE[action], "ggggeeee", None, "private attributes"
        options = ("retain-safe-private",) if "retain-safe-private" in base.options else ()
    if _rank(rule.action, vr) <= _rank(allowed, vr):
        return None
    return Weakening(rule, row, name, allowed, options)


@functools.lru_cache(maxsize=16)
def weakenings(profile: Profile) -> tuple[Weakening, ...]:
    """Every rule of ``profile`` that keeps or weakens an attribute beyond its options, in order."""
    base = _base(profile)
    found = (_weakening(base, rule) for rule in profile.rules)
    return tuple(w for w in found if w is not None)


def codes_that_hold(plan: Plan) -> list[tuple[str, str, str]]:
    """The CID 7050 codes an output of ``plan``'s profile may claim: all of ``plan.codes`` when no
    rule weakens the table; else neither the Basic Profile nor an option whose column names an
    attribute a rule weakens."""
    weak = weakenings(plan.profile)
    if not weak:
        return list(plan.codes)
    table = load_table()
    broken = {"basic"} | {o for w in weak for o in w.options}
    return [table.codes[o] for o in ("basic", *sorted(plan.options)) if o in table.codes and o not in broken]
