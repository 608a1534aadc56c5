"""The design's rules, checked on the source (docs/architecture.md, "Who may import whom").

These tests state the rules, not a copy of today's imports: a new module in a stage is held to
its stage's rules without being listed here. Each rule is checked by reading the AST of every
module under src/dcmscrub, and each has a test that feeds it a small offending source and sees
it complain, so a rule that stopped matching anything would fail too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "dcmscrub"

# The stages, bottom up, and which other stages each may import. The base modules (errors,
# outcomes, _version, atomic) may be imported by anyone and import no stage.
BASE = frozenset({"errors", "outcomes", "_version", "atomic"})
STAGES: dict[str, frozenset[str]] = {
    "standard": frozenset(),
    "dicomio": frozenset(),
    "age": frozenset(),
    "audit": frozenset(),
    "deid": frozenset({"standard", "dicomio.elements"}),  # dicomio's in-memory element access only
    "keys": frozenset({"age"}),
    "profiles": frozenset({"deid", "standard"}),
    # the re-identification table: written through age, recorded in audit, rows from deid
    "escrow": frozenset({"age", "audit", "deid", "keys"}),
    "batch": frozenset({"standard", "deid", "dicomio", "age", "keys", "audit", "profiles", "escrow"}),
    "cli": frozenset({"standard", "deid", "dicomio", "age", "keys", "audit", "profiles", "escrow", "batch"}),
}
TOP = {"__init__": frozenset(STAGES), "__main__": frozenset({"cli"})}
ONLY_CLI = frozenset({"typer", "rich", "click"})
# what "no I/O, no clock, no randomness" means for the stages that work in memory
NO_IO = frozenset({"os", "pathlib", "time", "random", "secrets", "shutil", "io", "subprocess", "socket"})
IN_MEMORY_STAGES = ("deid", "standard")
CLOCK_CALLS = frozenset({"now", "today", "utcnow", "time", "monotonic", "perf_counter"})


def modules() -> Iterator[tuple[str, Path]]:
    """(dotted name under dcmscrub, path) of every module."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        yield ".".join(rel.parts), path


def stage_of(name: str) -> str:
    return name.split(".")[0]


def dcmscrub_imports(tree: ast.AST) -> Iterator[str]:
    """What a module imports of dcmscrub, as dotted names under dcmscrub (``from dcmscrub.deid
    import engine`` gives ``deid.engine``; ``from dcmscrub.deid.engine import deidentify`` gives
    ``deid.engine.deidentify``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "dcmscrub":
            inner = ".".join(node.module.split(".")[1:])
            for alias in node.names:
                yield f"{inner}.{alias.name}" if inner else alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "dcmscrub":
                    yield ".".join(alias.name.split(".")[1:])


def other_imports(tree: ast.AST) -> set[str]:
    """Top-level names of the non-dcmscrub modules a module imports."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            out.update(alias.name.split(".")[0] for alias in node.names)
    return out - {"dcmscrub"}


# -------------------------------------------------------------------------------- the rules


def import_problems(name: str, tree: ast.AST) -> list[str]:
    """Imports of ``name`` that break the stage rules."""
    stage = stage_of(name)
    allowed = TOP[name] if name in TOP else STAGES.get(stage, frozenset())
    problems = []
    for target in dcmscrub_imports(tree):
        target_stage = stage_of(target)
        if target_stage == stage:
            continue
        if stage in BASE:
            problems.append(f"{name} (a base module) imports {target}")
        elif target_stage not in BASE and not any(target == a or target.startswith(a + ".") for a in allowed):
            problems.append(f"{name} imports {target}")
    if stage != "cli" and other_imports(tree) & ONLY_CLI:
        problems.append(f"{name} imports {sorted(other_imports(tree) & ONLY_CLI)}")
    return problems


def io_problems(name: str, tree: ast.AST) -> list[str]:
    """I/O, clock or randomness in a module of a stage that works in memory."""
    if stage_of(name) not in IN_MEMORY_STAGES or name in ("standard.tables",):
        return []  # standard.tables reads the package's own data files, once
    problems = [f"{name} imports {m}" for m in sorted(other_imports(tree) & NO_IO)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                problems.append(f"{name} calls open()")
            if isinstance(func, ast.Attribute) and func.attr in CLOCK_CALLS:
                problems.append(f"{name} reads a clock ({func.attr})")
    return problems


def internals_problems(name: str, tree: ast.AST) -> list[str]:
    """pydicom internals (a private module or a private attribute of a pydicom object) outside
    dicomio. Private names of dcmscrub's own classes and modules are fine."""
    if stage_of(name) == "dicomio":
        return []
    problems = []
    own = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef | ast.FunctionDef)}
    for node in ast.walk(tree):
        module = node.module if isinstance(node, ast.ImportFrom) else None
        if module and module.startswith("pydicom") and any(p.startswith("_") for p in module.split(".")):
            problems.append(f"{name} imports {module}")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            if isinstance(base, ast.Name) and (base.id in ("self", "cls") or base.id in own):
                continue
            problems.append(f"{name} reaches into {ast.unparse(node)}")
    return problems


def error_classes() -> set[str]:
    """Names of DcmscrubError and its subclasses (read from errors.py)."""
    tree = ast.parse((SRC / "errors.py").read_text())
    found = {"DcmscrubError"}
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            is_new = isinstance(node, ast.ClassDef) and node.name not in found
            if is_new and any(isinstance(b, ast.Name) and b.id in found for b in node.bases):  # type: ignore[union-attr]
                found.add(node.name)  # type: ignore[union-attr]
                changed = True
    return found


def rewrap_problems(name: str, tree: ast.AST, errors: set[str]) -> list[str]:
    """``except SomeError: raise OtherError(...)`` where both are dcmscrub errors: the first error
    (with its exit code and message) is thrown away. Let it propagate, or add to it and ``raise``."""
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ExceptHandler) or node.type is None:
            continue
        caught = [node.type] if not isinstance(node.type, ast.Tuple) else list(node.type.elts)
        if not any(isinstance(c, ast.Name) and c.id in errors for c in caught):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Raise) and isinstance(inner.exc, ast.Call):
                func = inner.exc.func
                if isinstance(func, ast.Name) and func.id in errors:
                    problems.append(f"{name}: line {inner.lineno} rewraps a dcmscrub error as {func.id}")
    return problems


def exit_problems(name: str, tree: ast.AST) -> list[str]:
    """An exit decided outside the one error map (cli.main; cli.app's --version exits 0)."""
    if name in ("cli.main", "cli.app"):
        return []
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            text = ast.unparse(node.func)
            if text in ("sys.exit", "typer.Exit", "SystemExit", "os._exit", "exit"):
                problems.append(f"{name}: line {node.lineno} exits ({text})")
    return problems


# -------------------------------------------------------------------------------- the tests


def all_problems(check: object) -> list[str]:
    out: list[str] = []
    errors = error_classes()
    for name, path in modules():
        tree = ast.parse(path.read_text())
        if check is rewrap_problems:
            out += rewrap_problems(name, tree, errors)
        else:
            out += check(name, tree)  # type: ignore[operator]
    return out


def test_imports_follow_the_stages() -> None:
    assert all_problems(import_problems) == []


def test_the_in_memory_stages_do_no_io() -> None:
    assert all_problems(io_problems) == []


def test_only_dicomio_touches_pydicom_internals() -> None:
    assert all_problems(internals_problems) == []


def test_no_dcmscrub_error_is_caught_and_rewrapped() -> None:
    assert all_problems(rewrap_problems) == []


def test_exit_codes_are_decided_only_by_the_error_map() -> None:
    assert all_problems(exit_problems) == []
    main = (SRC / "cli" / "main.py").read_text()
    assert main.count("except DcmscrubError") == 1


def test_only_the_cli_catches_the_base_error() -> None:
    for name, path in modules():
        if name != "cli.main":
            assert "except DcmscrubError" not in path.read_text(), name


def test_library_modules_do_not_print() -> None:
    for name, path in modules():
        if stage_of(name) == "cli" or name == "__main__":
            continue
        tree = ast.parse(path.read_text())
        calls = [
            n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"
        ]
        assert not calls, name


def test_no_module_is_over_about_400_lines() -> None:
    long = {name: n for name, path in modules() if (n := len(path.read_text().splitlines())) > 450}
    assert long == {}


# -------------------------------------------------------------------------------- the rules bite


def parse(text: str) -> ast.AST:
    return ast.parse(text)


def test_the_import_rule_bites() -> None:
    assert import_problems("deid.engine", parse("from dcmscrub.batch.worker import Worker")) != []
    assert import_problems("deid.engine", parse("from dcmscrub.dicomio.read import read_header")) != []
    assert import_problems("deid.engine", parse("from dcmscrub.dicomio import elements")) == []
    assert import_problems("deid.engine", parse("from dcmscrub.dicomio.elements import tags")) == []
    assert import_problems("audit.log", parse("import dcmscrub.batch.scrub")) != []
    assert import_problems("errors", parse("from dcmscrub.deid import engine")) != []
    assert import_problems("batch.scrub", parse("import rich")) != []
    assert import_problems("cli.scrub", parse("import rich\nfrom dcmscrub.batch import scrub")) == []


def test_the_io_rule_bites() -> None:
    assert io_problems("deid.engine", parse("import os")) != []
    assert io_problems("deid.engine", parse("x = open('f')")) != []
    assert io_problems("deid.dates", parse("import datetime\nd = datetime.date.today()")) != []
    assert io_problems("batch.scrub", parse("import os")) == []


def test_the_internals_rule_bites() -> None:
    assert internals_problems("deid.engine", parse("x = ds._dict")) != []
    assert internals_problems("deid.engine", parse("from pydicom._dicom_dict import DicomDictionary")) != []
    assert internals_problems("dicomio.elements", parse("x = ds._dict")) == []
    assert (
        internals_problems("deid.engine", parse("class A:\n    def f(self):\n        return self._x")) == []
    )


def test_the_rewrap_rule_bites() -> None:
    errors = {"DcmscrubError", "ConfigError", "KeyFileError"}
    bad = "try:\n    f()\nexcept ConfigError as exc:\n    raise KeyFileError(str(exc))\n"
    fine = "try:\n    f()\nexcept OSError:\n    raise KeyFileError('x')\n"
    assert rewrap_problems("keys.x", parse(bad), errors) != []
    assert rewrap_problems("keys.x", parse(fine), errors) == []
    assert "KeyFileError" in error_classes() and "PartialRunError" in error_classes()


def test_the_exit_rule_bites() -> None:
    assert exit_problems("batch.scrub", parse("import sys\nsys.exit(3)")) != []
    assert exit_problems("cli.scrub", parse("import typer\nraise typer.Exit(3)")) != []
    assert exit_problems("cli.main", parse("import sys\nsys.exit(3)")) == []


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
