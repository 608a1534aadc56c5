"""Dates and date-times moved by a number of days, with their precision and time kept."""

from __future__ import annotations

import datetime as dt
import re


def shift_date(value: str, days: int) -> str | None:
    """A DA value moved by ``days``; None when the value is not a valid date."""
    value = value.strip(" \x00")
    if not re.fullmatch(r"\d{8}", value):
        return None
    try:
        d = dt.date(int(value[:4]), int(value[4:6]), int(value[6:8])) + dt.timedelta(days=days)
    except (ValueError, OverflowError):
        return None
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


_DT_RE = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$")


def shift_datetime(value: str, days: int) -> str | None:
    """A DT value whose date part moved by ``days`` (precision and time kept); None if invalid."""
    m = _DT_RE.match(value.strip(" \x00"))
    if not m:
        return None
    year, month, day, time_part, offset = m.groups()
    try:
        d = dt.date(int(year), int(month or 1), int(day or 1))
        if time_part is not None:
            _check_time(time_part)
        d += dt.timedelta(days=days)
    except (ValueError, OverflowError):
        return None
    out = f"{d.year:04d}" + (f"{d.month:02d}" if month else "") + (f"{d.day:02d}" if day else "")
    return out + (time_part or "") + (offset or "")


def _check_time(text: str) -> None:
    hh = int(text[:2])
    mm = int(text[2:4]) if len(text) >= 4 else 0
    ss = int(text[4:6]) if len(text) >= 6 else 0
    if hh > 23 or mm > 59 or ss > 60:
        raise ValueError("time out of range")


def valid_date(value: str, vr: str) -> bool:
    """True for a valid DA or DT value (used before passing a kept date through)."""
    shift = shift_date if vr == "DA" else shift_datetime
    return shift(value, 0) is not None
