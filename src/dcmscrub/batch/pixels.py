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

from dcmscrub.deid.pixel_verdict import PixelVerdict, pixel_verdict, wants_detector
from dcmscrub.deid.profile import Profile
from dcmscrub.dicomio.pixels import PixelPlan, Rect, iter_frames, pixel_facts, plan_blanking
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
        """The writer's plan for ``verdict``'s rectangles (None: copy the pixel data as it is)."""
        if not verdict.regions or verdict.reason is not None:
            return None
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
