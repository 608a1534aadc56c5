"""The faster gate finds what the gate before it found: compared with the reference copy
(tests/deid/gate_reference: dicomio/flat.py, deid/identifiers.py and deid/quicklook.py as of commit
333fa33) on many inputs.

- Reading: ``flatten_file`` lists the same elements as the reference (or fails the same way) on
  every input, whole and damaged; with the gate's ``keep`` it lists a subset.
- Collecting: ``collect`` over that subset gives the same identifiers, field by field and in the
  same order, as the reference ``collect`` over everything.
- The quick look: ``may_hold`` gives the reference's answer on every output, and True wherever the
  element-by-element check finds something.

The inputs: sample_data, the adversarial corpus (every Table E.1-1 row planted, four transfer
syntaxes, private blocks, broken files), pydicom's test files, and seeded damaged copies of them;
the outputs: each input's own bytes, the real outputs of every built-in profile on sample_data and
the adversarial corpus, and outputs generated from pieces of identifiers (as test_quicklook).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydicom
import pytest
from gate_reference import flat as ref_flat
from gate_reference import identifiers as ref_identifiers
from gate_reference import quicklook as ref_quicklook
from test_quicklook import INPUT, LONG_NAMES, _output

from adversarial import build_corpus
from conftest import KEY, SAMPLE
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import PlainSink
from dcmscrub.deid import gate
from dcmscrub.deid.gate import check, collect, listed, may_hold
from dcmscrub.dicomio import flat as new_flat
from dcmscrub.dicomio.flat import flatten, flatten_file
from dcmscrub.outcomes import FileProblem
from dcmscrub.profiles import list_builtin_profiles, load_profile

PYDICOM_FILES = Path(pydicom.__file__).parent / "data" / "test_files"
_MAX_SIZE = 2_000_000  # pydicom's test files above this are pixel data, nothing more to read


def _no_exemption(_path: tuple[int, ...], _creator: str | None) -> bool:
    return False


def _inputs(adversarial: Path) -> Iterator[tuple[str, bytes]]:
    roots = (SAMPLE, adversarial, PYDICOM_FILES)
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.stat().st_size < _MAX_SIZE):
            yield path.relative_to(root).as_posix(), path.read_bytes()


def _damaged(data: bytes, rng: random.Random) -> bytes:
    """A copy with a few bytes changed, a piece cut out or the end cut off (in the header mostly)."""
    limit = min(len(data), 4096)
    if limit < 16:
        return data
    choice = rng.randrange(3)
    if choice == 0:
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(limit)] = rng.randrange(256)
        return bytes(out)
    at = rng.randrange(limit)
    if choice == 1:
        return data[:at] + data[at + rng.randint(1, 16) :]
    return data[:at]


def _read(module: Any, data: bytes, **kw: Any) -> tuple[str, Any]:
    try:
        return "ok", module.flatten_file(data, **kw)
    except FileProblem as e:
        return "problem", e.reason
    except Exception as e:  # the reference's own failures must be the new one's too
        return "error", type(e).__name__


def _fields(ids: Any) -> dict[str, Any]:
    """Every field, dictionaries as their items in order."""
    out = {}
    for f in dataclasses.fields(ids):
        value = getattr(ids, f.name)
        out[f.name] = list(value.items()) if isinstance(value, dict) else value
    return out


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("equivalence") / "adversarial"
    build_corpus(root)
    return root


@pytest.mark.slow
def test_reading_and_collecting_are_unchanged(adversarial: Path) -> None:
    rng = random.Random(13)
    compared = collected = damaged = 0
    for relpath, whole in _inputs(adversarial):
        for data in [whole] + [_damaged(whole, rng) for _ in range(6)]:
            damaged += data is not whole
            old = _read(ref_flat, data)
            assert _read(new_flat, data) == old, relpath
            compared += 1
            if old[0] != "ok":
                continue
            kept = flatten_file(data, keep=listed())
            assert set(kept.elements) <= set(old[1].elements), relpath
            assert _fields(collect(kept, relpath)) == _fields(ref_identifiers.collect(old[1], relpath)), (
                relpath
            )
            collected += 1
    assert compared > 1000 and collected > 400 and damaged > 800, (compared, collected, damaged)


def _compare_quick_look(ids: Any, out: bytes, little: bool) -> bool:
    """Asserts the new quick look's answer is the reference's, and True where the check finds
    something; returns whether the check found something."""
    new = may_hold(ids, out, little=little)
    assert new == ref_quicklook.may_hold(ids, out, little=little)
    return new


@pytest.mark.slow
def test_the_quick_look_answers_as_before_on_inputs_and_generated_outputs(adversarial: Path) -> None:
    looked = hits = 0
    for relpath, data in _inputs(adversarial):
        read = _read(ref_flat, data)
        if read[0] != "ok":
            continue
        ids = ref_identifiers.collect(read[1], relpath)
        rest = data[128:] if data[128:132] == b"DICM" else data
        for little in (True, False):
            held = _compare_quick_look(ids, rest, little)
            found = check(ids, read[1], "P/1.dcm", _no_exemption)
            assert held or not found, relpath
            looked += 1
            hits += bool(found)
    for seed in range(6):
        ids = collect(INPUT if seed % 2 else LONG_NAMES, "in.dcm")
        rng = random.Random(100 + seed)
        for _ in range(1500):
            out = _output(rng)
            held = _compare_quick_look(ids, out, True)
            found = check(ids, flatten(out, implicit=False, little=True), "P/1.dcm", _no_exemption)
            assert held or not found, out
            looked += 1
            hits += bool(found)
    assert looked > 9000 and hits > 1000, (looked, hits)


@pytest.mark.slow
@pytest.mark.parametrize("profile", [name for name, _ in list_builtin_profiles()])
def test_the_quick_look_answers_as_before_on_real_outputs(
    tmp_path: Path, adversarial: Path, profile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the worker: every output of a run, each compared before it is released."""
    seen: list[bool] = []

    def both(ids: Any, encoded: bytes, *, little: bool = True) -> bool:
        seen.append(_compare_quick_look(ids, encoded, little))
        return seen[-1]

    monkeypatch.setattr(gate, "may_hold", both)
    for root in (SAMPLE, adversarial):
        options = ScrubOptions(
            load_profile(profile), PlainSink(), linkage_key=KEY, log=tmp_path / "log.jsonl"
        )
        scrub_tree([root], tmp_path / f"out-{root.name}", options)
    assert len(seen) > 20, len(seen)
