"""Cleaning free text: the ``clean`` action on descriptions, comments, labels and SR text.

PS3.15 E.3.5 keeps descriptive text "cleaned of identifying information", that is replaced by
values known not to identify. What :class:`Cleaner` does, in ``vocabulary`` mode (the default):

1. Identifiers of the object's subject and staff go first, whatever else they look like: each part
   of every person name in the object (2+ letters; a surname that is also an anatomy word goes too),
   the patient's and other IDs, the accession number, the birth date in common spellings;
   then e-mail addresses.
2. Dates: with ``shift_days`` (the patient's offset, under retain-long-modified-dates) a date that
   parses unambiguously (2024-01-31, 20240131, 31/01/2024, 01/31/2024, 31 Jan 2024, January 31,
   2024) is moved by that many days in its own spelling; an ambiguous date (01/02/2024, 05/05/2024,
   a two-digit year, a month and year) and every date without ``shift_days`` is removed. A shifted
   date longer than the original is removed (a value never grows).
3. Anything shaped like a phone number (7+ digits with spaces, dots, dashes or parentheses).
4. Every other token is judged on its own. Tokens are words of letters and numbers split at every
   other character (``t1_mprage_sag_p2_iso`` is five tokens), and runs of characters of scripts
   written without spaces (``胸部``). A token stays when it is in the vocabulary
   (standard/vocabulary.py); when it is a number of up to 4 digits per run (``120``, ``1.5``);
   when its parts (letter runs, camel-case parts, numbers) are: every letter part in the
   vocabulary, at most one of them a single letter, no run of 5+ digits (``3.0T``, ``2.5mm``,
   ``b1000``, ``AxialT2``; an ``x`` between numbers does not count: ``1.3x1.3x3``); when it is a
   name-like token standing beside the partner of a pair of the vocabulary (``Hodgkin lymphoma``);
   a run stays when it splits entirely into vocabulary runs.
   Every other token becomes ``*``. Punctuation and spaces stay.

Each removed span becomes ``*``; removed spans separated only by spaces or underscores merge into one.
The result is never longer than the input. ``denylist`` mode is the former rule, kept as an explicit
choice: the subject's identifiers and the date, phone, long-ID and e-mail shapes go, every other word
stays.

For review, :meth:`Cleaner.clean` can report what it removed (:class:`Removal`): the text of a token
only when it was removed for not being in the vocabulary (a candidate for a site's vocabulary); for
every other reason (the subject, a date, a phone number, an ID shape, an e-mail) only the reason.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from dcmscrub.deid.profile import TextSettings
from dcmscrub.deid.textdate import MONTHS, find_dates, shift_found
from dcmscrub.standard.vocabulary import (
    SEGMENT_RE,
    TOKEN_RE,
    Vocabulary,
    camel_parts,
    default_vocabulary,
    is_run,
    normal,
    shadow,
    tokens,
)

REDACTED = "*"
Mode = Literal["vocabulary", "denylist"]

# --- the former (denylist) rule, unchanged -----------------------------------------------------
_DATE_PATTERNS = [
    r"\b\d{4}[-./]\d{1,2}[-./]\d{1,2}\b",  # 2024-01-31, 2024/1/31, 2024.01.31
    r"\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b",  # 31/01/2024, 01-31-24, 31.1.2024
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?[-\s.]*(?:{MONTHS})\.?[-\s.,]*\d{{2,4}}\b",  # 31 Jan 2024, 31-jan-24
    rf"\b(?:{MONTHS})\.?[-\s.]*\d{{1,2}}(?:st|nd|rd|th)?,?[-\s.]*\d{{2,4}}\b",  # January 31, 2024
    rf"\b(?:{MONTHS})\.?[-\s.]+\d{{4}}\b",  # Jan 2024
]
_PHONE = r"(?<![\w])\+?\(?\d[\d().\s-]{5,}\d(?![\w])"
_LONG_DIGITS = r"\b\d{5,}\b"
_ALNUM_ID = r"\b(?=[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*\d)[A-Za-z0-9][A-Za-z0-9_-]{5,}\b"
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_SHAPES = re.compile("|".join([*_DATE_PATTERNS, _LONG_DIGITS, _ALNUM_ID]), re.IGNORECASE)
_PHONE_RE = re.compile(_PHONE)
_MIN_PHONE_DIGITS = 7

_PHONE_V = re.compile(r"(?<!\d)\+?\(?\d[\d().\s-]{5,}\d(?!\d)")
_SEPARATOR_ONLY = re.compile(r"[\s_]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LONG_RUN = re.compile(r"\d{5,}")
MAX_SHORT_PART = 2  # letters: a part this short is an abbreviation, or a piece of a code


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

    def pattern(self, boundary: str = r"[\w]") -> re.Pattern[str] | None:
        """One regular expression matching any of the subject's tokens, not inside a longer word.

        ``boundary`` is the class of characters that may not touch a match (the former rule: any
        word character; the vocabulary rule: letters and digits, so ``_`` separates).
        """
        alternatives = [re.escape(t) for t in sorted(self.names | self.ids, key=len, reverse=True)]
        alternatives += [_birth_date_pattern(d) for d in sorted(self.birth_dates)]
        if not alternatives:
            return None
        return re.compile(
            rf"(?<!{boundary})(?:" + "|".join(alternatives) + rf")(?!{boundary})",
            re.IGNORECASE,
        )


def _birth_date_pattern(yyyymmdd: str) -> str:
    y, m, d = yyyymmdd[:4], yyyymmdd[4:6], yyyymmdd[6:8]
    mi, di = str(int(m)), str(int(d))
    month_names = MONTHS.split("|")[(int(m) - 1) * 2 : (int(m) - 1) * 2 + 2] if 1 <= int(m) <= 12 else []
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


@dataclass(frozen=True)
class Removal:
    """One span ``clean`` removed: why, and the token's text only when the reason is ``unknown``."""

    reason: str  # unknown (not in the vocabulary), subject, email, date, phone, id
    token: str = ""


_Span = tuple[int, int, str, str]  # start, end, replacement (REDACTED or a shifted date), reason


class Cleaner:
    """Cleans text for one object's subject; build once per object, apply to each text value.

    ``vocabulary`` is built once per profile (default: the shipped one); ``shift_days`` is the
    patient's date offset when dates are shifted (retain-long-modified-dates), else None.
    """

    def __init__(
        self,
        subject: Subject,
        vocabulary: Vocabulary | None = None,
        *,
        mode: Mode = "vocabulary",
        shift_days: int | None = None,
    ) -> None:
        self._mode = mode
        self._shift = shift_days
        self._vocabulary = vocabulary if vocabulary is not None else default_vocabulary()
        self._subject_re = subject.pattern() if mode == "denylist" else subject.pattern(r"[^\W_]")
        # every word of every name part, normalised: "SMITH-WHITE" removes "White" alone too
        self._subject_words = frozenset(
            normal(t) for n in subject.names for t in tokens(shadow(n)) if len(t) >= 2 or is_run(t)
        )
        run_names = sorted((n for n in subject.names if is_run(n)), key=len, reverse=True)
        self._subject_runs = re.compile("|".join(map(re.escape, run_names))) if run_names else None

    def clean(self, text: str, removed: list[Removal] | None = None) -> str:
        """``text`` with what may identify replaced by ``*`` (see the module docstring).

        When ``removed`` is given, one :class:`Removal` is appended for each removed span.
        """
        if not text:
            return text
        if self._mode == "denylist":
            return self._denylist(text, removed)
        text = unicodedata.normalize("NFC", text)
        seen = shadow(text)  # what is judged; kept pieces are cut from ``text`` (same length)
        pieces: list[tuple[str, bool]] = []  # (text, is a redaction)
        pos = 0
        for start, end, replacement, reason in self._spans(seen):
            self._judge(text, seen, pos, start, pieces, removed)
            pieces.append((replacement, replacement == REDACTED))
            if replacement == REDACTED and removed is not None:
                removed.append(Removal(reason))
            pos = end
        self._judge(text, seen, pos, len(text), pieces, removed)
        return _join(pieces)

    # -- the former rule ------------------------------------------------------------------------

    def _denylist(self, text: str, removed: list[Removal] | None) -> str:
        def sub(pattern: re.Pattern[str], reason: str, value: str) -> str:
            def one(m: re.Match[str]) -> str:
                if reason == "phone" and sum(c.isdigit() for c in m.group(0)) < _MIN_PHONE_DIGITS:
                    return m.group(0)  # "512 512" is a matrix size, "555-0100 12" a phone number
                if removed is not None:
                    removed.append(Removal(reason))
                return REDACTED

            return pattern.sub(one, value)

        # whole e-mail addresses and phone numbers go first, before their parts match below
        text = sub(_EMAIL_RE, "email", text)
        if self._subject_re is not None:
            text = sub(self._subject_re, "subject", text)
        text = sub(_PHONE_RE, "phone", text)
        return sub(_SHAPES, "id", text)

    # -- the vocabulary rule: spans found by pattern --------------------------------------------

    def _spans(self, text: str) -> list[_Span]:
        """E-mail, subject, date and phone spans, earlier kinds winning over later overlapping ones."""
        spans: list[_Span] = []

        def add(start: int, end: int, replacement: str, reason: str) -> None:
            if all(end <= s or start >= e for s, e, _r, _w in spans):
                spans.append((start, end, replacement, reason))

        if "@" in text:  # a whole address goes, before the subject's name inside it matches
            for m in _EMAIL_RE.finditer(text):
                add(m.start(), m.end(), REDACTED, "email")
        for pattern in (self._subject_re, self._subject_runs):
            for m in pattern.finditer(text) if pattern is not None else ():
                add(m.start(), m.end(), REDACTED, "subject")
        if any(c.isdigit() for c in text):
            self._number_spans(text, add)
        return sorted(spans)

    def _number_spans(self, text: str, add: Callable[[int, int, str, str], None]) -> None:
        """Dates (shifted, or removed) and phone numbers."""
        for kind, m in find_dates(text):
            moved = None if self._shift is None else shift_found(kind, m, self._shift)
            add(m.start(), m.end(), moved or REDACTED, "date")
        for m in _PHONE_V.finditer(text):
            if sum(c.isdigit() for c in m.group(0)) >= _MIN_PHONE_DIGITS:
                add(m.start(), m.end(), REDACTED, "phone")

    # -- the vocabulary rule: tokens judged one by one ------------------------------------------

    def _judge(
        self,
        text: str,
        seen: str,
        begin: int,
        end: int,
        pieces: list[tuple[str, bool]],
        removed: list[Removal] | None,
    ) -> None:
        """Append the pieces of ``text[begin:end]`` (between spans): kept tokens, ``*`` and separators."""
        if begin >= end:
            return
        found = list(TOKEN_RE.finditer(seen, begin, end))
        words = [normal(m.group(0)) for m in found]
        pos = begin
        for i, m in enumerate(found):
            if m.start() > pos:
                pieces.append((text[pos : m.start()], False))
            reason = self._verdict(m.group(0), words, i, m.group("run") is not None)
            if reason is None:
                pieces.append((text[m.start() : m.end()], False))
            else:
                pieces.append((REDACTED, True))
                if removed is not None:
                    removed.append(Removal(reason, text[m.start() : m.end()] if reason == "unknown" else ""))
            pos = m.end()
        if pos < end:
            pieces.append((text[pos:end], False))

    def _verdict(self, token: str, words: list[str], i: int, run: bool) -> str | None:
        """None to keep ``token`` (the i-th of ``words``), else the reason it goes."""
        vocabulary = self._vocabulary
        n = words[i]
        if n in self._subject_words:
            return "subject"
        if n in vocabulary.words:
            return None
        if run:
            return None if _segments(n, vocabulary) else "unknown"
        if n in vocabulary.paired:
            before = words[i - 1] if i > 0 else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            if (before, n) in vocabulary.pairs or (n, after) in vocabulary.pairs:
                return None
            return "unknown"
        return self._parts_verdict(token)

    def _parts_verdict(self, token: str) -> str | None:
        """A word judged by its parts: numbers, letter runs and their camel-case parts.

        It stays when every letter part is a vocabulary word and its shape is one the field writes:
        one number at most (a dimension such as ``512x512`` or ``1.3x1.3x3`` counts as one), with
        at most one short letter part (of 1 or 2 letters) beside it: ``3.0T``, ``2.5mm``, ``b1000``,
        ``AxialT2``, ``T2w``. Letters and digits taking turns (``VL75SF14``, ``5BY1A``, ``LT18K``)
        are the shape of a code: they go, whatever their parts.
        """
        vocabulary = self._vocabulary
        segments = SEGMENT_RE.findall(token)
        numbers = short = 0
        previous = ""
        for k, segment in enumerate(segments):
            if segment[0].isdecimal():
                if _LONG_RUN.search(segment):
                    return "id"
                numbers += previous != "x"  # 512x512: one dimension
                previous = "number"
                continue
            seg = normal(segment)
            if seg == "x" and 0 < k < len(segments) - 1 and segments[k + 1][0].isdecimal():
                previous = "x"
                continue  # a dimension: 512x512, 1.3x1.3x3
            previous = "letters"
            parts = [seg] if seg in vocabulary.words else [normal(p) for p in camel_parts(segment)]
            for part in parts:
                if part in self._subject_words:
                    return "subject"
                if part not in vocabulary.words:
                    return "unknown"
                short += len(part) <= MAX_SHORT_PART
        # two numbers are a code's shape (5BY1A, p1b1); so are short parts beside a number (LT18K)
        return "unknown" if numbers > 1 or short > (1 if numbers else 2) else None


def _segments(run: str, vocabulary: Vocabulary) -> bool:
    """True when the run splits entirely into vocabulary entries (shortest first, as a check)."""
    longest = vocabulary.longest_run
    reachable = [True] + [False] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - longest), end):
            if reachable[start] and run[start:end] in vocabulary.words:
                reachable[end] = True
                break
    return reachable[-1]


def _join(pieces: list[tuple[str, bool]]) -> str:
    """The pieces as text, redactions separated only by spaces or underscores merged into one."""
    out: list[str] = []
    last_redaction = -1  # index in out of the last redaction not followed by kept text
    for text, redaction in pieces:
        if redaction:
            if last_redaction >= 0 and all(_SEPARATOR_ONLY.fullmatch(t) for t in out[last_redaction + 1 :]):
                del out[last_redaction + 1 :]
                continue
            out.append(REDACTED)
            last_redaction = len(out) - 1
        else:
            out.append(text)
    return "".join(out)


def clean_text(
    text: str,
    subject: Subject | None = None,
    vocabulary: Vocabulary | None = None,
    *,
    mode: Mode = "vocabulary",
    shift_days: int | None = None,
) -> str:
    """Convenience: clean one value for ``subject`` (see :class:`Cleaner`)."""
    return Cleaner(subject or Subject(), vocabulary, mode=mode, shift_days=shift_days).clean(text)


@functools.lru_cache(maxsize=8)
def vocabulary_for(settings: TextSettings) -> Vocabulary:
    """The shipped vocabulary plus a profile's terms (built once per profile and process)."""
    terms = settings.terms()
    base = default_vocabulary()
    return base.extended(terms, "profile text.vocabulary and vocabulary_files") if terms else base


def cleaner_for(subject: Subject, settings: TextSettings, shift_days: int | None) -> Cleaner:
    """The :class:`Cleaner` a profile's ``text:`` settings ask for, for one object's subject."""
    mode: Mode = "denylist" if settings.clean == "denylist" else "vocabulary"
    return Cleaner(subject, vocabulary_for(settings), mode=mode, shift_days=shift_days)


def gather_names(values: Iterable[str]) -> Subject:
    """A :class:`Subject` holding the parts of these person names (for tests and tools)."""
    s = Subject()
    for v in values:
        s.add_person_name(v)
    return s
