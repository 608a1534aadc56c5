"""The optional text detector: helpers (always), detection and cleaning (``-m ocr`` only)."""

from __future__ import annotations

import io
import socket
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

TESTS = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(TESTS / "dicomio"))
sys.path.insert(0, str(TESTS.parent / "tools"))
from pixelfiles import blank_file, decode, facts_of  # noqa: E402

import make_us_cine  # noqa: E402
from dcmscrub.deid import textdetect  # noqa: E402
from dcmscrub.deid.textdetect import (  # noqa: E402
    OcrUnavailable,
    TextDetector,
    merge_rects,
    sample_indices,
    to_bgr8,
)
from dcmscrub.dicomio.pixels import Rect, iter_frames  # noqa: E402

# --------------------------------------------------------------------------------------------
# without the extra


def test_without_the_extra_the_reason_says_what_it_would_add(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails as if absent
    assert not textdetect.ocr_available()
    with pytest.raises(OcrUnavailable) as caught:
        TextDetector(keep_text=["cm"])
    assert caught.value.code == "ocr_not_installed"
    message = str(caught.value)
    assert "[ocr]" in message and "blanked" in message and "\n" not in message


rects = st.builds(Rect, st.integers(0, 50), st.integers(0, 50), st.integers(1, 30), st.integers(1, 30))


@given(st.lists(rects, max_size=12))
def test_merged_rectangles_cover_every_input_and_do_not_overlap(boxes: list[Rect]) -> None:
    merged = merge_rects(boxes)
    for x, y, w, h in boxes:
        assert any(mx <= x and my <= y and x + w <= mx + mw and y + h <= my + mh for mx, my, mw, mh in merged)
    for i, a in enumerate(merged):
        for b in merged[i + 1 :]:
            assert a.x + a.w < b.x or b.x + b.w < a.x or a.y + a.h < b.y or b.y + b.h < a.y


@given(st.integers(1, 500), st.one_of(st.none(), st.integers(1, 40)))
def test_sampled_frames_include_the_first_and_the_last(frames: int, sample: int | None) -> None:
    chosen = sample_indices(frames, sample)
    assert 0 in chosen and all(0 <= i < frames for i in chosen)
    if sample is None or sample >= frames:
        assert chosen == frozenset(range(frames))
    else:
        assert len(chosen) == sample and (sample == 1 or frames - 1 in chosen)


def test_frames_become_8_bit_bgr_pictures() -> None:
    rgb = np.zeros((2, 2, 3), np.uint8)
    rgb[..., 0] = 200  # red
    assert to_bgr8(rgb, "RGB", 8)[0, 0].tolist() == [0, 0, 200]
    mono = np.array([[0, 4095]], np.uint16)
    assert to_bgr8(mono, "MONOCHROME2", 12)[0].tolist() == [[0, 0, 0], [255, 255, 255]]
    assert to_bgr8(mono, "MONOCHROME1", 12)[0].tolist() == [[255, 255, 255], [0, 0, 0]]
    ybr_white = np.full((1, 1, 3), (255, 128, 128), np.uint8)
    assert to_bgr8(ybr_white, "YBR_FULL", 8)[0, 0].tolist() == [255, 255, 255]


# --------------------------------------------------------------------------------------------
# with the extra (pytest -m ocr)

KEEP = ["cm", "dB"]


@pytest.fixture(scope="module")
def detector() -> TextDetector:
    return TextDetector(keep_text=KEEP, threads=2)


def _covered(box: tuple[int, int, int, int], regions: list[Rect]) -> float:
    """The share of ``box`` inside the union of ``regions``."""
    x, y, w, h = box
    mask = np.zeros((y + h + 1, x + w + 1), bool)
    for rx, ry, rw, rh in regions:
        mask[ry : ry + rh, rx : rx + rw] = True
    return float(mask[y : y + h, x : x + w].mean())


@pytest.mark.ocr
def test_every_phi_string_is_detected(detector: TextDetector) -> None:
    frame = next(make_us_cine.frames(1))
    found = detector.detect(frame)
    for text, box in make_us_cine.text_boxes():
        assert _covered(box, found) > 0.95, text


@pytest.mark.ocr
def test_allow_listed_scale_marks_stay_and_misreadings_are_blanked(detector: TextDetector) -> None:
    frame = next(make_us_cine.frames(1))
    regions = detector.regions(frame)
    boxes = dict(make_us_cine.text_boxes())
    assert _covered(boxes["dB"], regions) == 0  # read as "dB": kept
    for text, box in boxes.items():
        if text != "dB":
            assert _covered(box, regions) > 0.95, text  # "cm" is read as "Cn" by this model: blanked


@pytest.mark.ocr
def test_no_network_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert TextDetector(threads=1).detect(next(make_us_cine.frames(1)))


@pytest.mark.ocr
def test_rectangle_rules_alone_leave_no_text_in_their_rectangles(
    tmp_path: Path, detector: TextDetector
) -> None:
    data = make_us_cine.write_cine(tmp_path / "cine.dcm", "rle", n=3).read_bytes()
    out, _ = blank_file(data, [Rect(*r) for r in make_us_cine.PHI_RECTS])
    _, facts, fh = facts_of(out)
    check = TextDetector(threads=2, margin=0)
    phi = [Rect(*box) for text, box in make_us_cine.text_boxes() if text not in ("cm", "dB")]
    for frame, pi in iter_frames(facts, fh):
        found = check.detect(frame, pi)
        assert len(found) == 2  # the two scale marks, nothing else
        for box in found:
            assert _covered(box, [Rect(*r) for r in make_us_cine.PHI_RECTS]) < 0.25
            assert _covered(box, phi) == 0


def test_frames_of_a_blanked_file_decode(tmp_path: Path) -> None:
    """Core check of the iterator the detector consumes (no extra needed)."""
    data = make_us_cine.write_cine(tmp_path / "cine.dcm", "native", n=2, rows=60, columns=80).read_bytes()
    _, facts, fh = facts_of(data)
    frames = list(iter_frames(facts, fh))
    assert len(frames) == 2 and frames[0][0].shape == (60, 80, 3) and frames[0][1] == "RGB"
    assert np.array_equal(np.stack([f for f, _ in frames]), decode(data))
    assert io.BytesIO(data).read(4) == data[:4]
