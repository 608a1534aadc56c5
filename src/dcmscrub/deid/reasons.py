"""Why an element gets its action: the words behind ``dcmscrub plan`` and ``profile show --table``.

The engine (:mod:`dcmscrub.deid.engine`) decides; this module says which part of the decision
chain of :class:`~dcmscrub.deid.plan.Plan` spoke for one element: a profile rule (with its
file and line), Table E.1-1 (row and column: the Basic Profile or the option that won), what the
table leaves to the implementer (:mod:`dcmscrub.standard.beyond_table`), or the private-element
rules. It reads the plan's public answers and the standard's tables; it never decides anything
itself, so a decision it cannot account for is reported as the plan's, not guessed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pydicom.datadict import dictionary_VR, keyword_for_tag, repeater_has_tag

from dcmscrub.deid.plan import CODE_TO_ACTION, DATE, DESCRIPTOR, KEEP_PLAIN, Plan
from dcmscrub.deid.profile import Rule
from dcmscrub.standard.annex_e import REVEAL_ORDER, TableRow, load_table
from dcmscrub.standard.beyond_table import EXTRA_UIDS, KEYED_LABELS, free_text_tags, is_extra_identifier
from dcmscrub.standard.vrs import DATE_VRS

# What each action name means. Every name the engine can apply (deid.actions), every static
# action of the plan and every code of Table E.1-1 has an entry: a test holds the engine to it.
ACTION_TEXT: dict[str, str] = {
    "remove": "delete the element",
    "empty": "keep the element with no value",
    "dummy": "replace the value by a fixed dummy valid for its VR",
    "keep": "keep it as it is (a sequence: its items follow their own rules)",
    KEEP_PLAIN: "keep it as it is",
    "keep-date": "keep the date (an invalid date is emptied, never passed on)",
    "clean": "take names, IDs, dates, phone numbers and e-mail addresses out of the text",
    "clean-sequence": "walk the sequence, cleaning the text inside it",
    "uid": "replace each UID by its keyed remap (standard UIDs stay)",
    "shift": "move the date by the patient's keyed offset (time and precision kept)",
    "pseudonym": "replace by the keyed pseudonym",
    "replace": "replace by the value the profile rule gives",
    DATE: "a date outside the table: removed, kept or shifted as the date options say",
    DESCRIPTOR: "free text outside the table: removed, emptied or a dummy as the IOD needs, "
    "cleaned with clean-descriptors",
    "X/Z": "remove, or empty where the IOD needs the element",
    "X/D": "remove, or a dummy where the IOD needs a value",
    "Z/D": "empty, or a dummy where the IOD needs a value",
    "X/Z/D": "remove, empty or a dummy, as the IOD needs",
    "X/Z/U*": "keep the references with every UID inside remapped",
}


def describe_action(action: str) -> str:
    """What ``action`` does, in words (an action added to the engine later still gets a line)."""
    return ACTION_TEXT.get(action, f"{action} (not described by this version of dcmscrub plan)")


@dataclass(frozen=True)
class Why:
    """One step of the reasoning for an element's action.

    ``source``: ``rule`` (a profile rule, ``rule`` is its file:line), ``table`` (Table E.1-1:
    ``table_row``, ``table_column`` is ``basic`` or the option that decided, ``code``),
    ``beyond-table``, ``private``, ``structure`` (group lengths, command sets, items of a
    sequence that goes), ``iod`` (``iod_type`` of the object's IOD resolved a code), ``mode``
    (inside a dummied or cleaned sequence), ``marks`` (added to say the object is de-identified),
    ``engine`` (what the engine did, where this module has no more to say).
    """

    source: str
    text: str
    table_row: str | None = None
    table_column: str | None = None
    code: str | None = None
    rule: str | None = None
    iod_type: str | None = None

    def to_json(self) -> dict[str, str]:
        """The fields that are set."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def tag_text(tag: int) -> str:
    """``(gggg,eeee)``."""
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def keyword_of(tag: int) -> str:
    """The dictionary keyword, or '' for private and unknown elements."""
    try:
        return str(keyword_for_tag(tag) or "")
    except (KeyError, ValueError):
        return ""


def rule_why(rule: Rule) -> Why:
    """A profile rule, named by its place."""
    where = f"{rule.source}:{rule.line}" if rule.line is not None else rule.source
    creator = f" (creator {rule.selector.creator})" if rule.selector.creator else ""
    return Why("rule", f"profile rule {where}: {rule.selector.text}{creator} -> {rule.action}", rule=where)


def table_why(row: TableRow, options: frozenset[str]) -> Why:
    """Table E.1-1's row and the column that decided (the Basic Profile or an enabled option)."""
    named = sorted(o for o in options if o in row.options)
    if named:
        column = min(named, key=lambda o: REVEAL_ORDER.index(row.options[o]))
        code = row.options[column]
    else:
        column, code = "basic", row.basic
    tag = row.tag.upper() if "x" not in row.tag else row.tag
    shown = f"({tag[:4]},{tag[4:]})"
    return Why(
        "table",
        f"Table E.1-1 {shown}, {column}: {code}",
        table_row=shown,
        table_column=column,
        code=code,
    )


def public_why(plan: Plan, tag: int, action: str, rule: Rule | None) -> Why:
    """Why the plan gives a public element ``action`` (its static action, before the object)."""
    if rule is not None:
        return rule_why(rule)
    expected, why = _public_source(plan, tag)
    same = expected == action or {expected, action} == {"keep", KEEP_PLAIN}
    if not same:
        return Why("engine", f"the compiled plan gives {action}")  # a source this module does not know
    return why


def _public_source(plan: Plan, tag: int) -> tuple[str, Why]:
    """The plan's order (deid.plan.Plan._resolve_public_action), told in words."""
    row = load_table().by_tag.get(tag)
    if row is not None:
        why = table_why(row, plan.options)
        code = why.code or row.basic
        return CODE_TO_ACTION.get(code, code), why
    beyond = _beyond_table_source(plan, tag)
    if beyond is not None:
        return beyond
    try:
        vr = dictionary_VR(tag)
    except KeyError:
        if repeater_has_tag(tag):
            return "keep", Why("beyond-table", "an element of a repeating group the dictionary knows")
        return "remove", Why("beyond-table", "a public element the data dictionary does not know")
    if vr in DATE_VRS:
        text = f"a date outside Table E.1-1: the date options say {plan.date_action}"
        return DATE, Why("beyond-table", text)
    return "keep", Why("beyond-table", "outside Table E.1-1, and not text, a UID or a date")


def _beyond_table_source(plan: Plan, tag: int) -> tuple[str, Why] | None:
    """What the table leaves to the implementer (deid.plan.Plan._beyond_table), told in words."""
    if tag in EXTRA_UIDS:
        keep = "retain-uids" in plan.options
        text = "an instance UID outside Table E.1-1: remapped like the table's U rows"
        return ("keep" if keep else "uid"), Why(
            "beyond-table", text + ("; kept (retain-uids)" if keep else "")
        )
    if tag in KEYED_LABELS:
        text = "a typed label that other elements name by value (a graphic layer): a keyed code"
        return "pseudonym", Why("beyond-table", text)
    if is_extra_identifier(tag):
        text = "an identifier outside Table E.1-1 (an image or file ID, a date in another calendar)"
        return "remove", Why("beyond-table", text)
    if tag in free_text_tags():
        text = "free text outside Table E.1-1, treated like the table's descriptors (PS3.15 E.1.1)"
        return DESCRIPTOR, Why("beyond-table", text)
    return None


def private_why(plan: Plan, key: tuple[str | None, int, int], action: str, rule: Rule | None) -> Why:
    """Why a private element (``key``: creator, group, element byte) gets ``action``."""
    creator, group, offset = key
    if rule is not None:
        return rule_why(rule)
    if creator is None:
        return Why("private", "a private element without its Private Creator cannot be judged")
    if action == "keep" and (creator, group, offset) in plan.safe_private:
        return Why("private", f"Table E.3.10-1 lists it as safe for creator {creator} (retain-safe-private)")
    if "retain-safe-private" in plan.options:
        return Why("private", "private: Table E.3.10-1 does not list it as safe for its creator")
    return Why("private", "private elements go (PS3.15 E.3.10); retain-safe-private keeps the safe ones")
