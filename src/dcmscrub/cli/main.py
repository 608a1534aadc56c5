"""The one place where errors become exit codes: ``dcmscrub`` (and ``python -m dcmscrub``).

Every :class:`~dcmscrub.errors.DcmscrubError` carries its exit code; :func:`main` prints its
message (``dcmscrub: error: ...`` and a hint) and exits with that code. Anything else is a bug:
one line, exit 70, the traceback only with ``--debug``.
"""

from __future__ import annotations

import sys
import traceback

# the command modules register their commands on the app as they are imported
from dcmscrub.cli import crypt, keygen, log, profiles, scrub, verify  # noqa: F401
from dcmscrub.cli.app import app
from dcmscrub.cli.console import error, info, stderr_console
from dcmscrub.errors import DcmscrubError, ExitCode, ProfileError


def main(argv: list[str] | None = None) -> None:
    """Run the command line and exit with its code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    console = stderr_console()
    try:
        app(args=args, prog_name="dcmscrub")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except DcmscrubError as exc:
        if debug:
            traceback.print_exc()
            if exc.detail:
                info(console, f"detail: {exc.detail}")
        if not exc.reported:
            error(console, exc.message, exc.hint)
        if isinstance(exc, ProfileError):
            for problem in exc.problems[1:]:
                error(console, problem.render(), problem.hint)
        code = int(exc.exit_code)
    except KeyboardInterrupt:
        error(console, "interrupted")
        code = int(ExitCode.INTERRUPTED)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        error(
            console,
            f"internal error ({type(exc).__name__}); this is a bug",
            hint="run again with --debug and report the traceback (it may name files)",
        )
        code = int(ExitCode.SOFTWARE)
    sys.exit(code if isinstance(code, int) else 0)
