"""Classes of identifying data a second attack found released, each with a planted marker.

As in test_holes.py, each test runs the real per-file pipeline (read, engine, pixels, encode) with
the gate off, so that it proves the class itself is closed, not that the gate stops it, under every
built-in profile. Every test failed on the code before its fix.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from dcmscrub.batch.sink import PlainSink
from dcmscrub.batch.walk import InputFile
from dcmscrub.batch.worker import FileResult, Worker, WorkerSettings
from dcmscrub.profiles import load_profile

KEY = bytes(range(32))
PROFILES = ("basic", "research-longitudinal", "limited-data-set")
CT = "1.2.840.10008.5.1.4.1.1.2"


def dataset(sop_class: str = CT, modality: str = "CT") -> Dataset:
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1426.77.1"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.1426.77.2"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.1426.77.3"
    ds.Modality = modality
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "MRN12345678"
    ds.BurnedInAnnotation = "NO"
    return ds


def part10(ds: Dataset, syntax: str = ExplicitVRLittleEndian) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = syntax
    ds.file_meta = meta
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def run(tmp_path: Path, data: bytes, profile: str) -> tuple[FileResult, bytes]:
    """One file through the worker, gate off; the result and the output's bytes (b"" when none)."""
    src = tmp_path / profile / "src"
    src.mkdir(parents=True, exist_ok=True)
    path = src / "in.dcm"
    path.write_bytes(data)
    settings = WorkerSettings(
        tmp_path / profile / "out", load_profile(profile), KEY, PlainSink(), True, "t", True, gate=False
    )
    result = Worker(settings).process(0, InputFile(src, path, "in.dcm", len(data)))
    assert result.reason != "internal", result.debug
    return result, Path(result.temp).read_bytes() if result.temp and result.outcome == "written" else b""


def written(tmp_path: Path, data: bytes, profile: str) -> bytes:
    result, out = run(tmp_path, data, profile)
    assert result.outcome == "written", result.reason
    return out


# -- 1. dates in an alternative calendar ----------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_birth_and_death_dates_in_an_alternative_calendar_go(tmp_path: Path, profile: str) -> None:
    ds = dataset()
    ds.PatientAlternativeCalendar = "I"
    ds.PatientBirthDateInAlternativeCalendar = "ZQXALTBIRTH14010512"
    ds.PatientDeathDateInAlternativeCalendar = "ZQXALTDEATH14450101"
    out = written(tmp_path, part10(ds), profile)
    assert b"ZQXALTBIRTH" not in out and b"ZQXALTDEATH" not in out
