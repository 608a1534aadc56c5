"""The one error hierarchy of dcmscrub and the exit codes its subclasses carry.

Every error a user can cause is a :class:`DcmscrubError`. Each subclass names the exit status a
shell script sees, so the command line maps errors to exits in exactly one place. Messages are
lowercase, without a final period, name a file (relative to its root) and the problem, and
never carry a DICOM value, a secret or another exception's text; ``detail`` holds what only
``--debug`` may show.

This module imports nothing from dcmscrub.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """Exit statuses of the ``dcmscrub`` command. Once published, a code never changes meaning."""

    OK = 0  # every input handled (de-identified, or skipped by policy)
    VERIFY_FAILED = 1  # a verification command worked and the answer is "no"
    USAGE = 2  # bad flags or arguments
    PARTIAL = 3  # the run finished but at least one file failed or was quarantined
    DATA = 65  # bad data in a single-file command (decrypt of a damaged or foreign file)
    NO_INPUT = 66  # input missing or unreadable
    SOFTWARE = 70  # internal error (a bug)
    CANT_CREATE = 73  # cannot create output (not writable, inside the input tree, ...)
    IO = 74  # I/O error: disk full, audit log not appendable
    TEMP_FAIL = 75  # another run holds the lock on this output; retry later
    CONFIG = 78  # bad profile, bad or unprotected key file, missing recipients
    INTERRUPTED = 130  # SIGINT
    TERMINATED = 143  # SIGTERM


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "every input handled (de-identified, or skipped by policy); an empty input is 0",
    ExitCode.VERIFY_FAILED: (
        "verification found a problem (log verify, verify): the command worked, the answer is no"
    ),
    ExitCode.USAGE: "usage: bad flags or arguments",
    ExitCode.PARTIAL: "partial: the run finished but at least one file failed or was quarantined",
    ExitCode.DATA: "bad data in a single-file command (decrypt of a damaged or foreign file)",
    ExitCode.NO_INPUT: "input missing or unreadable",
    ExitCode.SOFTWARE: "internal error (a bug): one line, the traceback only with --debug",
    ExitCode.CANT_CREATE: "cannot create output (not writable, inside the input tree, ...)",
    ExitCode.IO: "I/O error (disk full, audit log not appendable): the run stops rather than work unlogged",
    ExitCode.TEMP_FAIL: "temporary failure: another run holds the lock on this output; retry later",
    ExitCode.CONFIG: "configuration: bad profile, bad or unprotected key file, no recipient",
    ExitCode.INTERRUPTED: "interrupted (SIGINT): files in flight finished or discarded, summary written",
    ExitCode.TERMINATED: "terminated (SIGTERM): files in flight finished or discarded, summary written",
}


class DcmscrubError(Exception):
    """Base of every error dcmscrub reports to a user.

    ``message`` is one line for people; ``hint`` says what to do; ``detail`` is shown only with
    ``--debug`` (it may name internals, never a secret).
    """

    exit_code: ClassVar[ExitCode] = ExitCode.SOFTWARE
    # True for the outcome of a run whose summary line has already told people: the command
    # line then exits with the code and prints nothing more (so --quiet stays quiet)
    reported: ClassVar[bool] = False

    def __init__(self, message: str, *, hint: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class UsageError(DcmscrubError):
    """Arguments that do not make sense together."""

    exit_code = ExitCode.USAGE


class VerificationFailed(DcmscrubError):
    """A verification ran and found a problem (the answer is "no")."""

    exit_code = ExitCode.VERIFY_FAILED


class PartialRunError(DcmscrubError):
    """A run finished, but at least one input failed or was quarantined (its outputs stand)."""

    exit_code = ExitCode.PARTIAL
    reported = True


class RunInterruptedError(DcmscrubError):
    """A run stopped on SIGINT: files in flight finished or were discarded, the summary was written."""

    exit_code = ExitCode.INTERRUPTED
    reported = True


class RunTerminatedError(DcmscrubError):
    """A run stopped on SIGTERM: files in flight finished or were discarded, the summary was written."""

    exit_code = ExitCode.TERMINATED
    reported = True


class ConfigError(DcmscrubError):
    """Bad configuration: a profile, a key file, a recipient."""

    exit_code = ExitCode.CONFIG


@dataclass(frozen=True)
class ProfileProblem:
    """One thing wrong in a profile, with its place."""

    source: str
    line: int | None
    message: str
    hint: str | None = None

    def render(self) -> str:
        """``file:line: what is wrong``."""
        place = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{place}: {self.message}"


class ProfileError(ConfigError):
    """A profile failed validation; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[ProfileProblem]) -> None:
        count = len(problems)
        first = problems[0].render() if problems else "invalid profile"
        message = first if count == 1 else f"{first} (and {count - 1} more problem{'s' * (count > 2)})"
        hints = [p.hint for p in problems if p.hint]
        super().__init__(message, hint=hints[0] if hints else None)
        self.problems = problems


class KeyFileError(ConfigError):
    """A key file is missing, malformed, or not protected (mode, owner, symlink)."""


class InputError(DcmscrubError):
    """An input path is missing or unreadable."""

    exit_code = ExitCode.NO_INPUT


class OutputError(DcmscrubError):
    """The output cannot be created where it was asked for."""

    exit_code = ExitCode.CANT_CREATE


class StorageError(DcmscrubError):
    """An I/O failure that stops the run (disk full, audit log not appendable)."""

    exit_code = ExitCode.IO


class AuditWriteError(StorageError):
    """The audit log could not be appended to: no work may go unlogged."""


class LockedError(DcmscrubError):
    """Another run holds the lock on this output tree."""

    exit_code = ExitCode.TEMP_FAIL


class DataError(DcmscrubError):
    """Bad data handed to a single-file command."""

    exit_code = ExitCode.DATA


class DecryptError(DataError):
    """A file could not be decrypted. The message is deliberately the same for every cause;
    ``detail`` (for ``--debug``) says which check failed."""

    GENERIC = "cannot decrypt: wrong key or damaged file"

    HINT = "check the identity file; a damaged file cannot be repaired"

    def __init__(self, detail: str, *, name: str | None = None, hint: str | None = None) -> None:
        message = f"{name}: {self.GENERIC}" if name else self.GENERIC
        super().__init__(message, hint=hint or self.HINT, detail=detail)
        self.reason = detail

    def name_file(self, name: str) -> None:
        """Name the file that could not be decrypted in the message (set where the name is known)."""
        self.message = f"{name}: {self.GENERIC}"
        self.args = (self.message,)


class InternalError(DcmscrubError):
    """A bug: something that should not happen did."""

    exit_code = ExitCode.SOFTWARE
