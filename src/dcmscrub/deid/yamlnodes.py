"""Reading PyYAML node trees with line numbers: the helpers every profile section parser shares.

A parser gets the node (``yaml.compose``), reports problems to a :class:`Report` with the node's
line, and goes on, so that one pass finds every problem. (profile.py has private copies of the
same helpers; once it moves into ``deid/`` they can share this module.)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

import yaml

from dcmscrub.errors import ProfileProblem

NULL_TAG = "tag:yaml.org,2002:null"


class Report:
    """Where problems go, and the source they are reported against."""

    def __init__(self, source: str, problems: list[ProfileProblem]) -> None:
        self.source = source
        self.problems = problems

    def add(self, node: yaml.Node | None, message: str, hint: str | None = None) -> None:
        """Record a problem at ``node``'s line."""
        line = line_of(node) if node is not None else None
        self.problems.append(ProfileProblem(self.source, line, message, hint))


def line_of(node: yaml.Node) -> int:
    """The 1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def scalar_of(node: yaml.Node) -> Any:
    """The Python value of a scalar node, with YAML 1.1 safe tags resolved."""
    return yaml.SafeLoader(" ").construct_object(node, deep=True)


def mapping_items(rep: Report, node: yaml.Node, where: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """``(key, key node, value node)`` of a mapping; non-text and duplicate keys are problems."""
    if not isinstance(node, yaml.MappingNode):
        rep.add(node, f"{where} must be a mapping")
        return
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key_node.tag == NULL_TAG:
            rep.add(key_node, f"{where}: keys must be text")
        elif key in seen:
            rep.add(key_node, f"{where}: duplicate key '{key}'")
        else:
            seen.add(key)
            yield key, key_node, value_node


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt ``word``, or None."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else None


def text_of(rep: Report, node: yaml.Node, where: str) -> str | None:
    """The text of a scalar, or None and a problem (numbers, booleans, null are not text)."""
    value = scalar_of(node) if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG else None
    if not isinstance(value, str):
        raw = node.value if isinstance(node, yaml.ScalarNode) and node.value else "..."
        rep.add(node, f"{where} must be text", f'quote it: "{raw}"')
        return None
    return value


def word_of(node: yaml.Node) -> str | None:
    """A plain scalar as written, lower case (``on``/``off`` are booleans to YAML, words here)."""
    if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
        return str(node.value).strip().lower()
    return None
