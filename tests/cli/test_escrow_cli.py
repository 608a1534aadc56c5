"""The escrow from the command line: scrub --escrow, escrow lookup|export, pseudonym; each logged."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pydicom
import pytest

from conftest import SAMPLE, dcm_files
from dcmscrub import cli
from dcmscrub.deid.dates import shift_date

MANIFEST = json.loads((SAMPLE / "MANIFEST.json").read_text())
RELEASED = [f for f in MANIFEST["files"] if f["expected"] == "deidentify"]


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.fixture
def keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    out: dict[str, object] = {}
    for name in ("reader", "broker"):
        code, pub, _ = run(capsys, "keygen", "-o", folder / f"{name}.key")
        assert code == 0
        out[name], out[f"{name}.key"] = pub.strip(), folder / f"{name}.key"
    assert run(capsys, "keygen", "--linkage", "-o", folder / "project.key")[0] == 0
    out["linkage"] = folder / "project.key"
    return out


def scrub(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, keys: dict[str, object], *extra: object
) -> tuple[int, str]:
    args = ["scrub", SAMPLE, "--out", tmp_path / "release", "--no-encrypt", "--linkage-key", keys["linkage"]]
    code, out, err = run(capsys, *args, *extra, "--json")
    return code, out or err


# -- refusals ------------------------------------------------------------------------------


def test_an_escrow_inside_the_output_tree_is_refused_with_73(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, keys: dict[str, object]
) -> None:
    code, err = scrub(
        capsys, tmp_path, keys, "--escrow", keys["broker"], "--escrow-out", tmp_path / "release" / "vault"
    )
    assert code == 73 and "inside the output folder" in err
    assert not (tmp_path / "release").exists()  # refused before anything was made


def test_escrow_options_come_in_pairs_and_never_name_a_data_recipient(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, keys: dict[str, object]
) -> None:
    assert scrub(capsys, tmp_path, keys, "--escrow", keys["broker"])[0] == 2
    assert scrub(capsys, tmp_path, keys, "--escrow-out", tmp_path / "vault")[0] == 2
    args = ["scrub", SAMPLE, "--out", tmp_path / "release", "-r", keys["reader"], "--escrow", keys["reader"]]
    code, _, err = run(capsys, *args, "--escrow-out", tmp_path / "vault")
    assert code == 78 and "also a recipient of the outputs" in err


def test_the_profile_escrow_section_is_validated_and_used(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, keys: dict[str, object]
) -> None:
    bad = tmp_path / "bad.yaml"
    head = f"version: 1\nname: bad\nextends: basic\nrecipients: [{keys['reader']}]\n"
    bad.write_text(head + "escrow:\n  recipients: [age1nope]\n  folder: /tmp\n")
    code, _, err = run(capsys, "profile", "check", bad)
    assert code == 78 and "(and 1 more problem)" in err
    assert f"{bad}:6: not an age X25519 recipient" in err and f"{bad}:7: unknown key 'escrow.folder'" in err
    bad.write_text(head + f"escrow:\n  recipients: [{keys['reader']}]\n")
    code, _, err = run(capsys, "profile", "check", bad)
    assert code == 78 and f"{bad}:6: escrow recipient" in err and "also a recipient of the outputs" in err
    site = tmp_path / "site.yaml"
    site.write_text(f"version: 1\nname: site\nextends: basic\nescrow: {{recipients: [{keys['broker']}]}}\n")
    code, out, _ = run(capsys, "profile", "show", site)
    assert code == 0 and f"escrow:\n  recipients:\n  - {keys['broker']}" in out
    assert (
        scrub(capsys, tmp_path, keys, "--profile", site)[0] == 2
    )  # the profile asks for an escrow: where to?
    code, out = scrub(capsys, tmp_path, keys, "--profile", site, "--escrow-out", tmp_path / "vault")
    assert code == 3 and Path(json.loads(out)["escrow"]).is_file()


# -- round trip through the command line ------------------------------------------------------


def test_lookup_and_export_answer_from_the_escrow_and_are_logged(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    keys: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out = scrub(capsys, tmp_path, keys, "--escrow", keys["broker"], "--escrow-out", tmp_path / "vault")
    assert code == 3, out  # sample_data holds a quarantined file
    escrow = json.loads(out)["escrow"]
    outputs = [pydicom.dcmread(p) for p in dcm_files(tmp_path / "release")]
    ident = ("-i", keys["broker.key"])
    code, text, _ = run(capsys, "escrow", "lookup", escrow, *ident, "--pseudonym", outputs[0].SOPInstanceUID)
    assert code == 0
    header, row = text.splitlines()
    assert header.split("\t")[:4] == ["kind", "original", "issuer", "pseudonym"]
    assert row.split("\t")[:2] == [
        "sop_uid",
        next(f["sop_instance"] for f in RELEASED if row.split("\t")[1] == f["sop_instance"]),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("FAKE-MRN-0001\nFAKE-MRN-0003\n"))
    code, js, _ = run(capsys, "escrow", "lookup", escrow, *ident, "--patient-id", "-", "--json")
    answer = json.loads(js)
    assert code == 0 and answer["questions"] == 2
    assert sorted(r["original"] for r in answer["rows"]) == ["FAKE-MRN-0001", "FAKE-MRN-0003"]
    # the MIDI-B export: every output's SOP Instance UID must be in uid_mapping.csv (id_old,id_new)
    code, _, err = run(
        capsys, "escrow", "export", escrow, *ident, "--format", "midi", "-o", tmp_path / "midi"
    )
    assert code == 0 and "plaintext" in err
    uid_map = tmp_path / "midi" / "uid_mapping.csv"
    with uid_map.open() as fh:
        uids = {r["id_new"]: r["id_old"] for r in csv.DictReader(fh)}
    assert uid_map.read_text().startswith("id_old,id_new\n")
    assert {uids[ds.SOPInstanceUID] for ds in outputs} == {f["sop_instance"] for f in RELEASED}
    with (tmp_path / "midi" / "patid_mapping.csv").open() as fh:
        patids = {r["id_old"]: r["id_new"] for r in csv.DictReader(fh)}
    assert {patids[pid] for pid in patids} == {ds.PatientID for ds in outputs}
    for path in (tmp_path / "midi").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (
        run(capsys, "escrow", "export", escrow, *ident, "--format", "midi", "-o", tmp_path / "midi")[0] == 73
    )
    code, _, _ = run(capsys, "escrow", "export", escrow, *ident, "--format", "csv", "-o", tmp_path / "csv")
    assert code == 0 and (tmp_path / "csv" / "mapping.csv").read_text().startswith(
        "kind,original,issuer,pseudonym,"
    )
    # a data recipient cannot open it (65); every access, that one too, is on the record and verifies
    code, _, err = run(capsys, "escrow", "lookup", escrow, "-i", keys["reader.key"], "--uid", "1.2.3")
    assert code == 65 and "cannot decrypt" in err
    log = Path(str(json.loads(out)["log"]))
    events = [json.loads(x)["event"] for x in log.read_text().splitlines()]
    assert events.count("escrow_lookup") == 4 and events.count("escrow_export") == 2
    code, _, err = run(capsys, "log", "verify", log)
    assert code == 0, err
    # log show lists each access beside the runs: who asked, whether it was answered, never the question
    code, shown, _ = run(capsys, "log", "show", log, "--json")
    rows = json.loads(shown)["runs"]
    assert code == 0 and [r["command"] for r in rows].count("escrow lookup") == 4
    accesses = [r for r in rows if r["command"] in ("escrow lookup", "escrow export")]
    statuses = [(r["command"], r["status"]) for r in accesses]
    ok_lookups, ok_exports = [("escrow lookup", "ok")] * 3, [("escrow export", "ok")] * 2
    assert statuses == [*ok_lookups, *ok_exports, ("escrow lookup", "failed")]
    assert all(r["user"] and r["started"] for r in accesses)
    code, piped, _ = run(capsys, "log", "show", log)
    assert code == 0 and "FAKE-MRN" not in piped and piped.count("\tescrow export\t") == 2


@pytest.mark.parametrize("profile", ["basic", "research-longitudinal"])
def test_pseudonym_gives_exactly_what_the_scrub_wrote(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    keys: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    profile: str,
) -> None:
    assert scrub(capsys, tmp_path, keys, "--profile", profile)[0] == 3
    outputs = [pydicom.dcmread(path) for path in dcm_files(tmp_path / "release")]
    inputs = {f["sop_instance"]: pydicom.dcmread(SAMPLE / f["path"], force=True) for f in RELEASED}
    base = ["pseudonym", "--linkage-key", keys["linkage"], "--profile", profile, "--json"]
    for out in outputs:
        [original] = [
            ds
            for ds in inputs.values()
            if out.SOPInstanceUID in _answer(capsys, base, "--uid", ds.SOPInstanceUID)
        ]
        patient = json.loads(
            _answer(capsys, base, "--patient-id", original.PatientID, "--issuer", original.IssuerOfPatientID)
        )
        assert patient["pseudonym"] == out.PatientID and patient["patient_name"] == str(out.PatientName)
        if profile == "research-longitudinal":
            assert shift_date(original.StudyDate, patient["date_offset_days"]) == out.StudyDate
        acc = json.loads(
            _answer(
                capsys, base, "--accession", original.AccessionNumber, "--issuer", original.IssuerOfPatientID
            )
        )
        assert acc["pseudonym"] == out.AccessionNumber
    # stdin: many values, one line out per line in, no value in argv
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{u}\n" for u in inputs)))
    code, text, _ = run(
        capsys, "pseudonym", "--linkage-key", keys["linkage"], "--profile", profile, "--uid", "-"
    )
    assert code == 0 and {*text.split()} == {ds.SOPInstanceUID for ds in outputs}
    log = tmp_path / "state-log"
    code, _, _ = run(capsys, "pseudonym", "--linkage-key", keys["linkage"], "--uid", "1.2.3", "--log", log)
    [record] = [json.loads(x) for x in log.read_text().splitlines()]
    assert (
        record["event"] == "pseudonym"
        and record["query"]["kind"] == "uid"
        and "1.2.3" not in json.dumps(record)
    )
    assert run(capsys, "log", "verify", log)[0] == 0
    code, shown, _ = run(capsys, "log", "show", log, "--json")
    [row] = json.loads(shown)["runs"]
    assert (row["command"], row["profile"], row["status"]) == ("pseudonym", "basic", "answered")


def _answer(capsys: pytest.CaptureFixture[str], base: list[object], *query: object) -> str:
    code, out, err = run(capsys, *base, *query)
    assert code == 0, err
    return json.dumps(json.loads(out)["answers"][0])


def test_pseudonym_needs_the_linkage_key_and_one_question(
    capsys: pytest.CaptureFixture[str], keys: dict[str, object]
) -> None:
    assert run(capsys, "pseudonym", "--uid", "1.2.3")[0] == 78
    assert run(capsys, "pseudonym", "--linkage-key", keys["linkage"])[0] == 2
    assert (
        run(capsys, "pseudonym", "--linkage-key", keys["linkage"], "--uid", "1", "--patient-id", "2")[0] == 2
    )


def test_lookup_text_output_cannot_forge_lines_or_terminal_escapes() -> None:
    from dcmscrub.cli.escrow import _cell

    assert _cell("DOE\tJANE\x1b[2J\nP123") == "DOE\\x09JANE\\x1b[2J\\x0aP123"
    assert (_cell(None), _cell(-17), _cell("Müller^Jörg")) == ("", "-17", "Müller^Jörg")
