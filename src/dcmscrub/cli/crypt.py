"""``dcmscrub decrypt`` and ``dcmscrub encrypt``: age files, read and written by hand."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from dcmscrub.age import ScryptIdentity, ScryptRecipient
from dcmscrub.audit.anchor import AnchorSink
from dcmscrub.audit.log import default_log_path
from dcmscrub.batch.crypt import DecryptResult, DecryptSummary, encrypt_file
from dcmscrub.batch.decrypt import DecryptOptions, decrypt_tree
from dcmscrub.cli import readers
from dcmscrub.cli.app import AnchorOpt, Command, DebugOpt, JsonOpt, LogOpt, QuietOpt, app, examples
from dcmscrub.cli.console import error, error_context, info, print_json, stderr_console, warn
from dcmscrub.errors import DecryptError, PartialRunError, StorageError, UsageError
from dcmscrub.keys import read_identity_file, read_passphrase_file
from dcmscrub.outcomes import Reason


@app.command(
    cls=Command,
    epilog=examples(
        "dcmscrub decrypt release/ --out plain/ -i alice.key",
        "dcmscrub decrypt release/ --out media/ -i alice.key --dicomdir",
        "dcmscrub decrypt one.dcm.age --out . -i alice.key -i bob.key",
        "dcmscrub decrypt notes.txt.age --out . --passphrase-file pass.txt",
    ),
)
def decrypt(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT...", help="age files or folders of them.")],
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
    dicomdir: Annotated[
        bool,
        typer.Option("--dicomdir", help="8-character file IDs and a DICOMDIR at the root of DIR (PS3.10)."),
    ] = False,
    log: LogOpt = None,
    anchor: AnchorOpt = None,
    linkage_key: Annotated[
        Path | None,
        typer.Option(
            "--linkage-key", metavar="FILE", help="Key for the log's path digests (default: random)."
        ),
    ] = None,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Decrypt age files (from dcmscrub scrub or the age tool); a file appears only once fully verified."""
    counts: Counter[str] = Counter({"decrypted": 0, "exists": 0, "failed": 0, "skipped": 0})
    _decrypt(
        inputs,
        out,
        identity,
        passphrase_file,
        (overwrite, dicomdir),
        (log, readers.anchors(anchor)),
        linkage_key,
        quiet,
        json_out,
        debug,
        counts,
    )


def _decrypt(
    inputs: list[Path],
    out: Path,
    identity: list[Path] | None,
    passphrase_file: Path | None,
    flags: tuple[bool, bool],  # overwrite, dicomdir
    log_to: tuple[Path | None, tuple[AnchorSink, ...]],
    linkage_key: Path | None,
    quiet: bool,
    json_out: bool,
    debug: bool,
    counts: Counter[str],
) -> None:
    console = stderr_console(quiet=quiet)
    overwrite, dicomdir = flags
    log, anchors = log_to
    identities = _identities(identity, passphrase_file)
    single = len(inputs) == 1 and inputs[0].is_file()
    failures: list[DecryptResult] = []

    def report(result: DecryptResult) -> None:
        error_context(counts=counts)  # from the first file on, an error object says what was done
        counts[result.outcome] += 1
        if result.outcome == "failed":
            failures.append(result)

    options = DecryptOptions(
        overwrite=overwrite,
        log=log or default_log_path(os.environ),
        digest_key=readers.linkage_key(linkage_key),
        anchors=anchors,
        dicomdir=dicomdir,
    )
    try:
        summary = decrypt_tree(inputs, out, identities, options, on_result=report)
    except StorageError:
        if not single:  # what failed before the disk filled; the error names the file it stopped at
            _report_failures(
                console, [f for f in failures if f.reason != Reason.DISK_FULL], None, debug=debug
            )
        raise
    if not single:  # a single file's failure is the command's error, reported once below
        _report_failures(console, failures, summary, debug=debug)
    _print_summary(console, summary, out, json_out=json_out)
    if failures and single:
        first = failures[0]
        if first.reason not in (None, Reason.DECRYPT_FAILED):
            # the output could not be written: an I/O error, not a wrong key
            raise StorageError(f"{first.name}: {_failure_text(first)}", hint="check the output folder")
        raise DecryptError(first.detail or "", name=first.name, hint=first.hint)
    if failures:
        raise PartialRunError(f"{len(failures)} file{'s' * (len(failures) != 1)} could not be decrypted")


def _identities(identity: list[Path] | None, passphrase_file: Path | None) -> list[Any]:
    """The identities of ``-i`` files and a passphrase file, else a passphrase typed at a terminal."""
    identities: list[Any] = []
    for path in identity or []:
        identities += read_identity_file(path)
    if passphrase_file is not None:
        identities.append(ScryptIdentity(read_passphrase_file(passphrase_file)))
    if not identities:
        if not sys.stdin.isatty():
            raise UsageError("no identity given", hint="give -i IDENTITY_FILE or --passphrase-file FILE")
        identities.append(ScryptIdentity(readers.prompt_passphrase(confirm=False)))
    return identities


def _print_summary(console: Console, summary: DecryptSummary, out: Path, *, json_out: bool) -> None:
    if summary.dicomdir is not None:
        for relpath, why in summary.dicomdir.left_out:
            warn(console, f"not in the DICOMDIR: {relpath}: {why}")
        info(console, f"DICOMDIR names {summary.dicomdir.instances} files")
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
                "dicomdir": None if summary.dicomdir is None else summary.dicomdir.instances,
            }
        )


NO_MATCH = "no identity matched"  # the age layer's detail when no identity opens a file's header


def _report_failures(
    console: Console, failures: list[DecryptResult], summary: DecryptSummary | None, *, debug: bool
) -> None:
    """One line per file that failed, except that files no identity opens are said once."""
    strangers = [r for r in failures if r.detail == NO_MATCH]
    hint = (
        "check -i: they were encrypted to other recipients (dcmscrub keygen -y FILE prints a key's recipient)"
    )
    if strangers and len(strangers) == len(failures) and summary is not None and not summary.decrypted:
        error(console, f"no identity matches these files ({len(strangers)} of them)", hint=hint)
        return
    for result in failures:
        if result.detail != NO_MATCH:
            error(
                console,
                f"{result.name}: {_failure_text(result)}",
                hint=f"detail: {result.detail}" if debug else result.hint,
            )
    if strangers:
        names = ", ".join(r.name for r in strangers[:3]) + (", ..." if len(strangers) > 3 else "")
        error(
            console,
            f"no identity matches {len(strangers)} file{'s' * (len(strangers) != 1)}: {names}",
            hint=hint,
        )


def _failure_text(result: DecryptResult) -> str:
    """Why a file was not decrypted: the key or the file, or an output that could not be written."""
    if result.reason is None or result.reason == Reason.DECRYPT_FAILED:
        return DecryptError.GENERIC
    return f"cannot write the output: {result.reason.text}"


@app.command(
    cls=Command,
    epilog=examples(
        "dcmscrub encrypt report.pdf -o report.pdf.age -r age1...",
        "dcmscrub encrypt notes.txt -o notes.txt.age --passphrase-file pass.txt",
        "dcmscrub encrypt notes.txt -o notes.txt.age --passphrase   # asks twice",
    ),
)
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
    _debug: DebugOpt = False,
) -> None:
    """Encrypt one file by hand, to recipients or with a passphrase (age format)."""
    recips: list[Any] = readers.recipients(recipient or [], recipients_file, ())
    if passphrase_file is not None or passphrase:
        if recips:
            raise UsageError(
                "a passphrase cannot be combined with recipients (age allows one scrypt stanza alone)"
            )
        if passphrase_file is not None:
            secret = read_passphrase_file(passphrase_file)
        elif sys.stdin.isatty():
            secret = readers.prompt_passphrase(confirm=True)
        else:
            raise UsageError("--passphrase needs a terminal", hint="use --passphrase-file FILE in scripts")
        recips = [ScryptRecipient(secret)]
    if not recips:
        raise UsageError(
            "nothing to encrypt to", hint="give -r age1..., -R FILE, --passphrase-file or --passphrase"
        )
    encrypt_file(input_file, output, recips, overwrite=overwrite)
