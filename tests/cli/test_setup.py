"""Keys and setup that forgive: keygen's public file and -y, a key of the wrong kind named for what
it is, folders checked before anything is written, shell completion, help that reads well, a
decrypt with the wrong key said once, a first progress frame without absurd rates. Each in a real
``dcmscrub`` process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_scripting import ANSI, on_a_terminal

from conftest import SAMPLE

CT = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"


def dcmscrub(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "dcmscrub", *(str(a) for a in args)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env or dict(os.environ))


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    return folder


# -- keygen ------------------------------------------------------------------------------------------


def test_keygen_writes_the_public_file_itself_and_refuses_before_writing_anything(keys: Path) -> None:
    made = dcmscrub("keygen", "-o", keys / "reader.key")
    assert made.returncode == 0, made.stderr
    recipient = made.stdout.strip()
    assert recipient.startswith("age1")
    assert (keys / "reader.key.pub").read_text() == recipient + "\n"
    assert (keys / "reader.key").stat().st_mode & 0o777 == 0o600
    before = {p.name: p.read_bytes() for p in keys.iterdir()}
    again = dcmscrub("keygen", "-o", keys / "reader.key")
    assert again.returncode == 73 and "reader.key already exists" in again.stderr
    assert {p.name: p.read_bytes() for p in keys.iterdir()} == before  # nothing touched
    (keys / "other.key.pub").write_text("something the user keeps\n")  # e.g. from a shell redirect
    blocked = dcmscrub("keygen", "-o", keys / "other.key")
    assert blocked.returncode == 73 and "other.key.pub already exists" in blocked.stderr
    assert not (keys / "other.key").exists()  # refused before the secret was written
    audit = dcmscrub("keygen", "--audit", "-o", keys / "audit.key")
    assert (keys / "audit.key.pub").read_text() == audit.stdout  # dcmscrubaudit1...
    assert dcmscrub("keygen", "--linkage", "-o", keys / "project.key").returncode == 0
    assert not (keys / "project.key.pub").exists()  # a linkage secret has no public half


def test_keygen_y_prints_the_public_part_of_an_existing_key(keys: Path) -> None:
    recipient = dcmscrub("keygen", "-o", keys / "reader.key").stdout
    key_id = dcmscrub("keygen", "--linkage", "-o", keys / "project.key").stdout
    audit = dcmscrub("keygen", "--audit", "-o", keys / "audit.key").stdout
    assert dcmscrub("keygen", "-y", keys / "reader.key").stdout == recipient
    assert dcmscrub("keygen", "-y", keys / "project.key").stdout == key_id
    assert dcmscrub("keygen", "-y", keys / "audit.key").stdout == audit
    age = subprocess.run(["age-keygen", "-y", keys / "reader.key"], capture_output=True, text=True)
    if age.returncode == 0:  # the same answer as age's own tool, where it is installed
        assert age.stdout == recipient
    public = dcmscrub("keygen", "-y", keys / "reader.key.pub")
    assert public.returncode == 78 and "age recipient" in public.stderr and "public already" in public.stderr
    (keys / "reader.key").chmod(0o644)
    assert dcmscrub("keygen", "-y", keys / "reader.key").returncode == 78  # protected like any secret


def test_a_key_of_the_wrong_kind_says_what_it_is(keys: Path, tmp_path: Path) -> None:
    dcmscrub("keygen", "-o", keys / "reader.key")
    dcmscrub("keygen", "--linkage", "-o", keys / "project.key")
    wrong = dcmscrub(
        "scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--linkage-key", keys / "reader.key"
    )
    assert wrong.returncode == 78
    assert "holds an age identity" in wrong.stderr and "not a linkage secret" in wrong.stderr
    assert "keygen --linkage" in wrong.stderr and "AGE-SECRET-KEY-1" in wrong.stderr
    assert not (tmp_path / "out").exists()
    swapped = dcmscrub("decrypt", tmp_path, "--out", tmp_path / "p", "-i", keys / "project.key")
    assert swapped.returncode == 78 and "holds a linkage secret" in swapped.stderr
    key_text = (keys / "reader.key").read_text().split("\n")[2]
    assert key_text not in wrong.stderr  # named, never shown


def test_keygen_refuses_a_folder_that_scrub_would_refuse(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # others could swap the key file: scrub would refuse to read it
    refused = dcmscrub("keygen", "--linkage", "-o", shared / "project.key")
    assert (
        refused.returncode == 78 and "writable by others" in refused.stderr and "chmod go-w" in refused.stderr
    )
    assert list(shared.iterdir()) == []
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    sticky.chmod(0o1777)  # like /tmp: others cannot replace our file, scrub accepts it
    assert dcmscrub("keygen", "--linkage", "-o", sticky / "project.key").returncode == 0
    result = dcmscrub(
        "scrub", CT, "--out", tmp_path / "out", "--no-encrypt", "--linkage-key", sticky / "project.key"
    )
    assert result.returncode == 0, result.stderr


# -- setup ---------------------------------------------------------------------------------------------


def test_a_log_folder_that_cannot_be_made_stops_the_run_before_the_output_tree(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the log's folder should be")
    out = tmp_path / "out"
    result = dcmscrub(
        "scrub", SAMPLE, "--out", out, "--no-encrypt", "--log", blocker / "dcmscrub" / "audit.jsonl"
    )
    assert result.returncode == 74 and "its folder cannot be created" in result.stderr
    assert not out.exists()  # no lock files, no .dcmscrub/, nothing


def test_shell_completion_installs_and_completes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), SHELL="/bin/bash")
    shown = dcmscrub("--show-completion", "bash", env=env)
    assert shown.returncode == 0 and "_DCMSCRUB_COMPLETE" in shown.stdout
    script = tmp_path / "completion.sh"
    script.write_text(shown.stdout)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dcmscrub").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dcmscrub "$@"\n')
    (bin_dir / "dcmscrub").chmod(0o755)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"

    def complete(words: str) -> list[str]:
        line = (
            f"source {script}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); "
            '_dcmscrub_completion dcmscrub; printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env)
        return done.stdout.split()

    assert "scrub" in complete("dcmscrub sc")
    assert complete("dcmscrub scrub --dry") == ["--dry-run"]
    assert {"plan", "diff"} <= set(complete("dcmscrub ''"))
    installed = dcmscrub("--install-completion", "bash", env=env)
    assert installed.returncode == 0, installed.stderr
    assert (home / ".bash_completions" / "dcmscrub.sh").is_file()
    assert "dcmscrub.sh" in (home / ".bashrc").read_text()


def help_of(*command: str) -> str:
    result = dcmscrub(*command, "--help", env=dict(os.environ, COLUMNS="80"))
    assert result.returncode == 0
    return result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["scrub"],
        ["plan"],
        ["diff"],
        ["decrypt"],
        ["encrypt"],
        ["keygen"],
        ["log", "verify"],
        ["log", "show"],
        ["profile", "show"],
        ["profile", "check"],
        ["profile", "list"],
    ],
)
def test_help_shows_the_usage_as_typed_and_examples_unbroken(command: list[str]) -> None:
    from typer.main import get_command

    from dcmscrub.cli import main as cli_main  # noqa: F401 (registers the commands)
    from dcmscrub.cli.app import app

    text = help_of(*command)
    group = get_command(app)
    cmd = group
    for name in command:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    examples = [line.strip() for line in (cmd.epilog or "").splitlines()[3:]]
    assert examples, command
    for line in examples:
        assert line in text, f"example wrapped: {line}"  # shown whole, on its own line
        assert len(line) <= 78, line  # and short enough for an 80-column terminal
    assert "{" not in text.splitlines()[0]


def test_scrub_help_shows_input_dots() -> None:
    assert help_of("scrub").splitlines()[0] == "Usage: dcmscrub scrub [OPTIONS] INPUT..."
    assert help_of("decrypt").splitlines()[0] == "Usage: dcmscrub decrypt [OPTIONS] INPUT..."


# -- decrypt and progress ------------------------------------------------------------------------


def test_decrypt_with_the_wrong_identity_says_it_once_and_leaves_no_folders(
    tmp_path: Path, keys: Path
) -> None:
    reader = dcmscrub("keygen", "-o", keys / "reader.key").stdout.strip()
    dcmscrub("keygen", "-o", keys / "stranger.key")
    assert dcmscrub("scrub", SAMPLE, "--out", tmp_path / "release", "-r", reader).returncode == 3
    out = tmp_path / "plain"
    result = dcmscrub("decrypt", tmp_path / "release", "--out", out, "-i", keys / "stranger.key", "--json")
    assert result.returncode == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("dcmscrub: error:")]
    assert errors == ["dcmscrub: error: no identity matches these files (9 of them)"]
    assert "keygen -y" in result.stderr
    assert json.loads(result.stdout)["failed"] == 9
    assert not out.exists()  # no empty folders behind
    (out / "keep").mkdir(parents=True)  # a folder that was there before stays
    dcmscrub("decrypt", tmp_path / "release", "--out", out, "-i", keys / "stranger.key")
    assert [p.name for p in out.iterdir()] == ["keep"]


def test_the_first_progress_frame_shows_no_rate(tmp_path: Path) -> None:
    code, text = on_a_terminal(["scrub", str(SAMPLE), "--out", str(tmp_path / "out"), "--no-encrypt"])
    assert code == 3, text
    pieces = [ANSI.sub("", f) for f in re.split(r"\r|\n|\x1b\[2K", text)]
    frames = [f for f in pieces if "files/s" in f and "dcmscrub:" not in f]  # the bar, not the summary
    assert frames, text
    assert "-- files/s" in frames[0]  # a rate only after a second: never 270390 files/s
    rates = [int(r) for f in frames for r in re.findall(r"(\d+) files/s", f)]
    inputs = sum(1 for p in SAMPLE.rglob("*") if p.is_file())
    assert all(rate <= inputs for rate in rates), rates  # over a second or more, never more than all


def test_rate_text_waits_a_second() -> None:
    from dcmscrub.cli.console import rate_text

    assert rate_text(1, 0.0003) == "-- files/s"
    assert rate_text(0, 5.0) == "-- files/s"
    assert rate_text(30, 2.0) == "15 files/s"
