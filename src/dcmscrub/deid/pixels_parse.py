"""The profile's ``pixels:`` rules and their ``match:`` conditions, from a PyYAML node tree.

Each parser takes a node (from ``yaml.compose``, so that every problem has its line), appends every
problem it finds to ``problems`` as a :class:`ProfileProblem` and returns what it could build;
nothing is raised here, the profile loader reports all problems at once. Schema (profile v1)::

    pixels:
      - match: {Modality: US, Manufacturer: "GE*", ManufacturerModelName: "LOGIQ E9", Rows: 600}
        blank: [[0, 0, 800, 60]]             # x, y, width, height in pixels
        note: seen on site X                 # optional free text

The matching language is described in :mod:`dcmscrub.deid.pixels`. Catalogue rules
(``profiles/data/pixel-catalogue.yaml``) are the same plus a unique ``id`` and a ``source``; a profile
rule that names the image size (``Rows``/``Columns``) must keep its rectangles inside it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydicom.datadict import dictionary_VR, keyword_dict, keyword_for_tag, repeater_has_keyword

from dcmscrub.deid.pixels import (
    MAX_DIMENSION,
    NUMERIC_VRS,
    TEXT_VRS,
    Condition,
    PixelRule,
    Rect,
    RuleOrigin,
)
from dcmscrub.deid.yamlnodes import NULL_TAG, Report, line_of, mapping_items, scalar_of, suggest, text_of
from dcmscrub.errors import ProfileProblem

RULE_KEYS = ("match", "blank", "note")
CATALOGUE_RULE_KEYS = ("id", "match", "blank", "source", "note")
CONDITION_KEYS = ("not", "present")

_TAG_RE = re.compile(r"^\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

# --------------------------------------------------------------------------------------------
# rules


def parse_pixel_rules(
    node: yaml.Node,
    source: str,
    problems: list[ProfileProblem],
    origin: RuleOrigin = "profile",
) -> tuple[PixelRule, ...]:
    """The rules of a ``pixels:`` list (or a catalogue's ``rules:``)."""
    rep = Report(source, problems)
    if not isinstance(node, yaml.SequenceNode):
        rep.add(
            node,
            "pixels must be a list of {match: ..., blank: [[x, y, width, height]]}",
        )
        return ()
    rules = []
    ids: dict[str, int] = {}
    for item in node.value:
        rule = _parse_rule(rep, item, origin)
        if rule is None:
            continue
        if rule.rule_id is not None and rule.rule_id in ids:
            rep.add(
                item,
                f"duplicate catalogue id '{rule.rule_id}' (first at line {ids[rule.rule_id]})",
            )
            continue
        if rule.rule_id is not None:
            ids[rule.rule_id] = line_of(item)
        rules.append(rule)
    return tuple(rules)


def _parse_rule(rep: Report, node: yaml.Node, origin: RuleOrigin) -> PixelRule | None:
    if not isinstance(node, yaml.MappingNode):
        rep.add(
            node,
            "a pixels rule must be a mapping like {match: {...}, blank: [[0, 0, 800, 60]]}",
        )
        return None
    known = CATALOGUE_RULE_KEYS if origin == "catalogue" else RULE_KEYS
    keys: dict[str, yaml.Node] = {}
    ok = True
    for key, key_node, value in mapping_items(rep, node, "pixels rule"):
        if key not in known:
            rep.add(
                key_node,
                f"unknown pixels rule key '{key}'",
                suggest(key, known) or ", ".join(known),
            )
            ok = False
        keys[key] = value
    for required in [k for k in known if k not in ("note",)]:
        if required not in keys:
            rep.add(node, f"pixels rule without '{required}'", _REQUIRED_HINTS[required])
            ok = False
    conditions = parse_match(keys["match"], rep.source, rep.problems) if "match" in keys else None
    rects = _parse_blank(rep, keys["blank"]) if "blank" in keys else None
    note = text_of(rep, keys["note"], "note") if "note" in keys else None
    rule_id = _parse_id(rep, keys["id"]) if "id" in keys else None
    provenance = text_of(rep, keys["source"], "source") if "source" in keys else None
    if not ok or conditions is None or rects is None or (origin == "catalogue" and not rule_id):
        return None
    if origin == "profile" and not _inside(rep, conditions, rects):
        return None
    where = provenance if provenance else f"{rep.source}:{line_of(node)}"
    return PixelRule(conditions, tuple(r for r, _ in rects), where, origin, rule_id, note)


_REQUIRED_HINTS = {
    "match": "add: match: {Modality: US, ManufacturerModelName: ...}",
    "blank": "add: blank: [[x, y, width, height]]",
    "id": "add: id: a-unique-name",
    "source": "name where the rectangle comes from (file and line)",
}


def _parse_id(rep: Report, node: yaml.Node) -> str | None:
    value = text_of(rep, node, "id")
    if value is not None and not _ID_RE.match(value):
        rep.add(node, "id must be 1-64 lowercase letters, digits or '-'")
        return None
    return value


def _parse_blank(rep: Report, node: yaml.Node) -> list[tuple[Rect, yaml.Node]] | None:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        rep.add(
            node,
            "blank must be a non-empty list of rectangles",
            "blank: [[x, y, width, height]]",
        )
        return None
    if all(isinstance(item, yaml.ScalarNode) for item in node.value):
        rep.add(
            node,
            "blank is a list of rectangles, not one rectangle",
            "write blank: [[x, y, width, height]]",
        )
        return None
    rects = []
    for item in node.value:
        rect = _parse_rect(rep, item)
        if rect is None:
            return None
        rects.append((rect, item))
    return rects


def _parse_rect(rep: Report, node: yaml.Node) -> Rect | None:
    values = (
        [scalar_of(v) if isinstance(v, yaml.ScalarNode) else None for v in node.value]
        if isinstance(node, yaml.SequenceNode)
        else []
    )
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if len(values) != 4 or len(numbers) != 4:
        rep.add(node, "a rectangle is [x, y, width, height]: 4 whole numbers of pixels")
        return None
    rect = Rect(*numbers)
    if rect.x < 0 or rect.y < 0:
        rep.add(
            node,
            f"rectangle {rect.as_list()}: x and y cannot be negative",
            "0, 0 is the top left pixel",
        )
    elif rect.width < 1 or rect.height < 1:
        rep.add(node, f"rectangle {rect.as_list()}: width and height must be at least 1")
    elif rect.right > MAX_DIMENSION or rect.bottom > MAX_DIMENSION:
        rep.add(
            node,
            f"rectangle {rect.as_list()} reaches past {MAX_DIMENSION}, the largest image size",
        )
    else:
        return rect
    return None


def _inside(rep: Report, conditions: tuple[Condition, ...], rects: list[tuple[Rect, yaml.Node]]) -> bool:
    """A profile rule that names the image size must keep its rectangles inside it."""
    before = len(rep.problems)
    sizes = {
        c.key: max(int(v) for v in c.values)
        for c in conditions
        if c.kind == "any" and c.key in ("Rows", "Columns")
    }
    for rect, item in rects:
        if "Columns" in sizes and rect.right > sizes["Columns"]:
            rep.add(
                item,
                f"rectangle {rect.as_list()} ends at column {rect.right}, outside the image "
                f"(Columns: {sizes['Columns']})",
                "x + width must be at most Columns",
            )
        if "Rows" in sizes and rect.bottom > sizes["Rows"]:
            rep.add(
                item,
                f"rectangle {rect.as_list()} ends at row {rect.bottom}, outside the image "
                f"(Rows: {sizes['Rows']})",
                "y + height must be at most Rows",
            )
    return len(rep.problems) == before


# --------------------------------------------------------------------------------------------
# match conditions


def parse_match(node: yaml.Node, source: str, problems: list[ProfileProblem]) -> tuple[Condition, ...] | None:
    """The conditions of a ``match:`` mapping (all must hold); None if any is wrong."""
    rep = Report(source, problems)
    if not isinstance(node, yaml.MappingNode):
        rep.add(
            node,
            "match must be a mapping of attribute: condition",
            "match: {Modality: US, Rows: 600}",
        )
        return None
    before = len(problems)
    conditions = []
    for key, key_node, value in mapping_items(rep, node, "match"):
        cond = _parse_condition(rep, key, key_node, value)
        if cond is not None:
            conditions.append(cond)
    if not node.value:
        rep.add(
            node,
            "match needs at least one condition",
            "an empty match would blank every image",
        )
    return tuple(conditions) if len(problems) == before and conditions else None


def _parse_condition(rep: Report, key: str, key_node: yaml.Node, node: yaml.Node) -> Condition | None:
    resolved = _resolve_attribute(rep, key, key_node)
    if resolved is None:
        return None
    tag, numeric = resolved
    if isinstance(node, yaml.MappingNode):
        entries = list(mapping_items(rep, node, f"{key} condition"))
        if len(entries) != 1 or entries[0][0] not in CONDITION_KEYS:
            rep.add(
                node,
                f"{key}: a condition mapping has one key, 'not' or 'present'",
                "e.g. {not: SECONDARY}",
            )
            return None
        word, _, sub = entries[0]
        if word == "present":
            flag = scalar_of(sub) if isinstance(sub, yaml.ScalarNode) else None
            if not isinstance(flag, bool):
                rep.add(sub, f"{key}: present must be true or false")
                return None
            return Condition(key, tag, "present" if flag else "absent")
        values = _alternatives(rep, key, sub, numeric)
        return None if values is None else Condition(key, tag, "none", values, numeric)
    values = _alternatives(rep, key, node, numeric)
    return None if values is None else Condition(key, tag, "any", values, numeric)


def _alternatives(
    rep: Report, key: str, node: yaml.Node, numeric: bool
) -> tuple[str | int | float, ...] | None:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    if isinstance(node, yaml.SequenceNode) and not items:
        rep.add(node, f"{key}: an empty list matches nothing", "give at least one value")
        return None
    out: list[str | int | float] = []
    for item in items:
        value = scalar_of(item) if isinstance(item, yaml.ScalarNode) and item.tag != NULL_TAG else None
        problem = _value_problem(key, value, numeric)
        if problem is None and isinstance(value, str | int | float):
            out.append(value)
        else:
            raw = item.value if isinstance(item, yaml.ScalarNode) and item.value else "..."
            rep.add(
                item,
                problem or f"{key}: not a value",
                "numbers match exactly, e.g. Rows: 600" if numeric else f'quote it: "{raw}"',
            )
            return None
    return tuple(out)


def _value_problem(key: str, value: Any, numeric: bool) -> str | None:
    """Why ``value`` cannot be matched against attribute ``key``, or None."""
    if isinstance(value, bool):
        return f"{key} needs {'a number' if numeric else 'text'}, but YAML reads the value as true/false"
    if numeric and isinstance(value, str):
        return f"{key} is a number: write it without quotes"
    if numeric and not isinstance(value, int | float):
        return f"{key} needs a number"
    if not numeric and isinstance(value, int | float):
        return f"{key} is text, but the value is a number"
    if not numeric and not isinstance(value, str):
        return f"{key} is text, but the value is empty or a list inside a list"
    return None


def _resolve_attribute(rep: Report, key: str, node: yaml.Node) -> tuple[int, bool] | None:
    resolved, problem, hint = resolve_attribute(key)
    if resolved is None:
        rep.add(node, problem or f"cannot match on {key}", hint)
    return resolved


def resolve_attribute(
    key: str,
) -> tuple[tuple[int, bool] | None, str | None, str | None]:
    """``((tag, numeric), None, None)`` for a match key, or ``(None, problem, hint)``.

    A key is a keyword (``ManufacturerModelName``), or ``(gggg,eeee)`` for a public element
    without a keyword of its own (repeating groups such as overlay group 6000).
    """
    m = _TAG_RE.match(key)
    if m:
        tag = int(m.group(1) + m.group(2), 16)
        if int(m.group(1), 16) % 2:
            return (
                None,
                f"private attribute {key} cannot be matched",
                "match on public attributes",
            )
        keyword = keyword_for_tag(tag)
        if keyword and keyword in keyword_dict:  # keyword_dict also has "" for tags without one
            return None, f"write the keyword {keyword}, not the tag {key}", None
    elif key and key in keyword_dict:
        tag = keyword_dict[key]
    else:
        hint = (
            "repeating-group attributes are matched by tag, e.g. (6000,0022)"
            if repeater_has_keyword(key)
            else suggest(key, keyword_dict) or "use a DICOM keyword such as ManufacturerModelName"
        )
        return None, f"unknown attribute '{key}'", hint
    try:
        vrs = set(dictionary_VR(tag).split(" or "))
    except KeyError:
        return None, f"unknown attribute {key}", None
    if vrs <= NUMERIC_VRS:
        return (tag, True), None, None
    if vrs <= TEXT_VRS:
        return (tag, False), None, None
    return (
        None,
        f"{key} (VR {' or '.join(sorted(vrs))}) cannot be matched",
        "match text or number attributes",
    )
