"""The clean action: exactly what textclean.py's docstring says it removes, and nothing else."""

from __future__ import annotations

import pytest

from dcmscrub.deid.text import Cleaner, Subject, clean_text


@pytest.fixture
def cleaner() -> Cleaner:
    s = Subject()
    s.add_person_name("DOE^JANE^SAMPLE")
    s.add_person_name("SMITH^AL")  # a physician; "AL" has 2 letters: removed too
    s.add_id("FAKE-MRN-0001")
    s.add_id("ACC77")
    s.add_birth_date("19650312")
    return Cleaner(s)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CT chest for DOE JANE", "CT chest for * *"),
        ("doe, jane (sample)", "*, * (*)"),
        ("MRN FAKE-MRN-0001 acc ACC77", "MRN * acc *"),
        ("Dr Smith read it", "Dr * read it"),
        ("born 1965-03-12", "born *"),
        ("born 12/03/1965", "born *"),
        ("born 03/12/65", "born *"),
        ("born 12 Mar 1965", "born *"),
        ("born March 12, 1965", "born *"),
        ("seen 2024-01-15 and 15.01.2024", "seen * and *"),
        ("seen 20240115", "seen *"),
        ("call +1 (617) 555-0100", "call *"),
        ("mail jane.doe@example.org", "mail *"),
        ("ref 1234567 or MRN00991", "ref * or *"),
        ("axial 5 mm 120 kV T1 3D", "axial 5 mm 120 kV T1 3D"),
        ("Janet is not Jane", "Janet is not *"),
        ("", ""),
    ],
)
def test_clean(cleaner: Cleaner, text: str, expected: str) -> None:
    assert cleaner.clean(text) == expected


def test_result_never_grows(cleaner: Cleaner) -> None:
    for text in ("Al", "a 1999-01-01 b", "DOE DOE DOE", "x" * 100):
        assert len(cleaner.clean(text)) <= len(text)


def test_shapes_are_removed_without_a_subject() -> None:
    assert clean_text("prior 2023-12-01, MRN 88812345") == "prior *, MRN *"
