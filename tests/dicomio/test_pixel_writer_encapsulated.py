"""Blanking compressed pixel data: decode, blank, re-encode losslessly, header attributes."""

from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.encaps import generate_fragmented_frames

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).absolute().parents[2] / "tools"))
from pixelfiles import (
    J2K_LOSSLESS,
    JPEG_BASELINE,
    RLE,
    black,
    blank_file,
    decode,
    encode_frames,
    encoded_file,
    expected,
    image_dataset,
    mask_of,
    plan_file,
)

import jpegbaseline
from dcmscrub.dicomio.pixels import PixelProblem, Rect

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rect(rows: int, cols: int) -> st.SearchStrategy[Rect]:
    return st.builds(
        Rect, st.integers(0, cols), st.integers(0, rows), st.integers(1, cols), st.integers(1, rows)
    )


def _random(seed: int, shape: tuple[int, ...], bits: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 1 << bits, size=shape).astype(f"u{max(bits // 8, 1)}")


@SLOW
@given(
    spp=st.sampled_from([1, 3]),
    bits=st.sampled_from([8, 16, 32]),
    pi3=st.sampled_from(["RGB", "YBR_FULL"]),
    rows=st.integers(1, 20),
    cols=st.integers(1, 20),
    frames=st.integers(1, 3),
    with_bot=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_rle_stays_rle_and_is_bit_exact_outside(
    spp: int,
    bits: int,
    pi3: str,
    rows: int,
    cols: int,
    frames: int,
    with_bot: bool,
    seed: int,
    data: st.DataObject,
) -> None:
    pi = pi3 if spp == 3 else "MONOCHROME2"
    bits = 8 if pi == "YBR_FULL" else bits
    ds = image_dataset(RLE, rows, cols, frames, spp, bits, bits, False, pi)
    pixels = _random(seed, (frames, rows, cols) + ((3,) if spp == 3 else ()), bits)
    src = encoded_file(ds, encode_frames(RLE, ds, pixels), with_bot=with_bot)
    rects = data.draw(st.lists(_rect(rows, cols), min_size=1, max_size=3))
    out, report = blank_file(src, rects)
    mask = mask_of(rects, rows, cols)
    if not mask.any():
        assert out == src
        return
    header = dcmread(io.BytesIO(out), stop_before_pixels=True)
    assert header.file_meta.TransferSyntaxUID == RLE and header.PhotometricInterpretation == pi
    assert np.array_equal(decode(out), expected(decode(src), mask, black(pi, bits, False, spp)))
    assert report is not None and report.frames == frames


@SLOW
@given(
    spp=st.sampled_from([1, 3]),
    bits=st.sampled_from([8, 16]),
    rows=st.integers(32, 40),
    cols=st.integers(32, 40),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_jpeg2000_lossless_is_bit_exact_outside(
    spp: int, bits: int, rows: int, cols: int, seed: int, data: st.DataObject
) -> None:
    pi = "RGB" if spp == 3 else "MONOCHROME2"
    ds = image_dataset(J2K_LOSSLESS, rows, cols, 2, spp, bits, bits, False, "YBR_RCT" if spp == 3 else pi)
    pixels = _random(seed, (2, rows, cols) + ((3,) if spp == 3 else ()), bits)
    src = encoded_file(ds, encode_frames(J2K_LOSSLESS, ds, pixels))
    rects = data.draw(st.lists(_rect(rows, cols), min_size=1, max_size=3))
    out, _ = blank_file(src, rects)
    if not mask_of(rects, rows, cols).any():
        assert out == src  # nothing to blank: the same bytes
        return
    header = dcmread(io.BytesIO(out), stop_before_pixels=True)
    assert header.file_meta.TransferSyntaxUID == J2K_LOSSLESS
    assert header.PhotometricInterpretation == ("YBR_RCT" if spp == 3 else "MONOCHROME2")
    assert "LossyImageCompression" not in header
    assert np.array_equal(decode(src), pixels)  # the source really is lossless
    assert np.array_equal(decode(out), expected(pixels, mask_of(rects, rows, cols), (0,) * spp))


@SLOW
@given(
    colour=st.booleans(),
    rows=st.integers(8, 72),
    cols=st.integers(8, 72),
    frames=st.integers(1, 2),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_jpeg_baseline_becomes_lossless_and_keeps_its_lossy_history(
    colour: bool, rows: int, cols: int, frames: int, seed: int, data: st.DataObject
) -> None:
    spp = 3 if colour else 1
    pi = "YBR_FULL_422" if colour else "MONOCHROME2"
    ds = image_dataset(JPEG_BASELINE, rows, cols, frames, spp, 8, 8, False, pi)
    pixels = _random(seed, (frames, rows, cols) + ((3,) if colour else ()), 8)
    src = encoded_file(ds, [jpegbaseline.encode(f, 85) for f in pixels])
    rects = data.draw(st.lists(_rect(rows, cols), min_size=1, max_size=3))
    out, _ = blank_file(src, rects)
    if not mask_of(rects, rows, cols).any():
        assert out == src  # nothing to blank: the same bytes
        return
    header = dcmread(io.BytesIO(out), stop_before_pixels=True)
    small = min(rows, cols) < 32  # openjpeg needs 32 pixels a side: RLE then
    assert header.file_meta.TransferSyntaxUID == (RLE if small else J2K_LOSSLESS)
    decoded_pi = "YBR_FULL" if colour else "MONOCHROME2"  # the 4:2:2 chroma is upsampled
    assert header.PhotometricInterpretation == decoded_pi
    assert header.LossyImageCompression == "01"
    assert header.LossyImageCompressionMethod == "ISO_10918_1"
    assert float(header.LossyImageCompressionRatio) > 0
    if colour:
        assert header.PlanarConfiguration == 0
    # lossy source: compared with the decoded input
    want = expected(decode(src), mask_of(rects, rows, cols), black(decoded_pi, 8, False, spp))
    assert np.array_equal(decode(out), want)


def test_untouched_frames_keep_their_codestream() -> None:
    ds = image_dataset(RLE, 16, 16, 3, 1, 8, 8, False, "MONOCHROME2")
    streams = encode_frames(RLE, ds, _random(9, (3, 16, 16), 8))
    src = encoded_file(ds, streams)
    out, report = blank_file(src, [Rect(0, 0, 8, 8)], frames={1})
    assert report is not None and report.frames == 1
    fh = io.BytesIO(out)
    header = dcmread(fh, stop_before_pixels=True)
    fh.seek(fh.tell() + 12)
    got = [b"".join(f) for f in generate_fragmented_frames(fh, number_of_frames=3)]
    assert got[0].rstrip(b"\x00") == streams[0].rstrip(b"\x00")
    assert got[2].rstrip(b"\x00") == streams[2].rstrip(b"\x00")
    assert got[1] != streams[1]
    assert header.file_meta.TransferSyntaxUID == RLE


def test_output_has_an_empty_offset_table_and_one_fragment_per_frame() -> None:
    ds = image_dataset(JPEG_BASELINE, 40, 48, 3, 1, 8, 8, False, "MONOCHROME2")
    ds.ExtendedOffsetTable = b"\x00" * 24
    ds.ExtendedOffsetTableLengths = b"\x00" * 24
    src = encoded_file(ds, [jpegbaseline.encode(f) for f in _random(5, (3, 40, 48), 8)], with_bot=True)
    src_ds = dcmread(io.BytesIO(src))
    del src_ds.ExtendedOffsetTable, src_ds.ExtendedOffsetTableLengths  # wrong on purpose above
    buf = io.BytesIO()
    src_ds.save_as(buf, enforce_file_format=True)
    out, _ = blank_file(buf.getvalue(), [Rect(0, 0, 5, 5)])
    fh = io.BytesIO(out)
    header = dcmread(fh, stop_before_pixels=True)
    assert "ExtendedOffsetTable" not in header
    tag, vr, _, length = struct.unpack("<L2sHL", fh.read(12))
    assert (tag, vr, length) == (0x00107FE0, b"OB", 0xFFFFFFFF)
    assert struct.unpack("<HHL", fh.read(8)) == (0xFFFE, 0xE000, 0)  # empty Basic Offset Table
    items = 0
    while (head := struct.unpack("<HHL", fh.read(8)))[:2] == (0xFFFE, 0xE000):
        items += 1
        fh.seek(head[2], 1)
    assert head == (0xFFFE, 0xE0DD, 0) and items == 3


# pydicom's own test files (in its wheel) for syntaxes no encoder here writes
CASES = [
    # name, output syntax, output PI, lossy method expected
    ("JPGExtended.dcm", J2K_LOSSLESS, "MONOCHROME2", "ISO_10918_1"),
    ("SC_rgb_jpeg_gdcm.dcm", J2K_LOSSLESS, "YBR_RCT", None),  # JPEG lossless SV1
    ("SC_rgb_jpeg_dcmtk.dcm", J2K_LOSSLESS, "YBR_FULL", "ISO_10918_1"),
    ("examples_ybr_color.dcm", J2K_LOSSLESS, "YBR_FULL", "ISO_10918_1"),  # 30 frames 4:2:2
    ("MR_small_jpeg_ls_lossless.dcm", J2K_LOSSLESS, "MONOCHROME2", None),
    ("SC_rgb_jls_lossy_line.dcm", J2K_LOSSLESS, "YBR_RCT", "ISO_14495_1"),
    ("JPEGLSNearLossless_08.dcm", RLE, "MONOCHROME2", "ISO_14495_1"),  # 45x10: too small for J2K
    ("JPEG2000.dcm", J2K_LOSSLESS, "MONOCHROME2", "ISO_15444_1"),
    ("GDCMJ2K_TextGBR.dcm", J2K_LOSSLESS, "YBR_RCT", None),
    ("MR_small_jp2klossless.dcm", J2K_LOSSLESS, "MONOCHROME2", None),
    ("SC_rgb_rle_32bit_2frame.dcm", RLE, "RGB", None),
    ("rtdose_rle.dcm", RLE, "MONOCHROME2", None),
]


@pytest.mark.parametrize("name, syntax, pi, method", CASES)
def test_reference_files(name: str, syntax: str, pi: str, method: str | None) -> None:
    path = get_testdata_file(name, download=False)
    assert path is not None, "pydicom's wheel ships this file"
    src = Path(path).read_bytes()
    source = dcmread(io.BytesIO(src), stop_before_pixels=True)
    rows, cols = source.Rows, source.Columns
    rects = [Rect(1, 2, cols // 3, rows // 4), Rect(cols - 5, rows - 3, 9, 9)]
    out, report = blank_file(src, rects)
    header = dcmread(io.BytesIO(out), stop_before_pixels=True)
    assert header.file_meta.TransferSyntaxUID == syntax
    assert header.PhotometricInterpretation == pi
    if method is not None:
        assert header.LossyImageCompression == "01"
        assert method in header.LossyImageCompressionMethod
    else:
        assert header.get("LossyImageCompression") == source.get("LossyImageCompression")
    before, after = decode(src), decode(out)
    spp = source.SamplesPerPixel
    if pi == "YBR_RCT":
        fill: tuple[int, ...] = (0, 0, 0)  # decoded as RGB on both sides
    else:
        fill = black(pi, header.BitsStored, bool(header.PixelRepresentation), spp)
    assert np.array_equal(after, expected(before, mask_of(rects, rows, cols), fill))
    assert report is not None and report.frames == int(source.get("NumberOfFrames", 1) or 1)


def test_undecodable_file_fails_before_anything_is_written() -> None:
    path = get_testdata_file("JPEG-lossy.dcm", download=False)  # libjpeg refuses its codestream
    assert path is not None
    with pytest.raises(PixelProblem) as caught:
        plan_file(Path(path).read_bytes(), [Rect(0, 0, 4, 4)])
    assert caught.value.code == "pixels_undecodable"


def test_corrupt_frames_fail_closed() -> None:
    ds = image_dataset(JPEG_BASELINE, 40, 40, 2, 1, 8, 8, False, "MONOCHROME2")
    good = jpegbaseline.encode(_random(1, (40, 40), 8))
    with pytest.raises(PixelProblem) as caught:
        blank_file(encoded_file(ds, [b"\xff\xd8garbage\xff\xd9", good]), [Rect(0, 0, 4, 4)])
    assert caught.value.code == "pixels_undecodable"
    # the first frame decodes, the second does not: found while streaming, after the header
    with pytest.raises(PixelProblem) as caught:
        blank_file(encoded_file(ds, [good, good[:40] + b"\xff\xd9"]), [Rect(0, 0, 4, 4)])
    assert caught.value.code == "pixels_undecodable"
    # fewer fragments than frames
    ds.NumberOfFrames = 3
    with pytest.raises(PixelProblem) as caught:
        blank_file(encoded_file(ds, [good, good]), [Rect(0, 0, 4, 4)])
    assert caught.value.code in {"pixels_undecodable", "pixels_frame_count"}


def test_missing_codec_is_its_own_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydicom.pixels.decoders.base import Decoder

    ds = image_dataset(JPEG_BASELINE, 40, 40, 1, 1, 8, 8, False, "MONOCHROME2")
    src = encoded_file(ds, [jpegbaseline.encode(_random(1, (40, 40), 8))])
    monkeypatch.setattr(Decoder, "available_plugins", property(lambda self: ()))
    with pytest.raises(PixelProblem) as caught:
        plan_file(src, [Rect(0, 0, 4, 4)])
    assert caught.value.code == "pixels_no_codec"
