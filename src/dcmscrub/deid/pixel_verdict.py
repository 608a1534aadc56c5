"""One object's pixel verdict: which rectangles to blank, or why it is not released.

Pure: the header as read (before de-identification: rules match the device's own values), the
profile's pixel rules and catalogue, and, when the worker ran the optional text detector, the boxes
it found. The result feeds the single release decision (:func:`dcmscrub.deid.burned_in.decide`): a
rule that matched, or the detector having looked, clears the object; the writer then blanks the
rectangles (:mod:`dcmscrub.dicomio.pixels`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydicom.dataset import Dataset

from dcmscrub.deid.burned_in import at_risk, decide
from dcmscrub.deid.pixels import NO_GEOMETRY, Rect, image_size, regions_for, union_of
from dcmscrub.outcomes import Reason

if TYPE_CHECKING:
    from dcmscrub.deid.profile import Profile


@dataclass(frozen=True)
class PixelVerdict:
    """``regions`` to blank in every frame (x, y, width, height; clipped, none inside another);
    ``reason`` when the object is not released; ``cleared_by`` (``rule``, ``detector``,
    ``rule+detector``) when something cleared its pixels, so the output may say it is cleaned;
    ``uncleared``: why the pixels are suspect when ``burned_in: allow`` released them uncleared
    (the output then says PatientIdentityRemoved NO)."""

    regions: tuple[Rect, ...] = ()
    reason: Reason | None = None
    cleared_by: str | None = None
    uncleared: Reason | None = None

    @property
    def cleaned(self) -> bool:
        """True when the pixels were cleared: BurnedInAnnotation NO and 113101 may be stamped."""
        return self.reason is None and self.cleared_by is not None


def wants_detector(ds: Dataset, profile: Profile) -> bool:
    """True if the profile's detector is enabled and ``ds`` is an image it should look at: one the
    release decision would otherwise hold back, or one its ``also`` names."""
    settings = profile.pixels.detector
    if settings.enabled == "off":
        return False
    return at_risk(ds) or settings.named(ds)


def pixel_verdict(
    ds: Dataset, profile: Profile, detected: Sequence[Sequence[int]] | None = None
) -> PixelVerdict:
    """The verdict for ``ds``. ``detected``: the detector's boxes (x, y, w, h) when it ran on this
    object (an empty list: it looked and found nothing), None when it did not run."""
    match = regions_for(ds, profile.pixels.all_rules)
    if match.problem is not None:
        reason = (
            Reason.PIXEL_RULE_NO_GEOMETRY if match.problem == NO_GEOMETRY else Reason.PIXEL_RULE_OUTSIDE_IMAGE
        )
        return PixelVerdict(reason=reason)
    regions = list(match.regions)
    by = ["rule"] if match.rules else []
    if detected is not None:
        found = [Rect(*(int(v) for v in box)) for box in detected]
        if found:
            size = image_size(ds)
            if size is None:
                return PixelVerdict(reason=Reason.PIXEL_RULE_NO_GEOMETRY)
            rows, columns = size
            regions += [cut for r in found if (cut := r.clip(rows, columns)) is not None]
        by.append("detector")
    cleared_by = "+".join(by) or None
    decision = decide(ds, profile.burned_in, cleared_by=cleared_by)
    if not decision.released:
        return PixelVerdict(reason=decision.reason)
    return PixelVerdict(union_of(regions), None, cleared_by, decision.reason)
