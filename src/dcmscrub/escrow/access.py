"""The logged ways back: look rows up in escrow files, export them, or compute pseudonyms forward.

Each function checks the audit log can be appended to before it reads anything, and appends its
records before it hands anything out (a lookup's rows, an export's file names, a forward
pseudonym): no access to identities goes unlogged. Records hold what was asked only as a keyed
digest: a lookup's under the query key of the first escrow file read (so only those who can open
the escrow can tell what was asked), a forward pseudonym's under the linkage key's audit subkey
(the key a run's path digests use). A lookup whose escrow does not open is recorded too.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dcmscrub.age import X25519Identity
from dcmscrub.audit.line import new_run_id
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.operator import operator_info
from dcmscrub.audit.records import AccessStatus, EscrowLookup, PseudonymQuery, Query
from dcmscrub.deid.mapping import Forward, forward
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.errors import DataError, InputError
from dcmscrub.escrow.format import UID_KINDS, Row
from dcmscrub.escrow.reader import EscrowRead, read_escrow
from dcmscrub.keys import linkage_key_id

LOOKUP_KINDS = ("pseudonym", "patient_id", "uid", "accession")


@dataclass(frozen=True)
class Question:
    """One thing asked: a pseudonym, or an original Patient ID, UID or accession number (with
    ``issuer`` set, only rows of that issuer answer a Patient ID or accession number)."""

    kind: str
    value: str
    issuer: str | None = None


@dataclass
class Answer:
    """The rows that answer one question (each once, however often the escrow files repeat it)."""

    question: Question
    rows: list[Row] = field(default_factory=list)
    _seen: set[bytes] = field(default_factory=set)

    def add(self, row: Row) -> None:
        line = row.to_line()
        if line not in self._seen:
            self._seen.add(line)
            self.rows.append(row)


def _keys(row: Row) -> list[tuple[str, str]]:
    """The (kind, value) questions a row answers."""
    keys = [("pseudonym", row.pseudonym)]
    if row.name_pseudonym:
        keys.append(("pseudonym", row.name_pseudonym))
    if row.kind == "patient":
        keys.append(("patient_id", row.original))
    elif row.kind == "accession":
        keys.append(("accession", row.original))
    elif row.kind in UID_KINDS:
        keys.append(("uid", row.original))
    return keys


def open_log(log: Path | None, key: bytes | None = None) -> AuditLog | None:
    """The audit log to record accesses in, checked appendable now (before anything is read)."""
    if log is None:
        return None
    audit = AuditLog(log, digest_key=key or os.urandom(32))
    audit.check_writable()
    return audit


def identity_fingerprints(identities: Sequence[X25519Identity]) -> list[str]:
    """The fingerprints of the identities given (what the records name, never the keys)."""
    return sorted({i.recipient.fingerprint for i in identities})


def read_all(
    paths: Sequence[Path], identities: Sequence[X25519Identity], on_row: Callable[[Row], None]
) -> list[EscrowRead]:
    """Read every escrow file (in order), handing each row to ``on_row``."""
    if not paths:
        raise InputError("no escrow file given")
    return [read_escrow(path, identities, on_row) for path in paths]


def lookup(
    paths: Sequence[Path],
    identities: Sequence[X25519Identity],
    questions: Sequence[Question],
    *,
    log: Path | None,
) -> list[Answer]:
    """The rows of the escrow files ``paths`` that answer each question, after one audit record per
    question was appended to ``log`` (operator, identities, escrow SHA-256s, kind, keyed digest,
    rows). Rows repeated within or across files are answered once."""
    audit = open_log(log)
    answers = [Answer(q) for q in questions]
    index: dict[tuple[str, str], list[Answer]] = {}
    for answer in answers:
        index.setdefault((answer.question.kind, answer.question.value), []).append(answer)

    def on_row(row: Row) -> None:
        for key in _keys(row):
            for answer in index.get(key, ()):
                issuer = answer.question.issuer
                if issuer is None or answer.question.kind == "pseudonym" or row.issuer == issuer:
                    answer.add(row)

    run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
    operator, fingerprints = operator_info(os.environ), identity_fingerprints(identities)
    try:
        read = read_all(paths, identities, on_row)
    except DataError:
        if audit is not None:
            failed = [
                EscrowLookup(operator, fingerprints, [], Query(q.kind, None), 0, AccessStatus.FAILED)
                for q in questions
            ]
            audit.record_many(run_id, failed)
        raise
    if audit is not None:
        digests = AuditLog(audit.path, digest_key=read[0].header.query_key)
        escrows = [r.sha256 for r in read]
        records = [
            EscrowLookup(
                operator,
                fingerprints,
                escrows,
                Query(a.question.kind, digests.digest(a.question.value)),
                len(a.rows),
            )
            for a in answers
        ]
        audit.record_many(run_id, records)
    return answers


def forward_pseudonyms(
    profile: Profile, linkage_key: bytes, questions: Sequence[Question], *, log: Path | None
) -> list[Forward]:
    """What a scrub under ``profile`` and ``linkage_key`` gives each value, after one audit record
    per question was appended to ``log``."""
    ps = profile.pseudonyms
    p = Pseudonymizer(linkage_key, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days)
    audit = open_log(log, p.audit_key)
    answers = [forward(q.kind, q.value, q.issuer or "", profile, p) for q in questions]
    if audit is not None:
        operator, key_id = operator_info(os.environ), linkage_key_id(linkage_key)
        described = {"name": profile.name, "sha256": profile.sha256}
        records = [
            PseudonymQuery(
                operator, key_id, described, Query(q.kind, audit.digest(q.value)), a.pseudonym is not None
            )
            for q, a in zip(questions, answers, strict=True)
        ]
        audit.record_many(new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom), records)
    return answers
