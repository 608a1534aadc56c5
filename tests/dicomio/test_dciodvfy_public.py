"""Every readable public test file stays as valid as it was: its outputs gain no kind of dciodvfy error.

The corpora are pydicom's bundled test files, pydicom-data (a dev dependency) and sample_data/.
A file is readable when pydicom reads it without ``force``, it names its SOP class and dciodvfy
knows its IOD. Each is de-identified under each built-in profile through the library
(``scrub_tree``; files that share a SOP Instance UID go in separate runs so each has its own
output), and dciodvfy runs on the input once and on every output. An error kind is an ``Error``
line without the values it quotes (tools/check_dciodvfy.py, which is also the command-line
version of this test): an output may lose kinds, never gain one.

Takes some 20-60 s on 2 cores (dciodvfy takes a few ms a file; the runs dominate).
"""

from __future__ import annotations

import shutil
from collections import Counter
from typing import Any

import pytest

from conftest import KEY, load_tool

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("dciodvfy") is None, reason="dciodvfy (dicom3tools) is not installed"),
]

tool = load_tool("check_dciodvfy")
JOBS = 2
# readable files per corpus today: pydicom 3.0.2 145, pydicom-data 1.0.0 64, sample_data 10; the
# floors catch a corpus that went missing or a survey that stopped reading files
FLOORS = {"pydicom": 120, "pydicom-data": 50, "sample_data": 8}


@pytest.fixture(scope="session")
def public_cases(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    pytest.importorskip("data_store", reason="pydicom-data (in the dev extra) is not installed")
    work = tmp_path_factory.mktemp("dv-public")
    cases: list[Any] = tool.check_all(tool.default_corpora(), tool.PROFILES, work, JOBS, KEY)
    return cases


def test_every_corpus_has_readable_files(public_cases: list[Any]) -> None:
    readable = Counter(c.corpus for c in public_cases if c.status == "readable")
    for corpus, floor in FLOORS.items():
        assert readable[corpus] >= floor, (corpus, readable[corpus])


def test_every_readable_file_is_released(public_cases: list[Any]) -> None:
    # every one written: the check lets pixel data through (tools/check_dciodvfy.py, scrub_files)
    held = [
        f"{c.corpus}/{c.name} {p}: {r.outcome}:{r.reason}"
        for c in public_cases
        if c.status == "readable"
        for p, r in c.runs.items()
        if r.outcome != "written"
    ]
    assert not held, "\n".join(held)
    runs = [r for c in public_cases if c.status == "readable" for r in c.runs.values()]
    assert len(runs) == len(tool.PROFILES) * sum(1 for c in public_cases if c.status == "readable")


@pytest.mark.parametrize("profile", tool.PROFILES)
def test_no_output_gains_a_dciodvfy_error_kind(public_cases: list[Any], profile: str) -> None:
    gained = tool.gained_lines(public_cases, profile)
    assert not gained, f"under {profile}, outputs gained dciodvfy errors:\n" + "\n".join(gained)
