"""The one place where errors become exit codes: ``dcmscrub`` (and ``python -m dcmscrub``).

Every :class:`~dcmscrub.errors.DcmscrubError` carries its exit code; :func:`main` prints its
message (``dcmscrub: error: ...`` and a hint) and exits with that code. A command line the parser
refuses (an unknown option, a missing argument) is reported in the same form, exit 2. Anything
else is a bug: one line, exit 70, the traceback only with ``--debug``. With ``--json`` a command
that fails without having printed its result prints an error object on stdout instead
(:func:`~dcmscrub.cli.console.print_error_json`).
"""

from __future__ import annotations

import sys
import traceback

# typer's own copy of click: its exceptions are how the parser reports a bad command line
import typer
from typer import _click as click

# the command modules register their commands on the app as they are imported
from dcmscrub.cli import (  # noqa: F401
    crypt,
    escrow,
    inspect,
    keygen,
    log,
    profiles,
    pseudonym,
    review,
    scrub,
    verify,
)
from dcmscrub.cli.app import app
from dcmscrub.cli.console import (
    current_error_context,
    error,
    info,
    json_printed,
    print_error_json,
    reset_json_state,
    stderr_console,
)
from dcmscrub.errors import DcmscrubError, ExitCode, InternalError, ProfileError, UsageError


def main(argv: list[str] | None = None) -> None:
    """Run the command line and exit with its code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    json_out = "--json" in args
    console = stderr_console()
    reset_json_state()
    try:
        result = app(args=args, prog_name="dcmscrub", standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()  # the help text, as for --help, on stderr
        code = int(ExitCode.USAGE)
    except click.exceptions.ClickException as exc:
        code = _usage(exc, json_out=json_out)
    except typer.Abort:
        error(console, "aborted: no answer on the terminal")
        code = int(ExitCode.USAGE)
    except DcmscrubError as exc:
        code = _failed(exc, debug=debug, json_out=json_out)
    except KeyboardInterrupt:
        error(console, "interrupted")
        code = int(ExitCode.INTERRUPTED)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        message = f"internal error ({type(exc).__name__}); this is a bug"
        error(console, message, hint="run again with --debug and report the traceback (it may name files)")
        if json_out and not json_printed():
            print_error_json(InternalError(message), current_error_context())
        code = int(ExitCode.SOFTWARE)
    sys.exit(code if isinstance(code, int) else 0)


def _failed(exc: DcmscrubError, *, debug: bool, json_out: bool) -> int:
    """Report a DcmscrubError (unless the run's summary already did) and return its exit code."""
    console = stderr_console()
    if debug:
        traceback.print_exc()
        if exc.detail:
            info(console, f"detail: {exc.detail}")
    if not exc.reported:
        error(console, exc.message, exc.hint)
        if json_out and not json_printed():  # a script gets one object on stdout
            print_error_json(exc, current_error_context())
    if isinstance(exc, ProfileError):
        for problem in exc.problems[1:]:
            error(console, problem.render(), problem.hint)
    return int(exc.exit_code)


def _usage(exc: click.exceptions.ClickException, *, json_out: bool) -> int:
    """A command line the parser refused, in the form of every other error (exit 2)."""
    text = exc.format_message()
    message = text[:1].lower() + text[1:]
    ctx = getattr(exc, "ctx", None)
    hint = f"see: {ctx.command_path} --help" if ctx is not None else "see: dcmscrub --help"
    error(stderr_console(), message, hint)
    if json_out:
        print_error_json(UsageError(message, hint=hint))
    return int(exc.exit_code)
