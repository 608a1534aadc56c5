"""The profile's ``pixels_catalogue:`` and ``pixels_detector:`` sections, from a PyYAML node tree.

Schema (profile version 1)::

    pixels_catalogue: builtin                # or none (the default): use dcmscrub's device catalogue
    pixels_detector:                         # the optional text detector (the [ocr] extra)
      enabled: auto                          # off (default) | auto | on
      keep_text: [cm, Hz, dB]                # recognised text that may stay (exact, any case)
      also: [{Manufacturer: "ACME*"}]        # also look at these images, whatever their header says

The detector always looks at the images the burned-in text decision would otherwise hold back
(:mod:`dcmscrub.deid.burned_in`: ultrasound, screen captures, BurnedInAnnotation not NO, ...);
``also`` adds to them, it cannot take any away. Problems are appended to ``problems``, never raised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from dcmscrub.deid.pixels import DetectorSettings
from dcmscrub.deid.pixels_parse import parse_match
from dcmscrub.deid.yamlnodes import Report, line_of, mapping_items, suggest, text_of, word_of
from dcmscrub.errors import ProfileProblem

CATALOGUE_CHOICES = ("none", "builtin")
DETECTOR_KEYS = ("enabled", "keep_text", "also")
DETECTOR_MODES = ("off", "auto", "on")

_GLOB_CHARS = frozenset("*?[")


def parse_catalogue_choice(node: yaml.Node, source: str, problems: list[ProfileProblem]) -> str | None:
    """``pixels_catalogue:``: ``builtin`` or ``none``."""
    word = word_of(node)
    if word not in CATALOGUE_CHOICES:
        Report(source, problems).add(node, f"pixels_catalogue must be one of {', '.join(CATALOGUE_CHOICES)}")
        return None
    return word


def parse_detector(node: yaml.Node, source: str, problems: list[ProfileProblem]) -> DetectorSettings | None:
    """``pixels_detector:`` (defaults for every key not given)."""
    rep = Report(source, problems)
    before = len(problems)
    fields: dict[str, Any] = {"source": f"{source}:{line_of(node)}"}
    for key, key_node, value in mapping_items(rep, node, "pixels_detector"):
        if key == "enabled":
            word = word_of(value)
            if word not in DETECTOR_MODES:
                rep.add(
                    value,
                    f"pixels_detector.enabled must be one of {', '.join(DETECTOR_MODES)}",
                )
            fields["enabled"] = word
        elif key == "keep_text":
            fields["keep_text"] = _text_list(rep, value, key, _check_keep_text)
        elif key == "also":
            items = value.value if isinstance(value, yaml.SequenceNode) else None
            if items is None:
                rep.add(value, "pixels_detector.also must be a list of match mappings")
                continue
            fields["also"] = tuple(parse_match(item, source, problems) or () for item in items)
        else:
            rep.add(
                key_node,
                f"unknown key 'pixels_detector.{key}'",
                suggest(key, DETECTOR_KEYS),
            )
    return DetectorSettings(**fields) if len(problems) == before else None


def _text_list(
    rep: Report, node: yaml.Node, key: str, check: Callable[[str], tuple[str, str | None] | None]
) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        rep.add(node, f"pixels_detector.{key} must be a list")
        return ()
    out = []
    for item in node.value:
        value = text_of(rep, item, f"a pixels_detector.{key} entry")
        if value is not None:
            problem = check(value.strip())
            if problem:
                rep.add(item, f"pixels_detector.{key}: {problem[0]}", problem[1])
            else:
                out.append(value.strip())
    return tuple(out)


def _check_keep_text(value: str) -> tuple[str, str | None] | None:
    if not value or len(value) > 64:
        return "keep_text entries are 1-64 characters", None
    if _GLOB_CHARS & set(value):
        return (
            f"'{value}' has a wildcard",
            "keep_text is exact text: a wildcard could keep a name",
        )
    return None
