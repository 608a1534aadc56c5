"""Whole-file encryption and decryption for the ``encrypt`` and ``decrypt`` commands.

Every output goes through :func:`~dcmscrub.atomic.atomic_output`: ciphertext or verified
plaintext is written to a hidden temporary file (mode 0600) in the target folder and renamed
only once complete, so a failure leaves neither the output nor a temporary file. For decryption
that means the final name appears only after the last chunk has authenticated.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from dcmscrub.age import Identity, Recipient, decrypt, encrypt, looks_like_age
from dcmscrub.atomic import OutputExistsError, atomic_output, is_temp_name
from dcmscrub.batch.outtree import media_relpath
from dcmscrub.batch.walk import is_within
from dcmscrub.dicomio.dicomdir import DicomdirResult
from dcmscrub.errors import DecryptError, InputError, OutputError, StorageError
from dcmscrub.outcomes import Reason, os_error_reason

__all__ = [
    "DecryptOutcome",
    "DecryptResult",
    "DecryptSummary",
    "decrypt_file",
    "decrypt_paths",
    "encrypt_file",
    "plain_name",
]

AGE_SUFFIX: Final = ".age"

DecryptOutcome = Literal["decrypted", "failed", "exists", "skipped"]


ARMOR_BEGIN: Final = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_HINT: Final = (
    "this file is ASCII-armored (age -a), which dcmscrub does not read: decrypt it with"
    " `age -d`, or ask for files written without -a"
)


def plain_name(name: str) -> str:
    """The output name for an encrypted file: a trailing ``.age`` dropped, if there is one."""
    if name.endswith(AGE_SUFFIX) and len(name) > len(AGE_SUFFIX):
        return name[: -len(AGE_SUFFIX)]
    return name


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _open_input(src: Path) -> int:
    """Check an input file can be read; map failures to :class:`InputError` (exit 66)."""
    try:
        fd = os.open(src, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError(f"{src} not found") from None
    except OSError as exc:
        raise InputError(f"{src} cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{src} is not a regular file")
    return fd


def encrypt_file(src: Path, dst: Path, recipients: Sequence[Recipient], *, overwrite: bool = False) -> int:
    """Encrypt ``src`` to ``dst`` (only ciphertext ever reaches the disk); return plaintext bytes."""
    if _same_file(src, dst):
        raise OutputError(f"{dst} is the input file", hint="choose another output name")
    fd = _open_input(src)
    try:
        with os.fdopen(fd, "rb") as fin, atomic_output(dst, overwrite=overwrite) as fout:
            return encrypt(fin, fout, recipients)
    except OutputExistsError:
        raise OutputError(f"{dst} already exists", hint="use --overwrite or choose another name") from None
    except FileNotFoundError:
        raise OutputError(f"cannot create {dst}: the folder does not exist") from None
    except PermissionError:
        raise OutputError(f"cannot create {dst} (permission denied)") from None


def _decrypt_to(src: Path, dst: Path, identities: Sequence[Identity], overwrite: bool) -> int:
    """Decrypt one file into an atomic output; :class:`DecryptError` leaves nothing behind."""
    with open(src, "rb") as fin:
        prefix = fin.read(len(ARMOR_BEGIN))
        if prefix == ARMOR_BEGIN:
            # says nothing about keys or content: only which of age's two encodings this is
            raise DecryptError("armored age file", hint=ARMOR_HINT)
        if not looks_like_age(prefix):
            raise DecryptError("not an age file")
        fin.seek(0)
        with atomic_output(dst, overwrite=overwrite, mode=0o600) as fout:
            return decrypt(fin, fout, identities)


def decrypt_file(src: Path, dst: Path, identities: Sequence[Identity], *, overwrite: bool = False) -> int:
    """Decrypt one age file to ``dst``; return plaintext bytes.

    Raises :class:`DecryptError` (named after ``src``) for a damaged or foreign file or a wrong
    key, :class:`InputError` when ``src`` cannot be read and :class:`OutputError` when ``dst``
    exists or cannot be created. On any error nothing is left at ``dst``.
    """
    if _same_file(src, dst):
        raise OutputError(f"{dst} is the input file", hint="choose another output name")
    os.close(_open_input(src))
    if not overwrite and dst.exists():
        raise OutputError(f"{dst} already exists", hint="use --overwrite or choose another name")
    try:
        return _decrypt_to(src, dst, identities, overwrite)
    except DecryptError as exc:
        exc.name_file(src.name)
        raise
    except OutputExistsError:
        raise OutputError(f"{dst} already exists", hint="use --overwrite or choose another name") from None
    except FileNotFoundError:
        raise OutputError(f"cannot create {dst}: the folder does not exist") from None
    except PermissionError:
        raise OutputError(f"cannot create {dst} (permission denied)") from None


@dataclass(frozen=True)
class DecryptResult:
    """What happened to one input file.

    ``name`` is relative to the input folder (or the file name for a file input); ``detail``
    says which check failed, for ``--debug`` only; ``size`` counts plaintext bytes written.
    """

    name: str
    outcome: DecryptOutcome
    output: Path | None = None
    detail: str | None = None
    size: int = 0
    hint: str | None = None  # only where it says more than DecryptError.HINT (an armored file)
    reason: Reason | None = None  # why it failed: decrypt_failed (key or file), or an I/O reason


@dataclass
class DecryptSummary:
    """Counts per outcome and the per-file results, in the order files were handled."""

    decrypted: int = 0
    failed: int = 0
    exists: int = 0
    skipped: int = 0
    results: list[DecryptResult] = field(default_factory=list)
    dicomdir: DicomdirResult | None = None  # what the DICOMDIR names (decrypt --dicomdir)

    @property
    def ok(self) -> bool:
        """True when no file failed (existing outputs and skipped links are not failures)."""
        return self.failed == 0

    def add(self, result: DecryptResult) -> None:
        """Record ``result`` and count it."""
        self.results.append(result)
        setattr(self, result.outcome, getattr(self, result.outcome) + 1)


@dataclass(frozen=True)
class _Job:
    src: Path
    dst: Path
    name: str
    skip_reason: str | None = None


def _walk_folder(root: Path, out_dir: Path, media: bool) -> Iterator[_Job]:
    """Every file under ``root``, sorted, without following symbolic links out of the tree.

    Hidden folders are not entered: they hold tool state, not data (an output tree keeps its
    lock and id in ``.dcmscrub/``, see outtree.py).
    """
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file_name in sorted(files):
            src = Path(folder, file_name)
            rel = src.relative_to(root)
            name = rel.as_posix()
            dst = out_dir / rel.parent / plain_name(file_name)
            if media:
                dst = out_dir / media_relpath(name)
            if is_temp_name(file_name):
                yield _Job(src, dst, name, "temporary file of an interrupted write")
            elif src.is_symlink() and not (is_within(src.resolve(), real_root) and src.resolve().is_file()):
                yield _Job(src, dst, name, "symbolic link out of the tree")
            elif not src.is_file():
                yield _Job(src, dst, name, "not a regular file")
            else:
                yield _Job(src, dst, name)


def _plan(inputs: Sequence[Path], out_dir: Path, media: bool) -> Iterator[_Job]:
    for path in inputs:
        dst = out_dir / (media_relpath(path.name) if media else plain_name(path.name))
        if path.is_dir():
            yield from _walk_folder(path, out_dir, media)
        elif not path.is_file():
            yield _Job(path, dst, path.name, "not a regular file")
        else:
            yield _Job(path, dst, path.name)


def _check_paths(inputs: Sequence[Path], out_dir: Path) -> None:
    if not inputs:
        raise InputError("no input given")
    real_out = out_dir.resolve()
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path} not found")
        if path.is_dir() and is_within(real_out, path.resolve()):
            raise OutputError(
                f"the output folder {out_dir} is inside the input folder {path}",
                hint="choose an output folder outside every input",
            )
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"the output {out_dir} is not a folder")


def _run_job(
    job: _Job, identities: Sequence[Identity], overwrite: bool, taken: set[Path], folders: _Folders
) -> DecryptResult:
    if job.skip_reason is not None:
        return DecryptResult(job.name, "skipped", detail=job.skip_reason)
    if _same_file(job.src, job.dst):
        return DecryptResult(job.name, "failed", detail="the output would replace the input")
    key = job.dst.resolve()
    if key in taken:
        return DecryptResult(
            job.name, "failed", detail="the output name is taken by another file of this run"
        )
    taken.add(key)
    if not overwrite and job.dst.exists():
        return DecryptResult(job.name, "exists", output=job.dst)
    try:
        folders.make(job.dst.parent)
        size = _decrypt_to(job.src, job.dst, identities, overwrite)
    except DecryptError as exc:
        hint = exc.hint if exc.hint != DecryptError.HINT else None
        return DecryptResult(job.name, "failed", detail=exc.reason, hint=hint, reason=Reason.DECRYPT_FAILED)
    except OutputExistsError:
        return DecryptResult(job.name, "exists", output=job.dst)
    except OSError as exc:
        # an I/O error is not "wrong key": it is said as what it is (a full disk stops the run)
        detail = f"i/o error: {exc.strerror or type(exc).__name__}"
        return DecryptResult(job.name, "failed", detail=detail, reason=os_error_reason(exc))
    return DecryptResult(job.name, "decrypted", output=job.dst, size=size)


def decrypt_paths(
    inputs: Sequence[Path],
    out_dir: Path,
    identities: Sequence[Identity],
    *,
    overwrite: bool = False,
    on_result: Callable[[DecryptResult], None] | None = None,
    media: bool = False,
) -> DecryptSummary:
    """Decrypt files and folders of files into ``out_dir``; one bad file does not stop the rest.

    A file input becomes ``out_dir/<name without .age>``; a folder input keeps its layout under
    ``out_dir``; hidden folders inside it (tool state such as ``.dcmscrub/``) are not entered.
    Each output appears only once its last chunk authenticated. Files in a folder that are not
    age files count as failed. A folder made for an output that then failed is removed again, so
    a wrong key leaves no empty folders. With ``media``, outputs get PS3.10 file IDs
    (:func:`~dcmscrub.batch.outtree.media_relpath`). A full output disk stops the run
    (:class:`StorageError`, 74) after the file that hit it was reported to ``on_result``. Raises
    :class:`InputError` for a missing input and :class:`OutputError` for an ``out_dir`` inside an
    input folder, before any work.
    """
    _check_paths(inputs, out_dir)
    folders = _Folders()
    try:
        folders.make(out_dir)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out_dir} ({exc.strerror})") from None
    summary = DecryptSummary()
    taken: set[Path] = set()
    try:
        for job in _plan(inputs, out_dir, media):
            result = _run_job(job, identities, overwrite, taken, folders)
            summary.add(result)
            if on_result is not None:
                on_result(result)
            if result.reason == Reason.DISK_FULL:
                raise StorageError(
                    f"the output disk is full; decrypt stopped at {result.name}",
                    hint="free space, then run again (files already decrypted are kept)",
                )
    finally:
        folders.remove_empty()
    return summary


class _Folders:
    """The folders a decrypt made (mode 0700), so that those left empty can go again."""

    def __init__(self) -> None:
        self.made: list[Path] = []

    def make(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir(mode=0o700, exist_ok=True)
            self.made.append(path)

    def remove_empty(self) -> None:
        for path in sorted(self.made, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                path.rmdir()  # only an empty folder goes
