"""The benchmark scripts run and compute what they report (tiny sizes: correctness, not speed)."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pydicom
import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_ceiling_workload_really_de_identifies() -> None:
    ceiling = _load("bench_parallel_ceiling")
    sample = ceiling.default_file()
    data = sample.read_bytes()
    before = pydicom.dcmread(sample)
    profile, pseudonymizer = ceiling.make_engine()
    written = ceiling.scrub_in_memory(data, profile, pseudonymizer)
    after = pydicom.dcmread(io.BytesIO(written))
    assert str(before.PatientName)
    assert str(after.PatientName) != str(before.PatientName)
    assert after.SOPInstanceUID != before.SOPInstanceUID
    assert after.PixelData == before.PixelData


def test_the_ceiling_reports_one_ratio_per_pair() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_parallel_ceiling.py"), "--pairs", "2", "--seconds", "0.05"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["pairs"] == 2 and summary["iterations"] >= 1
    assert len(summary["ratio"]) == len(summary["one_s"]) == len(summary["two_s"]) == 2
    for ratio, one, two in zip(summary["ratio"], summary["one_s"], summary["two_s"], strict=True):
        assert ratio == pytest.approx(2 * one / two)
    assert summary["ratio_median"] == pytest.approx(statistics.median(summary["ratio"]))
    assert "pair 1: one" in proc.stderr


def test_the_two_processes_of_the_ceiling_run_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ceiling = _load("bench_parallel_ceiling")

    def work(data: bytes, iterations: int, engine: object) -> None:
        began = time.time()
        time.sleep(0.3)
        (tmp_path / str(os.getpid())).write_text(f"{began} {time.time()}")

    monkeypatch.setattr(ceiling, "_work", work)
    ceiling._timed(b"", 1, 2)
    spans = [tuple(map(float, f.read_text().split())) for f in tmp_path.iterdir()]
    assert len(spans) == 2
    (a0, a1), (b0, b1) = spans
    assert a0 < b1 and b0 < a1  # the two spans overlap: released together, not one after the other


def test_bench_startup_times_scrub_processes() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_startup.py"), "--runs", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("2 runs: wall median ")


def _bench_args(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(BENCH / "run_peers.sh"), "bench-args", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bench_mode_pauses_65_seconds_between_runs_unless_told_otherwise() -> None:
    # a short pause charges the previous tool's deletes to the next tool (docs/benchmarks.md)
    assert _bench_args().stdout.split() == ["--runs", "3", "--settle", "65"]
    assert _bench_args("--runs", "5", "--settle", "10").stdout.split() == ["--runs", "5", "--settle", "10"]
    assert _bench_args("--settle=7", "--timeout", "9").stdout.split() == [
        "--runs",
        "3",
        "--settle",
        "7",
        "--timeout",
        "9",
    ]
    missing = _bench_args("--settle")
    assert missing.returncode != 0
    assert "--settle needs a value" in missing.stderr


def test_bench_verify_reports_a_verified_log() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_verify.py"), "--runs", "2", "--files", "50", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["lines"] == 2 * (50 + 2) and len(report["verify_seconds"]) == 1


def test_bench_escrow_memory_measures_both_runs_and_checks_the_escrow(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_escrow_memory.py"), "--files", "40", "--tmp", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    plain, escrowed = (json.loads(line) for line in proc.stdout.splitlines())
    assert (plain["escrow"], escrowed["escrow"]) == (False, True)
    assert plain["written"] == escrowed["written"] == escrowed["escrow_sop_rows"] == 40
    for run in (plain, escrowed):
        assert run["peak_rss_mib"] > 10 and run["rss_mib_at_100pct"] is not None
    assert list(tmp_path.iterdir()) == []  # the generated files are removed


def test_the_clean_pixels_benchmark_measures_the_scrub_path(tmp_path: Path) -> None:
    """Two frames, each syntax: the copy and the rules runs both write, the rules run blanks."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_clean_pixels.py"), "--frames", "2", "--skip-big"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout[proc.stdout.index("\n{\n") :])
    for syntax in ("native", "rle", "jpeg"):
        runs = report["per_frame"][syntax]
        assert json.loads(runs["copy"]["pixels"]) is None
        assert json.loads(runs["rules"]["pixels"]) == {"blanked": 6, "by": "rule"}
        assert runs["rules"]["peak_rss_mb"] > 0
        wall = (runs["rules"]["wall_s"] - runs["copy"]["wall_s"]) * 1000 / 2
        assert runs["rules"]["ms_per_frame"] == pytest.approx(wall, abs=0.1)
    assert list(tmp_path.iterdir()) == []  # the generated files are removed
