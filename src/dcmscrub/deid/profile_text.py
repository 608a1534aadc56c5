"""The ``text:`` section of a profile: how ``clean`` treats free text, and the site's vocabulary.

    text:
      clean: vocabulary                    # or denylist (the former rule)
      vocabulary: [QUIXLEY, protocol X9]   # terms whose words are known not to identify
      vocabulary_files: [site-terms.txt]   # one term a line, ``#`` comments; relative to the profile

Parsing one layer (:func:`parse_text`) is called by :mod:`dcmscrub.deid.profile_yaml`; merging the
layers of a chain and reading the vocabulary files through a reader the caller gives
(:func:`merge_text`) by :mod:`dcmscrub.deid.profile_load`. This module opens no file itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import yaml

from dcmscrub.deid.profile import CLEAN_MODES, TEXT_KEYS, TextSettings, VocabularyFile
from dcmscrub.deid.profile_yaml import Doc, Layer, _line, _mapping_items, _text, suggest
from dcmscrub.errors import ProfileProblem
from dcmscrub.standard.vocabulary import VocabularyError, parse_site_terms, term_problem

# (path as written, folder of the profile that names it) -> (name as found, bytes), or None
VocabularyReader = Callable[[str, "str | None"], "tuple[str, bytes] | None"]
MAX_VOCABULARY_FILE_BYTES = 16 * 1024 * 1024
_FILE_HINT = "one term a line; '#' starts a comment; see README 'What clean removes'"


def parse_text(doc: Doc, node: yaml.Node, layer: Layer) -> None:
    """What one profile file's ``text:`` says; every problem is added to ``doc``."""
    for key, sub in _mapping_items(doc, node, "text"):
        if key not in TEXT_KEYS:
            doc.add(_line(sub), f"unknown key 'text.{key}'", suggest(key, TEXT_KEYS) or ", ".join(TEXT_KEYS))
        elif key == "clean":
            value = _text(doc, sub, "text.clean")
            if value is not None and value not in CLEAN_MODES:
                doc.add(_line(sub), f"text.clean must be one of {', '.join(CLEAN_MODES)}, not '{value}'")
            elif value is not None:
                layer.text_clean = value
        else:
            for item in _list(doc, sub, f"text.{key}"):
                value = _text(doc, item, f"an entry of text.{key}")
                if value is None:
                    continue
                if key == "vocabulary_files":
                    layer.text_files.append((value, _line(item)))
                elif (problem := term_problem(value)) is not None:
                    doc.add(_line(item), f"text.vocabulary: {problem}")
                else:
                    layer.text_terms.append(value)


def _list(doc: Doc, node: yaml.Node, where: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        doc.add(_line(node), f"{where} must be a list")
        return []
    return list(node.value)


def merge_text(
    layers: list[Layer], read: VocabularyReader | None, problems: list[ProfileProblem]
) -> tuple[TextSettings, list[bytes]]:
    """The chain's text settings (terms and files add up, base first; ``clean`` is the last set)
    and the bytes of every vocabulary file read (for the profile's digest)."""
    clean = "vocabulary"
    terms: list[str] = []
    files: list[VocabularyFile] = []
    raws: list[bytes] = []
    for layer in layers:
        clean = layer.text_clean or clean
        terms.extend(t for t in layer.text_terms if t not in terms)
        for path, line in layer.text_files:
            found = read(path, layer.base_dir) if read is not None else None
            if found is None:
                problems.append(
                    ProfileProblem(
                        layer.source,
                        line,
                        f"vocabulary file '{path}' not found or not readable",
                        "a relative path is relative to the folder of the profile that names it",
                    )
                )
                continue
            loaded = _load_file(*found, problems)
            if loaded is not None:
                files.append(loaded)
                raws.append(found[1])
    return TextSettings(clean, tuple(terms), tuple(files)), raws


def _load_file(name: str, raw: bytes, problems: list[ProfileProblem]) -> VocabularyFile | None:
    if len(raw) > MAX_VOCABULARY_FILE_BYTES:
        problems.append(ProfileProblem(name, None, "a vocabulary file may hold at most 16 MiB"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(ProfileProblem(name, None, "not UTF-8 text", "save the vocabulary file as UTF-8"))
        return None
    try:
        terms = parse_site_terms(text)
    except VocabularyError as exc:
        problems.extend(ProfileProblem(name, line, message, _FILE_HINT) for line, message in exc.problems)
        return None
    return VocabularyFile(name, hashlib.sha256(raw).hexdigest(), tuple(terms))


def render_text(settings: TextSettings) -> dict[str, Any]:
    """The ``text:`` section of ``profile show`` (files by the path they were found at)."""
    out: dict[str, Any] = {"clean": settings.clean}
    if settings.vocabulary:
        out["vocabulary"] = list(settings.vocabulary)
    if settings.files:
        out["vocabulary_files"] = [f.path for f in settings.files]
    return out


def render_text_comments(settings: TextSettings) -> list[str]:
    """One comment line per vocabulary file: how many terms, and its digest."""
    return [f"# vocabulary file {f.path}: {len(f.terms)} terms, sha256 {f.sha256}" for f in settings.files]
