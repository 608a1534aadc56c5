"""Table E.3.10-1 (PS3.15 2026d): the private attributes the Retain Safe Private Option may keep."""

from __future__ import annotations

import functools

from dcmscrub.standard.tables import read_table


@functools.cache
def load_safe_private() -> frozenset[tuple[str, int, int]]:
    """Table E.3.10-1 as ``(creator, group, element low byte)`` triples (once per process)."""
    data = read_table("table-e3-10-1.yaml")
    out = set()
    for r in data["rows"]:
        element = r["element"]  # (GGGG,xxEE)
        out.add((r["creator"], int(element[1:5], 16), int(element[8:10], 16)))
    return frozenset(out)


@functools.cache
def safe_private_vrs() -> dict[tuple[str, int, int], str]:
    """The VR Table E.3.10-1 gives each safe private element (``OW/OB``: either; ``""``: none)."""
    data = read_table("table-e3-10-1.yaml")
    return {
        (r["creator"], int(r["element"][1:5], 16), int(r["element"][8:10], 16)): str(r.get("vr") or "")
        for r in data["rows"]
    }
