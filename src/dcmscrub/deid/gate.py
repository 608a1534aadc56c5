"""The residual-identifier gate: every output is checked against its own input before release.

The engine decides, element by element, what each attribute becomes. The gate is a second, much
simpler model of what must go, independent of the engine's rules, so that a bug in the engine (a
rule that keeps a name, a sequence left unwalked, a UID not remapped, a date not shifted) does not
become a leak:

1. :func:`collect` reads the input's identifiers from every element at every depth (file meta,
   items of items, private blocks, sequences stored as UN): every part of every person name, the
   IDs (patient, other IDs, issuer, accession, study, admission, order, procedure step, ...), every
   date and date-time, addresses, phone numbers, institution, department and station names, device
   serial numbers and IDs, every instance UID, and the tokens of the input's relative path.
2. :func:`check` reads the output as encoded (its preamble, file meta and every element value at
   every depth, never the pixel data) and its path, and reports each element that still holds one.

Matching (why it neither misses nor cries wolf; README "The gate"):

- Text is compared in a normal form: upper case, every run of characters that are not letters or
  digits (spaces, ``^``, ``-``, ``.``, ``/``, ``,`` ...) one space. An identifier matches whole
  tokens only: ``DOE`` matches ``Doe, Jane`` and ``JANE-DOE`` but not ``DOEHLER``.
- Name parts of 3 or more characters match anywhere in text; two-letter parts (``LI``, ``NG``)
  only in person names, or together with the rest of the name (``LI WEI``). A short list of words
  that are no one's name (ANONYMOUS, UNKNOWN, PATIENT, DR, ...) is ignored.
- IDs match as their whole token sequence (``FAKE-MRN-0001`` as ``FAKE MRN 0001``); an ID needs 3
  characters with a letter, or 4 digits, to count (``1`` or ``42`` is any number).
- Dates match in text in the common spellings (``19800131``, ``1980-01-31``, ``31.01.1980``,
  ``01/31/1980``, ``31 Jan 1980``, ``January 31, 1980``, the date part of a date-time). In date
  elements a value is a hit when it is the input's own value at the same place (a date not shifted
  or not removed): a shifted date may fall on another date of the input by chance.
- Instance UIDs match UID values exactly, and text as a whole token of 16 characters or more.
- Numbers (IS, DS) and bytes (OB, OW, UN) are searched only for long identifiers (6 characters or
  more); binary numbers (US, UL, FL, ...) and times are not searched.
- The path's tokens: whole folder and file names (2 tokens and 8 characters or more), tokens of 5
  or more characters that hold a digit, and dates; its words are checked against the output path.
- A value equal to the engine's fixed dummy for its VR (``20000101``, ``ANONYMOUS``, ...) carries
  nothing of the input and is never a hit.

Exemptions are by element, never by value: what the profile keeps on purpose (a ``keep`` or
``replace`` rule, an option's K, dates under retain-long-full-dates, safe private elements under
retain-safe-private) and the de-identification marks dcmscrub writes itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from pydicom.datadict import keyword_for_tag

from dcmscrub.deid.identifier_tags import listed
from dcmscrub.deid.identifiers import (
    BOUNDARY,
    DATE_SHAPES,
    DIGITS,
    NORM,
    PHONE_SEPARATORS,
    PRINTABLE,
    Identifiers,
    collect,
    norm,
    norm_text,
    shape_dates,
)
from dcmscrub.deid.plan import compile_plan
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.quicklook import may_hold
from dcmscrub.deid.values import DUMMY_BY_VR
from dcmscrub.dicomio.elements import Flat, Flattened

__all__ = [
    "Exempt",
    "Hit",
    "Identifiers",
    "check",
    "check_path",
    "collect",
    "describe",
    "exemptions",
    "listed",
    "may_hold",
    "tag_text",
]

Exempt = Callable[[tuple[int, ...], str | None], bool]

_TEXT = frozenset({"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UR", "UT"})
_NUMBERS = frozenset({"IS", "DS"})
_DATES = frozenset({"DA", "DT"})
_SKIPPED = frozenset({"TM", "AS"})  # times and ages identify no one by themselves
_LONG = 6  # the shortest identifier searched for in numbers and bytes
_UID_IN_TEXT = 16  # the shortest UID searched for in text
_MARKS = frozenset({0x00120062, 0x00120063, 0x00120064, 0x00280303})  # written by dcmscrub itself


class Hit(NamedTuple):
    """An identifier of the input found in the output: where (an attribute path, ``output path``
    or ``preamble``) and what kind (``name``, ``id``, ``date``, ...). Never the value."""

    where: str
    kind: str


class _Texts:
    """The output's values by how they are searched, with the path of each."""

    def __init__(self) -> None:
        self.text: list[tuple[tuple[int, ...], bytes, str]] = []  # (path, normal form, vr)
        self.long: list[tuple[tuple[int, ...], bytes]] = []  # numbers and bytes: long identifiers only
        self.uids: list[tuple[tuple[int, ...], str]] = []
        self.dates: list[tuple[tuple[int, ...], bytes, str]] = []


_DUMMIES = {vr: str(value).encode() for vr, value in DUMMY_BY_VR.items()}


def _sort(elements: Iterable[Flat], exempt: Exempt) -> _Texts:
    texts = _Texts()
    for f in elements:
        vr, path = f.vr, f.path
        if vr in _SKIPPED or _is_mark(path) or exempt(path, f.creator):
            continue
        raw = f.value.rstrip(b" \x00")
        if not raw or raw == _DUMMIES.get(vr):
            continue
        if vr in _TEXT:
            texts.text.append((path, norm(f), vr))
        elif vr == "UI":
            texts.uids.append((path, raw.decode("latin-1")))
        elif vr in _DATES:
            texts.dates.append((path, raw, vr))
        elif vr in _NUMBERS:
            texts.long.append((path, raw.translate(NORM)))
        elif len(raw.translate(None, PRINTABLE)) * 20 <= len(raw):
            texts.text.append((path, raw.translate(NORM) if raw.isascii() else norm_text(f.text()), vr))
        else:
            texts.long.append((path, raw.translate(NORM)))
    return texts


def _is_mark(path: tuple[int, ...]) -> bool:
    """dcmscrub's own marks, and private creators (they name a vendor's block, not a person)."""
    tag = path[-1]
    return path[0] in _MARKS or (bool(tag & 0x10000) and 0x10 <= tag & 0xFFFF <= 0xFF)


def check_path(ids: Identifiers, preamble: bytes, output_path: str) -> list[Hit]:
    """The part of :func:`check` that needs no element: the preamble and the output path."""
    hits = [Hit("preamble", "bytes")] if preamble.strip(b"\x00") else []
    kind = _path_hit(ids, output_path)
    if kind is not None:
        hits.append(Hit("output path", kind))
    return hits


def check(ids: Identifiers, output: Flattened, output_path: str, exempt: Exempt) -> list[Hit]:
    """Every place in the output (its preamble, elements and path) that still holds one of the
    input's identifiers, each named by its attribute path. Empty: the output may be released."""
    hits: list[Hit] = []
    if output.preamble is not None and output.preamble.strip(b"\x00"):
        hits.append(Hit("preamble", "bytes"))
    texts = _sort(output.elements, exempt)
    hits += _text_hits(ids, texts)
    hits += _long_hits(ids, texts)
    for path, uid_text in texts.uids:
        if any(v.strip(" \x00") in ids.uids for v in uid_text.split("\\")):
            hits.append(Hit(describe(path), "uid"))
    for path, value, _vr in texts.dates:
        if ids.dates_at.get(path) == value:
            hits.append(Hit(describe(path), "date"))
    kind = _path_hit(ids, output_path)
    if kind is not None:
        hits.append(Hit("output path", kind))
    return list(dict.fromkeys(hits))


def _text_hits(ids: Identifiers, texts: _Texts) -> list[Hit]:
    """Hits in text: all values are searched at once; element by element only after a match."""
    hits = []
    if texts.text and _text_hit(ids, BOUNDARY.join(v for _p, v, _vr in texts.text), names=False):
        for path, value, vr in texts.text:
            kind = _text_hit(ids, value, names=vr == "PN")
            if kind is not None:
                hits.append(Hit(describe(path), kind))
    names = [v for _p, v, vr in texts.text if vr == "PN"]
    if names and ids.pn_tokens and set(b" ".join(names).split()) & ids.pn_tokens.keys():
        for path, value, vr in texts.text:
            if vr == "PN" and set(value.split()) & ids.pn_tokens.keys():
                hits.append(Hit(describe(path), "name"))
    return hits


def _long_hits(ids: Identifiers, texts: _Texts) -> list[Hit]:
    hits = []
    if texts.long and _long_hit(ids, BOUNDARY.join(v for _p, v in texts.long)):
        for path, value in texts.long:
            kind = _long_hit(ids, value)
            if kind is not None:
                hits.append(Hit(describe(path), kind))
    return hits


def _text_hit(ids: Identifiers, value: bytes, *, names: bool) -> str | None:
    """The kind of the first identifier in ``value`` (normal form; several values joined by
    BOUNDARY), None when it holds none. Two-letter name parts count only in person names."""
    tokens = value.split()
    if not tokens:
        return None
    present = set(tokens)
    found = present & ids.tokens.keys()
    if found:
        return ids.tokens[min(found)]
    if names and present & ids.pn_tokens.keys():
        return "name"
    norm = b" " + b" ".join(tokens) + b" "
    for phrase, kind in ids.phrases.items():
        if phrase[1 : phrase.index(b" ", 1)] in present and phrase in norm:
            return kind
    if ids.dates and _date_hit(ids, present, norm):
        return "date"
    if ids.uids and _uid_in_text(ids, norm):
        return "uid"
    if ids.phones and _phone_hit(ids, value):
        return "phone"
    return None


def _uid_in_text(ids: Identifiers, norm: bytes) -> bool:
    return any(
        len(uid) >= _UID_IN_TEXT and (b" " + uid.replace(".", " ").encode() + b" ") in norm
        for uid in ids.uids
    )


def _phone_hit(ids: Identifiers, value: bytes) -> bool:
    squeezed = PHONE_SEPARATORS.sub(b"", value)
    return any(
        run.endswith(p) and len(run) - len(p) <= 3 for run in DIGITS.findall(squeezed) for p in ids.phones
    )


def _date_hit(ids: Identifiers, present: set[bytes], norm: bytes) -> bool:
    for token in present:
        if 8 <= len(token) <= 14 and token[:8] in ids.dates and token.isdigit():
            return True
    return any(shape_dates(match) & ids.dates for match in DATE_SHAPES.finditer(norm))


def _long_hit(ids: Identifiers, value: bytes) -> str | None:
    """Like :func:`_text_hit` for numbers and bytes: identifiers of 6 characters or more only."""
    present = set(value.split())
    for token in sorted(present & ids.tokens.keys()):
        if len(token) >= _LONG:
            return ids.tokens[token]
    if ids.dates:
        for token in present:
            if 8 <= len(token) <= 14 and token[:8] in ids.dates and token.isdigit():
                return "date"
    return None


def _path_hit(ids: Identifiers, output_path: str) -> str | None:
    stem = output_path.split(".dcm")[0]
    for component in stem.split("/"):
        if component in ids.uids:
            return "uid"
    tokens = set(norm_text(stem).split())
    for token in tokens:
        if token in ids.tokens or token in ids.path_words or token in ids.dates:
            return ids.tokens.get(token, "path")
    return None


# --------------------------------------------------------------------------------------------
# naming places (never values)


def tag_text(tag: int) -> str:
    """``(gggg,eeee) Keyword`` (private and unknown tags without a keyword)."""
    keyword = keyword_for_tag(tag) if not (tag >> 16) & 1 else ""
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})" + (f" {keyword}" if keyword else "")


def exemptions(profile: Profile) -> Exempt:
    """What ``profile`` keeps on purpose, by element (Plan.kept_on_purpose), remembered per tag."""
    plan = compile_plan(profile)
    known: dict[tuple[int, str | None], bool] = {}

    def exempt(path: tuple[int, ...], creator: str | None) -> bool:
        key = (path[-1], creator)
        hit = known.get(key)
        if hit is None:
            hit = known[key] = plan.kept_on_purpose(path[-1], creator)
        return hit

    return exempt


def describe(path: tuple[int, ...]) -> str:
    """An attribute path for people and the audit log: ``(0008,1140) ReferencedImageSequence[0] >
    (0010,0010) PatientName``."""
    parts = []
    for i in range(0, len(path) - 1, 2):
        parts.append(f"{tag_text(path[i])}[{path[i + 1]}]")
    parts.append(tag_text(path[-1]))
    return " > ".join(parts)
