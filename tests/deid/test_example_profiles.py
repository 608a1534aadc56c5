"""The example profiles in profiles/ say what they do: name, description and rules agree, every
rule changes something, and strict-no-dates lets no date through (checked on real outputs)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pydicom
import pytest
from pydicom.datadict import dictionary_VR

from conftest import KEY, REPO, SAMPLE
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import PlainSink
from dcmscrub.deid.effective import effective_rows
from dcmscrub.deid.plan import Plan
from dcmscrub.deid.profile import Profile, Rule
from dcmscrub.profiles import load_profile

EXAMPLES = sorted((REPO / "profiles").glob("*.yaml"))


def without(profile: Profile, rule: Rule) -> Profile:
    return dataclasses.replace(profile, rules=tuple(r for r in profile.rules if r is not rule))


def decision(plan: Plan, rule: Rule) -> tuple[str, object]:
    sel = rule.selector
    if sel.kind == "private":
        return plan.private_action(sel.creator, sel.group, sel.offset)[0], None
    return plan.public_action(sel.tag)[0], None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_is_named_after_its_file_and_every_rule_changes_something(path: Path) -> None:
    profile = load_profile(str(path))
    assert profile.name == path.stem and profile.description
    own = [r for r in profile.rules if r.source == str(path)]
    assert own or profile.pixels.rules  # header rules, or pixel rules (tests/deid/test_pixel*.py)
    for rule in own:
        with_it, without_it = Plan(profile), Plan(without(profile, rule))
        assert decision(with_it, rule) != decision(without_it, rule), f"{path.name}:{rule.line} does nothing"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_modality_a_description_names_is_the_one_its_rules_name(path: Path) -> None:
    profile = load_profile(str(path))
    described = set(re.findall(r"\b(CT|MR|US|PET)\b", profile.description))
    for rule in profile.rules:
        creator = rule.selector.creator or ""
        named = set(re.findall(r"\b(CT|MR|US|PET)\b", creator))
        assert named <= described, (path.name, rule.line, creator, profile.description)


DATE_TIME_VRS = {"DA", "DT", "TM"}


def test_strict_no_dates_keeps_and_shifts_no_date_or_time() -> None:
    profile = load_profile(str(REPO / "profiles" / "strict-no-dates.yaml"))
    for row in effective_rows(profile):
        try:
            vr = dictionary_VR(int(row.tag[1:5] + row.tag[6:10], 16))
        except (KeyError, ValueError):
            continue  # a class of elements or a repeating group
        if vr in DATE_TIME_VRS:
            assert row.action not in ("keep", "keep-date", "shift"), row
    classes = {r.keyword: r.action for r in effective_rows(profile)}
    assert classes["other dates"] == "remove"


def test_strict_no_dates_outputs_hold_no_date(tmp_path: Path) -> None:
    options = ScrubOptions(
        load_profile(str(REPO / "profiles" / "strict-no-dates.yaml")), PlainSink(), linkage_key=KEY
    )
    summary = scrub_tree([SAMPLE], tmp_path / "out", options)
    assert summary.counts["written"] == 9  # the two screen captures are held back
    seen = 0
    for path in (tmp_path / "out").rglob("*.dcm"):
        ds = pydicom.dcmread(path)
        for elem in _walk(ds):
            if elem.VR in ("DA", "DT") and elem.value:
                assert str(elem.value).startswith("20000101"), (path.name, elem.keyword, elem.value)
                seen += 1
            if elem.VR == "TM" and elem.value:
                assert str(elem.value).strip("0") == "", (path.name, elem.keyword, elem.value)
    assert seen  # dummies where the IOD needs a value: there are some


def _walk(ds: pydicom.Dataset) -> list[pydicom.DataElement]:
    out = []
    for elem in ds:
        out.append(elem)
        if elem.VR == "SQ":
            for item in elem.value:
                out += _walk(item)
    return out
