"""Parsing one profile file: YAML with line numbers in, a :class:`Layer` and its problems out.

Every problem is collected as a :class:`~dcmscrub.errors.ProfileProblem` with its ``file:line``
and a hint, never raised, so that a profile's problems are all reported at once. Merging layers
along an ``extends`` chain is :mod:`dcmscrub.deid.profile_load`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from dcmscrub.deid import profile_pixels as pixel_sections
from dcmscrub.deid.profile import (
    ACTION_VRS,
    ACTIONS,
    BURNED_IN,
    ESCROW_KEYS,
    MAX_DATE_SHIFT_DAYS,
    MAX_UID_ROOT_LENGTH,
    PRIVATE_DEFAULTS,
    PRIVATE_KEYS,
    PROFILE_VERSION,
    PSEUDONYM_KEYS,
    RULE_KEYS,
    TOP_KEYS,
    Rule,
)
from dcmscrub.deid.selector import Selector, check_value_for_vr, parse_selector, vr_of
from dcmscrub.errors import ProfileProblem
from dcmscrub.standard.options import OPTIONS

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_NAMESPACE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
_UID_ROOT_RE = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")
_AGE_RECIPIENT_RE = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")


# --------------------------------------------------------------------------------------------
# YAML with line numbers


class Doc:
    """One YAML document, its node tree and where it came from."""

    def __init__(self, source: str, raw: bytes, problems: list[ProfileProblem]) -> None:
        self.source = source
        self.raw = raw
        self.problems = problems
        self.root: yaml.Node | None = None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.add(None, "not UTF-8 text", "save the profile as UTF-8")
            return
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            what = getattr(exc, "problem", None) or "invalid YAML"
            self.add(line, f"invalid YAML: {what}", "check indentation and quoting near this line")

    def add(self, line: int | None, message: str, hint: str | None = None) -> None:
        self.problems.append(ProfileProblem(self.source, line, message, hint))


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: yaml.Node) -> Any:
    """The Python value of a scalar node, with YAML 1.1 safe tags resolved."""
    return yaml.SafeLoader(" ").construct_object(node, deep=True)


def _mapping_items(doc: Doc, node: yaml.Node, where: str) -> Iterator[tuple[str, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        doc.add(_line(node), f"{where} must be a mapping")
        return
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            doc.add(_line(key_node), f"{where}: keys must be text")
            continue
        if key in seen:
            doc.add(_line(key_node), f"{where}: duplicate key '{key}'")
            continue
        seen.add(key)
        yield key, value_node


def _text(doc: Doc, node: yaml.Node, where: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        doc.add(_line(node), f"{where} must be text")
        return None
    value = _scalar(node)
    if isinstance(value, bool | list | dict) or value is None:
        doc.add(_line(node), f"{where} must be text")
        return None
    return str(value) if not isinstance(value, str) else value


def suggest(word: str, choices: Iterable[str]) -> str | None:
    import difflib  # local: only for hints

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else None


# --------------------------------------------------------------------------------------------
# parsing one file


@dataclass
class Layer:
    """What one profile file says (before merging with what it extends)."""

    source: str
    raw: bytes
    name: str | None = None
    description: str | None = None
    extends: str | None = None
    extends_line: int | None = None
    options: list[str] = field(default_factory=list)
    option_lines: dict[str, int] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    private_default: str | None = None
    namespace: str | None = None
    uid_root: str | None = None
    date_shift_days: int | None = None
    burned_in: str | None = None
    recipients: list[str] | None = None
    escrow_recipients: list[str] | None = None
    escrow_line: int | None = None
    base_dir: str | None = None
    text_clean: str | None = None
    text_terms: list[str] = field(default_factory=list)
    text_files: list[tuple[str, int]] = field(default_factory=list)  # (path as written, line)
    pixel: pixel_sections.PixelLayer = field(default_factory=pixel_sections.PixelLayer)


def parse_layer(doc: Doc, base_dir: str | None) -> Layer:
    """What one profile document says; every problem is added to ``doc``."""
    layer = Layer(doc.source, doc.raw, base_dir=base_dir)
    root = doc.root
    if root is None:
        if not any(p.source == doc.source for p in doc.problems):
            doc.add(1, "the profile is empty", "start with: version: 1")
        return layer
    if not isinstance(root, yaml.MappingNode):
        doc.add(_line(root), "a profile must be a mapping of keys (version, name, rules, ...)")
        return layer
    keys = dict(_mapping_items(doc, root, "profile"))
    for key, node in keys.items():
        if key not in TOP_KEYS:
            doc.add(
                _line(node),
                f"unknown key '{key}'",
                suggest(key, TOP_KEYS) or f"known keys: {', '.join(TOP_KEYS)}",
            )
    _parse_version(doc, root, keys.get("version"))
    if "name" not in keys:
        doc.add(_line(root), "missing 'name'", "add: name: my-profile")
    for key, node in keys.items():
        section = _SECTIONS.get(key)
        if section is not None:
            section(doc, node, layer)
    return layer


def _parse_name(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    layer.name = _text(doc, node, "name")
    if layer.name is not None and not _NAME_RE.match(layer.name):
        doc.add(_line(node), "name must be 1-64 letters, digits, '.', '-' or '_'")


def _parse_description(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    layer.description = _text(doc, node, "description")


def _parse_extends(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    layer.extends = _text(doc, node, "extends")
    layer.extends_line = _line(node)


def _parse_burned_in(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    value = _text(doc, node, "burned_in")
    if value is not None and value not in BURNED_IN:
        doc.add(_line(node), f"burned_in must be one of {', '.join(BURNED_IN)}, not '{value}'")
    elif value is not None:
        layer.burned_in = value


def _parse_version(doc: Doc, root: yaml.Node, node: yaml.Node | None) -> None:
    if node is None:
        doc.add(_line(root), "missing 'version'", f"add: version: {PROFILE_VERSION}")
        return
    value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if value != PROFILE_VERSION or isinstance(value, bool):
        doc.add(
            _line(node),
            f"unsupported profile version {value!r}",
            f"this dcmscrub reads version {PROFILE_VERSION}",
        )


def _parse_options(doc: Doc, node: yaml.Node, lines: dict[str, int]) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        doc.add(_line(node), "options must be a list, e.g. [retain-safe-private, clean-descriptors]")
        return []
    out = []
    for item in node.value:
        name = _text(doc, item, "an option")
        if name is None:
            continue
        if name not in OPTIONS:
            doc.add(
                _line(item),
                f"unknown option '{name}'",
                suggest(name, OPTIONS) or "the options are: " + ", ".join(sorted(OPTIONS)),
            )
            continue
        out.append(name)
        lines.setdefault(name, _line(item))
    return out


def _parse_rules(doc: Doc, node: yaml.Node) -> list[Rule]:
    if not isinstance(node, yaml.SequenceNode):
        doc.add(_line(node), "rules must be a list of {select: ..., action: ...}")
        return []
    rules = []
    for item in node.value:
        rule = _parse_rule(doc, item)
        if rule is not None:
            rules.append(rule)
    return rules


def _parse_rule(doc: Doc, node: yaml.Node) -> Rule | None:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        doc.add(line, "a rule must be a mapping like {select: PatientName, action: remove}")
        return None
    keys = dict(_mapping_items(doc, node, "rule"))
    ok = True
    for key, sub in keys.items():
        if key not in RULE_KEYS:
            doc.add(
                _line(sub),
                f"unknown rule key '{key}'",
                suggest(key, RULE_KEYS) or f"known: {', '.join(RULE_KEYS)}",
            )
            ok = False
    select = _text(doc, keys["select"], "select") if "select" in keys else None
    if "select" not in keys:
        doc.add(line, "rule without 'select'", "add: select: <keyword or tag>")
    creator = _text(doc, keys["creator"], "creator") if "creator" in keys else None
    action = _text(doc, keys["action"], "action") if "action" in keys else None
    if "action" not in keys:
        doc.add(line, "rule without 'action'", f"one of: {', '.join(ACTIONS)}")
    elif action is not None and action not in ACTIONS:
        doc.add(
            _line(keys["action"]),
            f"unknown action '{action}'",
            suggest(action, ACTIONS) or ", ".join(ACTIONS),
        )
        action = None
    value = _text(doc, keys["value"], "value") if "value" in keys else None
    if select is None or action is None or not ok:
        return None
    selector, problem, hint = parse_selector(select, creator)
    if selector is None:
        doc.add(_line(keys["select"]), problem or "bad selector", hint)
        return None
    if not _check_rule_semantics(doc, keys, selector, action, value):
        return None
    return Rule(selector, action, value, doc.source, line)


def _check_rule_semantics(
    doc: Doc, keys: dict[str, yaml.Node], selector: Selector, action: str, value: str | None
) -> bool:
    line = _line(keys["action"])
    vr = vr_of(selector)
    if action == "replace":
        if "value" not in keys:
            doc.add(line, "action 'replace' needs 'value:'")
            return False
        if value is None:
            return False
        problem = check_value_for_vr(value, vr)
        if problem:
            doc.add(_line(keys["value"]), f"{selector.text}: {problem}")
            return False
    elif "value" in keys:
        doc.add(_line(keys["value"]), f"'value' is only used with action 'replace', not '{action}'")
        return False
    allowed = ACTION_VRS[action]
    if allowed is not None and vr is not None and vr not in allowed:
        doc.add(
            line,
            f"action '{action}' does not apply to {selector.text} (VR {vr})",
            f"'{action}' works on VR {', '.join(sorted(allowed))}",
        )
        return False
    return True


def _parse_private(doc: Doc, node: yaml.Node) -> str | None:
    result = None
    for key, sub in _mapping_items(doc, node, "private"):
        if key not in PRIVATE_KEYS:
            doc.add(_line(sub), f"unknown key 'private.{key}'", f"known: {', '.join(PRIVATE_KEYS)}")
            continue
        value = _text(doc, sub, "private.default")
        if value is not None and value not in PRIVATE_DEFAULTS:
            doc.add(
                _line(sub),
                f"private.default must be one of {', '.join(PRIVATE_DEFAULTS)}, not '{value}'",
                "to keep more private elements, add rules with select: (gggg,xxEE) and creator:",
            )
        elif value is not None:
            result = value
    return result


def _parse_pseudonyms(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    for key, sub in _mapping_items(doc, node, "pseudonyms"):
        if key not in PSEUDONYM_KEYS:
            doc.add(_line(sub), f"unknown key 'pseudonyms.{key}'", suggest(key, PSEUDONYM_KEYS))
        elif key == "namespace":
            ns = _text(doc, sub, "pseudonyms.namespace")
            if ns is not None and not _NAMESPACE_RE.match(ns):
                doc.add(_line(sub), "pseudonyms.namespace must be 1-128 letters, digits or . _ : / -")
            else:
                layer.namespace = ns
        elif key == "uid_root":
            _parse_uid_root(doc, sub, layer)
        else:
            value = _scalar(sub) if isinstance(sub, yaml.ScalarNode) else None
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_DATE_SHIFT_DAYS:
                doc.add(
                    _line(sub),
                    f"pseudonyms.date_shift_days must be a whole number from 1 to {MAX_DATE_SHIFT_DAYS}",
                )
            else:
                layer.date_shift_days = value


def _parse_uid_root(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        layer.uid_root = ""
        return
    root = _text(doc, node, "pseudonyms.uid_root")
    if root is None:
        return
    if not _UID_ROOT_RE.match(root):
        doc.add(
            _line(node),
            "pseudonyms.uid_root is not a UID root (digits and dots, no leading zeros)",
            'quote it: uid_root: "1.2.826.0.1.3680043.10.999"',
        )
    elif len(root) > MAX_UID_ROOT_LENGTH:
        doc.add(
            _line(node),
            f"pseudonyms.uid_root is {len(root)} characters; at most {MAX_UID_ROOT_LENGTH}",
            "a shorter root leaves room for the keyed part of each UID",
        )
    elif root.startswith("1.2.840.10008"):
        doc.add(_line(node), "pseudonyms.uid_root cannot be under 1.2.840.10008 (reserved for the standard)")
    else:
        layer.uid_root = root


def _parse_recipients(doc: Doc, node: yaml.Node, where: str = "recipients") -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        doc.add(_line(node), f"{where} must be a list of age public keys (age1...)")
        return []
    out = []
    for item in node.value:
        value = _text(doc, item, "a recipient")
        if value is None:
            continue
        if not _AGE_RECIPIENT_RE.match(value):
            doc.add(
                _line(item),
                "not an age X25519 recipient (age1... , 62 characters)",
                "recipients are public keys; never put an identity (AGE-SECRET-KEY-1...) in a profile",
            )
            continue
        out.append(value)
    return out


def _parse_escrow_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    for key, sub in _mapping_items(doc, node, "escrow"):
        if key not in ESCROW_KEYS:
            doc.add(_line(sub), f"unknown key 'escrow.{key}'", f"known: {', '.join(ESCROW_KEYS)}")
            continue
        layer.escrow_recipients = _parse_recipients(doc, sub, "escrow.recipients")
        layer.escrow_line = _line(sub)


def _parse_options_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    layer.options = _parse_options(doc, node, layer.option_lines)


def _parse_rules_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    layer.rules = _parse_rules(doc, node)


def _parse_private_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    layer.private_default = _parse_private(doc, node)


def _parse_recipients_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    layer.recipients = _parse_recipients(doc, node)


def _parse_text_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    from dcmscrub.deid.profile_text import parse_text  # local: that module builds on this one

    parse_text(doc, node, layer)


# one parser per top-level key (``version`` is checked on its own: it must be there)
_SECTIONS: dict[str, Callable[[Doc, yaml.Node, Layer], None]] = {
    "name": _parse_name,
    "description": _parse_description,
    "extends": _parse_extends,
    "options": _parse_options_section,
    "rules": _parse_rules_section,
    "private": _parse_private_section,
    "pseudonyms": _parse_pseudonyms,
    "burned_in": _parse_burned_in,
    "recipients": _parse_recipients_section,
    "escrow": _parse_escrow_section,
    "text": _parse_text_section,
    "pixels": pixel_sections.parse_pixels_section,
    "pixels_catalogue": pixel_sections.parse_catalogue_section,
    "pixels_detector": pixel_sections.parse_detector_section,
}
