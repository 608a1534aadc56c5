"""tools/fuzz_outcomes.py: mutants of real files through the worker; an internal error is reported."""

from __future__ import annotations

import random

import pytest

from conftest import SAMPLE, load_tool
from dcmscrub.batch.worker import Worker

tool = load_tool("fuzz_outcomes")


def test_mutations_stay_within_the_file_and_change_it() -> None:
    data = (SAMPLE / "DOE_JANE_FAKE-MRN-0001/CT_2024-01-15/slice_001.dcm").read_bytes()
    rng = random.Random(7)
    kinds = set()
    for _ in range(60):
        kind, mutant = tool.mutate(data, rng)
        kinds.add(kind)
        assert mutant[:132] == data[:132]  # preamble and DICM stay: the file is still found as DICOM
        assert mutant != data or kind == "flip"  # a flip may write the byte that was there
    assert kinds == {"flip", "cut", "length", "insert", "zero"}


def test_the_sample_data_fuzzes_without_internal_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert tool.main([str(SAMPLE), "--per-file", "2", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "mutants of" in out and "internal" not in out


def test_an_internal_error_is_reported_with_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Worker, *_args: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(Worker, "process", broken)
    assert tool.main([str(SAMPLE), "--per-file", "1"]) == 1
    out = capsys.readouterr().out
    assert "internal: " in out and "KeyError" in out and "mutants kept in" in out
