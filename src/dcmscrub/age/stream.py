"""age v1 payload streams: :class:`AgeWriter` (a streaming, write-only file object that pydicom can
write into), :func:`encrypt` and :func:`decrypt`.

:func:`decrypt` streams plaintext out chunk by chunk as each chunk authenticates, and raises
:class:`~dcmscrub.errors.DecryptError` for every failure (the message is always the same; its
``detail`` names the check that failed, for ``--debug``). Supported stanzas: ``X25519`` (any
number) and ``scrypt`` (which must be alone). There is no ASCII armor and no post-quantum stanza
yet. This module never opens a file.
"""

from __future__ import annotations

import hmac
import io
import os
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from dcmscrub.age.format import (
    CHUNK_SIZE,
    ENC_CHUNK_SIZE,
    FILE_KEY_SIZE,
    IO_BLOCK,
    PAYLOAD_NONCE_SIZE,
    TAG_SIZE,
    VERSION_LINE,
    RandomBytes,
    Reader,
    Stanza,
    b64encode,
    chunk_nonce,
    header_mac,
    hkdf,
    parse_header,
)
from dcmscrub.age.scrypt import (
    DEFAULT_MAX_SCRYPT_LOG_N,
    MAX_SCRYPT_LOG_N_ALLOWED,
    ScryptIdentity,
    ScryptRecipient,
    check_scrypt_stanza,
)
from dcmscrub.age.x25519 import X25519Identity, X25519Recipient, check_x25519_stanza
from dcmscrub.errors import ConfigError, DecryptError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

Recipient = X25519Recipient | ScryptRecipient
Identity = X25519Identity | ScryptIdentity


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
    stanzas = b"".join(r.wrap_file_key(file_key, random_bytes).encode() for r in recipients)
    header = VERSION_LINE + stanzas + b"---"
    return header + b" " + b64encode(header_mac(file_key, header)) + b"\n"


def _write_all(dst: BinaryIO, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = dst.write(view)
        # raw (unbuffered) files may write less than asked; None means "all" for our purposes
        if written is None or written >= len(view):
            return
        view = view[written:]


class _OutputBuffer:
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
        self._out = _OutputBuffer(fileobj)
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
        self._aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
        self._out.add(header + nonce)
        self._broken = False

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def seek(self, _offset: int, _whence: int = 0, /) -> int:
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
        self._aead.encrypt_into(chunk_nonce(self._counter, last), data, None, self._out.reserve(size))
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


def _check_stanzas(stanzas: list[Stanza], max_scrypt_log_n: int) -> None:
    """Structural checks on every stanza we know; unknown types are left for identities to skip."""
    for stanza in stanzas:
        if stanza.type == "X25519":
            check_x25519_stanza(stanza)
        elif stanza.type == "scrypt":
            check_scrypt_stanza(stanza, len(stanzas), max_scrypt_log_n)


def _unwrap_file_key(stanzas: list[Stanza], identities: Sequence[Identity], max_scrypt_log_n: int) -> bytes:
    for identity in identities:
        for stanza in stanzas:
            file_key = identity.unwrap_file_key(stanza, max_scrypt_log_n)
            if file_key is not None:
                return file_key
    raise DecryptError("no identity matched")


def _open_chunk(
    aead: ChaCha20Poly1305, counter: int, chunk: bytes | memoryview, last: bool, out: _OutputBuffer
) -> bool:
    """Decrypt ``chunk`` into ``out``; it counts as output only if it authenticated."""
    size = len(chunk) - TAG_SIZE
    if size < 0:
        return False
    try:
        aead.decrypt_into(chunk_nonce(counter, last), chunk, None, out.reserve(size))
    except InvalidTag:
        return False  # what decrypt_into left in the reserved room is never committed
    out.commit(size)
    return True


def _decrypt_payload(reader: Reader, out: _OutputBuffer, aead: ChaCha20Poly1305) -> int:
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
        aead.decrypt(chunk_nonce(counter, False), chunk, None)
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
    reader = Reader(src)
    header = parse_header(reader)
    _check_stanzas(header.stanzas, max_scrypt_log_n)
    file_key = _unwrap_file_key(header.stanzas, identities, max_scrypt_log_n)
    # the MAC is checked only now: it is keyed by the file key (spec)
    if not hmac.compare_digest(header_mac(file_key, header.without_mac), header.mac):
        raise DecryptError("header MAC mismatch")
    nonce = bytes(reader.read_up_to(PAYLOAD_NONCE_SIZE))
    if len(nonce) != PAYLOAD_NONCE_SIZE:
        raise DecryptError("header: missing or short payload nonce")
    out = _OutputBuffer(dst, wipe=True)
    try:
        return _decrypt_payload(reader, out, ChaCha20Poly1305(hkdf(file_key, nonce, b"payload")))
    finally:
        out.flush()  # verified plaintext only; on an error the caller discards it anyway
        out.drop()
