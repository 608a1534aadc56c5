"""Faults on real full disks (small tmpfs mounts): the run stops with 74, its log still verifies,
its counts and its file records are the same set, and a rerun after freeing space completes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pydicom
import pytest

from conftest import KEY, SAMPLE, dcm_files
from dcmscrub.audit.verify import verify_log
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import PlainSink
from dcmscrub.profiles import load_profile

Mount = Callable[[str], Path]


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """``mount(size)``: a fresh tmpfs of that size (``remount(path, size)`` frees space)."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"tmpfs{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def remount(point: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(point)], check=True, capture_output=True)


def make_tree(folder: Path, n: int) -> Path:
    """``n`` CT files with fresh UIDs, copies of a few (duplicates), a burned-in file that names
    the output of a clean one, a quarantined file, a truncated file and a file that is not DICOM."""
    src = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
    ds = pydicom.dcmread(src)
    (folder / "a").mkdir(parents=True)
    for i in range(n):
        ds.SOPInstanceUID = f"1.2.826.0.1.3680043.10.1426.88.{i + 1}"
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.BurnedInAnnotation = "NO"
        ds.save_as(folder / "a" / f"f{i:04d}.dcm", enforce_file_format=True)
    (folder / "b").mkdir()
    for i in range(0, n, 4):
        shutil.copy(folder / "a" / f"f{i:04d}.dcm", folder / "b" / f"copy{i:04d}.dcm")
        ds = pydicom.dcmread(folder / "a" / f"f{i:04d}.dcm")
        ds.BurnedInAnnotation = "YES"  # same SOP Instance UID, later in input order: a duplicate
        ds.save_as(folder / "b" / f"dup{i:04d}.dcm", enforce_file_format=True)
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1426.88.999999"
    ds.save_as(folder / "b" / "quarantined.dcm", enforce_file_format=True)
    data = (folder / "a" / "f0001.dcm").read_bytes()
    (folder / "b" / "truncated.dcm").write_bytes(data[: len(data) // 2])
    (folder / "b" / "notes.txt").write_text("not dicom\n")
    return folder


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dcmscrub", *args], capture_output=True, text=True, check=False, timeout=300
    )


def records(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def counts_agree_with_records(log: Path) -> None:
    """Every run_end's counts are exactly its run's file records tallied by outcome."""
    tally: dict[str, Counter[str]] = {}
    for rec in records(log):
        if rec["event"] == "file":
            tally.setdefault(rec["run_id"], Counter())[rec["outcome"]] += 1
        if rec["event"] == "run_end":
            seen = tally.get(rec["run_id"], Counter())
            assert rec["counts"] == {**seen, "total": sum(seen.values())}, rec


def verifies(log: Path, *more: str) -> subprocess.CompletedProcess[str]:
    done = cli("log", "verify", str(log), *more)
    assert done.returncode == 0, done.stderr
    return done


def reference_tree(tree: Path, tmp_path: Path, key: Path) -> dict[str, bytes]:
    out = tmp_path / "reference"
    log = tmp_path / "ref" / "audit.jsonl"
    done = cli(
        "scrub", str(tree), "--out", str(out), "--no-encrypt", "--log", str(log), "--linkage-key", str(key)
    )
    assert done.returncode == 3, done.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in dcm_files(out)}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_output_disk_stops_with_74_the_log_verifies_and_a_rerun_completes(
    tmp_path: Path, tmpfs: Mount, jobs: str, linkage_file: Path
) -> None:
    tree = make_tree(tmp_path / "in", 40)
    want = reference_tree(tree, tmp_path, linkage_file)
    disk = tmpfs("160k")
    out, log = disk / "out", tmp_path / "state" / "audit.jsonl"
    args = ["scrub", str(tree), "--out", str(out), "--no-encrypt", "--log", str(log), "-j", jobs, "--json"]
    args += ["--linkage-key", str(linkage_file)]
    done = cli(*args)
    assert done.returncode == 74, done.stderr
    assert "disk is full" in done.stderr
    error = json.loads(done.stdout)  # one object on stdout
    assert error["exit_code"] == 74 and "disk is full" in error["error"]
    assert error["counts"]["written"] < len(want) and error["counts"]["failed"] >= 1
    end = records(log)[-1]
    assert end["event"] == "run_end" and end["exit_code"] == 74 and end["status"] == "failed"
    told = {k: n for k, n in error["counts"].items() if n}
    assert end["counts"] == told  # what the script was told is what the log says
    counts_agree_with_records(log)
    verifies(log, "--check-outputs", str(out))
    remount(disk, "2m")  # space freed
    again = cli(*args)
    assert again.returncode == 3, again.stderr  # the quarantined and the truncated file
    assert {str(p.relative_to(out)): p.read_bytes() for p in dcm_files(out)} == want
    counts_agree_with_records(log)
    verifies(log, "--check-outputs", str(out))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_log_disk_stops_with_74_leaves_nothing_unlogged_and_the_log_verifies(
    tmp_path: Path, tmpfs: Mount, jobs: str, linkage_file: Path
) -> None:
    tree = make_tree(tmp_path / "in", 200)
    want = reference_tree(tree, tmp_path, linkage_file)
    disk = tmpfs("96k")
    out, log = tmp_path / "out", disk / "audit.jsonl"
    args = ["scrub", str(tree), "--out", str(out), "--no-encrypt", "--log", str(log), "-j", jobs, "--json"]
    args += ["--linkage-key", str(linkage_file)]
    done = cli(*args)
    assert done.returncode == 74, done.stderr
    assert json.loads(done.stdout)["exit_code"] == 74
    logged = {r.get("output") for r in records(log) if r["event"] == "file"} - {None}
    assert {str(p.relative_to(out)) for p in dcm_files(out)} == logged  # nothing unlogged
    assert 0 < len(logged) < len(want)
    counts_agree_with_records(log)
    result = verifies(log, "--check-outputs", str(out))
    ended = records(log)[-1]["event"] == "run_end"
    if not ended:  # no room for its run_end: the next run closes it
        assert "interrupted" in result.stderr
    remount(disk, "2m")
    again = cli(*args)
    assert again.returncode == 3, again.stderr
    assert {str(p.relative_to(out)): p.read_bytes() for p in dcm_files(out)} == want
    assert any(r["event"] == "run_abandoned" for r in records(log)) != ended
    counts_agree_with_records(log)
    verifies(log, "--check-outputs", str(out))


def test_decrypt_onto_a_full_disk_stops_with_74_not_wrong_key(
    tmp_path: Path, tmpfs: Mount, identity: tuple[Path, str]
) -> None:
    key_file, recipient = identity
    tree = make_tree(tmp_path / "in", 24)
    release, log = tmp_path / "release", tmp_path / "state" / "audit.jsonl"
    done = cli("scrub", str(tree), "--out", str(release), "-r", recipient, "--log", str(log))
    assert done.returncode == 3, done.stderr
    encrypted = dcm_files(release)
    disk = tmpfs("96k")
    args = ["decrypt", str(release), "--out", str(disk / "plain"), "-i", str(key_file), "--log", str(log)]
    stopped = cli(*args, "--json")
    assert stopped.returncode == 74, stopped.stderr
    assert "wrong key" not in stopped.stderr and "disk is full" in stopped.stderr
    error = json.loads(stopped.stdout)
    assert error["exit_code"] == 74 and 0 < error["counts"]["decrypted"] < len(encrypted)
    assert error["counts"]["failed"] == 1  # the file that hit the full disk; then it stopped
    end = records(log)[-1]
    assert end["event"] == "run_end" and end["exit_code"] == 74
    counts_agree_with_records(log)
    verifies(log)
    remount(disk, "2m")
    again = cli(*args)
    assert again.returncode == 0, again.stderr
    assert len(dcm_files(disk / "plain")) == len(encrypted)
    verifies(log)


def test_j1_and_j2_give_the_same_counts_and_records(tmp_path: Path) -> None:
    """A tree with duplicates (some of them burned-in), a quarantine and failures: the counts and
    the file records do not depend on the number of workers or on timing, and a fresh output
    tree has nothing that already `exists`."""
    tree = make_tree(tmp_path / "in", 120)
    runs = []
    for index, jobs in enumerate((1, 2, 2)):
        out, log = tmp_path / f"out{index}", tmp_path / f"log{index}" / "audit.jsonl"
        summary = scrub_tree(
            [tree], out, ScrubOptions(load_profile("basic"), PlainSink(), linkage_key=KEY, log=log, jobs=jobs)
        )
        files = sorted(
            (r["input"], r["outcome"], str(r["error_code"]), str(r["output"]), str(r["output_sha256"]))
            for r in records(log)
            if r["event"] == "file"
        )
        runs.append((dict(summary.counts), files))
        assert summary.counts["exists"] == 0
        assert verify_log([log]).ok
    assert runs[0] == runs[1] == runs[2]
    counts = runs[0][0]
    assert counts["quarantined"] == 1 and counts["failed"] == 1
    assert counts["skipped"] == 1 + 2 * 30  # not DICOM, 30 copies and 30 burned-in duplicates


def test_scrub_json_prints_an_error_object_when_the_run_cannot_start(tmp_path: Path) -> None:
    done = cli("scrub", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--no-encrypt", "--json")
    assert done.returncode == 66
    error = json.loads(done.stdout)
    assert error["exit_code"] == 66 and error["error"].startswith("input not found")
    assert os.listdir(tmp_path) == []
