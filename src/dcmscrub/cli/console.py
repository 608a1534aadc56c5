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

from dcmscrub.batch.summary import RunSummary
from dcmscrub.batch.worker import FileResult
from dcmscrub.errors import DcmscrubError
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


_PRINTED: list[bool] = []  # whether this command printed its JSON object already
_ERROR_CONTEXT: dict[str, object] = {}


def print_json(obj: Mapping[str, Any], stream: TextIO | None = None) -> None:
    """One JSON object on stdout (the only thing dcmscrub prints there)."""
    global _json_printed
    out = stream or sys.stdout
    out.write(json.dumps(obj, sort_keys=True) + "\n")
    out.flush()
    _PRINTED.append(True)


def reset_json_state() -> None:
    """A new command begins: nothing printed, no error context (main calls this)."""
    _PRINTED.clear()
    _ERROR_CONTEXT.clear()


def json_printed() -> bool:
    """True once the command printed its JSON object (an error then prints no second one)."""
    return bool(_PRINTED)


def error_object(exc: DcmscrubError, **context: object) -> dict[str, object]:
    """The ``--json`` object of a command that ends with an error: ``error`` (the one-line message,
    never a DICOM value or a secret), ``exit_code``, ``hint`` (or null), then ``context`` (e.g.
    ``counts``: what a run had done when it stopped)."""
    return {"error": exc.message, "exit_code": int(exc.exit_code), "hint": exc.hint, **context}


def print_error_json(
    exc: DcmscrubError, context: Mapping[str, object] | None = None, stream: TextIO | None = None
) -> None:
    """Print :func:`error_object` on stdout: under ``--json`` a script always gets one object."""
    print_json(error_object(exc, **(context or {})), stream)


def error_context(**context: object) -> None:
    """What the ``--json`` error object of this command carries besides the error, should one end
    it (``counts``: a live counter of what a run did, read when the object is printed)."""
    _ERROR_CONTEXT.update(context)


def current_error_context() -> dict[str, object]:
    """The registered context as it is now (counts get their ``total``)."""
    out: dict[str, object] = {}
    for key, value in _ERROR_CONTEXT.items():
        if key == "counts" and isinstance(value, Mapping):
            out[key] = {str(k): n for k, n in value.items()} | {"total": sum(value.values())}
        else:
            out[key] = value
    return out


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
            return Text(rate_text(task.completed, task.elapsed), style="progress.data.speed")

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


RATE_AFTER_SECONDS = 1.0  # before that, a rate is noise (the first files may be instant skips)


def rate_text(done: float, elapsed: float | None) -> str:
    """Files per second over the whole run so far; ``--`` until a second has passed."""
    if not elapsed or elapsed < RATE_AFTER_SECONDS or not done:
        return "-- files/s"
    return f"{done / elapsed:.0f} files/s"


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
    if summary.dry_run:
        text = f"dry run, nothing written: would be {', '.join(parts)}"
        text += f" in {summary.seconds:.1f} s -> {summary.out}"
        return text + (f"; log {summary.log} (a dry_run record)" if summary.log else "")
    text = f"{status.get(summary.status, summary.status)}: {', '.join(parts)} in {summary.seconds:.1f} s"
    text += f" ({rate:.0f} files/s) -> {summary.out}"
    if summary.dicomdir is not None:
        text += f"; DICOMDIR names {summary.dicomdir.instances} files"
    if summary.log:
        text += f"; log {summary.log}"
    if summary.escrow:
        text += f"; escrow {summary.escrow}"
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


def print_rows(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    fixed: Sequence[str] = (),
    cut: Sequence[str] = (),
) -> None:
    """Rows for people: on a terminal a table that fits its width (columns in ``fixed`` keep their
    width, those in ``cut`` are shortened with an ellipsis, the others wrap); in a pipe or a file
    plain tab-separated lines, a header line first, for scripts."""
    if not sys.stdout.isatty():
        lines = ["\t".join(header), *("\t".join(_tsv(cell) for cell in row) for row in rows)]
        sys.stdout.write("".join(line + "\n" for line in lines))
        sys.stdout.flush()
        return
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        title_justify="left",
    )
    for i, name in enumerate(header):
        widest = max([len(name), *(len(row[i]) for row in rows)])
        if name in fixed:
            table.add_column(name, no_wrap=True, min_width=widest)
        elif name in cut:
            table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=max(len(name), 12))
        else:
            table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # Text: a value is never read as markup
    Console(highlight=False).print(table)


def _tsv(cell: str) -> str:
    return cell.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def stdout_console() -> Console:
    """A console on stdout for human-readable listings a user asked for (``profile show``).

    Without a terminal (a pipe, a file) rich would squeeze tables into 80 columns; a wide page
    keeps each row whole."""
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = max(console.width, 200)
    return console
