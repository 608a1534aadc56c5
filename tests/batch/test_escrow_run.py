"""A scrub run with an escrow: every released pseudonym goes back to its original, for the escrow's
key holder only; the file appears whole, logged, or not at all."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pydicom
import pytest
from test_scrub import make_many

from conftest import KEY, SAMPLE, dcm_files
from dcmscrub.age import X25519Identity, decrypt
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.verify import verify_log
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import AgeSink, PlainSink
from dcmscrub.errors import AuditWriteError, DecryptError, StorageError
from dcmscrub.escrow.access import Question, forward_pseudonyms, lookup
from dcmscrub.escrow.export import export
from dcmscrub.escrow.format import Row
from dcmscrub.escrow.reader import read_escrow
from dcmscrub.escrow.writer import EscrowOptions, EscrowWriter
from dcmscrub.profiles import load_profile

MANIFEST = json.loads((SAMPLE / "MANIFEST.json").read_text())
RELEASED = [f for f in MANIFEST["files"] if f["expected"] == "deidentify"]
READER, BROKER = X25519Identity.generate(), X25519Identity.generate()


def run(inputs: list[Path], out: Path, vault: Path, **kw: Any) -> Any:
    profile = load_profile(kw.pop("profile", "basic"))
    sink = PlainSink() if kw.pop("plain", False) else AgeSink((READER.recipient,))
    kw.setdefault("linkage_key", KEY)
    kw.setdefault("log", out.parent / "audit.jsonl")
    escrow = EscrowOptions((BROKER.recipient,), vault)
    callbacks = {k: kw.pop(k) for k in ("on_result",) if k in kw}
    return scrub_tree(inputs, out, ScrubOptions(profile, sink, escrow=escrow, **kw), **callbacks)


def escrow_rows(path: Path) -> list[Row]:
    rows: list[Row] = []
    read_escrow(path, [BROKER], rows.append)
    return rows


def output_headers(out: Path) -> list[pydicom.Dataset]:
    headers = []
    for path in dcm_files(out):
        plain = io.BytesIO()
        with path.open("rb") as fh:
            decrypt(fh, plain, [READER])
        plain.seek(0)
        headers.append(pydicom.dcmread(plain))
    return headers


def test_round_trip_every_released_pseudonym_looks_up_to_its_original(tmp_path: Path) -> None:
    out, vault, log = tmp_path / "release", tmp_path / "vault", tmp_path / "audit.jsonl"
    summary = run([SAMPLE], out, vault, profile="research-longitudinal")
    assert summary.escrow is not None and summary.escrow.parent == vault.resolve()
    headers = output_headers(out)
    assert len(headers) == len(RELEASED)
    questions = []
    for ds in headers:
        questions += [
            Question("pseudonym", v) for v in (ds.PatientID, ds.AccessionNumber, ds.StudyInstanceUID)
        ]
        questions += [Question("pseudonym", ds.SeriesInstanceUID), Question("pseudonym", ds.SOPInstanceUID)]
    answers = lookup([summary.escrow], [BROKER], questions, log=log)
    originals = {}
    for answer in answers:
        assert len(answer.rows) == 1, answer.question  # every pseudonym answers, once, however often escrowed
        originals[answer.question.value] = answer.rows[0]
    by_sop = {f["sop_instance"]: f for f in RELEASED}
    assert {originals[ds.SOPInstanceUID].original for ds in headers} == set(by_sop)
    patients = {MANIFEST_ID for MANIFEST_ID in ("FAKE-MRN-0001", "FAKE-MRN-0002", "FAKE-MRN-0003")}
    for ds in headers:
        patient = originals[ds.PatientID]
        assert patient.kind == "patient" and patient.original in patients and patient.issuer
        assert patient.date_offset_days  # research-longitudinal shifts dates; the offset is escrowed
        assert originals[ds.SOPInstanceUID].patient == ds.PatientID
        assert originals[ds.AccessionNumber].original.startswith("FAKEACC")
    # every lookup is on the record, as a keyed digest only; the log holds with its escrow record
    records = [json.loads(x) for x in log.read_text().splitlines()]
    lookups = [r for r in records if r["event"] == "escrow_lookup"]
    assert len(lookups) == len(questions) and all(r["rows"] == 1 for r in lookups)
    asked = json.dumps(lookups)
    assert not [q.value for q in questions if q.value in asked]
    assert not any(s in log.read_text() for s in MANIFEST["phi_strings"] if len(s) > 6)
    [escrowed] = [r for r in records if r["event"] == "escrow"]
    assert escrowed["sha256"] == hashlib.sha256(summary.escrow.read_bytes()).hexdigest()
    assert (
        escrowed["recipients"] == [BROKER.recipient.fingerprint] and escrowed["file"] == summary.escrow.name
    )
    assert lookups[0]["escrows"] == [escrowed["sha256"]]
    assert verify_log([log]).ok


def test_a_data_recipient_cannot_open_the_escrow_and_its_attempt_is_logged(tmp_path: Path) -> None:
    out, vault, log = tmp_path / "release", tmp_path / "vault", tmp_path / "audit.jsonl"
    summary = run([SAMPLE], out, vault)
    with pytest.raises(DecryptError):
        lookup([summary.escrow], [READER], [Question("patient_id", "FAKE-MRN-0001")], log=log)
    last = json.loads(log.read_text().splitlines()[-1])
    assert last["event"] == "escrow_lookup" and last["status"] == "failed" and last["rows"] == 0
    assert last["identities"] == [READER.recipient.fingerprint]
    assert verify_log([log]).ok


def test_a_rerun_escrows_the_outputs_already_in_place(tmp_path: Path) -> None:
    out, vault = tmp_path / "release", tmp_path / "vault"
    first = run([SAMPLE], out, vault, plain=True)
    before = {p: p.read_bytes() for p in dcm_files(out)}
    second = run([SAMPLE], out, vault, plain=True)
    assert second.counts["exists"] == len(RELEASED) and second.counts["written"] == 0
    assert {p: p.read_bytes() for p in dcm_files(out)} == before
    assert first.escrow != second.escrow
    assert sorted(r.to_line() for r in escrow_rows(second.escrow)) == sorted(
        r.to_line() for r in escrow_rows(first.escrow)
    )


def test_an_escrow_that_cannot_be_written_stops_the_run_and_leaves_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_many(tmp_path / "in", 20)
    out, vault, log = tmp_path / "release", tmp_path / "vault", tmp_path / "audit.jsonl"
    real = EscrowWriter.add
    calls = {"n": 0}

    def full(self: EscrowWriter, mapping: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, mapping)

    monkeypatch.setattr(EscrowWriter, "add", full)
    with pytest.raises(StorageError, match="escrow could not be written") as info:
        run([corpus], out, vault, plain=True)
    assert info.value.exit_code == 74
    assert list(vault.iterdir()) == []  # no escrow, not even its temporary file
    records = [json.loads(x) for x in log.read_text().splitlines()]
    assert "escrow" not in [r["event"] for r in records] and records[-1]["status"] == "failed"
    assert verify_log([log]).ok


def test_a_run_whose_audit_log_fails_leaves_no_escrow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, vault = tmp_path / "release", tmp_path / "vault"
    real = AuditLog.append_many

    def refuse_escrow(self: AuditLog, event: str, run_id: str, fields: Any) -> Any:
        if event == "escrow":
            raise AuditWriteError("cannot append to the audit log: no space left on the device")
        return real(self, event, run_id, fields)

    monkeypatch.setattr(AuditLog, "append_many", refuse_escrow)
    with pytest.raises(AuditWriteError):
        run([SAMPLE], out, vault)
    assert list(vault.iterdir()) == []  # an escrow appears only once it is on the record


def test_a_run_without_escrow_carries_no_values_in_its_results(tmp_path: Path) -> None:
    seen: list[Any] = []
    options = ScrubOptions(load_profile("basic"), PlainSink(), linkage_key=KEY, log=tmp_path / "a.jsonl")
    scrub_tree([SAMPLE], tmp_path / "out", options, on_result=lambda r: seen.append(r.mapping))
    assert seen and all(m is None for m in seen)
    seen.clear()
    run([SAMPLE], tmp_path / "out2", tmp_path / "vault", on_result=lambda r: seen.append(r.mapping))
    assert seen and all(m is None for m in seen)  # used for the escrow, then dropped


def test_kill_9_leaves_no_escrow_and_the_rerun_escrows_everything(
    tmp_path: Path, linkage_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_many(tmp_path / "in", 150)
    out, vault, log = tmp_path / "out", tmp_path / "vault", tmp_path / "audit.jsonl"
    monkeypatch.setenv("DCMSCRUB_LOG", str(log))
    cmd = [
        sys.executable,
        "-m",
        "dcmscrub",
        "scrub",
        str(corpus),
        "--out",
        str(out),
        "--no-encrypt",
        "--quiet",
    ]
    cmd += [
        "-j",
        "1",
        "--linkage-key",
        str(linkage_file),
        "--escrow",
        str(BROKER.recipient),
        "--escrow-out",
        str(vault),
    ]
    proc = subprocess.Popen(cmd)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not [p for p in dcm_files(out) if not p.name.startswith(".")]:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < len([p for p in dcm_files(out) if not p.name.startswith(".")]) < 150
    [left] = list(vault.iterdir())
    assert left.name.startswith(".escrow-") and ".tmp-" in left.name  # ciphertext, never under the final name
    old = time.time() - 3600
    os.utime(left, (old, old))
    subprocess.run(cmd, check=True)
    [escrow] = list(vault.iterdir())  # the dead run's temporary file was swept
    assert escrow.name.startswith("escrow-") and not escrow.name.startswith(".")
    sops = [r for r in escrow_rows(escrow) if r.kind == "sop_uid"]
    assert len(sops) == 150  # written before the kill or after: every output is escrowed
    assert verify_log([log]).ok


def test_no_access_goes_unlogged(tmp_path: Path) -> None:
    out, vault = tmp_path / "release", tmp_path / "vault"
    summary = run([SAMPLE], out, vault)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # the log's folder is a file: the log cannot be written
    answered: list[Row] = []
    with pytest.raises(AuditWriteError) as info:
        answered += [
            r
            for a in lookup([summary.escrow], [BROKER], [Question("uid", "1")], log=blocked / "a.jsonl")
            for r in a.rows
        ]
    assert info.value.exit_code == 74 and answered == []
    with pytest.raises(AuditWriteError):
        forward_pseudonyms(load_profile("basic"), KEY, [Question("uid", "1.2.3")], log=blocked / "a.jsonl")
    with pytest.raises(AuditWriteError):
        export([summary.escrow], [BROKER], "csv", tmp_path / "csv", log=blocked / "a.jsonl")
    assert not (tmp_path / "csv" / "mapping.csv").exists()
