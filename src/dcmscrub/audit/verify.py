"""Checking the audit log: ``dcmscrub log verify`` (and the line reader of ``log show``).

:func:`verify_log` streams the log file(s) once (:mod:`dcmscrub.audit.checks` holds the checks),
and lists every problem it finds, not only the first: canonical form, ``seq`` continuity, the
``prev`` chain (across rotated files too), run start/end pairing, ``run_end`` counts against the
run's file records, signed checkpoints, optionally the anchors (:mod:`dcmscrub.audit.anchor`) and
that an output tree holds exactly the files the log recorded (crypto-audit.md section 4.5).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dcmscrub.audit.anchor import check_anchors, read_anchors
from dcmscrub.audit.checks import MAX_PROBLEMS, Problem, Verifier
from dcmscrub.audit.line import LOG_OPEN_EVENT, MAX_LINE_BYTES
from dcmscrub.audit.outputs import read_root_id, survey_output_tree
from dcmscrub.audit.placement import errno_name
from dcmscrub.errors import UsageError

__all__ = ["VerifyResult", "find_earlier_files", "log_lines", "verify_log"]

_MAX_CHAIN: Final = 100_000  # rotated files followed back at most


@dataclass
class VerifyResult:
    """The answer of :func:`verify_log`. ``problems`` lists every problem found (at most
    :data:`~dcmscrub.audit.checks.MAX_PROBLEMS`; ``problem_count`` counts them all), each
    ``{"file", "seq", "problem"}`` with a fixed sentence without values (``seq`` None when no
    record is at fault, e.g. an output file that no record lists). ``first_bad_seq``,
    ``problem`` and ``first_bad_file`` repeat the first of them (the shape of earlier versions).
    ``files`` are the files verified, oldest first (earlier rotated files found beside the log
    included)."""

    ok: bool
    lines: int
    runs: int
    first_bad_seq: int | None = None
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)
    first_bad_file: str | None = None
    problems: list[dict[str, object]] = field(default_factory=list)
    problem_count: int = 0
    files: list[str] = field(default_factory=list, compare=False)
    # with check_outputs: how many recorded outputs were checked, and every difference by name
    outputs_checked: int | None = None
    outputs_missing: list[str] = field(default_factory=list)
    outputs_changed: list[str] = field(default_factory=list)
    outputs_extra: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every field."""
        return asdict(self)

    def to_json(self) -> str:
        """One JSON object (sorted keys) for ``log verify --json``."""
        return json.dumps(self.to_dict(), sort_keys=True)


def log_lines(path: Path) -> Iterator[bytes]:
    """The raw lines of one log file, each with its "\\n" (the last may lack it), bounded in length."""
    try:
        with path.open("rb") as fh:
            while raw := fh.readline(MAX_LINE_BYTES + 1):
                yield raw
    except OSError as exc:
        raise UsageError(
            f"audit log {path}: cannot be read",
            hint="check the path and its permissions",
            detail=errno_name(exc),
        ) from exc


def _first_line(path: Path) -> bytes | None:
    return next(log_lines(path), None)


def _log_open(first: bytes | None) -> dict[str, object] | None:
    if not first:
        return None
    try:
        rec = json.loads(first)
    except (ValueError, RecursionError):
        return None
    return rec if isinstance(rec, dict) and rec.get("event") == LOG_OPEN_EVENT else None


def find_earlier_files(path: Path) -> list[Path]:
    """The earlier files of a rotated log, oldest first, found beside ``path`` by the names its
    ``log_open`` records give (``prev_file``), as far back as they are there."""
    found: list[Path] = []
    current = path
    for _ in range(_MAX_CHAIN):
        rec = _log_open(_first_line(current))
        name = rec.get("prev_file") if rec is not None else None
        if not isinstance(name, str) or "/" in name or name in ("", ".", ".."):
            break
        earlier = current.with_name(name)
        if not earlier.is_file() or earlier in found or earlier == path:
            break
        found.append(earlier)
        current = earlier
    return found[::-1]


def verify_log(
    paths: Sequence[Path],
    *,
    public_keys: Sequence[Ed25519PublicKey] = (),
    check_outputs: Path | None = None,
    anchors: Sequence[str] = (),
    earlier: bool = True,
) -> VerifyResult:
    """Verify one log, or rotated files given oldest first, in one streaming pass.

    With ``earlier`` (the default) the earlier files of a rotated log are found beside the first
    file given (:func:`find_earlier_files`) and verified first: ``log verify audit.jsonl`` checks
    the whole chain. Without them (archived elsewhere) only the given files are checked and a
    warning says so.

    Checks, going on after a problem (every problem is listed): every line is canonical JSON
    with ``v`` 1; ``seq`` runs 0, 1, 2, ... in each file; ``prev`` chains every line to the one
    before (across files too); ``file`` records fall inside a started run; every ``run_end`` has
    a ``run_start`` and ``counts`` equal to its file records tallied by ``outcome`` plus
    ``total``; checkpoints match their line; with ``public_keys``, every ``run_end`` and seal is
    signed by one of them. A run that never ended is a warning, never a problem (it may be alive
    and quiet; its run mark beside the log tells when it can be seen: see
    :meth:`~dcmscrub.audit.checks.Verifier.finish`). A broken link between two lines is reported
    at the earlier line (the one whose bytes no longer match the next ``prev``). With ``anchors``
    (``journal`` or files holding anchor lines), the log must hold every checkpoint an anchor
    recorded for it (:func:`~dcmscrub.audit.anchor.check_anchors`). With ``check_outputs``, every
    regular file under it (except ``.dcmscrub/`` and temp files) must be the latest ``written``
    output recorded by a run whose ``output_root_id`` is the folder's ``.dcmscrub/root-id``,
    with that SHA-256, and every such output must exist.

    Raises :class:`UsageError` (exit 2, as ``log verify`` promises for I/O errors) when a log,
    an anchor source or the output folder cannot be read.
    """
    files = list(paths)
    if earlier and files:
        files = [*find_earlier_files(files[0]), *files]
    root_id: str | None = None
    if check_outputs is not None:
        if not check_outputs.is_dir():
            raise UsageError("the output folder to check is not a folder", hint="give the output root")
        root_id = read_root_id(check_outputs)
    state = Verifier(public_keys, root_id, files)
    generations: dict[int, int] = {}
    for fi, path in enumerate(files):
        state.start_file(fi, _first_line(path), joined=fi > 0 or _log_open(_first_line(path)) is None)
        generations.setdefault(state.generation, fi)
        for index, raw in enumerate(log_lines(path)):
            state.line(fi, index, raw)
    state.finish()
    for source in anchors:
        check_anchors(read_anchors(source), state, generations)
    if check_outputs is not None:
        if root_id is None:
            state.problem(Problem(0, None, "the output folder has no readable .dcmscrub/root-id"))
        else:
            if not state.outputs:
                state.warnings.append("no run in the log wrote a file to this output folder")
            survey = survey_output_tree(check_outputs, state.outputs)
            for found in survey.problems:
                state.problem(Problem(found.file_index, found.seq, found.problem))
            result = _result(state, files)
            result.outputs_checked = survey.checked
            result.outputs_missing, result.outputs_changed = survey.missing, survey.changed
            result.outputs_extra = survey.extra
            return result
    return _result(state, files)


def _result(state: Verifier, files: Sequence[Path]) -> VerifyResult:
    problems = sorted(state.problems, key=lambda p: (p.file_index, p.seq is None, p.seq or 0))[:MAX_PROBLEMS]
    first = problems[0] if problems else None
    return VerifyResult(
        ok=not problems,
        lines=state.lines,
        runs=state.runs,
        first_bad_seq=None if first is None else first.seq,
        problem=None if first is None else first.problem,
        warnings=state.warnings,
        first_bad_file=None if first is None or first.seq is None else str(files[first.file_index]),
        problems=[
            {"file": str(files[p.file_index]) if files else None, "seq": p.seq, "problem": p.problem}
            for p in problems
        ],
        problem_count=state.problem_count,
        files=[str(f) for f in files],
    )
