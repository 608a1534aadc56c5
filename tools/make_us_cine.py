"""Synthetic ultrasound cine loops with burned-in PHI, for tests and benchmarks.

Each frame is a black screen with a speckled fan-shaped sector (new speckle every frame),
the patient's name, ID, birth date, hospital and exam date/time drawn in the top and bottom
bands at fixed positions, a frame counter that changes every frame, and two scale marks
("cm", "dB") that a profile may allow-list. :data:`PHI_RECTS` are rectangles that cover every
PHI string with a margin (the rules a profile would carry); :func:`text_boxes` gives the exact
box of each string drawn. Text is drawn with a built-in 5x7 bitmap font: no PIL.

Files are written frame by frame (never the whole pixel data in memory), as Explicit VR
Little Endian (``native``), RLE Lossless (``rle``) or JPEG baseline (``jpeg``, YBR_FULL_422 for
colour, with the encoder in jpegbaseline.py).

    python tools/make_us_cine.py OUT.dcm --syntax jpeg --frames 50 [--mono] [--rows 600 --columns 800]
"""

from __future__ import annotations

import argparse
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.uid import (
    ExplicitVRLittleEndian,
    JPEGBaseline8Bit,
    RLELossless,
    generate_uid,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bitmapfont
import jpegbaseline

SCALE = 2  # font scale: 10x14 pixel characters, like a scanner's screen text
# (text, x, y) for an 800x600 screen; all fictitious
PHI_TEXT = [
    ("DOE^JANE", 12, 8),
    ("ID 12345678", 12, 28),
    ("DOB 1980-01-31", 12, 570),
    ("ST ELSEWHERE HOSPITAL", 480, 8),
    ("2024-03-01 10:22:13", 480, 28),
]
KEEP_TEXT = [("cm", 760, 300), ("dB", 760, 330)]
COUNTER_AT = (640, 570)  # "F 001", "F 002", ...: text that changes every frame
MARGIN = 4
US_MULTIFRAME = "1.2.840.10008.5.1.4.1.1.3.1"


def text_boxes(rows: int = 600, columns: int = 800) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(text, exact box) of every string drawn (counter included), scaled to the frame size."""
    sx, sy = columns / 800, rows / 600
    out = []
    for text, x, y in [*PHI_TEXT, *KEEP_TEXT, ("F 000", *COUNTER_AT)]:
        w, h = bitmapfont.text_size(text, SCALE)
        out.append((text, (int(x * sx), int(y * sy), w, h)))
    return out


def phi_rects(rows: int = 600, columns: int = 800) -> list[tuple[int, int, int, int]]:
    """Rectangles covering each PHI string and the frame counter, with a margin."""
    boxes = [box for text, box in text_boxes(rows, columns) if text not in {t for t, _, _ in KEEP_TEXT}]
    return [(max(x - MARGIN, 0), max(y - MARGIN, 0), w + 2 * MARGIN, h + 2 * MARGIN) for x, y, w, h in boxes]


PHI_RECTS = phi_rects()


def frames(
    n: int, rows: int = 600, columns: int = 800, colour: bool = True, seed: int = 0
) -> Iterator[np.ndarray]:
    """Yield ``n`` uint8 frames, (rows, columns, 3) RGB or (rows, columns) grey."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:rows, 0:columns]
    apex_x, apex_y = columns / 2, rows * 0.12
    dist = np.hypot(xx - apex_x, yy - apex_y)
    angle = np.arctan2(xx - apex_x, yy - apex_y)
    sector = (dist < rows * 0.82) & (np.abs(angle) < 0.6) & (yy > apex_y)
    depth = np.clip(1 - dist / (rows * 0.9), 0.2, 1)
    tint = np.array([255, 230, 200])  # a warm grey map, as many scanners show
    for index in range(n):
        speckle = rng.rayleigh(0.35, (rows, columns)) * depth
        grey = np.where(sector, np.clip(speckle * 255, 0, 255), 0).astype(np.uint8)
        frame = (grey[..., None] * tint / 255).astype(np.uint8) if colour else grey
        white: int | tuple[int, ...] = (255, 255, 255) if colour else 255
        for text, (x, y, _w, _h) in text_boxes(rows, columns):
            label = f"F {index + 1:03d}" if text == "F 000" else text
            bitmapfont.draw_text(frame, label, x, y, SCALE, white)
        yield frame


def header(n: int, rows: int, columns: int, colour: bool, syntax: str) -> Dataset:
    """A US Multi-frame header with fictitious PHI and BurnedInAnnotation YES."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = US_MULTIFRAME
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid(
        entropy_srcs=["us-cine", syntax, str(n), str(colour)]
    )
    ds.file_meta.TransferSyntaxUID = syntax
    ds.SOPClassUID = US_MULTIFRAME
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=["us-cine-study"])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=["us-cine-series", syntax])
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "12345678"
    ds.PatientBirthDate = "19800131"
    ds.StudyDate = "20240301"
    ds.StudyTime = "102213"
    ds.Modality = "US"
    ds.Manufacturer = "SYNTHETIC"
    ds.ManufacturerModelName = "US CINE GENERATOR"
    ds.BurnedInAnnotation = "YES"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.SamplesPerPixel = 3 if colour else 1
    if colour:
        ds.PhotometricInterpretation = "YBR_FULL_422" if syntax == JPEGBaseline8Bit else "RGB"
        ds.PlanarConfiguration = 0
    else:
        ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = rows, columns
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.NumberOfFrames = n
    ds.FrameTime = 33.3
    if syntax == JPEGBaseline8Bit:
        ds.LossyImageCompression = "01"
    return ds


def write_cine(
    path: Path | str,
    syntax: str = "native",
    n: int = 50,
    rows: int = 600,
    columns: int = 800,
    colour: bool = True,
    seed: int = 0,
) -> Path:
    """Write a cine loop to ``path`` frame by frame; return the path."""
    uid = {"native": ExplicitVRLittleEndian, "rle": RLELossless, "jpeg": JPEGBaseline8Bit}[syntax]
    path = Path(path)
    with path.open("wb") as out:
        dcmwrite(out, header(n, rows, columns, colour, uid), enforce_file_format=True)
        if syntax == "native":
            size = n * rows * columns * (3 if colour else 1)
            out.write(struct.pack("<HH2sHL", 0x7FE0, 0x0010, b"OB", 0, size + (size & 1)))
            for frame in frames(n, rows, columns, colour, seed):
                out.write(frame.tobytes())
            if size & 1:
                out.write(b"\x00")
        else:
            out.write(struct.pack("<HH2sHLHHL", 0x7FE0, 0x0010, b"OB", 0, 0xFFFFFFFF, 0xFFFE, 0xE000, 0))
            for frame in frames(n, rows, columns, colour, seed):
                _item(out, _rle(frame) if syntax == "rle" else jpegbaseline.encode(frame, 90))
            out.write(struct.pack("<HHL", 0xFFFE, 0xE0DD, 0))
    return path


def _rle(frame: np.ndarray) -> bytes:
    from pydicom.pixels import get_encoder

    colour = frame.ndim == 3
    return get_encoder(RLELossless).encode(
        frame,
        rows=frame.shape[0],
        columns=frame.shape[1],
        samples_per_pixel=3 if colour else 1,
        bits_allocated=8,
        bits_stored=8,
        pixel_representation=0,
        photometric_interpretation="RGB" if colour else "MONOCHROME2",
        planar_configuration=0,
        number_of_frames=1,
    )


def _item(out: BinaryIO, data: bytes) -> None:
    pad = len(data) & 1
    out.write(struct.pack("<HHL", 0xFFFE, 0xE000, len(data) + pad) + data + b"\x00" * pad)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--syntax", choices=["native", "rle", "jpeg"], default="native")
    parser.add_argument("--frames", type=int, default=50)
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--columns", type=int, default=800)
    parser.add_argument("--mono", action="store_true", help="MONOCHROME2 instead of RGB")
    args = parser.parse_args()
    write_cine(args.out, args.syntax, args.frames, args.rows, args.columns, not args.mono)


if __name__ == "__main__":
    main()
