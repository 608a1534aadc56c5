"""Plaintext exports of escrow files, by a steward's explicit choice (``dcmscrub escrow export``).

``csv`` writes ``mapping.csv``: every row, columns ``kind,original,issuer,pseudonym,patient,name,
name_pseudonym,date_offset_days``. ``midi`` writes the two CSV files the MIDI-B validation script
reads (CBIIT/MIDI_validation_script, ``modules/validation_helper.py``: its config names them
``uid_mapping_file`` and ``patid_mapping_file``, and it reads each with pandas, columns ``id_old``
and ``id_new``): ``uid_mapping.csv`` (study, series and SOP instance UIDs; the script looks every
output's SOP Instance UID up in it) and ``patid_mapping.csv`` (Patient ID -> pseudonymous ID).

Files are mode 0600 and appear whole or not at all (temporary names, synced, renamed once every
escrow file was read and the export recorded in the audit log). Rows repeated within or across
escrow files are written once; telling them apart costs 16 bytes of memory per distinct row.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from dcmscrub.age import X25519Identity
from dcmscrub.atomic import commit, discard, write_temp
from dcmscrub.audit.line import new_run_id
from dcmscrub.audit.operator import operator_info
from dcmscrub.audit.records import AccessStatus, EscrowExport
from dcmscrub.errors import DataError, OutputError
from dcmscrub.escrow.access import identity_fingerprints, open_log, read_all
from dcmscrub.escrow.format import UID_KINDS, Row
from dcmscrub.escrow.reader import EscrowRead

FORMATS: Final = ("csv", "midi")
CSV_COLUMNS: Final = (
    "kind",
    "original",
    "issuer",
    "pseudonym",
    "patient",
    "name",
    "name_pseudonym",
    "date_offset_days",
)
MIDI_FILES: Final = ("uid_mapping.csv", "patid_mapping.csv")


def export_names(fmt: str) -> tuple[str, ...]:
    """The files an export in ``fmt`` writes."""
    return MIDI_FILES if fmt == "midi" else ("mapping.csv",)


class _Rows:
    """Writes each distinct row once into the export's CSV writers; counts what it wrote."""

    def __init__(self, fmt: str, writers: list[csv.DictWriter[str]]) -> None:
        self.fmt, self.writers = fmt, writers
        self.seen: set[bytes] = set()
        self.rows = 0

    def _put(self, index: int, key: str, values: dict[str, object]) -> None:
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if digest not in self.seen:
            self.seen.add(digest)
            self.writers[index].writerow(values)
            self.rows += 1

    def __call__(self, row: Row) -> None:
        if self.fmt == "csv":
            self._put(0, row.to_line().decode("ascii"), {c: getattr(row, c) for c in CSV_COLUMNS})
        elif row.kind in UID_KINDS:
            self._put(
                0, f"u\0{row.original}\0{row.pseudonym}", {"id_old": row.original, "id_new": row.pseudonym}
            )
        elif row.kind == "patient":
            self._put(
                1, f"p\0{row.original}\0{row.pseudonym}", {"id_old": row.original, "id_new": row.pseudonym}
            )


def _targets(folder: Path, fmt: str, overwrite: bool) -> list[Path]:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"export folder {folder} cannot be created ({exc.strerror})") from None
    finals = [folder / n for n in export_names(fmt)]
    for final in finals:
        if final.exists() and not overwrite:
            raise OutputError(f"{final} exists", hint="give --overwrite, or another -o folder")
    return finals


def _write(
    finals: list[Path],
    fmt: str,
    paths: Sequence[Path],
    identities: Sequence[X25519Identity],
    temps: list[Path],
) -> tuple[list[EscrowRead], int]:
    """Write every distinct row under temporary names (appended to ``temps``), synced and closed."""
    with contextlib.ExitStack() as stack:
        texts = []
        for final in finals:
            raw, tmp = stack.enter_context(write_temp(final, mode=0o600))
            temps.append(tmp)
            texts.append(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        columns = CSV_COLUMNS if fmt == "csv" else ("id_old", "id_new")
        writers = [csv.DictWriter(t, fieldnames=columns, lineterminator="\n") for t in texts]
        for writer in writers:
            writer.writeheader()
        rows = _Rows(fmt, writers)
        read = read_all(paths, identities, rows)
        for text in texts:
            text.flush()
            text.detach()  # write_temp syncs and closes the file itself
    return read, rows.rows


def export(
    paths: Sequence[Path],
    identities: Sequence[X25519Identity],
    fmt: str,
    folder: Path,
    *,
    overwrite: bool = False,
    log: Path | None,
) -> tuple[list[Path], int]:
    """Export the rows of the escrow files ``paths`` into ``folder`` as ``fmt`` (module docstring);
    return the files written and how many rows they hold. Refuses (73) to replace a file unless
    ``overwrite``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    audit = open_log(log)
    finals = _targets(folder, fmt, overwrite)
    operator, fingerprints = operator_info(os.environ), identity_fingerprints(identities)
    run_id = new_run_id(lambda: dt.datetime.now(dt.UTC), os.urandom)
    temps: list[Path] = []
    try:
        read, rows = _write(finals, fmt, paths, identities, temps)
    except DataError:
        if audit is not None:
            audit.record(run_id, EscrowExport(operator, fingerprints, [], fmt, 0, [], AccessStatus.FAILED))
        raise
    try:
        if audit is not None:
            names = [f.name for f in finals]
            audit.record(
                run_id, EscrowExport(operator, fingerprints, [r.sha256 for r in read], fmt, rows, names)
            )
        for tmp, final in zip(temps, finals, strict=True):
            commit(tmp, final, overwrite=overwrite)
    finally:
        for tmp in temps:
            discard(tmp)  # those not renamed (an export that was not recorded leaves nothing)
    return finals, rows
