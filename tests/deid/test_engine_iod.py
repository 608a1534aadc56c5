"""Every removal asks the object's IOD (the generated PS3.3 table), by path (issue 15).

Type 3 (or absent from the IOD): removed. Type 2 or 2C: emptied. Type 1 or 1C: a dummy valid
for the VR (a date: the dummy date, or the shifted date when dates are shifted). An IOD the table
does not know: the standard's first action, and the report says so. Elements stored as UN whose
tag the dictionary knows are handled with the dictionary's VR.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

from conftest import KEY
from dcmscrub.deid.engine import FileReport, deidentify
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.outcomes import Note
from dcmscrub.profiles import load_profile

SENTINEL = "ZQXSENTINEL"
CT = "1.2.840.10008.5.1.4.1.1.2"
ECG = "1.2.840.10008.5.1.4.1.1.9.1.1"
RT_PLAN = "1.2.840.10008.5.1.4.1.1.481.5"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"
COLOR_PALETTE = "1.2.840.10008.5.1.4.39.1"
NM_RETIRED = "1.2.840.10008.5.1.4.1.1.5"  # Nuclear Medicine Image Storage (Retired): not in the table


def make(sop_class: str, **attrs: object) -> Dataset:
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1426.15.1"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.1426.15.2"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.1426.15.3"
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "MRN12345"
    ds.StudyDate = "20240115"
    for key, value in attrs.items():
        setattr(ds, key, value)
    return ds


def run(ds: Dataset, profile: str | Profile = "basic") -> FileReport:
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    ps = prof.pseudonyms
    pseudo = Pseudonymizer(KEY, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days)
    return deidentify(ds, prof, pseudo)


def custom(tmp_path: Path, rules: str, extends: str = "basic") -> Profile:
    path = tmp_path / "p.yaml"
    path.write_text(f"version: 1\nname: t\nextends: {extends}\nrules:\n{rules}")
    return load_profile(str(path))


def item(**attrs: object) -> Dataset:
    out = Dataset()
    for key, value in attrs.items():
        setattr(out, key, value)
    return out


def code(value: str) -> Dataset:
    return item(CodeValue=value, CodingSchemeDesignator="DCM", CodeMeaning=SENTINEL)


# -- compound codes, the table's X, descriptors -------------------------------------------------


def test_type_2_attributes_are_emptied_not_removed() -> None:
    # X/Z/D OperatorsName: Type 2 in the RT Series module, Type 3 in a CT image
    plan = make(RT_PLAN, OperatorsName="SMITH^J")
    run(plan)
    assert plan.OperatorsName == ""
    ct = make(CT, OperatorsName="SMITH^J")
    run(ct)
    assert "OperatorsName" not in ct


def test_type_1_dates_get_the_dummy_and_type_2_sequences_stay_empty() -> None:
    # 12-lead ECG, Waveform Identification: ContentDate/Time (Z/D) and AcquisitionDateTime
    # (X/Z/D) Type 1; Acquisition Context (X/Z) Type 2
    ds = make(ECG, ContentDate="20240115", ContentTime="101112", AcquisitionDateTime="20240115101112")
    ds.AcquisitionContextSequence = Sequence([item(ValueType="CODE", ConceptNameCodeSequence=[code("1")])])
    run(ds)
    assert (ds.ContentDate, ds.ContentTime, ds.AcquisitionDateTime) == (
        "20000101",
        "000000",
        "20000101000000",
    )
    assert ds["AcquisitionContextSequence"].VR == "SQ" and len(ds.AcquisitionContextSequence) == 0


def test_the_tables_x_inside_a_sequence_follows_the_path() -> None:
    # SR Document General, Referenced Request Sequence items: Referenced Study Sequence (X/Z) and
    # Requested Procedure ID (X) are Type 2 there; at the top level they are not required
    request = item(
        RequestedProcedureID=SENTINEL,
        ReferencedStudySequence=[item(ReferencedSOPClassUID=CT, ReferencedSOPInstanceUID="1.2.3.4")],
        StudyInstanceUID="1.2.826.0.1.3680043.10.1426.15.2",
    )
    ds = make(BASIC_TEXT_SR, RequestedProcedureID=SENTINEL, ReferencedRequestSequence=[request])
    run(ds)
    got = ds.ReferencedRequestSequence[0]
    assert got.RequestedProcedureID == "" and len(got.ReferencedStudySequence) == 0
    assert "RequestedProcedureID" not in ds


def test_descriptors_follow_the_path() -> None:
    # Content Identification macro: ContentDescription Type 2 at the top level, Type 1 in
    # Alternate Content Description items (which also need their language code)
    alternate = item(ContentDescription=f"for {SENTINEL}", LanguageCodeSequence=[code("en")])
    ds = make(COLOR_PALETTE, ContentDescription=SENTINEL, AlternateContentDescriptionSequence=[alternate])
    run(ds)
    assert ds.ContentDescription == ""
    assert ds.AlternateContentDescriptionSequence[0].ContentDescription == "REMOVED"


def test_conditional_attributes_present_in_the_input_count_as_required() -> None:
    # Patient module: PatientSpeciesDescription 1C, PatientBreedDescription 2C (non-human subjects)
    ds = make(CT, PatientSpeciesDescription=SENTINEL, PatientBreedDescription=SENTINEL)
    run(ds)
    assert (ds.PatientSpeciesDescription, ds.PatientBreedDescription) == ("REMOVED", "")


def test_nothing_of_the_input_stays_in_an_emptied_or_dummy_attribute() -> None:
    ds = make(ECG, ContentDate="20240115", OperatorsName=f"{SENTINEL}^X")
    ds.AcquisitionContextSequence = Sequence([item(TextValue=SENTINEL, ValueType="TEXT")])
    ds.PatientSpeciesDescription = SENTINEL
    run(ds)
    text = "\n".join(str(e.value) for e in ds.iterall())
    assert SENTINEL not in text and "20240115" not in text


# -- profile rules ----------------------------------------------------------------------------


def test_a_remove_rule_gives_way_to_the_iod(tmp_path: Path) -> None:
    prof = custom(
        tmp_path,
        "  - {select: Modality, action: remove}\n"
        "  - {select: KVP, action: remove}\n"
        "  - {select: SpacingBetweenSlices, action: remove}\n",
    )
    ds = make(CT, Modality="CT", KVP="120", SpacingBetweenSlices="2.5")
    run(ds, prof)
    assert ds.Modality == "REMOVED"  # Type 1 in the General Series module
    assert ds.KVP is None or ds.KVP == ""  # Type 2 in the CT Image module
    assert "SpacingBetweenSlices" not in ds  # Type 3


def test_a_required_date_is_shifted_when_dates_are(tmp_path: Path) -> None:
    prof = custom(tmp_path, "  - {select: ContentDate, action: remove}\n", extends="research-longitudinal")
    ds = make(ECG, ContentDate="20240117")
    run(ds, prof)
    study = dt.date.fromisoformat(ds.StudyDate)
    assert ds.ContentDate not in ("20240117", "20000101")
    assert (dt.date.fromisoformat(ds.ContentDate) - study).days == 2  # the patient's one offset


def test_an_explicit_dummy_rule_stays_a_dummy(tmp_path: Path) -> None:
    prof = custom(tmp_path, "  - {select: ContentDate, action: dummy}\n", extends="research-longitudinal")
    ds = make(ECG, ContentDate="20240117")
    run(ds, prof)
    assert ds.ContentDate == "20000101"


@pytest.mark.filterwarnings("ignore:Invalid value for VR DA")  # the invalid date is the point
def test_an_invalid_required_date_becomes_the_dummy() -> None:
    ds = make(ECG, ContentDate="20241301")
    run(ds, "research-longitudinal")
    assert ds.ContentDate == "20000101"  # Type 1: never empty
    ct = make(CT, ContentDate="20241301")
    run(ct, "research-longitudinal")
    assert ct.ContentDate == ""  # Type 2C in a CT image


# -- unknown IODs -------------------------------------------------------------------------------


def test_an_unknown_iod_gets_the_first_action_and_a_note() -> None:
    ds = make(NM_RETIRED, OperatorsName="SMITH^J", ContentDate="20240115")
    report = run(ds)
    assert "OperatorsName" not in ds and ds.ContentDate == ""  # X/Z/D -> X, Z/D -> Z
    assert report.notes == {Note.IOD_UNKNOWN}
    assert run(make(RT_PLAN, OperatorsName="SMITH^J")).notes == frozenset()


def test_an_iod_the_table_knows_in_part_counts_as_unknown() -> None:
    waveform_ps = "1.2.840.10008.5.1.4.1.1.9.100.1"  # six modules without attribute lists
    ds = make(waveform_ps, ContentDescription=SENTINEL)
    assert run(ds).notes == {Note.IOD_UNKNOWN}
    assert "ContentDescription" not in ds


# -- VR UN ------------------------------------------------------------------------------------


def _stored_as_un(ds: Dataset, keywords: list[str]) -> Dataset:
    """``ds`` written (explicit VR little endian) with ``keywords`` stored as UN, and read back."""
    pydicom.config.replace_un_with_known_vr = False  # else pydicom corrects the VR at once
    try:
        for kw in keywords:
            elem = ds[kw]
            raw = str(elem.value).encode("ascii")
            ds[kw] = pydicom.DataElement(elem.tag, "UN", raw + b" " * (len(raw) & 1))
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        buf = io.BytesIO()
        ds.save_as(buf, enforce_file_format=True)
    finally:
        pydicom.config.replace_un_with_known_vr = True
    buf.seek(0)
    back = pydicom.dcmread(buf)
    assert all(back.get_item(kw).VR == "UN" for kw in keywords)  # still raw, as stored
    return back


def test_dates_stored_as_un_are_shifted_not_dropped() -> None:
    ds = _stored_as_un(
        make(CT, StudyTime="101112", SeriesDate="20240116"), ["StudyDate", "StudyTime", "SeriesDate"]
    )
    run(ds, "research-longitudinal")
    assert ds["StudyDate"].VR == "DA" and ds.StudyDate not in ("", "20240115")
    assert ds["StudyTime"].VR == "TM" and ds.StudyTime == "101112"  # times stay
    assert (dt.date.fromisoformat(ds.SeriesDate) - dt.date.fromisoformat(ds.StudyDate)).days == 1


def test_text_stored_as_un_is_cleaned() -> None:
    ds = _stored_as_un(make(CT, ImageComments="seen for DOE today"), ["ImageComments"])
    run(ds, "research-longitudinal")  # clean-descriptors
    # the name goes, and "today" with it: no source of the field's vocabulary vouches for it
    assert ds["ImageComments"].VR == "LT" and ds.ImageComments == "seen for *"
