"""Bounded work on hostile files: no allocation driven by a length a file declares.

A DICOM file states the length of every value, item and fragment, and a deflated file's data set
inflates to whatever its author chose. :mod:`dcmscrub.dicomio.read` holds the header (everything
but the pixel data) in memory, so every length it acts on is bounded here:

- :class:`BoundedReader` is the file as pydicom sees it: no read asks for more than is left in
  the file (a value that claims 4 GiB in a 1 KiB file costs 1 KiB), a read larger than the header
  cap is refused, and so is a header that needs more than the cap in all;
- :func:`inflate_capped` inflates a Deflated Explicit VR Little Endian data set as a stream and
  stops past the cap (a 1 MiB file that inflates to 1 GiB costs the cap, not a GiB);
- :func:`check_items` looks at the items of the sequences read raw: an item whose defined length
  is larger than the cap is refused before anything parses it.

What is refused fails that file as ``too_large`` (:class:`~dcmscrub.outcomes.Reason`); the batch
goes on. Pixel data is never held (it is copied in 1 MiB blocks), so its length is only checked
against the file's size (:mod:`dcmscrub.dicomio.read`).

The cap (:data:`DEFAULT_MAX_HEADER`, ``scrub --max-header``): 64 MiB. The largest headers real
objects have are RT Structure Sets with dense contours, encapsulated documents (PDF, CDA) and
long waveforms, at most some tens of MiB; ordinary images have headers of a few KiB. 64 MiB
keeps a margin over those and keeps a bomb's cost (the cap, plus pydicom's copy of what it read)
far under 300 MB per worker. For a deflated file the cap applies to the whole inflated data set,
pixel data included (deflate is used for structured reports and the like, rarely for images).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from typing import BinaryIO, Final

from dcmscrub.outcomes import FileProblem, Reason

DEFAULT_MAX_HEADER: Final = 64 << 20
_INFLATE_CHUNK: Final = 1 << 20
_ITEM: Final = 0xFFFEE000
_UNDEFINED: Final = 0xFFFFFFFF
_ITEM_TAGS: Final = (b"\xfe\xff\x00\xe0", b"\xff\xfe\xe0\x00")  # (FFFE,E000) little and big endian


class BoundedReader:
    """A binary file for pydicom to parse (``read``, ``seek``, ``tell``, ``name``), with every
    read clipped to the bytes left in the file and ``budget`` bytes read in all (module docstring)."""

    def __init__(self, fh: BinaryIO, size: int, budget: int) -> None:
        self._fh, self._size, self._budget = fh, size, budget
        self._used = 0
        # the position, kept here: pydicom reads a header in hundreds of small reads, and asking
        # the file each time costs a call into it per read (nothing else moves ``fh`` meanwhile)
        self._pos = fh.tell()
        self.name = getattr(fh, "name", None)
        # set when a limit was hit: pydicom may wrap the exception in one of its own
        self.exceeded = False

    def read(self, n: int | None = -1) -> bytes:
        # the hot path of every header read (one call per element header and value): kept lean
        pos = self._pos
        left = self._size - pos
        left = max(left, 0)
        want = left if n is None or n < 0 or n > left else n
        self._used += want
        # a declared length past the cap, or a header larger than the cap
        if (n is not None and n > self._budget) or self._used > self._budget:
            self.exceeded = True
            raise FileProblem(Reason.TOO_LARGE)
        data = self._fh.read(want)
        self._pos = pos + len(data)
        if want == 8 and data[:4] in _ITEM_TAGS and _item_too_large(data, self._budget):
            self.exceeded = True
            raise FileProblem(Reason.TOO_LARGE)
        return data

    def problem(self, otherwise: Reason) -> FileProblem:
        """The file's problem after pydicom failed: ``too_large`` if a limit was hit, else ``otherwise``."""
        return FileProblem(Reason.TOO_LARGE if self.exceeded else otherwise)

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = self._fh.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        """The file belongs to the caller: closing the view leaves it open."""


def _item_too_large(head: bytes, cap: int) -> bool:
    """pydicom parses the items of an undefined-length sequence as it reads them, each from an
    8-byte read of its tag and length: an item that says it is larger than the cap stops there."""
    for tag, order in ((b"\xfe\xff\x00\xe0", "<"), (b"\xff\xfe\xe0\x00", ">")):
        if head[:4] == tag:
            length = int(struct.unpack(order + "L", head[4:])[0])
            return length != _UNDEFINED and length > cap
    return False


def inflate_capped(fh: BinaryIO, cap: int) -> bytes:
    """The raw-deflate stream from ``fh``'s position to its end, inflated as a stream; more than
    ``cap`` bytes is ``too_large``, a damaged stream ``corrupt`` (never the whole output at once)."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = bytearray()
    try:
        while not inflater.eof:
            chunk = inflater.unconsumed_tail or fh.read(_INFLATE_CHUNK)
            if not chunk:
                break  # a stream cut short: pydicom reports what is missing as truncated
            out += inflater.decompress(chunk, min(_INFLATE_CHUNK, cap + 1 - len(out)))
            if len(out) > cap:
                raise FileProblem(Reason.TOO_LARGE)
    except zlib.error:
        raise FileProblem(Reason.CORRUPT) from None
    return bytes(out)  # one copy of at most the cap


def check_items(values: Iterable[tuple[bytes, bool]], cap: int) -> None:
    """For the value bytes of each sequence read raw (with its byte order: little endian or
    not), the items at its top level: one whose defined length is larger than ``cap`` is
    ``too_large``, larger than what is left of the value ``corrupt``. An item of undefined
    length ends the look at that sequence (its end is known only by parsing it)."""
    for value, little in values:
        e = "<" if little else ">"
        pos = 0
        while pos + 8 <= len(value):
            group, elem, length = struct.unpack_from(e + "HHL", value, pos)
            if (group << 16) | elem != _ITEM or length == _UNDEFINED:
                break
            if length > cap:
                raise FileProblem(Reason.TOO_LARGE)
            pos += 8 + length
            if pos > len(value):
                raise FileProblem(Reason.CORRUPT)
