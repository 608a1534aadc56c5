"""Anchors: every checkpoint of the audit log (each ``run_end``, each seal of a rotated file) is
also written where the log's writer cannot rewrite it, so that ``log verify --anchors`` can tell
when the log was cut short or rewritten (crypto-audit.md section 4.4).

An anchor is one line of text, versioned by its tag::

    dcmscrub-anchor/1 {"file":"audit.jsonl","generation":1,"line_sha256":"<hex>","log_id":"<hex>",
                       "run_id":"...","seq":17,"ts":"...Z"[,"head":"<hex>","key":"ed25519:...","sig":"..."]}

(one line; canonical JSON after the tag). ``log_id`` names the log for good: the SHA-256 of the
first line of its first file, carried on by every rotated file's ``log_open``; ``generation``
numbers its files (1, then 2 after the first rotation, ...); ``seq`` and ``line_sha256`` say which
line and what it was (the SHA-256 of the line without its "\\n", what the next line's ``prev``
holds); a signed checkpoint also carries its ``head``, ``key`` and ``sig``. No path, no value.

Sinks: a witness file (appended to with ``O_APPEND`` and fsynced, kept append-only by convention:
another host's mount, ``chattr +a``, a WORM share) and the system log (syslog through the
standard library, identifier ``dcmscrub``: journald or rsyslog keep it; ``$DCMSCRUB_SYSLOG_SOCKET``
names another socket than ``/dev/log``). Readers: any text file holding anchor lines (a witness
file, or a syslog file such as ``/var/log/syslog``: text before the tag is ignored), or the word
``journal`` (``journalctl -t dcmscrub``).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from dcmscrub.audit.checks import Problem, Verifier
from dcmscrub.audit.line import HEX64_RE, canonical_line, sha256_hex
from dcmscrub.errors import UsageError

ANCHOR_TAG: Final = "dcmscrub-anchor/1"
IDENTIFIER: Final = "dcmscrub"
SYSLOG_SOCKET_ENV: Final = "DCMSCRUB_SYSLOG_SOCKET"
JOURNAL: Final = "journal"
SYSLOG: Final = "syslog"
_MAX_ANCHOR_LINE: Final = 4096


@dataclass(frozen=True)
class Anchor:
    """One anchored checkpoint (module docstring)."""

    log_id: str
    generation: int
    seq: int
    line_sha256: str
    file: str = ""
    run_id: str = ""
    ts: str = ""
    head: str | None = None
    key: str | None = None
    sig: str | None = None

    def to_line(self) -> str:
        fields: dict[str, Any] = {k: v for k, v in vars(self).items() if v is not None}
        return f"{ANCHOR_TAG} {canonical_line(fields).decode('ascii')[:-1]}"

    @classmethod
    def parse(cls, text: str) -> Anchor | None:
        """The anchor on a line of text (anything before the tag is ignored), or None."""
        at = text.find(ANCHOR_TAG + " ")
        if at < 0:
            return None
        try:
            fields = json.loads(text[at + len(ANCHOR_TAG) + 1 :].strip().rstrip("\x00"))
        except (ValueError, RecursionError):
            return None
        if not isinstance(fields, dict):
            return None
        log_id, generation, seq, digest = (
            fields.get(k) for k in ("log_id", "generation", "seq", "line_sha256")
        )
        if not isinstance(log_id, str) or not isinstance(digest, str) or not HEX64_RE.fullmatch(digest):
            return None
        if type(generation) is not int or type(seq) is not int or generation < 1 or seq < 0:
            return None
        extra = {k: fields[k] for k in ("file", "run_id", "ts") if isinstance(fields.get(k), str)}
        signed = {k: fields[k] for k in ("head", "key", "sig") if isinstance(fields.get(k), str)}
        return cls(log_id, generation, seq, digest, **extra, **signed)


def anchor_for(record: Mapping[str, Any], line: bytes, *, log_id: str, generation: int, file: str) -> Anchor:
    """The anchor of a checkpoint ``record`` written as ``line`` (with or without its "\\n")."""
    checkpoint = record.get("checkpoint")
    head = checkpoint.get("head") if isinstance(checkpoint, dict) else None
    return Anchor(
        log_id=log_id,
        generation=generation,
        seq=int(record["seq"]),
        line_sha256=sha256_hex(line.rstrip(b"\n")),
        file=file,
        run_id=str(record.get("run_id", "")),
        ts=str(record.get("ts", "")),
        head=head if isinstance(head, str) else None,
        key=record["key"] if isinstance(record.get("key"), str) else None,
        sig=record["sig"] if isinstance(record.get("sig"), str) else None,
    )


def log_identity(first_line: bytes) -> tuple[str, int]:
    """``(log_id, generation)`` of a log file from its first line (without or with "\\n")."""
    line = first_line.rstrip(b"\n")
    try:
        rec = json.loads(line)
    except (ValueError, RecursionError):
        rec = None
    if isinstance(rec, dict) and rec.get("event") == "log_open":
        log_id, generation = rec.get("log_id"), rec.get("generation")
        if isinstance(log_id, str) and type(generation) is int:
            return log_id, generation
    return sha256_hex(line), 1


# ------------------------------------------------------------------------------------ writing


class AnchorSink(Protocol):
    """Where anchors go; ``write`` raises OSError when the anchor could not be kept."""

    @property
    def name(self) -> str: ...

    def write(self, anchor: Anchor) -> None: ...


@dataclass(frozen=True)
class WitnessFile:
    """Append anchors to a file (created 0600; never rewritten by dcmscrub)."""

    path: Path

    @property
    def name(self) -> str:
        return str(self.path)

    def write(self, anchor: Anchor) -> None:
        data = (anchor.to_line() + "\n").encode("ascii")
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
        fd = os.open(self.path, flags, 0o600)
        try:
            if os.write(fd, data) != len(data):
                raise OSError(28, "short write to the anchor file")
            os.fsync(fd)
        finally:
            os.close(fd)


class _StrictSysLogHandler(logging.handlers.SysLogHandler):
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: ARG002 (logging calls it so)
        raise  # what emit() caught: the anchor was not kept


class SystemLog:
    """Send anchors to the system log (syslog, identifier ``dcmscrub``, facility user)."""

    name = SYSLOG

    def __init__(self, socket: str | None = None) -> None:
        self.socket = socket or os.environ.get(SYSLOG_SOCKET_ENV) or "/dev/log"

    def write(self, anchor: Anchor) -> None:
        handler = _StrictSysLogHandler(address=self.socket)  # raises OSError: no syslog here
        try:
            handler.append_nul = False
            handler.ident = f"{IDENTIFIER}: "
            record = logging.LogRecord(IDENTIFIER, logging.WARNING, "", 0, anchor.to_line(), None, None)
            handler.emit(record)
        finally:
            handler.close()


def anchor_sink(spec: str) -> AnchorSink:
    """``syslog`` or a witness file's path (``--anchor``)."""
    return SystemLog() if spec == SYSLOG else WitnessFile(Path(spec))


# ------------------------------------------------------------------------------------ reading


def read_anchors(source: str) -> Iterator[Anchor]:
    """The anchors in ``source``: ``journal`` (journald, identifier dcmscrub) or a text file.
    Raises :class:`UsageError` (exit 2) when it cannot be read."""
    if source == JOURNAL:
        yield from _parsed(_journal_lines())
        return
    try:
        with open(source, "rb") as fh:
            while raw := fh.readline(_MAX_ANCHOR_LINE):
                yield from _parsed([raw.decode("ascii", "replace")])
    except OSError as exc:
        raise UsageError(
            f"anchors {source}: cannot be read", hint="check the path and its permissions"
        ) from exc


def _parsed(lines: Iterable[str]) -> Iterator[Anchor]:
    for text in lines:
        anchor = Anchor.parse(text)
        if anchor is not None:
            yield anchor


def _journal_lines() -> list[str]:
    journalctl = shutil.which("journalctl")
    if journalctl is None:
        raise UsageError("anchors journal: journalctl is not installed", hint="give the anchor file instead")
    done = subprocess.run(
        [journalctl, "-t", IDENTIFIER, "-o", "cat", "--no-pager", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise UsageError("anchors journal: journalctl failed", hint="check that you may read the journal")
    return done.stdout.splitlines()


# ------------------------------------------------------------------------------------ checking


def check_anchors(anchors: Iterable[Anchor], state: Verifier, generations: Mapping[int, int]) -> None:
    """Hold the verified log (``state``, after its pass) against the anchors of its ``log_id``:
    a problem when the log ends before a line an anchor recorded (cut short at a run boundary,
    a last ``run_end`` removed, rotated files missing), or holds another line there; a problem
    when no anchor names this log at all although it has checkpoints; a warning when its last
    checkpoint is not anchored. ``generations`` maps a file generation to its index among the
    files given."""
    given = sorted(generations)
    matched = 0
    anchored: set[tuple[int, int]] = set()
    for anchor in anchors:
        if anchor.log_id not in state.log_ids:
            continue
        matched += 1
        where = (anchor.generation, anchor.seq)
        anchored.add(where)
        if not given or anchor.generation < given[0]:
            continue  # a file older than the ones given
        fi = generations.get(anchor.generation, len(generations) - 1)
        if anchor.generation > given[-1]:
            state.problem(
                Problem(
                    fi,
                    None,
                    f"an anchor records generation {anchor.generation} seq {anchor.seq}:"
                    " the log ends before it (its last files are missing)",
                )
            )
            continue
        found = state.checkpoints.get(where)
        last = state.last_per_generation.get(anchor.generation, -1)
        if found == anchor.line_sha256:
            continue
        if found is not None:
            state.problem(Problem(fi, anchor.seq, "the checkpoint differs from what an anchor recorded"))
        elif anchor.seq > last:
            state.problem(
                Problem(
                    fi, None, f"the log is shorter than an anchor recorded: it ends before seq {anchor.seq}"
                )
            )
        else:
            state.problem(Problem(fi, anchor.seq, "the line an anchor recorded is no longer a checkpoint"))
    if not matched and state.checkpoints:
        state.problem(Problem(0, None, "no anchor names this log (was it replaced, or never anchored?)"))
    last_cp = state.last_checkpoint
    if matched and last_cp is not None and (last_cp.generation, last_cp.seq) not in anchored:
        state.warnings.append(f"the last checkpoint (seq {last_cp.seq}) is not anchored")
