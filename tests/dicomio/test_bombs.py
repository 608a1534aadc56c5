"""Hostile inputs: a deflate bomb and declared-length bombs fail as too_large, cheaply, and the
batch goes on (the bombs are made by benchmarks/bench_bombs.py, which also reports their cost)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO, SAMPLE
from dcmscrub.dicomio.limits import DEFAULT_MAX_HEADER, inflate_capped
from dcmscrub.dicomio.read import read_header
from dcmscrub.dicomio.sniff import sniff
from dcmscrub.outcomes import FileProblem, Reason

BENCH = REPO / "benchmarks" / "bench_bombs.py"


def _bombs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_bombs", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path: Path, **kw: int) -> object:
    with path.open("rb") as fh:
        return read_header(fh, path.stat().st_size, sniff(path.read_bytes()[:132]), **kw)


@pytest.mark.parametrize("name", ["value", "item", "fragment", "value_fits"])
def test_declared_length_bombs_are_too_large(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.dcm"
    _bombs().BOMBS[name](path)
    with pytest.raises(FileProblem) as caught:
        read(path)
    assert caught.value.reason == Reason.TOO_LARGE


def test_a_deflate_bomb_is_inflated_only_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "deflate.dcm"
    _bombs().deflate_bomb(path, 96)  # inflates to 96 MiB, past the 64 MiB cap
    with pytest.raises(FileProblem) as caught:
        read(path)
    assert caught.value.reason == Reason.TOO_LARGE
    assert read(path, max_header=128 << 20) is not None  # a larger cap (--max-header) takes it
    with path.open("rb") as fh:
        fh.seek(0)
        with pytest.raises(FileProblem):
            inflate_capped(fh, 1 << 20)  # not a deflate stream from byte 0: corrupt, not a crash


def test_the_cap_is_the_header_not_the_pixels() -> None:
    ct = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm"
    assert read(ct) is not None
    with pytest.raises(FileProblem) as caught:
        read(ct, max_header=512)  # its header is larger than 512 bytes
    assert caught.value.reason == Reason.TOO_LARGE
    assert DEFAULT_MAX_HEADER == 64 << 20


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_bombs_stay_under_300_mb_and_the_batch_goes_on(jobs: int) -> None:
    """A memory bound (the run's peak RSS, its workers included), not a timing assertion."""
    done = subprocess.run(
        [sys.executable, str(BENCH), "--inflate-mib", "1024", "--jobs", str(jobs)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["sizes"]["bomb_deflate.dcm"] < 2 << 20  # 1 GiB in about 1 MiB
    assert report["exit_code"] == 3, report
    assert report["outcomes"] == [["failed", "too_large"]] * 5 + [["written", None]], report
    assert report["peak_rss_mib"] < 300, report
