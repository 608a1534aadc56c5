"""Pixel rules: the matching language, the decision for one dataset (union, clipping, fail-closed
codes), validation of the profile sections with file:line, the detector settings and the catalogue."""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydicom.dataset import Dataset, FileMetaDataset

from dcmscrub.deid.pixels import (
    NO_GEOMETRY,
    RULE_OUTSIDE_IMAGE,
    Condition,
    DetectorSettings,
    PixelRule,
    Rect,
    regions_for,
)
from dcmscrub.deid.pixels_catalogue import parse_catalogue
from dcmscrub.deid.pixels_import import glob_escape
from dcmscrub.deid.pixels_parse import parse_pixel_rules
from dcmscrub.deid.pixels_settings import parse_catalogue_choice, parse_detector
from dcmscrub.errors import ProfileError, ProfileProblem
from dcmscrub.profiles import load_builtin_catalogue

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
CATALOGUE = REPO / "src" / "dcmscrub" / "profiles" / "data" / "pixel-catalogue.yaml"


# -- helpers --------------------------------------------------------------------------------


def section(text: str, key: str) -> yaml.Node:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.MappingNode)
    return next(v for k, v in root.value if k.value == key)


def parse(text: str) -> tuple[tuple[PixelRule, ...], list[ProfileProblem]]:
    problems: list[ProfileProblem] = []
    rules = parse_pixel_rules(section(text, "pixels"), "p.yaml", problems)
    return rules, problems


def problems_of(text: str) -> list[tuple[int | None, str, str | None]]:
    rules, problems = parse(text)
    assert problems, "expected problems"
    assert not rules or len(rules) < text.count("- match")
    return [(p.line, p.message, p.hint) for p in problems]


def rule(match: str, blank: str = "[[0, 0, 10, 10]]") -> PixelRule:
    rules, problems = parse(f"pixels:\n  - match: {match}\n    blank: {blank}\n")
    assert problems == []
    assert len(rules) == 1
    return rules[0]


def ds(**attrs: Any) -> Dataset:
    d = Dataset()
    for key, value in attrs.items():
        setattr(d, key, value)
    return d


def image(rows: int = 600, columns: int = 800, **attrs: Any) -> Dataset:
    return ds(Rows=rows, Columns=columns, **attrs)


# -- matching: text -----------------------------------------------------------------------


def test_a_text_condition_is_a_glob_over_the_whole_value() -> None:
    r = rule('{Manufacturer: "GE*"}')
    assert r.matches(ds(Manufacturer="GE MEDICAL SYSTEMS"))
    assert not r.matches(ds(Manufacturer="OGE MEDICAL"))  # anchored at the start
    exact = rule('{ManufacturerModelName: "LOGIQ E9"}')
    assert exact.matches(ds(ManufacturerModelName="LOGIQ E9"))
    assert not exact.matches(ds(ManufacturerModelName="LOGIQ E9 XDclear"))  # and at the end
    assert rule('{ManufacturerModelName: "*LOGIQ*"}').matches(ds(ManufacturerModelName="x LOGIQ E9"))
    assert rule('{ManufacturerModelName: "LOGIQ?E9"}').matches(ds(ManufacturerModelName="LOGIQ_E9"))


def test_text_is_compared_in_any_case_and_without_padding() -> None:
    assert rule('{Manufacturer: "ge*"}').matches(ds(Manufacturer="GE Healthcare"))
    assert rule('{ManufacturerModelName: "LOGIQ e9"}').matches(ds(ManufacturerModelName="logiq E9"))
    assert rule("{Modality: US}").matches(ds(Modality="US "))
    assert not rule("{Modality: US}").matches(ds(Modality="USX"))


def test_a_positive_condition_never_holds_on_an_absent_element() -> None:
    assert not rule('{Manufacturer: "*"}').matches(ds(Modality="US"))


def test_an_empty_string_matches_a_present_empty_value_only() -> None:
    r = rule('{Manufacturer: ""}')
    assert r.matches(ds(Manufacturer=""))
    assert not r.matches(ds())
    assert not r.matches(ds(Manufacturer="GE"))


def test_undecoded_bytes_never_match_text() -> None:
    d = Dataset()
    d.add_new(0x00080070, "UN", b"GE MEDICAL")
    assert not rule('{Manufacturer: "*"}').matches(d)


# -- matching: numbers, multi-valued, lists, not, present -----------------------------------


def test_numbers_match_exactly() -> None:
    r = rule("{Rows: 600}")
    assert r.matches(ds(Rows=600))
    assert not r.matches(ds(Rows=601))
    assert not r.matches(ds())
    ww = rule("{WindowWidth: 1}")  # DS: compared as numbers, "1.0" is 1
    assert ww.matches(ds(WindowWidth="1.0"))
    assert not ww.matches(ds(WindowWidth="1.5"))
    assert rule("{WindowWidth: 1.5}").matches(ds(WindowWidth="1.50"))


def test_a_multi_valued_attribute_matches_when_any_value_matches() -> None:
    r = rule("{ImageType: SECONDARY}")
    assert r.matches(ds(ImageType=["DERIVED", "SECONDARY"]))
    assert not r.matches(ds(ImageType=["ORIGINAL", "PRIMARY"]))
    assert not r.matches(ds(ImageType=["DERIVED", "SECONDARYX"]))
    assert rule('{ImageType: "*screen*"}').matches(ds(ImageType=["DERIVED", "SECONDARY", "SCREEN SAVE"]))
    assert rule("{WindowWidth: 400}").matches(ds(WindowWidth=["1500", "400"]))


def test_a_list_is_any_of_its_alternatives() -> None:
    r = rule("{Modality: [US, OT], Rows: [600, 768]}")
    assert r.matches(ds(Modality="OT", Rows=768))
    assert r.matches(ds(Modality="US", Rows=600))
    assert not r.matches(ds(Modality="CT", Rows=600))
    assert not r.matches(ds(Modality="US", Rows=601))


def test_not_holds_when_no_value_matches_and_on_an_absent_element() -> None:
    r = rule('{SeriesDescription: {not: ["*DOSE*", "*REPORT*"]}}')
    assert r.matches(ds(SeriesDescription="Abdomen"))
    assert r.matches(ds())
    assert not r.matches(ds(SeriesDescription="dose info"))
    assert not r.matches(ds(SeriesDescription="Report"))
    multi = rule("{ImageType: {not: SECONDARY}}")
    assert not multi.matches(ds(ImageType=["DERIVED", "SECONDARY"]))
    assert multi.matches(ds(ImageType=["ORIGINAL", "PRIMARY"]))


def test_present_tests_presence_whatever_the_value() -> None:
    present, absent = (
        rule("{BurnedInAnnotation: {present: true}}"),
        rule("{BurnedInAnnotation: {present: false}}"),
    )
    for d, has in ((ds(BurnedInAnnotation="YES"), True), (ds(BurnedInAnnotation=""), True), (ds(), False)):
        assert present.matches(d) is has
        assert absent.matches(d) is not has


def test_all_conditions_of_a_rule_must_hold() -> None:
    r = rule('{Modality: US, Manufacturer: "GE*", Rows: 600, Columns: 800}', "[[0, 0, 800, 60]]")
    assert r.matches(ds(Modality="US", Manufacturer="GE", Rows=600, Columns=800))
    assert not r.matches(ds(Modality="US", Manufacturer="GE", Rows=600, Columns=1024))
    assert not r.matches(ds(Modality="US", Manufacturer="Philips", Rows=600, Columns=800))


def test_group_0002_attributes_are_read_from_the_file_meta() -> None:
    r = rule('{ImplementationVersionName: "*MINDRAY*"}')
    d = ds(Modality="US")
    assert not r.matches(d)  # no file meta at all
    d.file_meta = FileMetaDataset()
    d.file_meta.ImplementationVersionName = "MINDRAY_1.0"
    assert r.matches(d)


def test_a_repeating_group_element_is_matched_by_its_tag() -> None:
    r = rule('{"(6000,0022)": "*MedCom Object Graphics*"}')
    d = Dataset()
    d.add_new(0x60000022, "LO", "Siemens MedCom Object Graphics")
    assert r.matches(d)
    other = Dataset()
    other.add_new(0x60020022, "LO", "Siemens MedCom Object Graphics")  # another overlay group
    assert not r.matches(other)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="\\"), min_size=1, max_size=12
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="\\"), max_size=12),
)
def test_an_escaped_literal_matches_itself_and_only_itself_in_any_case(literal: str, other: str) -> None:
    literal = literal.strip() or "x"
    cond = Condition("Manufacturer", 0x00080070, "any", (glob_escape(literal),))
    assert cond.holds(ds(Manufacturer=literal.swapcase()))
    assert cond.holds(ds(Manufacturer=other)) is (other.strip().casefold() == literal.casefold())
    contains = Condition("Manufacturer", 0x00080070, "any", ("*" + glob_escape(literal) + "*",))
    assert contains.holds(ds(Manufacturer=f"{other}{literal.upper()}{other}".strip() or literal))


# -- the decision for one dataset -----------------------------------------------------------


def test_regions_are_the_union_of_every_matching_rule() -> None:
    general = rule('{Manufacturer: "GE*"}', "[[0, 0, 512, 25]]")
    specific = rule('{Manufacturer: "GE*", SeriesDescription: "*AVA*"}', "[[0, 0, 200, 250]]")
    other = rule('{Manufacturer: "Philips*"}', "[[0, 0, 5, 5]]")
    decision = regions_for(
        image(512, 512, Manufacturer="GE", SeriesDescription="AVA Report"), [general, specific, other]
    )
    assert decision.rules == (general, specific)
    assert decision.regions == (Rect(0, 0, 512, 25), Rect(0, 0, 200, 250))
    assert decision.blanks and decision.problem is None


def test_no_matching_rule_means_nothing_to_blank() -> None:
    decision = regions_for(image(Manufacturer="Philips"), [rule('{Manufacturer: "GE*"}')])
    assert decision.rules == () and decision.regions == () and not decision.blanks


def test_rectangles_are_clipped_to_the_image_and_counted() -> None:
    r = rule("{Modality: US}", "[[700, 0, 200, 50], [0, 590, 50, 50], [900, 0, 10, 10], [0, 0, 10, 10]]")
    decision = regions_for(image(600, 800, Modality="US"), [r])
    assert decision.regions == (Rect(700, 0, 100, 50), Rect(0, 590, 50, 10), Rect(0, 0, 10, 10))
    assert (decision.clipped, decision.outside) == (2, 1)
    assert decision.problem is None


def test_a_rule_whose_rectangles_all_lie_outside_the_image_fails_closed() -> None:
    r = rule("{Modality: US}", "[[900, 0, 10, 10]]")
    decision = regions_for(image(600, 800, Modality="US"), [r])
    assert decision.problem == RULE_OUTSIDE_IMAGE
    assert not decision.blanks


@pytest.mark.parametrize(
    "attrs", [{}, {"Rows": 600}, {"Rows": 0, "Columns": 800}, {"Rows": 600, "Columns": [800, 2]}]
)
def test_a_match_without_a_usable_image_size_fails_closed(attrs: dict[str, Any]) -> None:
    decision = regions_for(ds(Modality="US", **attrs), [rule("{Modality: US}")])
    assert decision.problem == NO_GEOMETRY
    assert not decision.blanks


def test_duplicates_and_rectangles_inside_another_are_dropped() -> None:
    a = rule("{Modality: US}", "[[0, 0, 100, 50], [10, 10, 5, 5]]")
    b = rule("{Modality: US}", "[[0, 0, 100, 50], [200, 0, 10, 10]]")
    decision = regions_for(image(Modality="US"), [a, b])
    assert decision.regions == (Rect(0, 0, 100, 50), Rect(200, 0, 10, 10))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 12),
    st.lists(
        st.tuples(st.integers(0, 15), st.integers(0, 15), st.integers(1, 8), st.integers(1, 8)),
        min_size=1,
        max_size=6,
    ),
)
def test_the_regions_cover_exactly_the_clipped_rectangles(
    rows: int, cols: int, boxes: list[tuple[int, ...]]
) -> None:
    rects = tuple(Rect(*b) for b in boxes)
    r = PixelRule((Condition("Modality", 0x00080060, "any", ("US",)),), rects, "test", "profile")
    decision = regions_for(image(rows, cols, Modality="US"), [r])

    def cover(rs: tuple[Rect, ...]) -> set[tuple[int, int]]:
        return {(x, y) for q in rs for x in range(q.x, q.right) for y in range(q.y, q.bottom)}

    inside = {(x, y) for x, y in cover(rects) if x < cols and y < rows}
    assert cover(decision.regions) == inside
    assert all(q.right <= cols and q.bottom <= rows for q in decision.regions)
    assert decision.outside == sum(1 for q in rects if q.clip(rows, cols) is None)
    assert (decision.problem == RULE_OUTSIDE_IMAGE) is (not inside)


# -- validation: every problem with its line --------------------------------------------------


def test_every_problem_in_a_section_is_reported_with_its_line() -> None:
    text = """\
pixels:
  - match: {Manfacturer: "GE*", Rows: 600}
    blank: [[0, 0, 800, 60]]
  - match: {Modality: US}
    blnak: [[0, 0, 1, 1]]
  - match: {Modality: US}
    blank: [0, 0, 800, 60]
  - match: {ManufacturerModelName: 6100, BurnedInAnnotation: YES, Columns: "800"}
    blank: [[0, 0, 800, 60]]
"""
    found = problems_of(text)
    assert (2, "unknown attribute 'Manfacturer'", "did you mean 'Manufacturer'?") in found
    assert (5, "unknown pixels rule key 'blnak'", "did you mean 'blank'?") in found
    assert (4, "pixels rule without 'blank'", "add: blank: [[x, y, width, height]]") in found
    assert (
        7,
        "blank is a list of rectangles, not one rectangle",
        "write blank: [[x, y, width, height]]",
    ) in found
    assert (8, "ManufacturerModelName is text, but the value is a number", 'quote it: "6100"') in found
    assert (
        8,
        "BurnedInAnnotation needs text, but YAML reads the value as true/false",
        'quote it: "YES"',
    ) in found
    assert (
        8,
        "Columns is a number: write it without quotes",
        "numbers match exactly, e.g. Rows: 600",
    ) in found
    assert len(found) == 7


@pytest.mark.parametrize(
    ("blank", "message"),
    [
        ("[]", "blank must be a non-empty list of rectangles"),
        ("[[0, 0, 800]]", "a rectangle is [x, y, width, height]: 4 whole numbers of pixels"),
        ("[[0, 0, 8.5, 6]]", "a rectangle is [x, y, width, height]: 4 whole numbers of pixels"),
        ("[[0, 0, true, 6]]", "a rectangle is [x, y, width, height]: 4 whole numbers of pixels"),
        ("[[-1, 0, 8, 6]]", "rectangle [-1, 0, 8, 6]: x and y cannot be negative"),
        ("[[0, 0, 0, 6]]", "rectangle [0, 0, 0, 6]: width and height must be at least 1"),
        ("[[65000, 0, 600, 6]]", "rectangle [65000, 0, 600, 6] reaches past 65535, the largest image size"),
        ("{x: 1}", "blank must be a non-empty list of rectangles"),
    ],
)
def test_bad_rectangles_are_reported(blank: str, message: str) -> None:
    found = problems_of(f"pixels:\n  - match: {{Modality: US}}\n    blank: {blank}\n")
    assert [(line, msg) for line, msg, _ in found] == [(3, message)]


def test_a_rectangle_outside_the_image_size_a_profile_rule_names_is_a_problem() -> None:
    text = """\
pixels:
  - match: {Modality: US, Rows: 600, Columns: 800}
    blank:
      - [0, 0, 800, 60]
      - [0, 0, 1024, 60]
      - [0, 580, 10, 21]
  - match: {Modality: US, Rows: [600, 768]}
    blank: [[0, 700, 10, 68], [0, 700, 10, 69]]
"""
    found = problems_of(text)
    assert [(line, msg) for line, msg, _ in found] == [
        (5, "rectangle [0, 0, 1024, 60] ends at column 1024, outside the image (Columns: 800)"),
        (6, "rectangle [0, 580, 10, 21] ends at row 601, outside the image (Rows: 600)"),
        (8, "rectangle [0, 700, 10, 69] ends at row 769, outside the image (Rows: 768)"),
    ]
    assert found[0][2] == "x + width must be at most Columns"


def test_catalogue_rules_are_not_held_to_the_image_size_they_name() -> None:
    problems: list[ProfileProblem] = []
    node = section(
        "rules:\n  - {id: a, match: {Rows: 600}, blank: [[0, 590, 5, 20]], source: CTP line 1}\n", "rules"
    )
    rules = parse_pixel_rules(node, "cat.yaml", problems, "catalogue")
    assert problems == [] and len(rules) == 1
    assert rules[0].origin == "catalogue" and rules[0].rule_id == "a" and rules[0].source == "CTP line 1"


@pytest.mark.parametrize(
    ("match", "message", "hint"),
    [
        ("{}", "match needs at least one condition", "an empty match would blank every image"),
        ('{"(0008,0070)": GE}', "write the keyword Manufacturer, not the tag (0008,0070)", None),
        (
            '{"(0019,1010)": GE}',
            "private attribute (0019,1010) cannot be matched",
            "match on public attributes",
        ),
        (
            "{ReferencedImageSequence: x}",
            "ReferencedImageSequence (VR SQ) cannot be matched",
            "match text or number attributes",
        ),
        (
            "{OverlayDescription: x}",
            "unknown attribute 'OverlayDescription'",
            "repeating-group attributes are matched by tag, e.g. (6000,0022)",
        ),
        ("{Modality: []}", "Modality: an empty list matches nothing", "give at least one value"),
        (
            "{Modality: }",
            "Modality is text, but the value is empty or a list inside a list",
            'quote it: "..."',
        ),
        (
            "{Rows: [600, big]}",
            "Rows is a number: write it without quotes",
            "numbers match exactly, e.g. Rows: 600",
        ),
        (
            "{Modality: {nott: US}}",
            "Modality: a condition mapping has one key, 'not' or 'present'",
            "e.g. {not: SECONDARY}",
        ),
        ("{Modality: {present: maybe}}", "Modality: present must be true or false", None),
        ("{Modality: US, Modality: OT}", "match: duplicate key 'Modality'", None),
    ],
)
def test_bad_conditions_are_reported_with_their_hint(match: str, message: str, hint: str | None) -> None:
    found = problems_of(f"pixels:\n  - match: {match}\n    blank: [[0, 0, 1, 1]]\n")
    assert (2, message, hint) in found


def test_the_section_and_its_rules_must_have_the_right_shape() -> None:
    assert problems_of("pixels: {match: x}\n")[0][:2] == (
        1,
        "pixels must be a list of {match: ..., blank: [[x, y, width, height]]}",
    )
    assert problems_of("pixels:\n  - [Modality, US]\n")[0][:2] == (
        2,
        "a pixels rule must be a mapping like {match: {...}, blank: [[0, 0, 800, 60]]}",
    )
    rules, problems = parse("pixels: []\n")
    assert rules == () and problems == []


def test_a_note_is_kept_and_the_source_names_the_file_and_line() -> None:
    rules, problems = parse(
        "pixels:\n  - match: {Modality: US}\n    blank: [[0, 0, 1, 1]]\n    note: site X\n"
    )
    assert problems == []
    assert rules[0].note == "site X" and rules[0].source == "p.yaml:2" and rules[0].origin == "profile"
    assert rules[0].match_yaml() == {"Modality": "US"}


# -- pixels_catalogue and pixels_detector -----------------------------------------------------


def test_the_catalogue_choice_is_builtin_or_none() -> None:
    for word in ("builtin", "none"):
        problems: list[ProfileProblem] = []
        assert parse_catalogue_choice(section(f"c: {word}\n", "c"), "p.yaml", problems) == word
        assert problems == []
    problems = []
    assert parse_catalogue_choice(section("x: 1\nc: ctp\n", "c"), "p.yaml", problems) is None
    assert [(p.line, p.message) for p in problems] == [(2, "pixels_catalogue must be one of none, builtin")]


def test_detector_defaults_and_a_valid_section() -> None:
    problems: list[ProfileProblem] = []
    text = """\
pixels_detector:
  enabled: on
  keep_text: [cm, Hz, dB]
  also: [{Manufacturer: "ACME*"}]
"""
    settings_ = parse_detector(section(text, "pixels_detector"), "p.yaml", problems)
    assert problems == []
    assert settings_ is not None
    assert settings_.enabled == "on"  # YAML reads `on` as true; the section reads the word
    assert settings_.keep_text == ("cm", "Hz", "dB")
    assert settings_.named(ds(Manufacturer="acme inc")) and not settings_.named(ds(Manufacturer="GE"))
    assert settings_.source == "p.yaml:2"
    defaults = parse_detector(section("d: {}\n", "d"), "p.yaml", problems)
    assert defaults == DetectorSettings(source="p.yaml:1")
    assert defaults.enabled == "off" and defaults.also == ()


def test_detector_problems_are_reported_with_their_lines() -> None:
    text = """\
pixels_detector:
  enabled: maybe
  keep_text: ["*cm", "", 10]
  also: [{Manfacturer: x}]
  modalities: [US]
"""
    problems: list[ProfileProblem] = []
    assert parse_detector(section(text, "pixels_detector"), "p.yaml", problems) is None
    found = [(p.line, p.message) for p in problems]
    assert found == [
        (2, "pixels_detector.enabled must be one of off, auto, on"),
        (3, "pixels_detector.keep_text: '*cm' has a wildcard"),
        (3, "pixels_detector.keep_text: keep_text entries are 1-64 characters"),
        (3, "a pixels_detector.keep_text entry must be text"),
        (4, "unknown attribute 'Manfacturer'"),
        (5, "unknown key 'pixels_detector.modalities'"),
    ]
    assert problems[1].hint == "keep_text is exact text: a wildcard could keep a name"


# -- the built-in catalogue ---------------------------------------------------------------


def test_the_builtin_catalogue_loads_and_validates() -> None:
    catalogue = load_builtin_catalogue()
    assert (catalogue.version, catalogue.revision) == (1, 1)
    assert len(catalogue.rules) == 114
    assert all(r.origin == "catalogue" and r.rule_id and r.source for r in catalogue.rules)
    ids = [r.rule_id for r in catalogue.rules]
    assert len(set(ids)) == len(ids)
    assert catalogue.sha256 == hashlib.sha256(CATALOGUE.read_bytes()).hexdigest()
    by_id = {r.rule_id: r for r in catalogue.rules}
    iu22 = by_id["ctp-161"]
    assert iu22.match_yaml() == {"ManufacturerModelName": "*iU22*", "Rows": 600}
    assert iu22.rects == (Rect(0, 0, 800, 59),)
    assert iu22.source.startswith("CTP DicomPixelAnonymizer.script line 161")
    assert by_id["deid-510"].rects == (Rect(0, 0, 790, 52),)  # ESAOTE 6100, contributed to deid
    assert not any("(CTP)" in r.source for r in catalogue.rules if r.rule_id and r.rule_id.startswith("deid"))


def test_the_catalogue_blanks_a_known_device() -> None:
    catalogue = load_builtin_catalogue()
    d = image(600, 800, Modality="US", Manufacturer="Philips Medical Systems", ManufacturerModelName="iU22")
    decision = regions_for(d, catalogue.rules)
    assert [r.rule_id for r in decision.rules] == ["ctp-161"]
    assert decision.regions == (Rect(0, 0, 800, 59),)


@pytest.mark.parametrize("hash_seed", ["0", "1"])
def test_the_catalogue_is_what_the_generator_makes_from_the_test_copies(hash_seed: str) -> None:
    """The shipped file is generated (no hand-written coordinate) from the copies under tests/data,
    the same way whatever the hash seed (set iteration must not decide the order of anything)."""
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "gen_pixel_catalogue.py"),
            "--check",
            "--ctp",
            str(DATA / "ctp" / "DicomPixelAnonymizer.script"),
            "--deid",
            str(DATA / "deid" / "deid.dicom"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )
    assert result.returncode == 0, result.stderr
    sources = yaml.safe_load(CATALOGUE.read_text())["sources"]
    assert (
        sources["ctp"]["sha256"]
        == hashlib.sha256((DATA / "ctp" / "DicomPixelAnonymizer.script").read_bytes()).hexdigest()
    )
    assert (
        sources["deid"]["sha256"] == hashlib.sha256((DATA / "deid" / "deid.dicom").read_bytes()).hexdigest()
    )


def test_a_bad_catalogue_raises_every_problem() -> None:
    text = """\
version: 2
revision: 0
rules:
  - {id: a, match: {Modality: US}, blank: [[0, 0, 1, 1]], source: x}
  - {id: a, match: {Modality: US}, blank: [[0, 0, 1, 1]], source: x}
  - {id: B, match: {Modality: US}, blank: [[0, 0, 1, 1]]}
"""
    with pytest.raises(ProfileError) as info:
        parse_catalogue(text, "cat.yaml")
    assert [(p.line, p.message) for p in info.value.problems] == [
        (2, "catalogue 'revision' must be a whole number from 1"),
        (1, "catalogue version 2 is not 1"),
        (5, "duplicate catalogue id 'a' (first at line 4)"),
        (6, "pixels rule without 'source'"),
        (6, "id must be 1-64 lowercase letters, digits or '-'"),
    ]


# -- purity -----------------------------------------------------------------------------------

PURE = [
    "pixels",
    "pixels_catalogue",
    "profile_pixels",
    "pixels_parse",
    "pixels_settings",
    "pixels_import",
    "pixels_ctp",
    "pixels_deidrecipe",
    "yamlnodes",
]


@pytest.mark.parametrize("module", PURE)
def test_pixel_modules_do_no_io_and_use_only_public_pydicom(module: str) -> None:
    tree = ast.parse((REPO / "src" / "dcmscrub" / "deid" / f"{module}.py").read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.startswith("pydicom._") or "._" in name for name in imported)
    if module in PURE:
        forbidden = {"os", "pathlib", "time", "random", "secrets", "importlib", "importlib.resources", "io"}
        assert not imported & forbidden
        calls = {
            n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert "open" not in calls
