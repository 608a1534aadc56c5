"""scrub_tree over real files: outcomes, atomic outputs, re-runs, locks, crashes, shards, workers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pydicom
import pytest

from conftest import KEY, SAMPLE, dcm_files
from dcmscrub.audit.journal import marks_dir, pending_note
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.records import FileRecord
from dcmscrub.audit.verify import verify_log
from dcmscrub.batch import commit as commit_module
from dcmscrub.batch import scrub as scrub_module
from dcmscrub.batch.outtree import OutputTree, Shard
from dcmscrub.batch.recovery import recoverable_records
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import AgeSink, PlainSink
from dcmscrub.dicomio import write as dicomio_write
from dcmscrub.errors import AuditWriteError, ConfigError, InputError, LockedError, OutputError
from dcmscrub.profiles import load_profile

MANIFEST = json.loads((SAMPLE / "MANIFEST.json").read_text())
PHI = [
    s for s in MANIFEST["phi_strings"] if s.upper() != "SAMPLE"
]  # "SAMPLE" also spells "Samples per Pixel"


EXPECTED = {f["path"]: f["expected"] for f in MANIFEST["files"]}


def expected(outcome: str) -> int:
    return sum(1 for v in EXPECTED.values() if v == outcome)


def scrub(inputs: list[Path], out: Path, **kw: Any) -> Any:
    """scrub_tree with this module's defaults: plain outputs, the test key, a log beside ``out``."""
    encrypt, recipients = kw.pop("encrypt", False), kw.pop("recipients", ())
    callbacks = {k: kw.pop(k) for k in ("on_start", "on_result") if k in kw}
    kw.setdefault("linkage_key", KEY)
    kw.setdefault("log", out.parent / "audit.jsonl")
    profile = load_profile(str(kw.pop("profile", "basic")))
    sink = AgeSink(tuple(recipients)) if encrypt else PlainSink()
    return scrub_tree(inputs, out, ScrubOptions(profile, sink, **kw), **callbacks)


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in dcm_files(root)}


def make_many(folder: Path, n: int) -> Path:
    """``n`` CT files (one patient, one series) made from the sample CT with fresh UIDs."""
    src = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
    ds = pydicom.dcmread(src)
    folder.mkdir(parents=True)
    for i in range(n):
        ds.SOPInstanceUID = f"1.2.826.0.1.3680043.10.1426.77.{i + 1}"
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = i + 1
        ds.save_as(folder / f"DOE_JANE_{i:04d}.dcm", enforce_file_format=True)
    return folder


# -- outcomes ---------------------------------------------------------------------------


def test_sample_data_outcomes_match_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = scrub([SAMPLE], out)
    assert summary.counts["written"] == expected("deidentify")
    assert summary.counts["quarantined"] == expected("quarantine")
    skipped = sum(expected(k) for k in ("skip-non-dicom", "skip-dicomdir", "skip-empty"))
    assert summary.counts["skipped"] == skipped
    assert summary.counts["failed"] == 0
    assert summary.exit_code == 3  # the burned-in file is quarantined: partial
    reasons = {r.reason for r in summary.problems}
    assert reasons == {"burned_in_annotation", "pixels_not_cleared", "not_dicom", "dicomdir", "empty"}
    assert len(dcm_files(out)) == expected("deidentify")


def test_outputs_hold_no_phi_in_paths_or_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scrub([SAMPLE], out)
    for path in dcm_files(out):
        rel = str(path.relative_to(out))
        assert not [s for s in PHI if s.lower() in rel.lower()], rel
        data = path.read_bytes()
        leaked = [s for s in PHI if s.encode() in data]
        assert not leaked, (rel, leaked)
    for date in MANIFEST["date_strings"]:
        assert all(date.encode() not in p.read_bytes() for p in dcm_files(out)), date


def test_layout_is_patient_study_series_sop(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scrub([SAMPLE], out)
    for path in dcm_files(out):
        patient, study, series, name = path.relative_to(out).parts
        ds = pydicom.dcmread(path)
        assert (patient, study, series, name) == (
            ds.PatientID,
            ds.StudyInstanceUID,
            ds.SeriesInstanceUID,
            f"{ds.SOPInstanceUID}.dcm",
        )
        assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID


def test_pixel_data_passes_through_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scrub([SAMPLE], out)
    inputs = {}
    for rel, outcome in EXPECTED.items():
        if outcome == "deidentify":
            ds = pydicom.dcmread(SAMPLE / rel, force=True)
            if "PixelData" in ds:
                inputs[hashlib.sha256(ds.PixelData).hexdigest()] = rel
    found = set()
    for path in dcm_files(out):
        ds = pydicom.dcmread(path)
        if "PixelData" in ds:
            found.add(hashlib.sha256(ds.PixelData).hexdigest())
    assert set(inputs) <= found


def test_inputs_are_never_modified(sample_copy: Path, tmp_path: Path) -> None:
    before = tree_digest(sample_copy)
    stats = {p: p.stat().st_mtime_ns for p in dcm_files(sample_copy)}
    scrub([sample_copy], tmp_path / "out")
    assert tree_digest(sample_copy) == before
    assert {p: p.stat().st_mtime_ns for p in dcm_files(sample_copy)} == stats


def test_results_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    one, two = tmp_path / "j1" / "out", tmp_path / "j2" / "out"
    scrub([SAMPLE], one, jobs=1)
    scrub([SAMPLE], two, jobs=2)
    assert tree_digest(one) == tree_digest(two)


def test_same_key_same_outputs_across_runs_other_key_other_names(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a" / "out", tmp_path / "b" / "out", tmp_path / "c" / "out"
    scrub([SAMPLE], a)
    scrub([SAMPLE], b)
    scrub([SAMPLE], c, linkage_key=bytes(32))
    assert tree_digest(a) == tree_digest(b)
    assert not set(tree_digest(a)) & set(tree_digest(c))


# -- re-runs and overwrite ------------------------------------------------------------------


def test_rerun_only_does_new_work(tmp_path: Path, sample_copy: Path) -> None:
    out = tmp_path / "out"
    first = scrub([sample_copy], out)
    stamps = {p: p.stat().st_mtime_ns for p in dcm_files(out)}
    again = scrub([sample_copy], out)
    assert again.counts["exists"] == first.counts["written"] and again.counts["written"] == 0
    assert {p: p.stat().st_mtime_ns for p in dcm_files(out)} == stamps
    make_many(sample_copy / "new", 2)
    third = scrub([sample_copy], out)
    assert third.counts["written"] == 2
    redo = scrub([sample_copy], out, overwrite=True)
    assert redo.counts["written"] == first.counts["written"] + 2 and redo.counts["exists"] == 0


# -- refusals before any work -----------------------------------------------------------------


def test_output_inside_input_is_refused(sample_copy: Path) -> None:
    with pytest.raises(OutputError) as info:
        scrub([sample_copy], sample_copy / "out")
    assert info.value.exit_code == 73
    assert not (sample_copy / "out").exists()


def test_input_inside_output_is_refused(tmp_path: Path, sample_copy: Path) -> None:
    with pytest.raises(OutputError):
        scrub([sample_copy], sample_copy.parent)


def test_missing_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        scrub([tmp_path / "nope"], tmp_path / "out")
    assert info.value.exit_code == 66


def test_encryption_without_recipient_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        scrub([SAMPLE], tmp_path / "out", encrypt=True)
    assert info.value.exit_code == 78


def test_shards_need_a_shared_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        scrub([SAMPLE], tmp_path / "out", linkage_key=None, shard=Shard(1, 2))


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = OutputTree(out)
    holder.prepare()
    try:
        with pytest.raises(LockedError) as info:
            scrub([SAMPLE], out)
        assert info.value.exit_code == 75
        assert f"pid {os.getpid()}" in info.value.message
    finally:
        holder.release(clean=True)
    assert scrub([SAMPLE], out).counts["written"]  # the lock is free again


def test_shards_may_run_side_by_side_but_not_twice(tmp_path: Path) -> None:
    out = tmp_path / "out"
    one = OutputTree(out, Shard(1, 2))
    one.prepare()
    try:
        scrub([SAMPLE], out, shard=Shard(2, 2))  # another shard: fine
        with pytest.raises(LockedError):
            scrub([SAMPLE], out, shard=Shard(1, 2))
        with pytest.raises(LockedError):
            scrub([SAMPLE], out)  # a whole-tree run waits for every shard
    finally:
        one.release(clean=True)


def test_union_of_shards_equals_a_full_run(tmp_path: Path, sample_copy: Path) -> None:
    make_many(sample_copy / "many", 12)
    full = tmp_path / "full" / "out"
    scrub([sample_copy], full)
    sharded = tmp_path / "sharded" / "out"
    counts = [scrub([sample_copy], sharded, shard=Shard(k, 3)).counts["written"] for k in (1, 2, 3)]
    assert all(counts)  # each shard did some of the work
    assert tree_digest(sharded) == tree_digest(full)


# -- failures leave nothing behind ----------------------------------------------------------------


def test_a_failed_write_leaves_no_output_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = dicomio_write.write_encoded

    def half_then_fail(out, encoded, header, src):  # type: ignore[no-untyped-def]
        out.write(b"\x00" * 200)
        raise RuntimeError("disk went away")

    monkeypatch.setattr("dcmscrub.batch.worker.write_encoded", half_then_fail)
    out = tmp_path / "out"
    summary = scrub([SAMPLE], out)
    assert summary.counts["failed"] == expected("deidentify")
    assert {r.reason for r in summary.problems if r.outcome == "failed"} == {"internal"}
    leftovers = [p for p in out.rglob("*") if p.is_file() and ".dcmscrub" not in p.parts]
    assert leftovers == []
    monkeypatch.setattr("dcmscrub.batch.worker.write_encoded", original)


def test_broken_files_are_reported_and_the_run_goes_on(tmp_path: Path, sample_copy: Path) -> None:
    good = sample_copy / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
    data = good.read_bytes()
    (sample_copy / "cut_header.dcm").write_bytes(data[:400])
    (sample_copy / "cut_pixels.dcm").write_bytes(data[: len(data) - 100])
    (sample_copy / "garbage.dcm").write_bytes(b"\x00" * 128 + b"DICM" + os.urandom(300))
    summary = scrub([sample_copy], tmp_path / "out")
    codes = {r.name: r.reason for r in summary.problems}
    assert codes["cut_header.dcm"] == "truncated"
    assert codes["cut_pixels.dcm"] == "truncated"
    assert codes["garbage.dcm"] in ("corrupt", "truncated", "too_large")  # random lengths may be past the cap
    assert summary.counts["written"] == expected("deidentify")


def test_symlinks_leaving_the_tree_are_not_followed(tmp_path: Path, sample_copy: Path) -> None:
    outside = make_many(tmp_path / "outside", 1)
    (sample_copy / "link").symlink_to(outside)
    inside = sample_copy / "DOE_JANE_FAKE-MRN-0001"
    (sample_copy / "again").symlink_to(inside)
    summary = scrub([sample_copy], tmp_path / "out")
    assert "symlink_outside" in {r.reason for r in summary.problems}
    assert summary.counts["written"] == expected("deidentify")  # the inside link added nothing twice


# -- encryption -------------------------------------------------------------------------------


def test_encrypted_run_writes_only_age_files_that_decrypt(tmp_path: Path, identity: tuple[Path, str]) -> None:
    from dcmscrub.age import parse_recipient
    from dcmscrub.batch.crypt import decrypt_paths
    from dcmscrub.keys import read_identity_file

    id_path, recipient = identity
    out = tmp_path / "out"
    summary = scrub([SAMPLE], out, encrypt=True, recipients=[parse_recipient(recipient)])
    files = dcm_files(out)
    assert files and all(p.name.endswith(".dcm.age") for p in files)
    for p in out.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert b"DICM" not in data[:200] and not [s for s in PHI if s.encode() in data]
    plain = tmp_path / "plain"
    result = decrypt_paths([out], plain, read_identity_file(id_path))
    assert result.decrypted == summary.counts["written"]
    for p in dcm_files(plain):
        assert pydicom.dcmread(p).PatientIdentityRemoved == "YES"


# -- the audit log ------------------------------------------------------------------------------


def test_every_input_is_logged_and_the_log_verifies(tmp_path: Path) -> None:
    out = tmp_path / "out"
    log = tmp_path / "audit.jsonl"
    first = scrub([SAMPLE], out, log=log)
    scrub([SAMPLE], out, log=log)
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    files = [x for x in lines if x["event"] == "file"]
    assert len(files) == 2 * sum(first.counts.values())
    result = verify_log([log], check_outputs=out)
    assert result.ok, result
    text = log.read_text()
    assert not [s for s in PHI if s in text]
    assert "slice_001" not in text and str(SAMPLE) not in text


# -- crashes and signals ----------------------------------------------------------------------------


class Died(BaseException):
    """Stands in for kill -9: nothing after it runs but the finally blocks."""


def run_dying_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> tuple[Path, Path, Path, list[Path]]:
    """A run over 20 files that dies (as if by kill -9) when it calls ``owner.name``: its input,
    output folder, log, and the outputs it named before it died."""
    corpus = make_many(tmp_path / "in", 20)
    out, log = tmp_path / "out", tmp_path / "audit.jsonl"

    def die(*_args: object) -> None:
        raise Died

    with monkeypatch.context() as patch:
        patch.setattr(owner, name, die)
        with pytest.raises(Died):
            scrub([corpus], out, log=log)
    return corpus, out, log, dcm_files(out)


def assert_dead_run_logged_once(log: Path, out: Path, named: list[Path], recovered: int) -> None:
    """The first run in ``log`` (the one that died) has exactly one ``file`` record per output in
    ``named``; ``recovered`` of them were appended by the run that recorded it as abandoned; the
    log and the output folder verify."""
    records = [json.loads(line) for line in log.read_text().splitlines()]
    dead = records[0]["run_id"]
    outputs = [r["output"] for r in records if r["event"] == "file" and r["run_id"] == dead]
    assert sorted(outputs) == sorted(str(p.relative_to(out)) for p in named)  # each once
    [abandoned] = [r for r in records if r["event"] == "run_abandoned" and r["abandoned_run"] == dead]
    assert abandoned["recovered_records"] == recovered
    result = verify_log([log], check_outputs=out)
    assert result.ok, result


def test_a_run_that_dies_between_its_renames_and_its_records_is_logged_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, out, log, named = run_dying_in(tmp_path, monkeypatch, commit_module.CommitBatch, "_log")
    assert named  # the first batch got its final names ...
    assert not [line for line in log.read_text().splitlines() if '"event":"file"' in line]  # ... no records
    assert not verify_log([log], check_outputs=out).ok  # unrecorded outputs
    # the dead run's mark holds the batch's records; the next run logs those whose outputs are on disk
    again = scrub([corpus], out, log=log)
    assert again.counts["exists"] == len(named)  # type: ignore[attr-defined]
    assert_dead_run_logged_once(log, out, named, recovered=len(named))


def test_a_run_that_dies_after_its_records_but_before_emptying_its_mark_is_not_logged_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, out, log, named = run_dying_in(tmp_path, monkeypatch, commit_module.RunMark, "clear_pending")
    logged = [json.loads(line) for line in log.read_text().splitlines() if '"event":"file"' in line]
    assert named and len(logged) == len(named)  # the first batch: named and recorded
    scrub([corpus], out, log=log)
    assert_dead_run_logged_once(log, out, named, recovered=0)


def test_a_dead_run_stays_marked_until_its_records_are_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, out, log, named = run_dying_in(tmp_path, monkeypatch, commit_module.CommitBatch, "_log")
    [dead] = [p.name for p in marks_dir(log).iterdir()]
    real = AuditLog.append_many

    def full_disk(self: AuditLog, event: str, run_id: str, fields: Any) -> Any:
        if event == "file":
            raise AuditWriteError("cannot append to the audit log: no space left on the device")
        return real(self, event, run_id, fields)

    with monkeypatch.context() as patch:
        patch.setattr(AuditLog, "append_many", full_disk)
        with pytest.raises(AuditWriteError):
            scrub([corpus], out, log=log)
    assert (marks_dir(log) / dead).is_file()  # its pending records were not lost
    scrub([corpus], out, log=log)  # the disk has room again
    assert not list(marks_dir(log).iterdir())  # both dead runs reaped
    assert_dead_run_logged_once(log, out, named, recovered=len(named))


def test_a_batch_note_recovers_only_outputs_on_disk_with_their_hash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "P1" / "s").mkdir(parents=True)
    (out / "P1" / "s" / "a.dcm").write_bytes(b"A")
    (out / "P1" / "s" / "b.dcm").write_bytes(b"other content")
    (tmp_path / "outside.dcm").write_bytes(b"C")

    def record(output: str, content: bytes, **kw: object) -> dict[str, object]:
        return {
            "input": "d" * 64,
            "output": output,
            "output_sha256": hashlib.sha256(content).hexdigest(),
            "outcome": "written",
            "error_code": None,
            "bytes_in": 1,
            "bytes_out": 1,
            "ms": 1,
        } | kw

    fields = [
        record("P1/s/a.dcm", b"A"),  # renamed before the run died: recovered
        record("P1/s/b.dcm", b"B"),  # another content under that name: not this run's output
        record("P1/s/c.dcm", b"C"),  # never renamed (its temp file is swept): nothing to log
        record("../outside.dcm", b"C"),  # not inside the output folder
        record("P1/s/a.dcm", b"A", outcome="exists"),
        record("P1/s/a.dcm", b"A", extra=1),  # not a file record
        record("P1/s/a.dcm", b"A", outcome="gone"),  # not an outcome
    ]
    first = FileRecord.from_fields(fields[0])
    assert first is not None
    audit = AuditLog(tmp_path / "audit.jsonl", digest_key=b"k" * 32)
    dead = "01a22312-4bd5-7e9c-b214-2291befd00ac"

    def note(version: int = 2, offset: int = 0, records: list[dict[str, object]] = fields) -> bytes:
        return json.dumps({"v": version, "out": str(out), "log_offset": offset, "records": records}).encode()

    expected = {"v": 2, "out": str(out), "log_offset": 0, "records": [fields[0]]}
    assert (
        pending_note(out, 0, [first]) == json.dumps(expected, sort_keys=True, separators=(",", ":")).encode()
    )
    assert recoverable_records(note(), audit, dead) == [first]
    assert recoverable_records(b"", audit, dead) == []
    assert recoverable_records(b"{not json", audit, dead) == []
    assert recoverable_records(note(version=3), audit, dead) == []
    assert recoverable_records(note(offset=-1), audit, dead) == []
    older = [r | {"input_hmac": None} for r in fields]  # records of versions that carried input_hmac
    version_1 = json.dumps({"v": 1, "out": str(out), "records": older}).encode()  # no offset yet
    assert recoverable_records(version_1, audit, dead) == [first]
    # the run died after appending the batch's records, before emptying its mark: nothing twice
    audit.append("run_start", dead, {})
    audit.record_many("01a22312-4bd5-7e9c-b214-2291befd00ad", [first])  # another run's
    assert recoverable_records(note(), audit, dead) == [first]
    audit.record_many(dead, [first])
    assert recoverable_records(note(), audit, dead) == []
    assert recoverable_records(version_1, audit, dead) == []


RUN = [sys.executable, "-m", "dcmscrub", "scrub", "--no-encrypt", "--quiet", "-j", "1"]


def test_kill_9_then_rerun_ends_with_the_output_of_a_clean_run(
    tmp_path: Path, linkage_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_many(tmp_path / "in", 150)
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("DCMSCRUB_LOG", str(log))
    clean = tmp_path / "clean"
    subprocess.run([*RUN, str(corpus), "--out", str(clean), "--linkage-key", str(linkage_file)], check=True)
    out = tmp_path / "out"
    proc = subprocess.Popen([*RUN, str(corpus), "--out", str(out), "--linkage-key", str(linkage_file)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not [p for p in dcm_files(out) if not p.name.startswith(".")]:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    visible = [p for p in dcm_files(out) if not p.name.startswith(".")]
    assert 0 < len(visible) < 150
    for p in visible:
        pydicom.dcmread(p)  # every visible output is whole
    killed = json.loads(log.read_text().splitlines()[-1])["run_id"]
    subprocess.run([*RUN, str(corpus), "--out", str(out), "--linkage-key", str(linkage_file)], check=True)
    assert tree_digest(out) == tree_digest(clean)
    assert not [p for p in out.rglob(".*tmp-*")]
    # the rerun found the killed run's process dead and closed it in the log: verify passes
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["abandoned_run"] for r in records if r["event"] == "run_abandoned"] == [killed]
    result = verify_log([log])
    assert result.ok, result
    assert any("was interrupted (its process died)" in w for w in result.warnings)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_cleanly_with_its_exit_code(
    tmp_path: Path, linkage_file: Path, sig: int, code: int
) -> None:
    corpus = make_many(tmp_path / "in", 150)
    out = tmp_path / "out"
    log = tmp_path / "audit.jsonl"
    proc = subprocess.Popen(
        [
            *RUN[:-2],
            "-j",
            "2",
            str(corpus),
            "--out",
            str(out),
            "--linkage-key",
            str(linkage_file),
            "--log",
            str(log),
            "--json",
        ],
        stdout=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(dcm_files(out)) < 10:
        time.sleep(0.01)
    proc.send_signal(sig)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == code
    summary = json.loads(stdout)
    assert summary["status"] == "interrupted"
    assert summary["counts"]["written"] == len(dcm_files(out)) < 150
    assert not [p for p in out.rglob(".*tmp-*")]
    events = [json.loads(x)["event"] for x in log.read_text().splitlines()]
    assert events[0] == "run_start" and events[-1] == "run_end"
    assert verify_log([log]).ok


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_log_that_fills_up_stops_the_run_and_leaves_no_unlogged_output(
    tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    import errno

    from dcmscrub.errors import AuditWriteError

    make_many(sample_copy / "many", 30)
    real = scrub_module.AuditLog

    class FillingLog(real):  # type: ignore[misc, valid-type]
        """The disk fills up after the run_start and two batches of file records (a
        fault-injection seam)."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            budget = {"left": 3}

            def write(fd: int, data: bytes) -> int:
                if budget["left"] <= 0:
                    raise OSError(errno.ENOSPC, "No space left on device")
                budget["left"] -= 1
                return os.write(fd, data)

            super().__init__(*args, fault_injection_write=write, **kwargs)  # type: ignore[misc]

    monkeypatch.setattr(scrub_module, "AuditLog", FillingLog)
    monkeypatch.setattr(commit_module.CommitBatch, "COMMIT_FILES", 4)
    out, log = tmp_path / "out", tmp_path / "audit.jsonl"
    with pytest.raises(AuditWriteError) as info:
        scrub([sample_copy], out, log=log, jobs=jobs)
    assert info.value.exit_code == 74
    logged = {json.loads(x).get("output") for x in log.read_text().splitlines()} - {None}
    on_disk = {str(p.relative_to(out)) for p in dcm_files(out)}
    assert on_disk == logged  # every output on disk has its record; nothing else was kept
    assert 0 < len(on_disk) < 40


def test_duplicate_sop_instances_are_reported_and_the_first_input_wins_whatever_the_workers(
    tmp_path: Path, sample_copy: Path
) -> None:
    """Two different inputs with one SOP Instance UID: the first in input order becomes the
    output, the other is skipped as a duplicate, with -j 1 and -j 2 alike."""
    src = sample_copy / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
    for name in ("b_dup.dcm", "c_dup.dcm", "d_dup.dcm"):
        ds = pydicom.dcmread(src)
        ds.InstanceNumber = 99  # same UID, different content
        ds.save_as(sample_copy / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / name, enforce_file_format=True)
    digests = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}" / "out"
        summary = scrub([sample_copy], out, jobs=jobs)
        dups = sorted(r.name for r in summary.problems if r.reason == "duplicate_sop_instance")
        # inputs are walked in name order: b_dup.dcm comes first and wins
        assert [Path(d).name for d in dups] == ["c_dup.dcm", "d_dup.dcm", "slice_001.dcm"]
        assert summary.counts["failed"] == 0
        digests.append(tree_digest(out))
    assert digests[0] == digests[1]


def test_a_finished_run_leaves_only_outputs_in_the_tree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scrub([SAMPLE], out)
    extra = [p for p in out.rglob("*") if p.is_file() and not p.name.endswith(".dcm")]
    assert extra == []
    assert [p.name[:5] for p in (out / ".dcmscrub").iterdir()] == ["root-"]


def test_a_worker_that_dies_fails_only_its_files(
    tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OOM killer takes a worker: its files fail as worker_died, the rest are written."""

    make_many(sample_copy / "many", 40)
    from dcmscrub.batch import worker

    real = worker.Worker.process

    def process(self, index, item):  # type: ignore[no-untyped-def]
        if item.relpath.endswith("DOE_JANE_0007.dcm"):
            os._exit(137)
        return real(self, index, item)

    monkeypatch.setattr(worker.Worker, "process", process)  # inherited by the forked workers
    out = tmp_path / "out"
    summary = scrub([sample_copy], out, jobs=2)
    died = [r for r in summary.problems if r.reason == "worker_died"]
    assert died and any(r.name.endswith("DOE_JANE_0007.dcm") for r in died)
    assert summary.exit_code == 3
    assert summary.counts["written"] + len(died) == expected("deidentify") + 40
    assert not [p for p in out.rglob(".*tmp-*")]
    for path in dcm_files(out):
        pydicom.dcmread(path)


def test_decrypt_runs_are_logged(tmp_path: Path, identity: tuple[Path, str]) -> None:
    from dcmscrub.age import parse_recipient
    from dcmscrub.batch.decrypt import DecryptOptions, decrypt_tree
    from dcmscrub.keys import read_identity_file

    id_path, recipient = identity
    out = tmp_path / "out"
    scrub([SAMPLE], out, encrypt=True, recipients=[parse_recipient(recipient)])
    log = tmp_path / "decrypt.jsonl"
    result = decrypt_tree([out], tmp_path / "plain", read_identity_file(id_path), DecryptOptions(log=log))
    events = [json.loads(x) for x in log.read_text().splitlines()]
    assert events[0]["event"] == "run_start" and events[-1]["event"] == "run_end"
    assert events[0]["command"] == "decrypt"
    assert sum(1 for e in events if e["event"] == "file") == result.decrypted
    assert verify_log([log]).ok
    assert "DOE" not in log.read_text() and str(tmp_path) not in log.read_text()
