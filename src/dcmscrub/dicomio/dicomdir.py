"""A PS3.10 DICOMDIR for a tree of plain DICOM files, built with pydicom's ``FileSet``.

The files must already lie where PS3.10 allows (file IDs of at most 8 components of 1 to 8
characters A-Z 0-9 _, four levels: patient/study/series/instance, as
:func:`dcmscrub.batch.outtree.media_relpath` lays them out). pydicom's ``FileSet`` makes the
directory records (PATIENT, STUDY, SERIES and the instance's record) and encodes the DICOMDIR
with its offsets; its own naming (``PT000000/...``) is replaced by the files' own names, so no
output is moved or re-encoded: the DICOMDIR is written beside them, whole or not at all.

Directory records need a few Type 1 values that a de-identified object may have emptied (Study
Date and Time, Study ID, ...): the record then holds a fixed dummy (``20000101``, ``000000``,
``REMOVED``, ``0``), never anything taken from elsewhere. A file that cannot be named in a
DICOMDIR (not DICOM, not at a PS3.10 path, a record pydicom cannot make) is left out and said so.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydicom.dataset import Dataset
from pydicom.filereader import dcmread
from pydicom.fileset import FileSet, RecordNode, is_conformant_file_id
from pydicom.sequence import Sequence as DicomSequence

from dcmscrub.dicomio.read import quiet_pydicom

DICOMDIR = "DICOMDIR"
# Type 1 keys of the directory records (PS3.3 F.5) and the dummy a record gets when the object
# holds no value for one (a de-identified object may have emptied it)
RECORD_DUMMIES: dict[str, str] = {
    "PatientID": "REMOVED",
    "StudyDate": "20000101",
    "StudyTime": "000000",
    "StudyID": "REMOVED",
    "Modality": "OT",
    "SeriesNumber": "0",
    "InstanceNumber": "0",
    "ContentDate": "20000101",
    "ContentTime": "000000",
}  # and VerificationDateTime 20000101000000 for a VERIFIED report that lost it


@dataclass
class DicomdirResult:
    """How many instances the DICOMDIR names, and the files left out (path, why)."""

    instances: int = 0
    left_out: list[tuple[str, str]] = field(default_factory=list)


class _Named(RecordNode):
    """A directory record whose file ID component is the file's own folder or file name."""

    def __init__(self, record: Dataset, name: str) -> None:
        super().__init__(record)
        self.name = name

    @property
    def component(self) -> str:
        return self.name


def write_dicomdir(root: Path, relpaths: Sequence[str], scratch_parent: Path) -> DicomdirResult:
    """Write ``root/DICOMDIR`` naming the files ``relpaths`` (POSIX, relative to ``root``).

    ``scratch_parent`` (inside ``root``'s file system, hidden from readers of the tree) holds
    pydicom's working copies of the headers while the DICOMDIR is built; they are removed after.
    Raises OSError when the DICOMDIR cannot be written.
    """
    result = DicomdirResult()
    scratch = Path(tempfile.mkdtemp(prefix=".dicomdir-", dir=scratch_parent))
    try:
        fs = FileSet()
        # pydicom stages a copy of each header; keep those inside the tree, not in /tmp
        stage = tempfile.TemporaryDirectory(dir=scratch)
        fs._stage["t"], fs._stage["path"] = stage, Path(stage.name)
        for relpath in relpaths:
            problem = _add(fs, root, relpath)
            if problem is None:
                result.instances += 1
            else:
                result.left_out.append((relpath, problem))
        if not result.instances:
            return result
        media = scratch / "media"
        with quiet_pydicom():
            fs.write(media)
        os.replace(media / DICOMDIR, root / DICOMDIR)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def _add(fs: FileSet, root: Path, relpath: str) -> str | None:
    """Stage one file with records named by its path; the reason when it cannot be named."""
    parts = relpath.split("/")
    if not is_conformant_file_id(Path(*parts)):
        return "its path is not a PS3.10 file ID (8 characters of A-Z 0-9 _ per folder)"
    try:
        with quiet_pydicom():
            ds = dcmread(root / relpath, stop_before_pixels=True)
            records = list(fs._recordify(_with_dummies(ds)))
    except Exception:
        return "not a DICOM file pydicom can name in a DICOMDIR"
    if len(records) != len(parts):
        return f"a {records[-1].DirectoryRecordType} record does not lie at patient/study/series/instance"
    node: RecordNode | None = None
    for record, name in zip(records, parts, strict=True):
        child = _Named(record, name)
        if node is not None:
            child.parent = node
        node = child
    assert node is not None
    try:
        with quiet_pydicom():
            instance = fs.add_custom(ds, node)
    except Exception:
        return "not a DICOM file pydicom can name in a DICOMDIR"
    if Path(instance.FileID).as_posix() != relpath:
        # its patient, study or series lies in another folder too: the record tree cannot say both
        fs.remove(instance)
        return "another file of its patient, study or series lies in another folder"
    return None


def _with_dummies(ds: Dataset) -> Dataset:
    """A copy of the header for pydicom's record makers: dummies for emptied Type 1 keys, and an
    SR's content reduced to what its record may hold (PS3.3 F.5.24: the items that modify the
    document's title, HAS CONCEPT MOD; pydicom would copy the whole report into the DICOMDIR)."""
    out = Dataset()
    out.update(ds)
    out.file_meta = ds.file_meta
    for keyword, dummy in RECORD_DUMMIES.items():
        value: Any = out.get(keyword)
        if value is None or str(value) == "":
            setattr(out, keyword, dummy)
    if str(out.get("VerificationFlag", "")) == "VERIFIED" and not str(out.get("VerificationDateTime", "")):
        out.VerificationDateTime = "20000101000000"
    if "ContentSequence" in out:
        modifiers = [
            i for i in out.ContentSequence if str(i.get("RelationshipType", "")) == "HAS CONCEPT MOD"
        ]
        if modifiers:
            out.ContentSequence = DicomSequence(modifiers)
        else:
            del out.ContentSequence
    return out


def dicom_files(root: Path, skip: Sequence[str] = ()) -> Iterator[str]:
    """Relative POSIX paths of the regular files under ``root`` that a DICOMDIR may name: not
    hidden, not in ``skip`` (top-level names such as the tree's state folder), not the DICOMDIR."""
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here == root and d in skip))
        for name in sorted(files):
            if name.startswith(".") or (here == root and name == DICOMDIR):
                continue
            with contextlib.suppress(ValueError):
                yield (here / name).relative_to(root).as_posix()
