"""A profile's effective action for every attribute it decides (``profile show --table``).

Every row of Table E.1-1 under the profile's options and rules, the attributes its rules name
outside the table, the attributes the table leaves to the implementer (extra instance UIDs, free
text), and one line for each class of element decided as a class (other dates, unknown public
elements, private elements). Actions that depend on the object (compound codes, descriptors)
are shown as the choice they are; ``dcmscrub plan FILE`` resolves them for one file.
"""

from __future__ import annotations

from dataclasses import dataclass

from dcmscrub.deid.actions import clean_action
from dcmscrub.deid.plan import CODE_TO_ACTION, DATE, DESCRIPTOR, KEEP_PLAIN, Plan, compile_plan, dictionary_vr
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.reasons import Why, keyword_of, public_why, rule_why, table_why, tag_text
from dcmscrub.standard.annex_e import TableRow, load_table
from dcmscrub.standard.beyond_table import EXTRA_UIDS, free_text_tags

_REPEATING = {"50xxxxxx": 0x50000000, "60xx3000": 0x60003000, "60xx4000": 0x60004000}


@dataclass(frozen=True)
class EffectiveRow:
    """One attribute (or class of elements): its tag text, keyword, action and why."""

    tag: str
    keyword: str
    action: str
    why: Why


def effective_rows(profile: Profile) -> list[EffectiveRow]:
    """The profile's decision for each attribute, table rows first (in tag order)."""
    plan = compile_plan(profile)
    table = load_table()
    rows = [_table_row(profile, row) for row in table.rows]
    named = set(table.by_tag)
    for rule in profile.rules:
        sel = rule.selector
        if sel.kind == "tag" and sel.tag not in named:
            shown = _shown(rule.action, sel.tag, plan=plan)
            rows.append(EffectiveRow(tag_text(sel.tag), keyword_of(sel.tag), shown, rule_why(rule)))
        elif sel.kind != "tag":  # a repeating group or a private element
            creator = f" {sel.creator}" if sel.creator else ""
            rows.append(EffectiveRow(sel.text, f"(rule){creator}", rule.action, rule_why(rule)))
    for tag in sorted((EXTRA_UIDS | free_text_tags()) - named):
        action, by_rule = plan.public_action(tag)
        why = public_why(plan, tag, action, by_rule)
        rows.append(EffectiveRow(tag_text(tag), keyword_of(tag), _shown(action, tag, plan=plan), why))
    rows += _classes(profile)
    return rows


def _table_row(profile: Profile, row: TableRow) -> EffectiveRow:
    plan = compile_plan(profile)
    shown = f"({row.tag[:4].upper()},{row.tag[4:].upper()})".replace("X", "x")
    if row.tag == "ggggeeee":
        action = "keep-safe" if plan.safe_private else "remove"
        return EffectiveRow("(gggg,eeee)", "private", action, table_why(row, plan.options))
    if row.tag in _REPEATING:
        rule = plan.repeating_rule(_REPEATING[row.tag])
        if rule is not None:
            return EffectiveRow(shown, row.keyword, rule.action, rule_why(rule))
        code = {"50xxxxxx": plan.curve_code, "60xx3000": plan.overlay_code}.get(
            row.tag, plan.overlay_comment_code
        )
        return EffectiveRow(shown, row.keyword, CODE_TO_ACTION.get(code, code), table_why(row, plan.options))
    tag = int(row.tag, 16)
    action, rule = plan.public_action(tag)
    return EffectiveRow(
        shown, row.keyword, _shown(action, tag, row.vr, plan=plan), public_why(plan, tag, action, rule)
    )


def _shown(action: str, tag: int, vr: str | None = None, *, plan: Plan | None = None) -> str:
    """An action as it applies to this attribute: ``clean`` on a date is ``shift``, a descriptor
    is cleaned (clean-descriptors) or treated as X/Z/D, a date follows the date options."""
    if action == KEEP_PLAIN:
        return "keep"
    if action == "clean":
        return clean_action(vr or dictionary_vr(tag))
    if plan is not None and action == DESCRIPTOR:
        return "clean" if plan.clean_descriptors else "X/Z/D"
    if plan is not None and action == DATE:
        return plan.date_action
    return action


def _classes(profile: Profile) -> list[EffectiveRow]:
    plan = compile_plan(profile)
    safe = len(plan.safe_private)
    private = f"keep the {safe} safe ones, remove the rest" if safe else "remove"
    rows = [
        ("(DA, DT)", "other dates", plan.date_action, "dates outside Table E.1-1 follow the date options"),
        ("(gggg,0000)", "group lengths", "remove", "wrong once elements change; optional"),
        ("(0000,eeee)", "command set", "remove", "a command set has no place in a stored object"),
        ("(unknown)", "public, unknown", "remove", "a public element the data dictionary does not know"),
        ("(other)", "other public", "keep", "outside Table E.1-1, and not text, a UID or a date"),
        (
            "(odd group)",
            "private",
            private,
            "private elements (E.3.10, Table E.3.10-1 with retain-safe-private)",
        ),
    ]
    return [
        EffectiveRow(tag, keyword, action, Why("beyond-table", text)) for tag, keyword, action, text in rows
    ]
