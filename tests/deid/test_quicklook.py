"""deid.quicklook: the quick look never says "nothing here" where the gate's check finds something.

The check reads an output element by element; the quick look only looks at its bytes. Outputs
are made at random from pieces of the input's identifiers (whole, cut, in other spellings, with
the characters whose normal form is ASCII, next to element headers whose bytes are letters), and
for every one the check finds something in, the quick look must say True.
"""

from __future__ import annotations

import random
import struct

import pytest

from dcmscrub.deid.gate import check, collect
from dcmscrub.deid.quicklook import may_hold
from dcmscrub.dicomio.elements import Flat, Flattened
from dcmscrub.dicomio.flat import flatten

INPUT = Flattened(
    None,
    [
        Flat((0x00100010,), "PN", b"LI^WEI"),
        Flat((0x00080090,), "PN", b"STRASSE^KIRSTI^NG"),
        Flat((0x00100020,), "LO", b"H-0042"),
        Flat((0x00100030,), "DA", b"19800131"),
        Flat((0x00101040,), "LO", b"12 Rue des Fleurs"),
        Flat((0x00102154,), "SH", b"+33 4 72 00 00 01"),
    ],
)
# without two-letter name parts (which an older quick look always read element by element)
LONG_NAMES = Flattened(
    None, [Flat((0x00100010,), "PN", b"STRASSE^KIRSTI"), *(f for f in INPUT.elements if f.vr != "PN")]
)
PIECES = [
    "Li",
    "LI",
    "Lı",
    "wei",
    "Wei",
    "NG",
    "Ng",
    "Straße",
    "STRASSE",
    "ſtrasse",
    "Kirsti",
    "Kırsti",
    "H-0042",
    "H 0042",
    "31.01.1980",
    "1980-01-31",
    "Jan 31, 1980",
    "31 January 1980",
    "19800131",
    "12 Rue des Fleurs",
    "04 72 00 00 01",
    "+33 4 72 00 00 01",
    "(+33) 472-000-001",
    "HELICAL",
    "CLINICAL",
    "SLICE",
    "ok",
    "x",
]
SEPARATORS = [" ", "^", "-", ".", ", ", "/", "\u00a0", "\u0301", ""]
# tags whose first byte (little endian) is a letter or digit, or that start items: what touches
# the end of a value
TAGS = [(0x00081030, "LO"), (0x00380010, "LO"), (0x00320032, "PN"), (0x00104000, "LT"), (0x0010_0021, "LO")]
PRIVATE = [(0x00310010, "LO"), (0x00311041, "PN"), (0x41414141, "UT")]


def _element(tag: int, vr: str, value: bytes) -> bytes:
    if vr in ("UT", "UN", "OB"):
        return struct.pack("<HH2sHL", tag >> 16, tag & 0xFFFF, vr.encode(), 0, len(value)) + value
    return struct.pack("<HH2sH", tag >> 16, tag & 0xFFFF, vr.encode(), len(value)) + value


def _output(rng: random.Random) -> bytes:
    charset = rng.choice(["ISO_IR 192", "ISO_IR 100", ""])
    codec = {"ISO_IR 192": "utf-8", "ISO_IR 100": "latin-1", "": "latin-1"}[charset]
    out = _element(0x00080005, "CS", (charset + " " * (len(charset) % 2)).encode()) if charset else b""
    for _ in range(rng.randint(1, 4)):
        tag, vr = rng.choice(TAGS + PRIVATE)
        words = [rng.choice(PIECES) for _ in range(rng.randint(1, 3))]
        text = "".join(w + rng.choice(SEPARATORS) for w in words).rstrip()
        value = text.encode(codec, errors="replace")
        if rng.random() < 0.5 and len(value) % 2:
            value += b" "  # padded, or not: then the next tag touches the value
        out += _element(tag, vr, value)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_the_quick_look_never_misses_what_the_check_finds(seed: int) -> None:
    ids = collect(INPUT if seed % 2 else LONG_NAMES, "in.dcm")
    rng = random.Random(seed)
    found = 0
    for _ in range(1500):
        data = _output(rng)
        hits = check(ids, flatten(data, implicit=False, little=True), "P/1.dcm", lambda _p, _c: False)
        if hits:
            found += 1
            assert may_hold(ids, data), data
    assert found > 300


def test_it_says_no_where_only_a_word_holds_a_two_letter_name_part() -> None:
    ids = collect(INPUT, "in.dcm")
    value = b"HELICAL CLINICAL SLICE"
    data = _element(0x00081030, "LO", value)
    assert check(ids, flatten(data, implicit=False, little=True), "P/1.dcm", lambda _p, _c: False) == []
    assert not may_hold(ids, data)
    assert may_hold(ids, data, little=False)  # big endian: the length next to a value may be a letter
    assert may_hold(ids, _element(0x00081030, "LO", b"SEEN BY LI ") + data)


def test_a_date_touched_by_the_next_tag_is_seen() -> None:
    """A date ending an unpadded value, then a tag whose first byte is a digit: (0038,0010)."""
    ids = collect(LONG_NAMES, "in.dcm")
    data = _element(0x00081030, "LO", b"seen: 31.01.1980") + _element(0x00380010, "LO", b"ADM1")
    assert check(ids, flatten(data, implicit=False, little=True), "P/1.dcm", lambda _p, _c: False)
    assert may_hold(ids, data)


@pytest.mark.parametrize("spelled", ["Kırsti", "Straße", "ſtrasse", "ﬆrasse", "\u212airsti"])
def test_characters_whose_normal_form_is_ascii_are_seen(spelled: str) -> None:
    ids = collect(LONG_NAMES, "in.dcm")
    for charset, codec in (("ISO_IR 192", "utf-8"), ("ISO_IR 100", "latin-1")):
        try:
            value = ("seen by " + spelled).encode(codec)
        except UnicodeEncodeError:
            continue
        value += b" " * (len(value) % 2)
        data = _element(0x00080005, "CS", charset.encode() + b" " * (len(charset) % 2))
        data += _element(0x00081030, "LO", value)
        assert check(ids, flatten(data, implicit=False, little=True), "P/1.dcm", lambda _p, _c: False)
        assert may_hold(ids, data), (spelled, charset)


def test_a_set_with_letter_and_digit_bytes_in_its_characters_is_looked_at_whole() -> None:
    """GB18030 writes U+2E80 (no letter) as 81 38 FD 38: its last byte, a digit, touches the name."""
    ids = collect(LONG_NAMES, "in.dcm")
    value = ("\u2e80" + "Kirsti").encode("gb18030")
    data = _element(0x00080005, "CS", b"GB18030 ") + _element(0x00081030, "LO", value)
    assert check(ids, flatten(data, implicit=False, little=True), "P/1.dcm", lambda _p, _c: False)
    assert may_hold(ids, data)


def test_a_value_long_enough_for_a_digit_in_its_length_is_seen() -> None:
    """A short VR's value of 0x3041 bytes: its length's high byte, next to the value, is '0'."""
    ids = collect(LONG_NAMES, "in.dcm")
    value = b"KIRSTI " + b"x" * (0x3041 - 7)
    data = _element(0x00104000, "LT", value)
    assert check(ids, flatten(data, implicit=False, little=True), "P/1.dcm", lambda _p, _c: False)
    assert may_hold(ids, data)


def test_a_phone_number_with_separators_is_seen() -> None:
    """The check reads the digits across separators: "00 01" ends +33 4 72 00 00 01."""
    ids = collect(LONG_NAMES, "in.dcm")
    data = _element(0x00081030, "LO", b"call +33 4 72 00 00 01 ")
    assert check(ids, flatten(data, implicit=False, little=True), "P/1.dcm", lambda _p, _c: False)
    assert may_hold(ids, data)
