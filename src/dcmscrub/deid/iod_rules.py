"""Which rules of a profile the IOD overrides: a ``remove`` rule on an attribute that some IOD
requires becomes an empty value (Type 2) or a dummy (Type 1) in objects of those IODs, because
every removal asks the object's IOD (PS3.3) what it needs. ``profile check`` warns about each.

Kept apart from the profile's validation: these are warnings (the profile is valid and loads),
computed from the generated IOD table, and only for ``profile check``.
"""

from __future__ import annotations

from pydicom.datadict import keyword_for_tag

from dcmscrub.deid.profile import Profile
from dcmscrub.errors import ProfileProblem
from dcmscrub.standard.iod import required_in, table_info

_SHOWN = 3  # IOD names shown per warning


def overridden_removals(profile: Profile) -> list[ProfileProblem]:
    """One warning per ``remove`` rule (on one public tag) that some IOD overrides, in rule order."""
    out = []
    for rule in profile.rules:
        sel = rule.selector
        if rule.action != "remove" or sel.kind != "tag":
            continue
        needs = required_in(sel.tag)
        if not needs:
            continue
        value = sorted(n for n, t in needs.items() if t in ("1", "1C"))
        present = sorted(n for n, t in needs.items() if t in ("2", "2C"))
        parts = []
        if value:
            parts.append(f"a dummy value in {_some(value)}, where it is Type 1 or 1C")
        if present:
            parts.append(f"empty in {_some(present)}, where it is Type 2 or 2C")
        name = keyword_for_tag(sel.tag) or sel.text
        message = (
            f"remove {name}: the IOD wins where it requires the attribute (PS3.3 "
            f"{table_info().edition}): {'; '.join(parts)}"
        )
        out.append(ProfileProblem(rule.source, rule.line, message))
    return out


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    more = len(names) - _SHOWN
    noun = "IOD" if len(names) == 1 else "IODs"
    return f"{len(names)} {noun} ({shown}{f' and {more} more' if more > 0 else ''})"
