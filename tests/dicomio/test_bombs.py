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
from pydicom.uid import DeflatedExplicitVRLittleEndian

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


@pytest.mark.filterwarnings("ignore:The value length")  # the long UID is the point
@pytest.mark.parametrize("long_uid", [False, True])
@pytest.mark.parametrize("meta_length", [14, 0, 4000])
def test_a_deflate_bomb_whose_meta_length_lies_is_still_capped(
    tmp_path: Path, meta_length: int, long_uid: bool
) -> None:
    """The file meta's group length says the meta ends before its transfer syntax (or far past
    it), and a long UID may push the transfer syntax far into the file: the deflated data set must
    still be inflated under the cap, never whole by pydicom."""
    bombs = _bombs()
    path = tmp_path / "deflate.dcm"
    bombs.deflate_bomb(path, 96)
    data = path.read_bytes()
    body = data[144 + int.from_bytes(data[140:144], "little") :]
    sop = "1." + "2" * 5000 if long_uid else "1.2.826.0.1.3680043.10.1426.99.1"
    meta = bytearray(bombs._meta(DeflatedExplicitVRLittleEndian, sop))
    assert meta[132:140] == b"\x02\x00\x00\x00UL\x04\x00"
    meta[140:144] = meta_length.to_bytes(4, "little")
    path.write_bytes(bytes(meta) + body)
    with pytest.raises(FileProblem) as caught:
        read(path)
    assert caught.value.reason == Reason.TOO_LARGE


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
