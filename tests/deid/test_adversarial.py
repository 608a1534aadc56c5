"""The real pipeline over the adversarial corpus (tests/adversarial.py): nothing leaks, nothing breaks.

Two profiles run over the corpus built once per session:

* ``basic``: the Basic Profile alone;
* ``options``: basic + retain-long-modified-dates, retain-safe-private, clean-descriptors,
  retain-patient-characteristics.

What may legitimately survive under ``options`` (:func:`survival_reason`): a sentinel that the
Basic Profile removes survives only through an applied option, and only when

* the option's action on the element is K (patient sex, age, size, weight, ethnic group, smoking
  status, neutered, Selector AS Value; the safe private element of Table E.3.10-1), or
* the element is outside Table E.1-1 inside a sequence that the option keeps or cleans (the
  CodeMeaning planted inside AdmittingDiagnosesCodeSequence and its kin), or
* the action is C on a TM (times stay when dates move: a time of day alone is not shifted).

Everything else must be gone: a C on text must clean the ``ZQX12345`` token away (it is an ID-shaped
token that textclean.py promises to remove), a C on a date must shift it (the original date must not
remain at its place), and a C on bytes (OB) cannot keep them as they were.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest
from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.encaps import generate_fragments

from adversarial import (
    BASE_UID_ROOT,
    SENTINEL_UID_ROOT,
    Corpus,
    CorpusFile,
    Sentinel,
    element_at,
)
from conftest_adversarial import (
    CORPUS_FILES,
    KEY,
    OPTION_KEYS,
    OPTION_MEANINGS,
    OPTIONS,
    OTHER_KEY,
    ExtraCorpus,
    Found,
    Run,
    annex_e_all_tags,
    annex_e_rows,
    build_extra,
    cid7050_code,
    describe_tag,
    element_values,
    lenient_pydicom,
    profile_for,
    raw_dataset_bytes,
    read,
    run_scrub,
    session_corpus,
)
from dcmscrub.keys import read_linkage_key_file
from dcmscrub.outcomes import Reason
from dcmscrub.standard.coding_schemes import is_standard_scheme

PROFILE_NAMES = ("basic", "options")
Runs = dict[str, Run]
DCMSCRUB = [sys.executable, "-m", "dcmscrub"]  # the CLI, wherever the package is installed

# --------------------------------------------------------------------------------------------
# fixtures: one corpus, one run per profile (plus a few more runs for determinism)


@pytest.fixture(scope="session")
def adv_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return session_corpus(tmp_path_factory)


def runs_per_profile(root: Path, base: Path) -> Runs:
    """One scrub of ``root`` per profile under test, each into its own folder and log under ``base``."""
    return {
        name: run_scrub(root, base / name, profile_for(name), KEY, base / f"{name}.jsonl")
        for name in PROFILE_NAMES
    }


@pytest.fixture(scope="session")
def adv_runs(adv_corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return runs_per_profile(adv_corpus.root, tmp_path_factory.mktemp("adversarial-out"))


@pytest.fixture(scope="session")
def adv_extra(tmp_path_factory: pytest.TempPathFactory) -> ExtraCorpus:
    return build_extra(tmp_path_factory.mktemp("extra") / "in")


@pytest.fixture(scope="session")
def extra_runs(adv_extra: ExtraCorpus, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return runs_per_profile(adv_extra.root, tmp_path_factory.mktemp("extra-out"))


@pytest.fixture(scope="session")
def basic_again(adv_corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("again")
    return run_scrub(adv_corpus.root, base / "out", profile_for("basic"), KEY, base / "a.jsonl")


@pytest.fixture(scope="session")
def basic_other_key(adv_corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("other-key")
    return run_scrub(adv_corpus.root, base / "out", profile_for("basic"), OTHER_KEY, base / "o.jsonl")


@functools.cache
def _values(path: Path) -> list[Found]:
    return element_values(_ds(path))


@functools.cache
def _ds(path: Path) -> Dataset:
    return read(path)


@functools.cache
def _raw(path: Path) -> bytes:
    return raw_dataset_bytes(path)


@functools.cache
def _rows() -> dict[str, dict]:
    return annex_e_rows()


# --------------------------------------------------------------------------------------------
# which sentinels must be gone


def survival_reason(s: Sentinel) -> str | None:
    """Why ``s`` may survive under the ``options`` profile, or None when it must be gone."""
    if not s.must_remove_basic:
        return "the Basic Profile does not require it to go"
    for option in s.may_survive_under:
        if option not in OPTION_KEYS:
            continue
        if s.row == "ggggeeee":
            return "safe private element (Table E.3.10-1) kept by retain-safe-private"
        if s.row is None:
            return f"outside Table E.1-1, inside a sequence that {option} keeps or cleans"
        action = _rows()[s.row]["options"].get(option)
        if action == "K":
            return f"{option} keeps it (K)"
        if action == "C" and s.kind == "time":
            return "a time of day: times stay when dates are shifted"
    return None


def must_vanish(s: Sentinel, profile: str) -> bool:
    if profile == "basic":
        return s.must_remove_basic
    return survival_reason(s) is None


def _path_text(s: Sentinel) -> str:
    return " > ".join(describe_tag(int(t, 16)) for t in s.path)


def _describe(f: CorpusFile, s: Sentinel) -> str:
    return f"{f.path}: {_path_text(s)} {s.vr} [{s.placement}, row {s.row} {s.basic}] token {s.token!r}"


_WORDY_VRS = frozenset({"LO", "LT", "ST", "UT", "SH", "UC", "PN", "UN", "OB", "AE", "CS", "UR"})
_WORD = re.compile(r"[0-9]+[DWMY]?")


class _Index:
    """Every value of every output of one run, searchable fast.

    Byte-safe tokens are searched as substrings of all values (and of all raw bytes). The others
    (dates, ages, IS numbers: short digit strings) are matched as a whole value component, or as a
    digit-delimited word of free text, never inside a UID (a 2.25 UID holds every short number).
    """

    def __init__(self, run: Run) -> None:
        self.outputs = run.outputs()
        self.rel = {o: str(o.relative_to(run.out)) for o in self.outputs}
        self.found = {o: _values(o) for o in self.outputs}
        self.text = "\x00".join(v.text for vs in self.found.values() for v in vs if v.vr != "SQ")
        self.raw = b"\x00".join(_raw(o) for o in self.outputs)
        self.words: dict[str, list[tuple[Path, Found]]] = defaultdict(list)
        for o, vs in self.found.items():
            for v in vs:
                if v.vr in ("UI", "SQ"):
                    continue
                keys = set(v.components)
                if v.vr in _WORDY_VRS:
                    keys |= set(_WORD.findall(v.text))
                for k in keys:
                    self.words[k].append((o, v))

    def value_hits(
        self, token: str, *, byte_safe: bool, skip_vrs: frozenset[str]
    ) -> list[tuple[Path, Found]]:
        if byte_safe:
            if token not in self.text:
                return []
            return [(o, v) for o, vs in self.found.items() for v in vs if v.vr != "SQ" and token in v.text]
        return [(o, v) for o, v in self.words.get(token, []) if v.vr not in skip_vrs]

    def raw_hits(self, token: str) -> list[str]:
        needle = token.encode()
        if needle not in self.raw:
            return []
        return [self.rel[o] for o in self.outputs if needle in _raw(o)]


_INDEXES: dict[Path, _Index] = {}


def _index(run: Run) -> _Index:
    if run.out not in _INDEXES:
        _INDEXES[run.out] = _Index(run)
    return _INDEXES[run.out]


def _leaks(corpus: Corpus, run: Run, profile: str, *, raw: bool) -> list[str]:
    index = _index(run)
    assert index.outputs, "the run wrote nothing"
    problems = []
    for f, s in corpus.sentinels():
        if not must_vanish(s, profile):
            continue
        if raw:
            if s.byte_safe:
                problems += [f"{_describe(f, s)} is in the bytes of {rel}" for rel in index.raw_hits(s.token)]
            continue
        skip: frozenset[str] = frozenset()
        if profile != "basic" and s.kind == "date":
            # shifted dates of other elements may equal this one by chance: look at its own place,
            # and make sure it did not move into some other, non-date element
            skip = frozenset({"DA", "DT"})
            own = run.output_of(f.path)
            if own is not None:
                with lenient_pydicom():
                    elem = element_at(_ds(own), s.path)
                    text = "" if elem is None else str(elem.value)
                if s.token in text:
                    problems.append(f"{_describe(f, s)} kept unshifted: {text!r}")
        for out, hit in index.value_hits(s.token, byte_safe=s.byte_safe, skip_vrs=skip):
            problems.append(
                f"{_describe(f, s)} survives in {index.rel[out]} at {hit.where()} = {hit.text[:60]!r}"
            )
    return problems


# --------------------------------------------------------------------------------------------
# 1. no planted identifier survives


def test_corpus_is_as_documented(adv_corpus: Corpus) -> None:
    """The manifest the other tests rely on: every kind of placement is there, and much must go."""
    counts = adv_corpus.counts()
    for placement in ("top", "file-meta", "nested-3", "sq-item", "private", "overlay", "curve", "reference"):
        assert counts.get(placement, 0) > 0, placement
    assert counts["must_remove_basic"] > 4000
    assert len(adv_corpus.broken) >= 6 and len(adv_corpus.references) >= 3


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_no_required_sentinel_survives_in_values(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    """Every element at every depth (file meta, private, nested items) is free of tokens that must go."""
    problems = _leaks(adv_corpus, adv_runs[profile], profile, raw=False)
    assert not problems, f"{len(problems)} leaks under {profile}:\n" + "\n".join(problems)


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_no_required_sentinel_in_raw_bytes(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    """The same, by a byte search of whole output files (deflated data sets inflated first)."""
    problems = _leaks(adv_corpus, adv_runs[profile], profile, raw=True)
    assert not problems, f"{len(problems)} leaks under {profile}:\n" + "\n".join(problems)


def test_options_survivors_are_only_the_listed_kinds(adv_corpus: Corpus) -> None:
    """The allow-list is narrow: only these reasons, and most of what Basic removes must still go."""
    reasons = defaultdict(int)
    for _f, s in adv_corpus.sentinels():
        if s.must_remove_basic:
            reasons[survival_reason(s) or "must go"] += 1
    allowed = {
        "must go",
        "safe private element (Table E.3.10-1) kept by retain-safe-private",
        "a time of day: times stay when dates are shifted",
        "retain_patient_characteristics keeps it (K)",
        "outside Table E.1-1, inside a sequence that clean_descriptors keeps or cleans",
    }
    assert set(reasons) <= allowed, dict(reasons)
    assert reasons["must go"] > 0.8 * sum(reasons.values()), dict(reasons)


def test_options_keep_what_they_say_they_keep(adv_corpus: Corpus, adv_runs: Runs) -> None:
    """Under ``options`` a sentinel whose action becomes K stays, unchanged, where it was."""
    run = adv_runs["options"]
    problems, checked = [], 0
    for f, s in adv_corpus.sentinels():
        reason = survival_reason(s)
        if (
            not s.must_remove_basic
            or reason is None
            or ("(K)" not in reason and "safe private" not in reason)
        ):
            continue
        out = run.output_of(f.path)
        if out is None:
            continue
        checked += 1
        with lenient_pydicom():
            elem = element_at(_ds(out), s.path)
            value = None if elem is None else elem.value
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value or "")
        if s.token not in text:
            problems.append(f"{_describe(f, s)}: kept value lost, output has {text[:40]!r}")
    assert checked > 20
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_broken_file_contents_never_leak(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    """Tokens in the readable part of broken files reach no output, no output path and no log."""
    run = adv_runs[profile]
    log = run.log.read_bytes()
    tokens = [t for b in adv_corpus.broken for t in b.tokens]
    assert tokens
    for token in tokens:
        assert token.encode() not in log
        for out in run.outputs():
            assert token.encode() not in _raw(out), (token, out)
            assert token not in str(out.relative_to(run.out))


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_audit_log_and_paths_hold_no_patient_data(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    """The audit log and the output paths carry no token, no original UID and no input name."""
    run = adv_runs[profile]
    log = run.log.read_text(encoding="utf-8")
    assert '"run_end"' in log
    for text, what in [
        (log, "audit log"),
        *((str(p.relative_to(run.out)), "output path") for p in run.outputs()),
    ]:
        for needle in ("ZQX", SENTINEL_UID_ROOT, BASE_UID_ROOT):
            assert needle not in text, f"{needle} in {what}"
    for f in adv_corpus.files:
        assert f.path not in log, f"input name {f.path} in the audit log"


# --------------------------------------------------------------------------------------------
# 2. every valid input gets an output; broken ones get a fixed code; the run does not crash


_BROKEN_CODES = {
    "broken/truncated_header.dcm": {"truncated"},
    "broken/truncated_pixels.dcm": {"truncated"},
    "broken/random.dcm": {"not_dicom"},
    # random bytes may declare a length past the header cap: a length bomb, as far as anyone can tell
    "broken/dicm_then_garbage.dcm": {"truncated", "corrupt", "not_dicom", "too_large"},
    "broken/empty.dcm": {"empty"},
    "broken/notes.txt": {"not_dicom"},
}


def test_file_list_matches_manifest(adv_corpus: Corpus) -> None:
    assert sorted(f.path for f in adv_corpus.files) == sorted(CORPUS_FILES)
    assert sorted(b.path for b in adv_corpus.broken) == sorted(_BROKEN_CODES)


@pytest.mark.parametrize("name", CORPUS_FILES)
@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_every_valid_file_is_written(adv_runs: Runs, profile: str, name: str) -> None:
    run = adv_runs[profile]
    result = run.results.get(name)
    assert result is not None, f"{name} was never processed"
    assert (result.outcome, result.reason) == ("written", None), f"{name}: {result.outcome}:{result.reason}"
    out = run.output_of(name)
    assert out is not None and out.is_file()
    ds = _ds(out)
    assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_written_count_equals_valid_files(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    run = adv_runs[profile]
    not_written = {n: f"{r.outcome}:{r.reason}" for n, r in run.results.items() if r.outcome != "written"}
    not_written = {n: v for n, v in not_written.items() if n not in {b.path for b in adv_corpus.broken}}
    assert run.summary.counts["written"] == len(adv_corpus.files), not_written


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_broken_files_reported_with_fixed_codes(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    run = adv_runs[profile]
    problems = {p.name: p for p in run.summary.problems}
    for b in adv_corpus.broken:
        p = problems.get(b.path)
        assert p is not None, f"{b.path} ({b.reason}) not reported"
        assert p.outcome in ("skipped", "failed") and p.output is None
        assert p.reason in _BROKEN_CODES[b.path], f"{b.path} ({b.reason}): {p.outcome}:{p.reason}"
        assert p.outcome == Reason(p.reason).outcome


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_run_summary_adds_up(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    run = adv_runs[profile]
    s = run.summary
    # nothing but the outputs (no temporary file, nothing for a failed input) outside .dcmscrub/
    on_disk = sorted(p for p in run.out.rglob("*") if p.is_file() and ".dcmscrub" not in p.parts)
    assert sum(s.counts.values()) == len(adv_corpus.files) + len(adv_corpus.broken)
    assert s.counts["written"] == len(on_disk) == len(run.outputs())
    assert on_disk == run.outputs()
    assert s.exit_code == 3 and s.status == "partial"  # the truncated files fail, nothing else stops


# --------------------------------------------------------------------------------------------
# 3. references stay intact


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_references_follow_the_remapped_uids(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    run = adv_runs[profile]
    assert len(adv_corpus.references) >= 3
    for r in adv_corpus.references:
        source, target = run.output_of(r.source), run.output_of(r.target)
        assert target is not None and target.is_file(), f"no output for {r.target}"
        assert source is not None, f"no output for {r.source}"
        src, tgt = _ds(source), _ds(target)
        ref = element_at(src, r.path)
        if ref is None and not r.sequence_kept_by_basic:
            continue  # X/Z/U*: the engine may drop the whole sequence
        assert ref is not None, f"{r.source}: reference at {r.path} is gone"
        new = str(element_at(tgt, (r.target_tag,)).value)
        assert new != r.uid
        assert str(ref.value) == new, f"{r.source} {r.path}: {ref.value} != {r.target} {r.target_tag} {new}"


# --------------------------------------------------------------------------------------------
# 4. kept attributes and pixel data are not damaged


_KEPT = (
    "SpecificCharacterSet",
    "ImageType",
    "SOPClassUID",
    "Modality",
    "BodyPartExamined",
    "PatientPosition",
    "SeriesNumber",
    "InstanceNumber",
    "ImagePositionPatient",
    "ImageOrientationPatient",
    "SliceThickness",
    "SamplesPerPixel",
    "PhotometricInterpretation",
    "NumberOfFrames",
    "Rows",
    "Columns",
    "PixelSpacing",
    "BitsAllocated",
    "BitsStored",
    "HighBit",
    "PixelRepresentation",
    "RescaleIntercept",
    "RescaleSlope",
)
_KEPT_META = ("TransferSyntaxUID", "MediaStorageSOPClassUID")
_KEPT_CHAIN = ("AnatomicRegionSequence", "AnatomicRegionModifierSequence", "PurposeOfReferenceCodeSequence")


def _kept_sample() -> list[str]:
    listed = annex_e_all_tags()
    keywords = [k for k in _KEPT if f"{tag_for_keyword(k):08x}" not in listed]
    assert len(keywords) >= 18, "the sample shrank: too many of these are in Table E.1-1"
    return keywords


def _same(a: object, b: object) -> bool:
    def norm(v: object) -> object:
        if isinstance(v, str | bytes | int | float) or v is None:
            return str(v) if not isinstance(v, bytes) else v
        try:
            return [str(x) for x in v]  # type: ignore[union-attr]
        except TypeError:
            return str(v)

    return norm(a) == norm(b)


def _damaged(inp: Dataset, out: Dataset, label: str) -> list[str]:
    problems = []
    for keyword in _kept_sample():
        if keyword in inp:
            if keyword not in out:
                problems.append(f"{label}: {keyword} removed")
            elif not _same(inp[keyword].value, out[keyword].value):
                problems.append(f"{label}: {keyword} {inp[keyword].value!r} -> {out[keyword].value!r}")
    for keyword in _KEPT_META:
        if str(inp.file_meta.get(keyword, "")) != str(out.file_meta.get(keyword, "")):
            problems.append(f"{label}: file meta {keyword} changed")
    # the kept code chain (AnatomicRegionSequence > ...) keeps its code triplets
    holder_in, holder_out = inp, out
    for keyword in _KEPT_CHAIN:
        if keyword not in holder_in:
            break
        if keyword not in holder_out or not holder_out[keyword].value:
            problems.append(f"{label}: {keyword} removed")
            break
        holder_in, holder_out = holder_in[keyword].value[0], holder_out[keyword].value[0]
        local = not is_standard_scheme(str(holder_in.get("CodingSchemeDesignator", "")))
        for code in ("CodeValue", "CodingSchemeDesignator"):
            if code == "CodeValue" and local:
                # a local code's value is text someone typed: it may be replaced, never removed
                if not holder_out.get(code):
                    problems.append(f"{label}: {keyword} > {code} removed")
                continue
            if str(holder_in.get(code, "")) != str(holder_out.get(code, "")):
                problems.append(f"{label}: {keyword} > {code} changed")
    return problems


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_kept_attributes_unchanged(
    adv_corpus: Corpus,
    adv_runs: Runs,
    adv_extra: ExtraCorpus,
    extra_runs: Runs,
    profile: str,
) -> None:
    problems, checked = [], 0
    pairs = [(adv_corpus.root, adv_runs[profile]), (adv_extra.root, extra_runs[profile])]
    for root, run in pairs:
        for name in run.results:
            out = run.output_of(name)
            if out is None:
                continue
            checked += 1
            problems += _damaged(_ds(root / name), _ds(out), name)
    assert checked >= 13
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_pixel_data_byte_identical(
    adv_corpus: Corpus,
    adv_runs: Runs,
    adv_extra: ExtraCorpus,
    extra_runs: Runs,
    profile: str,
) -> None:
    checked = 0
    for root, run in [(adv_corpus.root, adv_runs[profile]), (adv_extra.root, extra_runs[profile])]:
        for name in run.results:
            out = run.output_of(name)
            if out is None:
                continue
            inp = _ds(root / name)
            if "PixelData" not in inp:
                continue
            checked += 1
            got = _ds(out)
            assert "PixelData" in got, f"{name}: pixel data removed"
            assert got["PixelData"].VR == inp["PixelData"].VR, name
            assert got.PixelData == inp.PixelData, f"{name}: pixel data changed"
    assert checked >= 13


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_encapsulated_fragments_identical(adv_extra: ExtraCorpus, extra_runs: Runs, profile: str) -> None:
    run = extra_runs[profile]
    out = run.output_of(adv_extra.encapsulated)
    assert out is not None
    inp, got = _ds(adv_extra.root / adv_extra.encapsulated), _ds(out)
    assert str(got.file_meta.TransferSyntaxUID) == str(inp.file_meta.TransferSyntaxUID)
    assert got["PixelData"].is_undefined_length
    want = list(generate_fragments(inp.PixelData))
    have = list(generate_fragments(got.PixelData))
    assert len(want) == 5  # offset table + 2 frames x 2 fragments
    assert have == want
    assert got.PixelData == inp.PixelData


# --------------------------------------------------------------------------------------------
# 5. UIDs


_NEW_UID = re.compile(r"2\.25\.(0|[1-9][0-9]*)")
_STANDARD = "1.2.840.10008."


def _uids(found: Iterable[Found]) -> list[tuple[Found, str]]:
    return [(v, c) for v in found if v.vr == "UI" for c in v.components if c]


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_output_uids_are_new_or_standard(adv_corpus: Corpus, adv_runs: Runs, profile: str) -> None:
    run = adv_runs[profile]
    problems, seen = [], 0
    for name in run.results:
        out = run.output_of(name)
        if out is None:
            continue
        standard_in = {c for _v, c in _uids(_values(adv_corpus.root / name)) if c.startswith(_STANDARD)}
        for v, uid in _uids(_values(out)):
            seen += 1
            if uid.startswith(_STANDARD):
                if uid not in standard_in:
                    problems.append(f"{name}: {v.where()} standard UID {uid} not in the input")
            elif not _NEW_UID.fullmatch(uid) or len(uid) > 64:
                problems.append(f"{name}: {v.where()} = {uid!r} is not a 2.25 UID of <= 64 characters")
    assert seen > 100
    assert not problems, "\n".join(problems)


def test_uids_deterministic_with_same_key(adv_runs: Runs, basic_again: Run) -> None:
    first = adv_runs["basic"]
    assert {k: r.output for k, r in first.results.items()} == {
        k: r.output for k, r in basic_again.results.items()
    }
    for name in first.results:
        a, b = first.output_of(name), basic_again.output_of(name)
        if a is not None:
            assert b is not None and a.read_bytes() == b.read_bytes(), f"{name}: output differs between runs"


def test_uids_differ_with_another_key(adv_runs: Runs, basic_other_key: Run) -> None:
    first = adv_runs["basic"]
    compared = 0
    for name in first.results:
        a, b = first.output_of(name), basic_other_key.output_of(name)
        if a is None:
            continue
        assert b is not None
        ua = {c for v, c in _uids(_values(a)) if not c.startswith(_STANDARD) and v.path != (0x00020012,)}
        ub = {c for v, c in _uids(_values(b)) if not c.startswith(_STANDARD) and v.path != (0x00020012,)}
        assert ua and not ua & ub, f"{name}: UIDs shared across keys: {sorted(ua & ub)[:3]}"
        assert _ds(a).SOPInstanceUID != _ds(b).SOPInstanceUID
        compared += 1
    assert compared >= 12


# --------------------------------------------------------------------------------------------
# 6. de-identification marks


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_deidentification_marks(adv_runs: Runs, profile: str) -> None:
    run = adv_runs[profile]
    applied = OPTIONS if profile == "options" else ()
    want = {cid7050_code("Basic Application Confidentiality Profile")}
    want |= {cid7050_code(OPTION_MEANINGS[o]) for o in applied}
    longitudinal = "MODIFIED" if "retain-long-modified-dates" in applied else "REMOVED"
    outputs = run.outputs()
    assert outputs
    for out in outputs:
        ds = _ds(out)
        assert ds.PatientIdentityRemoved == "YES", out
        codes = [
            (str(i.CodingSchemeDesignator), str(i.CodeValue)) for i in ds.DeidentificationMethodCodeSequence
        ]
        assert len(codes) == len(set(codes)) and set(codes) == want, f"{out.name}: {codes}"
        assert ds.LongitudinalTemporalInformationModified == longitudinal


# --------------------------------------------------------------------------------------------
# 7. date shifting


def _parse(value: str) -> dt.date:
    return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))


def _patient_key(ds: Dataset) -> tuple[str, str, str]:
    pid = str(ds.get("PatientID", "") or "")
    return (
        pid,
        str(ds.get("IssuerOfPatientID", "") or ""),
        "" if pid else str(ds.get("PatientName", "") or ""),
    )


def test_dates_move_by_one_offset_per_patient(
    adv_corpus: Corpus, adv_runs: Runs, adv_extra: ExtraCorpus, extra_runs: Runs
) -> None:
    """Under retain-long-modified-dates every date of a patient moves by one non-zero offset."""
    offsets: dict[tuple[str, str, str], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    problems, measured = [], 0

    def note(key: tuple[str, str, str], label: str, before: str, after: str, vr: str) -> None:
        nonlocal measured
        if not after:
            problems.append(f"{label}: valid date {before!r} emptied")
            return
        if vr == "DT" and after[8:] != before[8:]:
            problems.append(f"{label}: DT time or offset changed {before!r} -> {after!r}")
        offsets[key][(_parse(after) - _parse(before)).days].append(label)
        measured += 1

    run = adv_runs["options"]
    for f in adv_corpus.files:
        out = run.output_of(f.path)
        if out is None:
            continue
        key = _patient_key(_ds(adv_corpus.root / f.path))
        ds = _ds(out)
        for s in f.sentinels:
            if (
                s.kind in ("date", "datetime")
                and survival_reason(s) is None
                and "retain_long_modified_dates" in s.may_survive_under
            ):
                with lenient_pydicom():
                    elem = element_at(ds, s.path)
                if elem is not None:
                    note(key, f"{f.path} {_path_text(s)}", s.token, str(elem.value), s.vr)
    erun = extra_runs["options"]
    for name, dates in adv_extra.valid_dates.items():
        out = erun.output_of(name)
        assert out is not None, name
        ds = _ds(out)
        key = _patient_key(_ds(adv_extra.root / name))
        for tag, before in dates.items():
            elem = ds.get(tag)
            assert elem is not None, f"{name} {describe_tag(tag)} removed"
            note(key, f"{name} {describe_tag(tag)}", before, str(elem.value), elem.VR)

    assert measured > 500
    assert len(offsets) >= 6  # several patients, one of them over several files
    for key, by_offset in offsets.items():
        if len(by_offset) != 1:
            summary = {d: labels[:3] for d, labels in by_offset.items()}
            problems.append(f"patient {key}: dates moved by different offsets {summary}")
            continue
        (days,) = by_offset
        if days == 0 or abs(days) > 365:
            problems.append(f"patient {key}: offset {days} days not in [-365, -1] or [1, 365]")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("profile", PROFILE_NAMES)
def test_invalid_dates_not_passed_through(adv_extra: ExtraCorpus, extra_runs: Runs, profile: str) -> None:
    run = extra_runs[profile]
    problems = []
    for name, dates in adv_extra.invalid_dates.items():
        out = run.output_of(name)
        assert out is not None, f"{name}: {run.results[name].outcome}:{run.results[name].reason}"
        ds = _ds(out)
        for tag, before in dates.items():
            elem = ds.get(tag)
            after = "" if elem is None or elem.value is None else str(elem.value).strip()
            if after == before or before in after:
                problems.append(f"{name} {describe_tag(tag)}: invalid {before!r} passed through")
            elif after and not re.fullmatch(r"\d{8}(\d{2,6}(\.\d{1,6})?)?([+-]\d{4})?", after):
                problems.append(f"{name} {describe_tag(tag)}: {before!r} became invalid {after!r}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------
# the CLI agrees with the library


def _run_bounded(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str] | None:
    """Run ``cmd`` in its own process group; on timeout kill that group (the CLI and its workers)."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def test_cli_scrub_matches_library(adv_corpus: Corpus, tmp_path: Path) -> None:
    """``dcmscrub keygen --linkage`` + ``dcmscrub scrub -O ... --no-encrypt`` (2 workers) writes
    the same files as scrub_tree with that key, reports the same problems, and echoes no token."""
    key_file = tmp_path / "keys" / "link.key"
    key_file.parent.mkdir(mode=0o700)
    gen = subprocess.run(
        [*DCMSCRUB, "keygen", "--linkage", "-o", str(key_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert gen.returncode == 0, gen.stderr
    out = tmp_path / "cli-out"
    options = [x for o in OPTIONS for x in ("-O", o)]
    cmd = [
        *DCMSCRUB,
        "scrub",
        str(adv_corpus.root),
        "--out",
        str(out),
        "--no-encrypt",
        "--linkage-key",
        str(key_file),
        "--log",
        str(tmp_path / "cli.jsonl"),
        "--json",
        "-j",
        "2",
        *options,
    ]
    proc = _run_bounded(cmd, timeout=60)
    assert proc is not None, "dcmscrub scrub -j 2 did not finish within 60 s (killed): a hung worker pool?"
    assert proc.returncode == 3, proc.stderr  # partial: the broken files
    for stream in (proc.stdout, proc.stderr):
        assert "ZQX" not in stream and SENTINEL_UID_ROOT not in stream
    report = json.loads(proc.stdout)

    key = read_linkage_key_file(key_file)
    lib = run_scrub(
        adv_corpus.root, tmp_path / "lib-out", profile_for("options"), key, tmp_path / "lib.jsonl"
    )
    want = {o: lib.summary.counts.get(o, 0) for o in ("written", "skipped", "failed", "quarantined")}
    assert {o: report["counts"][o] for o in want} == want
    expected_problems = defaultdict(int)
    for p in lib.summary.problems:
        expected_problems[f"{p.outcome}:{p.reason}"] += 1
    assert report["problems"] == dict(expected_problems)
    cli_files = sorted(p.relative_to(out) for p in out.rglob("*.dcm") if ".dcmscrub" not in p.parts)
    lib_files = sorted(p.relative_to(lib.out) for p in lib.outputs())
    assert cli_files == lib_files
    for rel in cli_files:
        assert (out / rel).read_bytes() == (lib.out / rel).read_bytes(), rel
