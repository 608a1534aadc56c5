"""``dcmscrub scrub``: de-identify a tree."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dcmscrub.audit.log import default_log_path
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import AgeSink, PlainSink, Sink
from dcmscrub.batch.summary import RunSummary
from dcmscrub.batch.worker import FileResult
from dcmscrub.cli import readers
from dcmscrub.cli.app import (
    AUDIT_KEY_ENV,
    LINKAGE_ENV,
    AnchorOpt,
    Command,
    DebugOpt,
    JsonOpt,
    LogOpt,
    QuietOpt,
    app,
    examples,
)
from dcmscrub.cli.console import (
    error_context,
    info,
    print_json,
    run_progress,
    stderr_console,
    summary_line,
    warn,
)
from dcmscrub.deid.profile import Profile
from dcmscrub.dicomio.limits import DEFAULT_MAX_HEADER
from dcmscrub.errors import ConfigError, UsageError
from dcmscrub.outcomes import BURNED_IN_TEXT, Outcome
from dcmscrub.profiles import load_profile
from dcmscrub.standard.options import OPTIONS


@app.command(
    cls=Command,
    epilog=examples(
        "dcmscrub keygen -o me.key            # writes me.key.pub: age1...",
        "dcmscrub scrub /data/inbox --out /data/release \\",
        "    -R me.key.pub --linkage-key project.key",
        "dcmscrub scrub sample_data --out demo-out --no-encrypt \\",
        "    -O retain-long-modified-dates",
        "dcmscrub scrub /data/inbox --out /data/release -R me.key.pub \\",
        "    --linkage-key project.key --dry-run     # counts only",
        "dcmscrub scrub /pacs/export --out /release -R recipients.txt \\",
        "    -j 8 --shard 3/8 --linkage-key project.key --json",
        "dcmscrub scrub /data/inbox --out /data/release -R me.key.pub \\",
        "    --linkage-key project.key --escrow age1... --escrow-out /vault",
        "dcmscrub scrub inbox --out release -R me.key.pub -p research-longitudinal \\",
        "    --review run.review.age     # words clean removed, encrypted",
    ),
)
def scrub(
    inputs: Annotated[
        list[Path],
        typer.Argument(metavar="INPUT...", help="Files or folders to de-identify (walked recursively)."),
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
    escrow: Annotated[
        list[str] | None,
        typer.Option(
            "--escrow",
            metavar="RECIPIENT",
            help="Also write the run's re-identification table, encrypted only to this age key "
            "(an honest broker's, never a data recipient; repeatable; or escrow: in the profile).",
        ),
    ] = None,
    escrow_out: Annotated[
        Path | None,
        typer.Option("--escrow-out", metavar="DIR", help="Folder for the escrow file (not inside OUTDIR)."),
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
    anchor: AnchorOpt = None,
    rotate_size: Annotated[
        str | None,
        typer.Option(
            "--rotate-size",
            metavar="SIZE",
            help="After the run, rotate the log once it is this large (e.g. 64M; see log rotate).",
        ),
    ] = None,
    max_header: Annotated[
        str,
        typer.Option(
            "--max-header",
            metavar="SIZE",
            help="What one file's header (all but its pixel data; a deflated file's whole data set)"
            " may take in memory; a file past it fails as too_large.",
        ),
    ] = "64M",
    audit_key: Annotated[
        Path | None,
        typer.Option(
            "--audit-key", metavar="FILE", help=f"Ed25519 key file to sign checkpoints (or ${AUDIT_KEY_ENV})."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Count what each input would become; write nothing (the log gets a dry_run record).",
        ),
    ] = False,
    dicomdir: Annotated[
        bool,
        typer.Option(
            "--dicomdir",
            help="With --no-encrypt: 8-character file IDs and a DICOMDIR at the root of OUTDIR (PS3.10).",
        ),
    ] = False,
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            metavar="FILE",
            help="Write the words clean removed, per attribute, to FILE encrypted to the recipients.",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every problem file, even without a TTY.")
    ] = False,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """De-identify every DICOM file under INPUT... into OUT/<patient>/<study>/<series>/<sop>.dcm.age."""
    counts: Counter[str] = Counter({o.value: 0 for o in Outcome})
    console = stderr_console(quiet=quiet)
    prof = load_profile(profile, readers.annex_options(option))
    recips = readers.recipients(recipient or [], recipients_file, prof.recipients)
    if no_encrypt and recips:
        raise UsageError("--no-encrypt and recipients contradict each other", hint="drop one of them")
    if review is not None and no_encrypt:
        raise UsageError(
            "--review and --no-encrypt contradict each other: the review file holds the words clean "
            "removed and is never written in plaintext",
            hint="encrypt the run to a recipient (-r age1... or -R FILE) to write a review file",
        )
    if not no_encrypt and not recips:
        raise ConfigError(
            "no recipient to encrypt outputs to",
            hint="give -r age1... or -R FILE (make a key with: dcmscrub keygen -o FILE), "
            "or ask for plain outputs with --no-encrypt",
        )
    key = readers.linkage_key(linkage_key)
    if key is None:
        warn(
            console,
            "no linkage key: pseudonyms use a random secret for this run only and will not match "
            "other runs (give --linkage-key FILE; make one with: dcmscrub keygen --linkage -o FILE)",
        )
    detector_note = _detector_note(prof)
    if detector_note:
        warn(console, detector_note)
    signer = readers.audit_signer(audit_key)
    escrow_options = readers.escrow(escrow or [], escrow_out, prof.escrow_recipients)
    shard_spec = readers.shard(shard)
    log_path = log or default_log_path(os.environ)
    n_jobs = jobs or len(os.sched_getaffinity(0))
    header_cap = readers.size(max_header) or DEFAULT_MAX_HEADER
    args = {
        "profile": prof.name,
        "options": sorted(option or []),
        "encrypt": not no_encrypt,
        "overwrite": overwrite,
        "jobs": n_jobs,
        "shard": shard,
        "max_header": header_cap,
        **({"dry_run": True} if dry_run else {}),
        **({"dicomdir": True} if dicomdir else {}),
        "escrow": escrow_options is not None,
        "review": review is not None,  # that a review file was written; never what it holds
    }
    sink: Sink = PlainSink() if no_encrypt else AgeSink(tuple(recips))
    options = ScrubOptions(
        prof,
        sink,
        linkage_key=key,
        log=log_path,
        audit_signer=signer,
        overwrite=overwrite,
        jobs=n_jobs,
        shard=shard_spec,
        command_args=args,
        debug=debug,
        anchors=readers.anchors(anchor),
        rotate_size=readers.size(rotate_size),
        max_header=header_cap,
        dry_run=dry_run,
        dicomdir=dicomdir,
        escrow=escrow_options,
        review=review,
    )
    with run_progress(console, quiet=quiet, verbose=verbose) as bar:

        def start(files: int, size: int) -> None:
            error_context(counts=counts)  # from now on, an error object says what was done
            bar.start(files, size)

        def advance(result: FileResult) -> None:
            counts[result.outcome] += 1
            bar.advance(result)

        summary = scrub_tree(inputs, out, options, on_start=start, on_result=advance)
    _report(console, summary, prof, json_out=json_out)
    if summary.error is not None:
        raise summary.error


def _report(console: Console, summary: RunSummary, prof: Profile, *, json_out: bool) -> None:
    """The run's summary line, what it says once (notes, anchors, rotation, DICOMDIR, what would
    clean files held back for burned-in text), its JSON."""
    if summary.dicomdir is not None:
        for relpath, why in summary.dicomdir.left_out:
            warn(console, f"not in the DICOMDIR: {relpath}: {why}")
    info(console, summary_line(summary))
    held = sum(1 for r in summary.problems if r.reason in BURNED_IN_TEXT)
    if held:
        info(console, _held_note(held, prof))
    for missed in summary.anchor_failures:
        warn(console, f"the run's checkpoint could not be anchored in {missed}")
    if summary.rotated is not None:
        info(console, f"log rotated: sealed as {summary.rotated.name}")
    for note, count in sorted(summary.notes.items()):
        warn(console, f"{count} output{'s are' if count != 1 else ' is'} {note.text}")
    if json_out:
        print_json(summary.to_json())


def _ocr_installed() -> bool:
    from dcmscrub.deid.textdetect import ocr_available

    return ocr_available()


def _detector_note(prof: Profile) -> str | None:
    """A warning when the profile asks for the detector where it may run and it cannot."""
    if prof.pixels.detector.enabled == "auto" and not _ocr_installed():
        return (
            f"profile {prof.name} would run the text detector (pixels_detector: enabled: auto), but the "
            "[ocr] extra is not installed: images at risk of burned-in text that no pixels rule clears "
            "will be quarantined (pip install 'dcmscrub[ocr]' adds it)"
        )
    return None


def _held_note(held: int, prof: Profile) -> str:
    """What would clean the files held back for burned-in text, instead of quarantining them."""
    files = f"{held} file{'s' * (held != 1)} held back for possible burned-in text"
    rules = "add pixels rules with the rectangles of their devices (README: Clean Pixel Data)"
    if not _ocr_installed():
        return (
            f"{files}: the [ocr] extra (pip install 'dcmscrub[ocr]') would detect text in their pixels "
            f"and blank it (pixels_detector: {{enabled: auto}} in the profile); or {rules}"
        )
    if prof.pixels.detector.enabled == "off":
        return (
            f"{files}: the [ocr] extra is installed; pixels_detector: {{enabled: auto}} in the profile "
            f"would detect text in their pixels and blank it; or {rules}"
        )
    return f"{files}; {rules}"
