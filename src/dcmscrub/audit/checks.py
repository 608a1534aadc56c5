"""The line-by-line checks of ``log verify`` (:func:`dcmscrub.audit.verify.verify_log` drives them).

One streaming pass keeps state per open run only. A problem does not stop the pass: it is
recorded with its place and the checks go on from what the log holds after it (the chain is
followed from the bad line's own bytes, ``seq`` from its own number), so one bad record never
hides a later one and one cause is reported once (a deleted line breaks both ``seq`` and ``prev``
of the line after it: one problem).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dcmscrub.audit.access import ACCESS_EVENTS, ESCROW_EVENT, access_record_problem, declared_escrow
from dcmscrub.audit.journal import probe_run
from dcmscrub.audit.line import (
    ABANDONED_EVENT,
    GENESIS_PREV,
    HEX64_RE,
    LOG_OPEN_EVENT,
    MAX_LINE_BYTES,
    REPAIR_EVENT,
    SEALED_EVENT,
    SIGNATURE_KEYS,
    SIGNED_EVENTS,
    audit_key_fingerprint,
    checkpoint_head,
    checkpoint_message,
    common_problem,
    decode_signature,
    parse_canonical,
    sha256_hex,
)
from dcmscrub.audit.records import RunStatus, status_agrees

MAX_PROBLEMS: Final = 1000  # kept in full; more are counted only


@dataclass(frozen=True)
class Problem:
    """One thing wrong: a fixed sentence without values, at ``seq`` of ``file_index`` (None
    when no record is at fault)."""

    file_index: int
    seq: int | None
    problem: str


class _Bad(Exception):
    def __init__(self, file_index: int, seq: int | None, problem: str) -> None:
        super().__init__(problem)
        self.found = Problem(file_index, seq, problem)


@dataclass
class _OpenRun:
    file_index: int
    start_seq: int
    last_pos: int
    output_root_id: object
    tally: Counter[str] = field(default_factory=Counter)
    counted: bool = True  # False for a run that began in an earlier file not given (its tally is partial)
    escrow: object = None  # the escrow recipients its run_start declared (None: no escrow)
    escrowed: bool = False


@dataclass(frozen=True)
class Checkpoint:
    """Where a line lies in the chain (for the anchors): generation of its file, seq, its hash."""

    generation: int
    seq: int
    line_sha256: str


class Verifier:
    """State of one streaming pass: per open run, never per line (module docstring)."""

    def __init__(
        self, public_keys: Sequence[Ed25519PublicKey], root_id: str | None, logs: Sequence[Path] = ()
    ) -> None:
        self.logs = logs  # whose run marks tell a live run from a dead one (dcmscrub.audit.journal)
        self.keys = {audit_key_fingerprint(k): k for k in public_keys}
        self.root_id = root_id
        self.lines = 0
        self.runs = 0
        self.pos = -1  # global line position across files
        self.prev_hash = GENESIS_PREV
        self.prev_loc: tuple[int, int] | None = None  # (file index, seq) of the previous line
        self.seq_shift = 0  # seq minus line index, once a problem made them differ
        self.resync = False  # the previous line could not be read: adopt this line's seq and prev
        self.open: dict[str, _OpenRun] = {}
        self.last_repair_pos = -1
        self.closed_tail_pos = -1  # last line whose run is not open (or that belongs to no run)
        self.signed_unchecked = 0
        self.unsigned = 0
        self.warnings: list[str] = []
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.outputs: dict[str, tuple[str, int, int]] = {}  # output -> (sha256, file index, seq)
        self.generation = 1  # of the file being read (from its log_open record)
        self.checkpoints: dict[tuple[int, int], str] = {}  # (generation, seq) -> line sha256
        self.last_per_generation: dict[int, int] = {}  # generation -> last seq seen
        self.log_ids: set[str] = set()
        self.last_checkpoint: Checkpoint | None = None  # the last run_end or seal

    def problem(self, found: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(found)

    # -- files

    def start_file(self, fi: int, first: bytes | None, joined: bool) -> None:
        """A new file begins. ``joined`` is False for a first file that starts with a
        ``log_open`` (a rotated file) whose earlier files were not given: only its own lines can
        be checked, its first ``prev`` is taken as it is, and the runs open across the boundary
        are taken from its ``log_open`` record."""
        self.seq_shift = 0
        before, self.generation = self.generation, 1
        rec = parse_canonical(first[:-1]) if first and first.endswith(b"\n") else None
        if rec is None or rec.get("event") != LOG_OPEN_EVENT:
            if rec is not None and fi == 0 and first:
                self.log_ids.add(sha256_hex(first[:-1]))  # a log's id: the hash of its first line
            return
        generation, log_id = rec.get("generation"), rec.get("log_id")
        self.generation = generation if type(generation) is int and generation > 1 else 0
        if isinstance(log_id, str):
            self.log_ids.add(log_id)
        if fi > 0 and self.generation != before + 1:
            self.problem(Problem(fi, 0, "log_open does not follow the file before it (generation)"))
        if not joined:
            self._adopt(fi, rec)
            if isinstance(rec.get("prev"), str):
                self.prev_hash = rec["prev"]

    def _adopt(self, fi: int, rec: Mapping[str, Any]) -> None:
        """Runs that began in the earlier file (not given): open, their counts not checkable."""
        runs = rec.get("open_runs")
        for run_id in runs if isinstance(runs, list) else []:
            if isinstance(run_id, str) and run_id not in self.open:
                self.open[run_id] = _OpenRun(fi, 0, self.pos, None, counted=False)
        self.warnings.append(
            "the log's earlier files were not given: the first line's link to them was not checked"
        )

    # -- one line

    def line(self, fi: int, index: int, raw: bytes) -> None:
        self.pos += 1
        try:
            rec = self._read(fi, index, raw)
        except _Bad as bad:
            self.problem(bad.found)
            self.prev_hash = sha256_hex(raw[:-1] if raw.endswith(b"\n") else raw)
            self.prev_loc, self.resync = (fi, index + self.seq_shift), True
            return
        try:
            self._chain(fi, index, rec)
        except _Bad as bad:
            self.problem(bad.found)
        line = raw[:-1]
        self.prev_hash = sha256_hex(line)
        self.prev_loc = (fi, rec["seq"])
        self.lines += 1
        self.checkpoints_seen(rec, line)
        try:
            self._event(fi, rec["seq"], rec)
        except _Bad as bad:
            self.problem(bad.found)

    def checkpoints_seen(self, rec: Mapping[str, Any], line: bytes) -> None:
        self.last_per_generation[self.generation] = rec["seq"]
        if rec["event"] in SIGNED_EVENTS:
            cp = Checkpoint(self.generation, rec["seq"], sha256_hex(line))
            self.checkpoints[(cp.generation, cp.seq)] = cp.line_sha256
            self.last_checkpoint = cp

    def _read(self, fi: int, index: int, raw: bytes) -> dict[str, Any]:
        where = index + self.seq_shift
        if not raw.endswith(b"\n"):
            if len(raw) > MAX_LINE_BYTES:
                raise _Bad(fi, where, "line is too long")
            raise _Bad(fi, where, "the last line is incomplete (a torn write that no append has repaired)")
        rec = parse_canonical(raw[:-1])
        if rec is None:
            raise _Bad(fi, where, "line is not canonical JSON")
        problem = common_problem(rec)
        if problem is not None:
            raise _Bad(fi, where, problem)
        return rec

    def _chain(self, fi: int, index: int, rec: Mapping[str, Any]) -> None:
        seq, prev_ok = rec["seq"], rec["prev"] == self.prev_hash
        expected = index + self.seq_shift
        if self.resync:
            self.resync, self.seq_shift = False, seq - index
            return
        if seq != expected:
            self.seq_shift = seq - index  # go on from this line's own number
            if seq == expected - 1 and not prev_ok:
                # this line repeats the previous line's seq and does not chain to it: that line was inserted
                raise _Bad(fi, expected - 1, f"seq {expected - 1} appears twice (a line was inserted)")
            if index == 0:
                raise _Bad(fi, 0, f"the first line of a file has seq {seq}, not 0")
            raise _Bad(fi, expected, f"seq {seq} follows {expected - 1}")
        if prev_ok:
            return
        # the previous line changed, or this line's prev did: report the earlier of the two
        if self.prev_loc is None:
            raise _Bad(fi, expected, "the first line's prev is not 64 zeros")
        pfi, pseq = self.prev_loc
        if pfi != fi:
            raise _Bad(pfi, pseq, "the next file's first line does not chain to this line")
        raise _Bad(fi, pseq, "the next line's prev does not match this line")

    def _event(self, fi: int, seq: int, rec: Mapping[str, Any]) -> None:
        event, run_id = rec["event"], rec["run_id"]
        has_sig = not SIGNATURE_KEYS.isdisjoint(rec)
        if has_sig and event not in SIGNED_EVENTS:
            raise _Bad(fi, seq, "signature fields on a record that is not run_end")
        run = self.open.get(run_id)
        if event == "run_start":
            if run is not None:
                raise _Bad(fi, seq, "run_start repeats a run that has not ended")
            self.open[run_id] = _OpenRun(fi, seq, self.pos, rec.get("output_root_id"))
            self.open[run_id].escrow = declared_escrow(rec)
            self.runs += 1
            return
        if event == "file":
            if run is None:
                raise _Bad(fi, seq, "file record without a run_start of its run before it")
            run.last_pos = self.pos
            self._file(fi, seq, rec, run)
            return
        if event == "run_end":
            self._run_end(fi, seq, rec, has_sig, run)
            return
        self._other(fi, seq, rec, has_sig, run)

    def _run_end(
        self, fi: int, seq: int, rec: Mapping[str, Any], has_sig: bool, run: _OpenRun | None
    ) -> None:
        self._soft(self._signature, fi, seq, rec, has_sig)
        if run is None:
            raise _Bad(fi, seq, "run_end without run_start")
        del self.open[rec["run_id"]]
        self.closed_tail_pos = self.pos
        self._counts(fi, seq, rec, run)

    def _other(self, fi: int, seq: int, rec: Mapping[str, Any], has_sig: bool, run: _OpenRun | None) -> None:
        event = rec["event"]
        if event == SEALED_EVENT:
            self._signature(fi, seq, rec, has_sig)
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
        if run is None:
            self.closed_tail_pos = self.pos
        else:
            run.last_pos = self.pos

    def _soft(self, check: Any, *args: Any) -> None:
        try:
            check(*args)
        except _Bad as bad:
            self.problem(bad.found)

    def _abandoned(self, fi: int, seq: int, rec: Mapping[str, Any]) -> None:
        """A later run found this run's process dead (see :mod:`dcmscrub.audit.journal`) and closed it."""
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
        if not isinstance(counts, dict) or any(type(n) is not int for n in counts.values()):
            raise _Bad(fi, seq, "run_end counts do not match its file records")
        if not run.counted:
            self.warnings.append(
                f"run_end at seq {seq}: its run began in an earlier file; counts not checked"
            )
            expected = counts
        elif counts != expected:
            raise _Bad(fi, seq, "run_end counts do not match its file records")
        if not status_agrees(rec.get("status"), rec.get("exit_code"), expected):
            raise _Bad(fi, seq, "run_end status and exit code do not agree with its counts")
        if run.escrow is not None and not run.escrowed and rec.get("status") != RunStatus.FAILED:
            raise _Bad(fi, seq, "run_end of a run that declared an escrow, without its escrow record")

    def _signature(self, fi: int, seq: int, rec: Mapping[str, Any], has_sig: bool) -> None:
        if not has_sig:
            if self.keys:
                raise _Bad(fi, seq, f"{rec['event']} is not signed")
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
        signature = decode_signature(rec["sig"])
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
        """Runs that never ended are warnings, never problems: a run may be alive and quiet (and
        its mark out of sight: another user's folder, a copy of the log). A cut-off end of the
        log is what anchors show (``--anchors``)."""
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
                self.warnings.append(
                    f"run starting at seq {run.start_seq} has no run_end and other runs ended after it:"
                    " it may still be running (its run mark is out of sight) or it was killed"
                )
        if self.signed_unchecked:
            self.warnings.append(
                f"{self.signed_unchecked} signed run_end record(s) found but no public key was given:"
                " signatures were not checked"
            )
        if self.unsigned:
            self.warnings.append(f"{self.unsigned} run_end record(s) are not signed")
