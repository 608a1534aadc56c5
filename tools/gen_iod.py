#!/usr/bin/env python3
"""Generate ``src/dcmscrub/standard/data/iod_types.json`` (IOD attribute types) from highdicom's tables.

highdicom (MIT licence) ships three tables derived from PS3.3 by innolitics' dicom-standard parser:
SOP Class UID -> IOD, IOD -> modules (with usage M/C/U), module -> attributes (keyword, type and
the keywords of the sequences above it; macros are already expanded in place). This script turns
them into one compact, versioned table that ``dcmscrub.standard.iod`` loads:

- tags are 8-hex-digit strings (keywords resolved with pydicom's dictionary; repeating-group
  attributes such as the overlay's ``60xx`` ones are stored at their base group, 6000);
- each module is a tree of item tables ``{tag: type}`` / ``{tag: [type, table]}`` (a sequence and
  the table of its items); identical tables are stored once and shared (the Code Sequence Macro,
  for instance, appears thousands of times in PS3.3);
- an IOD is a list of ``[module, usage]``; the reader takes, for each path, the strongest type over
  the IOD's modules ("1" > "1C" > "2" > "2C" > "3"). Usage is recorded but does not change types:
  see the module docstring of ``dcmscrub.standard.iod``;
- the Document Relationship Macro (PS3.3 Table C.17-6) includes itself in Content Sequence items,
  which the upstream parser expands only one level deep. Such a Content Sequence gets one item
  table, the union of the levels the parser expanded plus the macro's own attributes, whose own
  Content Sequence points back to it (a cycle), so any depth of an SR content tree resolves.

The edition is not in highdicom's wheel or sdist: it is stated in highdicom's repository
(``src/highdicom/_standard/README.md``), hence the table EDITIONS below, keyed by the pinned version.

    python tools/gen_iod.py [--out src/dcmscrub/standard/data/iod_types.json]
    python tools/gen_iod.py --check     # exit 1 if the committed file is stale
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pydicom
from pydicom.datadict import dictionary_keyword, repeater_has_tag, tag_for_keyword

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "dcmscrub" / "standard" / "data" / "iod_types.json"

FORMAT = "dcmscrub.iod-types"
FORMAT_VERSION = 1
TYPE_ORDER = ("1", "1C", "2", "2C", "3")  # strongest first
USAGES = ("M", "C", "U")

# highdicom version -> PS3.3 edition of its _standard/*.json, from highdicom's repository
# src/highdicom/_standard/README.md ("These were last generated using version 2026b of the
# standard."; identical at tag v0.28.1 and on main, whose three JSON files are byte-identical to
# those of the 0.28.2 wheel). Bump both together, after reading that README again.
EDITIONS = {"0.28.2": "2026b"}
SOURCE_FILES = ("sop_class_iod_map.json", "iod_module_map.json", "module_attribute_map.json")

# PS3.3 Table C.17-6 Document Relationship Macro: included again in each Content Sequence item
# ("Include Table C.17-6 if the Target Content Item is included by-value"), hence recursive.
CONTENT_SEQUENCE = 0x0040A730
RELATIONSHIP_TYPE = 0x0040A010
RELATIONSHIP_MACRO = {0x0040A032: "1C", 0x0040A171: "3", CONTENT_SEQUENCE: "1C"}  # ObservationDateTime, UID

# Repeating groups (PS3.5 7.6): stored at the base group; the reader maps 60xx/50xx there too.
REPEATING_GROUP_BASES = (0x5000, 0x6000)

Tree = dict[int, tuple[str, "Tree | None"]]  # tag -> (type, item tree if a sequence)


def stronger(a: str, b: str) -> str:
    return a if TYPE_ORDER.index(a) <= TYPE_ORDER.index(b) else b


def tag_of(keyword: str) -> int:
    """The tag of a keyword, repeating-group keywords at their base group."""
    tag = tag_for_keyword(keyword)
    if tag is not None:
        return int(tag)
    found = _repeater_tags().get(keyword)
    if found is None:
        raise KeyError(f"keyword {keyword} is not in pydicom {pydicom.__version__}'s dictionary")
    return found


@functools.cache
def _repeater_tags() -> dict[str, int]:
    """Keyword -> tag at the base group, for the repeating groups (pydicom's public API only)."""
    out: dict[str, int] = {}
    for base in REPEATING_GROUP_BASES:
        for element in range(0x10000):
            tag = (base << 16) | element
            if repeater_has_tag(tag):
                out[dictionary_keyword(tag)] = tag
    return out


def load_source() -> tuple[dict[str, Any], dict[str, str]]:
    """highdicom's three tables, and their sha256."""
    base = resources.files("highdicom") / "_standard"
    data: dict[str, Any] = {}
    digests: dict[str, str] = {}
    for name in SOURCE_FILES:
        raw = (base / name).read_bytes()
        data[name] = json.loads(raw)
        digests[name] = hashlib.sha256(raw).hexdigest()
    return data, digests


def module_tree(rows: Iterable[Mapping[str, Any]], module: str) -> Tree:
    """A module's attribute rows as a tree; a path seen twice keeps its strongest type."""
    root: Tree = {}
    for row in rows:
        kind = row["type"]
        if kind not in TYPE_ORDER:
            raise ValueError(f"module {module}: type {kind!r} of {row['keyword']}")
        node = root
        for kw in row["path"]:
            tag = tag_of(kw)
            if tag not in node:
                # the sequence's own row comes first in highdicom's lists; never seen otherwise
                raise ValueError(f"module {module}: {row['keyword']} under {kw}, which has no row")
            t, sub = node[tag]
            if sub is None:
                sub = {}
                node[tag] = (t, sub)
            node = sub
        tag = tag_of(row["keyword"])
        old = node.get(tag)
        node[tag] = (kind, None) if old is None else (stronger(old[0], kind), old[1])
    return root


def merge_into(dst: Tree, src: Tree) -> None:
    for tag, (kind, sub) in src.items():
        if tag not in dst:
            dst[tag] = (kind, None if sub is None else merge_copy(sub))
            continue
        old_kind, old_sub = dst[tag]
        if sub is not None:
            if old_sub is None:
                old_sub = {}
            merge_into(old_sub, sub)
        dst[tag] = (stronger(old_kind, kind), old_sub)


def merge_copy(tree: Tree) -> Tree:
    out: Tree = {}
    merge_into(out, tree)
    return out


def close_content_sequences(tree: Tree) -> int:
    """Make every Document Relationship Macro Content Sequence recursive; returns how many."""
    count = 0
    for tag, (kind, sub) in list(tree.items()):
        if sub is None:
            continue
        if tag == CONTENT_SEQUENCE and RELATIONSHIP_TYPE in sub:
            item: Tree = {}
            level: Tree | None = sub
            while level is not None:  # the levels the parser expanded
                merge_into(item, {t: v for t, v in level.items() if t != CONTENT_SEQUENCE})
                inner = level.get(CONTENT_SEQUENCE)
                level = inner[1] if inner else None
            merge_into(item, {t: (k, None) for t, k in RELATIONSHIP_MACRO.items() if t != CONTENT_SEQUENCE})
            item[CONTENT_SEQUENCE] = (RELATIONSHIP_MACRO[CONTENT_SEQUENCE], item)  # the cycle
            tree[tag] = (kind, item)
            count += 1
        else:
            count += close_content_sequences(sub)
    return count


class TableStore:
    """Item tables, each stored once; a table is referenced by its index."""

    def __init__(self) -> None:
        self.tables: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}
        self._by_id: dict[int, int] = {}  # id(tree) -> index, for cycles

    def add(self, tree: Tree) -> int:
        if id(tree) in self._by_id:
            return self._by_id[id(tree)]
        if any(sub is tree for _, sub in tree.values()):  # a self-cycle: reserve the slot first
            index = len(self.tables)
            self.tables.append({})
            self._by_id[id(tree)] = index
            self.tables[index] = self._encode(tree)
            return index
        encoded = self._encode(tree)
        key = json.dumps(encoded, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.tables)
            self.tables.append(encoded)
        self._by_id[id(tree)] = self._index[key]
        return self._index[key]

    def _encode(self, tree: Tree) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for tag in sorted(tree):
            kind, sub = tree[tag]
            out[f"{tag:08X}"] = kind if sub is None else [kind, self.add(sub)]
        return out


def build(data: Mapping[str, Any], digests: Mapping[str, str], hd_version: str) -> dict[str, Any]:
    sop_map: dict[str, str] = data["sop_class_iod_map.json"]
    iod_map: dict[str, list[dict[str, str]]] = data["iod_module_map.json"]
    attr_map: dict[str, list[dict[str, Any]]] = data["module_attribute_map.json"]

    iods = sorted(set(sop_map.values()))
    used = sorted({m["key"] for iod in iods for m in iod_map[iod]})
    missing = [m for m in used if m not in attr_map]
    trees = {m: module_tree(attr_map[m], m) for m in used if m in attr_map}
    recursive = sum(close_content_sequences(t) for t in trees.values())

    store = TableStore()
    modules = {m: store.add(trees[m]) for m in sorted(trees)}
    iod_out: dict[str, list[list[str]]] = {}
    for iod in iods:
        rows = []
        for m in iod_map[iod]:
            if m["usage"] not in USAGES:
                raise ValueError(f"IOD {iod}: usage {m['usage']!r} of {m['key']}")
            rows.append([m["key"], m["usage"]])
        iod_out[iod] = rows
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "standard": {"part": "PS3.3", "edition": EDITIONS[hd_version]},
        "source": {
            "package": "highdicom",
            "version": hd_version,
            "licence": "MIT",
            "files": {f"highdicom/_standard/{n}": {"sha256": digests[n]} for n in SOURCE_FILES},
            "keyword_dictionary": f"pydicom {pydicom.__version__}",
        },
        "generator": "tools/gen_iod.py",
        "type_order": list(TYPE_ORDER),
        "repeating_group_bases": [f"{g:04X}" for g in REPEATING_GROUP_BASES],
        "notes": {
            "modules_without_attributes": missing,
            "iods_without_sop_class": sorted(set(iod_map) - set(iods)),
            "recursive_content_sequences": recursive,
        },
        "sop_classes": dict(sorted(sop_map.items())),
        "iods": iod_out,
        "modules": modules,
        "tables": store.tables,
    }


def render(table: Mapping[str, Any]) -> str:
    """Compact JSON, one top-level key and one item table per line (diffs stay readable)."""
    lines = ["{"]
    keys = list(table)
    for i, key in enumerate(keys):
        end = "," if i < len(keys) - 1 else ""
        value = table[key]
        if key == "tables":
            lines.append(f"{json.dumps(key)}: [")
            for j, t in enumerate(value):
                sep = "," if j < len(value) - 1 else ""
                lines.append(json.dumps(t, separators=(",", ":")) + sep)
            lines.append("]" + end)
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def same_table(committed: str, fresh: str) -> bool:
    """True when the committed table is what a fresh build gives. The pydicom version in the
    header may differ (the dependency is a range, not a pin): what its keyword dictionary gives
    is compared, not its version string."""
    if committed == fresh:
        return True
    try:
        old, new = json.loads(committed), json.loads(fresh)
    except ValueError:
        return False
    for doc in (old, new):
        if isinstance(doc, dict) and isinstance(doc.get("source"), dict):
            doc["source"].pop("keyword_dictionary", None)
    return bool(old == new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh build")
    args = parser.parse_args(argv)

    hd_version = metadata.version("highdicom")
    if hd_version not in EDITIONS:
        print(f"highdicom {hd_version}: edition unknown; read its _standard/README.md, add it to EDITIONS")
        return 2
    data, digests = load_source()
    text = render(build(data, digests, hd_version))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if not same_table(current, text):
            print(f"{args.out} is stale: run python tools/gen_iod.py")
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
