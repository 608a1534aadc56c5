"""Importers of peers' pixel rules: CTP's DicomPixelAnonymizer.script and deid's recipe filters.

Known signatures come out as expected, the expression logic (precedence, negation, OR across
attributes) is kept, what cannot be said is skipped with its reason, and the rendered YAML parses and
validates back to the same rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydicom.dataset import Dataset

from dcmscrub.deid.pixels import Rect, regions_for
from dcmscrub.deid.pixels_ctp import import_ctp_script
from dcmscrub.deid.pixels_deidrecipe import import_deid_recipe
from dcmscrub.deid.pixels_import import ImportResult, render_pixels_yaml
from dcmscrub.deid.pixels_parse import parse_pixel_rules
from dcmscrub.errors import ProfileProblem

REPO = Path(__file__).resolve().parents[2]
CTP_SCRIPT = (REPO / "tests" / "data" / "ctp" / "DicomPixelAnonymizer.script").read_text(encoding="utf-8")
DEID_RECIPE = (REPO / "tests" / "data" / "deid" / "deid.dicom").read_text(encoding="utf-8")


def by_line(result: ImportResult, line: int) -> list[dict[str, Any]]:
    return [r.as_dict() for r in result.rules if r.line == line]


def skipped(result: ImportResult) -> dict[int, str]:
    return {s.line: s.reason for s in result.skipped}


def matches_and_blanks(result: ImportResult) -> list[tuple[dict[str, Any], list[list[int]]]]:
    return [(r.match, [q.as_list() for q in r.blank]) for r in result.rules]


def ctp(signatures: str) -> ImportResult:
    return import_ctp_script(signatures)


def deid(labels: str) -> ImportResult:
    return import_deid_recipe("FORMAT dicom\n\n%filter graylist\n\n" + labels)


def reparse(text: str) -> tuple[list[Any], list[ProfileProblem]]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = next(v for k, v in root.value if k.value == "pixels")
    problems: list[ProfileProblem] = []
    return list(parse_pixel_rules(node, "imported.yaml", problems)), problems


def ds(**attrs: Any) -> Dataset:
    d = Dataset()
    for key, value in attrs.items():
        setattr(d, key, value)
    return d


# -- CTP: the real script ----------------------------------------------------------------


def test_every_ctp_signature_converts() -> None:
    result = import_ctp_script(CTP_SCRIPT)
    assert (result.found, result.converted, len(result.rules), len(result.skipped)) == (52, 52, 52, 0)


def test_known_ctp_signatures_come_out_as_expected() -> None:
    result = import_ctp_script(CTP_SCRIPT)
    assert by_line(result, 161) == [
        {
            "match": {"ManufacturerModelName": "*iU22*", "Rows": 600},
            "blank": [[0, 0, 800, 59]],
            "note": "CTP DicomPixelAnonymizer.script line 161: US: IU22",
        }
    ]
    antares = by_line(result, 214)[0]
    assert antares["match"] == {
        "Columns": 1024,
        "Manufacturer": "*SIEMENS*",
        "ManufacturerModelName": "*ANTARES*",
        "Modality": "US",
        "Rows": 768,
    }
    assert antares["blank"] == [[0, 0, 1024, 60], [200, 60, 20, 20], [800, 65, 104, 14]]
    # ( SeriesDescription.contains("AAA") + SeriesDescription.contains("Report") ): one list
    assert by_line(result, 67)[0]["match"]["SeriesDescription"] == ["*AAA*", "*Report*"]
    # [6000,0022] has no keyword of its own: matched by tag
    assert by_line(result, 102)[0]["match"] == {"(6000,0022)": "*Siemens MedCom Object Graphics*"}
    # [0028,0010] is Rows
    assert by_line(result, 106)[0]["match"]["Rows"] == 446


def test_a_ctp_rectangle_past_the_size_the_signature_names_is_cut_and_noted() -> None:
    result = import_ctp_script(CTP_SCRIPT)
    adac = next(r for r in result.rules if r.line == 361)
    assert [q.as_list() for q in adac.blank] == [[0, 0, 1024, 80], [0, 762, 1024, 70]]
    assert "rectangle [0, 762, 1024, 80] cut to the image: [0, 762, 1024, 70]" in adac.notes


def test_the_ctp_case_approximation_is_noted() -> None:
    result = import_ctp_script(CTP_SCRIPT)
    mindray = next(r for r in result.rules if r.line == 132)
    assert "CTP's contains is case-sensitive; here the test ignores case" in mindray.notes
    toshiba = next(r for r in result.rules if r.line == 88)
    assert "WindowWidth compared as a number (CTP compares its text)" in toshiba.notes
    iu22 = next(r for r in result.rules if r.line == 161)
    assert iu22.notes == ()  # containsIgnoreCase and a US number: nothing approximated


def test_imported_ctp_rules_blank_a_matching_image() -> None:
    rules, problems = reparse(render_pixels_yaml(import_ctp_script(CTP_SCRIPT)))
    assert problems == []
    image = ds(Modality="US", ManufacturerModelName="iU22 xMATRIX", Rows=600, Columns=800)
    decision = regions_for(image, rules)
    assert [r.source for r in decision.rules] == ["imported.yaml:" + str(_line_of_rule(161))]
    assert decision.regions == (Rect(0, 0, 800, 59),)


def _line_of_rule(source_line: int) -> int:
    text = render_pixels_yaml(import_ctp_script(CTP_SCRIPT))
    lines = text.splitlines()
    at = next(
        i
        for i, ln in enumerate(lines)
        if ln.startswith(f"  # CTP DicomPixelAnonymizer.script line {source_line}:")
    )
    return next(i for i in range(at, len(lines)) if lines[i].startswith("  - match:")) + 1


# -- CTP: the expression language --------------------------------------------------------


def test_ctp_precedence_is_not_over_and_over_or() -> None:
    result = ctp(
        '{ Modality.equals("US") + Manufacturer.contains("GE") * Rows.equals("600") }\n(0,0,10,10)\n'
    )
    assert matches_and_blanks(result) == [
        ({"Modality": "US"}, [[0, 0, 10, 10]]),
        ({"Manufacturer": "*GE*", "Rows": 600}, [[0, 0, 10, 10]]),
    ]
    assert [r.part for r in result.rules] == [(1, 2), (2, 2)]
    grouped = ctp('{ (Modality.equals("US") + Modality.equals("OT")) * Rows.equals("600") }\n(0,0,1,1)\n')
    assert matches_and_blanks(grouped) == [({"Modality": ["US", "OT"], "Rows": 600}, [[0, 0, 1, 1]])]


def test_ctp_negation_becomes_not_or_separate_rules() -> None:
    one = ctp('{ Modality.equals("US") * !SeriesDescription.containsIgnoreCase("dose") }\n(0,0,1,1)\n')
    assert one.rules[0].match == {"Modality": "US", "SeriesDescription": {"not": "*dose*"}}
    same = ctp('{ !(SeriesDescription.contains("a") + SeriesDescription.contains("b")) }\n(0,0,1,1)\n')
    assert same.rules[0].match == {"SeriesDescription": {"not": ["*a*", "*b*"]}}
    split = ctp('{ !(Modality.equals("US") * Rows.equals("600")) }\n(0,0,1,1)\n')
    assert [r.match for r in split.rules] == [{"Modality": {"not": "US"}}, {"Rows": {"not": 600}}]


def test_the_conversion_does_not_depend_on_the_hash_seed() -> None:
    """Literals keep the source's order: the same signature gives the same YAML in every process."""
    signature = (
        '{ !(SeriesDescription.contains("a") + SeriesDescription.contains("b")'
        ' + SeriesDescription.contains("c") + SeriesDescription.contains("d"))'
        ' * (Modality.equals("US") + Modality.equals("OT") + Modality.equals("XA")) }(0,0,1,1)'
    )
    code = (
        "import sys; from dcmscrub.deid.pixels_ctp import import_ctp_script as i;"
        "from dcmscrub.deid.pixels_import import render_pixels_yaml as r; print(r(i(sys.argv[1])))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, signature],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(8)
    }
    assert len(outputs) == 1
    assert (
        "match: {Modality: [US, OT, XA], SeriesDescription: {not: ['*a*', '*b*', '*c*', '*d*']}}"
        in outputs.pop()
    )


def test_ctp_tests_map_to_globs() -> None:
    result = ctp(
        '{ Manufacturer.startsWith("GE") * ManufacturerModelName.endsWithIgnoreCase("E9") '
        '* StationName.equalsIgnoreCase("a*b") // a comment\n}\n(0,0,1,1)\n'
    )
    assert result.rules[0].match == {
        "Manufacturer": "GE*",
        "ManufacturerModelName": "*E9",
        "StationName": "a[*]b",
    }


def test_ctp_equals_empty_means_absent_or_empty() -> None:
    result = ctp('{ Manufacturer.equals("") }\n(0,0,1,1)\n')
    assert [r.match for r in result.rules] == [{"Manufacturer": {"present": False}}, {"Manufacturer": ""}]


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        (
            '{ Manufacturer.matches("GE.*") }\n(0,0,1,1)',
            "Manufacturer.matches: the test 'matches' has no profile equivalent",
        ),
        (
            '{ Rows.isGreaterThan("600") }\n(0,0,1,1)',
            "Rows.isGreaterThan: the test 'isGreaterThan' has no profile equivalent",
        ),
        ('{ Manfacturer.contains("GE") }\n(0,0,1,1)', "Manfacturer: unknown attribute 'Manfacturer'"),
        ('{ Rows.contains("6") }\n(0,0,1,1)', "Rows.contains: a text test of a number"),
        ('{ Rows.equals("six") }\n(0,0,1,1)', "Rows.equals('six'): not a number, never true"),
        (
            '{ ImageType.equals("ORIGINAL\\\\PRIMARY") }\n(0,0,1,1)',
            "ImageType.equals: a value with a backslash (several values)",
        ),
        (
            '{ [0019,1010].contains("x") }\n(0,0,1,1)',
            "[0019,1010]: private attribute (0019,1010) cannot be matched",
        ),
        ('{ Modality.equals("US") }\nno region here', "no region (x,y,w,h) follows the signature"),
        ('{ Modality.equals("US") * }\n(0,0,1,1)', "the signature does not parse near ''"),
        (
            '{ Modality.equals("US") * Modality.equals("CT") }\n(0,0,1,1)',
            "two tests of Modality that one condition cannot hold",
        ),
        ('{ Manufacturer.contains("") }\n(0,0,1,1)', "no condition left: the rule would blank every image"),
        (
            '{ Modality.equals("US") }\n(0,0,1,1)\n{ Modality.equals("US") * false }\n(0,0,1,1)',
            "the signature can never be true",
        ),
    ],
)
def test_ctp_signatures_that_cannot_be_said_are_skipped_with_the_reason(signature: str, reason: str) -> None:
    result = ctp(signature)
    assert reason in [s.reason for s in result.skipped]


def test_ctp_text_in_parentheses_that_is_not_a_region_is_ignored_and_noted() -> None:
    result = ctp('{ Modality.equals("US") }\n(0,0,10,10) (see the wiki)\n')
    assert [q.as_list() for q in result.rules[0].blank] == [[0, 0, 10, 10]]
    assert (
        "text '(see the wiki)' after the signature is not a region (CTP ignores it too)"
        in result.rules[0].notes
    )


# -- deid: the real recipe ---------------------------------------------------------------


def test_deid_recipe_coverage() -> None:
    result = import_deid_recipe(DEID_RECIPE)
    assert (result.found, result.converted, len(result.rules), len(result.skipped)) == (118, 98, 103, 20)
    reasons = skipped(result)
    flag_only = [line for line, why in reasons.items() if why.startswith("no coordinates")]
    assert len(flag_only) == 13
    assert reasons[282] == "equals Rows 600|768: deid compares the text '600|768', never true"
    assert reasons[487].startswith("Manfacturer: unknown attribute 'Manfacturer'")
    assert reasons[775] == "the regular expression 'DERIVED+SECONDARY+SCREEN SAVE' has no glob equivalent"
    assert (
        reasons[189] == "ImplementationVersionName is in the file meta (group 0002), where deid does not look"
    )


def test_known_deid_labels_come_out_as_expected() -> None:
    result = import_deid_recipe(DEID_RECIPE)
    assert by_line(result, 510) == [
        {
            "match": {
                "Manufacturer": "*ESAOTE*",
                "ManufacturerModelName": "*6100*",
                "Modality": "*US*",
                "Rows": 608,
            },
            "blank": [[0, 0, 790, 52]],
            "note": "deid recipe deid.dicom line 510: ESAOTE # (FFUR) [graylist]",
        }
    ]
    # coordinates are x0,y0,x1,y1 ("450,0,672, 85"); ctpcoordinates are x,y,w,h
    assert by_line(result, 48)[0]["blank"] == [[450, 0, 222, 85]]
    # "SOMATOM Definition AS+" finds what "SOMATOM Definition AS" finds
    assert by_line(result, 48)[0]["match"]["ManufacturerModelName"] == "*SOMATOM Definition AS*"
    # an inner || across two attributes: two rules with the same rectangle
    dose = by_line(result, 20)
    assert [d["match"] for d in dose] == [
        {"ImageType": "*SCREEN SAVE*", "ManufacturerModelName": "*LightSpeed VCT*", "Modality": "*CT*"},
        {"ManufacturerModelName": "*LightSpeed VCT*", "Modality": "*CT*", "SeriesDescription": "*Dose*"},
    ]
    # "contains Manufacturer GE" and "contains Manufacturer GE MEDICAL": the stronger one stays
    assert by_line(result, 76)[0]["match"]["Manufacturer"] == "*GE MEDICAL*"
    # "A|B" alternatives: one list
    assert by_line(result, 200)[0]["match"]["ManufacturerModelName"] == ["*LOGIQE9*", "*V830*"]


def test_imported_deid_rules_parse_back_to_the_same_rules() -> None:
    result = import_deid_recipe(DEID_RECIPE)
    rules, problems = reparse(render_pixels_yaml(result, profile_name="from-deid"))
    assert problems == []
    assert [(r.match_yaml(), [q.as_list() for q in r.rects]) for r in rules] == matches_and_blanks(result)


def test_imported_ctp_rules_parse_back_to_the_same_rules() -> None:
    result = import_ctp_script(CTP_SCRIPT)
    text = render_pixels_yaml(result, profile_name="from-ctp")
    assert yaml.safe_load(text)["version"] == 1 and yaml.safe_load(text)["name"] == "from-ctp"
    rules, problems = reparse(text)
    assert problems == []
    assert [(r.match_yaml(), [q.as_list() for q in r.rects]) for r in rules] == matches_and_blanks(result)
    assert "  # CTP DicomPixelAnonymizer.script line 161: US: IU22" in text.splitlines()


def test_the_rendered_yaml_lists_what_was_skipped() -> None:
    text = render_pixels_yaml(import_deid_recipe(DEID_RECIPE))
    assert "# 118 source rules: 98 converted into 103 profile rules, 20 skipped (listed at the end)" in text
    assert (
        "#   line 282: EPIQ_7G (CTP): equals Rows 600|768: deid compares the text '600|768', never true"
        in text
    )
    empty = render_pixels_yaml(deid("LABEL only flags\n  contains Modality US\n"))
    assert "pixels: []" in empty.splitlines()
    assert reparse(empty) == ([], [])


# -- deid: the filter language -----------------------------------------------------------


def test_deid_lines_are_all_required_even_after_a_leading_or() -> None:
    result = deid(
        "LABEL x\n  contains Modality CT\n  || contains Manufacturer ACME\n  coordinates 0,0,10,10\n"
    )
    assert [r.match for r in result.rules] == [{"Manufacturer": "*ACME*", "Modality": "*CT*"}]
    assert result.rules[0].notes == (
        "a line starting with || is required like the others (deid 0.4.13 ANDs them)",
    )


def test_deid_inner_operators_apply_left_to_right() -> None:
    result = deid(
        "LABEL x\n  contains Modality CT || contains Modality MR + contains Manufacturer GE\n"
        "  ctpcoordinates 0,0,5,5\n"
    )
    assert [r.match for r in result.rules] == [{"Manufacturer": "*GE*", "Modality": ["*CT*", "*MR*"]}]


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("notcontains SeriesDescription dose|report", {"SeriesDescription": {"not": ["*dose*", "*report*"]}}),
        ("equals Modality US", {"Modality": "US"}),
        ("equals WindowWidth 1", {"WindowWidth": 1}),
        ("notequals Rows 600", {"Rows": {"not": 600}}),
        ("present BurnedInAnnotation", {"BurnedInAnnotation": {"present": True}}),
        ("missing BurnedInAnnotation", {"BurnedInAnnotation": {"present": False}}),
        ("empty Manufacturer", {"Manufacturer": ""}),
        ("contains ManufacturerModelName HDI.5000", {"ManufacturerModelName": "*HDI?5000*"}),
        ("contains 0x00080070 ACME", {"Manufacturer": "*ACME*"}),
    ],
)
def test_deid_filters_map_to_conditions(line: str, match: dict[str, Any]) -> None:
    result = deid(f"LABEL x\n  {line}\n  coordinates 0,0,10,10\n")
    assert [r.match for r in result.rules] == [match]


def test_deid_number_approximations_are_noted() -> None:
    toshiba = next(r for r in import_deid_recipe(DEID_RECIPE).rules if r.line == 148)
    assert toshiba.notes == ("WindowWidth compared as a number (deid compares its text)",)
    rows_only = next(r for r in import_deid_recipe(DEID_RECIPE).rules if r.line == 510)
    assert rows_only.notes == ()  # Rows is US: its text is the number


def test_deid_missing_or_empty_becomes_two_rules() -> None:
    result = deid("LABEL x\n  missing Manufacturer || empty Manufacturer\n  coordinates 0,0,10,10\n")
    assert [r.match for r in result.rules] == [{"Manufacturer": {"present": False}}, {"Manufacturer": ""}]


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        (
            "contains Modality US\n  keepcoordinates 0,0,5,5",
            "keepcoordinates (regions to keep) have no profile equivalent",
        ),
        (
            "contains Modality US\n  coordinates all",
            "coordinates 'all' (whole image or from a header field) are not supported",
        ),
        (
            "contains Modality US\n  coordinates from:SequenceOfUltrasoundRegions",
            "coordinates 'from:SequenceOfUltrasoundRegions' (whole image or from a header field)"
            " are not supported",
        ),
        ("contains Modality US\n  coordinates 0,0,5", "coordinates '0,0,5' are not 4 whole numbers"),
        (
            "contains Modality US\n  coordinates 10,10,5,5",
            "coordinates '10,10,5,5' are an empty or negative rectangle",
        ),
        (
            "contains Modality (US|OT)\n  coordinates 0,0,5,5",
            "the regular expression '(US|OT)' has no glob equivalent",
        ),
        ("contains Rows 600\n  coordinates 0,0,5,5", "contains Rows: a text search in a number"),
        ("coordinates 0,0,5,5", "no filter: deid would blank every image"),
        ("contains Modality US", "no coordinates: the label only flags images (graylist)"),
    ],
)
def test_deid_labels_that_cannot_be_said_are_skipped_with_the_reason(members: str, reason: str) -> None:
    result = deid(f"LABEL x\n  {members}\n")
    assert result.rules == ()
    assert [s.reason for s in result.skipped] == [reason]
