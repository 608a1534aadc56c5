"""Where an encoded output goes on its way to disk: an age stream (encrypted) or the file itself.

The sink is chosen once per run (:class:`AgeSink` unless plain outputs were asked for) and
decides the output's suffix; the worker writes every output through it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, cast

from dcmscrub.age import AgeWriter, X25519Recipient
from dcmscrub.errors import ConfigError


class Sink(Protocol):
    """How outputs are written: :meth:`open` wraps the raw output file in the stream the encoded
    DICOM file is written into."""

    @property
    def suffix(self) -> str:
        """The output file name's suffix."""
        ...

    @property
    def recipients(self) -> tuple[X25519Recipient, ...]:
        """Who can read the outputs (empty: plain outputs)."""
        ...

    def open(self, raw: BinaryIO) -> contextlib.AbstractContextManager[BinaryIO]:
        """A stream into ``raw``; leaving the block without an error completes the output."""
        ...


@dataclass(frozen=True)
class PlainSink:
    """Plain ``.dcm`` outputs (asked for with ``--no-encrypt``)."""

    suffix: str = ".dcm"
    recipients: tuple[X25519Recipient, ...] = ()

    @contextlib.contextmanager
    def open(self, raw: BinaryIO) -> Iterator[BinaryIO]:
        yield raw


@dataclass(frozen=True)
class AgeSink:
    """``.dcm.age`` outputs, age-encrypted to ``recipients`` (plaintext never reaches the disk)."""

    recipients: tuple[X25519Recipient, ...]
    suffix: str = ".dcm.age"

    def __post_init__(self) -> None:
        if not self.recipients:
            raise ConfigError(
                "no recipient to encrypt to", hint="give -r age1... or -R FILE, or --no-encrypt"
            )

    @contextlib.contextmanager
    def open(self, raw: BinaryIO) -> Iterator[BinaryIO]:
        with AgeWriter(raw, self.recipients) as age:
            yield cast(BinaryIO, age)
