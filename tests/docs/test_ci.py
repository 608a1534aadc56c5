"""The CI guard: under CI=true a skipped test fails the run (tests/conftest.py), and .ci/run sets it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def run_suite(folder: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": "true"} if ci else {})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
    )


def test_a_skipped_test_fails_the_run_only_under_ci(tmp_path: Path) -> None:
    shutil.copy(REPO / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_one.py").write_text(
        "import pytest\n\n"
        "def test_skips():\n    pytest.skip('no oracle here')\n\n"
        "def test_passes():\n    pass\n"
    )
    assert run_suite(tmp_path, ci=False).returncode == 0
    under_ci = run_suite(tmp_path, ci=True)
    assert under_ci.returncode == 1
    assert "CI=true: 1 test(s) skipped" in under_ci.stdout and "no oracle here" in under_ci.stdout
    (tmp_path / "test_one.py").write_text("def test_passes():\n    pass\n")
    assert run_suite(tmp_path, ci=True).returncode == 0


def test_ci_runs_the_readme_test_command_with_ci_set() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "export CI=true" in script
    assert "make test" in script
