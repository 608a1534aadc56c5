#!/usr/bin/env python3
"""Show what de-identification changed in one file: ``make demo`` runs it after scrubbing.

    python tools/show_changes.py INPUT_TREE OUTPUT_TREE [--input RELPATH]

It picks one input (the first CT slice of ``sample_data/`` by default), finds its output by
the pixel data (which passes through byte for byte, so it identifies the pair without any
key), and prints every attribute that was removed, changed or added, at every depth.
Plain (``--no-encrypt``) outputs only.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from rich.console import Console
from rich.table import Table

DEFAULT_INPUT = "DOE_JANE_FAKE-MRN-0001/CT_2024-01-15/slice_001.dcm"


def _pixel_key(ds: Dataset) -> str | None:
    elem = ds.get((0x7FE0, 0x0010))
    return hashlib.sha256(elem.value).hexdigest() if elem is not None else None


def _flatten(ds: Dataset, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for elem in ds:
        if elem.tag == 0x7FE00010:
            continue
        name = elem.keyword or str(elem.tag)
        key = f"{prefix}{name}"
        if elem.VR == "SQ":
            out[key] = f"<{len(elem.value)} item(s)>"
            for i, item in enumerate(elem.value):
                out.update(_flatten(item, f"{key}[{i}]."))
        else:
            text = repr(elem.value) if isinstance(elem.value, bytes) else str(elem.value)
            out[key] = text if len(text) <= 70 else text[:67] + "..."
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input_tree", type=Path)
    ap.add_argument("output_tree", type=Path)
    ap.add_argument("--input", default=DEFAULT_INPUT, help="input file, relative to INPUT_TREE")
    a = ap.parse_args(argv)
    src = a.input_tree / a.input
    before = pydicom.dcmread(src)
    key = _pixel_key(before)
    match = None
    for path in sorted(a.output_tree.rglob("*.dcm")):
        candidate = pydicom.dcmread(path)
        if key is not None and _pixel_key(candidate) == key:
            match = (path, candidate)
            break
    if match is None:
        print(f"no output found for {a.input} (encrypted outputs cannot be compared)", file=sys.stderr)
        return 1
    out_path, after = match
    old, new = _flatten(before), _flatten(after)
    table = Table(title=f"{a.input}\n-> {out_path.relative_to(a.output_tree)}", show_lines=False)
    for col in ("attribute", "before", "after"):
        table.add_column(col, overflow="fold")
    kept = 0
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            kept += 1
            continue
        table.add_row(name, old.get(name, "[dim](absent)"), new.get(name, "[red](removed)"))
    console = Console()
    console.print(table)
    console.print(f"{kept} attributes unchanged; pixel data identical (sha256 {key[:16] if key else '-'}...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
