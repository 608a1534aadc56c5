"""See before you run and after: ``plan``, ``scrub --dry-run``, ``diff``, ``profile show --table``.
Each in a real ``dcmscrub`` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest

from conftest import REPO, SAMPLE, dcm_files
from dcmscrub.batch.outtree import OutputTree

CT = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
SR = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "SR_2024-01-15" / "report_DOE_JANE.dcm"


def dcmscrub(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``dcmscrub ARGS`` in its own process (stdout a pipe, as in a script)."""
    cmd = [sys.executable, "-m", "dcmscrub", *(str(a) for a in args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=dict(os.environ))


def all_paths(path: Path) -> set[str]:
    """Every element of a file at every depth (file meta and pixel data aside), as plan names them."""

    def walk(ds: pydicom.Dataset, prefix: str) -> set[str]:
        out = set()
        for elem in ds:
            here = f"{prefix}({elem.tag.group:04X},{elem.tag.element:04X})"
            out.add(here)
            if elem.VR == "SQ":
                for i, item in enumerate(elem.value):
                    out |= walk(item, f"{here}[{i}].")
        return out

    return walk(pydicom.dcmread(path, stop_before_pixels=True), "")


# -- plan ------------------------------------------------------------------------------------------


def test_plan_explains_every_element_at_every_depth_and_shows_no_value(tmp_path: Path) -> None:
    result = dcmscrub("plan", SR, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    by_path = {e["path"]: e for e in plan["elements"]}
    assert all_paths(SR) <= set(by_path)  # every element of the input, nested ones too
    assert max(e["depth"] for e in plan["elements"]) >= 3
    assert all(e["why"] and e["agrees"] and e["action_text"] for e in plan["elements"])
    sources = {w["source"] for e in plan["elements"] for w in e["why"]}
    assert {"table", "rule", "beyond-table", "iod", "marks"} <= sources
    name = by_path["(0010,0010)"]
    assert name["action"] == "pseudonym" and name["why"][0]["rule"] == "builtin:basic:13"
    date = by_path["(0008,0020)"]  # StudyDate: row (0008,0020), column basic, code Z
    assert (
        date["why"][0].items() >= {"table_row": "(0008,0020)", "table_column": "basic", "code": "Z"}.items()
    )
    content_date = by_path["(0008,0023)"]  # Z/D, and Type 1 in an SR: the IOD resolves it
    assert content_date["action"] == "dummy" and content_date["why"][-1]["iod_type"] == "1"
    # values only when asked for: no patient data on the screen by default
    assert "DOE^JANE" not in result.stdout and "FAKE-MRN" not in result.stdout
    assert "before" not in by_path["(0010,0010)"]
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_plan_shows_values_only_with_show_values_and_names_options_and_rules(tmp_path: Path) -> None:
    profile = REPO / "profiles" / "example-site.yaml"
    result = dcmscrub("plan", CT, "--profile", profile, "-O", "retain-uids", "--show-values", "--json")
    assert result.returncode == 0, result.stderr
    by_path = {e["path"]: e for e in json.loads(result.stdout)["elements"]}
    assert by_path["(0010,0010)"]["before"].startswith("DOE^JANE")
    assert by_path["(0010,0010)"]["after"].startswith("PSEUDO^")
    sop = by_path["(0008,0018)"]
    assert sop["action"] == "keep" and sop["why"][0]["table_column"] == "retain-uids"
    institution = by_path["(0008,0080)"]
    assert institution["action"] == "replace" and institution["after"] == "Research Site A"
    assert institution["why"][0]["rule"] == f"{profile}:14"


def test_plan_text_is_tab_separated_in_a_pipe_and_says_where_the_output_goes() -> None:
    result = dcmscrub("plan", CT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["element", "action", "result", "why"]
    assert any(
        line.startswith("PatientName\tpseudonym\tchanged\tprofile rule builtin:basic:13") for line in lines
    )
    assert "output: P" in result.stderr and "random linkage key" in result.stderr
    assert "DOE" not in result.stdout


def test_plan_says_a_burned_in_file_is_not_released() -> None:
    burned = SAMPLE / "NOBODY_ALEX_FAKE-MRN-0003" / "PT000000" / "ST000000" / "SE000000" / "IM000000"
    result = dcmscrub("plan", burned, "--json")
    plan = json.loads(result.stdout)
    assert plan["quarantine"] == "burned_in_annotation"
    assert {e["result"] for e in plan["elements"]} == {"not released"}


def test_plan_of_a_file_that_is_not_dicom_is_one_error(tmp_path: Path) -> None:
    result = dcmscrub("plan", SAMPLE / "README.txt", "--json")
    assert result.returncode == 65
    assert result.stderr == "dcmscrub: error: README.txt: not DICOM\n"
    assert json.loads(result.stdout)["exit_code"] == 65


# -- scrub --dry-run ---------------------------------------------------------------------------


def test_dry_run_counts_what_a_run_does_and_writes_nothing_but_one_record(
    tmp_path: Path, linkage_file: Path
) -> None:
    out, log = tmp_path / "out", tmp_path / "log" / "audit.jsonl"
    args = [
        "scrub",
        SAMPLE,
        "--out",
        out,
        "--no-encrypt",
        "--log",
        log,
        "--json",
        "--linkage-key",
        linkage_file,
    ]
    dry = dcmscrub(*args, "--dry-run", "-v")
    assert dry.returncode == 3, dry.stderr  # as the run would: two files would be quarantined
    assert not out.exists()  # no folder, no lock, no temporary file
    summary = json.loads(dry.stdout)
    assert summary["dry_run"] is True
    assert "dry run, nothing written: would be 9 written, 2 quarantined" in dry.stderr
    assert "quarantined: NOBODY_ALEX_FAKE-MRN-0003/PT000000/ST000000/SE000000/IM000000" in dry.stderr
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["event"] for r in records] == ["dry_run"]
    assert records[0]["counts"] == {"written": 9, "quarantined": 2, "skipped": 5, "total": 16}
    assert dcmscrub("log", "verify", log).returncode == 0
    real = dcmscrub(*args)
    assert json.loads(real.stdout)["counts"] == summary["counts"]  # the dry run told the truth
    again = json.loads(dcmscrub(*args, "--dry-run").stdout)
    assert again["counts"]["exists"] == 9 and again["counts"]["written"] == 0


def test_dry_run_does_not_take_the_output_lock(tmp_path: Path) -> None:
    holder = OutputTree(tmp_path / "out")
    holder.prepare()  # another run holds the tree
    try:
        dry = dcmscrub("scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt", "--dry-run")
        busy = dcmscrub("scrub", SAMPLE, "--out", tmp_path / "out", "--no-encrypt")
    finally:
        holder.release(clean=True)
    assert dry.returncode == 3, dry.stderr
    assert busy.returncode == 75


# -- diff ------------------------------------------------------------------------------------------


def test_diff_shows_what_changed_plain_and_encrypted(tmp_path: Path, identity: tuple[Path, str]) -> None:
    id_path, recipient = identity
    plain, enc = tmp_path / "plain", tmp_path / "enc"
    assert dcmscrub("scrub", SAMPLE, "--out", plain, "--no-encrypt").returncode == 3
    assert dcmscrub("scrub", SAMPLE, "--out", enc, "-r", recipient).returncode == 3
    output = dcmscrub("plan", CT, "--json")  # the output's name needs the run's key: found by pixels
    assert output.returncode == 0
    found = dcmscrub("diff", CT, plain)
    assert found.returncode == 0, found.stderr
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in found.stdout.splitlines()}
    assert rows["PatientName"][0] == "DOE^JANE^SAMPLE" and rows["PatientName"][1].startswith("PSEUDO^")
    assert rows["StudyDate"] == ["20240115", "(empty)"]  # emptied, not blank
    assert rows["ReferringPhysicianName"][1] == "(empty)"
    assert rows["PatientIdentityRemoved"] == ["(absent)", "YES"]
    assert rows["InstitutionName"][1] == "(removed)"
    assert "pixel data identical" in found.stderr
    one = next(p for p in dcm_files(plain) if str(p).endswith(".dcm"))
    assert dcmscrub("diff", CT, one, "--json").returncode == 0  # a file works too
    locked = dcmscrub("diff", CT, enc)
    assert locked.returncode == 2 and "give -i IDENTITY_FILE" in locked.stderr
    opened = dcmscrub("diff", CT, enc, "-i", id_path, "--json")
    assert opened.returncode == 0, opened.stderr
    changes = {c["name"]: c for c in json.loads(opened.stdout)["changes"]}
    assert changes["StudyDate"]["after"] == "(empty)" and changes["InstitutionName"]["change"] == "removed"
    assert not any(p.suffix == ".dcm" for p in enc.rglob("*"))  # decrypted in memory only


# -- profile show --table ------------------------------------------------------------------------


def test_profile_show_table_gives_each_attribute_its_effective_action() -> None:
    result = dcmscrub(
        "profile", "show", REPO / "profiles" / "example-site.yaml", "--table", "-O", "retain-uids"
    )
    assert result.returncode == 0, result.stderr
    rows = {}
    for line in result.stdout.splitlines()[1:]:
        tag, keyword, action, why = line.split("\t")
        rows[keyword] = (tag, action, why)
    assert rows["StudyDate"][:2] == ("(0008,0020)", "shift")
    assert "Table E.1-1 (0008,0020), retain-long-modified-dates: C" in rows["StudyDate"][2]
    assert rows["SOPInstanceUID"][1] == "keep"  # the -O option, applied
    assert rows["InstitutionName"][1] == "replace" and "example-site.yaml:14" in rows["InstitutionName"][2]
    assert rows["StudyComments"][1] == "remove"  # the site rule wins over clean-descriptors
    assert rows["OperatorsName"][1] == "X/Z/D"  # resolved per object by the IOD: see plan
    assert rows["other dates"][1] == "shift" and rows["private"][1].startswith("keep the")


@pytest.mark.parametrize("bad", [["--bogus"], ["-O", "retain-everything"]])
def test_a_bad_option_is_a_usage_error_in_one_form(bad: list[str], tmp_path: Path) -> None:
    for command in (["scrub", SAMPLE, "--out", tmp_path / "o", "--no-encrypt"], ["plan", CT]):
        result = dcmscrub(*command, *bad)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("dcmscrub: error: ") and "\ndcmscrub: hint: " in result.stderr
        assert "Usage:" not in result.stderr
    assert not (tmp_path / "o").exists()
