"""Worker processes: files handed out a few at a time, results gathered as they finish.

A worker that dies (the OOM killer, a crash) breaks the pool: the files that were in flight are
retried one at a time in a fresh pool, so that only the file that kills a worker again fails.
SIGINT/SIGTERM (:class:`Stop`) stop the handing out; files in flight finish.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from dcmscrub.batch.walk import InputFile, Skipped
from dcmscrub.batch.worker import FileResult, Worker, WorkerSettings
from dcmscrub.errors import StorageError
from dcmscrub.outcomes import Outcome, Reason

_WORKER: Worker | None = None


def _init_worker(settings: WorkerSettings) -> None:
    global _WORKER
    # Workers finish their file when the run is interrupted: only the parent decides to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    _WORKER = Worker(settings)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the parent dies (kill -9): no orphan keeps writing."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _work(chunk: list[tuple[int, InputFile]]) -> list[FileResult]:
    if _WORKER is None:
        raise RuntimeError("worker not initialised")
    return [_WORKER.process(index, item) for index, item in chunk]


CHUNK_FILES = 16
CHUNK_BYTES = 32 << 20


def _chunks(work: list[tuple[int, InputFile]]) -> Iterator[list[tuple[int, InputFile]]]:
    """Small files go to a worker a few at a time (one round trip each costs about as much as
    de-identifying a small file); a large file goes alone, so a stop never waits long."""
    chunk: list[tuple[int, InputFile]] = []
    size = 0
    for entry in work:
        if chunk and (len(chunk) >= CHUNK_FILES or size + entry[1].size > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(entry)
        size += entry[1].size
    if chunk:
        yield chunk


class Stop:
    """Set by SIGINT/SIGTERM: stop handing out files, finish those in flight."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self.fatal: StorageError | None = None

    @property
    def requested(self) -> bool:
        return self.signal is not None or self.fatal is not None


def run_all(
    items: list[InputFile | Skipped], settings: WorkerSettings, jobs: int, stop: Stop
) -> Iterator[FileResult]:
    work: list[tuple[int, InputFile]] = []
    for index, item in enumerate(items):
        if isinstance(item, Skipped):
            yield FileResult(index, item.relpath, item.reason.outcome, item.reason)
        else:
            work.append((index, item))
    if jobs <= 1 or len(work) <= 1:
        worker = Worker(settings)
        for index, item in work:
            if stop.requested:
                return
            yield worker.process(index, item)
        return
    yield from _run_pool(work, settings, jobs, stop)


Task = list[tuple[int, InputFile]]


class _Feed:
    """The work still to hand out: chunks in input order, then the suspects (files that were in
    flight when a worker died), each retried alone."""

    def __init__(self, work: Task) -> None:
        self._todo = _chunks(work)
        self._exhausted = False
        self._suspects: Task = []

    def next(self, *, busy: bool) -> tuple[Task, bool] | None:
        """The next task and whether it runs alone; None when there is none to start now."""
        if self._suspects:
            if busy:
                return None  # a suspect runs alone: if it breaks the pool, it is the cause
            return [self._suspects.pop(0)], True
        nxt = None if self._exhausted else next(self._todo, None)
        if nxt is None:
            self._exhausted = True
            return None
        return nxt, False

    def suspect(self, task: Task) -> None:
        """Files that were in flight when the pool broke: retried alone, in input order."""
        self._suspects.extend(task)
        self._suspects.sort(key=lambda entry: entry[0])

    @property
    def done(self) -> bool:
        return self._exhausted and not self._suspects


def _run_pool(work: Task, settings: WorkerSettings, jobs: int, stop: Stop) -> Iterator[FileResult]:
    """Hand files to ``jobs`` worker processes, a few each at a time, so that a stop leaves
    little in flight. A worker that dies (the OOM killer, a crash) breaks the pool: the files that
    were in flight are then retried one at a time in a fresh pool, so that only the file that
    kills a worker again fails (``worker_died``)."""
    ctx = multiprocessing.get_context("fork")
    feed = _Feed(work)
    while True:
        executor = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(settings,))
        broken = yield from _drain(executor, feed, jobs * 3, stop)
        if stop.requested or (feed.done and not broken):
            return  # else: a fresh pool for the suspects and the rest of the work


def _drain(
    executor: ProcessPoolExecutor, feed: _Feed, window: int, stop: Stop
) -> Generator[FileResult, None, bool]:
    """Run tasks from ``feed`` on ``executor`` (at most ``window`` queued: they keep workers busy
    while the parent syncs and logs a batch) until it runs dry or breaks; True if it broke."""
    pending: dict[Future[list[FileResult]], tuple[Task, bool]] = {}
    broken = False
    try:
        while True:
            while not stop.requested and len(pending) < window:
                nxt = feed.next(busy=bool(pending))
                if nxt is None:
                    break
                pending[executor.submit(_work, nxt[0])] = nxt
            if not pending:
                break
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for fut in done:
                task, alone = pending.pop(fut)
                try:
                    yield from fut.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        yield from _died(task)
                    else:
                        feed.suspect(task)
            if broken:
                for task, _alone in pending.values():
                    feed.suspect(task)
                pending.clear()
                break
    finally:
        if broken or pending:
            _kill_workers(executor)
        executor.shutdown(wait=True, cancel_futures=True)
    return broken


def _died(chunk: list[tuple[int, InputFile]]) -> Iterator[FileResult]:
    for index, item in chunk:
        yield FileResult(index, item.relpath, Outcome.FAILED, Reason.WORKER_DIED, bytes_in=item.size)


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    # workers ignore SIGTERM (they finish their file on a stop); an abandoned pool needs SIGKILL
    for proc in list(getattr(executor, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()
