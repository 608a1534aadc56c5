"""Clean Pixel Data through the real scrub path: the release decision, blanking by rules in every
syntax, byte-identical copies when nothing is to blank, fail-closed outcomes, the audit field."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from conftest import KEY, SAMPLE, dcm_files
from dcmscrub.audit.records import FileRecord, PixelsCleaned
from dcmscrub.batch import pixels as batch_pixels
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import PlainSink
from dcmscrub.errors import ConfigError
from dcmscrub.outcomes import FileProblem, Outcome, Reason
from dcmscrub.profiles import load_builtin_catalogue, load_profile

TESTS = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(TESTS / "dicomio"))
sys.path.insert(0, str(TESTS.parent / "tools"))
from pixelfiles import decode, mask_of  # noqa: E402

import make_us_cine  # noqa: E402

SC_DIR = SAMPLE / "NOBODY_ALEX_FAKE-MRN-0003" / "PT000000" / "ST000000" / "SE000000"
EXAMPLE = TESTS.parent / "profiles" / "example-pixels.yaml"
US_RULE = """\
version: 1
name: us-cine
extends: basic
pixels:
  - match: {{Modality: US, ManufacturerModelName: "US CINE GENERATOR"}}
    blank: {rects}
"""


def run(inputs: list[Path], out: Path, profile: str | Path = "basic") -> Any:
    return scrub_tree(
        inputs,
        out,
        ScrubOptions(
            load_profile(str(profile)), PlainSink(), linkage_key=KEY, log=out.parent / f"{out.name}.jsonl"
        ),
    )


def records(out: Path) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in (out.parent / f"{out.name}.jsonl").read_text().splitlines()]
    return [r for r in lines if r.get("event") == "file"]


def run_start(out: Path) -> dict[str, Any]:
    lines = [json.loads(line) for line in (out.parent / f"{out.name}.jsonl").read_text().splitlines()]
    return next(r for r in lines if r.get("event") == "run_start")


def profile_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    return path


def only_output(out: Path) -> Path:
    files = dcm_files(out)
    assert len(files) == 1, files
    return files[0]


def element_bytes(path: Path) -> bytes:
    """The pixel data element's value as stored (raw, not decoded)."""
    ds = pydicom.dcmread(path)
    return bytes(ds.PixelData)


# -- the sample's screen captures ----------------------------------------------------------------


def test_the_builtin_profiles_hold_back_both_screen_captures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run([SC_DIR], out)
    assert summary.counts["quarantined"] == 2 and summary.counts["written"] == 0
    assert "pixels" not in run_start(out)["profile"]  # a profile that cleans no pixels says nothing
    reasons = sorted(r["error_code"] for r in records(out))
    assert reasons == ["burned_in_annotation", "pixels_not_cleared"]  # YES, and a screen capture saying NO


def test_a_pixels_rule_cleans_the_sample_burned_in_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run([SC_DIR], out, EXAMPLE)
    assert summary.counts["written"] == 2
    source = pydicom.dcmread(SC_DIR / "IM000000")
    done = [pydicom.dcmread(p) for p in dcm_files(out)]
    mono = next(d for d in done if d.PhotometricInterpretation == "MONOCHROME2")
    before, after = source.pixel_array, mono.pixel_array
    assert before[:48].any() and not after[:48].any()  # the name and MRN were there and are gone
    assert np.array_equal(before[48:], after[48:])  # the rest bit for bit
    for d in done:
        assert d.BurnedInAnnotation == "NO"
        codes = [(i.CodeValue, i.CodingSchemeDesignator) for i in d.DeidentificationMethodCodeSequence]
        assert ("113101", "DCM") in codes and ("113100", "DCM") in codes
        assert "clean-pixel-data" in d.DeidentificationMethod
    assert [r["pixels"] for r in records(out)] == [{"blanked": 1, "by": "rule"}] * 2
    start = run_start(out)["profile"]["pixels"]  # what the run's cleaning rested on
    catalogue = load_builtin_catalogue()
    assert start == {
        "rules": 2,
        "catalogue": {"revision": catalogue.revision, "sha256": catalogue.sha256},
        "detector": "off",
    }


def test_nothing_to_blank_copies_the_pixel_data_byte_for_byte(tmp_path: Path) -> None:
    ct = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
    src = tmp_path / "in"
    src.mkdir()
    (src / "ct.dcm").write_bytes(ct.read_bytes())
    for name, profile in (("basic", "basic"), ("example", EXAMPLE)):  # a catalogue and rules, none match
        out = tmp_path / name
        run([src], out, profile)
        assert element_bytes(only_output(out)) == element_bytes(ct)
        assert "pixels" not in records(out)[0]
        assert "BurnedInAnnotation" not in pydicom.dcmread(only_output(out))


# -- a generated ultrasound cine, in each syntax ---------------------------------------------------


@pytest.mark.parametrize("syntax", ["native", "rle", "jpeg"])
def test_rules_clean_an_ultrasound_cine(syntax: str, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    cine = make_us_cine.write_cine(src / "cine.dcm", syntax, n=3)
    profile = profile_file(tmp_path, US_RULE.format(rects=json.dumps(make_us_cine.PHI_RECTS)))
    out = tmp_path / "out"
    summary = run([src], out, profile)
    assert summary.counts["written"] == 1, summary.problems
    result = only_output(out)
    ds = pydicom.dcmread(result, stop_before_pixels=True)
    expected_syntax = {"native": "1.2.840.10008.1.2.1", "rle": "1.2.840.10008.1.2.5"}
    assert ds.file_meta.TransferSyntaxUID == expected_syntax.get(syntax, "1.2.840.10008.1.2.4.90")
    assert ds.BurnedInAnnotation == "NO"
    before, after = decode(cine.read_bytes()), decode(result.read_bytes())
    assert after.shape == before.shape == (3, 600, 800, 3)
    mask = mask_of(make_us_cine.PHI_RECTS, 600, 800)
    fill = (0, 128, 128) if syntax == "jpeg" else (0, 0, 0)  # the JPEG frames decode as YBR_FULL
    assert (after[:, mask] == fill).all()
    assert np.array_equal(after[:, ~mask], before[:, ~mask])  # bit for bit (JPEG: its decoded samples)
    if syntax == "jpeg":
        assert ds.PhotometricInterpretation == "YBR_FULL" and ds.LossyImageCompression == "01"
        assert ds.LossyImageCompressionMethod == "ISO_10918_1"
    assert records(out)[0]["pixels"] == {"blanked": len(make_us_cine.PHI_RECTS), "by": "rule"}
    assert b"DOE^JANE" not in result.read_bytes()


def test_an_ultrasound_no_rule_matches_is_held_back_whatever_it_says(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    cine = make_us_cine.write_cine(src / "cine.dcm", "native", n=1, rows=64, columns=64)
    ds = pydicom.dcmread(cine)
    ds.BurnedInAnnotation = "NO"  # an ultrasound that says NO is still not believed
    ds.save_as(cine)
    out = tmp_path / "out"
    summary = run([src], out)
    assert summary.counts["quarantined"] == 1 and records(out)[0]["error_code"] == "pixels_not_cleared"
    assert dcm_files(out) == []


# -- failing closed ------------------------------------------------------------------------------


def corrupt_second_frame(path: Path) -> None:
    """Overwrite the second RLE fragment's header (its segment count) with garbage."""
    data = bytearray(path.read_bytes())
    items = [i for i in range(len(data) - 4) if data[i : i + 4] == b"\xfe\xff\x00\xe0"]
    second = items[2]  # the Basic Offset Table, frame 1, frame 2
    data[second + 8 : second + 72] = b"\xff" * 64
    path.write_bytes(bytes(data))


def test_a_failure_in_the_middle_of_the_stream_leaves_no_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    cine = make_us_cine.write_cine(src / "cine.dcm", "rle", n=3, rows=64, columns=64)
    corrupt_second_frame(cine)
    profile = profile_file(tmp_path, US_RULE.format(rects="[[0, 0, 64, 10]]"))
    out = tmp_path / "out"
    summary = run([src], out, profile)
    assert summary.counts["failed"] == 1
    record = records(out)[0]
    assert record["error_code"] == "pixels_undecodable" and record["output"] is None
    assert [p for p in out.rglob("*") if p.is_file() and p.name != ".dcmscrub-root"] == []  # no temp left


def test_pixel_problems_become_reasons(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    ds = pydicom.dcmread(SC_DIR / "IM000000")
    ds.BitsAllocated = 1  # bit-packed: blanking cannot address it
    ds.save_as(src / "packed.dcm")
    out = tmp_path / "out"
    run([src], out, EXAMPLE)
    assert records(out)[0]["error_code"] == "pixels_unsupported_layout"
    assert records(out)[0]["outcome"] == "quarantined"


def test_a_kept_icon_image_or_overlay_is_not_scanned_so_the_file_is_held_back(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    ds = pydicom.dcmread(SC_DIR / "IM000000")
    icon = Dataset()
    icon.Rows, icon.Columns = 8, 8
    ds.IconImageSequence = Sequence([icon])
    ds.save_as(src / "icon.dcm")
    keeps_icon = EXAMPLE.read_text().replace(
        "extends: basic", f"extends: {EXAMPLE}\nrules:\n  - {{select: IconImageSequence, action: keep}}"
    )
    keeps_icon = keeps_icon.replace("name: example-pixels", "name: keeps-icon")
    for profile, reason in ((EXAMPLE, None), (profile_file(tmp_path, keeps_icon), "pixels_not_scanned")):
        out = tmp_path / f"out-{reason}"
        run([src], out, profile)
        assert records(out)[0]["error_code"] == reason
    del ds.IconImageSequence
    ds.add_new(0x60000010, "US", 64)
    ds.add_new(0x60003000, "OW", b"\x00" * 512)
    ds.save_as(src / "icon.dcm")
    for options, reason in (([], None), (["clean-graphics"], "pixels_not_scanned")):
        out = tmp_path / f"out-overlay-{reason}"
        profile = load_profile(str(EXAMPLE), options)
        scrub_tree(
            [src],
            out,
            ScrubOptions(profile, PlainSink(), linkage_key=KEY, log=out.parent / f"{out.name}.jsonl"),
        )
        assert records(out)[-1]["error_code"] == reason


def test_a_profile_that_requires_the_detector_stops_before_any_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if the extra were absent
    text = EXAMPLE.read_text().replace("name: example-pixels", "name: needs-ocr")
    profile = profile_file(tmp_path, text + "pixels_detector: {enabled: on}\n")
    with pytest.raises(ConfigError) as caught:
        run([SC_DIR], tmp_path / "out", profile)
    assert "[ocr]" in (caught.value.hint or "")
    assert not (tmp_path / "out").exists()


def test_a_detector_on_auto_without_the_extra_falls_back_to_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    profile = profile_file(tmp_path, "version: 1\nname: auto\npixels_detector: {enabled: auto}\n")
    out = tmp_path / "out"
    summary = run([SC_DIR], out, profile)
    assert summary.counts["quarantined"] == 2
    step = batch_pixels.PixelStep(load_profile(str(profile)))
    assert step._load_detector() is None and step._no_detector


# -- the audit record ------------------------------------------------------------------------------


def test_the_pixels_field_round_trips_and_is_checked() -> None:
    record = FileRecord("d", Outcome.WRITTEN, pixels=PixelsCleaned(3, "rule+detector"))
    fields = record.to_fields()
    assert fields["pixels"] == {"blanked": 3, "by": "rule+detector"}
    assert FileRecord.from_fields(json.loads(json.dumps(fields))) == record
    assert str(record.pixels) == "pixels: blanked 3 regions (rule+detector)"
    for bad in (
        {"blanked": -1, "by": "rule"},
        {"blanked": 1, "by": "ocr"},
        {"blanked": "1", "by": "rule"},
        {},
    ):
        assert FileRecord.from_fields(fields | {"pixels": bad}) is None
    assert "pixels" not in FileRecord("d", Outcome.WRITTEN).to_fields()  # older readers see nothing new


def test_a_required_detector_that_cannot_load_fails_the_file_not_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start of a run checks the extra; should it still go missing, each file fails closed."""
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    profile = profile_file(tmp_path, "version: 1\nname: required\npixels_detector: {enabled: on}\n")
    step = batch_pixels.PixelStep(load_profile(str(profile)))
    with pytest.raises(FileProblem) as caught:
        step._load_detector()
    assert caught.value.reason == Reason.PIXELS_DETECTOR_FAILED
