"""UIDs the standard itself defines (SOP classes, transfer syntaxes, well-known instances).

Only these stay as they are under de-identification: they name kinds of things, not instances.
Every other UID is an instance UID and is remapped, also one under the standard's root
``1.2.840.10008.`` that the registry does not list (a crafted ``1.2.840.10008.999.<birth
date>.<MRN>`` would otherwise reach the output and its path). The registry is PS3.6 Table A-1,
generated into ``data/well-known-uids.yaml`` by ``tools/gen_well_known_uids.py``.
"""

from __future__ import annotations

import functools

from dcmscrub.standard.tables import read_table

# The standard's root: a UID under it is the standard's only if the registry lists it.
STANDARD_UID_PREFIX = "1.2.840.10008."


@functools.cache
def well_known_uids() -> dict[str, tuple[str, str]]:
    """Every UID of the registry: ``uid -> (type, name)`` (e.g. ``("SOP Class", "CT Image Storage")``)."""
    data = read_table("well-known-uids.yaml")
    return {row["uid"]: (row["type"], row["name"]) for row in data["uids"]}


def is_well_known(uid: str) -> bool:
    """True for a UID the standard defines (PS3.6 Table A-1); False for every instance UID."""
    return uid in well_known_uids()
