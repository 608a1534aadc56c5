"""The issue's acceptance checks with the text detector, through the real scrub path (``-m ocr``:
needs the [ocr] extra; ``make test-ocr``). The sample's burned-in file and a generated ultrasound
cine (50 frames of 800x600, PHI text in every frame, native, RLE and JPEG baseline) come out with
no readable text: the detector run on the output finds no box inside the blanked regions, the
pixels that changed all hold the fill (blanking and nothing else) and the allow-listed scale
mark is untouched."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

from conftest import KEY, SAMPLE, dcm_files
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import PlainSink
from dcmscrub.profiles import load_profile

TESTS = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(TESTS / "dicomio"))
sys.path.insert(0, str(TESTS.parent / "tools"))
from pixelfiles import decode  # noqa: E402

import make_us_cine  # noqa: E402

pytestmark = pytest.mark.ocr

PROFILE = """\
version: 1
name: detector
extends: basic
pixels_detector: {enabled: on, keep_text: [cm, dB]}
"""
BURNED_IN = SAMPLE / "NOBODY_ALEX_FAKE-MRN-0003" / "PT000000" / "ST000000" / "SE000000" / "IM000000"


def scrub_one(source: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    profile = tmp_path / "detector.yaml"
    profile.write_text(PROFILE)
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    if source.parent != src:
        (src / source.name).write_bytes(source.read_bytes())
    out, log = tmp_path / "out", tmp_path / "audit.jsonl"
    options = ScrubOptions(load_profile(str(profile)), PlainSink(), linkage_key=KEY, log=log, jobs=1)
    summary = scrub_tree([src], out, options)
    assert summary.counts["written"] == 1, [(r.name, r.reason) for r in summary.problems]
    record = next(r for r in map(json.loads, log.read_text().splitlines()) if r["event"] == "file")
    return dcm_files(out)[0], record


def covered(box: tuple[int, int, int, int], mask: np.ndarray) -> float:
    x, y, w, h = box
    return float(mask[y : y + h, x : x + w].mean())


def no_text_left(after: np.ndarray, pi: str, blanked: np.ndarray) -> None:
    from dcmscrub.deid.textdetect import TextDetector

    check = TextDetector(margin=0, threads=2)
    for index, frame in enumerate(after):
        for box in check.detect(frame, pi):
            assert covered(tuple(box), blanked) < 0.25, (index, box)


@pytest.mark.slow
@pytest.mark.parametrize("syntax", ["native", "rle", "jpeg"])
def test_a_50_frame_cine_comes_out_without_readable_text(syntax: str, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    source = make_us_cine.write_cine(tmp_path / "in" / "cine.dcm", syntax, n=50)
    output, record = scrub_one(source, tmp_path)
    assert record["pixels"]["by"] == "detector" and record["pixels"]["blanked"] >= 1  # boxes that touch merge
    before, after = decode(source.read_bytes()), decode(output.read_bytes())
    fill = np.array((0, 128, 128) if syntax == "jpeg" else (0, 0, 0), np.uint8)  # JPEG: YBR_FULL
    changed = (before != after).any(axis=(0, 3))  # a pixel changed in some frame
    assert (after[:, changed] == fill).all()  # what changed is blanking (in every frame), nothing else
    assert 0 < changed.mean() < 0.2  # text boxes, not the picture
    black = (after == fill).all(axis=3).all(axis=0)
    for text, box in make_us_cine.text_boxes():
        if text == "dB":
            assert covered(box, changed) == 0.0  # the allow-listed scale mark stays
        else:
            assert covered(box, black) == 1.0, text
    pi = "YBR_FULL" if syntax == "jpeg" else "RGB"
    no_text_left(after, pi, changed)


def test_the_sample_burned_in_file_comes_out_without_readable_text(tmp_path: Path) -> None:
    output, record = scrub_one(BURNED_IN, tmp_path)
    assert record["pixels"]["by"] == "detector"
    before, after = pydicom.dcmread(BURNED_IN).pixel_array, pydicom.dcmread(output).pixel_array
    changed = before != after
    assert changed.any() and not after[changed].any()  # the name and MRN blanked to 0
    no_text_left(after[None], "MONOCHROME2", after == 0)
    assert pydicom.dcmread(output).BurnedInAnnotation == "NO"
