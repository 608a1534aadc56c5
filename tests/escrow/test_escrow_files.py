"""The escrow file: its versioned format, a writer that streams and names it atomically, the reader."""

from __future__ import annotations

import io
import os
import stat
import time
from pathlib import Path

import pytest

from dcmscrub.age import X25519Identity, decrypt, encrypt
from dcmscrub.deid.mapping import FileMapping
from dcmscrub.errors import ConfigError, DataError, DecryptError, ExitCode, OutputError
from dcmscrub.escrow import writer as writer_module
from dcmscrub.escrow.format import FORMAT_VERSION, EscrowHeader, Row, rows_of
from dcmscrub.escrow.reader import read_escrow
from dcmscrub.escrow.writer import EscrowOptions, EscrowWriter, check_escrow, escrow_name, sweep_dead

RUN = "01a2370b-c4f2-7d5c-8815-3ca5f913eb9b"
BROKER, READER = X25519Identity.generate(), X25519Identity.generate()


def header(run_id: str = RUN) -> EscrowHeader:
    return EscrowHeader(
        run_id, "2026-01-01T00:00:00.000000Z", "dcmscrub", "0123456789abcdef", "basic", "a" * 64, bytes(32)
    )


def mapping(patient: str = "MRN-1", sop: str = "1.2.3.4.1", offset: int | None = None) -> FileMapping:
    return FileMapping(
        patient_id=patient,
        issuer="HOSP",
        patient=f"P{patient}",
        patient_name="DOE^JANE",
        patient_name_pseudonym=f"PSEUDO^{patient}",
        date_offset_days=offset,
        accession="ACC-1",
        accession_pseudonym="AACC",
        uids=(("study", "1.2.3", "2.25.1"), ("series", "1.2.3.4", "2.25.2"), ("sop", sop, f"2.25.{sop}")),
    )


def read_rows(path: Path, identity: X25519Identity = BROKER) -> tuple[EscrowHeader, list[Row]]:
    rows: list[Row] = []
    read = read_escrow(path, [identity], rows.append)
    assert read.rows == len(rows)
    return read.header, rows


# -- the format --------------------------------------------------------------------------


def test_rows_of_one_output_and_their_lines_round_trip() -> None:
    rows = list(rows_of(mapping(offset=-17)))
    assert [r.kind for r in rows] == ["patient", "accession", "study_uid", "series_uid", "sop_uid"]
    patient = rows[0]
    assert (patient.original, patient.issuer, patient.pseudonym, patient.name) == (
        "MRN-1",
        "HOSP",
        "PMRN-1",
        "DOE^JANE",
    )
    assert patient.date_offset_days == -17 and all(r.patient == "PMRN-1" for r in rows)
    for row in rows:
        assert Row.from_line(row.to_line()[:-1], "x") == row
    assert (
        b"date_offset_days" not in rows_of(mapping()).__next__().to_line()
    )  # keys that do not apply are left out


def test_the_header_names_its_version_and_a_reader_refuses_others() -> None:
    line = header().to_line()
    assert line.startswith(b'{"created"') and b'"format":"dcmscrub-escrow"' in line and b'"version":1' in line
    assert EscrowHeader.from_line(line[:-1], "x") == header()
    newer = line.replace(b'"version":1', b'"version":2')
    with pytest.raises(DataError, match="version 2 is not supported") as info:
        EscrowHeader.from_line(newer, "x")
    assert info.value.exit_code == ExitCode.DATA
    with pytest.raises(DataError, match="not a dcmscrub escrow"):
        EscrowHeader.from_line(b'{"format":"other","version":1}', "x")
    with pytest.raises(DataError, match="damaged escrow row"):
        Row.from_line(b'{"kind":"patient","original":"X"}', "x")


# -- writing -------------------------------------------------------------------------------


def test_the_escrow_appears_only_when_committed_mode_0600(tmp_path: Path) -> None:
    writer = EscrowWriter(EscrowOptions((BROKER.recipient,), tmp_path), header())
    writer.add(mapping())
    assert not (tmp_path / escrow_name(RUN)).exists()
    temps = [p for p in tmp_path.iterdir() if p.name.startswith(".escrow-")]
    assert len(temps) == 1 and stat.S_IMODE(temps[0].stat().st_mode) == 0o600
    sealed = writer.seal()
    assert not sealed.path.exists()  # sealed and synced, still under its temporary name
    final = writer.commit()
    assert final == tmp_path / escrow_name(RUN) and stat.S_IMODE(final.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [final.name]
    import hashlib

    assert hashlib.sha256(final.read_bytes()).hexdigest() == sealed.sha256
    head, rows = read_rows(final)
    assert head == header() and len(rows) == sealed.rows == 5


def test_an_aborted_escrow_leaves_nothing(tmp_path: Path) -> None:
    writer = EscrowWriter(EscrowOptions((BROKER.recipient,), tmp_path), header())
    writer.add(mapping())
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_repeated_rows_are_dropped_with_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "REMEMBERED_ROWS", 8)
    writer = EscrowWriter(EscrowOptions((BROKER.recipient,), tmp_path), header())
    for i in range(3):
        writer.add(mapping(sop=f"1.2.3.4.{i}"))  # one patient, study, series: three instances
    assert writer.rows == 4 + 3
    for i in range(50):  # many patients: memory stays at the bound, repeats may be written again
        writer.add(mapping(patient=f"MRN-{i}", sop=f"9.{i}"))
        assert len(writer._recent) <= 8
    writer.seal()
    _, rows = read_rows(writer.commit())
    assert len(rows) == writer.rows
    assert sum(r.kind == "sop_uid" for r in rows) == 53


def test_dead_writers_temporary_files_are_swept_live_ones_kept(tmp_path: Path) -> None:
    live = EscrowWriter(EscrowOptions((BROKER.recipient,), tmp_path), header())
    old = time.time() - 3600
    os.utime(live.tmp, (old, old))
    dead = tmp_path / f".{escrow_name('dead')}.tmp-0123456789ab"
    dead.write_bytes(b"age-encryption.org/v1\n")
    os.utime(dead, (old, old))
    fresh = tmp_path / f".{escrow_name('fresh')}.tmp-0123456789ac"
    fresh.write_bytes(b"x")  # unlocked but new: perhaps a writer between its open and its lock
    assert sweep_dead(tmp_path) == 1
    assert not dead.exists() and live.tmp.exists() and fresh.exists()
    live.abort()


def test_check_escrow_refuses_what_defeats_the_escrow(tmp_path: Path) -> None:
    out, inputs = tmp_path / "release", tmp_path / "inbox"
    out.mkdir()
    inputs.mkdir()
    ok = EscrowOptions((BROKER.recipient,), tmp_path / "vault" / "run")
    check_escrow(ok, (READER.recipient,), out, [inputs])
    assert stat.S_IMODE((tmp_path / "vault" / "run").stat().st_mode) == 0o700
    for folder in (out, out / "escrow", inputs / "escrow"):
        with pytest.raises(OutputError) as info:
            check_escrow(EscrowOptions((BROKER.recipient,), folder), (READER.recipient,), out, [inputs])
        assert info.value.exit_code == ExitCode.CANT_CREATE
    with pytest.raises(ConfigError, match="also a recipient of the outputs") as shared:
        check_escrow(ok, (READER.recipient, BROKER.recipient), out, [inputs])
    assert shared.value.exit_code == ExitCode.CONFIG
    with pytest.raises(ConfigError):
        check_escrow(EscrowOptions((), tmp_path / "v2"), (), out, [inputs])


# -- reading ---------------------------------------------------------------------------------


def written(tmp_path: Path) -> Path:
    writer = EscrowWriter(EscrowOptions((BROKER.recipient,), tmp_path), header())
    for i in range(2000):  # several age chunks
        writer.add(mapping(sop=f"1.2.3.4.{i}"))
    writer.seal()
    return writer.commit()


def test_only_an_escrow_identity_opens_it(tmp_path: Path) -> None:
    path = written(tmp_path)
    with pytest.raises(DecryptError) as info:
        read_escrow(path, [READER], lambda _row: None)
    assert info.value.exit_code == ExitCode.DATA and str(path) in info.value.message


def test_a_cut_or_altered_escrow_is_refused(tmp_path: Path) -> None:
    path = written(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 70000])
    with pytest.raises(DecryptError):
        read_escrow(path, [BROKER], lambda _row: None)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(DecryptError):
        read_escrow(path, [BROKER], lambda _row: None)


def test_an_age_file_that_is_not_an_escrow_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.age"
    with path.open("wb") as fh:
        encrypt(io.BytesIO(b"hello\n"), fh, [BROKER.recipient])
    with pytest.raises(DataError, match="not a dcmscrub escrow"):
        read_escrow(path, [BROKER], lambda _row: None)
    # and the plaintext of a good one is what the format says: a header line, then rows
    plain = io.BytesIO()
    (tmp_path / "w").mkdir()
    with written(tmp_path / "w").open("rb") as fh:
        decrypt(fh, plain, [BROKER])
    lines = plain.getvalue().splitlines()
    assert (
        EscrowHeader.from_line(lines[0], "x").run_id == RUN
        and f'"version":{FORMAT_VERSION}' in lines[0].decode()
    )
