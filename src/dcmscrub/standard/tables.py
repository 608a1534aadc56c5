"""Reading the generated tables shipped in ``standard/data/`` (package data, read-only): YAML (Table
E.1-1, Table E.3.10-1) and JSON (the IOD attribute types)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import yaml


def read_table(name: str) -> Any:
    """Parse the YAML table ``data/<name>`` (libyaml's loader when present: 10x faster)."""
    text = (resources.files("dcmscrub.standard") / "data" / name).read_text(encoding="utf-8")
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)


def read_json_table(name: str) -> Any:
    """Parse the JSON table ``data/<name>``."""
    return json.loads((resources.files("dcmscrub.standard") / "data" / name).read_bytes())
