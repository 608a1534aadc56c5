"""Helpers shared by test_adversarial.py and test_dciodvfy.py (not a conftest: import it).

* :func:`run_scrub` runs the real pipeline (:func:`dcmscrub.batch.scrub.scrub_tree`) and records, for
  every input, where its output went (``FileResult.output`` through ``on_result``).
* :func:`element_values` walks every element of a decoded output at every depth (File Meta
  Information, private elements, every item of every sequence) and gives each value as text.
* :func:`raw_dataset_bytes` gives a file's bytes with a deflated data set inflated, for byte greps.
* :func:`build_extra` writes a few inputs the adversarial corpus lacks: invalid dates, encapsulated
  pixel data, two files of one patient with many dates.
* :func:`dciodvfy_errors` / :func:`normalise_error` run dciodvfy and strip values from its lines
  (through tools/check_dciodvfy.py, the one place that reads dciodvfy).
"""

from __future__ import annotations

import contextlib
import json
import struct
import warnings
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydicom
import pytest
from pydicom import config as pydicom_config
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.multival import MultiValue
from pydicom.tag import Tag
from pydicom.uid import (
    UID,
    CTImageStorage,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    RLELossless,
)

from adversarial import Corpus, build_corpus
from conftest import load_tool
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import PlainSink
from dcmscrub.batch.summary import RunSummary
from dcmscrub.batch.worker import FileResult
from dcmscrub.deid.profile import Profile
from dcmscrub.profiles import load_profile

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DATA = REPO / "sample_data"
REFERENCE_DIR = REPO / "reference"

KEY = b"\x01" * 32
OTHER_KEY = b"\x02" * 32

OPTIONS = (
    "retain-long-modified-dates",
    "retain-safe-private",
    "clean-descriptors",
    "retain-patient-characteristics",
)
"""The options of the second run (hyphenated, as the profile and the CLI spell them)."""
OPTION_KEYS = tuple(o.replace("-", "_") for o in OPTIONS)
"""The same options as annex_e.json (and the adversarial manifest) spell them."""
OPTION_MEANINGS = {
    "retain-long-modified-dates": "Retain Longitudinal Temporal Information Modified Dates Option",
    "retain-safe-private": "Retain Safe Private Option",
    "clean-descriptors": "Clean Descriptors Option",
    "retain-patient-characteristics": "Retain Patient Characteristics Option",
}
"""CID 7050 code meanings of the options (codes are looked up in reference/cid7050.json)."""

PROFILES = {"basic": (), "options": OPTIONS}

CORPUS_FILES = (
    "top_level/explicit_le.dcm",
    "top_level/implicit_le.dcm",
    "top_level/explicit_be.dcm",
    "top_level/deflated_le.dcm",
    "nested/depth_1.dcm",
    "nested/depth_2.dcm",
    "nested/depth_3.dcm",
    "private_overlay_curve/explicit_le.dcm",
    "private_overlay_curve/implicit_le.dcm",
    "unlisted/free_text.dcm",
    "command/command_group.dcm",
    "references/target.dcm",
    "references/source.dcm",
)
"""The corpus's valid files, named so that each gets its own test (checked against the manifest)."""


def profile_for(name: str) -> Profile:
    """``basic`` or ``options`` (basic plus :data:`OPTIONS`)."""
    return load_profile("basic", list(PROFILES[name]))


# --------------------------------------------------------------------------------------------
# running the pipeline


@dataclass
class Run:
    """One scrub_tree run and where each input went."""

    inputs: Path
    out: Path
    log: Path
    summary: RunSummary
    results: dict[str, FileResult] = field(default_factory=dict)
    """Input path relative to its root (POSIX) -> result."""

    def output_of(self, name: str) -> Path | None:
        """The output file written for input ``name``, or None."""
        r = self.results.get(name)
        if r is None or r.outcome != "written" or r.output is None:
            return None
        return self.out / r.output

    def outputs(self) -> list[Path]:
        """Every written output, sorted."""
        return sorted(
            self.out / r.output for r in self.results.values() if r.outcome == "written" and r.output
        )


def run_scrub(inputs: Path, out: Path, profile: Profile, key: bytes, log: Path) -> Run:
    """Run the real pipeline over ``inputs`` (plain .dcm outputs, one worker)."""
    results: dict[str, FileResult] = {}
    options = ScrubOptions(profile, PlainSink(), linkage_key=key, log=log)
    summary = scrub_tree([inputs], out, options, on_result=lambda r: results.__setitem__(r.name, r))
    return Run(inputs, out, log, summary, results)


_CORPORA: dict[Path, Corpus] = {}


def session_corpus(factory: pytest.TempPathFactory) -> Corpus:
    """The adversarial corpus, built once per pytest session (``factory``: tmp_path_factory) and
    shared by every test module that asks (the reference tables are in the project's reference/)."""
    base = Path(factory.getbasetemp())
    if base not in _CORPORA:
        _CORPORA[base] = build_corpus(factory.mktemp("adversarial") / "corpus")
    return _CORPORA[base]


# --------------------------------------------------------------------------------------------
# reading outputs


@contextlib.contextmanager
def lenient_pydicom() -> Iterator[None]:
    """Read odd values (invalid dates, '*' in CS) without warnings or errors."""
    saved = pydicom_config.settings.reading_validation_mode
    pydicom_config.settings.reading_validation_mode = pydicom_config.IGNORE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        pydicom_config.settings.reading_validation_mode = saved


def read(path: Path) -> Dataset:
    """The whole file, decoded (pixel data included)."""
    with lenient_pydicom():
        ds = pydicom.dcmread(path, force=True)
        # decode every element now, inside the lenient block
        for _ in _walk(ds.file_meta, ()):
            pass
        for _ in _walk(ds, ()):
            pass
    return ds


@dataclass(frozen=True)
class Found:
    """One element value of an output, as text."""

    path: tuple[int, ...]
    """Tags from the top down to the element (sequence tags included)."""
    vr: str
    text: str

    @property
    def components(self) -> list[str]:
        """The value's components (backslash-separated), stripped of padding."""
        return [c.strip(" \x00") for c in self.text.split("\\")]

    def where(self) -> str:
        return " > ".join(describe_tag(t) for t in self.path)


def describe_tag(tag: int) -> str:
    """``(gggg,eeee) Keyword``."""
    t = Tag(tag)
    keyword = pydicom.datadict.keyword_for_tag(t) if not t.is_private else ""
    return f"({t.group:04X},{t.element:04X}){' ' + keyword if keyword else ''}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("latin-1")
    if isinstance(value, MultiValue | list | tuple):
        return "\\".join(_text(v) for v in value)
    return str(value)


def _walk(ds: Dataset, path: tuple[int, ...]) -> Iterator[Found]:
    for elem in ds:
        here = (*path, int(elem.tag))
        if elem.VR == "SQ":
            yield Found(here, "SQ", "")
            for item in elem.value or []:
                yield from _walk(item, here)
            continue
        yield Found(here, str(elem.VR), _text(elem.value))


def element_values(ds: Dataset) -> list[Found]:
    """Every element of ``ds`` (File Meta Information first) at every depth, as text."""
    with lenient_pydicom():
        meta = getattr(ds, "file_meta", None) or FileMetaDataset()
        return [*_walk(meta, ()), *_walk(ds, ())]


def raw_dataset_bytes(path: Path) -> bytes:
    """The file's bytes; a deflated data set is inflated (its tokens are not visible otherwise)."""
    data = path.read_bytes()
    if data[128:132] != b"DICM":
        return data
    # (0002,0000) UL group length: tag 4 + VR 2 + length 2, value at 140
    meta_end = 144 + struct.unpack_from("<I", data, 140)[0]
    with lenient_pydicom():
        ts = str(pydicom.dcmread(path, stop_before_pixels=True).file_meta.get("TransferSyntaxUID", ""))
    if ts == DeflatedExplicitVRLittleEndian:
        return data[:meta_end] + zlib.decompress(data[meta_end:], -zlib.MAX_WBITS)
    return data


# --------------------------------------------------------------------------------------------
# reference data


def annex_e_rows() -> dict[str, dict[str, Any]]:
    """Table E.1-1 rows of reference/annex_e.json by tag text."""
    data = json.loads((REFERENCE_DIR / "annex_e.json").read_text(encoding="utf-8"))
    return {r["tag"]: r for r in data["rows"]}


def annex_e_all_tags() -> set[str]:
    """Every tag that any edition of Table E.1-1 lists (annex_e.json rows and later additions)."""
    data = json.loads((REFERENCE_DIR / "annex_e.json").read_text(encoding="utf-8"))
    tags = {r["tag"] for r in data["rows"]}
    tags |= {r["tag"] for r in data.get("later_edition_additions_basic_only", {}).get("rows", [])}
    return tags


def cid7050_code(meaning: str) -> tuple[str, str]:
    """(scheme, value) of the CID 7050 code with this meaning, from cid7050.json."""
    data = json.loads((REFERENCE_DIR / "cid7050.json").read_text(encoding="utf-8"))
    for c in data["codes"]:
        if c["code_meaning"] == meaning:
            return c["coding_scheme_designator"], c["code_value"]
    raise KeyError(meaning)


# --------------------------------------------------------------------------------------------
# extra inputs


EXTRA_PATIENT = "EXTRA-PAT-0001"


@dataclass
class ExtraCorpus:
    """Inputs the adversarial corpus lacks; every file belongs to :data:`EXTRA_PATIENT`."""

    root: Path
    invalid_dates: dict[str, dict[int, str]] = field(default_factory=dict)
    """File -> {tag: invalid DA/DT value planted at the top level}."""
    valid_dates: dict[str, dict[int, str]] = field(default_factory=dict)
    """File -> {tag: valid DA/DT value planted at the top level}."""
    encapsulated: str = ""
    """The file whose pixel data is encapsulated (several fragments, offset table)."""


def _extra_base(sop: str, ts: str) -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = UID(sop)
    ds.Modality = "CT"
    ds.PatientName = "EXTRA^PATIENT"
    ds.PatientID = EXTRA_PATIENT
    ds.PatientBirthDate = "19700304"
    ds.PatientSex = "O"
    ds.StudyInstanceUID = UID("1.2.826.0.1.3680043.10.1426.7.1")
    ds.SeriesInstanceUID = UID(sop + ".0")
    ds.FrameOfReferenceUID = UID("1.2.826.0.1.3680043.10.1426.7.2")
    ds.SeriesNumber = 1
    ds.InstanceNumber = 1
    ds.PatientPosition = "HFS"
    ds.ImagePositionPatient = ["0", "0", "0"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.PixelSpacing = ["0.5", "0.5"]
    ds.SliceThickness = "2.5"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = 8
    ds.Columns = 8
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = UID(ts)
    ds.file_meta = meta
    return ds


def _set_raw(ds: Dataset, tag: int, vr: str, value: str) -> None:
    """Set a DA/DT/TM value as given (pydicom would warn on invalid ones)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds.add_new(tag, vr, value)


def _save(ds: Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = pydicom_config.settings.writing_validation_mode
    pydicom_config.settings.writing_validation_mode = pydicom_config.IGNORE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pydicom.dcmwrite(path, ds, enforce_file_format=True)
    finally:
        pydicom_config.settings.writing_validation_mode = saved


def build_extra(root: Path) -> ExtraCorpus:
    """Write the extra inputs into ``root`` and say what is in them."""
    extra = ExtraCorpus(root)
    root.mkdir(parents=True, exist_ok=True)
    kw = pydicom.datadict.tag_for_keyword

    # 1. Invalid dates in attributes that the modified-dates option shifts, plus valid ones.
    ds = _extra_base("1.2.826.0.1.3680043.10.1426.7.10", ExplicitVRLittleEndian)
    invalid = {
        kw("StudyDate"): ("DA", "20230230"),  # 30 February
        kw("AcquisitionDate"): ("DA", "2023.01.05"),  # ACR-NEMA style, not DICOM 3
        kw("ContentDate"): ("DA", "20231301"),  # month 13
        kw("InstanceCreationDate"): ("DA", "2023010"),  # 7 digits
        kw("AcquisitionDateTime"): ("DT", "20231301120000"),  # month 13
        kw("DateOfLastCalibration"): ("DA", "NOTADATE"),
        kw("ExpiryDate"): ("DA", "20231232"),  # outside Table E.1-1, day 32
    }
    valid = {
        kw("SeriesDate"): ("DA", "20230105"),
        kw("DateOfSecondaryCapture"): ("DA", "20230107"),
        kw("DateOfGainCalibration"): ("DA", "20230102"),  # outside Table E.1-1
    }
    for tag, (vr, value) in {**invalid, **valid}.items():
        assert tag is not None
        _set_raw(ds, tag, vr, value)
    ds.PixelData = struct.pack("<64H", *range(64))
    _save(ds, root / "dates/invalid_dates.dcm")
    extra.invalid_dates["dates/invalid_dates.dcm"] = {
        t: v for t, (_vr, v) in invalid.items() if t is not None
    }
    extra.valid_dates["dates/invalid_dates.dcm"] = {t: v for t, (_vr, v) in valid.items() if t is not None}

    # 2. Encapsulated pixel data (RLE Lossless syntax, 2 frames, offset table, 2 fragments each),
    #    and many valid dates of the same patient.
    ds = _extra_base("1.2.826.0.1.3680043.10.1426.7.20", RLELossless)
    ds.NumberOfFrames = 2
    frames = [bytes((i * 7 + f) % 256 for i in range(300)) for f in range(2)]
    ds.PixelData = encapsulate(frames, fragments_per_frame=2, has_bot=True)  # 4 fragments
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    dates = {
        kw("StudyDate"): ("DA", "20230105"),
        kw("SeriesDate"): ("DA", "20230105"),
        kw("AcquisitionDate"): ("DA", "20230106"),
        kw("ContentDate"): ("DA", "20230110"),
        kw("InstanceCreationDate"): ("DA", "20230228"),
        kw("AcquisitionDateTime"): ("DT", "20230106101112.5+0100"),
        kw("DateOfLastCalibration"): ("DA", "20221231"),
    }
    for tag, (vr, value) in dates.items():
        assert tag is not None
        _set_raw(ds, tag, vr, value)
    ds.StudyTime = "101112"
    _save(ds, root / "encaps/rle_two_frames.dcm")
    extra.valid_dates["encaps/rle_two_frames.dcm"] = {t: v for t, (_vr, v) in dates.items() if t is not None}
    extra.encapsulated = "encaps/rle_two_frames.dcm"
    return extra


# --------------------------------------------------------------------------------------------
# dciodvfy


# one reading of dciodvfy for every test and tool: tools/check_dciodvfy.py
_DCIODVFY = load_tool("check_dciodvfy")


def dciodvfy_errors(path: Path) -> list[str]:
    """dciodvfy's ``Error`` lines for ``path`` (some start with the tag they are about)."""
    errors: list[str] = _DCIODVFY.dciodvfy(path)[1]
    return errors


def dciodvfy_can_parse(errors: Sequence[str]) -> bool:
    """False when dciodvfy could not read the object at all."""
    return bool(_DCIODVFY.can_parse(errors))


def normalise_error(line: str) -> str:
    """An error line without the values it quotes (values, UIDs, value numbers, characters,
    lengths, counts): its kind (tools/check_dciodvfy.py ``error_kind``)."""
    return str(_DCIODVFY.error_kind(line))
