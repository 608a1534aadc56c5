"""The issues' "done when" checks, run from outside with the installed command and stock tools."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest

from conftest import SAMPLE, dcm_files, have

DCMSCRUB = [sys.executable, "-m", "dcmscrub"]
MANIFEST = json.loads((SAMPLE / "MANIFEST.json").read_text())
PHI = [s for s in MANIFEST["phi_strings"] if s.upper() != "SAMPLE"]


def sh(
    *args: object, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env)
    if check and result.returncode not in (0, 3):
        raise AssertionError(f"{args}: {result.returncode}\n{result.stderr}")
    return result


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path | str]:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    recipient = sh(*DCMSCRUB, "keygen", "-o", folder / "reader.key").stdout.strip()
    sh(*DCMSCRUB, "keygen", "--linkage", "-o", folder / "project.key")
    audit_pub = sh(*DCMSCRUB, "keygen", "--audit", "-o", folder / "audit.key").stdout.strip()
    (folder / "audit.pub").write_text(audit_pub + "\n")
    return {
        "identity": folder / "reader.key",
        "recipient": recipient,
        "linkage": folder / "project.key",
        "audit": folder / "audit.key",
        "audit_pub": folder / "audit.pub",
    }


@pytest.mark.skipif(not have("age"), reason="Debian's age is not installed")
def test_scrub_encrypted_outputs_open_with_stock_age(tmp_path: Path, keys: dict[str, Path | str]) -> None:
    out = tmp_path / "release"
    sh(*DCMSCRUB, "scrub", SAMPLE, "--out", out, "-r", keys["recipient"], "--linkage-key", keys["linkage"])
    files = [p for p in out.rglob("*") if p.is_file() and ".dcmscrub" not in p.parts]
    assert files and all(p.name.endswith(".dcm.age") for p in files)
    for p in files:
        data = p.read_bytes()
        assert data.startswith(b"age-encryption.org/v1\n") and b"DICM" not in data
        plain = tmp_path / "plain.dcm"
        subprocess.run(["age", "-d", "-i", str(keys["identity"]), "-o", str(plain), str(p)], check=True)
        ds = pydicom.dcmread(plain)
        assert ds.PatientIdentityRemoved == "YES"
        assert not [s for s in PHI if s.encode() in plain.read_bytes()]
        plain.unlink()


@pytest.mark.skipif(not have("age"), reason="Debian's age is not installed")
def test_dcmscrub_decrypts_what_age_encrypted_byte_for_byte(
    tmp_path: Path, keys: dict[str, Path | str]
) -> None:
    src = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
    enc = tmp_path / "x.dcm.age"
    subprocess.run(["age", "-r", str(keys["recipient"]), "-o", str(enc), str(src)], check=True)
    sh(*DCMSCRUB, "decrypt", enc, "--out", tmp_path / "plain", "-i", keys["identity"])
    assert (tmp_path / "plain" / "x.dcm").read_bytes() == src.read_bytes()
    data = bytearray(enc.read_bytes())
    data[len(data) // 2] ^= 0x01
    enc.write_bytes(bytes(data))
    bad = sh(*DCMSCRUB, "decrypt", enc, "--out", tmp_path / "plain2", "-i", keys["identity"], check=False)
    assert bad.returncode == 65
    assert not (tmp_path / "plain2").exists()  # a failed decrypt leaves no empty folder


def test_identity_readable_by_others_is_refused(tmp_path: Path, keys: dict[str, Path | str]) -> None:
    identity = Path(keys["identity"])
    identity.chmod(0o644)
    result = sh(*DCMSCRUB, "decrypt", tmp_path, "--out", tmp_path / "p", "-i", identity, check=False)
    assert result.returncode == 78 and "chmod 600" in result.stderr


def test_signed_audit_log_verifies_and_detects_forgery(tmp_path: Path, keys: dict[str, Path | str]) -> None:
    log = tmp_path / "audit.jsonl"
    out = tmp_path / "release"
    for _ in range(2):
        sh(
            *DCMSCRUB,
            "scrub",
            SAMPLE,
            "--out",
            out,
            "-r",
            keys["recipient"],
            "--linkage-key",
            keys["linkage"],
            "--audit-key",
            keys["audit"],
            "--log",
            log,
        )
    ok = sh(*DCMSCRUB, "log", "verify", log, "--pubkey", keys["audit_pub"], "--check-outputs", out, "--json")
    assert json.loads(ok.stdout)["ok"] is True
    lines = log.read_text().splitlines()
    ends = [i for i, line in enumerate(lines) if '"event":"run_end"' in line]
    record = json.loads(lines[ends[0]])
    record["sig"] = record["sig"][:-4] + ("AAA=" if record["sig"][-4:] != "AAA=" else "BBB=")
    lines[ends[0]] = json.dumps(record, sort_keys=True, separators=(",", ":"))
    log.write_text("\n".join(lines) + "\n")
    bad = sh(*DCMSCRUB, "log", "verify", log, "--pubkey", keys["audit_pub"], check=False)
    assert bad.returncode == 1


def test_log_holds_no_canary_from_names_paths_values_or_secrets(
    tmp_path: Path, keys: dict[str, Path | str]
) -> None:
    tree = tmp_path / "CANARY_DIR" / "Smith^John_CANARY123456"
    tree.mkdir(parents=True)
    ds = pydicom.dcmread(SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm")
    ds.PatientName = "CANARY^PHI^ZZQ"
    ds.PatientID = "CANARY123456"
    ds.PatientBirthDate = "19010203"
    original_uid = ds.SOPInstanceUID
    ds.save_as(tree / "CANARY_19010203.dcm", enforce_file_format=True)
    log = tmp_path / "audit.jsonl"
    env = dict(os.environ, DCMSCRUB_LINKAGE_KEY_FILE=str(keys["linkage"]))
    sh(
        *DCMSCRUB,
        "scrub",
        tmp_path / "CANARY_DIR",
        "--out",
        tmp_path / "out",
        "-r",
        keys["recipient"],
        "--log",
        log,
        env=env,
    )
    text = log.read_text()
    secret_line = Path(keys["linkage"]).read_text().splitlines()[-1]
    for canary in ("CANARY", "ZZQ", "19010203", "Smith", original_uid, secret_line, str(tmp_path)):
        assert canary not in text, canary
    assert len(text.splitlines()) == 3  # run_start, one file, run_end


def test_log_show_lists_runs(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    sh(*DCMSCRUB, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--log", log)
    shown = sh(*DCMSCRUB, "log", "show", log, "--json")
    runs = json.loads(shown.stdout)["runs"]
    assert len(runs) == 1 and runs[0]["command"] == "scrub" and runs[0]["exit_code"] == 3
    table = sh(*DCMSCRUB, "log", "show", log)
    assert "scrub" in table.stdout


def test_passphrase_files_both_ways(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir(mode=0o700)
    secret = folder / "pass.txt"
    secret.write_text("correct horse battery staple\n")
    secret.chmod(0o600)
    src = tmp_path / "notes.txt"
    src.write_text("hello\n" * 100)
    sh(*DCMSCRUB, "encrypt", src, "-o", tmp_path / "notes.txt.age", "--passphrase-file", secret)
    sh(
        *DCMSCRUB,
        "decrypt",
        tmp_path / "notes.txt.age",
        "--out",
        tmp_path / "out",
        "--passphrase-file",
        secret,
    )
    assert (tmp_path / "out" / "notes.txt").read_text() == src.read_text()


def test_four_concurrent_runs_into_one_log_keep_one_chain(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    procs = [
        subprocess.Popen(
            [
                *DCMSCRUB,
                "scrub",
                str(SAMPLE),
                "--out",
                str(tmp_path / f"out{i}"),
                "--no-encrypt",
                "--log",
                str(log),
                "--quiet",
                "-j",
                "1",
            ]
        )
        for i in range(4)
    ]
    assert [p.wait() for p in procs] == [3, 3, 3, 3]
    result = sh(*DCMSCRUB, "log", "verify", log, "--json")
    summary = json.loads(result.stdout)
    assert summary["ok"] and summary["runs"] == 4 and summary["lines"] == 4 * 18


def test_outputs_are_dciodvfy_clean(tmp_path: Path) -> None:
    if not have("dciodvfy"):
        pytest.skip("dciodvfy is not installed")
    out = tmp_path / "out"
    sh(*DCMSCRUB, "scrub", SAMPLE, "--out", out, "--no-encrypt", "--profile", "research-longitudinal")
    for path in dcm_files(out):
        check = subprocess.run(["dciodvfy", str(path)], capture_output=True, text=True)
        errors = [line for line in (check.stdout + check.stderr).splitlines() if line.startswith("Error")]
        assert not errors, (path.name, errors)
