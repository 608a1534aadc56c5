"""The age v1 format (https://c2sp.org/age), binary form: constants, the header's stanzas and MAC,
and strict parsing. Recipient types live in :mod:`~dcmscrub.age.x25519` and
:mod:`~dcmscrub.age.scrypt`; the payload stream in :mod:`~dcmscrub.age.stream`. No file is opened here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dcmscrub.errors import DecryptError

MAGIC: Final = b"age-encryption.org/"
VERSION_LINE: Final = b"age-encryption.org/v1\n"
CHUNK_SIZE: Final = 64 * 1024
TAG_SIZE: Final = 16
ENC_CHUNK_SIZE: Final = CHUNK_SIZE + TAG_SIZE
FILE_KEY_SIZE: Final = 16
PAYLOAD_NONCE_SIZE: Final = 16
WRAPPED_KEY_SIZE: Final = FILE_KEY_SIZE + TAG_SIZE
MAX_HEADER_SIZE: Final = 64 * 1024  # our limit (crypto-audit.md §1.3), not the spec's
MAX_STANZAS: Final = 32

COLUMNS: Final = 64
BYTES_PER_LINE: Final = COLUMNS // 4 * 3
ZERO_NONCE: Final = bytes(12)
# Reads and writes are batched into 1 MiB blocks: one system call per 64 KiB chunk costs more
# than the cipher on some hosts (benchmarks/bench_container.py, docs/benchmarks.md).
IO_BLOCK: Final = 1024 * 1024

_B64_CHARS = re.compile(rb"[A-Za-z0-9+/]*")
_VCHARS = re.compile(rb"[\x21-\x7e]+")

RandomBytes = Callable[[int], bytes]


# --- small primitives -------------------------------------------------------------------------


def hkdf(ikm: bytes, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def b64encode(data: bytes) -> bytes:
    """Unpadded standard base64, as every base64 string in an age header is."""
    return base64.b64encode(data).rstrip(b"=")


def b64decode(text: bytes, what: str) -> bytes:
    """Strict decoding: no padding, no stray characters, and canonical trailing bits."""
    if not _B64_CHARS.fullmatch(text) or len(text) % 4 == 1:
        raise DecryptError(f"header: invalid base64 in {what}")
    data = base64.b64decode(text + b"=" * (-len(text) % 4))
    # non-zero unused bits would let two strings decode to the same bytes (malleability)
    if b64encode(data) != text:
        raise DecryptError(f"header: non-canonical base64 in {what}")
    return data


def chunk_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def header_mac(file_key: bytes, header_without_mac: bytes) -> bytes:
    return hmac.new(hkdf(file_key, None, b"header"), header_without_mac, hashlib.sha256).digest()


@dataclass(frozen=True)
class Stanza:
    type: str
    args: tuple[str, ...]
    body: bytes

    def encode(self) -> bytes:
        lines = [("-> " + " ".join((self.type, *self.args))).encode("ascii")]
        text = b64encode(self.body)
        lines += [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
        if len(text) % COLUMNS == 0:
            lines.append(b"")  # the body always ends with a short line, possibly empty
        return b"\n".join(lines) + b"\n"


def looks_like_age(prefix: bytes) -> bool:
    """True when ``prefix`` (the first bytes of a file) starts like an age file of any version."""
    return prefix.startswith(MAGIC)


# --- reading ------------------------------------------------------------------------------------


class Reader:
    """Reads lines and exact-size blocks from a stream without seeking, in large reads."""

    def __init__(self, src: BinaryIO) -> None:
        self._src = src
        self._block = b""
        self._pos = 0
        self._eof = False

    def _refill(self, keep: bool = False) -> bool:
        """Read another block (appending the unread rest when ``keep``); False at end of stream."""
        if self._eof:
            return False
        data = self._src.read(IO_BLOCK)
        if not data:
            self._eof = True
            return False
        self._block = (self._block[self._pos :] + data) if keep else data
        self._pos = 0
        return True

    def at_eof(self) -> bool:
        """True when nothing is left to read."""
        return self._pos >= len(self._block) and not self._refill()

    def readline(self, limit: int) -> bytes:
        """A line with its ``\\n``, or (at EOF or past ``limit`` bytes) what there is, without one."""
        while True:
            stop = min(len(self._block), self._pos + limit)
            end = self._block.find(b"\n", self._pos, stop)
            if end >= 0:
                line = self._block[self._pos : end + 1]
                self._pos = end + 1
                return line
            if stop - self._pos >= limit or not self._refill(keep=True):
                line = self._block[self._pos : stop]
                self._pos = stop
                return line

    def read_up_to(self, size: int) -> bytes | memoryview:
        """Exactly ``size`` bytes, or fewer only at end of stream (a view when no copy is needed)."""
        parts: list[memoryview] = []
        need = size
        while need:
            available = len(self._block) - self._pos
            if not available:
                if not self._refill():
                    break
                continue
            take = min(available, need)
            parts.append(memoryview(self._block)[self._pos : self._pos + take])
            self._pos += take
            need -= take
        # a view keeps its block alive after a refill: blocks are never reused
        return parts[0] if len(parts) == 1 else b"".join(parts)


@dataclass(frozen=True)
class Header:
    stanzas: list[Stanza]
    without_mac: bytes  # the bytes the MAC covers: start of file through "---"
    mac: bytes


def _read_stanza_body(reader: Reader, header: bytearray) -> bytes:
    body = bytearray()
    while True:
        line = reader.readline(MAX_HEADER_SIZE - len(header))
        if not line.endswith(b"\n"):
            raise DecryptError("header: truncated or too large")
        header += line
        data = b64decode(line[:-1], "stanza body")
        if len(data) > BYTES_PER_LINE:
            raise DecryptError("header: stanza body line longer than 64 columns")
        body += data
        if len(data) < BYTES_PER_LINE:
            return bytes(body)  # a short line (possibly empty) ends the body


def _parse_stanza_line(text: bytes) -> tuple[str, tuple[str, ...]]:
    parts = text.split(b" ")
    if parts[0] != b"->" or len(parts) < 2:
        raise DecryptError("header: malformed stanza line")
    if not all(_VCHARS.fullmatch(p) for p in parts[1:]):
        raise DecryptError("header: stanza argument is empty or not printable ASCII")
    words = [p.decode("ascii") for p in parts[1:]]
    return words[0], tuple(words[1:])


def _parse_mac_line(text: bytes) -> bytes:
    parts = text.split(b" ")
    if parts[0] != b"---" or len(parts) != 2:
        raise DecryptError("header: malformed MAC line")
    mac = b64decode(parts[1], "header MAC")
    if len(mac) != 32:
        raise DecryptError("header: header MAC has the wrong length")
    return mac


def parse_header(reader: Reader) -> Header:
    first = reader.readline(len(VERSION_LINE))
    if first != VERSION_LINE:
        if first.startswith(MAGIC):
            raise DecryptError("header: unsupported version line")
        raise DecryptError("header: not an age file")
    header = bytearray(first)
    stanzas: list[Stanza] = []
    while True:
        line = reader.readline(MAX_HEADER_SIZE - len(header))
        if not line.endswith(b"\n"):
            raise DecryptError("header: truncated or too large")
        text = line[:-1]
        if text.startswith(b"---"):
            return Header(stanzas, bytes(header) + b"---", _parse_mac_line(text))
        header += line
        if not text.startswith(b"->"):
            raise DecryptError("header: unexpected line")
        kind, args = _parse_stanza_line(text)
        stanzas.append(Stanza(kind, args, _read_stanza_body(reader, header)))
        if len(stanzas) > MAX_STANZAS:
            raise DecryptError(f"header: more than {MAX_STANZAS} stanzas")
