"""The worker's pixel step (Clean Pixel Data): the verdict for one input, then the writer's plan.

:meth:`PixelStep.verdict` runs the optional text detector (the ``[ocr]`` extra) on the frames of an
image the profile's detector should look at, then asks :func:`dcmscrub.deid.pixel_verdict.pixel_verdict`
(pure: rules, catalogue, the detector's boxes) which rectangles to blank or why the file is not
released. :meth:`PixelStep.plan` turns the rectangles into a :class:`~dcmscrub.dicomio.pixels.PixelPlan`
before anything is written, so that a file that cannot be cleaned fails closed with its reason.
A file with nothing to blank gets no plan: its pixel data is copied byte for byte.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from pydicom.dataset import Dataset

from dcmscrub.deid.pixel_verdict import PixelVerdict, pixel_verdict, wants_detector
from dcmscrub.deid.profile import Profile
from dcmscrub.dicomio.pixelbits import correct_unused_bits, embedded_overlay, has_unused_bits
from dcmscrub.dicomio.pixels import PixelPlan, PixelProblem, Rect, iter_frames, pixel_facts, plan_blanking
from dcmscrub.dicomio.read import Header
from dcmscrub.errors import ConfigError
from dcmscrub.outcomes import FileProblem, Reason

if TYPE_CHECKING:
    from dcmscrub.deid.textdetect import TextDetector


class PixelStep:
    """One worker's pixel step for one run (the detector is loaded on first use, once)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._detector: TextDetector | None = None
        self._no_detector = False  # the extra is not installed (``enabled: auto``)

    def verdict(self, header: Header, fh: BinaryIO) -> PixelVerdict:
        """The pixel verdict of ``header`` (the input as read, before de-identification)."""
        detected = None
        if wants_detector(header.ds, self.profile):
            detector = self._load_detector()
            if detector is not None:
                detected = self._detect(detector, header, fh)
        return pixel_verdict(header.ds, self.profile, detected)

    def plan(self, header: Header, fh: BinaryIO, verdict: PixelVerdict) -> PixelPlan | None:
        """The writer's plan for ``verdict``'s rectangles and the pixel data's unused high bits
        (dicomio.pixelbits); None: copy the pixel data as it is."""
        if verdict.reason is not None:
            return None
        if not verdict.regions:
            return unused_bits_plan(header, fh)
        if header.deflated:
            raise FileProblem(Reason.PIXELS_UNSUPPORTED_SYNTAX)  # read whole, never streamed
        if header.pixel_start is None:
            return None  # no pixel data: nothing to blank
        facts = pixel_facts(
            header.ds,
            fh,
            header.pixel_start,
            implicit_vr=header.implicit_vr,
            little_endian=header.little_endian,
        )
        rects = [Rect(r.x, r.y, r.width, r.height) for r in verdict.regions]
        plan = plan_blanking(facts, rects, fh)
        if plan is None:
            raise FileProblem(Reason.INTERNAL)  # the verdict's rectangles are inside the image
        return plan

    def _load_detector(self) -> TextDetector | None:
        if self._detector is None and not self._no_detector:
            from dcmscrub.deid.textdetect import OcrUnavailable, TextDetector

            try:
                self._detector = TextDetector(self.profile.pixels.detector.keep_text)
            except OcrUnavailable:
                if self.profile.pixels.detector.enabled == "on":
                    raise FileProblem(Reason.PIXELS_DETECTOR_FAILED) from None  # checked at the start
                self._no_detector = True
        return self._detector

    def _detect(
        self, detector: TextDetector, header: Header, fh: BinaryIO
    ) -> list[tuple[int, int, int, int]]:
        if header.deflated:
            raise FileProblem(Reason.PIXELS_UNSUPPORTED_SYNTAX)
        if header.pixel_start is None:
            return []  # no pixels: no text in them
        facts = pixel_facts(
            header.ds,
            fh,
            header.pixel_start,
            implicit_vr=header.implicit_vr,
            little_endian=header.little_endian,
        )
        try:
            boxes = detector.regions_in_frames(
                iter_frames(facts, fh), facts.number_of_frames, facts.bits_stored
            )
        except FileProblem:
            raise
        except Exception:
            raise FileProblem(Reason.PIXELS_DETECTOR_FAILED) from None
        return [(b.x, b.y, b.w, b.h) for b in boxes]


def check_detector(profile: Profile) -> None:
    """Before a run: a profile that requires the detector (``enabled: on``) needs the extra."""
    if profile.pixels.detector.enabled != "on":
        return
    from dcmscrub.deid.textdetect import EXTRA_MESSAGE, ocr_available

    if not ocr_available():
        raise ConfigError(
            f"profile {profile.name} requires the text detector (pixels_detector: enabled: on)",
            hint=EXTRA_MESSAGE,
        )


def unused_bits_plan(header: Header, fh: BinaryIO) -> PixelPlan | None:
    """A plan that only corrects the unused high bits of native pixel data (a retired overlay, or
    anything, may ride in them: dicomio.pixelbits), or None when there are none to correct.

    Compressed pixel data is passed on as it is, unless the object says an overlay lives in its
    pixel data: that cannot be removed without re-encoding, so the object is held back
    (``pixels_embedded_overlay``). A deflated object's pixel data, in memory, is corrected there.
    """
    ds = header.ds
    if header.pixel_start is None and not header.deflated:
        return None
    try:
        stored, allocated = int(ds.get("BitsStored") or 0), int(ds.get("BitsAllocated") or 0)
    except (TypeError, ValueError):
        stored = allocated = 0
    if 0 < stored < allocated:
        if header.deflated:
            _correct_in_memory(ds, stored, allocated)
            return None
        assert header.pixel_start is not None
        try:
            facts = pixel_facts(
                ds, fh, header.pixel_start, implicit_vr=header.implicit_vr, little_endian=header.little_endian
            )
        except PixelProblem:
            facts = None  # pixel data its attributes do not describe: copied as it is (as before)
        if facts is not None and has_unused_bits(facts):
            return PixelPlan(facts, (), None, facts.transfer_syntax)
    if embedded_overlay(ds):
        # its bits cannot be cleared in place: inside a codestream, or inside the stored bits
        # themselves (no bit is unused: the overlay is drawn into the pixel values)
        raise FileProblem(Reason.PIXELS_EMBEDDED_OVERLAY)
    return None


def _correct_in_memory(ds: Dataset, stored: int, allocated: int) -> None:
    syntax = ds.file_meta.get("TransferSyntaxUID") if getattr(ds, "file_meta", None) is not None else None
    data = ds.get("PixelData")
    if data is None or allocated not in (8, 16, 32) or (syntax is not None and syntax.is_encapsulated):
        if embedded_overlay(ds):
            raise FileProblem(Reason.PIXELS_EMBEDDED_OVERLAY)
        return
    buffer = bytearray(data)
    correct_unused_bits(
        buffer,
        bits_allocated=allocated,
        bits_stored=stored,
        signed=int(ds.get("PixelRepresentation") or 0) == 1,
        little_endian=True,  # the only deflated syntax is Deflated Explicit VR Little Endian
    )
    if buffer != data:
        ds.PixelData = bytes(buffer)
