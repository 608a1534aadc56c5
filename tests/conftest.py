"""Shared fixtures: keys, profiles, datasets, an isolated environment for CLI runs."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from types import ModuleType

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.profiles import load_profile

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"
REFERENCE = REPO / "reference"
KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes the real audit log or reads a real key from the environment."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("DCMSCRUB_LOG", str(state / "audit.jsonl"))
    monkeypatch.delenv("DCMSCRUB_LINKAGE_KEY_FILE", raising=False)
    monkeypatch.delenv("DCMSCRUB_AUDIT_KEY_FILE", raising=False)


@pytest.fixture
def basic() -> Profile:
    return load_profile("basic")


@pytest.fixture
def pseudo() -> Pseudonymizer:
    return Pseudonymizer(KEY, "dcmscrub")


@pytest.fixture
def ct() -> Dataset:
    """pydicom's bundled CT slice (explicit VR little endian, with trailing padding)."""
    return pydicom.dcmread(get_testdata_file("CT_small.dcm"))


def testdata(name: str) -> Path:
    """A file bundled with pydicom."""
    path = get_testdata_file(name)
    assert path is not None, name
    return Path(path)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of sample_data/ (tests may not touch the committed one)."""
    dst = tmp_path / "sample"
    shutil.copytree(SAMPLE, dst, symlinks=True)
    return dst


@pytest.fixture
def linkage_file(tmp_path: Path) -> Path:
    """A linkage key file (mode 0600) holding KEY."""
    from datetime import datetime

    from dcmscrub.keys import format_linkage_key_file, write_secret_file

    path = tmp_path / "keys" / "linkage.key"
    path.parent.mkdir(mode=0o700)
    write_secret_file(path, format_linkage_key_file(KEY, datetime(2026, 1, 1, tzinfo=UTC)))
    return path


@pytest.fixture
def identity(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """An age identity file and its recipient string."""
    from datetime import datetime

    from dcmscrub.keys import format_identity_file, generate_identity, write_secret_file

    ident = generate_identity()
    folder = tmp_path / "id"
    folder.mkdir(mode=0o700)
    path = folder / "me.key"
    write_secret_file(path, format_identity_file(ident, datetime(2026, 1, 1, tzinfo=UTC)))
    yield path, str(ident.recipient)


def load_tool(name: str) -> ModuleType:
    """The script ``tools/<name>.py`` as a module (loaded once per session)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def dcm_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and ".dcmscrub" not in p.parts)


def env_without_secrets() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DCMSCRUB_LINKAGE_KEY_FILE", None)
    return env


# --------------------------------------------------------------------------------------------
# under CI=true a skipped test fails the run: a green run that skipped the leak tests says nothing


def _skipped(config: pytest.Config) -> list[pytest.TestReport]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return list(reporter.stats.get("skipped", [])) if reporter is not None else []


def pytest_terminal_summary(terminalreporter: object, exitstatus: int, config: pytest.Config) -> None:
    skipped = _skipped(config)
    if os.environ.get("CI") == "true" and skipped:
        write = terminalreporter.write_line  # type: ignore[attr-defined]
        write(f"CI=true: {len(skipped)} test(s) skipped, which fails the run:", red=True)
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            write(f"  {report.nodeid}: {reason}", red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") == "true" and _skipped(session.config) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
