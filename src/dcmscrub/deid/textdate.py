"""Dates found in free text: where they are, and how one moves by a number of days in its own spelling.

Used by the ``clean`` action (text.py) under retain-long-modified-dates. A date is moved only when it
reads one way: 2024-01-31, 20240131, 31/01/2024 (only day-first is a date), 01/31/2024 (only
month-first is), 31 Jan 2024, January 31, 2024. 01/02/2024 and 05/05/2024 (which order to write it
back in is unknown), two-digit years and a month with a year are never moved (the caller removes
them), and neither is a moved date that would be longer than the original (a value never grows).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september"
    "|oct|october|nov|november|dec|december"
)
_MONTH_NUMBER = {name: i // 2 + 1 for i, name in enumerate(MONTHS.split("|")) if name != "sept"} | {"sept": 9}
# Dates found by digits, not by word boundaries
# (a date glued to letters or underscores, "T1_2024-01-15" or "scan20240115", must still be found)
_L, _R = r"(?<!\d)", r"(?!\d)"
_ORD = r"(?:st|nd|rd|th)?"
DATE_PATTERNS = [
    (
        "ymd",
        re.compile(rf"{_L}(?P<y>\d{{4}})(?P<s>[-./])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}}){_R}"),
    ),
    (
        "xy",
        re.compile(rf"{_L}(?P<a>\d{{1,2}})(?P<s>[-./])(?P<b>\d{{1,2}})(?P=s)(?P<y>\d{{4}}){_R}"),
    ),
    (
        "ymd8",
        re.compile(rf"{_L}(?P<y>(?:18|19|20|21)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d){_R}"),
    ),
    (
        "dmy",
        re.compile(
            rf"{_L}(?P<d>\d{{1,2}})(?P<o>{_ORD})(?P<s1>[-\s.]*)(?P<mon>{MONTHS})(?P<dot>\.?)"
            rf"(?P<s2>[-\s.,]*)(?P<y>\d{{4}}){_R}",
            re.IGNORECASE,
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"(?<![^\W\d_])(?P<mon>{MONTHS})(?P<dot>\.?)(?P<s1>[-\s.]*)(?P<d>\d{{1,2}})(?P<o>{_ORD})"
            rf"(?P<s2>,?[-\s.]*)(?P<y>\d{{4}}){_R}",
            re.IGNORECASE,
        ),
    ),
    (
        "short",
        re.compile(rf"{_L}\d{{1,2}}([-./])\d{{1,2}}\1\d{{2}}{_R}"),
    ),  # two-digit year
    (
        "short",
        re.compile(
            rf"{_L}\d{{1,2}}{_ORD}[-\s.]*(?:{MONTHS})\.?[-\s.,]*\d{{2}}{_R}",
            re.IGNORECASE,
        ),
    ),
    (
        "short",
        re.compile(
            rf"(?<![^\W\d_])(?:{MONTHS})\.?[-\s.]*\d{{1,2}}{_ORD},?[-\s.]*\d{{2}}{_R}",
            re.I,
        ),
    ),
    (
        "short",
        re.compile(rf"(?<![^\W\d_])(?:{MONTHS})\.?[-\s.]+\d{{4}}{_R}", re.IGNORECASE),
    ),  # Jan 2024
]


# What each pattern needs to match at all: cheap tests that spare a text the slow scans
_SEPARATED = re.compile(r"\d[-./]\d")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_MONTH_STARTS = tuple(sorted({name[:3] for name in MONTHS.split("|")}))
_NEEDS = ("separated", "separated", "eight", "month", "month", "separated", "month", "month", "month")


def find_dates(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """Every date-shaped match in ``text`` as (pattern kind, match), in the order of DATE_PATTERNS."""
    folded = text.casefold()
    present = {
        "separated": _SEPARATED.search(text) is not None,
        "eight": _EIGHT_DIGITS.search(text) is not None,
        "month": any(m in folded for m in _MONTH_STARTS),
    }
    for (kind, pattern), need in zip(DATE_PATTERNS, _NEEDS, strict=True):
        if present[need]:
            for m in pattern.finditer(text):
                yield kind, m


def shift_found(kind: str, m: re.Match[str], days: int) -> str | None:
    """The date ``m`` (found by pattern ``kind``) moved by ``days`` in its own spelling; None: remove it."""
    if kind == "short":
        return None
    g = m.groupdict()
    if kind == "xy":  # day and month in either order: only one reading may be a date
        a, b = int(g["a"]), int(g["b"])
        readings = [r for r in ((a, b), (b, a)) if _date(int(g["y"]), r[1], r[0]) is not None]
        if len(readings) != 1 or a == b:
            return None
        day_first = readings[0] == (a, b)
        day, month = (a, b) if day_first else (b, a)
    elif kind in ("dmy", "mdy"):
        day, month = int(g["d"]), _MONTH_NUMBER[g["mon"].lower()]
    else:
        day, month = int(g["d"]), int(g["m"])
    start = _date(int(g["y"]), month, day)
    if start is None:
        return None
    try:
        new = start + dt.timedelta(days=days)
    except OverflowError:
        return None
    out = _render(kind, g, new, day_first if kind == "xy" else True)
    return out if len(out) <= len(m.group(0)) else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _render(kind: str, g: dict[str, str], new: dt.date, day_first: bool) -> str:
    """``new`` written as the matched date was (separators, widths, month name style)."""
    if kind == "ymd8":
        return f"{new.year:04d}{new.month:02d}{new.day:02d}"
    if kind == "ymd":
        return f"{new.year:04d}{g['s']}{new.month:0{len(g['m'])}d}{g['s']}{new.day:0{len(g['d'])}d}"
    if kind == "xy":
        first, second = (new.day, new.month) if day_first else (new.month, new.day)
        return f"{first:0{len(g['a'])}d}{g['s']}{second:0{len(g['b'])}d}{g['s']}{new.year:04d}"
    day = f"{new.day:0{len(g['d'])}d}" + (_ordinal(new.day) if g["o"] else "")
    month = _month_like(g["mon"], new.month)
    if kind == "dmy":
        return f"{day}{g['s1']}{month}{g['dot']}{g['s2']}{new.year:04d}"
    return f"{month}{g['dot']}{g['s1']}{day}{g['s2']}{new.year:04d}"


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _month_like(original: str, month: int) -> str:
    """Month ``month`` named as ``original`` was: abbreviated or full ("May" counts as abbreviated)."""
    short, full = (
        MONTHS.split("|")[2 * (month - 1)],
        MONTHS.split("|")[2 * (month - 1) + 1],
    )
    written_full = len(original) > 4 or original.lower() in ("june", "july")
    name = full if written_full else short
    if original.isupper():
        return name.upper()
    return name.capitalize() if original[:1].isupper() else name
