"""The one release decision for pixel data (deid.burned_in) and the pixel verdict it feeds
(deid.pixel_verdict): fail closed unless a rule or the detector cleared the pixels."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from pydicom.dataset import Dataset

from dcmscrub.deid.burned_in import at_risk, burned_in_claim, decide, pixel_suspect
from dcmscrub.deid.pixel_verdict import pixel_verdict, wants_detector
from dcmscrub.deid.pixels import Rect
from dcmscrub.deid.profile_load import ProfileSource, resolve_profile
from dcmscrub.outcomes import Reason

US = "1.2.840.10008.5.1.4.1.1.6.1"
CT = "1.2.840.10008.5.1.4.1.1.2"


def ds(**attrs: Any) -> Dataset:
    d = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lower-case CS values on purpose
        for key, value in {"SOPClassUID": CT, "Modality": "CT", "Rows": 100, "Columns": 200, **attrs}.items():
            if value is not None:
                setattr(d, key, value)
    return d


def profile(text: str = "") -> Any:
    raw = f"version: 1\nname: p\n{text}".encode()
    return resolve_profile(
        "p.yaml", lambda ref, _f: ProfileSource(ref, raw, None) if ref == "p.yaml" else None, str
    )


@pytest.mark.parametrize(
    ("value", "claim"),
    [
        (None, None),
        ("NO", "no"),
        ("NO ", "no"),
        ("YES", "yes"),
        ("NO\\YES", "yes"),  # two values: not clearly NO
        ("Y", "yes"),
        ("no", "yes"),  # CS is upper case: a lower-case value is not the defined term
        ("", "yes"),  # present and empty
        ("UNKNOWN", "yes"),
    ],
)
def test_only_a_clear_no_is_no(value: str | None, claim: str | None) -> None:
    d = ds(BurnedInAnnotation=value)
    assert burned_in_claim(d) == claim


@pytest.mark.parametrize(
    ("attrs", "suspect"),
    [
        ({}, None),
        ({"SOPClassUID": US}, "SOP class"),
        ({"Modality": "US"}, "modality"),
        ({"Modality": "xa"}, "modality"),
        ({"Modality": "OT"}, "modality"),
        ({"ImageType": ["DERIVED", "SECONDARY", "SCREEN SAVE"]}, "image type"),
        ({"ConversionType": "WSD"}, "conversion type"),
        ({"Modality": "MR", "ImageType": ["ORIGINAL", "PRIMARY"]}, None),
    ],
)
def test_kinds_whose_pixels_show_text_are_suspect(attrs: dict[str, Any], suspect: str | None) -> None:
    assert pixel_suspect(ds(**attrs)) == suspect


def test_the_decision_fails_closed_unless_cleared() -> None:
    assert decide(ds(), "quarantine").released
    assert decide(ds(BurnedInAnnotation="NO"), "quarantine").released
    held = decide(ds(BurnedInAnnotation="YES"), "quarantine")
    assert not held.released and held.reason == Reason.BURNED_IN_ANNOTATION
    us = decide(ds(Modality="US", BurnedInAnnotation="NO"), "quarantine")  # NO is not believed
    assert not us.released and us.reason == Reason.PIXELS_NOT_CLEARED
    cleared = decide(ds(Modality="US", BurnedInAnnotation="YES"), "quarantine", cleared_by="rule")
    assert cleared.released and cleared.reason is None and cleared.cleared_by == "rule"
    allowed = decide(ds(Modality="US"), "allow")
    assert allowed.released and allowed.reason == Reason.PIXELS_NOT_CLEARED  # the reason stays said
    assert at_risk(ds(Modality="US")) and at_risk(ds(BurnedInAnnotation="YES")) and not at_risk(ds())


RULE = "pixels:\n  - {match: {Modality: US}, blank: [[0, 0, 200, 10], [0, 0, 50, 5]]}\n"


def test_a_matching_rule_clears_and_its_rectangles_are_the_regions() -> None:
    verdict = pixel_verdict(ds(Modality="US", BurnedInAnnotation="YES"), profile(RULE))
    assert verdict.cleaned and verdict.cleared_by == "rule"
    assert verdict.regions == (Rect(0, 0, 200, 10),)  # the inner rectangle adds nothing
    held = pixel_verdict(ds(Modality="XA"), profile(RULE))
    assert held.reason == Reason.PIXELS_NOT_CLEARED and held.regions == ()
    plain = pixel_verdict(ds(), profile(RULE))
    assert plain.reason is None and not plain.cleaned and plain.regions == ()


def test_the_detectors_boxes_join_the_rules_and_are_clipped() -> None:
    d = ds(Modality="US", BurnedInAnnotation="YES")
    verdict = pixel_verdict(d, profile(RULE), [(190, 90, 50, 50), (0, 2, 10, 2)])
    assert verdict.cleared_by == "rule+detector"
    assert verdict.regions == (Rect(0, 0, 200, 10), Rect(190, 90, 10, 10))
    looked = pixel_verdict(ds(Modality="US"), profile(), [])  # looked, found nothing
    assert looked.cleaned and looked.cleared_by == "detector" and looked.regions == ()


def test_rules_that_cannot_be_applied_fail_closed() -> None:
    no_size = pixel_verdict(ds(Modality="US", Rows=None), profile(RULE))
    assert no_size.reason == Reason.PIXEL_RULE_NO_GEOMETRY
    outside = "pixels:\n  - {match: {Modality: US}, blank: [[300, 0, 10, 10]]}\n"
    assert pixel_verdict(ds(Modality="US"), profile(outside)).reason == Reason.PIXEL_RULE_OUTSIDE_IMAGE
    assert pixel_verdict(ds(Modality="US", Rows=None), profile(), [(0, 0, 5, 5)]).reason == (
        Reason.PIXEL_RULE_NO_GEOMETRY
    )


def test_the_detector_looks_at_what_would_be_held_back_and_what_also_names() -> None:
    auto = profile("pixels_detector: {enabled: auto, also: [{Manufacturer: ACME*}]}\n")
    assert wants_detector(ds(Modality="US", BurnedInAnnotation="NO"), auto)
    assert wants_detector(ds(BurnedInAnnotation="YES"), auto)
    assert wants_detector(ds(Manufacturer="Acme Imaging"), auto)
    assert not wants_detector(ds(), auto)
    assert not wants_detector(ds(Modality="US"), profile())  # off by default


def test_deidentify_alone_never_claims_pixels_it_did_not_blank() -> None:
    from dcmscrub.deid.engine import deidentify
    from dcmscrub.deid.pseudonym import Pseudonymizer

    d = ds(Modality="US", BurnedInAnnotation="YES", SOPInstanceUID="1.2.3", PatientID="X")
    rules = profile(RULE)
    report = deidentify(d, rules, Pseudonymizer(bytes(32), "t"))  # no verdict: nobody blanks
    assert report.quarantine == Reason.PIXELS_NOT_CLEARED and d.BurnedInAnnotation == "YES"
    verdict = pixel_verdict(d, rules)
    report = deidentify(d, rules, Pseudonymizer(bytes(32), "t"), verdict)  # the worker's way
    assert report.quarantine is None and report.pixels.regions == (Rect(0, 0, 200, 10),)
    assert d.BurnedInAnnotation == "NO"
    codes = [i.CodeValue for i in d.DeidentificationMethodCodeSequence]
    assert codes == ["113100", "113101"]
