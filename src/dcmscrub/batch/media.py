"""A DICOMDIR for a plain output tree (``scrub --no-encrypt --dicomdir``, ``decrypt --dicomdir``).

The tree's files already lie at PS3.10 file IDs (:func:`dcmscrub.batch.outtree.media_relpath`);
:func:`tree_dicomdir` names every DICOM file of the tree (earlier runs' too) in ``DICOMDIR`` at
its root. A DICOMDIR holds header values in clear, so it is only ever made for plain outputs.
"""

from __future__ import annotations

from pathlib import Path

from dcmscrub.batch.outtree import STATE_DIR
from dcmscrub.dicomio.dicomdir import DicomdirResult, dicom_files, write_dicomdir
from dcmscrub.errors import StorageError


def tree_dicomdir(root: Path, scratch_parent: Path) -> DicomdirResult:
    """Write ``root/DICOMDIR`` for every file of the tree; raises StorageError (74) when it cannot."""
    files = list(dicom_files(root, skip=(STATE_DIR,)))
    try:
        return write_dicomdir(root, files, scratch_parent)
    except OSError as exc:
        raise StorageError(
            f"cannot write {root / 'DICOMDIR'} ({exc.strerror or type(exc).__name__})",
            hint="check the free space and permissions of the output folder",
        ) from None
