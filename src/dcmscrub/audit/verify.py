"""Checking the audit log: ``dcmscrub log verify`` and ``dcmscrub log show``.

:func:`verify_log` streams the log file(s) once, keeping state per open run only, and checks
canonical form, ``seq`` continuity, the ``prev`` chain (across rotated files too), run start/end
pairing, ``run_end`` counts against the run's file records, signed checkpoints, and optionally that
an output tree holds exactly the files the log recorded (crypto-audit.md section 4.5). The line
format and the checkpoint construction are described in :mod:`dcmscrub.audit`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dcmscrub.audit.access import ACCESS_EVENTS, ESCROW_EVENT, access_record_problem, declared_escrow
from dcmscrub.audit.journal import probe_run
from dcmscrub.audit.line import (
    ABANDONED_EVENT,
    AUDIT_VERSION,
    COMMON_KEYS,
    EVENT_RE,
    GENESIS_PREV,
    HEX64_RE,
    MAX_LINE_BYTES,
    REPAIR_EVENT,
    SIGNATURE_KEYS,
    TS_RE,
    audit_key_fingerprint,
    canonical_line,
    checkpoint_head,
    checkpoint_message,
    sha256_hex,
)
from dcmscrub.audit.outputs import check_output_tree, read_root_id
from dcmscrub.audit.placement import errno_name
from dcmscrub.audit.records import RunStatus, status_agrees
from dcmscrub.errors import UsageError

__all__ = ["VerifyResult", "log_lines", "verify_log"]

# ------------------------------------------------------------------------------------ verification


@dataclass
class VerifyResult:
    """The answer of :func:`verify_log`. ``problem`` is a fixed sentence without values;
    ``first_bad_seq`` is the seq of the first bad record within ``first_bad_file`` (None when the
    problem has no record, e.g. an output file that no record lists)."""

    ok: bool
    lines: int
    runs: int
    first_bad_seq: int | None = None
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)
    first_bad_file: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every field."""
        return asdict(self)

    def to_json(self) -> str:
        """One JSON object (sorted keys) for ``log verify --json``."""
        return json.dumps(self.to_dict(), sort_keys=True)


class _Bad(Exception):
    def __init__(self, file_index: int, seq: int | None, problem: str) -> None:
        super().__init__(problem)
        self.file_index = file_index
        self.seq = seq
        self.problem = problem


@dataclass
class _OpenRun:
    file_index: int
    start_seq: int
    last_pos: int
    output_root_id: object
    escrow: object = None  # the escrow recipients its run_start declared (None: no escrow)
    escrowed: bool = False
    tally: Counter[str] = field(default_factory=Counter)


def _reject_constant(_name: str) -> object:
    raise ValueError("NaN and infinities are not JSON")


def _parse_canonical(line: bytes) -> dict[str, Any] | None:
    """The record on ``line`` (without "\\n") if it is an object in exact canonical form."""
    try:
        obj = json.loads(line.decode("ascii"), parse_constant=_reject_constant)
        if not isinstance(obj, dict) or canonical_line(obj)[:-1] != line:
            return None
    except (UnicodeDecodeError, ValueError, TypeError, RecursionError):
        return None
    return obj


def _common_problem(rec: Mapping[str, Any]) -> str | None:
    if not rec.keys() >= COMMON_KEYS:
        return "line lacks a common field (v seq ts event run_id prev)"
    if type(rec["v"]) is not int or rec["v"] != AUDIT_VERSION:
        return "unsupported record version"
    if type(rec["seq"]) is not int or rec["seq"] < 0:
        return "seq is not a whole number"
    if not isinstance(rec["ts"], str) or not TS_RE.fullmatch(rec["ts"]):
        return "ts is not UTC RFC 3339 with microseconds"
    if not isinstance(rec["event"], str) or not EVENT_RE.fullmatch(rec["event"]):
        return "event is not a valid name"
    if not isinstance(rec["run_id"], str) or not rec["run_id"]:
        return "run_id is not a string"
    if not isinstance(rec["prev"], str) or not HEX64_RE.fullmatch(rec["prev"]):
        return "prev is not a SHA-256 hex digest"
    return None


def _decode_signature(text: object) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    # canonical base64 only: otherwise the unused low bits of the last character could change freely
    if len(raw) != 64 or base64.b64encode(raw).decode("ascii") != text:
        return None
    return raw


class _Verifier:
    """State of one streaming pass: per open run, never per line."""

    def __init__(
        self, public_keys: Sequence[Ed25519PublicKey], root_id: str | None, logs: Sequence[Path] = ()
    ) -> None:
        self.logs = logs  # whose run marks tell a live run from a dead one (dcmscrub.runmarks)
        self.keys = {audit_key_fingerprint(k): k for k in public_keys}
        self.root_id = root_id
        self.lines = 0
        self.runs = 0
        self.pos = -1  # global line position across files
        self.prev_hash = GENESIS_PREV
        self.prev_loc: tuple[int, int] | None = None  # (file index, seq) of the previous line
        self.open: dict[str, _OpenRun] = {}
        self.last_repair_pos = -1
        self.closed_tail_pos = -1  # last line whose run is not open (or that belongs to no run)
        self.signed_unchecked = 0
        self.unsigned = 0
        self.warnings: list[str] = []
        self.outputs: dict[str, tuple[str, int, int]] = {}  # output -> (sha256, file index, seq)

    # -- one line

    def line(self, fi: int, index: int, raw: bytes) -> None:
        self.pos += 1
        if not raw.endswith(b"\n"):
            if len(raw) > MAX_LINE_BYTES:
                raise _Bad(fi, index, "line is too long")
            raise _Bad(fi, index, "the last line is incomplete (a torn write that no append has repaired)")
        line = raw[:-1]
        rec = _parse_canonical(line)
        if rec is None:
            raise _Bad(fi, index, "line is not canonical JSON")
        problem = _common_problem(rec)
        if problem is not None:
            raise _Bad(fi, index, problem)
        self._chain(fi, index, rec)
        self.prev_hash = sha256_hex(line)
        self.prev_loc = (fi, index)
        self.lines += 1
        self._event(fi, index, rec)

    def _chain(self, fi: int, index: int, rec: Mapping[str, Any]) -> None:
        seq, prev_ok = rec["seq"], rec["prev"] == self.prev_hash
        if seq != index:
            if seq == index - 1 and not prev_ok:
                # this line repeats the previous line's seq and does not chain to it: that line was inserted
                raise _Bad(fi, index - 1, f"seq {index - 1} appears twice (a line was inserted)")
            if index == 0:
                raise _Bad(fi, 0, f"the first line of a file has seq {seq}, not 0")
            raise _Bad(fi, index, f"seq {seq} follows {index - 1}")
        if prev_ok:
            return
        # the previous line changed, or this line's prev did: report the earlier of the two
        if self.prev_loc is None:
            raise _Bad(fi, index, "the first line's prev is not 64 zeros")
        pfi, pseq = self.prev_loc
        if pfi != fi:
            raise _Bad(pfi, pseq, "the next file's first line does not chain to this line")
        raise _Bad(fi, pseq, "the next line's prev does not match this line")

    def _event(self, fi: int, seq: int, rec: Mapping[str, Any]) -> None:
        event, run_id = rec["event"], rec["run_id"]
        has_sig = not SIGNATURE_KEYS.isdisjoint(rec)
        if has_sig and event != "run_end":
            raise _Bad(fi, seq, "signature fields on a record that is not run_end")
        run = self.open.get(run_id)
        if event == "run_start":
            if run is not None:
                raise _Bad(fi, seq, "run_start repeats a run that has not ended")
            self.open[run_id] = _OpenRun(fi, seq, self.pos, rec.get("output_root_id"), declared_escrow(rec))
            self.runs += 1
            return
        if event == "file":
            if run is None:
                raise _Bad(fi, seq, "file record without a run_start of its run before it")
            self._file(fi, seq, rec, run)
            run.last_pos = self.pos
            return
        if event == "run_end":
            self._signature(fi, seq, rec, has_sig)
            if run is None:
                raise _Bad(fi, seq, "run_end without run_start")
            self._counts(fi, seq, rec, run)
            del self.open[run_id]
            self.closed_tail_pos = self.pos
            return
        self._other(fi, seq, rec, run)
        if run is None:
            self.closed_tail_pos = self.pos
        else:
            run.last_pos = self.pos

    def _other(self, fi: int, seq: int, rec: Mapping[str, Any], run: _OpenRun | None) -> None:
        event = rec["event"]
        if event == ABANDONED_EVENT:
            self._abandoned(fi, seq, rec)
        if event in ACCESS_EVENTS or event == ESCROW_EVENT:  # see dcmscrub.audit.access
            problem = access_record_problem(rec, None if run is None else (run.escrow, run.escrowed))
            if problem is not None:
                raise _Bad(fi, seq, problem)
            if run is not None:
                run.escrowed = True  # the one escrow record a run may have
        if event == REPAIR_EVENT:
            dropped = rec.get("dropped_bytes")
            if type(dropped) is not int or dropped <= 0:
                raise _Bad(fi, seq, "repair record without a positive dropped_bytes")
            self.last_repair_pos = self.pos
            self.warnings.append(f"a torn line ({dropped} bytes) was dropped and repaired at seq {seq}")

    def _abandoned(self, fi: int, seq: int, rec: Mapping[str, Any]) -> None:
        """A later run found this run's process dead (see :mod:`dcmscrub.runmarks`) and closed it."""
        if rec["run_id"] not in self.open:
            raise _Bad(fi, seq, "run_abandoned outside a started run")
        dead = rec.get("abandoned_run")
        if not isinstance(dead, str) or dead == rec["run_id"]:
            raise _Bad(fi, seq, "run_abandoned without a valid abandoned_run")
        run = self.open.pop(dead, None)
        if run is None:  # its run_end made it, its mark did not go: nothing left to close
            self.warnings.append(f"run_abandoned at seq {seq} names a run that is not open")
            return
        self.warnings.append(
            f"run starting at seq {run.start_seq} was interrupted (its process died);"
            f" recorded as abandoned at seq {seq}"
        )

    def _file(self, fi: int, seq: int, rec: Mapping[str, Any], run: _OpenRun) -> None:
        outcome = rec.get("outcome")
        if not isinstance(outcome, str) or outcome == "total":
            raise _Bad(fi, seq, "file record without a valid outcome")
        run.tally[outcome] += 1
        if self.root_id is None or run.output_root_id != self.root_id or outcome != "written":
            return
        output, digest = rec.get("output"), rec.get("output_sha256")
        if not isinstance(output, str) or not isinstance(digest, str) or not HEX64_RE.fullmatch(digest):
            raise _Bad(fi, seq, "written file record without output or output_sha256")
        self.outputs[output] = (digest, fi, seq)  # the latest record of an output wins

    def _counts(self, fi: int, seq: int, rec: Mapping[str, Any], run: _OpenRun) -> None:
        counts = rec.get("counts")
        expected = {**run.tally, "total": sum(run.tally.values())}
        if (
            not isinstance(counts, dict)
            or any(type(n) is not int for n in counts.values())
            or counts != expected
        ):
            raise _Bad(fi, seq, "run_end counts do not match its file records")
        if not status_agrees(rec.get("status"), rec.get("exit_code"), expected):
            raise _Bad(fi, seq, "run_end status and exit code do not agree with its counts")
        if run.escrow is not None and not run.escrowed and rec.get("status") != RunStatus.FAILED:
            raise _Bad(fi, seq, "run_end of a run that declared an escrow, without its escrow record")

    def _signature(self, fi: int, seq: int, rec: Mapping[str, Any], has_sig: bool) -> None:
        if not has_sig:
            if self.keys:
                raise _Bad(fi, seq, "run_end is not signed")
            self.unsigned += 1
            return
        if not rec.keys() >= SIGNATURE_KEYS:
            raise _Bad(fi, seq, "run_end has incomplete signature fields")
        if rec["sig_alg"] != "ed25519":
            raise _Bad(fi, seq, "unsupported signature algorithm")
        checkpoint = rec["checkpoint"]
        if not isinstance(checkpoint, dict) or checkpoint.keys() != {"seq", "head"}:
            raise _Bad(fi, seq, "malformed checkpoint")
        if type(checkpoint["seq"]) is not int or checkpoint["seq"] != rec["seq"]:
            raise _Bad(fi, seq, "checkpoint seq does not match the line")
        if checkpoint["head"] != checkpoint_head(rec):
            raise _Bad(fi, seq, "checkpoint head does not match the line")
        signature = _decode_signature(rec["sig"])
        if signature is None:
            raise _Bad(fi, seq, "bad signature")
        if not self.keys:
            self.signed_unchecked += 1
            return
        key = self.keys.get(rec["key"]) if isinstance(rec["key"], str) else None
        if key is None:
            raise _Bad(fi, seq, "run_end is signed by a key that is not among the given public keys")
        try:
            key.verify(signature, checkpoint_message(checkpoint["head"]))
        except InvalidSignature:
            raise _Bad(fi, seq, "bad signature") from None

    # -- end of the log

    def _probe(self, run_id: str) -> bool | None:
        """True/False when a mark beside one of the logs shows the run alive/dead, else None."""
        found = None
        for log in self.logs:
            alive = probe_run(log, run_id)
            if alive:
                return True
            found = found if alive is None else alive
        return found

    def finish(self) -> None:
        """Pairing of runs that never ended (documented in :func:`verify_log`)."""
        for run_id, run in self.open.items():
            alive = self._probe(run_id)
            if alive:
                self.warnings.append(
                    f"run starting at seq {run.start_seq} has no run_end yet: its process is still running"
                )
            elif alive is not None:
                self.warnings.append(
                    f"run starting at seq {run.start_seq} was interrupted (its process died);"
                    " the next run that writes to this log records it as abandoned"
                )
            elif self.last_repair_pos > run.last_pos:
                self.warnings.append(f"run starting at seq {run.start_seq} never ended (crashed or killed)")
            elif self.closed_tail_pos < run.last_pos:
                self.warnings.append(
                    f"run starting at seq {run.start_seq} has no run_end yet (it may still be running)"
                )
            else:
                raise _Bad(run.file_index, run.start_seq, "run_start without run_end")
        if self.signed_unchecked:
            self.warnings.append(
                f"{self.signed_unchecked} signed run_end record(s) found but no public key was given:"
                " signatures were not checked"
            )
        if self.unsigned:
            self.warnings.append(f"{self.unsigned} run_end record(s) are not signed")


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


def verify_log(
    paths: Sequence[Path],
    *,
    public_keys: Sequence[Ed25519PublicKey] = (),
    check_outputs: Path | None = None,
) -> VerifyResult:
    """Verify one log, or rotated files given oldest first, in one streaming pass.

    Checks, stopping at the first problem: every line is canonical JSON with ``v`` 1; ``seq`` runs
    0, 1, 2, ... in each file; ``prev`` chains every line to the one before (across files too);
    ``file`` records fall inside a started run; every ``run_end`` has a ``run_start`` and ``counts``
    equal to its file records tallied by ``outcome`` plus ``total``; checkpoints match their line;
    with ``public_keys``, every ``run_end`` is signed by one of them. A run that never ended is a
    warning when its run mark beside the log (:mod:`dcmscrub.runmarks`) shows its process still
    running, or dead and not yet recorded as abandoned; without a mark, a warning when a
    ``repair`` record follows its last record ("crashed or killed") or when no record of a run
    that is not still open follows its last record ("may still be running"), and an error
    otherwise. A broken link between two lines is reported at the earlier line (the one
    whose bytes no longer match the next ``prev``). Then, with ``check_outputs``, every regular file
    under it (except ``.dcmscrub/`` and temp files) must be the latest ``written`` output recorded by
    a run whose ``output_root_id`` is the folder's ``.dcmscrub/root-id``, with that SHA-256, and
    every such output must exist.

    Raises :class:`UsageError` (exit 2, as ``log verify`` promises for I/O errors) when a log or
    the output folder cannot be read.
    """
    root_id: str | None = None
    if check_outputs is not None:
        if not check_outputs.is_dir():
            raise UsageError("the output folder to check is not a folder", hint="give the output root")
        root_id = read_root_id(check_outputs)
    state = _Verifier(public_keys, root_id, paths)

    def result(bad: _Bad | None) -> VerifyResult:
        return VerifyResult(
            ok=bad is None,
            lines=state.lines,
            runs=state.runs,
            first_bad_seq=None if bad is None else bad.seq,
            problem=None if bad is None else bad.problem,
            warnings=state.warnings,
            first_bad_file=None if bad is None or bad.seq is None else str(paths[bad.file_index]),
        )

    try:
        for fi, path in enumerate(paths):
            for index, raw in enumerate(log_lines(path)):
                state.line(fi, index, raw)
        state.finish()
    except _Bad as bad:
        return result(bad)
    if check_outputs is not None:
        if root_id is None:
            return result(_Bad(0, None, "the output folder has no readable .dcmscrub/root-id"))
        if not state.outputs:
            state.warnings.append("no run in the log wrote a file to this output folder")
        found = check_output_tree(check_outputs, state.outputs)
        return result(None if found is None else _Bad(found.file_index, found.seq, found.problem))
    return result(None)
