"""The profile's pixel sections (Clean Pixel Data): ``pixels:``, ``pixels_catalogue:``, ``pixels_detector:``.

Parsing each section (one parser per top-level key, registered in
:data:`dcmscrub.deid.profile_yaml._SECTIONS`), merging them along an ``extends`` chain, and
rendering them for ``profile show``. The rule language is :mod:`dcmscrub.deid.pixels`; the
parsers are :mod:`dcmscrub.deid.pixels_parse` and :mod:`dcmscrub.deid.pixels_settings`.

Merging: ``pixels:`` rules accumulate, base first (every matching rule applies, so a profile
cannot lose a rectangle its base blanks); ``pixels_catalogue`` and ``pixels_detector`` are taken
from the last layer that sets them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from dcmscrub.deid.pixels import DetectorSettings, PixelRule
from dcmscrub.deid.pixels_catalogue import Catalogue
from dcmscrub.deid.pixels_parse import parse_pixel_rules
from dcmscrub.deid.pixels_settings import parse_catalogue_choice, parse_detector
from dcmscrub.errors import ProfileProblem

if TYPE_CHECKING:
    from dcmscrub.deid.profile_yaml import Doc, Layer

# reads the built-in catalogue (dcmscrub.profiles does: this stage opens no file)
CatalogueReader = Callable[[], Catalogue]


@dataclass
class PixelLayer:
    """What one profile file says about pixels (before merging)."""

    rules: tuple[PixelRule, ...] = ()
    catalogue: str | None = None
    detector: DetectorSettings | None = None


@dataclass(frozen=True)
class PixelSettings:
    """A resolved profile's pixel settings: its own rules (the whole chain, base first), the
    catalogue choice and, when ``builtin``, the catalogue itself, and the detector settings."""

    rules: tuple[PixelRule, ...] = ()
    catalogue_choice: str = "none"
    catalogue: Catalogue | None = None
    detector: DetectorSettings = field(default_factory=DetectorSettings)

    @property
    def all_rules(self) -> tuple[PixelRule, ...]:
        """The catalogue's rules (when chosen) and the profile's: every matching one applies."""
        return (self.catalogue.rules if self.catalogue else ()) + self.rules


def parse_pixels_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    """``pixels:``: the rules."""
    layer.pixel.rules = parse_pixel_rules(node, doc.source, doc.problems)


def parse_catalogue_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    """``pixels_catalogue:``: builtin or none."""
    layer.pixel.catalogue = parse_catalogue_choice(node, doc.source, doc.problems)


def parse_detector_section(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    """``pixels_detector:``: the optional text detector's settings."""
    layer.pixel.detector = parse_detector(node, doc.source, doc.problems)


def merge_pixels(
    layers: Sequence[PixelLayer],
    catalogue: CatalogueReader | None,
    top_source: str,
    problems: list[ProfileProblem],
) -> PixelSettings:
    """The pixel settings of a chain of layers (base first)."""
    rules: list[PixelRule] = []
    choice, detector = "none", DetectorSettings()
    for layer in layers:
        rules.extend(layer.rules)
        choice = layer.catalogue or choice
        detector = layer.detector or detector
    loaded = None
    if choice == "builtin":
        if catalogue is None:
            problems.append(ProfileProblem(top_source, None, "the built-in pixel catalogue is not available"))
        else:
            loaded = catalogue()
    return PixelSettings(tuple(rules), choice, loaded, detector)


def render_pixels(settings: PixelSettings) -> list[str]:
    """The pixel sections of ``profile show`` (each rule with where it came from)."""
    lines = ["pixels:" if settings.rules else "pixels: []"]
    for p in settings.rules:
        rule: dict[str, Any] = {"match": p.match_yaml(), "blank": [r.as_list() for r in p.rects]}
        if p.note:
            rule["note"] = p.note
        flow = yaml.safe_dump(rule, sort_keys=False, allow_unicode=True, default_flow_style=True, width=10**6)
        lines.append(f"  - {flow.strip()}  # {p.source}")
    if settings.catalogue is not None:
        c = settings.catalogue
        lines.append(
            f"# built-in catalogue: version {c.version}, revision {c.revision}, {len(c.rules)} rules, "
            f"sha256 {c.sha256}"
        )
    lines.append(f"pixels_catalogue: {settings.catalogue_choice}")
    d = settings.detector
    detector = {
        "enabled": d.enabled,
        "keep_text": list(d.keep_text),
        "also": [{c.key: c.as_yaml() for c in conds} for conds in d.also],
    }
    dumped = yaml.safe_dump({"pixels_detector": detector}, sort_keys=False, allow_unicode=True, width=110)
    lines.append(dumped.rstrip("\n"))
    return lines
