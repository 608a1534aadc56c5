"""Optional automatic detection of burned-in text: which regions of a frame to blank.

Built on rapidocr-onnxruntime (the ``[ocr]`` extra): PP-OCRv4 text detection and recognition
models run by ONNX Runtime on the CPU; the models ship inside that wheel and nothing is
downloaded at run time. Without the extra, :class:`TextDetector` raises
:class:`OcrUnavailable` (reason code ``ocr_not_installed``) whose message says what the extra
would add; rectangle rules from profiles work without it.

Every detected box is blanked whatever its recognition score: recognition only decides
whether a box may *stay*, when its whole text (spaces removed, case ignored) is one of the
profile's ``keep_text`` entries (scale marks: "cm", "Hz", "dB") read with at least
``keep_score`` confidence. A box read wrongly is therefore blanked, never kept.

Multi-frame objects: :meth:`TextDetector.regions_in_frames` detects in every frame by default
and returns the union of the boxes (merged where they overlap), which the pixel writer then
blanks in every frame. ``sample=N`` detects in N evenly spaced frames only (first and last
included): N times faster on long loops, but text that appears only in frames not sampled, at
a place no sampled frame has text, is missed (a caption added on freeze, a moving label).

This module reads no file itself and has no clock; ONNX Runtime loads the model files from
the installed package when a detector is built (once per worker).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

REASON = "ocr_not_installed"
EXTRA_MESSAGE = (
    "automatic burned-in text detection needs the [ocr] extra; with it, text boxes found in the"
    " pixels are blanked (hint: pip install 'dcmscrub[ocr]', or add a pixels rule with rectangles)"
)


class Rect(NamedTuple):
    """A box in pixels: left column ``x``, top row ``y``, width ``w``, height ``h`` (the same
    shape as dicomio's pixel writer takes; defined here so that deid needs nothing of dicomio)."""

    x: int
    y: int
    w: int
    h: int


class OcrUnavailable(Exception):
    """The ``[ocr]`` extra is not installed (or its runtime cannot load)."""

    code = REASON

    def __init__(self) -> None:
        super().__init__(EXTRA_MESSAGE)


def ocr_available() -> bool:
    """True if the ``[ocr]`` extra can be imported."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:
        return False
    return True


class TextDetector:
    """Text boxes in frames, minus allow-listed text. Build one per process (model loading
    takes ~0.2 s and ~100 MB)."""

    def __init__(
        self,
        keep_text: Iterable[str] = (),
        *,
        margin: int = 3,
        keep_score: float = 0.9,
        box_threshold: float = 0.4,
        threads: int = 1,
    ) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except Exception:
            raise OcrUnavailable() from None
        self.keep = frozenset(_normal(t) for t in keep_text)
        self._keep_aspect = max((len(t) for t in self.keep), default=0) + 2
        self.margin = margin
        self.keep_score = keep_score
        self.box_threshold = box_threshold
        # one ONNX Runtime thread by default: the batch runs one worker per core already
        self._engine: Any = RapidOCR(
            intra_op_num_threads=threads, inter_op_num_threads=1, det_box_thresh=box_threshold
        )

    def detect(self, frame: np.ndarray, pi: str = "RGB", bits_stored: int = 8) -> list[Rect]:
        """Every text box in ``frame`` (stored samples as the pixel reader yields them), as
        axis-aligned rectangles grown by ``margin`` and cut to the frame."""
        image = to_bgr8(frame, pi, bits_stored)
        boxes, _ = self._engine(
            image, use_det=True, use_cls=False, use_rec=False, box_thresh=self.box_threshold
        )
        rows, cols = image.shape[:2]
        return [_rect(quad, self.margin, rows, cols) for quad in boxes or []]

    def recognise(
        self, frame: np.ndarray, rect: Rect, pi: str = "RGB", bits_stored: int = 8
    ) -> tuple[str, float]:
        """The text read in ``rect`` of ``frame`` and its confidence (0 when nothing is read)."""
        x, y, w, h = rect
        crop = np.ascontiguousarray(to_bgr8(frame, pi, bits_stored)[y : y + h, x : x + w])
        result, _ = self._engine(crop, use_det=False, use_cls=False, use_rec=True)
        if not result:
            return "", 0.0
        text, score = result[0][0], result[0][1]
        return str(text), float(score)

    def regions(self, frame: np.ndarray, pi: str = "RGB", bits_stored: int = 8) -> list[Rect]:
        """The boxes to blank in ``frame``: every detected box except allow-listed text."""
        boxes = self.detect(frame, pi, bits_stored)
        if not self.keep:
            return boxes
        # a box much wider than the longest allow-listed text holds more than it: not read
        candidates = [r for r in boxes if r.w <= r.h * self._keep_aspect]
        if not candidates:
            return boxes
        image = to_bgr8(frame, pi, bits_stored)
        crops = [np.ascontiguousarray(image[y : y + h, x : x + w]) for x, y, w, h in candidates]
        readings, _ = self._engine.text_rec(crops)  # one batched recognition for the frame
        kept = {
            rect
            for rect, (text, score) in zip(candidates, readings, strict=True)
            if float(score) >= self.keep_score and _normal(str(text)) in self.keep
        }
        return [r for r in boxes if r not in kept]

    def regions_in_frames(
        self,
        frames: Iterable[tuple[np.ndarray, str]],
        number_of_frames: int,
        bits_stored: int = 8,
        *,
        sample: int | None = None,
    ) -> list[Rect]:
        """The union (overlaps merged) of :meth:`regions` over the frames of one object;
        every frame, or ``sample`` evenly spaced ones."""
        chosen = sample_indices(number_of_frames, sample)
        found: list[Rect] = []
        last = max(chosen)
        for index, (frame, pi) in enumerate(frames):
            if index in chosen:
                found += self.regions(frame, pi, bits_stored)
            if index >= last:
                break  # frames after the last sampled one are not decoded
        return merge_rects(found)


def sample_indices(number_of_frames: int, sample: int | None) -> frozenset[int]:
    """Every frame index, or ``sample`` evenly spaced ones including the first and the last."""
    if sample is None or sample >= number_of_frames:
        return frozenset(range(number_of_frames))
    if sample <= 1:
        return frozenset({0})
    step = (number_of_frames - 1) / (sample - 1)
    return frozenset(round(i * step) for i in range(sample))


def merge_rects(rects: Iterable[Rect]) -> list[Rect]:
    """Rectangles that overlap or touch replaced by their bounding box, until none do."""
    boxes = [list(r) for r in rects]
    merged = True
    while merged:
        merged = False
        out: list[list[int]] = []
        for b in boxes:
            for o in out:
                if (
                    b[0] <= o[0] + o[2]
                    and o[0] <= b[0] + b[2]
                    and b[1] <= o[1] + o[3]
                    and o[1] <= b[1] + b[3]
                ):
                    x0, y0 = min(b[0], o[0]), min(b[1], o[1])
                    x1, y1 = max(b[0] + b[2], o[0] + o[2]), max(b[1] + b[3], o[1] + o[3])
                    o[:] = [x0, y0, x1 - x0, y1 - y0]
                    merged = True
                    break
            else:
                out.append(b)
        boxes = out
    return sorted(Rect(*b) for b in boxes)


def to_bgr8(frame: np.ndarray, pi: str, bits_stored: int) -> np.ndarray:
    """An 8-bit BGR picture of a frame of stored samples, as the detector models expect."""
    image = frame
    if pi in ("YBR_FULL", "YBR_FULL_422") and image.ndim == 3:
        from pydicom.pixels.processing import convert_color_space

        image = convert_color_space(image.astype(np.uint8) if bits_stored <= 8 else image, "YBR_FULL", "RGB")
    if image.dtype != np.uint8 or bits_stored > 8:
        low, high = float(image.min()), float(image.max())
        scaled = (image.astype(np.float32) - low) * (255.0 / max(high - low, 1.0))
        image = scaled.astype(np.uint8)
    if pi == "MONOCHROME1":
        image = 255 - image
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    return np.ascontiguousarray(image[..., ::-1])


def _rect(quad: Any, margin: int, rows: int, cols: int) -> Rect:
    points = np.asarray(quad, dtype=np.float64)
    x0 = max(int(np.floor(points[:, 0].min())) - margin, 0)
    y0 = max(int(np.floor(points[:, 1].min())) - margin, 0)
    x1 = min(int(np.ceil(points[:, 0].max())) + margin, cols)
    y1 = min(int(np.ceil(points[:, 1].max())) + margin, rows)
    return Rect(x0, y0, max(x1 - x0, 1), max(y1 - y0, 1))


def _normal(text: str) -> str:
    return "".join(text.split()).casefold()
