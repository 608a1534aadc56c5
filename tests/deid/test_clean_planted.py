"""Unknown tokens planted in every free-text VR at depths 0-3 under each clean option: none survives.

Through the real engine on in-memory datasets (tests/planted.py builds them). The same datasets go
through a scrub run in tests/batch/test_review.py.
"""

from __future__ import annotations

import re

import pydicom
import pytest
from pydicom.dataset import Dataset

from conftest import KEY
from dcmscrub.deid.engine import deidentify
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.profiles import load_profile
from dcmscrub.standard.vocabulary import default_vocabulary, normal
from planted import (
    CONTAINERS,
    DEPTHS,
    OPTIONS,
    TARGETS,
    cleaned_here,
    pieces,
    planted_dataset,
    planted_kinds,
)

KINDS = planted_kinds()


def texts(ds: Dataset) -> list[str]:
    """Every text value at every depth."""
    return [str(e.value) for e in ds.iterall() if e.VR != "SQ" and e.value is not None]


def deepest(ds: Dataset, option: str, depth: int) -> Dataset:
    item = ds
    for _ in range(depth):
        item = item[pydicom.datadict.tag_for_keyword(CONTAINERS[option])].value[0]
    return item


def scrub(ds: Dataset, option: str) -> Dataset:
    profile = load_profile("basic", [option])
    deidentify(ds, profile, Pseudonymizer(KEY, profile.pseudonyms.namespace))
    return ds


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("option", OPTIONS)
def test_no_planted_token_survives(option: str, depth: int, kind: str) -> None:
    tokens = KINDS[kind]
    ds = scrub(planted_dataset(option, depth, tokens), option)
    everything = "\n".join(texts(ds)).casefold()
    for planted in tokens:
        for piece in pieces(planted):
            assert piece.casefold() not in everything, (option, depth, piece)
            if kind == "cjk":  # not one character of a name written without spaces
                assert not any(c in everything for c in piece), (option, depth, piece)
    if cleaned_here(option, depth):  # clean ran (it did not just remove): the field's words stayed
        item = deepest(ds, option, depth)
        for vr, keyword in TARGETS.items():
            value = str(item[keyword].value) if keyword in item else ""
            if vr == "PN":
                assert value == "", (option, depth, keyword)  # a name of removed parts is emptied
            elif vr == "SH":
                assert value == "CT *", (option, depth, keyword, value)
            else:  # punctuation stays: a PN-form name in text leaves "*^*"
                assert re.fullmatch(r"CT chest [*^ ]+ axial", value), (option, depth, keyword, value)


def test_overlay_text_is_cleaned_under_clean_graphics() -> None:
    ds = scrub(planted_dataset("clean-graphics", 0, KINDS["codes"]), "clean-graphics")
    assert ds[0x60000022].value == "CT chest * axial"
    assert ds[0x60001500].value == "CT chest * axial"


def test_planted_tokens_are_unknown_to_the_vocabulary() -> None:
    # the names and places are not words of the field (a name that is one, "White", would stay)
    words = default_vocabulary().words
    for kind, tokens in KINDS.items():
        for planted in tokens:
            for piece in pieces(planted):
                assert normal(piece) not in words, (kind, piece)


@pytest.mark.parametrize("option", OPTIONS)
def test_the_planting_reaches_every_depth(option: str) -> None:
    # a guard on the test itself: the planted elements are where the test says they are
    for depth in DEPTHS:
        item = deepest(planted_dataset(option, depth, ["ZQNJW6RC"]), option, depth)
        assert all(keyword in item for keyword in TARGETS.values())
