"""The README stays true: its examples run, every command is documented and has help."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import REPO, SAMPLE
from dcmscrub.cli.app import app
from dcmscrub.errors import EXIT_CODE_MEANINGS

README = (REPO / "README.md").read_text()
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)
COMMANDS = [
    "scrub",
    "plan",
    "diff",
    "keygen",
    "decrypt",
    "encrypt",
    "profile list",
    "profile show",
    "profile check",
    "log verify",
    "log rotate",
    "log show",
    "escrow lookup",
    "escrow export",
    "pseudonym",
    "review",
]


def bash_blocks() -> list[str]:
    return [body for lang, body in BLOCK.findall(README) if lang == "bash"]


def test_quick_start_is_on_the_first_screen() -> None:
    first_screen = "\n".join(README.splitlines()[:24])
    assert "make demo" in first_screen and "make test" in first_screen
    # look before and after, on the first screen of examples
    assert "dcmscrub plan sample_data/" in first_screen and "dcmscrub diff sample_data/" in first_screen
    assert 'export PATH="$PWD/.venv/bin:$PATH"' in first_screen  # and how dcmscrub gets on PATH


def test_use_says_how_to_get_dcmscrub_on_path_and_the_cron_example_names_its_log() -> None:
    use = README[README.index("## Use") : README.index("## Outputs")]
    assert ".venv/bin" in use and "--install-completion" in use
    blocks = [body for lang, body in BLOCK.findall(README) if "15 2 * * *" in body]
    assert len(blocks) == 1
    cron = blocks[0]
    assert "DCMSCRUB_LOG=" in cron or "--log" in cron
    setup = README[README.index("A nightly cron job") : README.index("15 2 * * *")]
    assert "useradd" in setup and "install -d -o dcmscrub -m 700" in setup and "crontab -u dcmscrub" in setup


def test_readme_examples_run(tmp_path: Path) -> None:
    """Every ```bash block, in order, in a sandbox; ``# exit: N`` names an expected exit code."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(SAMPLE, work / "sample_data")
    shutil.copytree(REPO / "profiles", work / "profiles")
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DCMSCRUB_")}
    env.update(HOME=str(home), PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}")
    env.pop("XDG_STATE_HOME", None)
    ran = 0
    for block in bash_blocks():
        for line in block.strip().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.search(r"#\s*exit:\s*(\d+)\s*$", line)
            want = int(m.group(1)) if m else 0
            result = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True)
            assert result.returncode == want, f"{line}\n{result.stderr}"
            ran += 1
    assert ran >= 10


def test_readme_python_examples_run(tmp_path: Path) -> None:
    """Every ```python block runs, in a sandbox holding a copy of sample_data/."""
    blocks = [body for lang, body in BLOCK.findall(README) if lang == "python"]
    assert blocks
    shutil.copytree(SAMPLE, tmp_path / "sample_data")
    for body in blocks:
        result = subprocess.run([sys.executable, "-c", body], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "written" in result.stdout


def test_make_demo_runs(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = dict(os.environ, VENV=str(Path(sys.executable).parents[1]), DEMO_OUT=str(tmp_path / "demo"))
    marker = Path(env["VENV"]) / ".installed"
    if not marker.exists():
        pytest.skip("the test venv was not made by make (no .installed marker)")
    result = subprocess.run(
        ["make", "-s", "demo", f"DEMO_OUT={tmp_path / 'demo'}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "PatientName" in result.stdout and "PSEUDO^" in result.stdout


def test_yaml_examples_parse() -> None:
    for lang, body in BLOCK.findall(README):
        if lang == "yaml":
            yaml.safe_load(body)


def test_readme_profile_example_is_a_valid_profile(tmp_path: Path) -> None:
    from dcmscrub.profiles import load_profile

    example = next(body for lang, body in BLOCK.findall(README) if lang == "yaml" and "version: 1" in body)
    path = tmp_path / "site.yaml"
    path.write_text(example)
    profile = load_profile(str(path))
    assert profile.name == "my-site"


def test_example_profiles_are_valid() -> None:
    from dcmscrub.profiles import load_profile

    files = sorted((REPO / "profiles").glob("*.yaml"))
    assert files
    for path in files:
        load_profile(str(path))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.output and f"dcmscrub {command}" in result.output
    assert f"dcmscrub {command}" in README


def test_exit_code_table_matches_the_code() -> None:
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", README, re.M))
    assert {int(k) for k in table} == {int(c) for c in EXIT_CODE_MEANINGS}
    root_help = CliRunner().invoke(app, ["--help"]).output
    for code in EXIT_CODE_MEANINGS:
        assert re.search(rf"^\s*{int(code)}\s", root_help, re.M), code


def test_a_plain_wheel_ships_the_profiles_and_the_command(tmp_path: Path) -> None:
    """`pip install .` (not editable) must carry the built-in profiles and tables."""
    import zipfile

    pytest.importorskip("hatchling")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("dcmscrub-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "profiles/basic.yaml",
        "profiles/research-longitudinal.yaml",
        "profiles/limited-data-set.yaml",
        "standard/data/table-e1-1.yaml",
        "standard/data/table-e3-10-1.yaml",
        "standard/data/iod_types.json",
        "profiles/data/pixel-catalogue.yaml",
    ):
        assert f"dcmscrub/{needed}" in names, needed
    assert "dcmscrub/py.typed" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "dcmscrub = dcmscrub.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
