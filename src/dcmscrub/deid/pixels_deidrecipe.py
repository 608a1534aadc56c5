"""Import the ``%filter`` labels of a pydicom/deid recipe (``deid.dicom``) as profile pixel rules.

Read as deid 0.4.13 reads and evaluates them (``deid.config.utils.parse_label``/``parse_member``,
``deid.dicom.pixels.detect``), which was checked by running deid on test datasets:

- A label's lines are all required. A leading ``+`` or ``||`` on a line changes nothing: deid
  evaluates the lines of a label as AND either way (so ``||`` at the start of a line is imported as
  AND, with a note). Inside one line, ``+`` (and) and ``||`` (or) are applied left to right.
- Fields are read from the dataset, not its file meta (group 0002): a test of one is never true.
- ``contains F V`` searches ``V`` as a regular expression in the text of F, ignoring case;
  ``equals`` compares the whole text, ignoring case; ``notcontains``/``notequals`` negate them;
  ``missing``/``present`` test presence and ``empty`` a present, empty value.
- ``ctpcoordinates x,y,w,h`` and ``coordinates x0,y0,x1,y1`` are rectangles to blank;
  ``keepcoordinates``, ``all`` and ``from:Field`` have no profile equivalent.

Regular expressions become globs when they are literal text, ``|`` alternatives of literal text,
``.`` (any one character) or a final ``+`` on a literal character (which changes nothing for a
search); anything else is skipped with the reason. Labels without coordinates flag images only and
are skipped.
"""

from __future__ import annotations

import re

from pydicom.datadict import dictionary_VR, keyword_dict, keyword_for_tag

from dcmscrub.deid.pixels import Rect
from dcmscrub.deid.pixels_import import (
    And,
    Expr,
    ImportedRule,
    ImportResult,
    Lit,
    Or,
    Skipped,
    Unsupported,
    build_rules,
    glob_escape,
    sha256_text,
)
from dcmscrub.deid.pixels_parse import resolve_attribute

SOURCE_NAME = "deid recipe deid.dicom"

_FILTERS = ("contains", "notcontains", "equals", "notequals", "missing", "present", "empty")
_REGEX_SPECIAL = frozenset("\\^$*+?()[]{}")
_COORDINATE_WORDS = ("ctpkeepcoordinates", "ctpcoordinates", "keepcoordinates", "coordinates")


def import_deid_recipe(text: str) -> ImportResult:
    """Every label of a deid recipe's ``%filter`` sections, converted or skipped with the reason."""
    rules: list[ImportedRule] = []
    skipped: list[Skipped] = []
    labels = list(_labels(text))
    for section, line, label, members in labels:
        try:
            rules += _convert(section, line, label, members)
        except Unsupported as exc:
            skipped.append(Skipped(line, label, str(exc)))
    return ImportResult(SOURCE_NAME, sha256_text(text), len(labels), tuple(rules), tuple(skipped))


def _labels(text: str) -> list[tuple[str, int, str, list[tuple[int, str]]]]:
    """``(section, line, label, [(line, member)])`` for each LABEL in a ``%filter`` section."""
    out: list[tuple[str, int, str, list[tuple[int, str]]]] = []
    section = ""
    current: list[tuple[int, str]] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("%"):
            parts = line.split("#", 1)[0].split()
            section = " ".join(parts[1:]) if parts[0].lower() == "%filter" else ""
            current = None
        elif section and line.upper().startswith("LABEL"):
            current = []
            out.append((section, number, line[5:].strip(), current))
        elif current is not None:
            current.append((number, line))
    return out


def _convert(section: str, line: int, label: str, members: list[tuple[int, str]]) -> list[ImportedRule]:
    rects: list[Rect] = []
    tests: list[Expr] = []
    notes: list[str] = []
    for _, member in members:
        word = next((w for w in _COORDINATE_WORDS if member.lower().startswith(w)), None)
        if word is not None:
            rects += _coordinates(word, member[len(word) :].strip())
            continue
        if member.startswith("||"):
            notes.append("a line starting with || is required like the others (deid 0.4.13 ANDs them)")
        body = member.removeprefix("+").removeprefix("||").strip()
        if body and not body.startswith("#"):
            tests.append(_line_expr(body, notes))
    if not rects:
        raise Unsupported(f"no coordinates: the label only flags images ({section})")
    if not tests:
        raise Unsupported("no filter: deid would blank every image")
    name = f"{label} [{section}]"
    return build_rules(SOURCE_NAME, line, name, And(tuple(tests)), rects, notes)


def _coordinates(word: str, value: str) -> list[Rect]:
    if "keep" in word:
        raise Unsupported("keepcoordinates (regions to keep) have no profile equivalent")
    if value.lower() == "all" or value.startswith("from:"):
        raise Unsupported(f"coordinates '{value}' (whole image or from a header field) are not supported")
    try:
        numbers = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise Unsupported(f"coordinates '{value}' are not 4 whole numbers") from None
    if len(numbers) != 4:
        raise Unsupported(f"coordinates '{value}' are not 4 whole numbers")
    x, y, a, b = numbers
    w, h = (a, b) if word.startswith("ctp") else (a - x, b - y)  # coordinates: x0,y0,x1,y1
    if x < 0 or y < 0 or w < 1 or h < 1:
        raise Unsupported(f"coordinates '{value}' are an empty or negative rectangle")
    return [Rect(x, y, w, h)]


def _line_expr(body: str, notes: list[str]) -> Expr:
    """One filter line: tests joined by ``+``/``||``, applied left to right (deid's parse_member)."""
    atoms: list[str] = []
    operators: list[str] = []
    pending = [body]
    while pending:
        member = pending.pop(0).strip()
        m_or, m_and = member.find("||"), member.find("+")
        op = None
        if m_or >= 0 and (m_and < 0 or m_or < m_and):
            op = "||"
        elif m_and >= 0:
            op = "+"
        if op is not None:
            head, rest = member.split(op, 1)
            if any(word in rest for word in _FILTERS):  # deid's test: a filter word anywhere in the rest
                pending.append(rest.strip())
                operators.append(op)
                member = head
        atoms.append(member.strip())
    expr = _atom(atoms[0], notes)
    for op, atom in zip(operators, atoms[1:], strict=True):
        expr = Or((expr, _atom(atom, notes))) if op == "||" else And((expr, _atom(atom, notes)))
    return expr


def _atom(member: str, notes: list[str]) -> Expr:
    parts = member.split(" ", 2)
    action = parts[0].lower()
    if action not in _FILTERS or len(parts) < 2:
        raise Unsupported(f"'{member}' is not a deid filter")
    field = parts[1].strip()
    key = _key(field)
    resolved, problem, _ = resolve_attribute(key)
    if resolved is None:
        raise Unsupported(f"{field}: {problem}; deid finds no value there, so the test is never true")
    tag, numeric = resolved
    if tag >> 16 == 0x0002:
        raise Unsupported(f"{field} is in the file meta (group 0002), where deid does not look")
    if action in ("missing", "present"):
        return Lit(key, "absent" if action == "missing" else "present")
    if action == "empty":
        if numeric:
            raise Unsupported(f"empty {field}: an empty number cannot be matched")
        return Lit(key, "any", ("",))
    if len(parts) < 3:
        raise Unsupported(f"'{member}' has no value")
    value = parts[2].strip()
    negated = action.startswith("not")
    if action.endswith("contains"):
        if numeric:
            raise Unsupported(f"contains {field}: a text search in a number")
        return Lit(key, "any", _regex_globs(value), negated)
    if numeric and dictionary_VR(tag) in ("DS", "IS"):  # their text varies ("1", "1.0")
        notes.append(f"{key} compared as a number (deid compares its text)")
    return Lit(key, "any", (_number(field, value) if numeric else glob_escape(value),), negated)


def _number(field: str, value: str) -> int | float:
    try:
        number = float(value)
    except ValueError:
        raise Unsupported(f"equals {field} {value}: deid compares the text '{value}', never true") from None
    return int(number) if number.is_integer() else number


def _regex_globs(value: str) -> tuple[str, ...]:
    """A deid ``contains`` expression as globs, one per ``|`` alternative."""
    globs = []
    for alternative in value.split("|"):
        text = alternative
        if len(text) > 1 and text.endswith("+") and text[-2] not in _REGEX_SPECIAL:
            text = text[:-1]  # "AS+" finds what "AS" finds
        if not text or _REGEX_SPECIAL & set(text):
            raise Unsupported(f"the regular expression '{value}' has no glob equivalent")
        globs.append("*" + "".join("?" if c == "." else glob_escape(c) for c in text) + "*")
    return tuple(globs)


def _key(field: str) -> str:
    """deid names a field by keyword or by tag as ``0xGGGGEEEE``."""
    m = re.fullmatch(r"0x([0-9A-Fa-f]{4})([0-9A-Fa-f]{4})", field)
    if m is None:
        return field
    keyword = keyword_for_tag(int(m.group(1) + m.group(2), 16))
    return keyword if keyword and keyword in keyword_dict else f"({m.group(1).upper()},{m.group(2).upper()})"
