"""Resolving a profile: follow its ``extends`` chain, merge the layers, check every problem.

Profiles are read through a :data:`SourceReader` the caller gives (built-in names and paths are
found by :mod:`dcmscrub.profiles`): this module itself never opens a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from dcmscrub.deid.profile import (
    DEFAULT_DATE_SHIFT_DAYS,
    DEFAULT_NAMESPACE,
    PROFILE_VERSION,
    Profile,
    PseudonymSettings,
    Rule,
)
from dcmscrub.deid.profile_pixels import CatalogueReader, merge_pixels, render_pixels
from dcmscrub.deid.profile_text import VocabularyReader, merge_text, render_text, render_text_comments
from dcmscrub.deid.profile_yaml import Doc, Layer, parse_layer, suggest
from dcmscrub.errors import ProfileError, ProfileProblem
from dcmscrub.standard.options import CONTRADICTIONS, OPTIONS


@dataclass(frozen=True)
class ProfileSource:
    """The bytes of one profile file, how problems name it, and where relative ``extends`` resolve."""

    name: str  # "builtin:basic" or the path as given
    raw: bytes
    folder: str | None  # None for built-ins: their ``extends`` name built-ins only


# (reference, folder of the profile that names it) -> the source, or None when there is none
SourceReader = Callable[[str, "str | None"], "ProfileSource | None"]
# what a missing reference's problem suggests (the built-in names)
NotFoundHint = Callable[[], str]


# --------------------------------------------------------------------------------------------
# resolving extends chains


def _load_layers(
    ref: str, read: SourceReader, not_found: NotFoundHint, problems: list[ProfileProblem]
) -> list[Layer]:
    """Load ``ref`` and everything it extends, base first; problems are appended, not raised."""
    layers: list[Layer] = []
    seen: list[str] = []
    current: str | None = ref
    folder: str | None = None
    where: tuple[str, int | None] | None = None
    while current is not None:
        source = read(current, folder)
        if source is None:
            src, line = where if where else (current, None)
            problems.append(ProfileProblem(src, line, f"profile '{current}' not found", not_found()))
            break
        if source.name in seen:
            src, line = where if where else (source.name, None)
            problems.append(
                ProfileProblem(src, line, f"'extends' makes a cycle: {' -> '.join([*seen, source.name])}")
            )
            break
        seen.append(source.name)
        layer = parse_layer(Doc(source.name, source.raw, problems), source.folder)
        layers.append(layer)
        current, folder = layer.extends, source.folder
        where = (source.name, layer.extends_line)
        if len(seen) > 16:
            problems.append(
                ProfileProblem(source.name, layer.extends_line, "'extends' chain deeper than 16 profiles")
            )
            break
    layers.reverse()
    return layers


def resolve_profile(
    ref: str,
    read: SourceReader,
    not_found: NotFoundHint,
    extra_options: Iterable[str] = (),
    read_vocabulary: VocabularyReader | None = None,
    catalogue: CatalogueReader | None = None,
) -> Profile:
    """Load, validate and resolve the profile ``ref`` (read through ``read``), plus ``-O`` options.
    Vocabulary files the chain names are read through ``read_vocabulary`` (None: naming one is a
    problem); ``catalogue`` reads the built-in pixel catalogue for profiles that choose it.

    Raises :class:`ProfileError` listing every problem found in the whole chain.
    """
    problems: list[ProfileProblem] = []
    layers = _load_layers(ref, read, not_found, problems)
    extra = list(extra_options)
    for opt in extra:
        if opt not in OPTIONS:
            problems.append(
                ProfileProblem(
                    "command line",
                    None,
                    f"unknown option '{opt}'",
                    suggest(opt, OPTIONS) or "options: " + ", ".join(OPTIONS),
                )
            )
    if problems or not layers:
        merge_text(layers, read_vocabulary, problems)  # the vocabulary files' problems too, at once
        raise ProfileError(problems or [ProfileProblem(ref, None, "empty profile")])
    profile = _merge(layers, [o for o in extra if o in OPTIONS], problems, read_vocabulary, catalogue)
    if problems:
        raise ProfileError(problems)
    return profile


def _merge(
    layers: list[Layer],
    extra: list[str],
    problems: list[ProfileProblem],
    read_vocabulary: VocabularyReader | None,
    catalogue: CatalogueReader | None,
) -> Profile:
    options: list[str] = []
    rules: list[Rule] = []
    private_default, burned_in = "remove", "quarantine"
    namespace, uid_root, shift = DEFAULT_NAMESPACE, None, DEFAULT_DATE_SHIFT_DAYS
    recipients: list[str] = []
    description = ""
    where: dict[str, tuple[int, str, int | None]] = {}  # option -> (layer index, source, line)
    for index, layer in enumerate(layers):
        for o in layer.options:
            where.setdefault(o, (index, layer.source, layer.option_lines.get(o)))
        options.extend(o for o in layer.options if o not in options)
        rules.extend(layer.rules)
        private_default = layer.private_default or private_default
        burned_in = layer.burned_in or burned_in
        namespace = layer.namespace or namespace
        if layer.uid_root is not None:
            uid_root = layer.uid_root or None
        shift = layer.date_shift_days or shift
        if layer.recipients is not None:
            recipients = layer.recipients
        description = layer.description if layer.description is not None else description
    declared = frozenset(options)
    if private_default == "keep-safe" and "retain-safe-private" not in options:
        options.append("retain-safe-private")
    options.extend(o for o in extra if o not in options)
    top = layers[-1]
    for a, b, why in CONTRADICTIONS:
        if a in options and b in options:
            src, line = top.source, None
            if a in extra or b in extra:
                src = "command line"
            elif a in where and b in where:  # where the later of the two was declared
                _, src, line = max(where[a], where[b], key=lambda w: (w[0], w[2] or 0))
            problems.append(
                ProfileProblem(
                    src, line, f"options {a} and {b} contradict each other: {why}", "keep only one of them"
                )
            )
    escrow = _merge_escrow(layers, recipients, problems)
    text, vocabulary_files = merge_text(layers, read_vocabulary, problems)
    digest = hashlib.sha256()
    for raw in [layer.raw for layer in layers] + vocabulary_files:
        digest.update(hashlib.sha256(raw).digest())
    return Profile(
        name=top.name or "unnamed",
        description=(description or "").strip(),
        options=frozenset(options),
        rules=tuple(rules),
        private_default="keep-safe" if "retain-safe-private" in options else private_default,
        pseudonyms=PseudonymSettings(namespace, uid_root, shift),
        burned_in=burned_in,
        recipients=tuple(recipients),
        chain=tuple(layer.source for layer in layers),
        sha256=digest.hexdigest(),
        declared_options=declared,
        escrow_recipients=tuple(escrow),
        text=text,
        pixels=merge_pixels([layer.pixel for layer in layers], catalogue, top.source, problems),
    )


def _merge_escrow(layers: list[Layer], recipients: list[str], problems: list[ProfileProblem]) -> list[str]:
    """The escrow recipients (the last layer that names them wins), never a data recipient."""
    escrow: list[str] = []
    where: tuple[str, int | None] = ("", None)
    for layer in layers:
        if layer.escrow_recipients is not None:
            escrow, where = layer.escrow_recipients, (layer.source, layer.escrow_line)
    for shared in sorted(set(escrow) & set(recipients)):
        problems.append(
            ProfileProblem(
                *where,
                f"escrow recipient {shared[:16]}... is also a recipient of the outputs",
                "whoever reads the release could re-identify it: give the escrow a key of its own",
            )
        )
    return escrow


def check_profiles(
    refs: Iterable[str],
    read: SourceReader,
    not_found: NotFoundHint,
    read_vocabulary: VocabularyReader | None = None,
    catalogue: CatalogueReader | None = None,
) -> list[ProfileProblem]:
    """Validate each profile (``profile check``), its vocabulary files too; return every problem."""
    problems: list[ProfileProblem] = []
    for ref in refs:
        try:
            resolve_profile(ref, read, not_found, read_vocabulary=read_vocabulary, catalogue=catalogue)
        except ProfileError as exc:
            problems.extend(exc.problems)
    return problems


def render_profile(profile: Profile) -> str:
    """The resolved profile as YAML (``profile show``): a profile file in its own right, which
    loads to the same rules, options and settings. Where each part came from is in comments."""
    head: dict[str, Any] = {
        "version": PROFILE_VERSION,
        "name": profile.name,
        "description": profile.description,
        "options": sorted(profile.options),
        "private": {"default": profile.private_default},
        "pseudonyms": {
            "namespace": profile.pseudonyms.namespace,
            **({"uid_root": profile.pseudonyms.uid_root} if profile.pseudonyms.uid_root else {}),
            "date_shift_days": profile.pseudonyms.date_shift_days,
        },
        "burned_in": profile.burned_in,
        "recipients": list(profile.recipients),
        **({"escrow": {"recipients": list(profile.escrow_recipients)}} if profile.escrow_recipients else {}),
        "text": render_text(profile.text),
    }
    lines = [
        "# dcmscrub profile show: the resolved profile (extends chain and -O options applied)",
        f"# resolved from: {', '.join(profile.chain)}",
        f"# sha256 of the sources: {profile.sha256}",
        *render_text_comments(profile.text),
        yaml.safe_dump(head, sort_keys=False, allow_unicode=True, width=110).rstrip("\n"),
        "rules:" if profile.rules else "rules: []",
    ]
    for r in profile.rules:
        rule = {
            "select": r.selector.text,
            **({"creator": r.selector.creator} if r.selector.creator else {}),
            "action": r.action,
            **({"value": r.value} if r.value is not None else {}),
        }
        flow = yaml.safe_dump(rule, sort_keys=False, allow_unicode=True, default_flow_style=True, width=10**6)
        lines.append(f"  - {flow.strip()}  # {r.source}:{r.line}")
    lines += render_pixels(profile.pixels)
    return "\n".join(lines) + "\n"
