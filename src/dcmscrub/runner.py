"""Scrub a tree: find inputs, de-identify each, write it (encrypted) atomically, log every access.

:func:`scrub_tree` is the one call behind ``dcmscrub scrub``. It owns every file the run
touches: it walks the inputs, reads each file (pixel data streamed, never loaded), calls the
engine, writes the result through an age encrypting writer into a temporary file that becomes
``OUT/<patient>/<study>/<series>/<sop>.dcm.age`` by an atomic rename, and appends one audit
record per input. One bad file never stops the batch; a failure to log does (exit 74).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dcmscrub.atomic import OutputExistsError, commit, discard, sync_filesystem
from dcmscrub.audit import ABANDONED_EVENT, AuditLog, new_run_id, operator_info, tool_versions
from dcmscrub.container import X25519Recipient
from dcmscrub.crypt_files import DecryptResult, DecryptSummary, decrypt_paths
from dcmscrub.errors import AuditWriteError, ConfigError, ExitCode, OutputError, StorageError
from dcmscrub.keys import linkage_key_id, recipient_set_fingerprint
from dcmscrub.outtree import OutputTree, Shard, sweep_temps
from dcmscrub.profile import Profile
from dcmscrub.pseudonym import Pseudonymizer
from dcmscrub.runmarks import RunMark, hold_run_mark, reap_dead_runs
from dcmscrub.walker import InputFile, Skipped, is_within, iter_inputs, resolve_roots
from dcmscrub.worker import FileResult, Stop, WorkerSettings, os_error_code, run_all

OUTCOMES = ("written", "exists", "quarantined", "skipped", "failed")


@dataclass
class RunSummary:
    """What a run did: counts by outcome, the exit code, where things went."""

    run_id: str
    out: Path
    log: Path | None
    counts: Counter[str] = field(default_factory=Counter)
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    status: str = "ok"
    exit_code: int = int(ExitCode.OK)
    ephemeral_key: bool = False
    encrypted: bool = True
    problems: list[FileResult] = field(default_factory=list)  # failed, quarantined and skipped files
    recovered_temps: int = 0

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object (no file names: they may carry patient data)."""
        return {
            "run_id": self.run_id,
            "status": self.status,
            "exit_code": self.exit_code,
            "counts": {o: self.counts.get(o, 0) for o in OUTCOMES} | {"total": sum(self.counts.values())},
            "problems": dict(sorted(Counter(f"{r.outcome}:{r.code}" for r in self.problems).items())),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": round(self.seconds, 3),
            "files_per_second": round(sum(self.counts.values()) / self.seconds, 1) if self.seconds else None,
            "output": str(self.out),
            "log": str(self.log) if self.log else None,
            "encrypted": self.encrypted,
            "linkage_key": "ephemeral" if self.ephemeral_key else "file",
        }


# --------------------------------------------------------------------------------------------
# the run


@contextlib.contextmanager
def _signals(stop: Stop) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        stop.signal = signum

    saved = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in saved.items():
            signal.signal(s, h)


def scrub_tree(
    inputs: Sequence[Path],
    out: Path,
    profile: Profile,
    *,
    recipients: Sequence[X25519Recipient] = (),
    encrypt: bool = True,
    linkage_key: bytes | None = None,
    log: Path | None = None,
    audit_signer: Any = None,
    overwrite: bool = False,
    jobs: int = 1,
    shard: Shard | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    command_args: Mapping[str, object] | None = None,
    debug: bool = False,
) -> RunSummary:
    """De-identify every DICOM file under ``inputs`` into ``out``; see the module docstring.

    Without ``linkage_key`` a random secret is used for this run only (pseudonyms then do not
    match other runs). ``encrypt=False`` writes plain ``.dcm`` files. Raises
    :class:`~dcmscrub.errors.DcmscrubError` subclasses for problems that stop the whole run
    (bad input path 66, output inside input 73, locked 75, no recipient 78, audit log 74).
    """
    started = time.perf_counter()
    if encrypt and not recipients:
        raise ConfigError("no recipient to encrypt to", hint="give -r age1... or -R FILE, or --no-encrypt")
    if shard is not None and linkage_key is None:
        raise ConfigError("--shard needs a linkage key shared by all shards", hint="give --linkage-key FILE")
    roots = resolve_roots(inputs)
    out = _check_output(out, roots)
    ephemeral = linkage_key is None
    key = linkage_key if linkage_key is not None else os.urandom(32)
    tree = OutputTree(out, shard)
    tree.prepare()
    summary = RunSummary(
        "", out, log, ephemeral_key=ephemeral, encrypted=encrypt, recovered_temps=tree.recovered_temps
    )
    clean_end = False
    mark = RunMark(None, -1)
    try:
        settings = WorkerSettings(out, profile, key, tuple(recipients), encrypt, overwrite, tree.tag, debug)
        pseudonymizer = Pseudonymizer(key, profile.pseudonyms.namespace)
        audit = _open_audit(log, pseudonymizer.audit_key, audit_signer)
        summary.run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
        if audit is not None:
            audit.append(
                "run_start",
                summary.run_id,
                _run_start_fields(
                    audit,
                    profile,
                    recipients,
                    key,
                    ephemeral,
                    roots,
                    out,
                    tree.root_id,
                    audit_signer,
                    command_args,
                ),
            )
        mark = _hold_mark(audit, summary.run_id)
        items = _select(iter_inputs(roots), shard, pseudonymizer, len(roots))
        if on_start is not None:
            on_start(len(items), sum(i.size for i in items if isinstance(i, InputFile)))
        stop = Stop()
        batch = _Batch(out, overwrite, audit, summary, stop, on_result, mark)
        with _signals(stop):
            for result in _in_order(run_all(items, settings, jobs, stop)):
                batch.add(result)
            batch.flush()
        _finish(summary, stop)
        if any(r.code == "worker_died" for r in summary.problems):
            sweep_temps(out, tree.tag)  # a killed worker may have left its temporary file
        summary.seconds = time.perf_counter() - started
        if audit is not None:
            audit.append(
                "run_end",
                summary.run_id,
                {
                    "counts": dict(summary.counts) | {"total": sum(summary.counts.values())},
                    "status": summary.status,
                    "exit_code": summary.exit_code,
                },
            )
            mark.release()
        if stop.fatal is not None:
            raise stop.fatal
        clean_end = True
    finally:
        mark.abandon()  # no-op after release(); otherwise the next run records this one as abandoned
        tree.release(clean=clean_end)
    return summary


def _hold_mark(audit: AuditLog | None, run_id: str) -> RunMark:
    """Mark this run as alive beside its log, and record the runs found dead there (killed, or
    cut off by a power loss) as ``run_abandoned``, so that ``log verify`` sees them closed."""
    if audit is None:
        return RunMark(None, -1)
    mark = hold_run_mark(audit.path, run_id)

    def record(dead: str, pending: bytes) -> None:
        # records of outputs the dead run had named but not yet logged: logged now, in its name
        records = _recoverable_records(pending, audit, dead)
        if records:
            audit.append_many("file", dead, records)
        audit.append(ABANDONED_EVENT, run_id, {"abandoned_run": dead, "recovered_records": len(records)})

    try:
        reap_dead_runs(audit.path, run_id, record)  # a mark goes only once its run is recorded
    except BaseException:
        mark.abandon()  # this run stops too (the log cannot be written); the next run reaps both
        raise
    return mark


PENDING_VERSION = 2  # of the batch notes a run keeps in its mark (runmarks.RunMark.note_pending)
_FILE_RECORD_KEYS = frozenset(
    {"input", "input_hmac", "output", "output_sha256", "outcome", "error_code", "bytes_in", "bytes_out", "ms"}
)


def _pending_note(out: Path, log_offset: int, records: list[dict[str, object]]) -> bytes:
    """What a batch is about to record, kept in the run's mark while its outputs are renamed;
    ``log_offset`` is the log's size before them (the records, if they made it, are after it)."""
    note = {"v": PENDING_VERSION, "out": str(out), "log_offset": log_offset, "records": records}
    return json.dumps(note, sort_keys=True, separators=(",", ":")).encode()


def _read_note(pending: bytes) -> tuple[Path, int, list[object]] | None:
    """The output folder, log offset and records of a batch note (version 1 had no offset: the
    whole log is searched then), or None when it is empty or not a note of ours."""
    if not pending:
        return None
    try:
        note = json.loads(pending)
    except (ValueError, RecursionError):
        return None
    if not isinstance(note, dict) or note.get("v") not in (1, PENDING_VERSION):
        return None
    out, offset, records = note.get("out"), note.get("log_offset", 0), note.get("records")
    if not isinstance(out, str) or type(offset) is not int or offset < 0 or not isinstance(records, list):
        return None
    return Path(out), offset, records


def _recoverable_records(pending: bytes, audit: AuditLog, dead: str) -> list[dict[str, object]]:
    """From the batch note of the dead run ``dead``, the ``file`` records whose outputs are on
    disk with the recorded SHA-256 (the renames that happened before the run died) and that are
    not in the log yet (the run may have died after appending them, before emptying its mark)."""
    note = _read_note(pending)
    if note is None:
        return []
    out, offset, records = note
    found: list[dict[str, object]] = []
    for rec in records:
        if not isinstance(rec, dict) or set(rec) != _FILE_RECORD_KEYS or rec["outcome"] != "written":
            continue
        output, digest = rec["output"], rec["output_sha256"]
        if not isinstance(output, str) or not isinstance(digest, str):
            continue
        rel = PurePosixPath(output)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            continue
        try:
            with open(out / rel, "rb") as fh:
                actual = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:
            continue
        if actual == digest:
            found.append(rec)
    if found:
        logged = audit.outputs_recorded(dead, since=offset)
        found = [rec for rec in found if rec["output"] not in logged]
    return found


def _check_output(out: Path, roots: Sequence[Path]) -> Path:
    real = out.resolve()
    for root in roots:
        if is_within(real, root):
            raise OutputError(
                f"output folder {out} is inside input {root}", hint="write outputs outside every input tree"
            )
        if is_within(root, real):
            raise OutputError(
                f"input {root} is inside output folder {out}",
                hint="write outputs to a folder that holds no input",
            )
    if real.exists() and not real.is_dir():
        raise OutputError(f"output {out} exists and is not a folder")
    return real


def _open_audit(log: Path | None, digest_key: bytes, signer: Any) -> AuditLog | None:
    if log is None:
        return None
    audit = AuditLog(log, digest_key=digest_key, signer=signer)
    audit.check_writable()
    return audit


def _run_start_fields(
    audit: AuditLog,
    profile: Profile,
    recipients: Sequence[X25519Recipient],
    key: bytes,
    ephemeral: bool,
    roots: Sequence[Path],
    out: Path,
    root_id: str,
    signer: Any,
    command_args: Mapping[str, object] | None,
) -> dict[str, object]:
    audit_key = None
    if signer is not None:
        from dcmscrub.keys import audit_key_fingerprint

        audit_key = audit_key_fingerprint(signer.public_key())
    return {
        "operator": operator_info(os.environ),
        "tool": tool_versions(),
        "command": "scrub",
        "args": dict(command_args or {}),
        "profile": {"name": profile.name, "sha256": profile.sha256, "options": sorted(profile.options)},
        "keys": {
            "recipients": [r.fingerprint for r in recipients],
            "recipient_set_sha256": recipient_set_fingerprint(list(recipients)) if recipients else None,
            "linkage_key_id": "ephemeral" if ephemeral else linkage_key_id(key),
            "audit_key": audit_key,
        },
        "input_roots": [audit.digest(str(r)) for r in roots],
        "output_root_id": root_id,
        "output_root_digest": audit.digest(str(out)),
    }


def _select(
    found: Iterator[InputFile | Skipped], shard: Shard | None, p: Pseudonymizer, n_roots: int
) -> list[InputFile | Skipped]:
    items: list[InputFile | Skipped] = []
    for item in found:
        if shard is None or p.shard_of(item.relpath, shard.count) == shard.index - 1:
            items.append(item)
    return items


def _account(summary: RunSummary, result: FileResult) -> None:
    summary.counts[result.outcome] += 1
    summary.bytes_in += result.bytes_in
    summary.bytes_out += result.bytes_out
    if result.outcome in ("failed", "quarantined", "skipped"):
        summary.problems.append(result)


class _Batch:
    """Group commit: outputs get their final names, and records their lines, a batch at a time.

    Workers write and close each output under a temporary name without syncing it. A batch
    (up to COMMIT_FILES results or COMMIT_SECONDS) is then made durable with one syncfs of the
    output file system, renamed in input order, synced again so the renames last, and logged with
    one write and one fsync of the audit log. Each output is still on disk before its name
    appears and before its record is written; the cost of a journal commit is paid once per batch
    instead of three times per file.
    """

    COMMIT_FILES = 64
    COMMIT_SECONDS = 0.5

    def __init__(
        self,
        out: Path,
        overwrite: bool,
        audit: AuditLog | None,
        summary: RunSummary,
        stop: Stop,
        on_result: Callable[[FileResult], None] | None,
        mark: RunMark,
    ) -> None:
        self.out, self.overwrite, self.audit, self.summary, self.stop = out, overwrite, audit, summary, stop
        self.on_result, self.mark = on_result, mark
        self.committed: set[str] = set()
        self.results: list[FileResult] = []
        self.started = 0.0

    def add(self, result: FileResult) -> None:
        if not self.results:
            self.started = time.monotonic()
        self.results.append(result)
        if len(self.results) >= self.COMMIT_FILES or time.monotonic() - self.started > self.COMMIT_SECONDS:
            self.flush()

    def flush(self) -> None:
        batch, self.results = self.results, []
        if not batch:
            return
        if any(r.temp for r in batch):
            sync_filesystem(self.out)  # the data, before any name points at it
            if self.audit is not None and self.mark.held:
                # if the run dies between the renames and the records, the next run logs them
                notes = [_file_record(self.audit, r) for r in batch if r.temp and r.outcome == "written"]
                self.mark.note_pending(_pending_note(self.out, self.audit.end_offset(), notes))
            for result in batch:
                _commit(result, self.out, self.overwrite, self.committed)
            sync_filesystem(self.out)  # the names, before a record says they exist
        if self.audit is not None:
            self._log(batch)
            self.mark.clear_pending()
        for result in batch:
            _account(self.summary, result)
            if self.on_result is not None:
                self.on_result(result)

    def _log(self, batch: list[FileResult]) -> None:
        audit = self.audit
        assert audit is not None
        if self.stop.fatal is not None:
            for result in batch:
                _unlog(result, self.out)
            return
        try:
            audit.append_many("file", self.summary.run_id, [_file_record(audit, r) for r in batch])
        except AuditWriteError as exc:
            self.stop.fatal = exc  # no work goes unlogged: hand out no further file
            for result in batch:
                _unlog(result, self.out)
            return
        if any(r.code == "disk_full" for r in batch):
            self.stop.fatal = StorageError(
                "the output disk is full; the run stopped", hint="free space, then run again"
            )


def _file_record(audit: AuditLog, result: FileResult) -> dict[str, object]:
    return {
        "input": audit.digest(result.name),
        "input_hmac": None,
        "output": result.output,
        "output_sha256": result.output_sha256,
        "outcome": result.outcome,
        "error_code": result.code,
        "bytes_in": result.bytes_in,
        "bytes_out": result.bytes_out,
        "ms": result.ms,
    }


def _in_order(results: Iterator[FileResult]) -> Iterator[FileResult]:
    """Results in input order (workers finish out of order); a stopped run flushes the rest."""
    waiting: dict[int, FileResult] = {}
    expected = 0
    for result in results:
        waiting[result.index] = result
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1
    for index in sorted(waiting):  # after a stop: inputs never handed out leave gaps
        yield waiting[index]


def _commit(result: FileResult, out: Path, overwrite: bool, committed: set[str]) -> None:
    """Give a written output its final name; the first input (in input order) that names an
    output wins, and a later one with the same SOP Instance UID is a reported duplicate."""
    if result.output is not None and result.output in committed and result.outcome in ("written", "exists"):
        if result.temp:
            discard(Path(result.temp))
        result.outcome, result.code, result.temp = "skipped", "duplicate_sop_instance", None
        result.output, result.output_sha256 = None, None
        return
    if result.temp is None:
        if result.outcome == "exists" and result.output is not None:
            committed.add(result.output)
        return
    tmp, result.temp = Path(result.temp), None
    assert result.output is not None
    try:
        commit(tmp, out / result.output, overwrite=overwrite, sync_dir=False)
    except OutputExistsError:
        result.outcome, result.output_sha256 = "exists", None  # appeared meanwhile (another process)
        return
    except OSError as exc:
        result.outcome, result.code = "failed", os_error_code(exc)
        result.output = result.output_sha256 = None
        return
    committed.add(result.output)


def _unlog(result: FileResult, out: Path) -> None:
    """Take back an output whose record could not be written: no work goes unlogged."""
    if result.outcome == "written" and result.output:
        with contextlib.suppress(FileNotFoundError):
            (out / result.output).unlink()
        result.outcome, result.code = "failed", "not_logged"


def _finish(summary: RunSummary, stop: Stop) -> None:
    failed = summary.counts["failed"] + summary.counts["quarantined"]
    if stop.fatal is not None:
        summary.status, summary.exit_code = "failed", int(stop.fatal.exit_code)
    elif stop.signal is not None:
        summary.status = "interrupted"
        summary.exit_code = int(ExitCode.INTERRUPTED if stop.signal == signal.SIGINT else ExitCode.TERMINATED)
    elif failed:
        summary.status, summary.exit_code = "partial", int(ExitCode.PARTIAL)


# --------------------------------------------------------------------------------------------
# decrypt


def decrypt_tree(
    inputs: Sequence[Path],
    out: Path,
    identities: Sequence[Any],
    *,
    overwrite: bool = False,
    log: Path | None = None,
    digest_key: bytes | None = None,
    on_failure: Callable[[DecryptResult], None] | None = None,
    debug: bool = False,
) -> DecryptSummary:
    """Decrypt files and folders into ``out`` (see :func:`crypt_files.decrypt_paths`), appending a
    ``run_start``, one ``file`` record per input and a ``run_end`` to the audit log ``log``.

    ``digest_key`` keys the log's path digests (a random key when None: the digests then only
    tell records apart). The log holds no file names and no identity, only its fingerprint.
    """
    audit = _open_audit(log, digest_key or os.urandom(32), None)
    run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
    if audit is not None:
        audit.append(
            "run_start",
            run_id,
            {
                "operator": operator_info(os.environ),
                "tool": tool_versions(),
                "command": "decrypt",
                "args": {"overwrite": overwrite, "identities": len(identities)},
                "keys": {"identities": sorted(_identity_fingerprint(i) for i in identities)},
                "input_roots": [audit.digest(str(p.resolve())) for p in inputs],
                "output_root_digest": audit.digest(str(out.resolve())),
            },
        )
    mark = _hold_mark(audit, run_id)
    try:
        return _decrypt_logged(inputs, out, identities, overwrite, audit, run_id, mark, on_failure)
    finally:
        mark.abandon()  # no-op after release(); otherwise the next run records this one as abandoned


def _decrypt_logged(
    inputs: Sequence[Path],
    out: Path,
    identities: Sequence[Any],
    overwrite: bool,
    audit: AuditLog | None,
    run_id: str,
    mark: RunMark,
    on_failure: Callable[[DecryptResult], None] | None,
) -> DecryptSummary:
    """The body of :func:`decrypt_tree` once its ``run_start`` is written: files, then ``run_end``."""
    counts: Counter[str] = Counter()

    def record(result: DecryptResult) -> None:
        outcome = {"decrypted": "written"}.get(result.outcome, result.outcome)
        counts[outcome] += 1
        if result.outcome == "failed" and on_failure is not None:
            on_failure(result)
        if audit is not None:
            audit.append(
                "file",
                run_id,
                {
                    "input": audit.digest(result.name),
                    "input_hmac": None,
                    "output": None,
                    "output_sha256": None,
                    "outcome": outcome,
                    "error_code": "decrypt_failed" if result.outcome == "failed" else None,
                    "bytes_in": 0,
                    "bytes_out": result.size,
                    "ms": 0,
                },
            )

    summary = decrypt_paths(inputs, out, identities, overwrite=overwrite, on_result=record)
    if audit is not None:
        status = "partial" if summary.failed else "ok"
        audit.append(
            "run_end",
            run_id,
            {
                "counts": dict(counts) | {"total": sum(counts.values())},
                "status": status,
                "exit_code": 3 if summary.failed else 0,
            },
        )
        mark.release()
    return summary


def _identity_fingerprint(identity: Any) -> str:
    recipient = getattr(identity, "recipient", None)
    return str(recipient.fingerprint) if recipient is not None else "scrypt"
