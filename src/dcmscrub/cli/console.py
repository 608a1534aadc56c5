"""What people see on stderr: errors, warnings, progress bars and run summaries.

stdout carries data only (``--json``); everything here goes to stderr. A progress bar appears
only when stderr is a terminal and ``--quiet`` is off; without a terminal (cron, pipes) a run
prints one summary line and nothing else. File names are shown (relative to their input root)
because the person running the tool chose them; DICOM values never are.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from dcmscrub.batch.scrub import RunSummary
from dcmscrub.batch.worker import FileResult
from dcmscrub.outcomes import Outcome

if TYPE_CHECKING:  # rich.progress and rich.table are imported when used: a cron run needs neither
    from rich.progress import Progress
    from rich.table import Table


def escaped(text: str) -> str:
    """``text`` with every character that could move the cursor, end a line, change colours or
    reorder what follows (control and format characters, line and paragraph separators, bytes a
    file name held that are not UTF-8) written as an escape (``\\x0a``, ``\\u202e``): a file
    name can never forge a line on stderr."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch.isprintable() and unicodedata.category(ch)[0] != "C":
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")  # a byte of the name that is not UTF-8 (surrogateescape)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def stderr_console(*, quiet: bool = False) -> Console:
    """The console for people (stderr); ``quiet`` silences everything but errors."""
    return Console(stderr=True, quiet=quiet, highlight=False, soft_wrap=True)


def error(console: Console, message: str, hint: str | None = None) -> None:
    """``dcmscrub: error: ...`` and an optional ``dcmscrub: hint: ...`` (never quiet)."""
    out = Console(stderr=True, highlight=False, soft_wrap=True, file=console.file)
    out.print(Text("dcmscrub: error: ", style="bold red") + Text(escaped(message)))
    if hint:
        out.print(Text("dcmscrub: hint: ", style="yellow") + Text(escaped(hint)))


def warn(console: Console, message: str) -> None:
    """``dcmscrub: warning: ...``."""
    console.print(Text("dcmscrub: warning: ", style="yellow") + Text(escaped(message)))


def info(console: Console, message: str) -> None:
    """``dcmscrub: ...`` for a line of information."""
    console.print(Text("dcmscrub: ") + Text(escaped(message)))


def print_json(obj: Mapping[str, Any], stream: TextIO | None = None) -> None:
    """One JSON object on stdout (the only thing dcmscrub prints there)."""
    out = stream or sys.stdout
    out.write(json.dumps(obj, sort_keys=True) + "\n")
    out.flush()


@dataclass
class RunProgress:
    """A progress bar (files, MB, files/s, ETA, failures) or nothing, fed by the runner."""

    console: Console
    enabled: bool
    verbose: bool = False
    _progress: Progress | None = None
    _task: Any = None
    _mb_total: float = 0.0
    _mb_done: float = 0.0
    failures: int = 0
    shown: Counter[str] = field(default_factory=Counter)

    def start(self, files: int, total_bytes: int) -> None:
        self._mb_total = total_bytes / 1e6
        if not self.enabled:
            return
        self._progress = _progress_bar(self.console)
        self._progress.start()
        self._task = self._progress.add_task("scrub", total=files, mb="", failed="")

    def advance(self, result: FileResult) -> None:
        self._mb_done += result.bytes_in / 1e6
        if result.outcome.is_problem:
            self.failures += 1
        if result.outcome not in (Outcome.WRITTEN, Outcome.EXISTS) and (self.enabled or self.verbose):
            reason = result.reason.text if result.reason is not None else ""
            line = Text(f"dcmscrub: {result.outcome}: ") + Text(escaped(result.name)) + Text(f": {reason}")
            if result.where:  # where an identifier was found: attribute paths, never values
                line += Text(" at " + "; ".join(result.where))
            self.console.print(line)
            if result.debug:
                self.console.print(escape(result.debug))
        if self._progress is not None:
            failed = f"[red]{self.failures} failed" if self.failures else ""
            self._progress.update(
                self._task, advance=1, mb=f"{self._mb_done:.0f}/{self._mb_total:.0f} MB", failed=failed
            )

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _progress_bar(console: Console) -> Progress:
    """The bar: files, MB, files/s, elapsed, ETA, failures (rich.progress is imported only here)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.0f} files/s" if speed else "-- files/s", style="progress.data.speed")

    return Progress(
        TextColumn("[bold]scrub"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[mb]}"),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[failed]}"),
        console=console,
        transient=True,
    )


@contextmanager
def run_progress(console: Console, *, quiet: bool, verbose: bool) -> Iterator[RunProgress]:
    """A :class:`RunProgress` that shows a bar only on a terminal."""
    bar = RunProgress(console, enabled=console.is_terminal and not quiet, verbose=verbose and not quiet)
    try:
        yield bar
    finally:
        bar.stop()


def summary_line(summary: RunSummary) -> str:
    """One line for people: counts by outcome (with reasons), time, where outputs and log went."""
    parts = []
    for outcome in (Outcome.WRITTEN, Outcome.EXISTS, Outcome.QUARANTINED, Outcome.SKIPPED, Outcome.FAILED):
        n = summary.counts.get(outcome, 0)
        if not n and outcome not in (Outcome.WRITTEN, Outcome.FAILED):
            continue
        reasons = Counter(r.reason.value for r in summary.problems if r.outcome == outcome and r.reason)
        detail = ", ".join(f"{c} {k}" for k, c in sorted(reasons.items()))
        parts.append(f"{n} {outcome}" + (f" ({detail})" if detail else ""))
    rate = sum(summary.counts.values()) / summary.seconds if summary.seconds else 0.0
    status = {
        "ok": "done",
        "partial": "done with problems",
        "interrupted": "interrupted",
        "failed": "stopped",
    }
    text = f"{status.get(summary.status, summary.status)}: {', '.join(parts)} in {summary.seconds:.1f} s"
    text += f" ({rate:.0f} files/s) -> {summary.out}"
    if summary.log:
        text += f"; log {summary.log}"
    return text


def render_table(rows: Sequence[Mapping[str, Any]], columns: list[str], title: str | None = None) -> Table:
    """A simple rich table of ``rows`` (for ``log show`` and ``profile list``)."""
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*(_cell(r.get(c)) for c in columns))
    return table


def _cell(value: Any) -> str:
    """A table cell: ``-`` for nothing, ``5 written, 1 failed`` for a mapping of counts."""
    if value is None:
        return "-"
    if isinstance(value, Mapping):
        return ", ".join(f"{n} {k}" for k, n in value.items() if k != "total" and n) or "none"
    return str(value)


def stdout_console() -> Console:
    """A console on stdout for human-readable listings a user asked for (``profile show``).

    Without a terminal (a pipe, a file) rich would squeeze tables into 80 columns; a wide page
    keeps each row whole."""
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = max(console.width, 200)
    return console
