"""Import RSNA CTP's ``DicomPixelAnonymizer.script`` signatures as profile pixel rules.

The script's format, as CTP reads it (``PixelScript.getSignatures``, ``DicomObject.matches``):
each ``{ ... }`` is a signature, a boolean expression over tests such as
``Manufacturer.containsIgnoreCase("GE MEDICAL")`` or ``[0028,0010].equals("446")``, with ``!`` (not),
``*`` (and), ``+`` (or), parentheses and ``//`` comments; every ``(x,y,w,h)`` between it and the next
signature is a region. Anything else is commentary (used here as the rule's label).

Tests become conditions: contains -> ``*text*``, startsWith -> ``text*``, endsWith -> ``*text``,
equals -> ``text``; numbers for numeric attributes. CTP compares the element's text and its
``contains``/``equals``/``startsWith``/``endsWith`` are case-sensitive; here every text test is
case-insensitive (noted per rule) and numbers compare as numbers.

CTP applies the first matching signature only; dcmscrub applies all matching rules.
"""

from __future__ import annotations

import re

from pydicom.datadict import dictionary_VR, keyword_dict, keyword_for_tag

from dcmscrub.deid.pixels import Rect
from dcmscrub.deid.pixels_import import (
    And,
    Const,
    Expr,
    ImportedRule,
    ImportResult,
    Lit,
    Not,
    Or,
    Skipped,
    Unsupported,
    build_rules,
    glob_escape,
    sha256_text,
)
from dcmscrub.deid.pixels_parse import resolve_attribute

SOURCE_NAME = "CTP DicomPixelAnonymizer.script"

_SCRIPT_RE = re.compile(r"\{[^}]*\}")  # as PixelScript.getSignatures
_REGION_RE = re.compile(r"\([^)]*\)")
_TAG_RE = re.compile(r"^[\[(]\s*([0-9A-Fa-f]{4})\s*,\s*([0-9A-Fa-f]{4})\s*[\])]$")
_BANNER_RE = re.compile(r"^\s*\*{3,}\s*\n\s*(\S[^\n]*?)\s*\n\s*\*{3,}\s*$", re.MULTILINE)
_CASE_SENSITIVE = {"equals", "contains", "startsWith", "endsWith"}


def import_ctp_script(text: str) -> ImportResult:
    """Every signature of a CTP pixel script, converted or skipped with the reason."""
    rules: list[ImportedRule] = []
    skipped: list[Skipped] = []
    scripts = list(_SCRIPT_RE.finditer(text))
    banners = [(b.start(), b.end(), b.group(1)) for b in _BANNER_RE.finditer(text)]
    heading = ""
    previous_end = 0
    for index, m in enumerate(scripts):
        line = text.count("\n", 0, m.start()) + 1
        section, after_banner = next(
            ((n, end) for at, end, n in reversed(banners) if at < m.start()), ("", 0)
        )
        heading = _label(text[max(previous_end, after_banner) : m.start()]) or heading
        label = f"{section}: {heading}" if section else heading
        zone_end = scripts[index + 1].start() if index + 1 < len(scripts) else len(text)
        zone = text[m.end() : zone_end]
        rects, ignored = _regions(zone)
        previous_end = m.end() + (zone.rfind(")") + 1 if rects or ignored else 0)
        notes = [f"text {t!r} after the signature is not a region (CTP ignores it too)" for t in ignored]
        try:
            if not rects:
                raise Unsupported("no region (x,y,w,h) follows the signature")
            expr, expr_notes = _Parser(m.group()[1:-1]).parse()
            rules += build_rules(SOURCE_NAME, line, label, expr, rects, notes + expr_notes)
        except Unsupported as exc:
            skipped.append(Skipped(line, label, str(exc)))
    return ImportResult(SOURCE_NAME, sha256_text(text), len(scripts), tuple(rules), tuple(skipped))


def _label(between: str) -> str:
    """The commentary before a signature: its last lines of text, section banners left out."""
    lines = [ln.strip() for ln in between.splitlines()]
    lines = [ln for ln in lines if ln and not set(ln) <= {"*"} and not _REGION_RE.fullmatch(ln)]
    label = " / ".join(lines[-2:])
    return label if len(label) <= 100 else label[:97] + "..."


def _regions(zone: str) -> tuple[list[Rect], list[str]]:
    rects, ignored = [], []
    for m in _REGION_RE.finditer(zone):
        parts = m.group()[1:-1].split(",")
        try:
            x, y, w, h = (int(p.strip()) for p in parts)
        except ValueError:
            ignored.append(m.group())
            continue
        if x < 0 or y < 0 or w < 1 or h < 1:
            ignored.append(m.group())
            continue
        rects.append(Rect(x, y, w, h))
    return rects, ignored


class _Parser:
    """A recursive-descent reader of one signature; precedence ! over * over +, as CTP's."""

    def __init__(self, script: str) -> None:
        self.s = re.sub(r"//[^\n]*", "", script)
        self.i = 0
        self.notes: list[str] = []

    def parse(self) -> tuple[Expr, list[str]]:
        expr = self._or()
        if self._peek():
            raise Unsupported(f"the signature does not parse near {self.s[self.i :][:20]!r}")
        return expr, sorted(set(self.notes))

    def _peek(self) -> str:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1
        return self.s[self.i] if self.i < len(self.s) else ""

    def _or(self) -> Expr:
        items = [self._and()]
        while self._peek() == "+":
            self.i += 1
            items.append(self._and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def _and(self) -> Expr:
        items = [self._factor()]
        while self._peek() == "*":
            self.i += 1
            items.append(self._factor())
        return items[0] if len(items) == 1 else And(tuple(items))

    def _factor(self) -> Expr:
        c = self._peek()
        if c == "!":
            self.i += 1
            return Not(self._factor())
        if c == "(":
            self.i += 1
            inner = self._or()
            if self._peek() != ")":
                raise Unsupported("unbalanced parentheses in the signature")
            self.i += 1
            return inner
        if c == "[" or c.isalpha():
            return self._operand()
        raise Unsupported(f"the signature does not parse near {self.s[self.i :][:20]!r}")

    def _operand(self) -> Expr:
        m = re.compile(r'\s*([^.]+?)\s*\.\s*(\w+)\s*\(\s*"([^"]*)"\s*\)').match(self.s, self.i)
        if m is None:
            word = re.compile(r"\w+").match(self.s, self.i)
            if word is not None and word.group() in ("true", "false"):
                self.i = word.end()
                return Const(word.group() == "true")
            raise Unsupported(f"the signature does not parse near {self.s[self.i :][:20]!r}")
        self.i = m.end()
        return self._test(m.group(1), m.group(2), m.group(3))

    def _test(self, identifier: str, method: str, literal: str) -> Expr:
        key = _key(identifier)
        resolved, problem, _ = resolve_attribute(key)
        if resolved is None:
            raise Unsupported(f"{identifier}: {problem}")
        numeric = resolved[1]
        if method in _CASE_SENSITIVE and not numeric:
            self.notes.append(f"CTP's {method} is case-sensitive; here the test ignores case")
        if "\\" in literal:
            raise Unsupported(f"{identifier}.{method}: a value with a backslash (several values)")
        base = method.removesuffix("IgnoreCase")
        if base == "equals":
            return self._equals(key, resolved[0], identifier, literal, numeric)
        if base in ("contains", "startsWith", "endsWith"):
            if numeric:
                raise Unsupported(f"{identifier}.{method}: a text test of a number")
            if not literal:
                return Const(True)  # every text contains "" (CTP reads a missing element as "")
            glob = {"contains": "*{}*", "startsWith": "{}*", "endsWith": "*{}"}[base]
            return Lit(key, "any", (glob.format(glob_escape(literal)),))
        raise Unsupported(f"{identifier}.{method}: the test '{method}' has no profile equivalent")

    def _equals(self, key: str, tag: int, identifier: str, literal: str, numeric: bool) -> Expr:
        if not numeric:
            exact = Lit(key, "any", (glob_escape(literal.strip()),))
            return Or((Lit(key, "absent"), exact)) if not literal else exact
        try:
            number = float(literal)
        except ValueError:
            raise Unsupported(f"{identifier}.equals({literal!r}): not a number, never true") from None
        if dictionary_VR(tag) in ("DS", "IS"):  # their text varies ("1", "1.0"); US, UL... do not
            self.notes.append(f"{key} compared as a number (CTP compares its text)")
        return Lit(key, "any", (int(number) if number.is_integer() else number,))


def _key(identifier: str) -> str:
    """The match key for a CTP element name: its keyword, or ``(gggg,eeee)`` when it has none."""
    m = _TAG_RE.match(identifier.strip())
    if not m:
        return identifier.strip()
    tag = int(m.group(1) + m.group(2), 16)
    keyword = keyword_for_tag(tag)
    return keyword if keyword and keyword in keyword_dict else f"({m.group(1).upper()},{m.group(2).upper()})"
