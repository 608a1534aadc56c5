"""The ``dcmscrub`` command line: options in, one library call, exit code out.

Each command is argument wiring plus one call into the library. :func:`main` is the one place
that turns a :class:`~dcmscrub.errors.DcmscrubError` into ``dcmscrub: error: ...`` on stderr and
its exit code (the table is in the README and in ``dcmscrub --help``). No option takes a secret:
keys come from files (``--linkage-key FILE``, ``-i FILE``, ``--audit-key FILE``,
``--passphrase-file FILE``), an environment variable holding a *path*, or a prompt.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from dcmscrub import __version__
from dcmscrub.audit import default_log_path
from dcmscrub.auditcheck import summarize_runs, verify_log
from dcmscrub.console import (
    error,
    info,
    print_json,
    render_table,
    run_progress,
    stderr_console,
    stdout_console,
    summary_line,
    warn,
)
from dcmscrub.container import ScryptIdentity, ScryptRecipient, X25519Recipient, parse_recipient
from dcmscrub.crypt_files import encrypt_file
from dcmscrub.errors import (
    EXIT_CODE_MEANINGS,
    ConfigError,
    DcmscrubError,
    DecryptError,
    ExitCode,
    UsageError,
)
from dcmscrub.keys import (
    audit_public_key_str,
    format_audit_key_file,
    format_identity_file,
    format_linkage_key_file,
    generate_audit_key,
    generate_identity,
    generate_linkage_key,
    linkage_key_id,
    read_audit_key_file,
    read_audit_public_key_file,
    read_identity_file,
    read_linkage_key_file,
    read_passphrase_file,
    read_recipients_file,
    write_secret_file,
)
from dcmscrub.outtree import Shard
from dcmscrub.profile import OPTIONS, check_profiles, list_builtin_profiles, load_profile, render_profile
from dcmscrub.runner import decrypt_tree, scrub_tree

EXIT_TABLE = "\n".join(f"  {int(code):>3}  {text}" for code, text in EXIT_CODE_MEANINGS.items())

app = typer.Typer(
    name="dcmscrub",
    help="De-identify DICOM per PS3.15 Annex E: keyed pseudonyms, age-encrypted outputs, an audit log.\n\n"
    "Exit codes:\n\n" + EXIT_TABLE.replace("\n", "\n\n"),
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
)
profile_app = typer.Typer(help="List, show and check de-identification profiles.", no_args_is_help=True)
log_app = typer.Typer(help="Verify and read the audit log.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")
app.add_typer(log_app, name="log")

LINKAGE_ENV = "DCMSCRUB_LINKAGE_KEY_FILE"
AUDIT_KEY_ENV = "DCMSCRUB_AUDIT_KEY_FILE"

DebugOpt = Annotated[bool, typer.Option("--debug", help="Show details and tracebacks of errors.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")]
LogOpt = Annotated[
    Path | None,
    typer.Option(
        "--log",
        metavar="FILE",
        help="Audit log file (default: $DCMSCRUB_LOG or ~/.local/state/dcmscrub/audit.jsonl).",
    ),
]


def _exits(fn: Callable[..., int]) -> Callable[..., None]:
    """Turn a command's returned exit code into typer's exit (commands return ints for tests)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        raise typer.Exit(fn(*args, **kwargs))

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dcmscrub {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """De-identify DICOM trees per PS3.15 Annex E."""


# --------------------------------------------------------------------------------------------
# scrub


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub keygen -o me.key          # prints the recipient age1...\n\n"
    "  dcmscrub scrub /data/inbox --out /data/release -r age1... --linkage-key project.key\n\n"
    "  dcmscrub scrub sample_data --out demo-out --no-encrypt -O retain-long-modified-dates\n\n"
    "  dcmscrub scrub /pacs/export --out /release -R recipients.txt -j 8 --shard 3/8 --json"
)
@_exits
def scrub(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT", help="Files or folders to de-identify (walked recursively)."),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="OUTDIR", help="Output folder (must not be inside an input)."),
    ],
    profile: Annotated[
        str,
        typer.Option("--profile", "-p", metavar="NAME|PATH", help="Built-in profile name or a YAML file."),
    ] = "basic",
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option", "-O", metavar="OPTION", help=f"Add an Annex E option: {', '.join(OPTIONS)}."
        ),
    ] = None,
    linkage_key: Annotated[
        Path | None,
        typer.Option(
            "--linkage-key", metavar="FILE", help=f"File with the linkage secret (or ${LINKAGE_ENV}: a path)."
        ),
    ] = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option(
            "--recipient", "-r", metavar="RECIPIENT", help="Encrypt to this age public key (age1...)."
        ),
    ] = None,
    recipients_file: Annotated[
        Path | None,
        typer.Option(
            "--recipients-file", "-R", metavar="FILE", help="File of age public keys, one per line."
        ),
    ] = None,
    no_encrypt: Annotated[
        bool, typer.Option("--no-encrypt", help="Write plain .dcm files (asked for).")
    ] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Redo outputs that already exist.")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, metavar="N", help="Worker processes (default 0: one per usable core)."
        ),
    ] = 0,
    shard: Annotated[
        str | None, typer.Option("--shard", metavar="K/N", help="Process only shard K of N.")
    ] = None,
    log: LogOpt = None,
    audit_key: Annotated[
        Path | None,
        typer.Option(
            "--audit-key", metavar="FILE", help=f"Ed25519 key file to sign checkpoints (or ${AUDIT_KEY_ENV})."
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every problem file, even without a TTY.")
    ] = False,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> int:
    """De-identify every DICOM file under INPUT... into OUT/<patient>/<study>/<series>/<sop>.dcm.age."""
    console = stderr_console(quiet=quiet)
    prof = load_profile(profile, option or [])
    recips = _recipients(recipient or [], recipients_file, prof.recipients)
    if no_encrypt and recips:
        raise UsageError("--no-encrypt and recipients contradict each other", hint="drop one of them")
    if not no_encrypt and not recips:
        raise ConfigError(
            "no recipient to encrypt outputs to",
            hint="give -r age1... or -R FILE (make a key with: dcmscrub keygen -o FILE), "
            "or ask for plain outputs with --no-encrypt",
        )
    key = _linkage_key(linkage_key)
    if key is None:
        warn(
            console,
            "no linkage key: pseudonyms use a random secret for this run only and will not match "
            "other runs (give --linkage-key FILE; make one with: dcmscrub keygen --linkage -o FILE)",
        )
    signer = _audit_signer(audit_key)
    shard_spec = _shard(shard)
    log_path = log or default_log_path(os.environ)
    n_jobs = jobs or len(os.sched_getaffinity(0))
    args = {
        "profile": prof.name,
        "options": sorted(option or []),
        "encrypt": not no_encrypt,
        "overwrite": overwrite,
        "jobs": n_jobs,
        "shard": shard,
    }
    with run_progress(console, quiet=quiet, verbose=verbose) as bar:
        summary = scrub_tree(
            inputs,
            out,
            prof,
            recipients=recips,
            encrypt=not no_encrypt,
            linkage_key=key,
            log=log_path,
            audit_signer=signer,
            overwrite=overwrite,
            jobs=n_jobs,
            shard=shard_spec,
            on_start=bar.start,
            on_result=bar.advance,
            command_args=args,
            debug=debug,
        )
    info(console, summary_line(summary))
    if json_out:
        print_json(summary.to_json())
    return summary.exit_code


def _recipients(given: list[str], path: Path | None, from_profile: tuple[str, ...]) -> list[X25519Recipient]:
    out = [parse_recipient(r) for r in given]
    if path is not None:
        out += read_recipients_file(path)
    if not out:
        out = [parse_recipient(r) for r in from_profile]
    unique: dict[str, X25519Recipient] = {str(r): r for r in out}
    return list(unique.values())


def _linkage_key(path: Path | None) -> bytes | None:
    path = path or (Path(os.environ[LINKAGE_ENV]) if os.environ.get(LINKAGE_ENV) else None)
    return read_linkage_key_file(path) if path is not None else None


def _audit_signer(path: Path | None) -> Any:
    path = path or (Path(os.environ[AUDIT_KEY_ENV]) if os.environ.get(AUDIT_KEY_ENV) else None)
    return read_audit_key_file(path) if path is not None else None


def _shard(text: str | None) -> Shard | None:
    if text is None:
        return None
    try:
        return Shard.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# --------------------------------------------------------------------------------------------
# keys


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub keygen -o alice.key              # an age identity; prints its recipient age1...\n\n"
    "  dcmscrub keygen --linkage -o project.key  # the pseudonym secret; prints its key id\n\n"
    "  dcmscrub keygen --audit -o audit.key      # signs audit checkpoints; prints its public key"
)
@_exits
def keygen(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The new key file (mode 0600, never overwritten)."
        ),
    ],
    linkage: Annotated[
        bool, typer.Option("--linkage", help="Make a 256-bit linkage secret for pseudonyms.")
    ] = False,
    audit: Annotated[
        bool, typer.Option("--audit", help="Make an Ed25519 key that signs audit checkpoints.")
    ] = False,
    debug: DebugOpt = False,
) -> int:
    """Make a new key file: an age identity (default), a linkage secret, or an audit signing key."""
    if linkage and audit:
        raise UsageError("choose one of --linkage and --audit")
    now = dt.datetime.now(dt.UTC)
    if linkage:
        key = generate_linkage_key()
        write_secret_file(output, format_linkage_key_file(key, now))
        typer.echo(linkage_key_id(key))
    elif audit:
        signing = generate_audit_key()
        write_secret_file(output, format_audit_key_file(signing, now))
        typer.echo(audit_public_key_str(signing.public_key()))
    else:
        identity = generate_identity()
        write_secret_file(output, format_identity_file(identity, now))
        typer.echo(str(identity.recipient))
    return 0


# --------------------------------------------------------------------------------------------
# encrypt / decrypt


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub decrypt release/ --out plain/ -i alice.key\n\n"
    "  dcmscrub decrypt one.dcm.age --out . -i alice.key -i bob.key\n\n"
    "  dcmscrub decrypt notes.txt.age --out . --passphrase-file pass.txt"
)
@_exits
def decrypt(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT", help="age files or folders of them.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder; folders keep their layout.")
    ],
    identity: Annotated[
        list[Path] | None,
        typer.Option("--identity", "-i", metavar="FILE", help="age identity file (repeatable)."),
    ] = None,
    passphrase_file: Annotated[
        Path | None,
        typer.Option("--passphrase-file", metavar="FILE", help="File holding a passphrase (scrypt files)."),
    ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace outputs that exist.")] = False,
    log: LogOpt = None,
    linkage_key: Annotated[
        Path | None,
        typer.Option(
            "--linkage-key", metavar="FILE", help="Key for the log's path digests (default: random)."
        ),
    ] = None,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> int:
    """Decrypt age files (from dcmscrub scrub or the age tool); a file appears only once fully verified."""
    console = stderr_console(quiet=quiet)
    identities: list[Any] = []
    for path in identity or []:
        identities += read_identity_file(path)
    if passphrase_file is not None:
        identities.append(ScryptIdentity(read_passphrase_file(passphrase_file)))
    if not identities:
        if not sys.stdin.isatty():
            raise UsageError("no identity given", hint="give -i IDENTITY_FILE or --passphrase-file FILE")
        identities.append(ScryptIdentity(_prompt_passphrase(confirm=False)))
    summary = decrypt_tree(
        inputs,
        out,
        identities,
        overwrite=overwrite,
        log=log or default_log_path(os.environ),
        digest_key=_linkage_key(linkage_key),
        debug=debug,
        on_failure=lambda result: error(
            console,
            f"{result.name}: {DecryptError.GENERIC}",
            hint=f"detail: {result.detail}" if debug else result.hint,
        ),
    )
    info(
        console, f"{summary.decrypted} decrypted, {summary.exists} existing, {summary.failed} failed -> {out}"
    )
    if json_out:
        print_json(
            {
                "decrypted": summary.decrypted,
                "exists": summary.exists,
                "failed": summary.failed,
                "skipped": summary.skipped,
                "output": str(out),
            }
        )
    if summary.failed:
        single = len(inputs) == 1 and inputs[0].is_file()
        return int(ExitCode.DATA if single else ExitCode.PARTIAL)
    return 0


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub encrypt report.pdf -o report.pdf.age -r age1...\n\n"
    "  dcmscrub encrypt notes.txt -o notes.txt.age --passphrase-file pass.txt\n\n"
    "  dcmscrub encrypt notes.txt -o notes.txt.age --passphrase     # asks twice on the terminal"
)
@_exits
def encrypt(
    input_file: Annotated[Path, typer.Argument(metavar="FILE", help="The file to encrypt.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="The age file to write.")],
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", "-r", metavar="RECIPIENT", help="age public key.")
    ] = None,
    recipients_file: Annotated[
        Path | None, typer.Option("--recipients-file", "-R", metavar="FILE", help="File of age keys.")
    ] = None,
    passphrase_file: Annotated[
        Path | None,
        typer.Option("--passphrase-file", metavar="FILE", help="Encrypt with the passphrase in this file."),
    ] = None,
    passphrase: Annotated[
        bool, typer.Option("--passphrase", help="Ask for a passphrase on the terminal.")
    ] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the output if it exists.")] = False,
    debug: DebugOpt = False,
) -> int:
    """Encrypt one file by hand, to recipients or with a passphrase (age format)."""
    recips: list[Any] = _recipients(recipient or [], recipients_file, ())
    if passphrase_file is not None or passphrase:
        if recips:
            raise UsageError(
                "a passphrase cannot be combined with recipients (age allows one scrypt stanza alone)"
            )
        if passphrase_file is not None:
            secret = read_passphrase_file(passphrase_file)
        elif sys.stdin.isatty():
            secret = _prompt_passphrase(confirm=True)
        else:
            raise UsageError("--passphrase needs a terminal", hint="use --passphrase-file FILE in scripts")
        recips = [ScryptRecipient(secret)]
    if not recips:
        raise UsageError(
            "nothing to encrypt to", hint="give -r age1..., -R FILE, --passphrase-file or --passphrase"
        )
    encrypt_file(input_file, output, recips, overwrite=overwrite)
    return 0


def _prompt_passphrase(*, confirm: bool) -> bytes:
    first = getpass.getpass("passphrase: ")
    if confirm and getpass.getpass("passphrase again: ") != first:
        raise UsageError("the passphrases differ")
    if not first:
        raise UsageError("empty passphrase")
    return first.encode("utf-8")


# --------------------------------------------------------------------------------------------
# profiles


@profile_app.command("list", epilog="Examples:\n\n  dcmscrub profile list\n\n  dcmscrub profile list --json")
@_exits
def profile_list(json_out: JsonOpt = False) -> int:
    """List the built-in profiles."""
    rows = [{"name": n, "description": d} for n, d in list_builtin_profiles()]
    if json_out:
        print_json({"profiles": rows})
    else:
        stdout_console().print(render_table(rows, ["name", "description"]))
    return 0


@profile_app.command(
    "show",
    epilog="Examples:\n\n  dcmscrub profile show basic\n\n"
    "  dcmscrub profile show my.yaml -O clean-descriptors",
)
@_exits
def profile_show(
    name: Annotated[str, typer.Argument(metavar="NAME|PATH", help="Built-in profile name or a YAML file.")],
    option: Annotated[
        list[str] | None, typer.Option("--option", "-O", metavar="OPTION", help="Add an Annex E option.")
    ] = None,
    debug: DebugOpt = False,
) -> int:
    """Print the resolved profile (its extends chain merged) as YAML."""
    sys.stdout.write(render_profile(load_profile(name, option or [])))
    return 0


@profile_app.command("check", epilog="Examples:\n\n  dcmscrub profile check site.yaml other.yaml")
@_exits
def profile_check(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Profile files to validate.")],
    debug: DebugOpt = False,
) -> int:
    """Validate profiles completely; print every problem as file:line: what is wrong."""
    problems = check_profiles(paths)
    console = stderr_console()
    for p in problems:
        error(console, p.render(), p.hint)
    if problems:
        return int(ExitCode.CONFIG)
    info(console, f"{len(paths)} profile{'s' * (len(paths) != 1)} ok")
    return 0


# --------------------------------------------------------------------------------------------
# audit log


@log_app.command(
    "verify",
    epilog="Examples:\n\n  dcmscrub log verify ~/.local/state/dcmscrub/audit.jsonl --pubkey audit.pub\n\n"
    "  dcmscrub log verify audit.jsonl --check-outputs /data/release --json",
)
@_exits
def log_verify(
    logs: Annotated[
        list[Path], typer.Argument(metavar="LOG", help="Log files, oldest first (rotated files in order).")
    ],
    pubkey: Annotated[
        list[Path] | None,
        typer.Option("--pubkey", metavar="KEY", help="File with an audit public key (dcmscrubaudit1...)."),
    ] = None,
    check_outputs: Annotated[
        Path | None,
        typer.Option(
            "--check-outputs", metavar="DIR", help="Check the files in this output tree against the log."
        ),
    ] = None,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> int:
    """Check the log's chain, sequence, run pairing, signatures and (optionally) the outputs."""
    for path in logs:
        if not path.is_file():
            raise UsageError(f"log not found: {path}")
    keys = [read_audit_public_key_file(p) for p in pubkey or []]
    result = verify_log(logs, public_keys=keys, check_outputs=check_outputs)
    console = stderr_console()
    if json_out:
        print_json(result.to_dict())
    for w in result.warnings:
        warn(console, w)
    if result.ok:
        info(console, f"log ok: {result.lines} lines, {result.runs} runs")
        return 0
    where = "" if result.first_bad_seq is None else f" at seq {result.first_bad_seq}"
    error(console, f"log check failed{where}: {result.problem}")
    return int(ExitCode.VERIFY_FAILED)


@log_app.command("show", epilog="Examples:\n\n  dcmscrub log show\n\n  dcmscrub log show audit.jsonl --json")
@_exits
def log_show(
    logs: Annotated[
        list[Path] | None, typer.Argument(metavar="LOG", help="Log files (default: the default log).")
    ] = None,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> int:
    """Print a table of the runs in the log."""
    paths = logs or [default_log_path(os.environ)]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"log not found: {path}")
    rows = [r.to_json() if hasattr(r, "to_json") else vars(r) for r in summarize_runs(paths)]
    if json_out:
        print_json({"runs": rows})
        return 0
    columns = ["started", "user", "host", "command", "profile", "status", "exit_code", "counts", "signed"]
    stdout_console().print(render_table(rows, columns, title=f"{len(rows)} runs"))
    return 0


# --------------------------------------------------------------------------------------------
# the one place errors become exit codes


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
        error(console, exc.message, exc.hint)
        if hasattr(exc, "problems"):
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
