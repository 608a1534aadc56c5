"""Who may import whom (architecture.md): an ast walk over src/dcmscrub."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "dcmscrub"

# module -> the dcmscrub modules it may import (besides itself); third-party limits below
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "_bech32": {"errors"},
    "atomic": set(),
    "profile": {"errors", "selector"},
    "selector": set(),
    "annex_e": {"profile"},
    "iod": set(),
    "textclean": set(),
    "pseudonym": {"errors"},
    "engine": {"__init__", "iod", "annex_e", "dates", "errors", "plan", "profile", "pseudonym", "textclean"},
    "plan": {"annex_e", "profile"},
    "dates": set(),
    "container": {"errors", "_bech32"},
    "keys": {"container", "_bech32", "atomic", "errors"},
    "crypt_files": {"container", "atomic", "errors"},
    "audit": {"errors", "__init__"},
    "auditcheck": {"audit", "errors", "runmarks"},
    "walker": {"errors"},
    "dicomfile": {"__init__"},
    "outtree": {"atomic", "errors"},
    "runmarks": set(),
    "worker": {"atomic", "container", "dicomfile", "engine", "errors", "profile", "pseudonym", "walker"},
    "runner": {
        "atomic",
        "audit",
        "container",
        "crypt_files",
        "errors",
        "keys",
        "outtree",
        "profile",
        "pseudonym",
        "runmarks",
        "walker",
        "worker",
    },
    "console": {"runner", "worker"},
    "cli": {
        "__init__",
        "audit",
        "auditcheck",
        "console",
        "container",
        "crypt_files",
        "errors",
        "keys",
        "outtree",
        "profile",
        "runner",
    },
    "__init__": {
        "audit",
        "auditcheck",
        "container",
        "crypt_files",
        "engine",
        "errors",
        "keys",
        "outtree",
        "profile",
        "pseudonym",
        "runner",
        "worker",
    },
    "__main__": {"cli"},
}
ONLY_CLI_UI = {"typer", "rich", "click"}
NO_IO_IN_ENGINE = {"os", "pathlib", "time", "random", "secrets", "shutil", "io", "subprocess", "socket"}


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(dcmscrub modules, top-level third-party or stdlib modules) imported by a file."""
    ours, others = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "dcmscrub":
                ours.update("__init__" if a.name == "__version__" else a.name for a in node.names)
            elif node.module.startswith("dcmscrub."):
                ours.add(node.module.split(".")[1])
            else:
                others.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("dcmscrub"):
                    ours.add(alias.name.split(".")[1] if "." in alias.name else "__init__")
                else:
                    others.add(alias.name.split(".")[0])
    return ours, others


def test_every_module_is_declared() -> None:
    assert {p.stem for p in SRC.glob("*.py")} == set(ALLOWED)


def test_imports_follow_the_layering() -> None:
    bad = []
    for path in SRC.glob("*.py"):
        ours, others = imports(path)
        extra = ours - ALLOWED[path.stem] - {path.stem}
        if extra:
            bad.append(f"{path.stem} imports {sorted(extra)}")
        if path.stem not in ("cli", "console") and others & ONLY_CLI_UI:
            bad.append(f"{path.stem} imports {sorted(others & ONLY_CLI_UI)}")
    assert not bad, bad


def test_the_engine_does_no_io() -> None:
    for name in ("engine", "plan", "dates", "iod", "textclean", "annex_e", "pseudonym"):
        _ours, others = imports(SRC / f"{name}.py")
        assert not others & NO_IO_IN_ENGINE, (name, others & NO_IO_IN_ENGINE)
        text = (SRC / f"{name}.py").read_text()
        assert "open(" not in text.replace("urlopen(", ""), name


def test_only_the_cli_catches_dcmscrub_errors() -> None:
    for path in SRC.glob("*.py"):
        text = path.read_text()
        if path.stem != "cli":
            assert "except DcmscrubError" not in text, path.stem
    assert (SRC / "cli.py").read_text().count("except DcmscrubError") == 1


def test_library_modules_do_not_print() -> None:
    for path in SRC.glob("*.py"):
        if path.stem in ("cli", "console", "__main__"):
            continue
        tree = ast.parse(path.read_text())
        calls = [
            n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"
        ]
        assert not calls, path.stem


def test_a_scrub_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    """What a `dcmscrub scrub` process imports is paid at every start (every cron run): no pydantic
    (typer 0.29 and later), no progress bar or table code without a terminal, no cryptography
    serialization. The run is real (one sample file, logged), so parse-time imports count too."""
    # the first in name order, not in the file system's listing order: the same run on every machine
    sample = sorted((SRC.parents[1] / "sample_data").rglob("*.dcm"))[0]
    code = (
        "import sys\n"
        "from dcmscrub.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = ['pydantic', 'rich.progress', 'rich.table',\n"
        "         'cryptography.hazmat.primitives.serialization']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    args = ["scrub", str(sample), "--out", str(tmp_path / "out"), "--no-encrypt", "--quiet"]
    args += ["--log", str(tmp_path / "audit.jsonl")]
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    assert (tmp_path / "out").is_dir()
    assert out.stdout.split() == []
