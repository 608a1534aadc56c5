"""Cleaning free text: the ``clean`` action on descriptions, comments and labels.

PS3.15 E.3.5 (Clean Descriptors Option) keeps descriptive text "cleaned of identifying
information". What :func:`clean_text` removes, exactly:

1. every token that identifies the object's subject or staff: each part of every person name in
   the object (patient, other patient names, birth name, mother's birth name, physicians,
   operators: parts of 2+ letters), the patient ID and other IDs, the accession number, the
   study ID and the issuer of the patient ID, matched as whole words, case-insensitively;
2. the birth date in common spellings (19800131, 1980-01-31, 31.01.1980, 31/01/1980,
   01/31/1980, 31-Jan-1980, Jan 31 1980, 31 January 1980, ...);
3. anything shaped like a date: 8-digit runs that are calendar dates, ``yyyy-mm-dd``,
   ``dd/mm/yyyy``, ``dd.mm.yy`` and similar, and a day with a month name;
4. anything shaped like a phone number: 7 or more digits with spaces, dots, dashes, or
   parentheses between them, optionally with a leading ``+``;
5. anything shaped like a long ID: a token of 5 or more digits, or a token of 6 or more
   letters and digits that holds at least 3 digits (MRN12345, A1B2C3D4);
6. e-mail addresses.

Each removed span becomes ``*``; the rest of the text (words, short numbers, units such as
``5 mm`` or ``120 kV``) stays. The result never grows longer than the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

REDACTED = "*"

_MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september"
    "|oct|october|nov|november|dec|december"
)
_DATE_PATTERNS = [
    r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b",  # 2024-01-31, 2024/1/31, 2024.01.31
    r"\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b",  # 31/01/2024, 01-31-24, 31.1.2024
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?[-\s.]*(?:{_MONTHS})\.?[-\s.,]*\d{{2,4}}\b",  # 31 Jan 2024, 31-jan-24
    rf"\b(?:{_MONTHS})\.?[-\s.]*\d{{1,2}}(?:st|nd|rd|th)?,?[-\s.]*\d{{2,4}}\b",  # January 31, 2024
    rf"\b(?:{_MONTHS})\.?[-\s.]+\d{{4}}\b",  # Jan 2024
]
_PHONE = r"(?<![\w])\+?\(?\d[\d().\s-]{5,}\d(?![\w])"
_LONG_DIGITS = r"\b\d{5,}\b"
_ALNUM_ID = r"\b(?=[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\d)[A-Za-z0-9][A-Za-z0-9_-]{5,}\b"
_EMAIL = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
_EMAIL_RE = re.compile(_EMAIL)
_SHAPES = re.compile("|".join([*_DATE_PATTERNS, _LONG_DIGITS, _ALNUM_ID]), re.IGNORECASE)
_PHONE_RE = re.compile(_PHONE)
_MIN_PHONE_DIGITS = 7


def _redact_phone(match: re.Match[str]) -> str:
    # "512 512" is a matrix size, "555-0100 12" a phone number: count the digits
    return REDACTED if sum(c.isdigit() for c in match.group(0)) >= _MIN_PHONE_DIGITS else match.group(0)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip(" \x00")


@dataclass
class Subject:
    """What identifies the object's subject and staff, gathered before the object is changed."""

    names: set[str] = field(default_factory=set)  # parts of person names, 2+ letters
    ids: set[str] = field(default_factory=set)  # IDs, accession and other identifiers
    birth_dates: set[str] = field(default_factory=set)  # YYYYMMDD

    def add_person_name(self, value: str) -> None:
        """Add each part of a PN value (components split on ^ = and spaces)."""
        for part in re.split(r"[\^=\s,]+", _normal(value)):
            part = part.strip(".-'")
            if len(part) >= 2 and not part.isdigit():
                self.names.add(part)

    def add_id(self, value: str) -> None:
        """Add an identifier (patient ID, accession number, ...)."""
        value = _normal(value)
        if len(value) >= 2:
            self.ids.add(value)

    def add_birth_date(self, value: str) -> None:
        """Add a DA value (YYYYMMDD)."""
        value = _normal(value)
        if re.fullmatch(r"\d{8}", value):
            self.birth_dates.add(value)

    def pattern(self) -> re.Pattern[str] | None:
        """One regular expression matching any of the subject's tokens."""
        alternatives = [re.escape(t) for t in sorted(self.names | self.ids, key=len, reverse=True)]
        alternatives += [_birth_date_pattern(d) for d in sorted(self.birth_dates)]
        if not alternatives:
            return None
        return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


def _birth_date_pattern(yyyymmdd: str) -> str:
    y, m, d = yyyymmdd[:4], yyyymmdd[4:6], yyyymmdd[6:8]
    mi, di = str(int(m)), str(int(d))
    month_names = _MONTHS.split("|")[(int(m) - 1) * 2 : (int(m) - 1) * 2 + 2] if 1 <= int(m) <= 12 else []
    sep = r"[-./\s]?"
    forms = [
        rf"{y}{sep}0?{mi}{sep}0?{di}",
        rf"0?{di}{sep}0?{mi}{sep}(?:{y}|{y[2:]})",
        rf"0?{mi}{sep}0?{di}{sep}(?:{y}|{y[2:]})",
    ]
    if month_names:
        names = "|".join(month_names)
        forms.append(rf"0?{di}[-\s.]*(?:{names})\.?[-\s.,]*(?:{y}|{y[2:]})")
        forms.append(rf"(?:{names})\.?[-\s.]*0?{di},?[-\s.]*(?:{y}|{y[2:]})")
    return "(?:" + "|".join(forms) + ")"


class Cleaner:
    """Cleans text for one object's subject; build once per object, apply to each text value."""

    def __init__(self, subject: Subject) -> None:
        self._subject_re = subject.pattern()

    def clean(self, text: str) -> str:
        """``text`` with identifying spans replaced by ``*`` (see the module docstring)."""
        if not text:
            return text
        # whole e-mail addresses and phone numbers go first, before their parts match below
        text = _EMAIL_RE.sub(REDACTED, text)
        if self._subject_re is not None:
            text = self._subject_re.sub(REDACTED, text)
        text = _PHONE_RE.sub(_redact_phone, text)
        return _SHAPES.sub(REDACTED, text)


def clean_text(text: str, subject: Subject | None = None) -> str:
    """Convenience: clean one value for ``subject`` (see :class:`Cleaner`)."""
    return Cleaner(subject or Subject()).clean(text)
