"""The people-facing output: the progress bar on a terminal, nothing without one."""

from __future__ import annotations

import io
import re

from rich.console import Console

from dcmscrub.batch.worker import FileResult
from dcmscrub.cli.console import run_progress
from dcmscrub.outcomes import Outcome, Reason


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, force_terminal=terminal, width=160, highlight=False), buf


def test_the_bar_shows_files_mb_rate_and_failures_on_a_terminal() -> None:
    console, buf = _console(terminal=True)
    with run_progress(console, quiet=False, verbose=False) as bar:
        bar.start(3, 3_000_000)
        bar.advance(FileResult(0, "a.dcm", Outcome.WRITTEN, bytes_in=1_000_000))
        bar.advance(FileResult(1, "b.dcm", Outcome.FAILED, Reason.TRUNCATED, bytes_in=1_000_000))
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buf.getvalue())  # without the terminal's styling
    assert "scrub" in text
    assert "2/3 2/3 MB" in text  # files done of total, then MB done of total
    assert "files/s" in text
    assert "1 failed" in text
    assert "dcmscrub: failed: b.dcm: truncated" in text


def test_no_bar_and_no_chatter_without_a_terminal() -> None:
    console, buf = _console(terminal=False)
    with run_progress(console, quiet=False, verbose=False) as bar:
        bar.start(2, 2_000_000)
        bar.advance(FileResult(0, "a.dcm", Outcome.FAILED, Reason.TRUNCATED, bytes_in=1_000_000))
    assert bar.failures == 1
    assert buf.getvalue() == ""
