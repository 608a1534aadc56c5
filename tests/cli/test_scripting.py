"""Results a script can use: ``--json`` problem files and error objects, ``log show`` as a table
on a terminal and tab-separated text in a pipe, ``log verify`` on the default log with every
missing and extra output. Each in a real ``dcmscrub`` process."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from conftest import SAMPLE, dcm_files

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def dcmscrub(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "dcmscrub", *(str(a) for a in args)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env or dict(os.environ))


def on_a_terminal(args: list[str], *, columns: int = 80, timeout: float = 120.0) -> tuple[int, str]:
    """Run ``dcmscrub ARGS`` with stdout and stderr on a pseudo-terminal of ``columns`` columns."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = dict(os.environ, COLUMNS=str(columns), TERM="xterm")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dcmscrub", *args], stdin=child, stdout=child, stderr=child, env=env
    )
    os.close(child)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:
                break  # the child closed the terminal
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(main)
    return proc.wait(timeout=10), b"".join(chunks).decode("utf-8", "replace")


# -- --json ----------------------------------------------------------------------------------------


def test_json_lists_each_problem_file_by_its_relative_path(tmp_path: Path) -> None:
    result = dcmscrub("scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--json", "--quiet")
    assert result.returncode == 3
    summary = json.loads(result.stdout)
    problems = {p["input"]: (p["outcome"], p["reason"]) for p in summary["problem_files"]}
    assert problems["NOBODY_ALEX_FAKE-MRN-0003/PT000000/ST000000/SE000000/IM000000"] == (
        "quarantined",
        "burned_in_annotation",
    )
    assert problems["README.txt"] == ("skipped", "not_dicom")
    assert problems["DOE_JANE_FAKE-MRN-0001/CT_2024-01-15/slice_000.dcm"] == ("skipped", "empty")
    assert len(problems) == summary["counts"]["quarantined"] + summary["counts"]["skipped"]
    assert not any(p.startswith("/") or str(SAMPLE) in p for p in problems)


def error_cases(tmp_path: Path) -> list[tuple[list[object], int]]:
    real = tmp_path / "real.jsonl"
    real.write_text("")
    (tmp_path / "link.jsonl").symlink_to(real)
    inside = tmp_path / "inside"
    inside.mkdir()
    plain = ["--no-encrypt"]
    return [
        (["scrub", tmp_path / "nope", "--out", tmp_path / "o1", *plain], 66),
        (["scrub", inside, "--out", inside / "out", *plain], 73),
        (["scrub", SAMPLE, "--out", tmp_path / "o2", *plain, "--log", tmp_path / "link.jsonl"], 74),
        (["scrub", SAMPLE, "--out", tmp_path / "o3"], 78),
        (["scrub", SAMPLE, "--out", tmp_path / "o4", "--bogus"], 2),
    ]


def test_a_run_that_fails_prints_an_error_object_under_json(tmp_path: Path) -> None:
    for args, code in error_cases(tmp_path):
        result = dcmscrub(*args, "--json")
        assert result.returncode == code, (args, result.stderr)
        obj = json.loads(result.stdout)  # one object, and only one
        assert obj["exit_code"] == code and obj["error"] in result.stderr
        assert set(obj) == {"error", "exit_code", "hint"}
        assert dcmscrub(*args).stdout == ""  # without --json stdout stays empty


def test_a_partial_run_prints_its_summary_and_no_error_object(tmp_path: Path) -> None:
    result = dcmscrub("scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--json")
    assert result.returncode == 3
    assert len(result.stdout.splitlines()) == 1 and "error" not in json.loads(result.stdout)


# -- log show ------------------------------------------------------------------------------------


@pytest.fixture
def busy_log(tmp_path: Path, identity: tuple[Path, str]) -> Path:
    """A log with scrub runs (partial, signed or not), a dry run and a decrypt run."""
    log = tmp_path / "log" / "audit.jsonl"
    audit_key = tmp_path / "id" / "audit.key"
    assert dcmscrub("keygen", "--audit", "-o", audit_key).returncode == 0
    for extra in (["--dry-run"], [], ["--audit-key", audit_key], ["--profile", "research-longitudinal"]):
        out = tmp_path / f"out{len(extra)}"
        result = dcmscrub("scrub", SAMPLE, "--out", out, "-r", identity[1], "--log", log, *extra)
        assert result.returncode == 3, result.stderr
    assert (
        dcmscrub(
            "decrypt", tmp_path / "out0", "--out", tmp_path / "p", "-i", identity[0], "--log", log
        ).returncode
        == 0
    )
    return log


def test_log_show_in_a_pipe_is_tab_separated_with_run_id_and_output(busy_log: Path) -> None:
    result = dcmscrub("log", "show", busy_log)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0].split("\t")
    assert header[0] == "run_id" and "output_root_id" in header and "signed" in header
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert len(rows) == 5
    records = [json.loads(line) for line in busy_log.read_text().splitlines()]
    starts = {r["run_id"]: r for r in records if r["event"] == "run_start"}
    for row in rows:
        if row["command"] == "scrub" and row["status"] != "dry run":
            assert row["output_root_id"] == starts[row["run_id"]]["output_root_id"]
    assert {row["status"] for row in rows} == {"dry run", "partial", "ok"}
    assert {row["signed"] for row in rows} == {"yes", "no"}
    assert not re.search(r"\b(True|False|None)\b", result.stdout)  # no Python in the output


def test_log_show_on_a_terminal_fits_80_columns(busy_log: Path) -> None:
    code, text = on_a_terminal(["log", "show", str(busy_log)], columns=80)
    assert code == 0, text
    lines = [ANSI.sub("", line) for line in text.replace("\r", "").splitlines()]
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    records = [json.loads(line) for line in busy_log.read_text().splitlines()]
    run_ids = {r["run_id"] for r in records if r["event"] in ("run_start", "dry_run")}
    assert all(any(run_id[-8:] in line for line in lines) for run_id in run_ids)
    trees = {r["output_root_id"][:8] for r in records if r.get("output_root_id")}
    assert trees and all(any(tree in line for line in lines) for tree in trees)
    header = next(line for line in lines if line.lstrip().startswith("run "))
    assert header.split() == ["run", "started", "profile", "status", "files", "output", "sig"]
    assert "research-lo…" in text  # a long profile name is cut, not wrapped over lines
    assert not re.search(r"\b(True|False)\b", text)


# -- log verify ----------------------------------------------------------------------------------


def test_log_verify_takes_the_default_log_and_counts_and_names_every_difference(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = dict(os.environ, DCMSCRUB_LOG=str(tmp_path / "state" / "audit.jsonl"))
    assert dcmscrub("scrub", SAMPLE, "--out", out, "--no-encrypt", env=env).returncode == 3
    ok = dcmscrub("log", "verify", "--check-outputs", out, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "9 recorded outputs checked" in ok.stderr and "0 missing" in ok.stderr
    gone = dcm_files(out)[0]
    gone.unlink()
    (out / "extra.dcm").write_bytes(b"not recorded")
    bad = dcmscrub("log", "verify", "--check-outputs", out, "--json", env=env)
    assert bad.returncode == 1
    rel = gone.relative_to(out).as_posix()
    assert f"missing: {rel}" in bad.stderr and "not recorded: extra.dcm" in bad.stderr
    assert "1 missing, 0 changed, 1 files not recorded" in bad.stderr
    result = json.loads(bad.stdout)
    assert result["outputs_missing"] == [rel] and result["outputs_extra"] == ["extra.dcm"]
    assert result["outputs_checked"] == 9
    missing = dcmscrub("log", "verify", env=dict(env, DCMSCRUB_LOG=str(tmp_path / "none.jsonl")))
    assert missing.returncode == 2 and "log not found" in missing.stderr and "DCMSCRUB_LOG" in missing.stderr
