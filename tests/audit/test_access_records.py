"""``log verify`` checks the records of re-identification: a run's escrow record, and the records of
their own that lookups, exports and forward pseudonyms append."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.records import (
    AccessStatus,
    EscrowExport,
    EscrowLookup,
    EscrowWritten,
    PseudonymQuery,
    Query,
)
from dcmscrub.audit.verify import verify_log

FP = "x25519:" + "ab" * 16
SHA = "cd" * 32
OPERATOR = {"user": "steward", "uid": 1000, "host": "vault"}
RUN = "01a2370b-c4f2-7d5c-8815-3ca5f913eb9b"


def log_of(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl", digest_key=bytes(32))


def lookup_fields(**change: Any) -> dict[str, object]:
    fields = EscrowLookup(OPERATOR, [FP], [SHA], Query("patient_id", "ef" * 32), 1).to_fields()
    return {**fields, **change}


def good_records(log: AuditLog) -> None:
    log.record("q1", EscrowLookup(OPERATOR, [FP], [SHA], Query("pseudonym", "ef" * 32), 2))
    log.record("q2", EscrowLookup(OPERATOR, [FP], [], Query("uid", None), 0, AccessStatus.FAILED))
    log.record(
        "q3", EscrowExport(OPERATOR, [FP], [SHA, SHA], "midi", 10, ["uid_mapping.csv", "patid_mapping.csv"])
    )
    log.record(
        "q4",
        PseudonymQuery(
            OPERATOR, "0123456789abcdef", {"name": "basic", "sha256": SHA}, Query("uid", SHA), True
        ),
    )


def scrub_run(
    log: AuditLog, *, escrow: dict[str, object] | None, declared: bool = True, status: str = "ok"
) -> None:
    keys = {"escrow_recipients": [FP]} if declared else {}
    log.append("run_start", RUN, {"command": "scrub", "keys": keys})
    if escrow is not None:
        log.append("escrow", RUN, escrow)
    exit_code = {"ok": 0, "failed": 74}[status]
    log.append("run_end", RUN, {"counts": {"total": 0}, "status": status, "exit_code": exit_code})


def escrow_fields(**change: Any) -> dict[str, object]:
    fields = EscrowWritten(f"escrow-{RUN}.jsonl.age", SHA, [FP], 5, 1).to_fields()
    return {**fields, **change}


def test_well_formed_access_records_verify(tmp_path: Path) -> None:
    log = log_of(tmp_path)
    good_records(log)
    scrub_run(log, escrow=escrow_fields())
    result = verify_log([log.path])
    assert result.ok, result.problem


@pytest.mark.parametrize(
    "bad",
    [
        {"query": {"kind": "patient_id", "digest": "FAKE-MRN-0001"}},  # a value instead of its digest
        {"query": {"kind": "name", "digest": "ef" * 32}},
        {"query": {"kind": "patient_id", "digest": None}},  # only a failed lookup may lack its digest
        {"identities": []},
        {"identities": ["AGE-SECRET-KEY-1..."]},
        {"escrows": []},
        {"rows": -1},
        {"status": "maybe"},
        {"operator": {}},
        {"note": "extra field"},
    ],
)
def test_a_malformed_lookup_record_fails_verification(tmp_path: Path, bad: dict[str, object]) -> None:
    log = log_of(tmp_path)
    good_records(log)
    log.append("escrow_lookup", "q5", lookup_fields(**bad))
    result = verify_log([log.path])
    assert not result.ok and result.first_bad_seq == 4


def test_malformed_export_and_pseudonym_records_fail_verification(tmp_path: Path) -> None:
    cases = [
        ("escrow_export", EscrowExport(OPERATOR, [FP], [SHA], "xlsx", 1, ["a.csv"]).to_fields()),
        ("escrow_export", EscrowExport(OPERATOR, [FP], [SHA], "csv", 1, ["../etc/passwd"]).to_fields()),
        ("escrow_export", EscrowExport(OPERATOR, [FP], [SHA], "csv", 3, [], AccessStatus.FAILED).to_fields()),
        (
            "pseudonym",
            PseudonymQuery(OPERATOR, "ephemeral", {"name": "b"}, Query("uid", SHA), True).to_fields(),
        ),
        (
            "pseudonym",
            PseudonymQuery(
                OPERATOR, "0123456789abcdef", {"name": "b"}, Query("pseudonym", SHA), True
            ).to_fields(),
        ),
    ]
    for index, (event, fields) in enumerate(cases):
        log = AuditLog(tmp_path / f"{index}.jsonl", digest_key=bytes(32))
        log.append(event, "q", fields)
        assert not verify_log([log.path]).ok, (event, fields)


def test_a_lookup_inside_a_run_fails_verification(tmp_path: Path) -> None:
    log = log_of(tmp_path)
    log.append("run_start", RUN, {"command": "scrub"})
    log.append("escrow_lookup", RUN, lookup_fields())
    assert verify_log([log.path]).problem == "escrow_lookup record inside a run"


@pytest.mark.parametrize(
    ("escrow", "problem"),
    [
        (escrow_fields(file="escrow-other.jsonl.age"), "escrow record names a file that is not its run's"),
        (
            escrow_fields(recipients=["x25519:" + "00" * 16]),
            "escrow recipients differ from those its run_start declared",
        ),
        (escrow_fields(sha256="nope"), "escrow record without a SHA-256"),
        (None, "run_end of a run that declared an escrow, without its escrow record"),
    ],
)
def test_a_run_escrow_record_is_checked_against_its_run(
    tmp_path: Path, escrow: dict[str, object] | None, problem: str
) -> None:
    log = log_of(tmp_path)
    scrub_run(log, escrow=escrow)
    assert verify_log([log.path]).problem == problem


def test_an_escrow_record_outside_its_run_or_twice_fails_and_a_failed_run_may_lack_one(
    tmp_path: Path,
) -> None:
    log = log_of(tmp_path)
    log.append("escrow", RUN, escrow_fields())
    assert verify_log([log.path]).problem == "escrow record outside its run, or twice in one run"
    other = AuditLog(tmp_path / "b.jsonl", digest_key=bytes(32))
    other.append("run_start", RUN, {"command": "scrub", "keys": {"escrow_recipients": [FP]}})
    other.append("escrow", RUN, escrow_fields())
    other.append("escrow", RUN, escrow_fields())
    assert not verify_log([other.path]).ok
    failed = AuditLog(tmp_path / "c.jsonl", digest_key=bytes(32))
    scrub_run(failed, escrow=None, status="failed")
    assert verify_log([failed.path]).ok
