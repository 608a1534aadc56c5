"""``dcmscrub plan``'s explanation stays true to the engine: every action the engine can produce is
described, and on every file of the adversarial corpus and of sample_data, under each built-in
profile, the explanation and the engine agree on what stays and what goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from adversarial import build_corpus
from conftest import KEY, SAMPLE
from dcmscrub.batch.inspect import plan_file
from dcmscrub.deid import actions
from dcmscrub.deid.effective import effective_rows
from dcmscrub.deid.plan import CODE_TO_ACTION, DATE, DESCRIPTOR, KEEP_PLAIN
from dcmscrub.deid.profile import ACTIONS
from dcmscrub.deid.reasons import ACTION_TEXT, describe_action
from dcmscrub.errors import DataError
from dcmscrub.profiles import list_builtin_profiles, load_profile
from dcmscrub.standard.annex_e import load_table

BUILTIN = [name for name, _ in list_builtin_profiles()]


def engine_action_names() -> set[str]:
    """Every action name the engine can carry out or resolve (read from the engine's own tables)."""
    table = load_table()
    codes = {row.basic for row in table.rows} | {c for row in table.rows for c in row.options.values()}
    return (
        set(actions._ACTIONS)  # what ElementActions.apply can be asked to do
        | set(ACTIONS)  # what a profile rule may say
        | {CODE_TO_ACTION.get(c, c) for c in codes}  # the table's codes, compound ones as they are
        | {KEEP_PLAIN, DATE, DESCRIPTOR}  # the plan's static actions
    )


def test_every_action_name_the_engine_can_produce_is_explained() -> None:
    missing = engine_action_names() - set(ACTION_TEXT)
    assert missing == set()
    assert "not described" in describe_action("a-new-action")  # a later action still gets a line


def test_the_action_list_bites() -> None:
    """The list above really reads the engine: an action the engine gains shows up in it."""
    actions._ACTIONS["zap"] = actions._ACTIONS["remove"]
    try:
        assert "zap" in engine_action_names() - set(ACTION_TEXT)
    finally:
        del actions._ACTIONS["zap"]


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    corpus = build_corpus(tmp_path_factory.mktemp("corpus"))
    files = [corpus.root / f.path for f in corpus.files]
    return [p for p in files if p.is_file()] + sorted(p for p in SAMPLE.rglob("*") if p.is_file())


@pytest.mark.parametrize("profile", BUILTIN)
def test_the_explanation_agrees_with_the_engine(corpus_files: list[Path], profile: str) -> None:
    prof = load_profile(profile)
    explained = 0
    for path in corpus_files:
        try:
            plan = plan_file(path, prof, KEY)
        except DataError:
            continue  # not DICOM, damaged: the run skips or fails it too
        wrong = [(e.name, e.action, e.result) for e in plan.elements if not e.agrees]
        assert wrong == [], path.name
        assert all(e.why for e in plan.elements), path.name
        explained += 1
    assert explained > 20


def test_a_wrong_explanation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The agreement above can fail: an explanation that keeps what the engine removes is flagged."""
    from dcmscrub.deid import explain

    real = explain._Explainer.row

    def lying(self: explain._Explainer, *args: object) -> explain.ElementPlan:
        out = real(self, *args)  # type: ignore[arg-type]
        if out.action == "remove":
            out.action = "keep"
        return out

    monkeypatch.setattr(explain._Explainer, "row", lying)
    plan = plan_file(
        SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm", load_profile("basic"), KEY
    )
    assert any(not e.agrees for e in plan.elements)


def test_effective_rows_name_the_deciding_column_and_rule() -> None:
    rows = {r.keyword: r for r in effective_rows(load_profile("research-longitudinal", ["retain-uids"]))}
    assert rows["StudyDate"].action == "shift"
    assert rows["StudyDate"].why.table_column == "retain-long-modified-dates"
    assert rows["StudyTime"].action == "keep"  # C on a time: times stay when dates move
    assert (
        rows["SOPInstanceUID"].action == "keep" and rows["SOPInstanceUID"].why.table_column == "retain-uids"
    )
    assert rows["PatientName"].action == "pseudonym" and rows["PatientName"].why.rule == "builtin:basic:13"
    assert rows["InstitutionName"].action == "X/Z/D"  # decided per object: plan FILE resolves it


@pytest.mark.parametrize("profile", BUILTIN)
def test_an_identity_code_in_a_d_sequence_is_explained_as_the_engine_does_it(
    tmp_path: Path, profile: str
) -> None:
    """Person Identification Code Sequence (D): its code value and meaning become dummies, and
    `dcmscrub plan` says so, in agreement with the engine."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.sequence import Sequence
    from pydicom.uid import ExplicitVRLittleEndian

    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID = "1.2.840.10008.5.1.4.1.1.2", "1.2.826.0.1.3680043.10.1426.7.1"
    ds.PatientID, ds.Modality = "MRN7", "CT"
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = "EMP4711", "99LOCAL", "SMITH JOHN"
    ds.PersonIdentificationCodeSequence = Sequence([code])
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    path = tmp_path / "person.dcm"
    ds.save_as(path, enforce_file_format=True)
    plan = plan_file(path, load_profile(profile), KEY)
    assert [(e.name, e.action) for e in plan.elements if not e.agrees] == []
    rows = {e.name.split(".")[-1]: e for e in plan.elements if "PersonIdentification" in e.name}
    assert rows["CodeValue"].action == rows["CodeMeaning"].action == "dummy", rows
