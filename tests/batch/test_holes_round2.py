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


# -- 2. an overlay (or anything) in the unused high bits of the pixel data -------------------------


def _image(bits_stored: int, signed: bool, frames: int = 1) -> tuple[Dataset, np.ndarray]:
    """A 16-bit image whose values fit ``bits_stored`` bits (negative ones when ``signed``), with
    an overlay plane drawn into bit 12 and the sentinel's bits above it, declared the retired way."""
    ds = dataset()
    ds.Rows, ds.Columns, ds.SamplesPerPixel = 8, 8, 1
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, bits_stored, bits_stored - 1
    ds.PhotometricInterpretation, ds.PixelRepresentation = "MONOCHROME2", int(signed)
    if frames > 1:
        ds.NumberOfFrames = frames
    values = np.arange(-32, 32, dtype=np.int32).reshape(8, 8) * (1 if signed else -1)
    values = np.abs(values) if not signed else values
    stack = np.stack([values] * frames)
    raw = (stack & 0xFFFF).astype(np.uint16)
    raw[:, 2:5, 1:7] |= 1 << 12  # the overlay plane: bit 12
    raw[:, 0, :] |= 0xA000  # and more bits above Bits Stored
    ds.add_new(0x60000010, "US", 8)
    ds.add_new(0x60000011, "US", 8)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 16)  # Overlay Bits Allocated: in the pixel data (retired)
    ds.add_new(0x60000102, "US", 12)  # Overlay Bit Position
    return ds, raw


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("syntax", [ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian])
@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
def test_an_overlay_in_the_unused_high_bits_does_not_travel(
    tmp_path: Path, profile: str, syntax: str, signed: bool
) -> None:
    ds, raw = _image(12, signed, frames=2)
    ds.PixelData = raw.astype(">u2" if syntax == ExplicitVRBigEndian else "<u2").tobytes()
    out = pydicom.dcmread(io.BytesIO(written(tmp_path, part10(ds, syntax), profile)))
    assert not any(elem.tag >> 16 == 0x6000 for elem in out)
    got = np.frombuffer(out.PixelData, dtype=">u2" if syntax == ExplicitVRBigEndian else "<u2")
    high = got >> 11  # the sign bit (bit 11) and every bit above it
    assert set(np.unique(high).tolist()) <= ({0, 0x1F} if signed else {0})  # zero, or the sign's copies
    # every pixel value a reader sees is the same as before
    assert np.array_equal(out.pixel_array, pydicom.dcmread(io.BytesIO(part10(ds, syntax))).pixel_array)


def test_pixel_data_without_unused_bits_is_copied_byte_for_byte(tmp_path: Path) -> None:
    ds, raw = _image(16, False)
    ds.PixelData = raw.tobytes()
    out = pydicom.dcmread(io.BytesIO(written(tmp_path, part10(ds), "basic")))
    assert out.PixelData == raw.tobytes()


def test_an_overlay_declared_in_compressed_pixel_data_is_held_back(tmp_path: Path) -> None:
    from pydicom.pixels import compress
    from pydicom.uid import RLELossless

    ds, raw = _image(12, False)
    ds.PixelData = raw.tobytes()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    compress(ds, RLELossless, encoding_plugin="pydicom")  # RLE keeps all 16 bits: the overlay is inside
    result, out = run(tmp_path, part10(ds, RLELossless), "basic")
    assert result.outcome == "quarantined" and result.reason == "pixels_embedded_overlay" and out == b""
