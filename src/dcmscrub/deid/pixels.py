"""Which pixel regions to blank in one dataset (Clean Pixel Data option, DCM 113101).

A :class:`PixelRule` says "on images whose header matches these conditions, blank these
rectangles". Rules come from a profile's ``pixels:`` section or from the built-in catalogue of
device signatures; :func:`regions_for` applies every rule to one dataset and returns the union of
the rectangles of all matching rules, clipped to the image (:class:`RuleRegions`).

The matching language (one condition per attribute, all conditions must hold)::

    Manufacturer: "GE*"              # text: a glob (fnmatch: * ? [abc]), whole value, any case
    Rows: 600                        # number: exact (US, SS, UL, SL, UV, SV, FL, FD, IS, DS)
    ImageType: SECONDARY             # multi-valued: holds when ANY value matches ("contains")
    Modality: [US, OT]               # a list: any of the alternatives
    SeriesDescription: {not: "*DOSE*"}        # none of the alternatives (absent counts as none)
    BurnedInAnnotation: {present: false}      # the element is absent (true: it is in the dataset)
    Manufacturer: ""                 # the element is present with an empty value

Case: text is compared case-insensitively (both sides casefolded). The peers' signatures are
mostly case-insensitive (CTP's containsIgnoreCase, deid's contains/equals lowercase both sides),
header values of the same device vary in case across software versions, and a rule that matches
a little more blanks a little more, which is the safe direction. Leading and trailing spaces of a
value are not significant (DICOM padding).

OR across different attributes is not part of a rule: ``A and (B or C)`` is written as two rules
(A and B, A and C) with the same rectangles, since the rectangles of all matching rules are
unioned. That keeps one rule one conjunction, readable and checkable line by line.

Attributes are matched at the top level of the dataset, and in its file meta information for
group 0002 (CTP reads ImplementationVersionName there). A positive condition never holds on an
absent element; ``not`` always holds on one.

This module is pure: no I/O, no clock; it reads datasets through pydicom's public API only.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

RuleOrigin = Literal["catalogue", "profile"]
ConditionKind = Literal["any", "none", "present", "absent"]

NUMERIC_VRS = frozenset({"US", "SS", "UL", "SL", "UV", "SV", "FL", "FD", "IS", "DS"})
TEXT_VRS = frozenset(
    {
        "AE",
        "AS",
        "CS",
        "DA",
        "DT",
        "LO",
        "LT",
        "PN",
        "SH",
        "ST",
        "TM",
        "UC",
        "UI",
        "UR",
        "UT",
    }
)
MAX_DIMENSION = 65535  # Rows and Columns are US

# Fixed reason codes of a decision that cannot be made (fail closed: the file is not released).
NO_GEOMETRY = "pixel_rule_no_geometry"  # a rule matched but Rows/Columns are missing or not numbers
RULE_OUTSIDE_IMAGE = "pixel_rule_outside_image"  # a rule matched and none of its rectangles is inside


@dataclass(frozen=True, order=True)
class Rect:
    """A rectangle in pixels: left ``x``, top ``y``, ``width``, ``height`` (CTP's order)."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """First column after the rectangle."""
        return self.x + self.width

    @property
    def bottom(self) -> int:
        """First row after the rectangle."""
        return self.y + self.height

    def clip(self, rows: int, columns: int) -> Rect | None:
        """This rectangle cut to a ``rows`` x ``columns`` image, or None if nothing is left."""
        right, bottom = min(self.right, columns), min(self.bottom, rows)
        x, y = max(self.x, 0), max(self.y, 0)
        if right <= x or bottom <= y:
            return None
        return Rect(x, y, right - x, bottom - y)

    def contains(self, other: Rect) -> bool:
        """True if ``other`` lies wholly inside this rectangle."""
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def as_list(self) -> list[int]:
        """``[x, y, width, height]``, as written in YAML."""
        return [self.x, self.y, self.width, self.height]


@dataclass(frozen=True)
class Condition:
    """One attribute's condition.

    ``kind`` ``any``: some value matches one of ``values``; ``none``: no value matches any of
    them (or the element is absent); ``present`` / ``absent``: the element is / is not in the
    dataset. ``values`` are globs (text attributes) or numbers (``numeric``), as written.
    """

    key: str  # the keyword, or "(6000,0022)" for a repeating-group element without one
    tag: int
    kind: ConditionKind
    values: tuple[str | int | float, ...] = ()
    numeric: bool = False

    def holds(self, ds: Dataset) -> bool:
        """True if this condition holds for ``ds``."""
        found, values = _values_of(ds, self.tag)
        if self.kind == "present":
            return found
        if self.kind == "absent":
            return not found
        hit = found and any(self._matches(v) for v in values)
        return hit if self.kind == "any" else not hit

    def _matches(self, value: Any) -> bool:
        if self.numeric:
            number = _as_number(value)
            return number is not None and any(number == v for v in self.values)
        if isinstance(value, bytes | bytearray):
            return False  # undecoded bytes: no text to compare, so no match
        text = str(value).strip().casefold()
        return any(fnmatch.fnmatchcase(text, str(v).casefold()) for v in self.values)

    def as_yaml(self) -> Any:
        """The condition's value as written in a ``match:`` mapping."""
        if self.kind in ("present", "absent"):
            return {"present": self.kind == "present"}
        alternatives: Any = self.values[0] if len(self.values) == 1 else list(self.values)
        return alternatives if self.kind == "any" else {"not": alternatives}


@dataclass(frozen=True)
class PixelRule:
    """Blank ``rects`` on every image that meets all ``conditions``.

    ``source`` says where the rule comes from (``profile.yaml:12``, or the catalogue's note of
    the CTP script line or deid recipe entry); ``origin`` is ``profile`` or ``catalogue``.
    """

    conditions: tuple[Condition, ...]
    rects: tuple[Rect, ...]
    source: str
    origin: RuleOrigin
    rule_id: str | None = None
    note: str | None = None

    def matches(self, ds: Dataset) -> bool:
        """True if every condition holds for ``ds``."""
        return all(c.holds(ds) for c in self.conditions)

    def match_yaml(self) -> dict[str, Any]:
        """The ``match:`` mapping of this rule."""
        return {c.key: c.as_yaml() for c in self.conditions}


@dataclass(frozen=True)
class RuleRegions:
    """What to blank in one dataset.

    ``rules``: the matching rules, in order. ``regions``: their rectangles clipped to the image,
    duplicates and rectangles inside another removed (the union is unchanged). ``clipped``: how
    many rectangles were cut at the image border; ``outside``: how many lay wholly outside and were
    dropped. ``problem``: a fixed reason code when no safe decision could be made (then the file
    must not be released, whatever ``regions`` says).
    """

    rules: tuple[PixelRule, ...] = ()
    regions: tuple[Rect, ...] = ()
    clipped: int = 0
    outside: int = 0
    problem: str | None = None

    @property
    def blanks(self) -> bool:
        """True if there is something to blank and nothing stands in the way."""
        return bool(self.regions) and self.problem is None


def regions_for(ds: Dataset, rules: Iterable[PixelRule]) -> RuleRegions:
    """Apply every rule to ``ds``: the union of the rectangles of all matching rules.

    Unlike CTP (first matching signature only), every matching rule counts: a general rule
    listed before a specific one cannot hide it, and blanking more is the safe direction.
    """
    matched = tuple(r for r in rules if r.matches(ds))
    if not matched:
        return RuleRegions()
    size = image_size(ds)
    if size is None:
        return RuleRegions(rules=matched, problem=NO_GEOMETRY)
    rows, columns = size
    kept: list[Rect] = []
    clipped = outside = 0
    problem = None
    for rule in matched:
        inside = 0
        for rect in rule.rects:
            cut = rect.clip(rows, columns)
            if cut is None:
                outside += 1
                continue
            inside += 1
            clipped += cut != rect
            kept.append(cut)
        if inside == 0:
            problem = RULE_OUTSIDE_IMAGE
    return RuleRegions(matched, union_of(kept), clipped, outside, problem)


def union_of(rects: list[Rect]) -> tuple[Rect, ...]:
    """Drop duplicates and rectangles that lie inside another; keep first-seen order."""
    out: list[Rect] = []
    for i, rect in enumerate(rects):
        earlier_or_bigger = (
            other
            for j, other in enumerate(rects)
            if j != i and other.contains(rect) and (other != rect or j < i)
        )
        if next(earlier_or_bigger, None) is None:
            out.append(rect)
    return tuple(out)


def image_size(ds: Dataset) -> tuple[int, int] | None:
    """``(Rows, Columns)``, or None when either is missing or not a single number in 1-65535."""
    rows, columns = _dimension(ds, 0x00280010), _dimension(ds, 0x00280011)
    return None if rows is None or columns is None else (rows, columns)


def _dimension(ds: Dataset, tag: int) -> int | None:
    found, values = _values_of(ds, tag)
    number = _as_number(values[0]) if found and len(values) == 1 else None
    if number is None or number != int(number) or not 1 <= number <= MAX_DIMENSION:
        return None
    return int(number)


def _values_of(ds: Dataset, tag: int) -> tuple[bool, list[Any]]:
    """``(present, values)`` of a top-level element (file meta for group 0002)."""
    where: Any = ds
    if tag >> 16 == 0x0002:
        where = getattr(ds, "file_meta", None)
        if where is None:
            return False, []
    elem = where.get(tag)
    if elem is None:
        return False, []
    value = elem.value
    if isinstance(value, MultiValue | list | tuple):
        values = ["" if v is None else v for v in value]
        return True, values or [""]
    return True, ["" if value is None else value]


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or isinstance(value, bytes | bytearray):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------------------------
# the optional text detector's settings


@dataclass(frozen=True)
class DetectorSettings:
    """The profile's ``pixels_detector:`` section (the detector itself is the ``[ocr]`` extra).

    ``enabled``: ``off`` (never run), ``auto`` (run when the extra is installed), ``on`` (the
    extra is required: a run without it stops before touching a file). ``keep_text``: recognised
    texts that may stay (exact, any case). The detector looks at every image the burned-in text
    decision would hold back (:mod:`dcmscrub.deid.burned_in`), and at the images one of ``also``
    matches, whatever their BurnedInAnnotation says.
    """

    enabled: Literal["off", "auto", "on"] = "off"
    keep_text: tuple[str, ...] = ()
    also: tuple[tuple[Condition, ...], ...] = ()
    source: str | None = None

    def named(self, ds: Dataset) -> bool:
        """True if one of ``also`` matches ``ds``."""
        return any(all(c.holds(ds) for c in conds) for conds in self.also)
