"""``dcmscrub decrypt`` and ``dcmscrub encrypt``: age files, read and written by hand."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dcmscrub.age import ScryptIdentity, ScryptRecipient
from dcmscrub.audit.log import default_log_path
from dcmscrub.batch.crypt import DecryptResult, encrypt_file
from dcmscrub.batch.decrypt import decrypt_tree
from dcmscrub.cli import readers
from dcmscrub.cli.app import DebugOpt, JsonOpt, LogOpt, QuietOpt, app
from dcmscrub.cli.console import error, info, print_json, stderr_console
from dcmscrub.errors import DecryptError, PartialRunError, UsageError
from dcmscrub.keys import read_identity_file, read_passphrase_file


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub decrypt release/ --out plain/ -i alice.key\n\n"
    "  dcmscrub decrypt one.dcm.age --out . -i alice.key -i bob.key\n\n"
    "  dcmscrub decrypt notes.txt.age --out . --passphrase-file pass.txt"
)
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
) -> None:
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
        identities.append(ScryptIdentity(readers.prompt_passphrase(confirm=False)))
    single = len(inputs) == 1 and inputs[0].is_file()

    def report(result: DecryptResult) -> None:
        if not single:  # a single file's failure is the command's error, reported once below
            hint = f"detail: {result.detail}" if debug else result.hint
            error(console, f"{result.name}: {DecryptError.GENERIC}", hint=hint)  # escaped by error()

    summary = decrypt_tree(
        inputs,
        out,
        identities,
        overwrite=overwrite,
        log=log or default_log_path(os.environ),
        digest_key=readers.linkage_key(linkage_key),
        on_failure=report,
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
    failed = [r for r in summary.results if r.outcome == "failed"]
    if failed and single:
        raise DecryptError(failed[0].detail or "", name=failed[0].name, hint=failed[0].hint)
    if failed:
        raise PartialRunError(f"{len(failed)} file{'s' * (len(failed) != 1)} could not be decrypted")


@app.command(
    epilog="Examples:\n\n"
    "  dcmscrub encrypt report.pdf -o report.pdf.age -r age1...\n\n"
    "  dcmscrub encrypt notes.txt -o notes.txt.age --passphrase-file pass.txt\n\n"
    "  dcmscrub encrypt notes.txt -o notes.txt.age --passphrase     # asks twice on the terminal"
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
