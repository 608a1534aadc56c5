"""Finding inputs: walk files and folders, never leaving an input tree through a symlink.

:func:`iter_inputs` yields every regular file under the given roots once, in a stable order,
with its path relative to its root (the only form in which an input name is ever shown to a
person, and never written into outputs or the log). Symlinks are followed only when they
resolve inside one of the input roots; a file reached twice (a hard or symbolic link) is
yielded once. What the walk cannot use is yielded as a :class:`Skipped` entry with a fixed
reason code, so it is reported and counted, not silently dropped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dcmscrub.errors import InputError
from dcmscrub.outcomes import Reason


@dataclass(frozen=True)
class InputFile:
    """A regular file to consider."""

    root: Path  # the input root it was found under (resolved)
    path: Path  # absolute path to open
    relpath: str  # POSIX path relative to the root ("" for a root that is a file: its name)
    size: int


@dataclass(frozen=True)
class Skipped:
    """Something under an input root that is not processed, and why (a fixed code)."""

    root: Path
    relpath: str
    reason: Reason  # symlink_outside | not_a_file | unreadable | loop


def resolve_roots(inputs: Sequence[Path]) -> list[Path]:
    """Absolute, resolved input roots; raises :class:`InputError` for one that does not exist."""
    roots = []
    for given in inputs:
        try:
            real = given.resolve(strict=True)
        except (FileNotFoundError, RuntimeError):
            raise InputError(
                f"input not found: {given}", hint="check the path; nothing was processed"
            ) from None
        except OSError as exc:
            raise InputError(f"input unreadable: {given} ({exc.strerror})") from None
        if not os.access(real, os.R_OK):
            raise InputError(f"input unreadable: {given} (permission denied)")
        roots.append(real)
    return roots


def is_within(path: Path, root: Path) -> bool:
    """True if ``path`` is ``root`` or below it (both resolved)."""
    return path == root or root in path.parents


def iter_inputs(roots: Sequence[Path]) -> Iterator[InputFile | Skipped]:
    """Every file under ``roots`` (resolved, see :func:`resolve_roots`), once, sorted by path."""
    seen: set[tuple[int, int]] = set()
    for root in roots:
        if root.is_file():
            st = root.stat()
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                yield InputFile(root, root, root.name, st.st_size)
            continue
        yield from _walk_dir(root, roots, seen)


def _walk_dir(root: Path, roots: Sequence[Path], seen: set[tuple[int, int]]) -> Iterator[InputFile | Skipped]:
    visited_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, rel = stack.pop()
        try:
            dst = folder.stat()
        except OSError:
            yield Skipped(root, rel or ".", Reason.UNREADABLE)
            continue
        if (dst.st_dev, dst.st_ino) in visited_dirs:
            yield Skipped(root, rel or ".", Reason.LOOP)
            continue
        visited_dirs.add((dst.st_dev, dst.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            yield Skipped(root, rel or ".", Reason.UNREADABLE)
            continue
        subdirs = []
        for entry in entries:
            child_rel = f"{rel}/{entry.name}" if rel else entry.name
            item = _classify_entry(root, roots, entry, child_rel, seen)
            if isinstance(item, Path):
                subdirs.append((item, child_rel))
            elif item is not None:
                yield item
        stack.extend(reversed(subdirs))  # depth-first, in name order


def _classify_entry(
    root: Path, roots: Sequence[Path], entry: os.DirEntry[str], rel: str, seen: set[tuple[int, int]]
) -> InputFile | Skipped | Path | None:
    path = Path(entry.path)
    try:
        if entry.is_symlink():
            target = path.resolve(strict=True)
            if not any(is_within(target, r) for r in roots):
                return Skipped(root, rel, Reason.SYMLINK_OUTSIDE)
            st = target.stat()
            path = target
        else:
            st = entry.stat(follow_symlinks=False)
    except (OSError, RuntimeError):
        return Skipped(root, rel, Reason.UNREADABLE)
    if stat.S_ISDIR(st.st_mode):
        return path
    if not stat.S_ISREG(st.st_mode):
        return Skipped(root, rel, Reason.NOT_A_FILE)
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return None  # the same file reached through another link: handled once
    seen.add(key)
    return InputFile(root, path, rel, st.st_size)
