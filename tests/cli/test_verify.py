"""``dcmscrub verify``: the gate on a release made earlier, encrypted outputs read in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import KEY, SAMPLE
from dcmscrub import cli
from dcmscrub.age import parse_recipient
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import AgeSink
from dcmscrub.deid import actions
from dcmscrub.profiles import load_profile


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def release(tmp_path: Path, recipient: str, *, gate: bool = True) -> Path:
    out = tmp_path / "release"
    sink = AgeSink((parse_recipient(recipient),))
    options = ScrubOptions(
        load_profile("basic"), sink, linkage_key=KEY, log=tmp_path / "audit.jsonl", gate=gate
    )
    scrub_tree([SAMPLE], out, options)
    return out


def test_a_clean_encrypted_release_verifies(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, identity: tuple[Path, str], linkage_file: Path
) -> None:
    key_file, recipient = identity
    out = release(tmp_path, recipient)
    code, stdout, err = run(
        capsys, "verify", out, "--inputs", SAMPLE, "-i", key_file, "--linkage-key", linkage_file, "--json"
    )
    assert code == 0, err
    report = json.loads(stdout)
    assert report["ok"] and report["checked"] == report["clean"] > 0 and report["findings"] == []
    assert not list(tmp_path.rglob("*.dcm"))  # decrypted in memory only


def test_a_planted_identifier_in_an_encrypted_release_is_found(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    identity: tuple[Path, str],
    linkage_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key_file, recipient = identity
    with monkeypatch.context() as m:  # a broken engine, and no gate to stop it
        m.setitem(actions._ACTIONS, "pseudonym", actions.ElementActions._keep_target)
        out = release(tmp_path, recipient, gate=False)
    code, stdout, err = run(
        capsys, "verify", out, "--inputs", SAMPLE, "-i", key_file, "--linkage-key", linkage_file,
        "--log", tmp_path / "audit.jsonl",
    )  # fmt: skip
    assert code == 1, err
    assert "(0010,0010) PatientName" in stdout and "identifier:" in stdout
    # file names are shown (the operator chose them), DICOM values never are
    assert "DOE^JANE" not in stdout and "FAKEACC0001" not in stdout and "19650312" not in stdout
    assert "dcmscrub: error:" in err
    assert not list(tmp_path.rglob("*.dcm"))


def test_stderr_names_the_attribute_path_never_the_value() -> None:
    import io

    from rich.console import Console

    from dcmscrub.batch.worker import FileResult
    from dcmscrub.cli.console import RunProgress
    from dcmscrub.outcomes import Outcome, Reason

    buffer = io.StringIO()
    bar = RunProgress(Console(file=buffer, width=300), enabled=False, verbose=True)
    result = FileResult(0, "in\nbox/a.dcm", Outcome.QUARANTINED, Reason.RESIDUAL_IDENTIFIER)
    result.where = ("(0010,0010) PatientName",)
    bar.advance(result)
    line = buffer.getvalue()
    assert line.count("\n") == 1 and "in\\x0abox/a.dcm" in line
    assert line.rstrip().endswith("at (0010,0010) PatientName")
