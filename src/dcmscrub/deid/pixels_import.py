"""What the importers of peers' pixel rules share: conditions as boolean expressions, their
conversion into profile rules, and the rendering of those rules as a ``pixels:`` YAML section.

A peer's signature (CTP's ``{ A * (B + C) }``, a deid label's filter lines) is read into an
expression over literals, one literal per attribute test. A profile rule is one conjunction of
per-attribute conditions, so the expression is put in disjunctive normal form and each
conjunction becomes one rule with the same rectangles; rules whose conjunctions differ in one
attribute only are merged back into one rule with a list of alternatives. Rectangles of all
matching rules are unioned (:func:`dcmscrub.deid.pixels.regions_for`), so the split loses nothing.

Where the profile language is looser than the peer's (case-insensitive text, numbers compared as
numbers) the rule matches a little more, never less; each such approximation is noted. Where it
cannot say the same thing the source rule is skipped whole, with the reason.
"""

from __future__ import annotations

import fnmatch
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from dcmscrub.deid.pixels import Rect

MAX_TERMS = 64  # a signature whose normal form has more conjunctions is skipped, not expanded
_WILDCARDS = frozenset("*?[")


class Unsupported(Exception):
    """A source rule the profile language cannot express; the message says why."""


# --------------------------------------------------------------------------------------------
# expressions


@dataclass(frozen=True)
class Lit:
    """A test of one attribute: ``any`` of ``values`` (globs or numbers), or ``present``/``absent``."""

    key: str
    kind: Literal["any", "present", "absent"]
    values: tuple[str | int | float, ...] = ()
    negated: bool = False


@dataclass(frozen=True)
class Const:
    """A test whose answer does not depend on the image."""

    value: bool


@dataclass(frozen=True)
class Not:
    item: Expr


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


Expr = Lit | Const | Not | And | Or


def glob_escape(text: str) -> str:
    """``text`` as a glob matching itself (fnmatch has no escape character, brackets serve)."""
    return "".join(f"[{c}]" if c in _WILDCARDS else c for c in text)


def _negate(expr: Expr) -> Expr:
    if isinstance(expr, Const):
        return Const(not expr.value)
    if isinstance(expr, Lit):
        if expr.kind == "any":
            return Lit(expr.key, "any", expr.values, not expr.negated)
        return Lit(expr.key, "absent" if expr.kind == "present" else "present")
    if isinstance(expr, Not):
        return expr.item
    if isinstance(expr, And):
        return Or(tuple(_negate(i) for i in expr.items))
    return And(tuple(_negate(i) for i in expr.items))


Term = tuple[Lit, ...]  # a conjunction, literals in the order the source wrote them


def to_dnf(expr: Expr) -> list[Term]:
    """The conjunctions of ``expr`` in disjunctive normal form (an empty list: never true).

    Terms and their literals keep the source's order, so that the same source always gives the
    same rules (the catalogue is generated and checked byte for byte).
    """
    if isinstance(expr, Const):
        return [()] if expr.value else []
    if isinstance(expr, Lit):
        return [(expr,)]
    if isinstance(expr, Not):
        return to_dnf(_negate(expr.item))
    if isinstance(expr, Or):
        terms = [t for item in expr.items for t in to_dnf(item)]
    else:
        terms = [
            tuple(dict.fromkeys(lit for part in combo for lit in part))
            for combo in itertools.product(*(to_dnf(i) for i in expr.items))
        ]
    if len(terms) > MAX_TERMS:
        raise Unsupported(f"the signature expands to more than {MAX_TERMS} alternatives")
    return _absorb(terms)


def _absorb(terms: list[Term]) -> list[Term]:
    """Drop conjunctions implied by another (A or (A and B) is A), and repeats."""
    sets = [frozenset(t) for t in terms]
    return [
        t
        for i, t in enumerate(terms)
        if not any(o < sets[i] or (o == sets[i] and j < i) for j, o in enumerate(sets))
    ]


# --------------------------------------------------------------------------------------------
# conjunctions -> match mappings


def _pattern_form(glob: str) -> tuple[str, str]:
    """``(form, text)`` of a folded glob: ``exact``, ``contains``, ``starts``, ``ends`` or ``other``."""
    g = glob.casefold()
    lead = g.startswith("*")
    trail = len(g) > 1 and g.endswith("*")
    chunks = _bracket_chunks(g[int(lead) : len(g) - int(trail)])
    if any(len(c) == 1 and c in _WILDCARDS for c in chunks):
        return "other", g
    literal = "".join(c[1] if len(c) == 3 else c for c in chunks)
    form = {(False, False): "exact", (True, True): "contains", (False, True): "starts", (True, False): "ends"}
    return form[(lead, trail)], literal


def _bracket_chunks(text: str) -> list[str]:
    """Split a glob into single characters and ``[c]`` escapes."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "[" and i + 2 < len(text) and text[i + 2] == "]":
            out.append(text[i : i + 3])
            i += 3
        else:
            out.append(text[i])
            i += 1
    return out


def _value_implies(a: str | int | float, b: str | int | float) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return a == b
    (fa, ta), (fb, tb) = _pattern_form(a), _pattern_form(b)
    if fa == "exact":
        return fnmatch.fnmatchcase(ta, b.casefold())
    if fb == "contains" and fa in ("contains", "starts", "ends"):
        return tb in ta
    if fa == fb and fa == "starts":
        return ta.startswith(tb)
    if fa == fb and fa == "ends":
        return ta.endswith(tb)
    return a.casefold() == b.casefold()


def _implies(a: Lit, b: Lit) -> bool:
    return all(any(_value_implies(x, y) for y in b.values) for x in a.values)


def conjunction_to_match(term: Term) -> dict[str, Any] | None:
    """The ``match:`` mapping of one conjunction; None if it can never hold.

    Raises :class:`Unsupported` when two tests of one attribute cannot be said as one condition.
    """
    match: dict[str, Any] = {}
    for key in sorted({lit.key for lit in term}):
        lits = [lit for lit in term if lit.key == key]
        pos = [lit for lit in lits if lit.kind == "any" and not lit.negated]
        neg = [lit for lit in lits if lit.kind == "any" and lit.negated]
        kinds = {lit.kind for lit in lits}
        pos = [p for p in pos if not any(q != p and _implies(q, p) for q in pos)]  # keep the strongest
        if "absent" in kinds:
            if pos or "present" in kinds:
                return None  # absent and present at once: never true
            match[key] = {"present": False}  # absent implies every negated test
            continue
        if len(pos) > 1:
            raise Unsupported(f"two tests of {key} that one condition cannot hold")
        if neg and (pos or "present" in kinds):
            raise Unsupported(f"a test of {key} and a negated test of {key} in one rule")
        if pos:
            match[key] = _alternatives(pos[0].values)
        elif neg:
            match[key] = {"not": _alternatives(tuple(v for lit in neg for v in lit.values))}
        else:
            match[key] = {"present": True}
    return match


def _alternatives(values: tuple[str | int | float, ...]) -> Any:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else unique


def merge_matches(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge mappings that differ in one attribute's plain alternatives into one list."""
    out = [dict(m) for m in matches]
    changed = True
    while changed:
        changed = False
        for i, j in itertools.combinations(range(len(out)), 2):
            a, b = out[i], out[j]
            diff = [k for k in a if a.get(k) != b.get(k)] if a.keys() == b.keys() else None
            if diff is None or len(diff) != 1 or isinstance(a[diff[0]], dict) or isinstance(b[diff[0]], dict):
                continue
            key = diff[0]
            values = [*_as_list(a[key]), *_as_list(b[key])]
            a[key] = _alternatives(tuple(values))
            del out[j]
            changed = True
            break
    return out


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


# --------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class ImportedRule:
    """One profile rule made from source line ``line`` (``part`` i of n when split)."""

    line: int
    label: str
    match: dict[str, Any]
    blank: tuple[Rect, ...]
    source_name: str
    part: tuple[int, int] | None = None
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The rule as a ``pixels:`` entry."""
        return {
            "match": self.match,
            "blank": [r.as_list() for r in self.blank],
            "note": f"{self.source_name} line {self.line}" + (f": {self.label}" if self.label else ""),
        }


@dataclass(frozen=True)
class Skipped:
    """A source rule that was not converted, and why."""

    line: int
    label: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """What an importer made of a source: ``found`` rules seen, the rules made, those skipped."""

    source_name: str
    source_sha256: str
    found: int
    rules: tuple[ImportedRule, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def converted(self) -> int:
        """How many source rules produced at least one profile rule."""
        return len({r.line for r in self.rules})

    def rule_dicts(self) -> list[dict[str, Any]]:
        """The rules as ``pixels:`` entries."""
        return [r.as_dict() for r in self.rules]


def sha256_text(text: str) -> str:
    """SHA-256 of ``text`` as UTF-8 (names the imported file in the rendered YAML)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_rules(
    source_name: str, line: int, label: str, expr: Expr, rects: list[Rect], notes: list[str]
) -> list[ImportedRule]:
    """The profile rules for one source rule; raises :class:`Unsupported`."""
    matches = [m for m in (conjunction_to_match(t) for t in to_dnf(expr)) if m is not None]
    if not matches:
        raise Unsupported("the signature can never be true")
    if any(not m for m in matches):
        raise Unsupported("no condition left: the rule would blank every image")
    matches = merge_matches(matches)
    out = []
    for i, match in enumerate(matches):
        kept, rect_notes = _fit(match, rects)
        if not kept:
            raise Unsupported("no rectangle inside the image size the signature names")
        part = (i + 1, len(matches)) if len(matches) > 1 else None
        out.append(ImportedRule(line, label, match, tuple(kept), source_name, part, (*notes, *rect_notes)))
    return out


def _fit(match: dict[str, Any], rects: list[Rect]) -> tuple[list[Rect], list[str]]:
    """Rectangles cut to the largest image size the match names (the rest does not exist)."""
    rows, cols = (
        max(_as_list(match[k])) if _plain_numbers(match.get(k)) else None for k in ("Rows", "Columns")
    )
    kept, notes = [], []
    for rect in rects:
        cut = rect.clip(rows or rect.bottom, cols or rect.right)
        if cut is None:
            notes.append(f"rectangle {rect.as_list()} lies outside the image and was dropped")
        else:
            if cut != rect:
                notes.append(f"rectangle {rect.as_list()} cut to the image: {cut.as_list()}")
            kept.append(cut)
    return kept, notes


def _plain_numbers(value: Any) -> bool:
    items = _as_list(value) if value is not None else []
    return bool(items) and all(isinstance(v, int) and not isinstance(v, bool) for v in items)


# --------------------------------------------------------------------------------------------
# rendering


def render_pixels_yaml(result: ImportResult, *, profile_name: str | None = None) -> str:
    """The imported rules as YAML: a ``pixels:`` section (a whole profile with ``profile_name``).

    Each rule is preceded by a comment naming its source line; approximations and skipped
    source rules are listed in comments, so the file says what it does not contain.
    """
    lines = [
        f"# pixels rules imported by dcmscrub from {result.source_name}",
        f"# source sha256: {result.source_sha256}",
        f"# {result.found} source rules: {result.converted} converted into {len(result.rules)} "
        f"profile rules, {len(result.skipped)} skipped (listed at the end)",
        "# Review every rule against your own images before relying on it.",
        *(f"# {_one_line(n)}" for n in result.notes),
    ]
    if profile_name is not None:
        lines += ["version: 1", f"name: {profile_name}"]
    lines.append("pixels:" if result.rules else "pixels: []")
    for rule in result.rules:
        part = f" (part {rule.part[0]} of {rule.part[1]})" if rule.part else ""
        lines.append(f"  # {result.source_name} line {rule.line}{part}: {_one_line(rule.label)}")
        lines += [f"  #   note: {_one_line(n)}" for n in rule.notes]
        entry = rule.as_dict()
        lines.append(f"  - match: {render_flow(entry['match'])}")
        lines.append(f"    blank: {render_flow(entry['blank'])}")
        lines.append(f"    note: {render_flow(entry['note'])}")
    if result.skipped:
        lines.append("# skipped:")
        lines += [f"#   line {s.line}: {_one_line(s.label)}: {_one_line(s.reason)}" for s in result.skipped]
    return "\n".join(lines) + "\n"


def render_flow(value: Any) -> str:
    """``value`` as one line of YAML flow style (quoted where YAML needs it)."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10**6)
    return text.removesuffix("\n...\n").strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())
