"""The gate's quick look at an output's encoded bytes: can :func:`~dcmscrub.deid.gate.check` find
anything in them at all?

Most outputs hold none of their input's identifiers; for them the quick look says so from the
bytes as they are, and the output is not read element by element. It must never say False where
the check would find something, so every test here is one the check's match implies, whatever
bytes surround a value (element headers, binary values):

- A token the check finds is a whole token of a value, so it is in the bytes with no letter or
  digit before it: inside the value that is the value's own separator; at the value's start it
  is the byte of the length field next to the value, which is 0 in little endian for any length
  under 12288 (under 16 MiB for a 4-byte length). So a token (``LI``: not in ``HELICAL``) and a
  phrase are looked for with a separator or nothing before them, except where that does not
  hold: big endian, an output long enough for a longer value, code extensions and GB18030 or
  GBK (multi-byte sets with letter and digit bytes inside characters), where a token counts
  wherever it is and a two-letter name part always.
- A date (and, around each occurrence of its year, its other spellings, however the separators
  run and whatever touches the date's ends), a UID, the last four digits of a phone number.
- The check compares a non-ASCII value in its normal form (decoded, NFC, upper case), where 18
  characters become ASCII letters (``ß`` SS, ``ı`` I, ``ſ`` S, the ligatures ``ﬁ`` FI ...): when
  their bytes in any character set DICOM allows are in the output, the tests run again on the
  bytes with them spelled out. An output with a JIS X 0212 code extension, whose characters are
  written with ASCII bytes, and identifiers that are not ASCII, are always read element by
  element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dcmscrub.deid.identifiers import DATE_SHAPES, NORM, Identifiers, shape_dates

# the normal form for the quick look: NORM, with every non-ASCII byte a separator (the check
# splits ASCII tokens at a non-ASCII character, or keeps both in a token that is no ASCII token)
_QUICK = bytes(NORM[c] if c < 0x80 else 0x20 for c in range(256))
_EDGES = (rb"(?<![0-9A-Z])", rb"(?![0-9A-Z])")
assert DATE_SHAPES.pattern.startswith(_EDGES[0]) and DATE_SHAPES.pattern.endswith(_EDGES[1])
# a date in any spelling starting at any place, whatever touches it (overlapping: a lookahead)
_DATES = re.compile(b"(?=" + DATE_SHAPES.pattern[len(_EDGES[0]) : -len(_EDGES[1])] + b")")
_BEFORE_YEAR, _AFTER_YEAR = 14, 11  # "SEPTEMBER 30 " before a year, "1980 01 31" from it
_EDGELESS_LENGTH = 0x3000 + 8  # a 2-byte length from 0x3000 on has a letter or digit next to its value
_HEAD = 3  # tokens are indexed by their first three letters (all but a few are that long)
_UID_IN_TEXT = 16  # the shortest UID the check looks for in text (gate._UID_IN_TEXT)
_JIS_X_0212 = b"\x1b$(D"  # ISO 2022 IR 159: its characters are written with ASCII bytes
# code extensions (ISO 2022: an escape sequence ends in a letter, and multi-byte sets have ASCII
# bytes inside characters), GB18030 and GBK (the same)
_ESCAPES = re.compile(rb"\x1b[$()*+\-./]")

# the characters whose normal form holds ASCII letters, in each encoding DICOM's character sets use
_FOLDED = {
    "ß": b"SS",
    "ı": b"I",
    "ŉ": b"N",
    "ſ": b"S",
    "ǰ": b"J ",
    "ẖ": b"H ",
    "ẗ": b"T ",
    "ẘ": b"W ",
    "ẙ": b"Y ",
    "ẚ": b"A ",
    "ﬀ": b"FF",
    "ﬁ": b"FI",
    "ﬂ": b"FL",
    "ﬃ": b"FFI",
    "ﬄ": b"FFL",
    "ﬅ": b"ST",
    "ﬆ": b"ST",
    "\u212a": b"K",  # KELVIN SIGN: K in NFC
}


def _fold_table() -> dict[bytes, bytes]:
    table = {}
    for codec in ("utf-8", "gb18030", "euc_kr", "latin_1", "iso8859_3", "iso8859_9"):
        for char, letters in _FOLDED.items():
            try:
                table[char.encode(codec)] = letters
            except UnicodeEncodeError:
                continue
    return table


_FOLDS = _fold_table()
_FOLD = re.compile(b"|".join(re.escape(s) for s in sorted(_FOLDS, key=len, reverse=True)))
# the same by first byte, for a search that skips to those bytes (13 of them, none ASCII)
_FOLDS_BY_FIRST = {
    bytes([first]): tuple(s for s in _FOLDS if s[0] == first) for first in sorted({s[0] for s in _FOLDS})
}


def may_hold(ids: Identifiers, encoded: bytes, *, little: bool = True) -> bool:
    """A quick look at an output's encoded bytes (after its preamble; not deflated; ``little``:
    little endian): False only when :func:`~dcmscrub.deid.gate.check` cannot find anything in
    them, True when it must look element by element (see the module docstring)."""
    if any(not t.isascii() for t in ids.tokens) or any(not p.isascii() for p in ids.phrases):
        return True  # non-ASCII text is matched per element only
    if any(not t.isascii() for t in ids.pn_tokens):
        return True
    marker = _word_bytes_in_others(encoded)
    if marker and _JIS_X_0212 in encoded:
        return True
    if any(value in encoded for value in set(ids.dates_at.values())):
        return True
    uids = [uid.encode() for uid in ids.uids]
    if any(uid in encoded for uid in uids):
        return True
    # a token starts where no letter or digit is before it, unless a value's length field may
    # end in one (big endian; a short VR's value of 12288 bytes or more) or a character that is
    # no letter may be written with letter or digit bytes (code extensions, GB18030, GBK)
    edges = little and len(encoded) < _EDGELESS_LENGTH and not marker
    spaced = [uid.replace(b".", b" ") for uid in uids if len(uid) >= _UID_IN_TEXT]
    if _looks(ids, encoded.translate(_QUICK), edges, spaced):
        return True
    if not _has_fold(encoded):
        return False
    return _looks(ids, _FOLD.sub(_spelled, encoded).translate(_QUICK), edges, spaced)


def _word_bytes_in_others(encoded: bytes) -> bool:
    """A code extension, GB18030 or GBK named or used (found with substring searches first: a
    regular expression's search of an alternative is slower than that byte by byte)."""
    if b"\x1b" in encoded and _ESCAPES.search(encoded) is not None:
        return True
    return b"GB18030" in encoded or b"GBK" in encoded


def _has_fold(encoded: bytes) -> bool:
    """Whether one of _FOLDS is in ``encoded`` (as ``_FOLD.search``, faster: each first byte is
    found with a substring search, and only there the characters are compared)."""
    for first, spellings in _FOLDS_BY_FIRST.items():
        at = encoded.find(first)
        while at >= 0:
            if any(encoded.startswith(s, at) for s in spellings):
                return True
            at = encoded.find(first, at + 1)
    return False


def _spelled(match: re.Match[bytes]) -> bytes:
    return _FOLDS[match.group()]


def _looks(ids: Identifiers, blob: bytes, edges: bool, uids: list[bytes]) -> bool:
    """The tests on ``blob``, the output's bytes in the quick look's normal form (``edges``: a
    token of a value has no letter or digit before it; ``uids``: those long enough to be looked
    for in text, dots as spaces)."""
    words = blob.split()
    near = b" " + b" ".join(words)  # one space between tokens, as the check's normal form
    if edges:
        if _starts_a_word(ids, set(words), near):
            return True
    elif any(t in near for t in ids.tokens) or ids.pn_tokens or any(p[1:-1] in near for p in ids.phrases):
        return True
    if ids.dates and _date(ids, near):
        return True
    if any(uid in near for uid in uids):
        return True
    # the check reads a number's digits across separators: the last four may be apart
    return bool(ids.phones) and any(phone[-4:] in near.replace(b" ", b"") for phone in ids.phones)


def _starts_a_word(ids: Identifiers, present: set[bytes], near: bytes) -> bool:
    """A token or two-letter name part that begins a word of ``present`` (the words of ``near``),
    or a phrase in ``near`` that begins where a word does. The same as looking for each with a
    space before it in ``near``, by sets: a word is looked up by its first three letters."""
    by_head: dict[bytes, list[bytes]] = {}
    for token in ids.tokens:
        if len(token) < _HEAD:
            if b" " + token in near:
                return True
        else:
            by_head.setdefault(token[:_HEAD], []).append(token)
    for word in present:
        candidates = by_head.get(word[:_HEAD])
        if candidates is not None and any(word.startswith(t) for t in candidates):
            return True
    if ids.pn_tokens and _pn_hit(ids.pn_tokens.keys(), present, near):
        return True
    for phrase in ids.phrases:
        parts = phrase.split()
        # " A B" is in near (single spaces) only where A is a whole word: a phrase whose first
        # word is not in the output is not searched for
        whole_first = phrase[:1] == b" " and len(parts) > 1
        if (not whole_first or parts[0] in present) and phrase[:-1] in near:
            return True
    return False


def _pn_hit(pn_tokens: Iterable[bytes], present: set[bytes], near: bytes) -> bool:
    """A two-letter name part that begins a word (by its first two letters, or searched)."""
    heads = {word[:2] for word in present}
    return any((t in heads) if len(t) == 2 else (b" " + t in near) for t in pn_tokens)


def _date(ids: Identifiers, near: bytes) -> bool:
    """A date of the input in ``near`` (one space between tokens), in any spelling."""
    if any(day in near for day in ids.dates):
        return True
    for year in {day[:4] for day in ids.dates}:
        at = near.find(year)
        while at >= 0:
            window = near[max(0, at - _BEFORE_YEAR) : at + _AFTER_YEAR]
            if any(shape_dates(m) & ids.dates for m in _DATES.finditer(window)):
                return True
            at = near.find(year, at + 1)
    return False
