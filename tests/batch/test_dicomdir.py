"""DICOMDIR for the plaintext tree: ``scrub --no-encrypt --dicomdir`` and ``decrypt --dicomdir``
lay out the same PS3.10 file IDs, write a DICOMDIR that dciodvfy and dcmdump accept and pydicom
reads back to every file, and never write one beside encrypted outputs. Real processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydicom.fileset import FileSet, is_conformant_file_id

from conftest import SAMPLE, dcm_files
from dcmscrub.batch.outtree import file_id, media_relpath


def dcmscrub(*args: object) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "dcmscrub", *(str(a) for a in args)]
    return subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in dcm_files(root) if p.name != "DICOMDIR"}


def check_dicomdir(root: Path) -> int:
    """The DICOMDIR at ``root`` is valid and names every file of the tree; returns how many."""
    dicomdir = root / "DICOMDIR"
    fs = FileSet(dicomdir)
    named = {Path(i.path).relative_to(root).as_posix() for i in fs}
    assert named == tree(root)
    assert all(is_conformant_file_id(Path(rel)) for rel in named)
    for tool in ("dciodvfy", "dcmdump"):
        if shutil.which(tool) is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"{tool} is missing")
            continue
        done = subprocess.run([tool, str(dicomdir)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        if tool == "dciodvfy":
            report = done.stdout + done.stderr
            assert "BasicDirectory" in report
            assert not re.search(r"^Error", report, re.M), report
    return len(named)


@pytest.mark.oracle
def test_scrub_no_encrypt_dicomdir_is_valid_and_verifies(tmp_path: Path, linkage_file: Path) -> None:
    out, log = tmp_path / "media", tmp_path / "audit.jsonl"
    args = ["scrub", SAMPLE, "--out", out, "--no-encrypt", "--dicomdir", "--linkage-key", linkage_file]
    result = dcmscrub(*args, "--log", log)
    assert result.returncode == 3, result.stderr
    assert "DICOMDIR names 9 files" in result.stderr
    assert check_dicomdir(out) == 9
    assert all(len(part) <= 8 for rel in tree(out) for part in rel.split("/"))
    verified = dcmscrub("log", "verify", log, "--check-outputs", out)
    assert verified.returncode == 0, verified.stderr  # the DICOMDIR is not taken for an output
    again = dcmscrub(*args, "--log", log)  # a rerun: every output exists, the DICOMDIR is made again
    assert again.returncode == 3 and check_dicomdir(out) == 9


@pytest.mark.oracle
def test_decrypt_dicomdir_lays_out_the_same_tree(
    tmp_path: Path, linkage_file: Path, identity: tuple[Path, str]
) -> None:
    id_path, recipient = identity
    plain = tmp_path / "plain"
    dcmscrub("scrub", SAMPLE, "--out", plain, "--no-encrypt", "--dicomdir", "--linkage-key", linkage_file)
    release = tmp_path / "release"
    assert (
        dcmscrub("scrub", SAMPLE, "--out", release, "-r", recipient, "--linkage-key", linkage_file).returncode
        == 3
    )
    assert not (release / "DICOMDIR").exists()
    media = tmp_path / "media"
    result = dcmscrub("decrypt", release, "--out", media, "-i", id_path, "--dicomdir")
    assert result.returncode == 0, result.stderr
    assert check_dicomdir(media) == 9
    assert tree(media) == tree(plain)  # one mapping of names, whichever way the tree was made
    for rel in tree(media):
        assert (media / rel).read_bytes() == (plain / rel).read_bytes()


def test_no_dicomdir_beside_encrypted_outputs(tmp_path: Path, identity: tuple[Path, str]) -> None:
    result = dcmscrub("scrub", SAMPLE, "--out", tmp_path / "out", "-r", identity[1], "--dicomdir")
    assert result.returncode == 2 and "never written beside encrypted outputs" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_outside_the_layout_is_left_out_and_said(tmp_path: Path) -> None:
    from dcmscrub.dicomio.dicomdir import write_dicomdir

    out = tmp_path / "media"
    assert dcmscrub("scrub", SAMPLE, "--out", out, "--no-encrypt", "--dicomdir").returncode == 3
    one = sorted(tree(out))[0]
    (out / "loose.dcm").write_bytes((out / one).read_bytes())
    (out / "NOTDICOM").write_text("hello")
    result = write_dicomdir(out, sorted(tree(out)), out / ".dcmscrub")
    assert result.instances == 9
    reasons = dict(result.left_out)
    assert "PS3.10 file ID" in reasons["loose.dcm"] and "not a DICOM file" in reasons["NOTDICOM"]
    assert not list((out / ".dcmscrub").glob(".dicomdir-*"))  # its working copies are gone


def test_file_ids_are_conformant_and_stable() -> None:
    assert file_id("PT000000") == "PT000000"  # already a file ID: kept
    mapped = media_relpath("PABCDEFGHIJKLMNOP/2.25.1/2.25.2/2.25.3.dcm.age")
    assert mapped == media_relpath("PABCDEFGHIJKLMNOP/2.25.1/2.25.2/2.25.3.dcm")
    parts = mapped.split("/")
    assert len(parts) == 4 and all(re.fullmatch(r"[A-Z2-7]{8}", p) for p in parts)
    assert len({file_id(f"2.25.{n}") for n in range(2000)}) == 2000
