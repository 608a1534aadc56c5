"""The built-in profiles (YAML files in this package) and the loading of profiles by name or path.

This is where profile files are read; :mod:`dcmscrub.deid.profile_load` parses, resolves and checks
them without touching a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml

from dcmscrub.deid.honesty import weakenings
from dcmscrub.deid.iod_rules import overridden_removals
from dcmscrub.deid.pixels_catalogue import BUILTIN_NAME, Catalogue, parse_catalogue
from dcmscrub.deid.profile import Profile, Rule
from dcmscrub.deid.profile_load import ProfileSource, resolve_profile
from dcmscrub.deid.profile_load import check_profiles as _check
from dcmscrub.deid.profile_text import MAX_VOCABULARY_FILE_BYTES
from dcmscrub.errors import ProfileProblem

__all__ = [
    "check_profiles",
    "list_builtin_profiles",
    "load_builtin_catalogue",
    "load_profile",
    "looks_like_path",
    "profile_warnings",
    "read_source",
]

_BUILTIN_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def list_builtin_profiles() -> list[tuple[str, str]]:
    """``(name, description)`` of every built-in profile, sorted by name."""
    out = []
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
            out.append((entry.name[: -len(".yaml")], str(data.get("description", "")).strip()))
    return sorted(out)


def looks_like_path(ref: str) -> bool:
    """True when a profile reference names a file rather than a built-in profile."""
    return "/" in ref or ref.endswith((".yaml", ".yml")) or ref.startswith(".")


def read_source(ref: str, folder: str | None) -> ProfileSource | None:
    """The profile ``ref`` names: a file (relative to ``folder``, the folder of the profile that
    names it) or a built-in profile; None when there is none."""
    if looks_like_path(ref):
        path = Path(ref)
        if not path.is_absolute() and folder is not None:
            path = Path(folder) / path
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        return ProfileSource(str(path), raw, str(path.parent))
    if not _BUILTIN_NAME_RE.match(ref):
        return None
    entry = resources.files(__name__) / f"{ref}.yaml"
    if not entry.is_file():
        return None
    return ProfileSource(f"builtin:{ref}", entry.read_bytes(), None)


def read_vocabulary_file(ref: str, folder: str | None) -> tuple[str, bytes] | None:
    """A site vocabulary file a profile names (relative to ``folder``, the folder of that profile):
    its absolute path and bytes; None when it cannot be read."""
    path = Path(ref)
    if not path.is_absolute() and folder is not None:
        path = Path(folder) / path
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_VOCABULARY_FILE_BYTES + 1)  # one byte more: too large is reported
    except OSError:
        return None
    return str(path.absolute()), raw


def _builtin_hint() -> str:
    return "built-in profiles: " + ", ".join(n for n, _ in list_builtin_profiles())


def load_profile(ref: str, extra_options: Iterable[str] = ()) -> Profile:
    """Load, validate and resolve a profile by built-in name or path, plus ``-O`` options.

    Raises :class:`~dcmscrub.errors.ProfileError` listing every problem found in the whole chain.
    """
    return resolve_profile(
        ref, read_source, _builtin_hint, extra_options, read_vocabulary_file, catalogue=load_builtin_catalogue
    )


def check_profiles(refs: Iterable[str]) -> list[ProfileProblem]:
    """Validate each profile (``profile check``); return every problem of every file."""
    return _check(refs, read_source, _builtin_hint, read_vocabulary_file, load_builtin_catalogue)


def _place(rule: Rule) -> str:
    return f"{rule.source}:{rule.line}" if rule.line is not None else rule.source


def profile_warnings(profile: Profile) -> list[str]:
    """``file:line: what`` for each rule that weakens Table E.1-1 beyond the profile's options or
    removes an attribute some IOD requires (the IOD wins there: emptied or a dummy), and for
    ``burned_in: allow`` (``profile check``)."""
    out = [f"{_place(w.rule)}: {w.message()}" for w in weakenings(profile)]
    out += [problem.render() for problem in overridden_removals(profile)]
    if profile.burned_in == "allow":
        out.append(
            f"{profile.chain[-1]}: burned_in: allow releases pixel data that no pixel rule has cleared "
            "(its outputs say PatientIdentityRemoved NO)"
        )
    return out


@functools.cache
def load_builtin_catalogue() -> Catalogue:
    """The pixel catalogue shipped in the package (``data/pixel-catalogue.yaml``), parsed and
    validated (read once per process)."""
    text = (resources.files(__name__) / "data" / BUILTIN_NAME).read_text(encoding="utf-8")
    return parse_catalogue(text, f"builtin:{BUILTIN_NAME}")
