"""Run marks: a live run's mark is never reaped, a dead run's mark is, exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dcmscrub.audit.journal import hold_run_mark, marks_dir, probe_run, reap_dead_runs

RUN_A = "01a22312-4bd5-7e9c-b214-2291befd00ac"
RUN_B = "01a22312-4bd5-7e9c-b214-2291befd00ad"


def dead_mark(log: Path, run_id: str, *notes: bytes) -> None:
    """The mark of a run that wrote ``notes`` (the last one stays) and then died."""
    mark = hold_run_mark(log, run_id)
    for note in notes:
        mark.note_pending(note)
    mark.abandon()


def test_a_held_mark_is_alive_and_a_released_one_is_gone(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    mark = hold_run_mark(log, RUN_A)
    assert mark.held
    assert (marks_dir(log) / RUN_A).is_file()
    assert oct(marks_dir(log).stat().st_mode & 0o777) == "0o700"
    assert reap_dead_runs(log, RUN_B) == []  # a second open file description cannot take the lock
    assert (marks_dir(log) / RUN_A).is_file()
    mark.release()
    assert not (marks_dir(log) / RUN_A).exists()
    assert reap_dead_runs(log, RUN_B) == []


def test_a_probe_tells_live_dead_and_unknown_runs_apart_and_changes_nothing(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    assert probe_run(log, RUN_A) is None  # no marks folder at all
    mark = hold_run_mark(log, RUN_A)
    assert probe_run(log, RUN_A) is True
    assert probe_run(log, RUN_B) is None  # no mark of its own
    assert reap_dead_runs(log, RUN_B) == []  # the probe left the live run's lock alone
    mark.abandon()
    assert probe_run(log, RUN_A) is False
    assert probe_run(log, RUN_A) is False  # a probe neither reaps nor keeps a lock
    assert reap_dead_runs(log, RUN_B) == [(RUN_A, b"")]
    assert probe_run(log, RUN_A) is None
    (marks_dir(log) / "x").mkdir()
    assert probe_run(log, "../audit.jsonl.runs/x") is None  # a run id from a log is never a path
    os.mkfifo(marks_dir(log) / RUN_B)
    assert probe_run(log, RUN_B) is None  # not a mark of ours, and no hang on a FIFO


def test_an_abandoned_mark_is_reaped_once(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    hold_run_mark(log, RUN_A).abandon()
    assert reap_dead_runs(log, RUN_A) == []  # never one's own
    assert reap_dead_runs(log, RUN_B) == [(RUN_A, b"")]
    assert not (marks_dir(log) / RUN_A).exists()
    assert reap_dead_runs(log, RUN_B) == []


def test_the_mark_of_a_killed_process_is_reaped(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from dcmscrub.audit.journal import hold_run_mark\n"
        f"hold_run_mark(Path(sys.argv[1]), {RUN_A!r})\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(log)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    assert reap_dead_runs(log, RUN_B) == []  # alive in another process
    proc.kill()
    proc.wait()
    assert reap_dead_runs(log, RUN_B) == [(RUN_A, b"")]


def test_a_pending_note_is_handed_to_the_reaper_and_cleared_by_its_run(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    dead_mark(log, RUN_A, b"a longer first note", b"batch 2")  # a note replaces, never appends
    assert reap_dead_runs(log, RUN_B) == [(RUN_A, b"batch 2")]
    mark = hold_run_mark(log, RUN_B)
    mark.note_pending(b"batch 1")
    mark.clear_pending()  # its records made it into the log
    mark.abandon()
    assert reap_dead_runs(log, RUN_A) == [(RUN_B, b"")]


def test_a_dead_mark_is_removed_only_after_its_run_is_recorded(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    dead_mark(log, RUN_A, b"batch 3")
    seen: list[tuple[str, bytes, bool]] = []

    def fail(run_id: str, pending: bytes) -> None:
        seen.append((run_id, pending, probe_run(log, run_id) is True))  # still locked meanwhile
        raise OSError("the log is full")

    with pytest.raises(OSError, match="the log is full"):
        reap_dead_runs(log, RUN_B, fail)
    assert seen == [(RUN_A, b"batch 3", True)]
    assert probe_run(log, RUN_A) is False  # kept, unlocked again: the next run tries again
    assert reap_dead_runs(log, RUN_B, lambda run_id, pending: seen.append((run_id, pending, False))) == [
        (RUN_A, b"batch 3")
    ]
    assert seen[-1] == (RUN_A, b"batch 3", False)
    assert probe_run(log, RUN_A) is None


def test_a_dead_mark_that_cannot_be_removed_does_not_stop_the_reaper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "audit.jsonl"
    hold_run_mark(log, RUN_A).abandon()
    recorded: list[str] = []

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "unlink", refuse)
        assert reap_dead_runs(log, RUN_B, lambda run_id, _pending: recorded.append(run_id)) == [(RUN_A, b"")]
    assert recorded == [RUN_A]
    assert probe_run(log, RUN_A) is False  # still there: the next run records it again


def test_marks_are_skipped_when_they_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "audit.jsonl.runs").write_text("not a folder")
    mark = hold_run_mark(tmp_path / "audit.jsonl", RUN_A)
    assert not mark.held
    mark.release()  # harmless
    assert reap_dead_runs(tmp_path / "audit.jsonl", RUN_B) == []


def test_other_names_in_the_marks_folder_are_left_alone(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    folder = marks_dir(log)
    folder.mkdir()
    (folder / "notes.txt").write_text("x")
    os.symlink(folder / "notes.txt", folder / RUN_A)  # not a regular file: never reaped
    assert reap_dead_runs(log, RUN_B) == []
    assert (folder / "notes.txt").exists() and (folder / RUN_A).is_symlink()
