"""Planted tokens through a scrub run (none survives), and the review file: encrypted to the run's
recipients, never plaintext, never in the audit log, read back by ``dcmscrub review``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

from conftest import KEY
from dcmscrub import cli
from dcmscrub.age import X25519Identity, decrypt, encrypt
from dcmscrub.batch.review import REVIEW_FORMAT, read_review
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import AgeSink, PlainSink
from dcmscrub.errors import DataError, DecryptError, OutputError, UsageError
from dcmscrub.keys.identity import format_identity_file
from dcmscrub.profiles import load_profile
from planted import DEPTHS, OPTIONS, cleaned_here, pieces, planted_dataset, planted_kinds

KINDS = planted_kinds()
ALL_PIECES = [p for tokens in KINDS.values() for t in tokens for p in pieces(t)]


def write_inputs(folder: Path, option: str) -> int:
    """One file per depth and kind of planted token; returns how many."""
    folder.mkdir(parents=True)
    n = 0
    for depth in DEPTHS:
        for kind, tokens in sorted(KINDS.items()):
            ds = planted_dataset(option, depth, tokens)
            ds.SOPInstanceUID = f"{ds.SOPInstanceUID}.{depth}.{n}"
            ds.file_meta = FileMetaDataset()
            ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds.save_as(folder / f"{kind}-{depth}.dcm", enforce_file_format=True)
            n += 1
    return n


def run(tmp_path: Path, option: str, identity: X25519Identity, **kw: object) -> tuple[Path, object]:
    inputs = tmp_path / "in"
    write_inputs(inputs, option)
    out = tmp_path / "out"
    options = ScrubOptions(
        load_profile("basic", [option]),
        AgeSink((identity.recipient,)),
        linkage_key=KEY,
        log=tmp_path / "log" / "audit.jsonl",
        **kw,  # type: ignore[arg-type]
    )
    return out, scrub_tree([inputs], out, options)


def plaintexts(out: Path, identity: X25519Identity) -> list[bytes]:
    found = []
    for path in sorted(out.rglob("*.dcm.age")):
        plain = io.BytesIO()
        with path.open("rb") as fh:
            decrypt(fh, plain, [identity])
        found.append(plain.getvalue())
    return found


@pytest.mark.parametrize("option", OPTIONS)
def test_no_planted_token_survives_a_scrub_run_and_the_review_lists_them(tmp_path: Path, option: str) -> None:
    identity = X25519Identity.generate()
    review = tmp_path / "run.review.age"
    out, summary = run(tmp_path, option, identity, review=review)
    assert summary.counts["written"] == len(DEPTHS) * len(KINDS)  # type: ignore[attr-defined]
    outputs = plaintexts(out, identity)
    assert len(outputs) == len(DEPTHS) * len(KINDS)
    for raw in outputs:
        ds = pydicom.dcmread(io.BytesIO(raw))
        text = "\n".join(str(e.value) for e in ds.iterall() if e.VR != "SQ").casefold()
        for piece in ALL_PIECES:
            assert piece.casefold() not in text, (option, piece)
            assert piece.encode("utf-8") not in raw, (option, piece)
    # the review file is an age file: no token in its bytes, none in the audit log
    data = review.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    log = (tmp_path / "log" / "audit.jsonl").read_bytes()
    for piece in ALL_PIECES:
        assert piece.encode("utf-8") not in data and piece.encode("utf-8") not in log
    assert review.stat().st_mode & 0o777 == 0o600
    document = read_review(review, [identity])
    assert document["format"] == REVIEW_FORMAT and document["version"] == 1
    assert document["files"] == len(outputs)
    listed = {t for entry in document["keywords"].values() for t, _n in entry["tokens"]}
    cleaned_depths = [d for d in DEPTHS if cleaned_here(option, d)]
    for kind, tokens in KINDS.items():
        for planted in tokens:
            if kind != "cjk" and cleaned_depths:  # each planted word is listed, by its own text
                assert pieces(planted)[0] in listed or pieces(planted)[0][:13] in listed, planted
    assert "CT" not in listed and "chest" not in listed  # the field's words were not removed
    sample = document["keywords"]["CalibrationNotes"]
    assert sample["removed"]["unknown"] == sample["unknown_tokens"] > 0


def test_the_review_never_counts_the_subject_by_name(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    review = tmp_path / "r.age"
    run(tmp_path, "clean-descriptors", identity, review=review)
    document = read_review(review, [identity])
    listed = {t.casefold() for entry in document["keywords"].values() for t, _n in entry["tokens"]}
    assert "doe" not in listed and "jane" not in listed and "mrn12345" not in listed


def test_review_is_refused_without_encryption(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    write_inputs(inputs, "clean-descriptors")
    options = ScrubOptions(load_profile("basic"), PlainSink(), linkage_key=KEY, review=tmp_path / "r.age")
    with pytest.raises(UsageError):
        scrub_tree([inputs], tmp_path / "out", options)
    assert not (tmp_path / "out").exists() and not (tmp_path / "r.age").exists()


def test_review_with_a_dry_run_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    with pytest.raises(UsageError, match="dry run"):
        run(tmp_path, "clean-descriptors", identity, review=tmp_path / "r.age", dry_run=True)
    assert not (tmp_path / "out").exists() and not (tmp_path / "r.age").exists()
    assert not (tmp_path / "log").exists()


def test_review_inside_the_output_tree_or_existing_is_refused(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    with pytest.raises(OutputError):
        run(tmp_path / "a", "clean-descriptors", identity, review=tmp_path / "a" / "out" / "r.age")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "r.age").write_bytes(b"x")
    with pytest.raises(OutputError):
        run(tmp_path / "b", "clean-descriptors", identity, review=tmp_path / "b" / "r.age")
    assert (tmp_path / "b" / "r.age").read_bytes() == b"x"


def test_read_review_refuses_foreign_files_and_other_versions(tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    for name, document in (("v2", {"format": REVIEW_FORMAT, "version": 2}), ("other", {"format": "x"})):
        path = tmp_path / name
        with path.open("wb") as fh:
            encrypt(io.BytesIO(json.dumps(document).encode()), fh, [identity.recipient])
        with pytest.raises(DataError):
            read_review(path, [identity])
    (tmp_path / "plain").write_text('{"format": "dcmscrub-review"}')
    with pytest.raises(DataError):
        read_review(tmp_path / "plain", [identity])
    with pytest.raises(DecryptError):
        read_review(tmp_path / "v2", [X25519Identity.generate()])


def test_the_review_command_prints_the_most_frequent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    identity = X25519Identity.generate()
    key = tmp_path / "steward.key"
    key.write_bytes(format_identity_file(identity, __import__("datetime").datetime(2026, 1, 1)))
    key.chmod(0o600)
    review, log = tmp_path / "r.age", tmp_path / "log" / "audit.jsonl"
    write_inputs(tmp_path / "in", "clean-descriptors")
    scrub = ["scrub", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-O", "clean-descriptors"]
    with pytest.raises(SystemExit) as info:
        cli.main([*scrub, "-r", str(identity.recipient), "--review", str(review), "--log", str(log)])
    assert info.value.code in (0, None)
    start = json.loads(log.read_text().splitlines()[0])
    assert start["args"]["review"] is True  # the log says a review was written, never what it holds
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        cli.main(["review", str(review), "-i", str(key), "--top", "3", "-a", "WedgeDescription"])
    out = capsys.readouterr().out
    assert info.value.code in (0, None)
    assert "WedgeDescription: removed" in out and "CalibrationNotes" not in out
    with pytest.raises(SystemExit) as info:
        cli.main(["review", str(review), "-i", str(key), "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert shown["format"] == REVIEW_FORMAT and "WedgeDescription" in shown["keywords"]
    with pytest.raises(SystemExit) as info:
        cli.main(
            ["scrub", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--no-encrypt", "--review", "x"]
        )
    assert info.value.code == 2
