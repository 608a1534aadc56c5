"""Look before and after: what ``dcmscrub plan`` and ``dcmscrub diff`` show.

:func:`plan_file` reads one input, explains what the engine will do to each element
(:func:`dcmscrub.deid.explain.explain`) and runs the engine on a second copy of it, so that each
explained action stands beside what really happened (and, when asked, the values before and
after). :func:`diff_files` compares an input with its output (decrypted in memory when it is an
age file). Neither writes a file or the audit log: they show a person what a run does.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.filereader import dcmread
from pydicom.multival import MultiValue

from dcmscrub.age import Identity, decrypt, looks_like_age
from dcmscrub.batch.outtree import STATE_DIR, output_relpath
from dcmscrub.deid.engine import deidentify, output_ids
from dcmscrub.deid.explain import MARK_TAGS, MARKS_WHY, explain
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.deid.reasons import Why, keyword_of, tag_text
from dcmscrub.dicomio.read import Header, quiet_pydicom, read_header
from dcmscrub.dicomio.sniff import sniff
from dcmscrub.errors import DataError, DecryptError, InputError, UsageError
from dcmscrub.outcomes import FileProblem, Reason

EMPTY = "(empty)"
PIXEL_DATA = 0x7FE00010
META_WHY = Why("engine", "file meta: rebuilt by the engine for the new object (deid.marks)")
PIXELS_WHY = Why("engine", "copied byte for byte; pixels are never inspected (burned-in text: quarantine)")


@dataclass(frozen=True)
class Value:
    """An element's value for people: text (``(empty)`` for none), and whether it is a sequence."""

    tag: int
    name: str
    text: str


@dataclass
class PlannedElement:
    """One element of a plan: the explained action beside what the engine did to it."""

    path: str
    name: str
    tag: int
    vr: str | None
    depth: int
    action: str
    why: list[Why]
    result: str  # removed, emptied, changed, unchanged, added, not released
    before: str | None = None
    after: str | None = None

    @property
    def agrees(self) -> bool:
        """The explanation and the engine agree on whether the element stays."""
        if self.result in ("added", "not released"):
            return True
        return (self.action == "remove") == (self.result == "removed")


@dataclass
class FilePlan:
    """What a run would do to one file."""

    name: str
    profile: Profile
    sop_class: str
    quarantine: Reason | None
    output: str | None  # the output's path in the tree (with the key given)
    elements: list[PlannedElement] = field(default_factory=list)


def plan_file(
    path: Path, profile: Profile, linkage_key: bytes | None, *, suffix: str = ".dcm.age"
) -> FilePlan:
    """Explain every element of ``path`` under ``profile``; nothing is written anywhere."""
    key = linkage_key if linkage_key is not None else os.urandom(32)
    ps = profile.pseudonyms
    pseudonymizer = Pseudonymizer(key, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days)
    before = read_input(path)
    after = read_input(path)
    with quiet_pydicom():
        explanation = explain(before.ds, profile)
        ids = output_ids(after.ds, profile, pseudonymizer)
        report = deidentify(after.ds, profile, pseudonymizer)
        old, new = flatten(before.ds), flatten(after.ds)
    try:
        output: str | None = output_relpath(*ids, suffix)
    except FileProblem:
        output = None
    plan = FilePlan(path.name, profile, explanation.sop_class, report.quarantine, output)
    held = report.quarantine is not None
    for row in explanation.elements:
        was = old.get(row.path)
        now = None if held else new.get(row.path)
        result = "not released" if held else _result(was, now)
        if row.tag == PIXEL_DATA and row.depth == 0:  # read with the header (a deflated file)
            result = "not released" if held else "unchanged" if PIXEL_DATA in after.ds else "removed"
            row.why.append(PIXELS_WHY)
        plan.elements.append(
            PlannedElement(
                row.path,
                row.name,
                row.tag,
                row.vr,
                row.depth,
                row.action,
                row.why,
                result,
                was.text if was else None,
                now.text if now else None,
            )
        )
    for key_path in [] if held else [p for p in new if p not in old]:
        value = new[key_path]
        marked = int(key_path[1:5] + key_path[6:10], 16) in MARK_TAGS if key_path.startswith("(") else True
        why = MARKS_WHY if marked else Why("engine", "added")
        plan.elements.append(
            PlannedElement(
                key_path,
                value.name,
                value.tag,
                None,
                key_path.count("["),
                "add",
                [why],
                "added",
                None,
                value.text,
            )
        )
    _meta_rows(plan, old, new, held)
    if before.pixel_start is not None:
        plan.elements.append(
            PlannedElement(
                tag_text(PIXEL_DATA),
                "PixelData",
                PIXEL_DATA,
                None,
                0,
                "keep",
                [PIXELS_WHY],
                "not released" if held else "unchanged",
            )
        )
    return plan


def _meta_rows(plan: FilePlan, old: dict[str, Value], new: dict[str, Value], held: bool) -> None:
    """File meta elements: what the engine did, observed (it rebuilds the meta for the new object)."""
    for key_path, was in old.items():
        if not key_path.startswith("meta."):
            continue
        now = None if held else new.get(key_path)
        result = "not released" if held else _result(was, now)
        action = "remove" if result == "removed" else "keep" if result == "unchanged" else "replace"
        plan.elements.append(
            PlannedElement(
                key_path,
                was.name,
                was.tag,
                None,
                0,
                action,
                [META_WHY],
                result,
                was.text,
                now.text if now else None,
            )
        )


def _result(was: Value | None, now: Value | None) -> str:
    if was is None:
        return "added" if now is not None else "removed"
    if now is None:
        return "removed"
    if now.text == was.text:
        return "unchanged"
    return "emptied" if now.text == EMPTY else "changed"


# --------------------------------------------------------------------------------------------
# values


def flatten(ds: Dataset) -> dict[str, Value]:
    """Every element at every depth (pixel data aside), by path: ``(0008,1140)[0].(0008,1155)``;
    the file meta as ``meta.(0002,0003)``."""
    out: dict[str, Value] = {}
    meta = getattr(ds, "file_meta", None)
    if meta is not None:
        for elem in meta:
            out[f"meta.{tag_text(elem.tag)}"] = Value(elem.tag, "meta." + _label(elem), value_text(elem))
    out.update(_flatten(ds, "", ""))
    return out


def _flatten(ds: Dataset, path: str, name: str) -> Iterator[tuple[str, Value]]:
    for elem in ds:
        if elem.tag == PIXEL_DATA:
            continue
        here, label = path + tag_text(elem.tag), name + _label(elem)
        yield here, Value(elem.tag, label, value_text(elem))
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                yield from _flatten(item, f"{here}[{i}].", f"{label}[{i}].")


def _label(elem: DataElement) -> str:
    return keyword_of(int(elem.tag)) or tag_text(int(elem.tag))


def value_text(elem: DataElement) -> str:
    """A value as people read it: ``(empty)`` for none, ``<N bytes>`` for binary data."""
    value = elem.value
    if elem.VR == "SQ":
        return f"<{len(value)} item{'s' * (len(value) != 1)}>" if len(value) else EMPTY
    if value is None or (isinstance(value, str | bytes | list | MultiValue) and len(value) == 0):
        return EMPTY
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    text = "\\".join(str(v) for v in value) if isinstance(value, MultiValue | list) else str(value)
    return text if text.strip("\\") else EMPTY


# --------------------------------------------------------------------------------------------
# reading


def read_input(path: Path) -> Header:
    """The header of one input (pixel data left in the file); errors name the file."""
    try:
        size = path.stat().st_size
        fh = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise InputError(f"{path} not found") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror})") from None
    with fh:
        kind = sniff(fh.read(132))
        try:
            if kind in ("empty", "other"):
                raise FileProblem(Reason.EMPTY if kind == "empty" else Reason.NOT_DICOM)
            return read_header(fh, size, kind)
        except FileProblem as exc:
            raise DataError(f"{path.name}: {exc.reason.text}") from None


@dataclass
class Change:
    """One difference between an input and its output."""

    path: str
    name: str
    tag: int
    before: str | None  # None: absent
    after: str | None

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"


@dataclass
class FileDiff:
    """What changed between an input and its output."""

    input: str
    output: str
    changes: list[Change]
    unchanged: int
    pixels: str  # identical, different, absent


def diff_files(src: Path, dst: Path, identities: Sequence[Identity]) -> FileDiff:
    """Compare ``src`` with its output ``dst`` (a file, or a folder searched by pixel data)."""
    before = _load(src, identities)
    if dst.is_dir():
        dst, after = _find_output(before, dst, identities)
    else:
        after = _load(dst, identities)
    with quiet_pydicom():
        old, new = flatten(before), flatten(after)
    changes = [
        Change(
            p, (old.get(p) or new[p]).name, (old.get(p) or new[p]).tag, _text(old.get(p)), _text(new.get(p))
        )
        for p in sorted(set(old) | set(new))
        if _text(old.get(p)) != _text(new.get(p))
    ]
    pix_old, pix_new = _pixel_key(before), _pixel_key(after)
    pixels = (
        "absent"
        if pix_old is None and pix_new is None
        else "identical"
        if pix_old == pix_new
        else "different"
    )
    same = sum(1 for p in set(old) & set(new) if old[p].text == new[p].text)
    return FileDiff(str(src), str(dst), changes, same, pixels)


def _text(value: Value | None) -> str | None:
    return None if value is None else value.text


def _load(path: Path, identities: Sequence[Identity]) -> Dataset:
    """A whole DICOM file (an age file decrypted in memory, never on disk)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} not found") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror})") from None
    if looks_like_age(raw[:64]):
        if not identities:
            raise UsageError(
                f"{path.name} is encrypted", hint="give -i IDENTITY_FILE to decrypt it in memory"
            )
        plain = io.BytesIO()
        try:
            decrypt(io.BytesIO(raw), plain, identities)
        except DecryptError as exc:
            exc.name_file(path.name)
            raise
        raw = plain.getvalue()
    with quiet_pydicom():
        try:
            return dcmread(io.BytesIO(raw), force=True)
        except Exception:
            raise DataError(f"{path.name}: {Reason.CORRUPT.text}") from None


def _pixel_key(ds: Dataset) -> str | None:
    elem = ds.get(PIXEL_DATA)
    if elem is None or not isinstance(elem.value, bytes | bytearray):
        return None
    return hashlib.sha256(elem.value).hexdigest()


def _find_output(before: Dataset, folder: Path, identities: Sequence[Identity]) -> tuple[Path, Dataset]:
    """The output in ``folder`` whose pixel data is the input's (it passes through unchanged)."""
    key = _pixel_key(before)
    if key is None:
        raise UsageError(
            "the input has no pixel data to find its output by", hint="give the output file itself"
        )
    for path in sorted(_files(folder)):
        with open(path, "rb") as fh:
            encrypted = looks_like_age(fh.read(64))
        if encrypted and not identities:
            raise UsageError(f"{folder} holds encrypted outputs", hint="give -i IDENTITY_FILE")
        try:
            candidate = _load(path, identities)
        except (DataError, DecryptError):
            continue
        if _pixel_key(candidate) == key:
            return path, candidate
    raise InputError(f"no output in {folder} has this input's pixel data", hint="give the output file itself")


def _files(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != STATE_DIR]
        for name in files:
            if name != "DICOMDIR" and not name.startswith("."):
                yield Path(root, name)
