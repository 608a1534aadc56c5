"""The age v1 file format (https://c2sp.org/age), binary form, byte for byte, on ``cryptography``.

Encryption: :class:`AgeWriter` is a streaming, write-only file object that pydicom can
``dcmwrite`` into; :func:`encrypt` copies a stream through it. Decryption: :func:`decrypt`
streams plaintext out chunk by chunk as each chunk authenticates, and raises
:class:`~dcmscrub.errors.DecryptError` for every failure (the message is always the same; its
``detail`` names the check that failed, for ``--debug``).

Supported stanzas: ``X25519`` (any number) and ``scrypt`` (which must be alone). There is no
ASCII armor and no post-quantum stanza yet. This module never opens a file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from dcmscrub import _bech32
from dcmscrub.errors import ConfigError, DecryptError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "CHUNK_SIZE",
    "AgeWriter",
    "Identity",
    "Recipient",
    "ScryptIdentity",
    "ScryptRecipient",
    "X25519Identity",
    "X25519Recipient",
    "decrypt",
    "encrypt",
    "looks_like_age",
    "parse_identity",
    "parse_recipient",
]

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
SCRYPT_SALT_SIZE: Final = 16
DEFAULT_SCRYPT_LOG_N: Final = 18
DEFAULT_MAX_SCRYPT_LOG_N: Final = 20
MAX_SCRYPT_LOG_N_ALLOWED: Final = 22  # age's own decoder ceiling; logN 22 already needs 4 GiB

_COLUMNS: Final = 64
_BYTES_PER_LINE: Final = _COLUMNS // 4 * 3
_X25519_LABEL: Final = b"age-encryption.org/v1/X25519"
_SCRYPT_LABEL: Final = b"age-encryption.org/v1/scrypt"
_ZERO_NONCE: Final = bytes(12)
_RECIPIENT_HRP: Final = "age"
_IDENTITY_HRP: Final = "age-secret-key-"
# Reads and writes are batched into 1 MiB blocks: one system call per 64 KiB chunk costs more
# than the cipher on some hosts (benchmarks/bench_container.py, docs/benchmarks.md).
IO_BLOCK: Final = 1024 * 1024

_B64_CHARS = re.compile(rb"[A-Za-z0-9+/]*")
_VCHARS = re.compile(rb"[\x21-\x7e]+")
_DECIMAL = re.compile(r"[1-9][0-9]*")

RandomBytes = Callable[[int], bytes]


# --- small primitives -------------------------------------------------------------------------


def _hkdf(ikm: bytes, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _b64encode(data: bytes) -> bytes:
    """Unpadded standard base64, as every base64 string in an age header is."""
    return base64.b64encode(data).rstrip(b"=")


def _b64decode(text: bytes, what: str) -> bytes:
    """Strict decoding: no padding, no stray characters, and canonical trailing bits."""
    if not _B64_CHARS.fullmatch(text) or len(text) % 4 == 1:
        raise DecryptError(f"header: invalid base64 in {what}")
    data = base64.b64decode(text + b"=" * (-len(text) % 4))
    # non-zero unused bits would let two strings decode to the same bytes (malleability)
    if _b64encode(data) != text:
        raise DecryptError(f"header: non-canonical base64 in {what}")
    return data


def _chunk_nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _header_mac(file_key: bytes, header_without_mac: bytes) -> bytes:
    return hmac.new(_hkdf(file_key, None, b"header"), header_without_mac, hashlib.sha256).digest()


@dataclass(frozen=True)
class _Stanza:
    type: str
    args: tuple[str, ...]
    body: bytes

    def encode(self) -> bytes:
        lines = [("-> " + " ".join((self.type, *self.args))).encode("ascii")]
        text = _b64encode(self.body)
        lines += [text[i : i + _COLUMNS] for i in range(0, len(text), _COLUMNS)]
        if len(text) % _COLUMNS == 0:
            lines.append(b"")  # the body always ends with a short line, possibly empty
        return b"\n".join(lines) + b"\n"


# --- recipients and identities -----------------------------------------------------------------


@dataclass(frozen=True)
class X25519Recipient:
    """An age X25519 public key (``age1...``): anyone may encrypt to it."""

    public_key: bytes

    def __post_init__(self) -> None:
        if len(self.public_key) != 32:
            raise ConfigError("an X25519 recipient must be a 32-byte public key")

    def __str__(self) -> str:
        return _bech32.encode(_RECIPIENT_HRP, self.public_key)

    def __repr__(self) -> str:
        return f"X25519Recipient({str(self)!r})"

    @property
    def fingerprint(self) -> str:
        """``x25519:`` + the first 128 bits of SHA-256 of the key, in hex (safe to log)."""
        return "x25519:" + hashlib.sha256(self.public_key).hexdigest()[:32]

    def _wrap(self, file_key: bytes, random_bytes: RandomBytes) -> _Stanza:
        ephemeral = X25519PrivateKey.from_private_bytes(random_bytes(32))
        share = ephemeral.public_key().public_bytes_raw()
        try:
            shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(self.public_key))
        except ValueError:
            raise ConfigError(
                f"recipient {self.fingerprint} is not a usable X25519 public key",
                hint="check the recipient string; it may have been generated by a broken tool",
            ) from None
        wrap_key = _hkdf(shared, share + self.public_key, _X25519_LABEL)
        body = ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)
        return _Stanza("X25519", (_b64encode(share).decode("ascii"),), body)


class X25519Identity:
    """An age X25519 secret key (``AGE-SECRET-KEY-1...``). Its repr shows only the public key."""

    __slots__ = ("_key", "_public")

    def __init__(self, secret: bytes) -> None:
        if len(secret) != 32:
            raise ConfigError("an X25519 identity must be a 32-byte secret key")
        self._key = X25519PrivateKey.from_private_bytes(secret)
        self._public = self._key.public_key().public_bytes_raw()

    @classmethod
    def generate(cls, random_bytes: RandomBytes = os.urandom) -> X25519Identity:
        """A fresh identity from 32 random bytes (age-keygen does the same)."""
        return cls(random_bytes(32))

    @property
    def recipient(self) -> X25519Recipient:
        """The public key that encrypts to this identity."""
        return X25519Recipient(self._public)

    def to_str(self) -> str:
        """The secret in age's text form, ``AGE-SECRET-KEY-1...`` (uppercase). Handle with care."""
        return _bech32.encode(_IDENTITY_HRP, self._key.private_bytes_raw()).upper()

    def __repr__(self) -> str:
        return f"X25519Identity(recipient={str(self.recipient)!r})"

    def _unwrap(self, stanza: _Stanza, max_scrypt_log_n: int) -> bytes | None:
        if stanza.type != "X25519":
            return None
        share = _b64decode(stanza.args[0].encode("ascii"), "X25519 share")
        try:
            shared = self._key.exchange(X25519PublicKey.from_public_bytes(share))
        except ValueError:
            # cryptography refuses an all-zero result: the share is a low-order point (spec: abort)
            raise DecryptError("header: X25519 share gives an all-zero shared secret") from None
        if not any(shared):
            raise DecryptError("header: X25519 share gives an all-zero shared secret")
        wrap_key = _hkdf(shared, share + self._public, _X25519_LABEL)
        try:
            return ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, stanza.body, None)
        except InvalidTag:
            return None


def _check_passphrase(passphrase: bytes) -> None:
    if not isinstance(passphrase, bytes | bytearray) or not passphrase:
        raise ConfigError("the passphrase must be non-empty bytes")


def _scrypt_key(passphrase: bytes, salt: bytes, log_n: int) -> bytes:
    kdf = Scrypt(salt=_SCRYPT_LABEL + salt, length=32, n=1 << log_n, r=8, p=1)
    return kdf.derive(bytes(passphrase))


@dataclass(frozen=True, eq=False)
class ScryptRecipient:
    """Encrypt to a passphrase (scrypt stanza; must be the only recipient of a file)."""

    passphrase: bytes = field(repr=False)
    log_n: int = DEFAULT_SCRYPT_LOG_N

    def __post_init__(self) -> None:
        _check_passphrase(self.passphrase)
        if not 1 <= self.log_n <= MAX_SCRYPT_LOG_N_ALLOWED:
            raise ConfigError(f"the scrypt work factor must be between 1 and {MAX_SCRYPT_LOG_N_ALLOWED}")

    def _wrap(self, file_key: bytes, random_bytes: RandomBytes) -> _Stanza:
        salt = random_bytes(SCRYPT_SALT_SIZE)
        wrap_key = _scrypt_key(self.passphrase, salt, self.log_n)
        body = ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)
        return _Stanza("scrypt", (_b64encode(salt).decode("ascii"), str(self.log_n)), body)


@dataclass(frozen=True, eq=False)
class ScryptIdentity:
    """Decrypt with a passphrase; refuses work factors above ``max_log_n`` (a DoS guard)."""

    passphrase: bytes = field(repr=False)
    max_log_n: int = DEFAULT_MAX_SCRYPT_LOG_N

    def __post_init__(self) -> None:
        _check_passphrase(self.passphrase)

    def _unwrap(self, stanza: _Stanza, max_scrypt_log_n: int) -> bytes | None:
        if stanza.type != "scrypt":
            return None
        salt = _b64decode(stanza.args[0].encode("ascii"), "scrypt salt")
        log_n = int(stanza.args[1])
        if log_n > min(self.max_log_n, max_scrypt_log_n):
            raise DecryptError(f"header: scrypt work factor {log_n} is above the cap")
        try:
            return ChaCha20Poly1305(_scrypt_key(self.passphrase, salt, log_n)).decrypt(
                _ZERO_NONCE, stanza.body, None
            )
        except InvalidTag:
            return None


Recipient = X25519Recipient | ScryptRecipient
Identity = X25519Identity | ScryptIdentity


def parse_recipient(text: str) -> X25519Recipient:
    """Parse an ``age1...`` recipient. Raises :class:`ConfigError`; never echoes the text."""
    text = text.strip()
    if text.upper().startswith("AGE-SECRET-KEY-"):
        raise ConfigError(
            "a secret identity was given where a recipient (public key) was expected",
            hint="give the public key (age1...); `age-keygen -y FILE` prints it",
        )
    if text.startswith(("ssh-", "ecdsa-")):
        raise ConfigError("ssh public keys are not supported as recipients", hint="use an age1... recipient")
    try:
        hrp, data = _bech32.decode(text)
    except _bech32.Bech32Error as exc:
        raise ConfigError(
            f"not a valid age recipient ({exc})", hint="a recipient is age1 followed by 58 characters"
        ) from None
    if hrp != _RECIPIENT_HRP or len(data) != 32:
        raise ConfigError("not an age X25519 recipient", hint="a recipient is age1 followed by 58 characters")
    return X25519Recipient(data)


def parse_identity(text: str) -> X25519Identity:
    """Parse an ``AGE-SECRET-KEY-1...`` identity. Raises :class:`ConfigError`; never echoes the text."""
    text = text.strip()
    if text.lower().startswith("age1"):
        raise ConfigError(
            "a recipient (public key) was given where a secret identity was expected",
            hint="give the identity file made by age-keygen or `dcmscrub keygen recipient`",
        )
    if text.upper().startswith("AGE-SECRET-KEY-PQ-"):
        raise ConfigError("post-quantum identities are not supported yet", hint="use an X25519 identity")
    try:
        hrp, data = _bech32.decode(text)
    except _bech32.Bech32Error as exc:
        raise ConfigError(
            f"not a valid age identity ({exc})",
            hint="an identity is AGE-SECRET-KEY-1 followed by 58 characters",
        ) from None
    if hrp != _IDENTITY_HRP or len(data) != 32:
        raise ConfigError(
            "not an age X25519 identity", hint="an identity is AGE-SECRET-KEY-1 followed by 58 characters"
        )
    return X25519Identity(data)


def looks_like_age(prefix: bytes) -> bool:
    """True when ``prefix`` (the first bytes of a file) starts like an age file of any version."""
    return prefix.startswith(MAGIC)


# --- writing ------------------------------------------------------------------------------------


def _check_recipients(recipients: Sequence[Recipient]) -> None:
    if not recipients:
        raise ConfigError("no recipient given", hint="add at least one age1... recipient")
    scrypt = sum(isinstance(r, ScryptRecipient) for r in recipients)
    if scrypt and len(recipients) > 1:
        # spec: an scrypt stanza must be alone, or a passphrase holder could not tell who else can read
        raise ConfigError(
            "a passphrase cannot be combined with other recipients",
            hint="encrypt either to recipients or to one passphrase",
        )
    for r in recipients:
        if not isinstance(r, X25519Recipient | ScryptRecipient):
            raise ConfigError(f"unsupported recipient type {type(r).__name__}")


def _build_header(file_key: bytes, recipients: Sequence[Recipient], random_bytes: RandomBytes) -> bytes:
    stanzas = b"".join(r._wrap(file_key, random_bytes).encode() for r in recipients)
    header = VERSION_LINE + stanzas + b"---"
    return header + b" " + _b64encode(_header_mac(file_key, header)) + b"\n"


def _write_all(dst: BinaryIO, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = dst.write(view)
        # raw (unbuffered) files may write less than asked; None means "all" for our purposes
        if written is None or written >= len(view):
            return
        view = view[written:]


class _Batch:
    """A reusable output buffer, handed to ``dst`` in blocks of about :data:`IO_BLOCK` bytes.

    Ciphers write straight into it (``encrypt_into``/``decrypt_into``): reusing one buffer
    instead of allocating per chunk avoids page faults that cost more than the cipher.
    """

    def __init__(self, dst: BinaryIO, *, wipe: bool = False) -> None:
        self._dst = dst
        self._buf = bytearray(IO_BLOCK + ENC_CHUNK_SIZE)  # zero pages: only touched ones cost
        self._view = memoryview(self._buf)
        self._used = 0
        self._wipe = wipe
        self._touched = 0  # high-water mark: what drop() has to wipe

    def reserve(self, size: int) -> memoryview:
        """Room for ``size`` bytes; they count as output only after :meth:`commit`."""
        if self._used + size > len(self._buf):
            self.flush()
        self._touched = max(self._touched, self._used + size)
        return self._view[self._used : self._used + size]

    def commit(self, size: int) -> None:
        self._used += size
        if self._used >= IO_BLOCK:
            self.flush()

    def add(self, data: bytes) -> None:
        if len(data) > len(self._buf):
            self.flush()
            _write_all(self._dst, data)
            return
        self.reserve(len(data))[:] = data
        self.commit(len(data))

    def flush(self) -> None:
        if self._used:
            _write_all(self._dst, self._view[: self._used])
            self._used = 0

    def drop(self) -> None:
        """Forget pending output; with ``wipe``, zero what was used (best effort for plaintext)."""
        if self._wipe:
            self._view[: self._touched] = bytes(self._touched)
        self._used = 0


class AgeWriter(io.RawIOBase):
    """A write-only, non-seekable binary file that writes an age file to ``fileobj`` as data arrives.

    Plaintext is sealed in 64 KiB chunks as it arrives, holding at most one chunk of plaintext;
    ciphertext goes to ``fileobj`` in blocks of about 1 MiB (header first). :meth:`close` seals
    the final chunk, writes out what is pending, and does not close ``fileobj``. :meth:`abort`
    (called by ``__exit__`` on an exception, and on garbage collection of an unclosed writer)
    stops without a final chunk and drops pending output, so what was written can never
    decrypt: a failed write never yields a valid, truncated file. ``tell()`` counts plaintext.
    """

    def __init__(
        self,
        fileobj: BinaryIO,
        recipients: Sequence[Recipient],
        *,
        random_bytes: RandomBytes = os.urandom,
    ) -> None:
        super().__init__()
        self._out = _Batch(fileobj)
        self._plain = bytearray(CHUNK_SIZE)
        self._pending = memoryview(self._plain)
        self._fill = 0  # plaintext bytes waiting in self._plain
        self._counter = 0
        self._written = 0
        self._broken = True  # until the header is ready
        _check_recipients(recipients)
        file_key = random_bytes(FILE_KEY_SIZE)
        header = _build_header(file_key, recipients, random_bytes)
        nonce = random_bytes(PAYLOAD_NONCE_SIZE)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._out.add(header + nonce)
        self._broken = False

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0, /) -> int:
        raise io.UnsupportedOperation("an age stream cannot seek")

    def tell(self) -> int:
        """Plaintext bytes accepted so far."""
        return self._written

    def write(self, b: ReadableBuffer, /) -> int:
        """Accept ``b`` whole; seal every chunk that is known not to be the last one."""
        if self.closed:
            raise ValueError("write to a closed AgeWriter")
        if self._broken:
            raise ValueError("AgeWriter failed earlier; the output is unusable")
        view = memoryview(b).cast("B")
        size = len(view)
        pos = 0
        try:
            while pos < size:
                if self._fill == CHUNK_SIZE:
                    # more data follows, so the buffered chunk is not the last one
                    self._seal(self._pending, last=False)
                    self._fill = 0
                if not self._fill and size - pos > CHUNK_SIZE:
                    self._seal(view[pos : pos + CHUNK_SIZE], last=False)  # no copy for big writes
                    pos += CHUNK_SIZE
                    continue
                take = min(CHUNK_SIZE - self._fill, size - pos)
                self._pending[self._fill : self._fill + take] = view[pos : pos + take]
                self._fill += take
                pos += take
        except BaseException:
            self._broken = True
            raise
        self._written += size
        return size

    def _seal(self, data: memoryview, *, last: bool) -> None:
        if self._broken:
            raise ValueError("AgeWriter failed earlier; the output is unusable")
        size = len(data) + TAG_SIZE
        self._aead.encrypt_into(_chunk_nonce(self._counter, last), data, None, self._out.reserve(size))
        self._out.commit(size)
        self._counter += 1

    def close(self) -> None:
        """Seal the final chunk (empty only when nothing was written) and close this writer."""
        if self.closed:
            return
        try:
            if self._broken:
                raise ValueError("AgeWriter failed earlier; no final chunk was written")
            self._seal(self._pending[: self._fill], last=True)
            self._out.flush()
        except BaseException:
            self._broken = True
            raise
        finally:
            self._discard()

    def abort(self) -> None:
        """Close without sealing a final chunk: what was written can never decrypt."""
        self._broken = True
        if not self.closed:
            self._discard()

    def _discard(self) -> None:
        self._out.drop()  # pending ciphertext of an aborted file is never written
        self._pending[:] = bytes(CHUNK_SIZE)  # best effort: do not leave plaintext around
        self._fill = 0
        super().close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()

    def __del__(self) -> None:
        # io.IOBase.__del__ would call close() and seal a valid final chunk for a writer that
        # was dropped half way; an unclosed writer is an unfinished one.
        self.abort()


def encrypt(src: BinaryIO, dst: BinaryIO, recipients: Sequence[Recipient]) -> int:
    """Encrypt everything ``src`` yields into ``dst``; return the number of plaintext bytes."""
    with AgeWriter(dst, recipients) as writer:
        while data := src.read(IO_BLOCK):
            writer.write(data)
    return writer.tell()


# --- reading ------------------------------------------------------------------------------------


class _Reader:
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
class _Header:
    stanzas: list[_Stanza]
    without_mac: bytes  # the bytes the MAC covers: start of file through "---"
    mac: bytes


def _read_stanza_body(reader: _Reader, header: bytearray) -> bytes:
    body = bytearray()
    while True:
        line = reader.readline(MAX_HEADER_SIZE - len(header))
        if not line.endswith(b"\n"):
            raise DecryptError("header: truncated or too large")
        header += line
        data = _b64decode(line[:-1], "stanza body")
        if len(data) > _BYTES_PER_LINE:
            raise DecryptError("header: stanza body line longer than 64 columns")
        body += data
        if len(data) < _BYTES_PER_LINE:
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
    mac = _b64decode(parts[1], "header MAC")
    if len(mac) != 32:
        raise DecryptError("header: header MAC has the wrong length")
    return mac


def _parse_header(reader: _Reader) -> _Header:
    first = reader.readline(len(VERSION_LINE))
    if first != VERSION_LINE:
        if first.startswith(MAGIC):
            raise DecryptError("header: unsupported version line")
        raise DecryptError("header: not an age file")
    header = bytearray(first)
    stanzas: list[_Stanza] = []
    while True:
        line = reader.readline(MAX_HEADER_SIZE - len(header))
        if not line.endswith(b"\n"):
            raise DecryptError("header: truncated or too large")
        text = line[:-1]
        if text.startswith(b"---"):
            return _Header(stanzas, bytes(header) + b"---", _parse_mac_line(text))
        header += line
        if not text.startswith(b"->"):
            raise DecryptError("header: unexpected line")
        kind, args = _parse_stanza_line(text)
        stanzas.append(_Stanza(kind, args, _read_stanza_body(reader, header)))
        if len(stanzas) > MAX_STANZAS:
            raise DecryptError(f"header: more than {MAX_STANZAS} stanzas")


def _check_x25519_stanza(stanza: _Stanza) -> None:
    if len(stanza.args) != 1:
        raise DecryptError("header: X25519 stanza must have exactly one argument")
    if len(_b64decode(stanza.args[0].encode("ascii"), "X25519 share")) != 32:
        raise DecryptError("header: X25519 share is not 32 bytes")
    if len(stanza.body) != WRAPPED_KEY_SIZE:
        # a fixed size closes the partitioning-oracle attack on the non-committing AEAD
        raise DecryptError("header: X25519 stanza body is not 32 bytes")


def _check_scrypt_stanza(stanza: _Stanza, count: int, max_log_n: int) -> None:
    if count != 1:
        raise DecryptError("header: scrypt stanza is not alone")
    if len(stanza.args) != 2:
        raise DecryptError("header: scrypt stanza must have exactly two arguments")
    if len(_b64decode(stanza.args[0].encode("ascii"), "scrypt salt")) != SCRYPT_SALT_SIZE:
        raise DecryptError("header: scrypt salt is not 16 bytes")
    if not _DECIMAL.fullmatch(stanza.args[1]):
        raise DecryptError("header: scrypt work factor is not a plain decimal number")
    # the length test first: int() of a 5000-digit string raises, and no cap has 4 digits
    if len(stanza.args[1]) > 3 or int(stanza.args[1]) > max_log_n:
        raise DecryptError(f"header: scrypt work factor {stanza.args[1]} is above the cap {max_log_n}")
    if len(stanza.body) != WRAPPED_KEY_SIZE:
        raise DecryptError("header: scrypt stanza body is not 32 bytes")


def _check_stanzas(stanzas: list[_Stanza], max_scrypt_log_n: int) -> None:
    """Structural checks on every stanza we know; unknown types are left for identities to skip."""
    for stanza in stanzas:
        if stanza.type == "X25519":
            _check_x25519_stanza(stanza)
        elif stanza.type == "scrypt":
            _check_scrypt_stanza(stanza, len(stanzas), max_scrypt_log_n)


def _unwrap_file_key(stanzas: list[_Stanza], identities: Sequence[Identity], max_scrypt_log_n: int) -> bytes:
    for identity in identities:
        for stanza in stanzas:
            file_key = identity._unwrap(stanza, max_scrypt_log_n)
            if file_key is not None:
                return file_key
    raise DecryptError("no identity matched")


def _open_chunk(
    aead: ChaCha20Poly1305, counter: int, chunk: bytes | memoryview, last: bool, out: _Batch
) -> bool:
    """Decrypt ``chunk`` into ``out``; it counts as output only if it authenticated."""
    size = len(chunk) - TAG_SIZE
    if size < 0:
        return False
    try:
        aead.decrypt_into(_chunk_nonce(counter, last), chunk, None, out.reserve(size))
    except InvalidTag:
        return False  # what decrypt_into left in the reserved room is never committed
    out.commit(size)
    return True


def _decrypt_payload(reader: _Reader, out: _Batch, aead: ChaCha20Poly1305) -> int:
    """STREAM: release each chunk as it authenticates; raise at the first that does not."""
    total = 0
    counter = 0
    while True:
        chunk = reader.read_up_to(ENC_CHUNK_SIZE)
        if len(chunk) < ENC_CHUNK_SIZE or reader.at_eof():
            break  # the rest of the file is the final chunk
        # a full chunk with more bytes after it: normally not the last one
        if not _open_chunk(aead, counter, chunk, False, out):
            if not _open_chunk(aead, counter, chunk, True, out):
                raise DecryptError(f"payload: chunk {counter} failed authentication")
            raise DecryptError("payload: trailing data")  # the final chunk was released (CCTV)
        total += CHUNK_SIZE
        counter += 1
    if not chunk:
        raise DecryptError("payload: truncated")
    if len(chunk) == TAG_SIZE and counter > 0:
        raise DecryptError("payload: empty final chunk")  # allowed only for an empty payload
    if _open_chunk(aead, counter, chunk, True, out):
        return total + len(chunk) - TAG_SIZE
    # a genuine full chunk in its place is released (CCTV semantics); a short one cannot be
    if len(chunk) == ENC_CHUNK_SIZE and _open_chunk(aead, counter, chunk, False, out):
        raise DecryptError("payload: truncated")  # the file ends before a chunk marked last
    if len(chunk) < ENC_CHUNK_SIZE and _opens(aead, counter, chunk):
        raise DecryptError("payload: truncated")
    raise DecryptError(f"payload: chunk {counter} failed authentication")


def _opens(aead: ChaCha20Poly1305, counter: int, chunk: bytes | memoryview) -> bool:
    """Diagnosis only: whether a short chunk is genuine but not marked last."""
    try:
        aead.decrypt(_chunk_nonce(counter, False), chunk, None)
    except InvalidTag:
        return False
    return True


def decrypt(
    src: BinaryIO,
    dst: BinaryIO,
    identities: Sequence[Identity],
    *,
    max_scrypt_log_n: int = DEFAULT_MAX_SCRYPT_LOG_N,
) -> int:
    """Decrypt the age file ``src`` into ``dst``; return the number of plaintext bytes.

    Plaintext is written (in blocks of about 1 MiB) only after its chunk authenticated, so on
    :class:`DecryptError` ``dst`` may hold a verified prefix: write to a temporary file and keep
    it only if this returns.
    ``max_scrypt_log_n`` caps scrypt work for every identity (each :class:`ScryptIdentity` also
    applies its own ``max_log_n``).
    """
    if not identities:
        raise ConfigError("no identity given", hint="give an identity file or a passphrase")
    if not 1 <= max_scrypt_log_n <= MAX_SCRYPT_LOG_N_ALLOWED:
        # logN 22 already needs 4 GiB of memory; more would let a file exhaust the host
        raise ConfigError(f"the scrypt work factor cap must be between 1 and {MAX_SCRYPT_LOG_N_ALLOWED}")
    reader = _Reader(src)
    header = _parse_header(reader)
    _check_stanzas(header.stanzas, max_scrypt_log_n)
    file_key = _unwrap_file_key(header.stanzas, identities, max_scrypt_log_n)
    # the MAC is checked only now: it is keyed by the file key (spec)
    if not hmac.compare_digest(_header_mac(file_key, header.without_mac), header.mac):
        raise DecryptError("header MAC mismatch")
    nonce = bytes(reader.read_up_to(PAYLOAD_NONCE_SIZE))
    if len(nonce) != PAYLOAD_NONCE_SIZE:
        raise DecryptError("header: missing or short payload nonce")
    out = _Batch(dst, wipe=True)
    try:
        return _decrypt_payload(reader, out, ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload")))
    finally:
        out.flush()  # verified plaintext only; on an error the caller discards it anyway
        out.drop()
