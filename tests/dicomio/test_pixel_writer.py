"""Blanking native pixel data while streaming, the plan API, and what fails closed."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom import dcmread
from pydicom.filewriter import dcmwrite

sys.path.insert(0, str(Path(__file__).parent))
from pixelfiles import (
    EXPLICIT_BE,
    EXPLICIT_LE,
    IMPLICIT_LE,
    black,
    blank_file,
    decode,
    encoded_file,
    expected,
    facts_of,
    image_dataset,
    mask_of,
    native_file,
    plan_file,
)

from dcmscrub.dicomio.pixels import PixelProblem, Rect, plan_blanking, write_pixels

REPO = Path(__file__).absolute().parents[2]
BURNED_IN = REPO / "sample_data/NOBODY_ALEX_FAKE-MRN-0003/PT000000/ST000000/SE000000/IM000000"


def _values(
    rng: np.random.Generator, shape: tuple[int, ...], bits: int, stored: int, signed: bool
) -> np.ndarray:
    dtype = np.dtype(f"{'i' if signed else 'u'}{bits // 8}")
    if signed:
        low, high = -(1 << (stored - 1)), (1 << (stored - 1))
    else:
        low, high = 0, 1 << stored
    return rng.integers(low, high, size=shape, dtype=np.int64).astype(dtype)


@st.composite
def native_cases(draw: st.DrawFn) -> dict[str, object]:
    syntax = draw(st.sampled_from([IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE]))
    spp = draw(st.sampled_from([1, 3]))
    bits = draw(st.sampled_from([8, 16, 32]))
    stored = draw(st.sampled_from(sorted({bits, max(bits - 4, 1)})))
    signed = spp == 1 and draw(st.booleans())
    pi = draw(st.sampled_from(["MONOCHROME2", "MONOCHROME1"] if spp == 1 else ["RGB", "YBR_FULL"]))
    rows, cols = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    rect = st.builds(
        Rect,
        st.integers(0, cols + 2),
        st.integers(0, rows + 2),
        st.integers(1, cols + 3),
        st.integers(1, rows + 3),
    )
    return {
        "syntax": syntax,
        "spp": spp,
        "bits": bits,
        "stored": stored,
        "signed": signed,
        "pi": pi,
        "planar": draw(st.sampled_from([0, 1])) if spp == 3 else 0,
        "rows": rows,
        "cols": cols,
        "frames": draw(st.integers(1, 3)),
        "rects": draw(st.lists(rect, min_size=1, max_size=3)),
        "swapped": syntax == EXPLICIT_BE and bits == 8 and draw(st.booleans()),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(native_cases())
def test_native_blanks_inside_and_keeps_every_other_sample(case: dict) -> None:
    c = case
    shape = (c["frames"], c["rows"], c["cols"]) + ((3,) if c["spp"] == 3 else ())
    if c["swapped"] and (c["rows"] * c["cols"] * c["spp"]) % 2 and c["frames"] > 1:
        shape = (1, *shape[1:])  # multi-frame odd-sized swapped frames are refused (tested below)
    ds = image_dataset(
        c["syntax"],
        c["rows"],
        c["cols"],
        shape[0],
        c["spp"],
        c["bits"],
        c["stored"],
        c["signed"],
        c["pi"],
        c["planar"],
    )
    data = native_file(
        ds,
        _values(np.random.default_rng(c["seed"]), shape, c["bits"], c["stored"], c["signed"]),
        ow_swapped=c["swapped"],
    )
    before = decode(data)
    out, report = blank_file(data, c["rects"])
    mask = mask_of(c["rects"], c["rows"], c["cols"])
    if not mask.any():
        assert out == data and report is None
        return
    after = decode(out)
    fill = black(c["pi"], c["stored"], c["signed"], c["spp"])
    assert np.array_equal(after, expected(before, mask, fill))
    assert report is not None and report.frames == shape[0]
    assert len(out) - out.index(b"\xe0\x7f" if c["syntax"] != EXPLICIT_BE else b"\x7f\xe0") == (
        len(data) - data.index(b"\xe0\x7f" if c["syntax"] != EXPLICIT_BE else b"\x7f\xe0")
    )  # the pixel data element keeps its length
    header = dcmread(io.BytesIO(out), stop_before_pixels=True)
    assert header.file_meta.TransferSyntaxUID == c["syntax"]


def test_ybr_full_422_native_blanks_whole_pixel_pairs() -> None:
    ds = image_dataset(EXPLICIT_LE, 6, 10, 2, 3, 8, 8, False, "YBR_FULL_422")
    rng = np.random.default_rng(3)
    pairs = rng.integers(1, 255, size=(2, 6, 5, 4), dtype=np.uint8)  # Y0 Y1 Cb Cr per pixel pair
    ds.PixelData = pairs.tobytes()
    out_buf = io.BytesIO()
    dcmwrite(out_buf, ds, enforce_file_format=True)
    data = out_buf.getvalue()
    rects = [Rect(3, 1, 4, 2)]  # columns 3..6: pairs 1, 2 and 3 (columns 2..7)
    out, _ = blank_file(data, rects)
    got = np.frombuffer(out[-pairs.nbytes :], np.uint8).reshape(pairs.shape)
    want = pairs.copy()
    want[:, 1:3, 1:4] = (0, 0, 128, 128)
    assert np.array_equal(got, want)


def test_only_the_frames_named_change() -> None:
    ds = image_dataset(EXPLICIT_LE, 8, 8, 4, 1, 16, 12, False, "MONOCHROME2")
    data = native_file(ds, _values(np.random.default_rng(1), (4, 8, 8), 16, 12, False))
    before = decode(data)
    out, report = blank_file(data, [Rect(0, 0, 4, 4)], frames={1, 3})
    assert report is not None and report.frames == 2
    after = decode(out)
    assert np.array_equal(after, expected(before, mask_of([Rect(0, 0, 4, 4)], 8, 8), (0,), frames={1, 3}))


@pytest.mark.parametrize(
    "rects, frames",
    [([], None), ([Rect(20, 0, 5, 5)], None), ([Rect(0, 30, 5, 5)], None), ([Rect(0, 0, 2, 2)], [])],
)
def test_nothing_to_blank_leaves_the_file_byte_identical(rects: list[Rect], frames: list[int] | None) -> None:
    ds = image_dataset(EXPLICIT_LE, 8, 8, 2, 1, 8, 8, False, "MONOCHROME2")
    data = native_file(ds, _values(np.random.default_rng(2), (2, 8, 8), 8, 8, False))
    assert plan_file(data, rects, frames) is None  # the caller then copies the pixel data as it is
    out, report = blank_file(data, rects, frames)
    assert out == data and report is None


def test_rectangles_are_clipped_and_counted_once() -> None:
    ds = image_dataset(EXPLICIT_LE, 8, 8, 1, 1, 8, 8, False, "MONOCHROME2")
    data = native_file(ds, np.full((1, 8, 8), 200, np.uint8))
    plan = plan_file(data, [Rect(6, 6, 10, 10), Rect(6, 6, 10, 10), Rect(40, 0, 1, 1)])
    assert plan is not None and plan.rects == (Rect(6, 6, 2, 2),)
    with pytest.raises(ValueError):
        plan_file(data, [Rect(0, 0, 0, 3)])


def test_native_streaming_reads_one_frame_at_a_time() -> None:
    frames, rows, cols = 6, 64, 64
    ds = image_dataset(EXPLICIT_LE, rows, cols, frames, 3, 8, 8, False, "RGB")
    data = native_file(ds, _values(np.random.default_rng(4), (frames, rows, cols, 3), 8, 8, False))
    _, facts, fh = facts_of(data)
    plan = plan_blanking(facts, [Rect(0, 0, 10, 10)], fh)
    assert plan is not None

    class Recorder(io.BytesIO):
        largest = 0

        def read(self, n: int | None = -1) -> bytes:
            self.largest = max(self.largest, len(chunk := super().read(n)))
            return chunk

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
            count = super().readinto(buffer)
            self.largest = max(self.largest, count)
            return count

    src, out = Recorder(data), io.BytesIO()
    write_pixels(plan, src, out)
    assert src.largest == rows * cols * 3


def test_sample_data_burned_in_file_is_cleaned() -> None:
    data = BURNED_IN.read_bytes()
    before = decode(data)
    assert (before == 255).any()  # the name is drawn in white
    out, report = blank_file(data, [Rect(0, 0, 64, 48)])
    after = decode(out)
    assert report is not None and report.regions == 1
    assert not (after == 255).any()
    assert np.array_equal(after[:, 48:], before[:, 48:])


def _problem(data: bytes, rects: list[Rect] | None = None) -> str:
    with pytest.raises(PixelProblem) as caught:
        blank_file(data, rects or [Rect(0, 0, 2, 2)])
    return caught.value.code


def test_problems_fail_closed_with_a_fixed_code() -> None:
    ds = image_dataset(EXPLICIT_LE, 8, 8, 2, 1, 8, 8, False, "MONOCHROME2")
    good = native_file(ds, np.zeros((2, 8, 8), np.uint8))
    # the pixel data is shorter than two frames
    short = ds.copy()
    short.PixelData = b"\x00" * 100
    buf = io.BytesIO()
    dcmwrite(buf, short, enforce_file_format=True)
    assert _problem(buf.getvalue()) == "pixels_short"
    # 1-bit pixel data is bit-packed across pixels
    onebit = image_dataset(EXPLICIT_LE, 8, 8, 1, 1, 1, 1, False, "MONOCHROME2")
    assert _problem(native_file(onebit, np.zeros((1, 8, 1), np.uint8))) == "pixels_unsupported_layout"
    # missing Rows
    no_rows = dcmread(io.BytesIO(good))
    del no_rows.Rows
    buf = io.BytesIO()
    dcmwrite(buf, no_rows, enforce_file_format=True)
    assert _problem(buf.getvalue()) == "pixels_bad_attributes"
    # video (MPEG-4 AVC) has no frame-by-frame path
    video = image_dataset("1.2.840.10008.1.2.4.102", 8, 8, 2, 1, 8, 8, False, "MONOCHROME2")
    assert _problem(encoded_file(video, [b"\x00\x00\x01\xb3" * 4])) == "pixels_unsupported_syntax"
    # deflated data sets are read whole by dicomio: not a streaming case
    deflated = image_dataset("1.2.840.10008.1.2.1.99", 8, 8, 1, 1, 8, 8, False, "MONOCHROME2")
    deflated.PixelData = bytes(64)
    buf = io.BytesIO()
    dcmwrite(buf, deflated, enforce_file_format=True)
    assert _problem(buf.getvalue()) == "pixels_unsupported_syntax"
    # a swapped-byte big endian file whose odd-sized frames split byte pairs
    odd = image_dataset(EXPLICIT_BE, 3, 3, 2, 1, 8, 8, False, "MONOCHROME2")
    assert (
        _problem(native_file(odd, np.zeros((2, 3, 3), np.uint8), ow_swapped=True))
        == "pixels_unsupported_layout"
    )
