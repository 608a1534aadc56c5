"""Table E.1-1 (PS3.15 2024b): the Basic Profile's action and each option's action per attribute.

The table ships as data generated from the standard (``data/table-e1-1.yaml``, made by
``tools/gen_annex_e.py``); this module loads it once per process and says how an action code is
chosen when several enabled options name the same attribute.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dcmscrub.standard.options import OPTIONS
from dcmscrub.standard.tables import read_table

# Action codes, from least to most revealing. When several enabled options name one attribute,
# the least revealing of their actions wins (e.g. CalibrationDateTime under both
# retain-device-identity (K) and retain-long-modified-dates (C) is shifted, not kept).
REVEAL_ORDER = ("X", "Z", "D", "U", "C", "K")


@dataclass(frozen=True)
class TableRow:
    """One row of Table E.1-1: Basic Profile action and per-option actions."""

    tag: str  # 8 hex digits, may hold x (repeating groups) or be ggggeeee (all private)
    keyword: str
    vr: str | None
    basic: str
    options: dict[str, str]

    def action_for(self, options: frozenset[str]) -> str:
        """The row's action under the enabled ``options``."""
        named = [self.options[o] for o in options if o in self.options]
        if not named:
            return self.basic
        return min(named, key=REVEAL_ORDER.index)


@dataclass(frozen=True)
class Table:
    """Table E.1-1 plus the CID 7050 codes of the Basic Profile and each option."""

    rows: tuple[TableRow, ...]
    codes: dict[str, tuple[str, str, str]]  # option (or "basic") -> (value, scheme, meaning)

    @functools.cached_property
    def by_tag(self) -> dict[int, TableRow]:
        """Rows for single public tags, by tag number."""
        return {int(r.tag, 16): r for r in self.rows if all(c in "0123456789abcdef" for c in r.tag)}

    def row(self, tag: str) -> TableRow:
        """The row with this exact tag text (e.g. ``60xx3000``)."""
        for r in self.rows:
            if r.tag == tag:
                return r
        raise KeyError(tag)


@functools.cache
def load_table() -> Table:
    """Load the generated Table E.1-1 data (once per process)."""
    data = read_table("table-e1-1.yaml")
    rows = []
    for r in data["rows"]:
        opts = {o: r[o] for o in OPTIONS if o in r}
        rows.append(TableRow(r["tag"], r["keyword"], r.get("vr"), r["basic"], opts))
    for r in data.get("later_rows", []):
        rows.append(TableRow(r["tag"], "", None, r["basic"], {}))
    codes = {k: (v["code"], v["scheme"], v["meaning"]) for k, v in data["cid7050"].items()}
    return Table(tuple(rows), codes)
