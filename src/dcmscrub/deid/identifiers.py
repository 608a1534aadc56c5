"""An input's identifiers, collected independently of the engine's rules, in a normal form.

The first half of the residual-identifier gate (:mod:`dcmscrub.deid.gate` has the matching rules
and the second half). :func:`collect` reads every element of the input at every depth, as
:func:`~dcmscrub.dicomio.flat.flatten` lists them, and keeps what identifies: by VR (every person
name, date and date-time, instance UID) and by attribute (IDs, addresses, phone numbers,
institution, department and station names, device serial numbers and IDs), plus the tokens of the
input's relative path.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from dcmscrub.deid.device_words import drop_device_phrases
from dcmscrub.deid.identifier_tags import DEVICE_NAME_TAGS, VOCABULARY_TAGS, kinds, uid_names_a_kind
from dcmscrub.dicomio.elements import Flat, Flattened
from dcmscrub.standard.uids import is_well_known
from dcmscrub.standard.vocabulary import default_vocabulary

_NUMBERS = frozenset({"IS", "DS"})
_DATES = frozenset({"DA", "DT"})
_DESCRIBED = frozenset({"LO", "SH", "ST", "LT", "UT", "UC"})


# A table from bytes to their normal form: letters upper case, digits and non-ASCII bytes kept,
# everything else a space (ASCII values; others go through _norm_text)
NORM = bytes(
    c - 32 if 0x61 <= c <= 0x7A else c if (0x41 <= c <= 0x5A or 0x30 <= c <= 0x39 or c >= 0x80) else 0x20
    for c in range(256)
)
_NON_WORD = re.compile(r"[\W_]+")
PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n\r\x00"
BOUNDARY = b" \x01 "  # between element values: no phrase spans two elements

# Words that are nobody's name or ID, found in name and ID fields of real files
STOPWORDS = frozenset(
    b"""ANONYMOUS ANONYMIZED ANONYMISED ANONYMIZE ANON UNKNOWN NONE NULL NAME NAMES PATIENT TEST
    PHANTOM DOCTOR DR MD PHD MR MRS MS MISS MX JR SR II III IV PROF REMOVED PSEUDO DEFAULT NA
    OTHER STAFF TECH TECHNOLOGIST RADIOLOGIST PHYSICIAN NURSE OPERATOR USER ADMIN SERVICE QA QC
    DEMO SAMPLE SUBJECT CASE STUDY SERIES IMAGE NO YES DCMSCRUB""".split()
)

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "JAN JANUARY",
            "FEB FEBRUARY",
            "MAR MARCH",
            "APR APRIL",
            "MAY",
            "JUN JUNE",
            "JUL JULY",
            "AUG AUGUST",
            "SEP SEPT SEPTEMBER",
            "OCT OCTOBER",
            "NOV NOVEMBER",
            "DEC DECEMBER",
        )
    )
    for m in names.split()
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE_SHAPES = re.compile(
    rf"(?<![0-9A-Z])(?:(\d{{4}}) (\d{{1,2}}) (\d{{1,2}})|(\d{{1,2}}) (\d{{1,2}}) (\d{{4}})"
    rf"|(\d{{1,2}}) ({_MONTH_RE}) (\d{{4}})|({_MONTH_RE}) (\d{{1,2}}) (\d{{4}}))(?![0-9A-Z])".encode()
)
DIGITS = re.compile(rb"\d+")
PHONE_SEPARATORS = re.compile(rb"(?<=\d)[ ().+-]+(?=\d)")


@dataclass
class Identifiers:
    """What identifies an input, in normal form (see the module docstring)."""

    tokens: dict[bytes, str] = field(default_factory=dict)  # one token -> kind
    pn_tokens: dict[bytes, str] = field(default_factory=dict)  # two-letter name parts (PN only)
    phrases: dict[bytes, str] = field(default_factory=dict)  # b" A B " -> kind
    uids: set[str] = field(default_factory=set)
    dates: set[bytes] = field(default_factory=set)  # YYYYMMDD
    dates_at: dict[tuple[int, ...], bytes] = field(default_factory=dict)  # date values by path
    phones: set[bytes] = field(default_factory=set)  # digits
    path_words: set[bytes] = field(default_factory=set)  # letter tokens of the input path


_WEAK_KINDS = frozenset({"name", "institution", "station", "device", "path"})


# --------------------------------------------------------------------------------------------
# normal form


def norm_text(text: str) -> bytes:
    return _NON_WORD.sub(" ", unicodedata.normalize("NFC", text).upper()).strip().encode("utf-8")


def norm(flat: Flat) -> bytes:
    value = flat.value
    if value.isascii():
        return value.translate(NORM)
    return norm_text(flat.text())


def _distinct(token: bytes) -> bool:
    """A single token that can identify: 3+ characters with a letter, or 4+ digits, not a stopword."""
    if token in STOPWORDS or len(token) < 3:
        return False
    return not token.isdigit() or len(token) >= 4


# --------------------------------------------------------------------------------------------
# collecting the input's identifiers


def collect(flat: Flattened, relpath: str) -> Identifiers:
    """The identifiers of an input (its elements as :func:`~dcmscrub.dicomio.flat.flatten` read
    them, and its path relative to its input root)."""
    ids = Identifiers()
    kind_of, vocabulary_tags, dates_at, uids = kinds(), VOCABULARY_TAGS, ids.dates_at, ids.uids
    kind_uids: set[str] = set()
    vocabulary: list[Values] = []  # codes and device descriptions
    described: list[Values] = []  # descriptive text: what a folder name may repeat
    devices: list[Values] = []  # manufacturer and model names
    read: list[tuple[str, bytes, tuple[str, ...]]] = []  # names and attributes read by kind, in order
    for path, vr, value, charset, _creator in flat.elements:
        tag = path[-1]
        if vr == "CS" or tag in vocabulary_tags:
            vocabulary.append((value, charset))
            if tag in DEVICE_NAME_TAGS:
                devices.append((value, charset))
        elif vr in _DESCRIBED and tag not in kind_of:
            described.append((value, charset))
        elif vr == "PN":
            read.append(("name", value, charset))
        elif vr in _DATES:
            raw = value.strip(b" \x00")
            if raw:
                dates_at[path] = raw
                ids.dates |= _dates(raw)
        elif vr == "UI":
            values, instances = _uid_values(value)
            if uid_names_a_kind(tag):
                kind_uids |= values
            else:
                uids |= instances
        elif (kind := kind_of.get(tag)) is not None and vr not in _NUMBERS:
            read.append((kind, value, charset))
    _merge(ids, _read(_without_device_names(tuple(read), tuple(devices))))
    uids -= kind_uids
    _add_path(ids, relpath)
    _drop_vocabulary(ids, vocabulary, described)
    return ids


def _without_device_names(
    read: tuple[tuple[str, bytes, tuple[str, ...]], ...], devices: tuple[Values, ...]
) -> tuple[tuple[str, bytes, tuple[str, ...]], ...]:
    """``read`` without a person name whose whole value is a device's whole name: Philips writes
    its model (``Achieva``) as a content creator's name. A surname planted in the manufacturer
    beside other words is still a name (the whole values differ)."""
    if not devices:
        return read
    names = {_whole(v, c) for v, c in devices}
    return tuple(r for r in read if r[0] != "name" or _whole(r[1], r[2]) not in names)


def _whole(value: bytes, charset: tuple[str, ...]) -> bytes:
    return b" ".join(norm(Flat((0,), "", value, charset)).split())


def _drop_vocabulary(ids: Identifiers, vocabulary: list[Values], described: list[Values]) -> None:
    """Drop the tokens that are words of the file's own vocabulary, the institution, station and
    device phrases its device descriptions repeat (:mod:`dcmscrub.deid.device_words`), and the
    path's tokens its descriptive text holds."""
    words, text = _words(tuple(vocabulary))
    if ids.phrases:
        drop_device_phrases(ids.phrases, text)
    for token in words & ids.tokens.keys():
        kind = ids.tokens[token]
        # a name part counts as the file's vocabulary only if it is a word of the field too: a
        # surname planted in a code meaning or the manufacturer must not blind the gate to it
        if kind in _WEAK_KINDS and (kind != "name" or _field_word(token)):
            del ids.tokens[token]
    ids.path_words -= words
    if (
        ids.path_words
        or any(kind == "path" for kind in ids.phrases.values())
        or "path" in ids.tokens.values()
    ):
        _drop_described_path(ids, _joined(tuple(described)))


Values = tuple[bytes, tuple[str, ...]]  # a value and the character set in force


@functools.lru_cache(maxsize=256)
def _read(read: tuple[tuple[str, bytes, tuple[str, ...]], ...]) -> Identifiers:
    """What names and the attributes read by kind add, merged in their order (remembered: the
    files of a series repeat them all; never mutated)."""
    ids = Identifiers()
    for kind, value, charset in read:
        _merge(ids, _contribution(kind, value, charset))
    return ids


@functools.lru_cache(maxsize=256)
def _words(vocabulary: tuple[Values, ...]) -> tuple[frozenset[bytes], bytes]:
    """The words of the file's vocabulary, and its text with a space at each end (values apart)
    (remembered: a series repeats its codes)."""
    split = _joined(vocabulary).split()
    return frozenset(split), b" " + b" ".join(split) + b" "


def _field_word(token: bytes) -> bool:
    """True for a word of the shipped vocabulary (standard.vocabulary): ``TEXT``, ``HEAD``."""
    return token.decode("utf-8", "replace").lower() in default_vocabulary().words


def _joined(values: tuple[Values, ...]) -> bytes:
    """The normal form of several values at once, separated by BOUNDARY (one translate for all)."""
    ascii_values = [v for v, _charset in values if v.isascii()]
    others = [norm_text(Flat((0,), "", v, charset).text()) for v, charset in values if not v.isascii()]
    return BOUNDARY.join([b" \x01 ".join(ascii_values).translate(NORM), *others])


def _drop_described_path(ids: Identifiers, described: bytes) -> None:
    """Folder and file names often repeat a series or study description (``S005_DWI_B1000``): a
    path token or name that the input's own descriptive text holds is that text, not a name of the
    path's own (what identifies in it, a name, an ID, a date, is collected from its element)."""
    text = b" " + b" ".join(described.split()) + b" "
    words = set(text.split())
    for token in [t for t, kind in ids.tokens.items() if kind == "path" and t in words]:
        del ids.tokens[token]
    for phrase in [p for p, kind in ids.phrases.items() if kind == "path" and p in text]:
        del ids.phrases[phrase]
    ids.path_words -= words


@functools.lru_cache(maxsize=8192)
def _contribution(kind: str, value: bytes, charset: tuple[str, ...]) -> Identifiers:
    """What one value adds (remembered: the files of a series repeat their patient, institution
    and station; never mutated)."""
    ids = Identifiers()
    text = Flat((0,), "", value, charset).text()
    if kind == "name":
        _add_name(ids, text)
    else:
        _add_kind(ids, kind, text)
    return ids


def _merge(ids: Identifiers, more: Identifiers) -> None:
    ids.tokens.update(more.tokens)
    ids.pn_tokens.update(more.pn_tokens)
    ids.phrases.update(more.phrases)
    ids.phones.update(more.phones)


@functools.lru_cache(maxsize=4096)
def _dates(raw: bytes) -> frozenset[bytes]:
    """The calendar dates (YYYYMMDD) a DA or DT value holds (several values, a range)."""
    out = set()
    for value in raw.split(b"\\"):
        for part in value.split(b"-"):  # a range
            day = part.strip()[:8]
            if len(day) == 8 and day.isdigit() and _calendar(day):
                out.add(day)
    return frozenset(out)


@functools.lru_cache(maxsize=8192)
def _uid_values(value: bytes) -> tuple[frozenset[str], frozenset[str]]:
    """The UIDs a UI value holds, and those of them that may name an instance (remembered: a
    series repeats its study, series and frame of reference UIDs)."""
    values = frozenset(v.strip(" \x00") for v in value.decode("latin-1").split("\\")) - {""}
    return values, frozenset(v for v in values if len(v) >= 3 and not is_well_known(v))


def _add_name(ids: Identifiers, text: str) -> None:
    for value in text.split("\\"):
        for group in value.split("="):  # alphabetic, ideographic, phonetic
            parts = [
                p
                for p in norm_text(group.replace("^", " ")).split()
                if sum(c.isalpha() for c in p.decode()) >= 2
            ]
            for part in parts:
                if part in STOPWORDS:
                    continue
                if len(part) >= 3:
                    ids.tokens[part] = "name"
                else:
                    ids.pn_tokens[part] = "name"
            names = [p for p in parts if p not in STOPWORDS]
            if len(names) >= 2:
                ids.phrases[b" " + b" ".join(names) + b" "] = "name"
                ids.phrases[b" " + b" ".join(names[1:] + names[:1]) + b" "] = "name"  # given family


def _calendar(day: bytes) -> bool:
    y, m, d = int(day[:4]), int(day[4:6]), int(day[6:8])
    return 1 <= m <= 12 and 1 <= d <= 31 and y >= 1


def _add_kind(ids: Identifiers, kind: str, text: str) -> None:
    for value in text.split("\\"):
        norm = norm_text(value)
        if kind == "phone":
            digits = b"".join(DIGITS.findall(norm))
            if len(digits) >= 7:
                ids.phones.add(digits)
            continue
        tokens = norm.split()
        if kind == "address":
            for piece in [value, *re.split(r"[\^,;\n\r]+", value)]:
                _add_phrase(ids, kind, norm_text(piece).split(), min_chars=8)
            continue
        if kind == "id" and tokens and all(t.isalpha() and _field_word(t) for t in tokens):
            continue  # an ID holding a description of the field's words only ("CT Upper Abdomen")
        _add_phrase(ids, kind, tokens, min_chars=3)
        if kind == "id" and len(tokens) > 1:
            for t in tokens:
                if len(t) >= 5 and any(c in b"0123456789" for c in t):
                    ids.tokens[t] = kind


def _add_phrase(ids: Identifiers, kind: str, tokens: list[bytes], *, min_chars: int) -> None:
    if len(tokens) == 1:
        token = tokens[0]
        if _distinct(token) and (kind != "address" or (len(token) >= 5 and not token.isalpha())):
            ids.tokens[token] = kind
    elif len(tokens) > 1 and sum(len(t) for t in tokens) >= min_chars:
        ids.phrases[b" " + b" ".join(tokens) + b" "] = kind


def _add_path(ids: Identifiers, relpath: str) -> None:
    for component in relpath.split("/"):
        phrase, tokens, words, dates = _path_component(component)
        if phrase is not None:
            ids.phrases[phrase] = "path"
        for token in tokens:
            if token not in ids.tokens:
                ids.tokens[token] = "path"
        ids.path_words |= words
        ids.dates |= dates


@functools.lru_cache(maxsize=4096)
def _path_component(
    component: str,
) -> tuple[bytes | None, tuple[bytes, ...], frozenset[bytes], frozenset[bytes]]:
    """What one folder or file name adds: its phrase, its tokens with a digit, its words and its
    dates (remembered: the files of a series share their folders)."""
    stem = component.split(".")[0] if "." in component[1:] else component
    tokens = norm_text(stem).split()
    phrase = None
    if len(tokens) >= 2 and sum(len(t) for t in tokens) >= 8:
        phrase = b" " + b" ".join(tokens) + b" "
    with_digits = tuple(t for t in tokens if len(t) >= 5 and any(c in b"0123456789" for c in t))
    words = frozenset(t for t in tokens if t.isalpha() and len(t) >= 3 and t not in STOPWORDS)
    dates = set()
    for match in DATE_SHAPES.finditer(b" " + b" ".join(tokens) + b" "):
        day = shape_date(match)
        if day is not None:
            dates.add(day)
    dates.update(t for t in tokens if len(t) == 8 and t.isdigit() and _calendar(t))
    return phrase, with_digits, words, frozenset(dates)


def shape_date(m: re.Match[bytes]) -> bytes | None:
    g = m.groups()
    candidates: list[tuple[bytes, int, int]] = []
    if g[0] is not None:
        candidates.append((g[0], int(g[1]), int(g[2])))
    elif g[3] is not None:
        a, b = int(g[3]), int(g[4])
        candidates += [(g[5], b, a), (g[5], a, b)]  # day first, then month first
    elif g[6] is not None:
        candidates.append((g[8], _MONTHS[g[7].decode()], int(g[6])))
    else:
        candidates.append((g[11], _MONTHS[g[9].decode()], int(g[10])))
    for year, month, day in candidates:
        if 1 <= month <= 12 and 1 <= day <= 31:
            return year + b"%02d%02d" % (month, day)
    return None


def shape_dates(m: re.Match[bytes]) -> set[bytes]:
    g = m.groups()
    if g[3] is not None:  # 01 02 2024: either order
        a, b, y = int(g[3]), int(g[4]), g[5]
        return {y + b"%02d%02d" % (mm, dd) for mm, dd in ((b, a), (a, b)) if 1 <= mm <= 12 and 1 <= dd <= 31}
    one = shape_date(m)
    return {one} if one is not None else set()
