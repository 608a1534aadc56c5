"""``log verify --check-outputs``: does an output tree hold exactly the files the log recorded?"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dcmscrub.atomic import is_temp_name
from dcmscrub.errors import UsageError

STATE_DIR = ".dcmscrub"  # the output tree's own folder (lock, root id): not an output
DICOMDIR = "DICOMDIR"  # scrub --no-encrypt --dicomdir writes one at the root


@dataclass(frozen=True)
class OutputProblem:
    """A mismatch between the log and the tree; ``seq`` is None when no record is at fault."""

    file_index: int
    seq: int | None
    problem: str


def read_root_id(root: Path) -> str | None:
    # the runner names the tree with an empty folder .dcmscrub/root-<id> (no file: a finished
    # run leaves only DICOM files in its output tree); a root-id file is read too
    state = root / STATE_DIR
    try:
        named = sorted(p.name[5:] for p in state.iterdir() if p.name.startswith("root-") and p.is_dir())
    except OSError:
        named = []
    if len(named) == 1 and named[0]:
        return named[0]
    id_file = state / "root-id"
    try:
        if not stat.S_ISREG(os.lstat(id_file).st_mode):
            return None
        text = id_file.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def _file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _walk_outputs(root: Path) -> Iterator[tuple[str, Path | None]]:
    """``(relative POSIX path, path)`` of every file under ``root`` except ``.dcmscrub/``, temp
    files and the ``DICOMDIR`` at the root (an index of the outputs made from them, not an output);
    the path is None for a link or anything that is not a regular file."""

    def fail(_exc: OSError) -> None:
        raise UsageError("the output folder to check cannot be read completely", hint="check its permissions")

    for dirpath, dirnames, filenames in os.walk(root, onerror=fail):
        here = Path(dirpath)
        if here == root and STATE_DIR in dirnames:
            dirnames.remove(STATE_DIR)
        for name in [*dirnames, *filenames]:
            full = here / name
            mode = os.lstat(full).st_mode
            rel = full.relative_to(root).as_posix()
            if stat.S_ISDIR(mode):
                continue
            if stat.S_ISREG(mode):
                if not is_temp_name(name) and rel != DICOMDIR:
                    yield rel, full
            else:
                yield rel, None  # symlinks (also to folders: os.walk lists them but does not enter them)


@dataclass
class OutputSurvey:
    """Everything --check-outputs found: the recorded outputs checked, and by name those missing,
    changed, and the files (links, special files) in the tree that no record names."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    problems: list[OutputProblem] = field(default_factory=list)  # record problems first, then extras


def survey_output_tree(root: Path, outputs: Mapping[str, tuple[str, int, int]]) -> OutputSurvey:
    """Compare the recorded outputs (``output -> (sha256, file index, seq)``) with the files under
    ``root``: every difference, not only the first."""
    survey = OutputSurvey(checked=len(outputs))
    seen: set[str] = set()
    record_problems: list[OutputProblem] = []
    unrecorded: list[OutputProblem] = []
    for rel, full in _walk_outputs(root):
        if full is None:
            survey.extra.append(rel)
            unrecorded.append(
                OutputProblem(0, None, f"the output folder holds a link or special file: {rel}")
            )
            continue
        recorded = outputs.get(rel)
        if recorded is None:
            survey.extra.append(rel)
            unrecorded.append(OutputProblem(0, None, f"output file not recorded: {rel}"))
            continue
        seen.add(rel)
        digest, fi, seq = recorded
        try:
            actual = _file_sha256(full)
        except OSError as exc:
            raise UsageError("an output file cannot be read", hint="check its permissions") from exc
        if actual != digest:
            survey.changed.append(rel)
            record_problems.append(OutputProblem(fi, seq, f"output file changed: {rel}"))
    for rel, (_digest, fi, seq) in outputs.items():
        if rel not in seen:
            survey.missing.append(rel)
            record_problems.append(OutputProblem(fi, seq, f"recorded output file is missing: {rel}"))
    record_problems.sort(key=lambda bad: (bad.file_index, bad.seq or 0))
    survey.problems = record_problems + sorted(unrecorded, key=lambda bad: bad.problem)
    return survey


def check_output_tree(root: Path, outputs: Mapping[str, tuple[str, int, int]]) -> list[OutputProblem]:
    """Every problem between the recorded outputs (``output -> (sha256, file index, seq)``) and
    the files under ``root``: records at fault first (in log order), then files no record names."""
    return survey_output_tree(root, outputs).problems
