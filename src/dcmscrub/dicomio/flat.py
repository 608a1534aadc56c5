"""Every element value of an encoded DICOM file, at every depth, read from its bytes.

A second, small reader, independent of pydicom's, for the residual-identifier gate
(:mod:`dcmscrub.deid.gate`): it reads the plaintext an output is made of (and the header of its
input) and lists every element with a value: the file meta group, the data set, items of
sequences and items inside those, private blocks (with the creator of each block), sequences
stored as UN (PS3.5 6.2.2: implicit VR little endian inside). Pixel data is skipped, at any depth.

Each element comes as a :class:`Flat`: its path (``(sequence tag, item index, ..., tag)``), its VR
and its value: text VRs decoded in the character set in force (PS3.5 6.1.2.5), other values as
bytes. A structure that does not parse raises :class:`FileProblem` (``corrupt``).
"""

from __future__ import annotations

import functools
import struct
import zlib
from typing import NamedTuple

from pydicom.charset import convert_encodings, decode_bytes
from pydicom.datadict import dictionary_VR

from dcmscrub.outcomes import FileProblem, Reason

_ITEM, _ITEM_END, _SEQ_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
_UNDEFINED = 0xFFFFFFFF
_LONG = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV"})
TEXT_VRS = frozenset(
    {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
)
_PIXELS = frozenset({0x7FE00008, 0x7FE00009, 0x7FE00010})
_CHARSET = 0x00080005
_MAX_DEPTH = 64
# every two capital letters a VR may be written as, to its text (an unknown VR is read as such too:
# its length is short, as pydicom reads it)
_VR_OF = {bytes((a, b)): chr(a) + chr(b) for a in range(0x41, 0x5B) for b in range(0x41, 0x5B)}
_SPECIAL = frozenset({"SQ", "UN"})  # values that may hold items
_LE_ITEM = b"\xfe\xff\x00\xe0"  # (FFFE,E000) in little endian: a UN value holding items


@functools.lru_cache(maxsize=4096)
def dictionary_vr(tag: int) -> str | None:
    """The first VR the data dictionary gives a public tag (None: private or unknown)."""
    if (tag >> 16) & 1:
        return None
    try:
        return str(dictionary_VR(tag)).split(" ")[0]
    except KeyError:
        return None


class Flat(NamedTuple):
    """One element with a value: where it is, its VR, its value bytes, the character set in force
    (for :meth:`text`) and, for a private element, its block's creator."""

    path: tuple[int, ...]  # (sequence tag, item index, ..., the element's tag)
    vr: str
    value: bytes
    charset: tuple[str, ...] = ()
    creator: str | None = None

    def text(self) -> str:
        """The value as text, decoded in its character set (PS3.5 6.1.2.5)."""
        return decode_text(self.value, self.charset)


class Flattened(NamedTuple):
    """A file read by :func:`flatten`: its preamble (None without one) and its elements."""

    preamble: bytes | None
    elements: list[Flat]


# binary numbers: no identifier is read from them (a number cannot be told from a measurement)
NUMBER_VRS = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "AT", "SV", "UV", "OD", "OF", "OL", "OV"})
# what an input's identifiers are never read from: numbers, bytes, times and ages (UN is listed
# still: a private element's value of unknown VR may be its creator's)
NOT_TEXT_VRS = NUMBER_VRS | {"OB", "OW", "IS", "DS", "TM", "AS"}


_STRUCTS = {
    e: (
        struct.Struct(e + "HH2sH").unpack_from,  # tag, VR and 2-byte length (explicit VR)
        struct.Struct(e + "HH0sL").unpack_from,  # tag, no VR and 4-byte length (implicit VR)
        struct.Struct(e + "L").unpack_from,
    )
    for e in "<>"
}
# a Flat made without NamedTuple's __new__ (a Python call per element)
_new_flat = tuple.__new__


class _Level(NamedTuple):
    """Where the reader is: the encoding, the path of the enclosing items, the character set in
    force and the depth."""

    implicit: bool
    path: tuple[int, ...]
    charset: tuple[str, ...]
    depth: int


class _Reader:
    def __init__(
        self,
        data: bytes,
        little: bool,
        skip: frozenset[str],
        keep: tuple[frozenset[str], frozenset[int]] = (frozenset(), frozenset()),
    ) -> None:
        self.data = data
        self.e = "<" if little else ">"
        self.skip = skip
        self.tag_only, self.keep = keep
        # the VRs whose elements may go unlisted, but for sequences: they are read whatever the listing
        self.unlisted = (skip | self.tag_only) - _SPECIAL
        self.out: list[Flat] = []
        self._explicit, self._implicit, self._u32 = _STRUCTS[self.e]

    def dataset(self, pos: int, end: int, level: _Level) -> int:
        """Read elements from ``pos`` until ``end`` or an item delimiter; return where it stopped."""
        if level.depth > _MAX_DEPTH:
            raise FileProblem(Reason.CORRUPT)
        creators: dict[int, str] = {}
        data, unlisted, skip, keep, append = self.data, self.unlisted, self.skip, self.keep, self.out.append
        u32 = self._u32
        implicit, path, charset = level.implicit, level.path, level.charset
        unpack_head = self._implicit if implicit else self._explicit  # tag, VR, short length at once
        vrs = _VR_OF
        while pos + 8 <= end:
            group, elem, vr_bytes, length = unpack_head(data, pos)
            tag = group << 16 | elem
            if tag == _ITEM_END:
                return pos + 8
            vr = vrs.get(vr_bytes)
            if vr is not None:
                if vr in _LONG:
                    if pos + 12 > end:
                        raise FileProblem(Reason.CORRUPT)
                    length, at = u32(data, pos + 8)[0], pos + 12
                else:
                    at = pos + 8
            else:
                vr = ("UL" if elem == 0 else "UN") if group & 1 else (dictionary_vr(tag) or "UN")
                length, at = u32(data, pos + 4)[0], pos + 8  # implicit, or no VR where one was due
            if length == _UNDEFINED:
                pos = self._undefined(tag, vr, at, end, level)
                continue
            pos = at + length
            if pos > end:
                raise FileProblem(Reason.CORRUPT)
            if tag in _PIXELS:
                continue
            if (
                vr in unlisted
                and (vr in skip or tag not in keep)
                and tag != _CHARSET
                and (elem > 0xFF or elem < 0x10 or not group & 1)
            ):
                continue  # not listed, and no private creator: what _value would skip, without the call
            if group & 1 or vr in _SPECIAL or tag == _CHARSET:
                level = self._value(tag, vr, data[at:pos], at, level, creators)
                charset = level.charset
            else:
                # concatenation: half the cost of (*path, tag), once per element
                append(_new_flat(Flat, (path + (tag,), vr, data[at:pos], charset, None)))  # noqa: RUF005
        return pos

    def _value(
        self, tag: int, vr: str, value: bytes, at: int, level: _Level, creators: dict[int, str]
    ) -> _Level:
        """List one element (or read its items); return the level, with a new character set after
        Specific Character Set."""
        private = bool(tag & 0x10000)
        if vr == "UN" and not private:
            vr = dictionary_vr(tag) or "UN"  # a known element stored as UN has its own VR
        if (vr == "SQ" or (vr == "UN" and value[:4] == _LE_ITEM)) and self._sequence(
            tag, at, at + len(value), vr != "SQ" or level.implicit, level
        ):
            return level
        creator = None
        if private:
            elem = tag & 0xFFFF
            if 0x10 <= elem <= 0xFF:
                creators[elem] = value.decode("latin-1").strip(" \x00")
                vr = "LO"
            elif elem >= 0x1000:
                creator = creators.get(elem >> 8)
        if tag == _CHARSET:
            charset = tuple(v.strip(" \x00") for v in value.decode("latin-1").split("\\"))
            level = _Level(level.implicit, level.path, charset, level.depth)
        if vr not in self.skip and (vr not in self.tag_only or tag in self.keep):
            flat = (level.path + (tag,), vr, value, level.charset, creator)  # noqa: RUF005 (as in dataset)
            self.out.append(_new_flat(Flat, flat))
        return level

    def _sequence(self, tag: int, pos: int, end: int, implicit: bool, level: _Level) -> bool:
        """Read a defined-length sequence's items; False (nothing kept) when a value stored as UN
        does not parse as items: it is then an opaque value."""
        kept = len(self.out)
        try:
            self._items(pos, end, _Level(implicit, (*level.path, tag), level.charset, level.depth))
        except FileProblem:
            if not implicit or tag in _PIXELS:
                raise
            del self.out[kept:]
            return False
        return True

    def _undefined(self, tag: int, vr: str, at: int, end: int, level: _Level) -> int:
        if tag in _PIXELS or vr in ("OB", "OW"):
            return self._skip_fragments(at, end)
        # a sequence, or a UN of undefined length (PS3.5 6.2.2: a sequence in implicit VR LE)
        inner = _Level(level.implicit or vr == "UN", (*level.path, tag), level.charset, level.depth)
        return self._items(at, end, inner, undefined=True)

    def _items(self, pos: int, end: int, level: _Level, *, undefined: bool = False) -> int:
        data, e = self.data, self.e
        index = 0
        while pos + 8 <= end:
            group, elem, length = struct.unpack_from(e + "HHL", data, pos)
            tag = group << 16 | elem
            pos += 8
            if tag == _SEQ_END:
                return pos
            if tag != _ITEM:
                raise FileProblem(Reason.CORRUPT)
            item_end = end if length == _UNDEFINED else pos + length
            if item_end > end:
                raise FileProblem(Reason.CORRUPT)
            item = _Level(level.implicit, (*level.path, index), level.charset, level.depth + 1)
            stopped = self.dataset(pos, item_end, item)
            pos = stopped if length == _UNDEFINED else item_end
            index += 1
        if undefined:
            raise FileProblem(Reason.CORRUPT)  # no sequence delimiter before the end
        return pos

    def _skip_fragments(self, pos: int, end: int) -> int:
        data, e = self.data, self.e
        while pos + 8 <= end:
            group, elem, length = struct.unpack_from(e + "HHL", data, pos)
            pos += 8
            if (group << 16 | elem) == _SEQ_END:
                return pos
            if length == _UNDEFINED:
                raise FileProblem(Reason.CORRUPT)
            pos += length
        raise FileProblem(Reason.CORRUPT)


def parses_as_items(value: bytes, *, implicit: bool) -> bool:
    """Whether ``value`` (little endian) is exactly a sequence's items, strictly: every item and
    element header in place and nothing left over. A UN value that is not is never decoded."""
    if value[:4] != _LE_ITEM:
        return False
    reader = _Reader(value, True, frozenset())
    try:
        return reader._items(0, len(value), _Level(implicit, (), (), 0)) == len(value)
    except FileProblem:
        return False


def decode_text(value: bytes, charset: tuple[str, ...]) -> str:
    """Text bytes decoded in ``charset`` (the values of Specific Character Set in force)."""
    if value.isascii():
        return value.decode("ascii")
    try:
        return decode_bytes(value, convert_encodings(list(charset) or [""]), {0x5C, 0x5E, 0x3D, 0x0A, 0x0D})
    except Exception:
        return value.decode("latin-1")


def _meta_end(data: bytes, pos: int) -> int:
    """Where the file meta group (explicit VR little endian, group 0002) ends."""
    while pos + 8 <= len(data):
        group = struct.unpack_from("<H", data, pos)[0]
        if group != 0x0002:
            return pos
        vr = data[pos + 4 : pos + 6]
        if vr.decode("latin-1") in _LONG:
            pos += 12 + struct.unpack_from("<L", data, pos + 8)[0]
        elif 0x41 <= vr[0] <= 0x5A:
            pos += 8 + struct.unpack_from("<H", data, pos + 6)[0]
        else:
            pos += 8 + struct.unpack_from("<L", data, pos + 4)[0]
    return min(pos, len(data))


def flatten(
    head: bytes,
    tail: bytes = b"",
    *,
    implicit: bool,
    little: bool,
    deflated: bool = False,
    skip: frozenset[str] = NUMBER_VRS,
    keep: tuple[frozenset[str], frozenset[int]] = (frozenset(), frozenset()),
) -> Flattened:
    """Every element of an encoded file: ``head`` is everything before the pixel data (with or
    without a preamble and file meta), ``tail`` the bytes after it. ``implicit`` and ``little``
    give the data set's encoding; a deflated data set is inflated first. Elements of a VR in
    ``skip`` are not listed (binary numbers, by default); ``keep`` (VRs, tags): elements of those
    VRs are listed only when their tag is one of those tags."""
    preamble = None
    pos = 0
    elements: list[Flat] = []
    if len(head) >= 132 and head[128:132] == b"DICM":
        preamble = head[:128]
        meta_end = _meta_end(head, 132)
        meta = _Reader(head, True, skip, keep)
        meta.dataset(132, meta_end, _Level(False, (), (), 0))
        elements += meta.out
        pos = meta_end
    data = head
    if deflated:
        try:
            data = zlib.decompress(head[pos:], -zlib.MAX_WBITS)
        except zlib.error:
            raise FileProblem(Reason.CORRUPT) from None
        pos = 0
    for part, start in ((data, pos), (tail, 0)):
        if start < len(part):
            reader = _Reader(part, little, skip, keep)
            reader.dataset(start, len(part), _Level(implicit, (), (), 0))
            elements += reader.out
    return Flattened(preamble, elements)


_SYNTAXES = {
    "1.2.840.10008.1.2": (True, True, False),
    "1.2.840.10008.1.2.2": (False, False, False),
    "1.2.840.10008.1.2.1.99": (False, True, True),
}


def flatten_file(
    data: bytes,
    skip: frozenset[str] = NUMBER_VRS,
    keep: tuple[frozenset[str], frozenset[int]] = (frozenset(), frozenset()),
) -> Flattened:
    """Every element of a whole Part 10 file in memory (its pixel data skipped), in the transfer
    syntax its file meta names (explicit VR little endian unless it says otherwise); ``skip`` and
    ``keep`` as for :func:`flatten`."""
    syntax = ""
    if len(data) >= 132 and data[128:132] == b"DICM":
        meta = _Reader(data, True, frozenset())
        meta.dataset(132, _meta_end(data, 132), _Level(False, (), (), 0))
        for f in meta.out:
            if f.path == (0x00020010,):
                syntax = f.value.decode("latin-1").strip(" \x00")
    implicit, little, deflated = _SYNTAXES.get(syntax, (False, True, False))
    return flatten(data, implicit=implicit, little=little, deflated=deflated, skip=skip, keep=keep)
