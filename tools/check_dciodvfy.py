#!/usr/bin/env python3
"""Which dciodvfy error kinds do de-identified outputs gain over their inputs?

For every file of the given corpora that pydicom reads (without ``force``), that names its SOP
class and whose IOD dciodvfy recognises, de-identify it under each profile (the library's
``scrub_tree``, plain outputs, one run per corpus and profile; each output is matched to its
input through the run's results), run dciodvfy on the input (once) and on each output, and list
the error *kinds* an output has and its input did not. A kind is a dciodvfy ``Error`` line
without the values it quotes (see :func:`error_kind`), so a changed value is not a new error but
a newly missing attribute, a newly empty Type 1 attribute or a value newly invalid for its VR is.

    python tools/check_dciodvfy.py --work /tmp/dv --json dv.json --markdown dv.md \\
        [--corpus NAME=DIR ...] [--profile P ...] [--jobs 2]

Default corpora: pydicom's bundled test files, pydicom-data (module ``data_store``) and the
repository's ``sample_data/``. The exit status is 1 when some output gained an error kind, 0
otherwise. Nothing here prints a DICOM value: dciodvfy lines are reduced to kinds before they are
stored. This module is also the one place the tests take dciodvfy's reading and the kinds from
(tests/conftest.py ``load_tool``).
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pydicom
from pydicom.datadict import dictionary_has_tag, dictionary_keyword
from pydicom.uid import UID

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ("basic", "research-longitudinal", "limited-data-set")
FATAL = ("read failed", "Seek failed", "Tags out of order", "Information Object Not found")
"""dciodvfy could not read the object, or does not know its IOD: nothing to compare."""

_TAG = re.compile(r"\((?:0x)?([0-9a-fA-F]{4}),(?:0x)?([0-9a-fA-F]{4})\)")
_UID = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}(?![\w.])")
_REMOVE = (
    re.compile(r"\s*\b[A-Z]{2}\s*\[\d+\]\s*=\s*<.*?>(?=\s+-\s|\s*$)"),  # "DA [0] = <value>"
    re.compile(r" = <.*$"),  # a value dciodvfy could not quote cleanly (e.g. XML)
    re.compile(r"= '.*?' \((?:0x)?[0-9a-fA-F]+\)"),  # "= 'c' (0x63)": the offending character
)
_REPLACE = (
    (re.compile(r"value <.*?> for value \d+ of"), "value <> for value of"),  # enumerated values
    (re.compile(r'"[^"]*"'), '""'),  # quoted values ("Illegal root for UID")
    (re.compile(r"(UID) \S+$"), r"\1 <uid>"),  # "... ReferencedSOPInstanceUID 0"
    (re.compile(r"for value \d+ (of|in)"), r"for value \1"),
    (re.compile(r"\[\d+\]"), "[]"),
    (re.compile(r"\bvalues are \S+"), "values are <n>"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b"), "<n>"),
    (re.compile(r"(?<!Type )(?<![\w.<-])-?\d+(?:\.\d+)?(?![\w.])"), "<n>"),  # lengths, counts
)
_ELEMENT = re.compile(r"Element=<(\w+)>")
_ATTRIBUTE = re.compile(r"attribute <([^<>]+)>")

T = TypeVar("T")
R = TypeVar("R")


def error_kind(line: str) -> str:
    """A dciodvfy ``Error`` line without its values: what is wrong, and with which attribute.

    Quoted values, UIDs, value numbers, offending characters, lengths and counts are dropped;
    the message, the Type, the attribute (keyword or tag) and the module are kept.
    """
    text = line.split("Error - ", 1)[1] if "Error - " in line else line
    tags = [f"({g.upper()},{e.upper()})" for g, e in _TAG.findall(text)]
    text = _TAG.sub("@TAG@", text)
    for pattern in _REMOVE:
        text = pattern.sub("", text)
    text = _UID.sub("<uid>", text)
    for pattern, repl in _REPLACE:
        text = pattern.sub(repl, text)
    for tag in tags:
        text = text.replace("@TAG@", tag, 1)
    return re.sub(r"\s+", " ", text).strip()


def attribute_of(kind: str) -> str:
    """The attribute an error kind is about (keyword, or dciodvfy's name for it), or ``-``."""
    m = _ELEMENT.search(kind)
    if m:
        return m.group(1)
    t = _TAG.search(kind)
    if t:
        tag = int(t.group(1) + t.group(2), 16)
        return dictionary_keyword(tag) if dictionary_has_tag(tag) else t.group(0)
    m = _ATTRIBUTE.search(kind)
    return m.group(1) if m else "-"


def dciodvfy(path: Path) -> tuple[str, list[str]]:
    """dciodvfy's first line (the IOD it recognised) and its ``Error`` lines."""
    proc = subprocess.run(
        ["dciodvfy", str(path)], capture_output=True, text=True, errors="replace", timeout=120, check=False
    )
    lines = (proc.stdout + proc.stderr).splitlines()
    iod = next((ln.strip() for ln in lines if ln.strip() and " - " not in ln), "")
    return iod, [ln.strip() for ln in lines if re.search(r"(^|\s)Error - ", ln)]


def can_parse(errors: Iterable[str]) -> bool:
    """False when dciodvfy could not read the object at all (or does not know its IOD)."""
    return not any(f in e for e in errors for f in FATAL)


def kinds_of(path: Path) -> set[str]:
    """The error kinds dciodvfy reports for ``path``."""
    return {error_kind(e) for e in dciodvfy(path)[1]}


def parallel(func: Callable[[T], R], items: Iterable[T], jobs: int) -> list[R]:
    """``[func(i) for i in items]``, ``jobs`` at a time (dciodvfy runs are separate processes)."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(func, items))


@dataclass
class Run:
    outcome: str  # written | quarantined | failed | skipped | exists | missing
    reason: str = ""  # dcmscrub's reason code for a file not written
    output_kinds: int | None = None  # error kinds of the output (None: no output)
    gained: list[str] = field(default_factory=list)  # kinds the output has and the input had not
    lost: int | None = None  # how many input kinds the output no longer has


@dataclass
class Case:
    corpus: str
    name: str  # path relative to the corpus root
    sop_class: str = ""
    sop_instance: str = ""
    sop_name: str = ""
    iod: str = ""
    status: str = ""  # readable | pydicom-unreadable | no-sop-class | dciodvfy-unreadable
    input_kinds: list[str] = field(default_factory=list)
    runs: dict[str, Run] = field(default_factory=dict)


def _survey_one(corpus: str, root: Path, path: Path) -> Case:
    case = Case(corpus, path.relative_to(root).as_posix())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydicom's warnings quote values
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        case.sop_class = str(ds.get("SOPClassUID", "") or "")
        case.sop_instance = str(ds.get("SOPInstanceUID", "") or "")
    except Exception:
        case.status = "pydicom-unreadable"
        return case
    case.sop_name = UID(case.sop_class).name if case.sop_class else ""
    if not case.sop_class:
        case.status = "no-sop-class"
        return case
    iod, errors = dciodvfy(path)
    if not can_parse(errors):
        case.status = "dciodvfy-unreadable"
    else:
        case.status = "readable"
        case.iod = iod
        case.input_kinds = sorted({error_kind(e) for e in errors})
    return case


def survey(corpus: str, root: Path, jobs: int = 1) -> list[Case]:
    """Every file under ``root``: is it readable (see the module docstring), and its input kinds."""
    paths = sorted(p for p in root.rglob("*") if p.is_file())
    return parallel(functools.partial(_survey_one, corpus, root), paths, jobs)


def scrub_files(files: list[Path], out: Path, profile: str, jobs: int, key: bytes) -> list[Any]:
    """De-identify ``files`` (no two with one SOP Instance UID) into ``out`` (plain files, no audit
    log) under the built-in ``profile``; return their ``FileResult``s in the order of ``files``.

    Pixel data is let through (``burned_in: allow``): this checks what the header becomes, and a
    release would hold back ultrasound, screen captures and files with burned-in text, whose
    headers must be valid all the same (their outputs then say PatientIdentityRemoved NO)."""
    import dataclasses

    from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
    from dcmscrub.batch.sink import PlainSink
    from dcmscrub.profiles import load_profile

    results: list[Any] = [None] * len(files)
    checked = dataclasses.replace(load_profile(profile), burned_in="allow")
    options = ScrubOptions(checked, PlainSink(), linkage_key=key, jobs=jobs)
    scrub_tree(files, out, options, on_result=lambda r: results.__setitem__(r.index, r))
    return results


def rounds(cases: list[Case]) -> list[list[Case]]:
    """The cases in rounds without two of one SOP Instance UID (test files often share one: the
    same object in several transfer syntaxes), so that each gets its own output."""
    out: list[list[Case]] = []
    seen: collections.Counter[str] = collections.Counter()
    for case in cases:
        k = seen[case.sop_instance]
        seen[case.sop_instance] += 1
        if k == len(out):
            out.append([])
        out[k].append(case)
    return out


def check(
    cases: list[Case], roots: Mapping[str, Path], work: Path, profiles: Iterable[str], jobs: int, key: bytes
) -> None:
    """De-identify every readable case under each profile and fill its ``runs``."""
    readable = [c for c in cases if c.status == "readable"]
    written: list[tuple[Run, Case, Path]] = []
    for profile in profiles:
        for i, batch in enumerate(rounds(readable)):
            out = work / profile / f"round-{i:02d}"
            files = [roots[c.corpus] / c.name for c in batch]
            for case, r in zip(batch, scrub_files(files, out, profile, jobs, key), strict=True):
                run = case.runs[profile] = Run(str(r.outcome), str(r.reason or ""))
                if run.outcome == "written" and r.output:
                    written.append((run, case, out / r.output))
    found = parallel(lambda w: kinds_of(w[2]), written, jobs)
    for (run, case, _path), kinds in zip(written, found, strict=True):
        run.output_kinds = len(kinds)
        run.gained = sorted(kinds - set(case.input_kinds))
        run.lost = len(set(case.input_kinds) - kinds)


def check_all(
    corpora: Mapping[str, Path], profiles: Iterable[str], work: Path, jobs: int, key: bytes = b"\x01" * 32
) -> list[Case]:
    """Survey every corpus and check its readable files under every profile (outputs in ``work``)."""
    cases = [case for name, root in corpora.items() for case in survey(name, root, jobs)]
    check(cases, corpora, work, list(profiles), jobs, key)
    return cases


def default_corpora() -> dict[str, Path]:
    import data_store  # type: ignore[import-untyped]  # pydicom-data

    return {
        "pydicom": Path(pydicom.__file__).parent / "data" / "test_files",
        "pydicom-data": Path(data_store.__file__).parent,
        "sample_data": ROOT / "sample_data",
    }


def summarise(cases: list[Case], profiles: Iterable[str]) -> dict[str, Any]:
    profiles = list(profiles)
    status = collections.Counter(f"{c.corpus}:{c.status}" for c in cases)
    readable = [c for c in cases if c.status == "readable"]
    runs = [(c, p, c.runs[p]) for c in readable for p in profiles if p in c.runs]
    outcomes = collections.Counter(f"{p}:{r.outcome}" for _c, p, r in runs)
    outputs = sum(1 for _c, _p, r in runs if r.output_kinds is not None)
    bad = [(c, p, r) for c, p, r in runs if r.gained]
    kinds: dict[tuple[str, str, str], set[str]] = collections.defaultdict(set)
    for c, p, r in bad:
        for k in r.gained:
            kinds[(c.sop_name or c.sop_class, attribute_of(k), k)].add(p)
    return {
        "files": len(cases),
        "status": dict(sorted(status.items())),
        "readable": len(readable),
        "input_kinds": sum(len(c.input_kinds) for c in readable),
        "outcomes": dict(sorted(outcomes.items())),
        "outputs_checked": outputs,
        "outputs_with_gained_errors": len(bad),
        "gained_kinds": len({k for (_s, _a, k) in kinds}),
        "lost_kinds": sum(r.lost or 0 for _c, _p, r in runs),
        "gained_by_sop_class_and_attribute": [
            {"sop_class": s, "attribute": a, "kind": k, "profiles": sorted(ps)}
            for (s, a, k), ps in sorted(kinds.items())
        ],
    }


def gained_lines(cases: list[Case], profile: str) -> list[str]:
    """``corpus/file (SOP class): kind`` for every kind an output gained under ``profile``."""
    return [
        f"{c.corpus}/{c.name} ({c.sop_name or c.sop_class}): {k}"
        for c in cases
        if profile in c.runs
        for k in c.runs[profile].gained
    ]


def markdown(cases: list[Case], summary: dict[str, Any], profiles: list[str]) -> str:
    lines = ["| corpus:status | files |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in summary["status"].items()]
    lines += ["", "| profile:outcome | runs |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in summary["outcomes"].items()]
    lines += [
        "",
        "Outputs with gained error kinds:",
        "",
        "| corpus/file | SOP class | profile | gained kinds |",
    ]
    lines += ["|---|---|---|---|"]
    for c in cases:
        for p in profiles:
            run = c.runs.get(p)
            if run and run.gained:
                lines.append(f"| {c.corpus}/{c.name} | {c.sop_name} | {p} | {len(run.gained)} |")
    lines += ["", "Gained error kinds (SOP class, attribute, kind, profiles):", ""]
    lines += ["| SOP class | attribute | kind | profiles |", "|---|---|---|---|"]
    for row in summary["gained_by_sop_class_and_attribute"]:
        kind = row["kind"].replace("|", "\\|")
        lines.append(f"| {row['sop_class']} | {row['attribute']} | {kind} | {', '.join(row['profiles'])} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="scratch folder for outputs (emptied)")
    parser.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--profile", action="append", default=[], choices=PROFILES)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)

    if shutil.which("dciodvfy") is None:
        print("dciodvfy is not installed (Debian: apt-get install dicom3tools)", file=sys.stderr)
        return 2
    corpora = dict(c.split("=", 1) for c in args.corpus) if args.corpus else default_corpora()
    roots = {name: Path(d) for name, d in corpora.items()}
    profiles = args.profile or list(PROFILES)
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)

    cases = check_all(roots, profiles, args.work, args.jobs)
    summary = summarise(cases, profiles)
    if args.json:
        args.json.write_text(
            json.dumps({"summary": summary, "cases": [asdict(c) for c in cases]}, indent=1), encoding="utf-8"
        )
    if args.markdown:
        args.markdown.write_text(markdown(cases, summary, profiles), encoding="utf-8")
    print(
        f"{summary['readable']} readable of {summary['files']} files; {summary['outputs_checked']} outputs; "
        f"{summary['outputs_with_gained_errors']} gained {summary['gained_kinds']} error kinds"
    )
    return 1 if summary["outputs_with_gained_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
