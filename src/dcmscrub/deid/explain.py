"""What the engine will do to each element of one dataset, and why: the heart of ``dcmscrub plan``.

:func:`explain` walks a dataset as :mod:`dcmscrub.deid.engine` does (every element at every
depth: private blocks, overlays and curves, items of kept sequences and items inside those) and
gives each element the action the engine will apply and the steps that led there
(:class:`~dcmscrub.deid.reasons.Why`): the static decision of the compiled
:class:`~dcmscrub.deid.plan.Plan` (a profile rule, Table E.1-1 and its option columns, what the
table leaves to the implementer), then what the object decides (the IOD's attribute type for a
compound code or a descriptor, the date options, a dummied or cleaned sequence).

It changes nothing and holds no values: ``dcmscrub plan`` pairs it with what the engine really
did to a copy of the dataset, so a decision made elsewhere (a new action, a changed rule) shows
up as a difference instead of being explained wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydicom.datadict import keyword_dict
from pydicom.dataset import Dataset

from dcmscrub.deid.actions import clean_action
from dcmscrub.deid.codes import NOT_TYPED, typed_code
from dcmscrub.deid.plan import CODE_TO_ACTION, DATE, DESCRIPTOR, KEEP_PLAIN, Plan, compile_plan, dictionary_vr
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.reasons import Why, keyword_of, private_why, public_why, rule_why, table_why, tag_text
from dcmscrub.deid.subject import text_of
from dcmscrub.dicomio import elements as el
from dcmscrub.standard import iod
from dcmscrub.standard.annex_e import load_table
from dcmscrub.standard.beyond_table import (
    CODE_TEXTS,
    CURVE_TEXT_ELEMENTS,
    IDENTITY_CODE_SEQUENCES,
    OVERLAY_TEXT_ELEMENTS,
)
from dcmscrub.standard.coding_schemes import CODE_MEANING, LOCAL_CODE_TEXTS
from dcmscrub.standard.iod import known_iod, need_of
from dcmscrub.standard.vrs import DATE_VRS

_SOP_CLASS = keyword_dict["SOPClassUID"]
# set by deid.marks on every output (PS3.15 E.1.1, PS3.3 C.7.1.1)
MARK_TAGS = frozenset(
    keyword_dict[k]
    for k in (
        "PatientIdentityRemoved",
        "DeidentificationMethod",
        "DeidentificationMethodCodeSequence",
        "LongitudinalTemporalInformationModified",
    )
)
MARKS_WHY = Why("marks", "set on every output to say how it was de-identified (PS3.15 E.1.1)")


@dataclass
class ElementPlan:
    """One element: where it is (``path`` by tags, ``name`` by keywords, items as ``[i]``), the
    action the engine applies to it and the reasoning, first step first."""

    path: str
    name: str
    tag: int
    vr: str | None
    depth: int
    action: str
    why: list[Why] = field(default_factory=list)


@dataclass
class Explanation:
    """Every element of a dataset with its action, in stored order (items after their sequence)."""

    sop_class: str
    elements: list[ElementPlan]


def explain(ds: Dataset, profile: Profile) -> Explanation:
    """Explain what :func:`~dcmscrub.deid.engine.deidentify` does to ``ds`` (left unchanged)."""
    walker = _Explainer(ds, compile_plan(profile))
    walker.walk(ds, (), "normal", ("", "", 0))
    return Explanation(walker.sop_class, walker.rows)


Where = tuple[str, str, int]  # path prefix, name prefix, depth


@dataclass(frozen=True)
class _Level:
    """Where the walk is: the tags of the sequences from the top down to the item (empty at the
    top), the tags next to the element, and the walk's mode (normal, dummy, clean), as the
    engine's walk has them."""

    path: tuple[int, ...]
    present: frozenset[int]
    mode: str

    @property
    def parent(self) -> int | None:
        return self.path[-1] if self.path else None


class _Explainer:
    def __init__(self, ds: Dataset, plan: Plan) -> None:
        self.plan = plan
        self.rows: list[ElementPlan] = []
        self.sop_class = text_of(ds, _SOP_CLASS)
        if not self.sop_class and getattr(ds, "file_meta", None) is not None:
            self.sop_class = str(ds.file_meta.get("MediaStorageSOPClassUID", "") or "")
        self.iod = known_iod(self.sop_class)

    def row(self, ds: Dataset, tag: int, where: Where, action: str, *why: Why) -> ElementPlan:
        path, name, depth = where
        label = keyword_of(tag) or tag_text(tag)
        vr = el.stored_vr(ds, tag) or dictionary_vr(tag)
        out = ElementPlan(path + tag_text(tag), name + label, tag, vr, depth, action, list(why))
        self.rows.append(out)
        return out

    def walk(self, ds: Dataset, path: tuple[int, ...], mode: str, where: Where) -> None:
        tags = [int(t) for t in el.tags(ds)]
        level = _Level(path, frozenset(tags), mode)
        parent = level.parent
        here: dict[int, ElementPlan] = {}
        creators: dict[tuple[int, int], ElementPlan] = {}
        kept: set[tuple[int, int]] = set()
        for tag in tags:
            group, elem = tag >> 16, tag & 0xFFFF
            if parent is None and tag in MARK_TAGS:
                here[tag] = self.gone(ds, tag, where, "replace", MARKS_WHY)
            elif group & 1:
                here[tag] = self.private(ds, tag, (where, level), creators, kept)
            elif group == 0x0000 and parent is None:
                here[tag] = self.gone(ds, tag, where, "remove", Why("structure", "a command set element"))
            elif elem == 0 and group != 0x0002:
                why = Why("structure", "a group length (wrong once elements change; optional)")
                here[tag] = self.gone(ds, tag, where, "remove", why)
            elif 0x5000 <= group <= 0x50FF or 0x6000 <= group <= 0x60FF:  # every even group (PS3.5 7.6)
                here[tag] = self.repeating(ds, tag, where, level)
            else:
                here[tag] = self.public(ds, tag, (where, level))
        for dependent, condition in iod.PRESENT_ONLY_WITH.items():
            stays = condition in here and here[condition].action != "remove"
            if dependent in here and not stays:
                here[dependent].action = "remove"
                text = f"present only with {keyword_of(condition)} (PS3.3 Type 1C), which is not kept"
                here[dependent].why.append(Why("iod", text))
        for block, creator_row in creators.items():
            if block in kept:
                creator_row.why.append(Why("private", "the Private Creator of a block that keeps elements"))
            else:
                creator_row.action = "remove"
                creator_row.why.append(
                    Why("private", "a Private Creator goes with its block (PS3.15 E.3.10)")
                )

    # -- the kinds of element ---------------------------------------------------------------------

    def public(self, ds: Dataset, tag: int, at: tuple[Where, _Level]) -> ElementPlan:
        where, level = at
        if level.mode == "dummy" and level.parent in IDENTITY_CODE_SEQUENCES and tag in CODE_TEXTS:
            text = "the code of a person or institution names them: a dummy in a D sequence"
            return self.row(ds, tag, where, "dummy", Why("beyond-table", text))
        action, rule = self.plan.public_action(tag)
        typed = typed_code(ds, level.path, self.plan.profile.text) if tag in LOCAL_CODE_TEXTS else NOT_TYPED
        if rule is None and (typed.meaning if tag == CODE_MEANING else typed.value):
            text = "a code of a scheme the standard does not name (PS3.16 Table 8-1), or a meaning in "
            text += "words the field does not use: typed text, "
            if tag != CODE_MEANING:
                return self.row(ds, tag, where, "pseudonym", Why("beyond-table", text + "a keyed code"))
            cleans = level.mode == "clean" or (level.mode != "dummy" and self.plan.clean_descriptors)
            step = Why("beyond-table", text + ("cleaned" if cleans else "a dummy (the code needs it)"))
            return self.row(ds, tag, where, "clean" if cleans else "dummy", step)
        static = public_why(self.plan, tag, action, rule)
        if action is KEEP_PLAIN:
            return self.row(ds, tag, where, "keep", static)
        return self.decide(ds, tag, action, static, (where, level))

    def private(
        self,
        ds: Dataset,
        tag: int,
        at: tuple[Where, _Level],
        creators: dict[tuple[int, int], ElementPlan],
        kept: set[tuple[int, int]],
    ) -> ElementPlan:
        where, level = at
        group, elem = tag >> 16, tag & 0xFFFF
        if 0x0010 <= elem <= 0x00FF:
            creators[(group, elem)] = out = self.row(ds, tag, where, "keep")
            return out
        if elem < 0x1000:
            why = Why("private", "not private data: (gggg,0001-0FFF) outside a reserved block")
            return self.gone(ds, tag, where, "remove", why)
        block = elem >> 8
        creator: str | None = None
        if el.has(ds, (group << 16) | block):
            creator = str(el.peek(ds, (group << 16) | block).value or "").strip(" \x00")
        action, rule = self.plan.private_action(creator, group, elem & 0xFF)
        if action != "remove":
            kept.add((group, block))
        why = private_why(self.plan, (creator, group, elem & 0xFF), action, rule)
        return self.decide(ds, tag, action, why, (where, _Level(level.path, level.present, "normal")))

    def repeating(self, ds: Dataset, tag: int, where: Where, level: _Level) -> ElementPlan:
        group, elem = tag >> 16, tag & 0xFFFF
        rule = self.plan.repeating_rule(tag)
        if rule is not None:
            return self.decide(ds, tag, rule.action, rule_why(rule), (where, level))
        overlay = group >= 0x6000
        table = load_table()
        why = table_why(table.row("60xx3000" if overlay else "50xxxxxx"), self.plan.options)
        code = self.plan.overlay_code if overlay else self.plan.curve_code
        kind = "an overlay" if overlay else "a curve"
        if code == "X":
            step = Why("structure", f"{kind} without its data is invalid: the whole group goes (E.3.3)")
            return self.gone(ds, tag, where, "remove", why, step)
        if elem not in (OVERLAY_TEXT_ELEMENTS if overlay else CURVE_TEXT_ELEMENTS):
            return self.row(ds, tag, where, "keep", why, Why("structure", f"part of {kind} that is kept"))
        cleans = self.plan.clean_graphics or self.plan.clean_descriptors
        action = "clean" if cleans else "remove"
        step = Why("beyond-table", f"text of {kind}: " + ("cleaned" if cleans else "removed"))
        if overlay and elem == 0x4000:
            why = table_why(table.row("60xx4000"), self.plan.options)
            action, step = CODE_TO_ACTION[self.plan.overlay_comment_code], why
        return self.decide(ds, tag, action, step, (where, level))

    # -- the engine's _apply, told --------------------------------------------------------------------

    def decide(
        self, ds: Dataset, tag: int, action: str, static: Why, at: tuple[Where, _Level]
    ) -> ElementPlan:
        where, level = at
        steps = [static]
        asked = action  # what the plan (a rule, the table) said, before the object resolves it
        vr = el.stored_vr(ds, tag) or dictionary_vr(tag)
        if action == DATE:
            action = {"keep": "keep-date", "shift": "shift", "remove": "remove"}[self.plan.date_action]
        elif action == DESCRIPTOR:
            action = self.descriptor(level, steps)
        elif "/" in action:
            action = self.compound(action, tag, level, steps)
            if action == "remove":
                return self.gone(ds, tag, where, "remove", *steps)
        if action == "remove":
            # every removal asks the IOD (the engine's _apply): empty or a dummy where it needs it
            action = self.by_type(tag, level, steps, ({"3": "remove", "2": "empty"}, "dummy"))
            if action == "remove":
                return self.gone(ds, tag, where, "remove", *steps)
        if action == "clean" and clean_action(vr) != "clean":
            steps.append(Why("structure", f"clean on a {vr} element means {clean_action(vr)}"))
            action = clean_action(vr)
            if action == "remove":  # bytes cannot be cleaned: what the IOD needs instead
                action = self.by_type(tag, level, steps, ({"3": "remove", "2": "empty"}, "dummy"))
        elif action == "empty" and self.required(tag, level) == "1":
            action = "dummy"
            steps.append(Why("iod", "Type 1 here: a value is needed, so a dummy", iod_type="1"))
        rule_said_dummy = static.source == "rule" and asked == "dummy"
        if action == "dummy" and vr in DATE_VRS and self.plan.date_action == "shift" and not rule_said_dummy:
            action = "shift"
            steps.append(Why("dates", "the IOD needs a date and dates are shifted: the shifted date"))
        if action == "keep" and vr in DATE_VRS:
            action = "keep-date"
        out = self.row(ds, tag, where, action, *steps)
        self.items(ds, tag, action, level, out)
        return out

    def items(self, ds: Dataset, tag: int, action: str, level: _Level | None, out: ElementPlan) -> None:
        """Walk the items of a sequence the action keeps; list those of one that goes as going."""
        elem = el.peek(ds, tag)
        if elem.VR != "SQ":
            return
        mode = level.mode if level is not None else "normal"
        path = (*level.path, tag) if level is not None else (tag,)
        child_mode = {"keep": mode, "dummy": "dummy", "clean-sequence": "clean"}.get(action)
        for i, item in enumerate(elem.value):
            where = (f"{out.path}[{i}].", f"{out.name}[{i}].", out.depth + 1)
            if child_mode is None:
                self.going(item, where, out)
            else:
                self.walk(item, path, child_mode, where)

    def gone(self, ds: Dataset, tag: int, where: Where, action: str, *why: Why) -> ElementPlan:
        out = self.row(ds, tag, where, action, *why)
        self.items(ds, tag, action, None, out)
        return out

    def going(self, item: Dataset, where: Where, holder: ElementPlan) -> None:
        done = {"remove": "removed", "empty": "emptied", "replace": "replaced"}.get(holder.action, "not kept")
        why = Why("structure", f"inside {holder.name}, which is {done}")
        for tag in (int(t) for t in el.tags(item)):
            self.gone(item, tag, where, "remove", why)

    def descriptor(self, level: _Level, steps: list[Why]) -> str:
        mode = level.mode
        if mode == "dummy":
            steps.append(Why("mode", "inside a sequence whose text becomes dummies"))
            return "dummy"
        if mode == "clean" or self.plan.clean_descriptors:
            why = "inside a cleaned sequence" if mode == "clean" else "the clean-descriptors option"
            steps.append(Why("mode" if mode == "clean" else "table", why))
            return "clean"
        return "remove"  # or what the IOD needs instead (decide)

    def compound(self, code: str, tag: int, level: _Level, steps: list[Why]) -> str:
        if code == "X/Z/U*":
            steps.append(Why("table", "X/Z/U*: the references stay, every UID inside is remapped"))
            return "keep"
        if code in ("X/Z", "X/Z/D"):
            return self.by_type(tag, level, steps, ({"3": "remove", "2": "empty"}, "dummy"))
        if code == "X/D":
            return self.by_type(tag, level, steps, ({"3": "remove"}, "dummy"))
        if code == "Z/D":
            return self.by_type(tag, level, steps, ({"1": "dummy"}, "empty"))
        steps.append(Why("engine", f"a code this version of plan does not resolve: {code}"))
        return code

    def by_type(self, tag: int, level: _Level, steps: list[Why], choice: tuple[dict[str, str], str]) -> str:
        """The action for the IOD's type of ``tag`` here: ``choice`` maps types, else its default."""
        need = self.required(tag, level)
        action = choice[0].get(need, choice[1])
        parent = level.parent
        where = f" in {keyword_of(parent) or tag_text(parent)}" if parent else ""
        steps.append(Why("iod", f"IOD: Type {need}{where}: {action}", iod_type=need))
        return action

    def required(self, tag: int, level: _Level) -> str:
        return need_of(self.iod, tag, level.path)
