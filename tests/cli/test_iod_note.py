"""A run says once how many outputs are of a SOP class the IOD table does not know (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

from dcmscrub import cli

NM_RETIRED = "1.2.840.10008.5.1.4.1.1.5"  # Nuclear Medicine Image Storage (Retired)
CT = "1.2.840.10008.5.1.4.1.1.2"


def write(path: Path, sop_class: str, n: int) -> None:
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = f"1.2.826.0.1.3680043.10.1426.15.9.{n}"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.1426.15.9"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.1426.15.9.0"
    ds.PatientID = "MRN1"
    ds.OperatorsName = "SMITH^J"
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)


def scrub(capsys: pytest.CaptureFixture[str], inbox: Path, out: Path) -> tuple[dict[str, object], str]:
    with pytest.raises(SystemExit) as info:
        cli.main(["scrub", str(inbox), "--out", str(out), "--no-encrypt", "--json", "-j", "1"])
    stdout, stderr = capsys.readouterr()
    assert info.value.code in (0, None), stderr
    summary: dict[str, object] = json.loads(stdout)
    return summary, stderr


def test_unknown_iods_are_counted_and_said_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path / "in" / f"nm{n}.dcm", NM_RETIRED, n)
    write(tmp_path / "in" / "ct.dcm", CT, 9)
    summary, err = scrub(capsys, tmp_path / "in", tmp_path / "out")
    assert summary["notes"] == {"iod_unknown": 3}
    assert err.count("IOD table does not know") == 1
    assert "3 outputs are of a SOP class the IOD table does not know" in err


def test_no_note_when_every_iod_is_known(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "in" / "ct.dcm", CT, 1)
    summary, err = scrub(capsys, tmp_path / "in", tmp_path / "out")
    assert summary["notes"] == {}
    assert "IOD table" not in err
