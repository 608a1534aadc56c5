"""The benchmark scripts run and measure what their docs say (tiny sizes: correctness, not speed)."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pydicom
import pytest

REPO = Path(__file__).resolve().parents[1]
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
    assert summary["ratio_min"] <= summary["ratio_median"] <= summary["ratio_max"]
    assert "pair 1: one" in proc.stderr


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
