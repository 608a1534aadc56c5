"""Reading escrow files back, streamed: each row is handed on as its age chunk authenticates.

Nothing is decrypted to disk and no table is built: :func:`read_escrow` calls ``on_row`` per row.
age releases a verified prefix of a file before it can tell the file was cut short, so callers
keep what they found to themselves until :func:`read_escrow` returns (a lookup prints, an export
names its files, only then).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from dcmscrub.age import Identity, decrypt
from dcmscrub.errors import DataError, DecryptError, InputError
from dcmscrub.escrow.format import MAX_LINE, EscrowHeader, Row


@dataclass(frozen=True)
class EscrowRead:
    """One escrow file read whole: its header, the SHA-256 of its bytes, how many rows it held."""

    path: Path
    header: EscrowHeader
    sha256: str
    rows: int


class _Lines:
    """A write-only stream that cuts the plaintext into lines: the header, then rows."""

    def __init__(self, name: str, on_row: Callable[[Row], None]) -> None:
        self.name, self.on_row = name, on_row
        self.pending = bytearray()
        self.header: EscrowHeader | None = None
        self.rows = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.pending += data
        start = 0
        while (end := self.pending.find(b"\n", start)) >= 0:
            self._line(bytes(self.pending[start:end]))
            start = end + 1
        del self.pending[:start]
        if len(self.pending) > MAX_LINE:
            raise DataError(f"{self.name}: damaged escrow (a line is too long)")
        return len(data)

    def _line(self, line: bytes) -> None:
        if self.header is None:
            self.header = EscrowHeader.from_line(line, self.name)
            return
        self.on_row(Row.from_line(line, self.name))
        self.rows += 1


class _HashingReader:
    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.hash = raw, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.hash.update(data)
        return data


def read_escrow(path: Path, identities: Sequence[Identity], on_row: Callable[[Row], None]) -> EscrowRead:
    """Decrypt the escrow file ``path`` and hand each row to ``on_row``.

    Raises :class:`~dcmscrub.errors.DecryptError` (65) when no identity opens it or it was
    altered or cut short, :class:`~dcmscrub.errors.DataError` (65) when it is not an escrow of a
    version this dcmscrub reads, :class:`~dcmscrub.errors.InputError` (66) when it cannot be read.
    """
    name = str(path)
    lines = _Lines(name, on_row)
    try:
        with open(path, "rb") as fh:
            hashing = _HashingReader(fh)
            try:
                decrypt(cast(BinaryIO, hashing), cast(BinaryIO, lines), identities)
            except DecryptError as exc:
                exc.name_file(name)
                raise
            hashing.hash.update(fh.read())  # nothing follows a valid file; hash it all anyway
    except OSError as exc:
        raise InputError(f"escrow {name} cannot be read ({exc.strerror})") from None
    if lines.header is None or lines.pending:
        raise DataError(f"{name}: damaged escrow (no header, or a last line without its end)")
    return EscrowRead(path, lines.header, hashing.hash.hexdigest(), lines.rows)
