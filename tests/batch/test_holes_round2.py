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
    for elem in (0x60000100, 0x60000102):
        del ds[elem]  # an overlay of its own (no Overlay Data here: the group goes anyway)
    ds.add_new(0x60003000, "OW", bytes(8))
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


@pytest.mark.parametrize(("bits", "held"), [(1, False), (None, True)], ids=["one-bit", "unsaid"])
def test_an_overlay_header_without_data_is_held_back_only_when_it_may_be_in_the_pixels(
    tmp_path: Path, bits: int | None, held: bool
) -> None:
    """fo-dicom's IM-0001-0001-0001.dcm (a JPEG Lossless CT): an overlay group that says 1 bit at
    position 0 and has no Overlay Data has no bitmap anywhere; one that does not say where its bits
    are may have them in the codestream."""
    from pydicom.pixels import compress
    from pydicom.uid import RLELossless

    ds, raw = _image(12, False)
    ds.PixelData = (raw & 0x0FFF).tobytes()
    if bits is None:
        del ds[0x60000100]
    else:
        ds[0x60000100].value = bits
    ds[0x60000102].value = 0
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    compress(ds, RLELossless, encoding_plugin="pydicom")
    result, out = run(tmp_path, part10(ds, RLELossless), "basic")
    if held:
        assert (result.outcome, result.reason, out) == ("quarantined", "pixels_embedded_overlay", b"")
    else:
        assert result.outcome == "written" and out


def test_an_overlay_declared_inside_the_stored_bits_is_held_back(tmp_path: Path) -> None:
    """Bits Stored 16, the overlay at bit 12: no bit is unused, the overlay is in the pixel values."""
    ds, raw = _image(16, False)
    ds.PixelData = raw.tobytes()
    result, out = run(tmp_path, part10(ds), "basic")
    assert (result.outcome, result.reason, out) == ("quarantined", "pixels_embedded_overlay", b"")


# -- 3. the value and meaning of a private or local code ------------------------------------------


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = value, scheme, meaning
    return code


def _content(value_type: str, name: Dataset, **values: object) -> Dataset:
    item = Dataset()
    item.RelationshipType, item.ValueType = "CONTAINS", value_type
    item.ConceptNameCodeSequence = Sequence([name])
    for keyword, value in values.items():
        setattr(item, keyword, value)
    return item


def _report() -> Dataset:
    """A Comprehensive SR whose local codes (99LOCAL, L, none) carry markers at depth 0-3, beside
    standard codes (DCM, SCT) that must stay as they are."""
    ds = dataset("1.2.840.10008.5.1.4.1.1.88.33", "SR")
    ds.ValueType, ds.ContinuityOfContent = "CONTAINER", "SEPARATE"
    ds.ConceptNameCodeSequence = Sequence([_code("18748-4", "LN", "Diagnostic Imaging Report")])
    ds.PerformedProcedureCodeSequence = Sequence([_code("ZQXPROCV", "99LOCAL", "CT for Dr ZQXPROCM")])
    local = Sequence([_code("L1", "L", "ZQXLOCALM")])
    liver = Sequence([_code("10200004", "SCT", "Liver")])
    inner = [
        _content("CODE", _code("121071", "DCM", "Finding"), ConceptCodeSequence=local),
        _content("CODE", _code("ZQXNAMEV", "99PRIV", "ZQXNAMEM"), ConceptCodeSequence=liver),
        _content("TEXT", _code("Q1", "", "ZQXNOSCHEME"), TextValue="normal"),
    ]
    nested = _content("CONTAINER", _code("111", "99LOCAL", "ZQXCONTAINER"), ContinuityOfContent="SEPARATE")
    nested.ContentSequence = Sequence(inner)
    ds.ContentSequence = Sequence([nested])
    return ds


@pytest.mark.parametrize("profile", PROFILES)
def test_the_texts_of_a_local_code_do_not_pass(tmp_path: Path, profile: str) -> None:
    out = written(tmp_path, part10(_report()), profile)
    for marker in (
        b"ZQXPROCV",
        b"ZQXPROCM",
        b"ZQXLOCALM",
        b"ZQXNAMEV",
        b"ZQXNAMEM",
        b"ZQXNOSCHEME",
        b"ZQXCONTAINER",
    ):
        assert marker not in out, marker
    for kept in (b"Diagnostic Imaging Report", b"Finding", b"10200004", b"Liver"):
        assert kept in out, kept  # the standard's codes are words of the standard


@pytest.mark.parametrize("profile", PROFILES)
def test_a_local_code_outside_structured_content_does_not_pass(tmp_path: Path, profile: str) -> None:
    ds = dataset("1.2.840.10008.5.1.4.1.1.481.3", "RTSTRUCT")
    observation = Dataset()
    observation.ObservationNumber, observation.ReferencedROINumber = 1, 1
    observation.RTROIInterpretedType = "ORGAN"
    observation.RTROIIdentificationCodeSequence = Sequence([_code("ZQXROIV", "99LOCAL", "ZQXROIM")])
    ds.RTROIObservationsSequence = Sequence([observation])
    ds.AnatomicRegionSequence = Sequence([_code("ZQXANATV", "99ANAT", "ZQXANATM")])
    out = pydicom.dcmread(io.BytesIO(written(tmp_path, part10(ds), profile)))
    for marker in ("ZQXROIV", "ZQXROIM", "ZQXANATV", "ZQXANATM"):
        assert marker not in str(out), marker
    code = out.RTROIObservationsSequence[0].RTROIIdentificationCodeSequence[0]
    assert code.CodeValue and code.CodeMeaning  # a code item keeps its Type 1 texts (as dummies)


# -- 4. labels typed into code strings: a presentation state's content label and layers ----------


@pytest.mark.parametrize("profile", PROFILES)
def test_a_content_label_and_graphic_layers_do_not_pass(tmp_path: Path, profile: str) -> None:
    ds = dataset("1.2.840.10008.5.1.4.1.1.11.1", "PR")
    ds.ContentLabel = "ZQXLABEL"
    layers = []
    for order, name in enumerate(("DR_ZQXLAYERA", "ZQXLAYERB"), start=1):
        layer = Dataset()
        layer.GraphicLayer, layer.GraphicLayerOrder = name, order
        layers.append(layer)
    ds.GraphicLayerSequence = Sequence(layers)
    annotation = Dataset()
    annotation.GraphicLayer = "ZQXLAYERB"
    ds.GraphicAnnotationSequence = Sequence([annotation])
    out = pydicom.dcmread(io.BytesIO(written(tmp_path, part10(ds), profile)))
    assert "ZQXLABEL" not in str(out) and "ZQXLAYER" not in str(out)
    assert out.ContentLabel  # Type 1: a dummy
    names = [layer.GraphicLayer for layer in out.GraphicLayerSequence]
    assert len(set(names)) == 2  # still two layers, and the annotation still names the second one
    assert out.GraphicAnnotationSequence[0].GraphicLayer == names[1]


# -- 5. a UID in a safe private element -----------------------------------------------------------


@pytest.mark.parametrize("profile", ["research-longitudinal", "limited-data-set"])
def test_a_uid_in_a_safe_private_element_is_remapped(tmp_path: Path, profile: str) -> None:
    """NQHeader (0099,xx02) Analyzed Series UID is listed as safe (Table E.3.10-1): kept as it was,
    it named the original series, and the gate did not look at it."""
    ds = dataset()
    ds.add_new(0x00990010, "LO", "NQHeader")
    ds.add_new(0x00991002, "UI", ds.SeriesInstanceUID)
    ds.add_new(0x00991001, "UI", "1.2.826.0.1.3680043.10.1426.99.4242")
    out = pydicom.dcmread(io.BytesIO(written(tmp_path, part10(ds), profile)))
    assert b"1426.77" not in out[0x00991002].value.encode() and "1426.99" not in str(out)
    assert out[0x00991002].value == out.SeriesInstanceUID  # remapped like the series it names


# -- 6. a voice recording ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("sop_class", ["1.2.840.10008.5.1.4.1.1.9.4.1", "1.2.840.10008.5.1.4.1.1.9.4.2"])
def test_a_voice_recording_is_held_back(tmp_path: Path, profile: str, sop_class: str) -> None:
    ds = dataset(sop_class, "AU")
    del ds.BurnedInAnnotation
    waveform = Dataset()
    waveform.WaveformOriginality, waveform.NumberOfWaveformChannels = "ORIGINAL", 1
    waveform.NumberOfWaveformSamples, waveform.SamplingFrequency = 8, "8000"
    waveform.WaveformBitsAllocated, waveform.WaveformSampleInterpretation = 8, "MB"
    waveform.WaveformData = b"ZQXVOICE"  # the dictation: "the patient, Jane Doe, ..."
    ds.WaveformSequence = Sequence([waveform])
    result, out = run(tmp_path, part10(ds), profile)
    assert (result.outcome, result.reason, out) == ("quarantined", "pixels_not_cleared", b"")


@pytest.mark.parametrize("profile", PROFILES)
def test_a_name_in_the_meaning_of_a_standard_code_does_not_pass(tmp_path: Path, profile: str) -> None:
    """The scheme is the standard's (LN, DCM), the meaning is not: a word no vocabulary of the field
    holds goes; the code value still says what the concept is."""
    ds = _report()
    ds.ConceptNameCodeSequence = Sequence([_code("18748-4", "LN", "Report of Dr ZQXTITLE")])
    ds.ContentSequence[0].ContentSequence[0].ConceptNameCodeSequence = Sequence(
        [_code("121071", "DCM", "Finding by ZQXREADER")]
    )
    out = pydicom.dcmread(io.BytesIO(written(tmp_path, part10(ds), profile)))
    assert "ZQXTITLE" not in str(out) and "ZQXREADER" not in str(out)
    assert out.ConceptNameCodeSequence[0].CodeValue == "18748-4"


# -- 7. the retired order numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_the_retired_order_numbers_go(tmp_path: Path, profile: str) -> None:
    """(0040,1006)/(0040,1007) and (0040,2006)/(0040,2007): the order numbers Table E.1-1 lists
    under their current tags (0040,2016)/(0040,2017), written by older systems."""
    ds = dataset()
    for tag in (0x00401006, 0x00401007, 0x00402006, 0x00402007):
        ds.add_new(tag, "SH", f"ZQXORDER{tag & 0xFFFF:04X}")
    assert b"ZQXORDER" not in written(tmp_path, part10(ds), profile)


# -- 8. an earlier de-identifier's encrypted copy of the original attributes ------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_encrypted_original_attributes_do_not_pass(tmp_path: Path, profile: str) -> None:
    ds = dataset()
    encrypted = Dataset()
    encrypted.EncryptedContentTransferSyntaxUID = ExplicitVRLittleEndian
    encrypted.EncryptedContent = b"ZQXCMSENVELOPE01"  # the patient's name and ID, for some key holder
    ds.EncryptedAttributesSequence = Sequence([encrypted])
    assert b"ZQXCMSENVELOPE01" not in written(tmp_path, part10(ds), profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_an_animals_registration_number_goes(tmp_path: Path, profile: str) -> None:
    ds = dataset()
    registration = Dataset()
    registration.BreedRegistrationNumber = "ZQXREG4711"
    ds.BreedRegistrationSequence = Sequence([registration])
    assert b"ZQXREG4711" not in written(tmp_path, part10(ds), profile)
