"""Writing a run's escrow: rows streamed into an age file to the escrow recipients only, named at
the end of the run or never.

The file is ``ESCROW_DIR/escrow-<run id>.jsonl.age``. While the run works it is a hidden temporary
file beside that name (``.escrow-<run id>.jsonl.age.tmp-<hex>``, mode 0600) on which the writer
holds an exclusive ``flock``; its rows go through an :class:`~dcmscrub.age.AgeWriter` as outputs
are committed, so neither the table nor its plaintext is ever whole in memory or on disk. At the
end the age stream is sealed and synced (:meth:`EscrowWriter.seal`, which gives the SHA-256 the
audit log records), then renamed (:meth:`EscrowWriter.commit`). A killed run leaves only the
temporary file, whose lock died with it: the next writer in that folder removes it.

Repeated rows (a patient, study or series has many files) are dropped while a small bounded
memory of recent rows still knows them; SOP instance rows are unique per output and are not
remembered, so memory stays flat however long the run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final, cast

from dcmscrub.age import AgeWriter, X25519Recipient
from dcmscrub.atomic import commit, fsync_dir, is_temp_name, temp_name_for
from dcmscrub.deid.mapping import FileMapping
from dcmscrub.errors import ConfigError, OutputError
from dcmscrub.escrow.format import EscrowHeader, rows_of

SUFFIX: Final = ".jsonl.age"
PREFIX: Final = "escrow-"
REMEMBERED_ROWS: Final = 4096  # recent rows remembered to drop repeats (about 0.5 MB)
_STALE_SECONDS: Final = 60.0


@dataclass(frozen=True)
class EscrowOptions:
    """Where a run's escrow goes and who can read it (never a data recipient)."""

    recipients: tuple[X25519Recipient, ...]
    folder: Path


def escrow_name(run_id: str) -> str:
    """The escrow file's name for a run."""
    return f"{PREFIX}{run_id}{SUFFIX}"


def check_escrow(
    options: EscrowOptions, data_recipients: tuple[X25519Recipient, ...], out: Path, roots: list[Path]
) -> None:
    """Refuse an escrow that would defeat its purpose, before any work: no recipient (78), an
    escrow recipient that can also read the outputs (78), a folder inside the output tree or an
    input (73). Creates the folder (0700) if it is missing and checks it is writable (73)."""
    if not options.recipients:
        raise ConfigError("an escrow needs at least one escrow recipient", hint="give --escrow age1...")
    shared = {str(r) for r in options.recipients} & {str(r) for r in data_recipients}
    if shared:
        fingerprint = next(r.fingerprint for r in options.recipients if str(r) in shared)
        raise ConfigError(
            f"escrow recipient {fingerprint} is also a recipient of the outputs: whoever reads the"
            " release could then re-identify it",
            hint="give the honest broker a key of its own (dcmscrub keygen -o broker.key) and"
            " --escrow its age1... only",
        )
    folder = options.folder.resolve()
    if folder == out or out in folder.parents:
        raise OutputError(
            f"escrow folder {options.folder} is inside the output folder {out}",
            hint="keep the escrow out of the release: --escrow-out a folder outside OUTDIR",
        )
    for root in roots:
        if folder == root or root in folder.parents:
            raise OutputError(f"escrow folder {options.folder} is inside input {root}")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"escrow folder {options.folder} cannot be created ({exc.strerror})") from None
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"escrow folder {options.folder} is not a writable folder")


class _Hashing:
    """A write-only stream that hashes (SHA-256) what passes through to ``raw``."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.hash = raw, hashlib.sha256()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data)
        self.hash.update(view)
        while view:
            view = view[self.raw.write(view) or 0 :]
        return len(data)


@dataclass(frozen=True)
class SealedEscrow:
    """A sealed escrow waiting for its name: where it will be, its SHA-256, its row count."""

    path: Path
    sha256: str
    rows: int


class EscrowWriter:
    """One run's escrow file (module docstring). Use :meth:`add` per committed output, then
    :meth:`seal` and :meth:`commit`; :meth:`abort` leaves nothing behind."""

    def __init__(self, options: EscrowOptions, header: EscrowHeader) -> None:
        folder = options.folder.resolve()
        sweep_dead(folder)
        self.final = folder / escrow_name(header.run_id)
        self.tmp = temp_name_for(self.final)
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # held while the run lives: a sweeper leaves it alone
        self._file = os.fdopen(fd, "wb", buffering=0)
        self._hashing = _Hashing(cast(BinaryIO, self._file))
        self._age: AgeWriter | None = AgeWriter(cast(BinaryIO, self._hashing), options.recipients)
        self._recent: OrderedDict[bytes, None] = OrderedDict()
        self.rows = 0
        self._age.write(header.to_line())

    def add(self, mapping: FileMapping) -> None:
        """Write the rows of one committed output (repeats it still remembers are dropped)."""
        if self._age is None:
            raise ValueError("the escrow is closed")
        for row in rows_of(mapping):
            line = row.to_line()
            if row.kind != "sop_uid":
                key = hashlib.blake2b(line, digest_size=16).digest()
                if key in self._recent:
                    self._recent.move_to_end(key)
                    continue
                self._recent[key] = None
                if len(self._recent) > REMEMBERED_ROWS:
                    self._recent.popitem(last=False)
            self._age.write(line)
            self.rows += 1

    def seal(self) -> SealedEscrow:
        """Seal the age stream and sync the file; it still has its temporary name."""
        if self._age is None:
            raise ValueError("the escrow is closed")
        age, self._age = self._age, None
        age.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        return SealedEscrow(self.final, self._hashing.hash.hexdigest(), self.rows)

    def commit(self) -> Path:
        """Give the sealed file its final name (never replacing a file) and sync the folder."""
        try:
            commit(self.tmp, self.final, overwrite=False, sync_dir=False)
            fsync_dir(self.final.parent)
        finally:
            self._file.close()
        return self.final

    def abort(self) -> None:
        """Stop without a file: the stream is left unsealed and the temporary file removed."""
        if self._age is not None:
            self._age.abort()
            self._age = None
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


def sweep_dead(folder: Path) -> int:
    """Remove the temporary escrow files of writers that died (their lock is free and they have
    not changed for a minute); return how many went."""
    removed = 0
    try:
        paths = [p for p in folder.iterdir() if p.name.startswith(f".{PREFIX}") and is_temp_name(p.name)]
    except OSError:
        return 0
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if time.time() - os.fstat(fd).st_mtime > _STALE_SECONDS:
                path.unlink()
                removed += 1
        except OSError:
            pass  # locked: its writer lives
        finally:
            os.close(fd)
    return removed
