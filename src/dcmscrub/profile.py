"""De-identification profiles: YAML in, validated frozen dataclasses out.

A profile says which PS3.15 Annex E options apply and which rules a site adds on top of the
standard's table. It is validated completely before any DICOM file is read: every problem is
collected with its ``file:line`` and reported at once (:class:`~dcmscrub.errors.ProfileError`).

Schema (``version: 1``)::

    version: 1                     # required
    name: my-site                  # required: letters, digits, '-', '_', '.'
    description: free text
    extends: basic                 # a built-in profile name or a path relative to this file
    options: [retain-safe-private] # Annex E options (the standard's names, hyphenated)
    rules:                         # ordered; a later rule wins over an earlier one and the base
      - {select: PatientName, action: pseudonym}
      - {select: "(0019,xx0C)", creator: SIEMENS MR HEADER, action: keep}
      - {select: InstitutionName, action: replace, value: Research Site}
    private: {default: remove}     # or keep-safe (= the retain-safe-private option)
    pseudonyms: {namespace: my-project, uid_root: "1.2.826.0.1.3680043.10.999", date_shift_days: 365}
    burned_in: quarantine          # or allow
    recipients: [age1...]          # public keys outputs are encrypted to (optional)

This module imports only yaml, pydicom's data dictionary and dcmscrub.errors.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dcmscrub.errors import ProfileError, ProfileProblem
from dcmscrub.selector import Selector, check_value_for_vr, parse_selector, vr_of

PROFILE_VERSION = 1

OPTIONS: tuple[str, ...] = (
    "retain-safe-private",
    "retain-uids",
    "retain-device-identity",
    "retain-institution-identity",
    "retain-patient-characteristics",
    "retain-long-full-dates",
    "retain-long-modified-dates",
    "clean-descriptors",
    "clean-structured-content",
    "clean-graphics",
)

# Options that cannot both hold: a date cannot be kept and shifted at once (PS3.15 E.3.6).
CONTRADICTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "retain-long-full-dates",
        "retain-long-modified-dates",
        "dates are either kept (full) or shifted (modified), not both",
    ),
)

ACTIONS: tuple[str, ...] = (
    "remove",
    "empty",
    "dummy",
    "keep",
    "clean",
    "uid",
    "shift",
    "pseudonym",
    "replace",
)

# Which value representations each action makes sense for (None: any VR).
_DATE_VRS = frozenset({"DA", "DT"})
_TEXT_VRS = frozenset({"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UT", "SQ", "UN"})
ACTION_VRS: dict[str, frozenset[str] | None] = {
    "remove": None,
    "empty": None,
    "dummy": None,
    "keep": None,
    "clean": _TEXT_VRS | _DATE_VRS | {"TM"},
    "uid": frozenset({"UI"}),
    "shift": _DATE_VRS,
    "pseudonym": frozenset({"LO", "PN", "SH", "UC", "LT", "ST", "UT"}),
    "replace": None,
}

TOP_KEYS = (
    "version",
    "name",
    "description",
    "extends",
    "options",
    "rules",
    "private",
    "pseudonyms",
    "burned_in",
    "recipients",
)
RULE_KEYS = ("select", "creator", "action", "value", "note")
PRIVATE_KEYS = ("default",)
PRIVATE_DEFAULTS = ("remove", "keep-safe")
PSEUDONYM_KEYS = ("namespace", "uid_root", "date_shift_days")
BURNED_IN = ("quarantine", "allow")

DEFAULT_NAMESPACE = "dcmscrub"
DEFAULT_DATE_SHIFT_DAYS = 365
MAX_DATE_SHIFT_DAYS = 36500
MAX_UID_ROOT_LENGTH = 32  # leaves at least 31 digits of keyed value under a 64-character UID

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_NAMESPACE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
_UID_ROOT_RE = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")
_AGE_RECIPIENT_RE = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")


@dataclass(frozen=True)
class Rule:
    """One profile rule: ``action`` (and ``value`` for replace) on what ``selector`` picks."""

    selector: Selector
    action: str
    value: str | None
    source: str
    line: int | None


@dataclass(frozen=True)
class PseudonymSettings:
    """Keyed pseudonym parameters: namespace (HKDF label), optional UID root, date-shift range."""

    namespace: str = DEFAULT_NAMESPACE
    uid_root: str | None = None
    date_shift_days: int = DEFAULT_DATE_SHIFT_DAYS


@dataclass(frozen=True)
class Profile:
    """A validated, resolved profile (its ``extends`` chain already merged)."""

    name: str
    description: str
    options: frozenset[str]
    rules: tuple[Rule, ...]
    private_default: str
    pseudonyms: PseudonymSettings
    burned_in: str
    recipients: tuple[str, ...]
    chain: tuple[str, ...]  # sources, base first
    sha256: str  # of the bytes of every file in the chain, base first
    declared_options: frozenset[str] = field(default_factory=frozenset)  # before -O additions

    def describe(self) -> str:
        """``name`` plus its options, as written into DeidentificationMethod."""
        opts = sorted(self.options)
        return f"dcmscrub {self.name}" + (f" ({', '.join(opts)})" if opts else "")


# --------------------------------------------------------------------------------------------
# built-in profiles


def _builtin_dir() -> Any:
    return resources.files("dcmscrub") / "profiles"


def list_builtin_profiles() -> list[tuple[str, str]]:
    """``(name, description)`` of every built-in profile, sorted by name."""
    out = []
    for entry in _builtin_dir().iterdir():
        fname = entry.name
        if fname.endswith(".yaml") and not fname.startswith("table-"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
            out.append((fname[: -len(".yaml")], str(data.get("description", "")).strip()))
    return sorted(out)


def _read_builtin(name: str) -> bytes | None:
    if not _NAME_RE.match(name) or name.startswith("table-"):
        return None
    entry = _builtin_dir() / f"{name}.yaml"
    return entry.read_bytes() if entry.is_file() else None


def read_table_text(name: str = "table-e1-1.yaml") -> str:
    """A generated table of the standard shipped with the profiles (see tools/gen_annex_e.py)."""
    return str((_builtin_dir() / name).read_text(encoding="utf-8"))


def looks_like_path(ref: str) -> bool:
    """True when a profile reference names a file rather than a built-in profile."""
    return "/" in ref or ref.endswith((".yaml", ".yml")) or ref.startswith(".")


# --------------------------------------------------------------------------------------------
# YAML with line numbers


class _Doc:
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


def _mapping_items(doc: _Doc, node: yaml.Node, where: str) -> Iterator[tuple[str, yaml.Node]]:
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


def _text(doc: _Doc, node: yaml.Node, where: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        doc.add(_line(node), f"{where} must be text")
        return None
    value = _scalar(node)
    if isinstance(value, bool | list | dict) or value is None:
        doc.add(_line(node), f"{where} must be text")
        return None
    return str(value) if not isinstance(value, str) else value


def _suggest(word: str, choices: Iterable[str]) -> str | None:
    import difflib  # local: only for hints

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else None


# --------------------------------------------------------------------------------------------
# parsing one file


@dataclass
class _Layer:
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
    base_dir: Path | None = None


def _parse_layer(doc: _Doc, base_dir: Path | None) -> _Layer:
    layer = _Layer(doc.source, doc.raw, base_dir=base_dir)
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
                _suggest(key, TOP_KEYS) or f"known keys: {', '.join(TOP_KEYS)}",
            )
    _parse_version(doc, root, keys.get("version"))
    if "name" in keys:
        layer.name = _text(doc, keys["name"], "name")
        if layer.name is not None and not _NAME_RE.match(layer.name):
            doc.add(_line(keys["name"]), "name must be 1-64 letters, digits, '.', '-' or '_'")
    else:
        doc.add(_line(root), "missing 'name'", "add: name: my-profile")
    if "description" in keys:
        layer.description = _text(doc, keys["description"], "description")
    if "extends" in keys:
        layer.extends = _text(doc, keys["extends"], "extends")
        layer.extends_line = _line(keys["extends"])
    if "options" in keys:
        layer.options = _parse_options(doc, keys["options"], layer.option_lines)
    if "rules" in keys:
        layer.rules = _parse_rules(doc, keys["rules"])
    if "private" in keys:
        layer.private_default = _parse_private(doc, keys["private"])
    if "pseudonyms" in keys:
        _parse_pseudonyms(doc, keys["pseudonyms"], layer)
    if "burned_in" in keys:
        value = _text(doc, keys["burned_in"], "burned_in")
        if value is not None and value not in BURNED_IN:
            doc.add(
                _line(keys["burned_in"]), f"burned_in must be one of {', '.join(BURNED_IN)}, not '{value}'"
            )
        elif value is not None:
            layer.burned_in = value
    if "recipients" in keys:
        layer.recipients = _parse_recipients(doc, keys["recipients"])
    return layer


def _parse_version(doc: _Doc, root: yaml.Node, node: yaml.Node | None) -> None:
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


def _parse_options(doc: _Doc, node: yaml.Node, lines: dict[str, int]) -> list[str]:
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
                _suggest(name, OPTIONS) or "the options are: " + ", ".join(sorted(OPTIONS)),
            )
            continue
        out.append(name)
        lines.setdefault(name, _line(item))
    return out


def _parse_rules(doc: _Doc, node: yaml.Node) -> list[Rule]:
    if not isinstance(node, yaml.SequenceNode):
        doc.add(_line(node), "rules must be a list of {select: ..., action: ...}")
        return []
    rules = []
    for item in node.value:
        rule = _parse_rule(doc, item)
        if rule is not None:
            rules.append(rule)
    return rules


def _parse_rule(doc: _Doc, node: yaml.Node) -> Rule | None:
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
                _suggest(key, RULE_KEYS) or f"known: {', '.join(RULE_KEYS)}",
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
            _suggest(action, ACTIONS) or ", ".join(ACTIONS),
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
    doc: _Doc, keys: dict[str, yaml.Node], selector: Selector, action: str, value: str | None
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


def _parse_private(doc: _Doc, node: yaml.Node) -> str | None:
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


def _parse_pseudonyms(doc: _Doc, node: yaml.Node, layer: _Layer) -> None:
    for key, sub in _mapping_items(doc, node, "pseudonyms"):
        if key not in PSEUDONYM_KEYS:
            doc.add(_line(sub), f"unknown key 'pseudonyms.{key}'", _suggest(key, PSEUDONYM_KEYS))
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


def _parse_uid_root(doc: _Doc, node: yaml.Node, layer: _Layer) -> None:
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


def _parse_recipients(doc: _Doc, node: yaml.Node) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        doc.add(_line(node), "recipients must be a list of age public keys (age1...)")
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


# --------------------------------------------------------------------------------------------
# resolving extends chains


def _load_layers(
    ref: str, problems: list[ProfileProblem], *, relative_to: Path | None = None
) -> list[_Layer]:
    """Load ``ref`` and everything it extends, base first; problems are appended, not raised."""
    layers: list[_Layer] = []
    seen: list[str] = []
    current: str | None = ref
    current_dir = relative_to
    where: tuple[str, int | None] | None = None
    while current is not None:
        loaded = _read_ref(current, current_dir)
        if loaded is None:
            src, line = where if where else (current, None)
            problems.append(
                ProfileProblem(
                    src,
                    line,
                    f"profile '{current}' not found",
                    "built-in profiles: " + ", ".join(n for n, _ in list_builtin_profiles()),
                )
            )
            break
        source, raw, base_dir = loaded
        if source in seen:
            src, line = where if where else (source, None)
            problems.append(
                ProfileProblem(src, line, f"'extends' makes a cycle: {' -> '.join([*seen, source])}")
            )
            break
        seen.append(source)
        doc = _Doc(source, raw, problems)
        layer = _parse_layer(doc, base_dir)
        layers.append(layer)
        current, current_dir = layer.extends, base_dir
        where = (source, layer.extends_line)
        if len(seen) > 16:
            problems.append(
                ProfileProblem(source, layer.extends_line, "'extends' chain deeper than 16 profiles")
            )
            break
    layers.reverse()
    return layers


def _read_ref(ref: str, base_dir: Path | None) -> tuple[str, bytes, Path | None] | None:
    if looks_like_path(ref):
        path = Path(ref)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        return str(path), raw, path.parent
    raw_builtin = _read_builtin(ref)
    if raw_builtin is None:
        return None
    return f"builtin:{ref}", raw_builtin, None


def load_profile(ref: str, extra_options: Iterable[str] = ()) -> Profile:
    """Load, validate and resolve a profile by built-in name or path, plus ``-O`` options.

    Raises :class:`ProfileError` listing every problem found in the whole chain.
    """
    problems: list[ProfileProblem] = []
    layers = _load_layers(ref, problems)
    extra = list(extra_options)
    for opt in extra:
        if opt not in OPTIONS:
            problems.append(
                ProfileProblem(
                    "command line",
                    None,
                    f"unknown option '{opt}'",
                    _suggest(opt, OPTIONS) or "options: " + ", ".join(OPTIONS),
                )
            )
    if problems or not layers:
        raise ProfileError(problems or [ProfileProblem(ref, None, "empty profile")])
    profile = _merge(layers, [o for o in extra if o in OPTIONS], problems)
    if problems:
        raise ProfileError(problems)
    return profile


def _merge(layers: list[_Layer], extra: list[str], problems: list[ProfileProblem]) -> Profile:
    options: list[str] = []
    rules: list[Rule] = []
    private_default, burned_in = "remove", "quarantine"
    namespace, uid_root, shift = DEFAULT_NAMESPACE, None, DEFAULT_DATE_SHIFT_DAYS
    recipients: list[str] = []
    description = ""
    where: dict[str, tuple[int, str, int | None]] = {}  # option -> (layer index, source, line)
    for index, layer in enumerate(layers):
        for o in layer.options:
            where.setdefault(o, (index, layer.source, layer.option_lines.get(o)))
        options.extend(o for o in layer.options if o not in options)
        rules.extend(layer.rules)
        private_default = layer.private_default or private_default
        burned_in = layer.burned_in or burned_in
        namespace = layer.namespace or namespace
        if layer.uid_root is not None:
            uid_root = layer.uid_root or None
        shift = layer.date_shift_days or shift
        if layer.recipients is not None:
            recipients = layer.recipients
        description = layer.description if layer.description is not None else description
    declared = frozenset(options)
    if private_default == "keep-safe" and "retain-safe-private" not in options:
        options.append("retain-safe-private")
    options.extend(o for o in extra if o not in options)
    top = layers[-1]
    for a, b, why in CONTRADICTIONS:
        if a in options and b in options:
            src, line = top.source, None
            if a in extra or b in extra:
                src = "command line"
            elif a in where and b in where:  # where the later of the two was declared
                _, src, line = max(where[a], where[b], key=lambda w: (w[0], w[2] or 0))
            problems.append(
                ProfileProblem(
                    src, line, f"options {a} and {b} contradict each other: {why}", "keep only one of them"
                )
            )
    digest = hashlib.sha256()
    for layer in layers:
        digest.update(hashlib.sha256(layer.raw).digest())
    return Profile(
        name=top.name or "unnamed",
        description=(description or "").strip(),
        options=frozenset(options),
        rules=tuple(rules),
        private_default="keep-safe" if "retain-safe-private" in options else private_default,
        pseudonyms=PseudonymSettings(namespace, uid_root, shift),
        burned_in=burned_in,
        recipients=tuple(recipients),
        chain=tuple(layer.source for layer in layers),
        sha256=digest.hexdigest(),
        declared_options=declared,
    )


def check_profiles(refs: Iterable[str]) -> list[ProfileProblem]:
    """Validate each profile (``profile check``); return every problem of every file."""
    problems: list[ProfileProblem] = []
    for ref in refs:
        try:
            load_profile(ref)
        except ProfileError as exc:
            problems.extend(exc.problems)
    return problems


def render_profile(profile: Profile) -> str:
    """The resolved profile as YAML (``profile show``): a profile file in its own right, which
    loads to the same rules, options and settings. Where each part came from is in comments."""
    head: dict[str, Any] = {
        "version": PROFILE_VERSION,
        "name": profile.name,
        "description": profile.description,
        "options": sorted(profile.options),
        "private": {"default": profile.private_default},
        "pseudonyms": {
            "namespace": profile.pseudonyms.namespace,
            **({"uid_root": profile.pseudonyms.uid_root} if profile.pseudonyms.uid_root else {}),
            "date_shift_days": profile.pseudonyms.date_shift_days,
        },
        "burned_in": profile.burned_in,
        "recipients": list(profile.recipients),
    }
    lines = [
        "# dcmscrub profile show: the resolved profile (extends chain and -O options applied)",
        f"# resolved from: {', '.join(profile.chain)}",
        f"# sha256 of the sources: {profile.sha256}",
        yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=110).rstrip("\n"),
        "rules:" if profile.rules else "rules: []",
    ]
    for r in profile.rules:
        rule = {
            "select": r.selector.text,
            **({"creator": r.selector.creator} if r.selector.creator else {}),
            "action": r.action,
            **({"value": r.value} if r.value is not None else {}),
        }
        flow = yaml.safe_dump(rule, sort_keys=False, allow_unicode=True, default_flow_style=True, width=10**6)
        lines.append(f"  - {flow.strip()}  # {r.source}:{r.line}")
    return "\n".join(lines) + "\n"
