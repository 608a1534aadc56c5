"""A profile compiled for the engine: one static action per element, decided once per tag.

:class:`Plan` turns a :class:`~dcmscrub.profile.Profile` and the standard's tables into fast
lookups: the profile's rules (a later one wins), then Table E.1-1 under the enabled options, then
what the table leaves to the implementer (free text, extra instance UIDs, dates, attributes the
data dictionary does not know). Actions that depend on the object (compound codes, descriptors,
dates) are resolved per object by the engine.
"""

from __future__ import annotations

import functools

from pydicom.datadict import dictionary_VR, repeater_has_tag

from dcmscrub.deid.profile import Profile, Rule
from dcmscrub.standard.annex_e import load_table
from dcmscrub.standard.beyond_table import EXTRA_UIDS, KEYED_LABELS, free_text_tags, is_extra_identifier
from dcmscrub.standard.safe_private import load_safe_private, safe_private_vrs
from dcmscrub.standard.vrs import BINARY_NUMBER_VRS, DATE_VRS

CODE_TO_ACTION = {"X": "remove", "Z": "empty", "D": "dummy", "K": "keep", "C": "clean", "U": "uid"}
DESCRIPTOR = "descriptor"  # free text outside the table: resolved per object and mode
KEEP_PLAIN = "keep-plain"  # kept, and neither a sequence nor a date: nothing to do
DATE = "date"  # a date outside the table: resolved by the date options


class Plan:
    """A profile compiled for fast per-element decisions (cached per profile)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.options = profile.options
        table = load_table()
        self._table = table
        self._table_codes = {tag: row.action_for(self.options) for tag, row in table.by_tag.items()}
        self.overlay_code = table.row("60xx3000").action_for(self.options)
        self.overlay_comment_code = table.row("60xx4000").action_for(self.options)
        self.curve_code = table.row("50xxxxxx").action_for(self.options)
        self.safe_private = load_safe_private() if "retain-safe-private" in self.options else frozenset()
        self._public_rules = [r for r in profile.rules if r.selector.kind != "private"]
        self._private_rules = [r for r in profile.rules if r.selector.kind == "private"]
        self._cache: dict[int, tuple[str, Rule | None]] = {}
        self._free_text = free_text_tags()
        self.clean_descriptors = "clean-descriptors" in self.options
        self.clean_graphics = "clean-graphics" in self.options
        if "retain-long-full-dates" in self.options:
            self.date_action = "keep"
        elif "retain-long-modified-dates" in self.options:
            self.date_action = "shift"
        else:
            self.date_action = "remove"
        self.shifts_dates = self.date_action == "shift" or any(r.action == "shift" for r in profile.rules)
        self.codes = [
            table.codes["basic"],
            *(table.codes[o] for o in sorted(self.options) if o in table.codes),
        ]
        # whose text may be cleaned decides whether the subject's names and IDs are gathered first
        self.may_clean = (
            "C" in self._table_codes.values()
            or self.clean_descriptors
            or self.clean_graphics
            or "clean-structured-content" in self.options
            or any(r.action == "clean" for r in profile.rules)
            or bool(self.safe_private)  # safe private text is cleaned (deid.safe_values)
        )

    def public_action(self, tag: int) -> tuple[str, Rule | None]:
        """The static action for a public element (before per-object resolution)."""
        key = int(tag)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve_public(key)
        return hit

    def _resolve_public(self, tag: int) -> tuple[str, Rule | None]:
        action, rule = self._resolve_public_action(tag)
        if action == "keep" and rule is None and dictionary_vr(tag) not in ("SQ", "DA", "DT", None):
            return KEEP_PLAIN, None  # nothing to look at: the walk skips it
        return action, rule

    def _resolve_public_action(self, tag: int) -> tuple[str, Rule | None]:
        for rule in reversed(self._public_rules):
            if rule.selector.matches_public(tag):
                return rule.action, rule
        code = self._table_codes.get(tag)
        if code is not None:
            return CODE_TO_ACTION.get(code, code), None
        beyond = self._beyond_table(tag)
        if beyond is not None:
            return beyond, None
        try:
            vr = dictionary_VR(tag)
        except KeyError:
            return ("keep" if repeater_has_tag(tag) else "remove"), None  # unknown to the dictionary
        if vr in DATE_VRS:
            return DATE, None
        return "keep", None

    def _beyond_table(self, tag: int) -> str | None:
        """The action for an element the table leaves to the implementer (standard.beyond_table)."""
        if tag in KEYED_LABELS:
            return "pseudonym"
        if tag in EXTRA_UIDS:
            return "keep" if "retain-uids" in self.options else "uid"
        if is_extra_identifier(tag):
            return "remove"
        if tag in self._free_text:
            return DESCRIPTOR
        return None

    def private_action(self, creator: str | None, group: int, offset: int) -> tuple[str, Rule | None]:
        """The action for a private data element in a block reserved by ``creator``."""
        if creator is None:
            return "remove", None  # a private element without its creator cannot be judged
        for rule in reversed(self._private_rules):
            sel = rule.selector
            if sel.group == group and sel.offset == offset and sel.creator == creator:
                return rule.action, rule
        if (creator, group, offset) in self.safe_private:
            return "keep", None
        return "remove", None

    def kept_on_purpose(self, tag: int, creator: str | None) -> bool:
        """Whether the profile keeps this element's value on purpose: a ``keep`` or ``replace``
        rule, a K of the table under an enabled option, a date under retain-long-full-dates, a
        safe private element under retain-safe-private. The residual-identifier gate does not look
        at such elements (by element, never by value)."""
        group, elem = tag >> 16, tag & 0xFFFF
        if group & 1:
            if elem < 0x1000:
                return False
            action, rule = self.private_action(creator, group, elem & 0xFF)
            if rule is None and action == "keep" and creator is not None:
                # safe private text is cleaned and UIDs remapped, not kept as they are
                # (deid.safe_values): the gate looks at them, and at numbers and bytes too (a
                # spoofed creator's block may hold anything); only binary numbers are exempt
                vrs = set(safe_private_vrs()[(creator, group, elem & 0xFF)].split("/"))
                if "UI" in vrs and "retain-uids" in self.options:
                    return True
                return bool(vrs) and vrs <= BINARY_NUMBER_VRS
            return action in ("keep", "replace")
        action, rule = self.public_action(tag)
        if rule is not None:
            return rule.action in ("keep", "replace")
        if self._table_codes.get(tag) == "K":
            return True
        return action == DATE and self.date_action == "keep"

    def repeating_rule(self, tag: int) -> Rule | None:
        """A profile rule naming this overlay or curve element, if any."""
        for rule in reversed(self._public_rules):
            if rule.selector.matches_public(tag):
                return rule
        return None


@functools.lru_cache(maxsize=16)
def compile_plan(profile: Profile) -> Plan:
    """Compile ``profile`` once; later calls with the same profile reuse it."""
    return Plan(profile)


def dictionary_vr(tag: int) -> str | None:
    """The first VR the data dictionary gives a tag (None for unknown tags)."""
    try:
        return str(dictionary_VR(tag)).split(" ")[0]
    except KeyError:
        return None
