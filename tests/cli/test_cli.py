"""The command line: every exit code, one clean line per error, stdout for data only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, dcm_files
from dcmscrub import cli
from dcmscrub.batch.outtree import OutputTree
from dcmscrub.cli import app as cli_app
from dcmscrub.cli import scrub as cli_scrub

LINKAGE = "--linkage-key"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``dcmscrub ARGS`` through cli.main (the one place errors become exit codes)."""
    with pytest.raises(SystemExit) as info:
        cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def good_tree(tmp_path: Path) -> Path:
    """sample_data without the files held back for burned-in text (so a basic run exits 0)."""
    tree = tmp_path / "good"
    shutil.copytree(SAMPLE, tree)
    manifest = json.loads((SAMPLE / "MANIFEST.json").read_text())
    for f in manifest["files"]:
        if f["expected"] == "quarantine":
            (tree / f["path"]).unlink()
    return tree


# -- one test per exit code -------------------------------------------------------------------


def test_exit_0_and_json_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, linkage_file: Path
) -> None:
    code, out, err = run(
        capsys,
        "scrub",
        good_tree(tmp_path),
        "--out",
        tmp_path / "out",
        "--no-encrypt",
        LINKAGE,
        linkage_file,
        "--json",
    )
    assert code == 0, err
    summary = json.loads(out)
    assert summary["exit_code"] == 0 and summary["counts"]["written"] == 9
    assert summary["status"] == "ok" and summary["linkage_key"] == "file"
    assert "done:" in err and "9 written" in err
    assert "Traceback" not in err


def test_exit_0_for_an_empty_inbox(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    code, _out, err = run(capsys, "scrub", tmp_path / "inbox", "--out", tmp_path / "out", "--no-encrypt")
    assert code == 0, err
    assert "random secret for this run only" in err  # no linkage key: stderr says so


def test_exit_1_when_the_log_was_tampered_with(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    run(capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--log", log)
    code, _out, err = run(capsys, "log", "verify", log)
    assert code == 0, err
    lines = log.read_text().splitlines()
    del lines[3]
    log.write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "log", "verify", log, "--json")
    assert code == 1
    assert json.loads(out)["first_bad_seq"] == 3  # the missing record
    assert "log check failed at seq 3" in err


def test_an_unrecorded_output_fails_the_check_without_a_seq(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log, out = tmp_path / "audit.jsonl", tmp_path / "out"
    run(capsys, "scrub", SAMPLE, "--out", out, "--no-encrypt", "--log", log)
    (out / "extra.dcm").write_bytes(b"not recorded")
    code, _out, err = run(capsys, "log", "verify", log, "--check-outputs", out)
    assert code == 1
    assert "log check failed: output file not recorded: extra.dcm" in err and "seq" not in err


def test_exit_2_for_usage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, "scrub", SAMPLE, "--out", tmp_path / "o", "--bogus")
    assert code == 2 and "No such option" in err
    code, _out, err = run(capsys, "scrub", SAMPLE, "--out", tmp_path / "o", "--no-encrypt", "--shard", "3/2")
    assert code == 2 and "1 <= K <= N" in err


def test_exit_3_when_a_file_is_quarantined(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _err = run(capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--json")
    assert code == 3
    assert json.loads(out)["problems"]["quarantined:burned_in_annotation"] == 1


def test_exit_65_for_a_damaged_encrypted_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, identity: tuple[Path, str]
) -> None:
    id_path, recipient = identity
    src = tmp_path / "x.txt"
    src.write_bytes(b"hello" * 1000)
    code, _out, err = run(capsys, "encrypt", src, "-o", tmp_path / "x.txt.age", "-r", recipient)
    assert code == 0, err
    data = bytearray((tmp_path / "x.txt.age").read_bytes())
    data[-20] ^= 1
    (tmp_path / "bad.age").write_bytes(bytes(data))
    code, _out, err = run(capsys, "decrypt", tmp_path / "bad.age", "--out", tmp_path / "plain", "-i", id_path)
    assert code == 65
    assert (
        "cannot decrypt: wrong key or damaged file" in err and "chunk" not in err
    )  # no detail without --debug
    assert not (tmp_path / "plain" / "bad").exists()
    assert not [p for p in (tmp_path / "plain").iterdir()]


def test_an_armored_file_fails_with_a_hint_that_names_armor(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, identity: tuple[Path, str]
) -> None:
    id_path, _recipient = identity
    (tmp_path / "x.age").write_bytes(
        b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"
    )
    code, _out, err = run(capsys, "decrypt", tmp_path / "x.age", "--out", tmp_path / "plain", "-i", id_path)
    assert code == 65
    assert "x.age: cannot decrypt: wrong key or damaged file" in err
    assert "ASCII-armored (age -a)" in err and "check the identity file" not in err
    assert not [p for p in (tmp_path / "plain").iterdir()]


def test_exit_66_for_a_missing_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, "scrub", tmp_path / "nope", "--out", tmp_path / "out", "--no-encrypt")
    assert code == 66
    assert err.startswith("dcmscrub: error: input not found") or "input not found" in err


def test_exit_70_for_a_bug_one_line_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret value DOE^JANE")

    monkeypatch.setattr(cli_scrub, "scrub_tree", boom)
    code, _out, err = run(capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt")
    assert code == 70
    assert "internal error (RuntimeError)" in err
    assert "Traceback" not in err and "DOE^JANE" not in err
    code, _out, err = run(capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--debug")
    assert code == 70 and "Traceback" in err


def test_exit_73_for_an_output_inside_the_input(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    code, _out, err = run(capsys, "scrub", sample_copy, "--out", sample_copy / "out", "--no-encrypt")
    assert code == 73 and "inside input" in err
    assert not (sample_copy / "out").exists()


def test_exit_74_when_the_log_cannot_be_appended(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("")
    (tmp_path / "link.jsonl").symlink_to(real)
    out = tmp_path / "out"
    code, _out, err = run(
        capsys, "scrub", SAMPLE, "--out", out, "--no-encrypt", "--log", tmp_path / "link.jsonl"
    )
    assert code == 74 and "audit log" in err
    assert dcm_files(out) == []  # no work goes unlogged


def test_exit_75_when_another_run_holds_the_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    holder = OutputTree(tmp_path / "out")
    holder.prepare()
    try:
        code, _out, err = run(capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt")
    finally:
        holder.release(clean=True)
    assert code == 75 and f"in use by pid {os.getpid()}" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "nonesuch"], "profile 'nonesuch' not found"),
        (["-O", "retain-long-full-dates", "-O", "retain-long-modified-dates"], "contradict"),
        ([], "no recipient"),
        (["-r", "age1notakey"], "recipient"),
    ],
)
def test_exit_78_for_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    full = ["scrub", SAMPLE, "--out", tmp_path / "out", *args]
    if "-r" not in args and args:
        full.append("--no-encrypt")
    code, _out, err = run(capsys, *full)
    assert code == 78, err
    assert message in err and "dcmscrub: error:" in err


def test_exit_78_for_an_unprotected_key_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, linkage_file: Path, identity: tuple[Path, str]
) -> None:
    linkage_file.chmod(0o644)
    code, _out, err = run(
        capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", LINKAGE, linkage_file
    )
    assert code == 78 and "chmod 600" in err
    id_path, _ = identity
    id_path.chmod(0o644)
    code, _out, err = run(capsys, "decrypt", tmp_path, "--out", tmp_path / "p", "-i", id_path)
    assert code == 78 and "chmod 600" in err


def test_exit_78_for_a_bad_profile_lists_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: b\noptions: [nope]\nrules: [{select: Nope, action: keep}]\n")
    code, _out, err = run(capsys, "profile", "check", bad)
    assert code == 78
    assert f"{bad}:3: unknown option 'nope'" in err and f"{bad}:4: unknown element 'Nope'" in err
    code, _out, err = run(
        capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--profile", bad
    )
    assert code == 78 and err.count("dcmscrub: error:") == 2
    assert not (tmp_path / "out").exists()  # validated before any file is touched


# -- keys, profiles, stdout ---------------------------------------------------------------------


def test_keygen_prints_public_parts_and_never_overwrites(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "keygen", "-o", tmp_path / "id.key")
    assert code == 0 and out.startswith("age1") and len(out.strip()) == 62
    assert (tmp_path / "id.key").stat().st_mode & 0o777 == 0o600
    code, out, _ = run(capsys, "keygen", "--linkage", "-o", tmp_path / "l.key")
    assert code == 0 and len(out.strip()) == 16
    code, out, _ = run(capsys, "keygen", "--audit", "-o", tmp_path / "a.key")
    assert code == 0 and out.startswith("dcmscrubaudit1")
    before = (tmp_path / "id.key").read_bytes()
    code, _out, _err = run(capsys, "keygen", "-o", tmp_path / "id.key")
    assert code == 73 and (tmp_path / "id.key").read_bytes() == before


def test_profile_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profile", "list", "--json")
    assert code == 0 and {p["name"] for p in json.loads(out)["profiles"]} >= {
        "basic",
        "research-longitudinal",
    }
    code, out, _ = run(capsys, "profile", "show", "basic", "-O", "retain-uids")
    assert code == 0 and "retain-uids" in out


def test_quiet_prints_nothing_and_json_goes_to_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, linkage_file: Path
) -> None:
    code, out, err = run(
        capsys,
        "scrub",
        SAMPLE,
        "--out",
        tmp_path / "out",
        "--no-encrypt",
        "--quiet",
        "--json",
        LINKAGE,
        linkage_file,
    )
    assert code == 3 and err == "" and json.loads(out)["counts"]["written"] == 9


def test_problem_files_are_listed_with_their_relative_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _code, _out, err = run(capsys, "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "-v")
    assert "skipped: README.txt: not DICOM" in err
    assert "quarantined: NOBODY_ALEX_FAKE-MRN-0003/PT000000/ST000000/SE000000/IM000000" in err
    assert str(SAMPLE) not in err


def test_no_option_takes_a_secret_value() -> None:
    """K3: walk every command; an option about keys, identities or passphrases must take a path."""
    import inspect
    import typing

    def commands(app: object) -> list[object]:
        found = [c.callback for c in getattr(app, "registered_commands", [])]
        for group in getattr(app, "registered_groups", []):
            found += commands(group.typer_instance)
        return found

    checked = []
    for callback in commands(cli_app.app):
        hints = typing.get_type_hints(inspect.unwrap(callback), include_extras=False)  # type: ignore[arg-type]
        for name, hint in hints.items():
            if any(w in name for w in ("pass", "secret", "key", "identity")) and hint is not bool:
                checked.append(name)
                assert "Path" in str(hint), (callback, name, hint)
    assert {"linkage_key", "identity", "passphrase_file", "audit_key"} <= set(checked)


def test_python_dash_m_and_help_work_in_a_subprocess(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "dcmscrub", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "scrub" in result.stdout
    result = subprocess.run([sys.executable, "-m", "dcmscrub", "--version"], capture_output=True, text=True)
    assert result.stdout.startswith("dcmscrub ")
