"""The engine on in-memory datasets: each action, each option, every depth."""

from __future__ import annotations

import copy
from pathlib import Path

import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

from conftest import KEY, OTHER_KEY
from dcmscrub.deid.dates import shift_date, shift_datetime
from dcmscrub.deid.engine import deidentify, output_ids
from dcmscrub.deid.marks import PIXELS_NOT_CLEARED
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.profiles import load_profile

SENTINEL = "ZQXSENTINEL"
CT_CLASS = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33"


def make(sop_class: str = CT_CLASS, **attrs: object) -> Dataset:
    """A small dataset with patient, study and series identity plus ``attrs``."""
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1426.1.1.1"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.1426.1.1"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.1426.1.1.2"
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "MRN12345"
    ds.PatientBirthDate = "19650312"
    ds.StudyDate = "20240115"
    ds.Modality = "CT"
    for key, value in attrs.items():
        setattr(ds, key, value)
    return ds


def run(
    ds: Dataset, profile: str | Profile = "basic", options: tuple[str, ...] = (), key: bytes = KEY
) -> Dataset:
    prof = profile if isinstance(profile, Profile) else load_profile(profile, options)
    ps = prof.pseudonyms
    deidentify(
        ds, prof, Pseudonymizer(key, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days)
    )
    return ds


def custom(tmp_path: Path, rules: str, extra: str = "") -> Profile:
    path = tmp_path / "p.yaml"
    path.write_text(f"version: 1\nname: t\nextends: basic\n{extra}rules:\n{rules}")
    return load_profile(str(path))


def all_text(ds: Dataset) -> str:
    out = []
    for elem in ds.iterall():
        if elem.VR not in ("SQ",):
            out.append(str(elem.value))
    meta = getattr(ds, "file_meta", None)
    if meta is not None:
        out += [str(e.value) for e in meta]
    return "\n".join(out)


# -- the Basic Profile -------------------------------------------------------------------


def test_basic_profile_on_identity_attributes() -> None:
    ds = run(make(InstitutionName="Hospital", ReferringPhysicianName="WHO^DR", SeriesDescription="for DOE"))
    assert str(ds.PatientName).startswith("PSEUDO^") and len(str(ds.PatientName)) == 23
    assert ds.PatientID.startswith("P") and len(ds.PatientID) == 17
    assert ds.PatientBirthDate == ""  # Z
    assert ds.StudyDate == ""  # Z
    assert ds.ReferringPhysicianName == ""  # Z
    assert "InstitutionName" not in ds  # X/Z/D, Type 3 in a CT image: removed
    assert "SeriesDescription" not in ds  # X
    assert ds.Modality == "CT"  # not in the table: kept
    assert ds.SOPClassUID == CT_CLASS  # standard UID: never changed
    assert ds.SOPInstanceUID.startswith("2.25.")


def test_marks_record_profile_and_options() -> None:
    ds = run(make(), "research-longitudinal")
    assert ds.PatientIdentityRemoved == "YES"
    codes = [item.CodeValue for item in ds.DeidentificationMethodCodeSequence]
    assert codes == ["113100", "113105", "113107", "113108", "113111"]
    assert all(item.CodingSchemeDesignator == "DCM" for item in ds.DeidentificationMethodCodeSequence)
    assert ds.DeidentificationMethod[0].startswith("dcmscrub ")
    assert "retain-long-modified-dates" in ds.DeidentificationMethod
    assert ds.LongitudinalTemporalInformationModified == "MODIFIED"
    assert run(make()).LongitudinalTemporalInformationModified == "REMOVED"
    assert run(make(), "limited-data-set").LongitudinalTemporalInformationModified == "UNMODIFIED"


def test_compound_actions_follow_the_iod() -> None:
    # Z/D: ContentDate is Type 2C in a CT image (emptied) but Type 1 in an SR (dummy)
    assert run(make(ContentDate="20240101")).ContentDate == ""
    assert run(make(COMPREHENSIVE_SR, ContentDate="20240101")).ContentDate == "20000101"
    # X/Z/D: DeviceSerialNumber is Type 3 in a CT image, Type 1 in an Enhanced CT
    assert "DeviceSerialNumber" not in run(make(DeviceSerialNumber="SN1"))
    assert run(make(ENHANCED_CT, DeviceSerialNumber="SN1")).DeviceSerialNumber == "REMOVED"
    # X/D: SeriesDate is optional: removed
    assert "SeriesDate" not in run(make(SeriesDate="20240101"))


def test_dummy_values_are_valid_for_their_vr() -> None:
    ds = make(COMPREHENSIVE_SR, ContentDate="20240101", ContentTime="101010")
    ds.VerifyingObserverSequence = Sequence([Dataset()])
    obs = ds.VerifyingObserverSequence[0]
    obs.VerifyingObserverName = "SMITH^JOHN"
    obs.VerifyingOrganization = "Hospital"
    obs.VerificationDateTime = "20240101101010"
    run(ds)
    assert ds.ContentDate == "20000101" and ds.ContentTime == "000000"
    assert obs.VerifyingObserverName == "ANONYMOUS"
    assert obs.VerifyingOrganization == "REMOVED"
    assert obs.VerificationDateTime == "20000101000000"


def test_references_inside_kept_sequences_are_remapped_consistently() -> None:
    ds = make()
    ref = Dataset()
    ref.ReferencedSOPClassUID = CT_CLASS
    ref.ReferencedSOPInstanceUID = "1.2.826.0.1.3680043.10.1426.1.1.9"
    ds.ReferencedImageSequence = Sequence([ref])
    other = run(make(SOPInstanceUID="1.2.826.0.1.3680043.10.1426.1.1.9"))
    run(ds)
    assert ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID == other.SOPInstanceUID
    assert ds.ReferencedImageSequence[0].ReferencedSOPClassUID == CT_CLASS


def test_nested_identifiers_are_handled_at_every_depth() -> None:
    inner = Dataset()
    inner.PatientName = f"{SENTINEL}^DEEP"
    inner.InstitutionName = SENTINEL
    inner.StudyInstanceUID = "1.2.3.4"
    middle = Dataset()
    middle.CodeValue = "T-D3000"
    middle.CodingSchemeDesignator = "SRT"
    middle.CodeMeaning = "Chest"
    middle.AnatomicRegionModifierSequence = Sequence([inner])
    ds = make()
    ds.AnatomicRegionSequence = Sequence([middle])  # not in Table E.1-1: kept, and walked
    run(ds)
    got = ds.AnatomicRegionSequence[0].AnatomicRegionModifierSequence[0]
    assert SENTINEL not in all_text(ds)
    assert "InstitutionName" not in got
    assert got.StudyInstanceUID.startswith("2.25.")
    assert ds.AnatomicRegionSequence[0].CodeMeaning == "Chest"


def test_removed_sequences_take_their_content_with_them() -> None:
    ds = make()
    item = Dataset()
    item.PatientID = SENTINEL
    ds.OtherPatientIDsSequence = Sequence([item])
    run(ds)
    assert "OtherPatientIDsSequence" not in ds


def test_private_elements_are_removed_with_their_creator() -> None:
    ds = make()
    block = ds.private_block(0x0011, "ACME PHI", create=True)
    block.add_new(0x01, "LO", SENTINEL)
    run(ds)
    assert not [e for e in ds if e.tag.is_private]


def test_retain_safe_private_keeps_only_listed_elements_and_their_creator() -> None:
    ds = make()
    block = ds.private_block(0x0019, "SIEMENS MR HEADER", create=True)
    block.add_new(0x0C, "IS", "1000")  # B_value: Table E.3.10-1 lists it
    block.add_new(0x20, "LO", SENTINEL)  # not listed
    run(ds, options=("retain-safe-private",))
    private = {int(e.tag): e.value for e in ds if e.tag.is_private}
    assert private == {0x00190010: "SIEMENS MR HEADER", 0x0019100C: "1000"}


def test_a_rule_keeps_a_private_element_by_creator(tmp_path: Path) -> None:
    prof = custom(tmp_path, "  - {select: '(0029,xx10)', creator: ACME CT 1.0, action: keep}\n")
    ds = make()
    block = ds.private_block(
        0x0029,
        "ACME CT 1.0",
        create=True,
    )
    block.add_new(0x10, "DS", "2.5")
    block.add_new(0x11, "LO", SENTINEL)
    other = ds.private_block(0x0029, "OTHER VENDOR", create=True)
    other.add_new(0x10, "DS", "9")
    run(ds, prof)
    values = [e.value for e in ds if e.tag.is_private]
    assert values == ["ACME CT 1.0", "2.5"]


def test_unknown_public_elements_and_group_lengths_are_removed() -> None:
    ds = make()
    ds.add_new(0x00091234 - 0x00010000, "LO", SENTINEL)  # (0008,1234): not in the dictionary
    ds.add_new(0x00200000, "UL", 1234)  # a group length
    run(ds)
    assert 0x00081234 not in ds and 0x00200000 not in ds


def test_overlays_go_whole_unless_clean_graphics() -> None:
    def with_overlay() -> Dataset:
        ds = make()
        ds.add_new(0x60000010, "US", 8)
        ds.add_new(0x60000011, "US", 8)
        ds.add_new(0x60000022, "LO", f"drawn for {SENTINEL} DOE")
        ds.add_new(0x60000040, "CS", "G")
        ds.add_new(0x60003000, "OW", b"\x00" * 8)
        return ds

    basic = run(with_overlay())
    assert not [e for e in basic if e.tag.group == 0x6000]
    graphics = run(with_overlay(), options=("clean-graphics",))
    assert graphics[0x60003000].value == b"\x00" * 8
    assert graphics[0x60000010].value == 8
    assert "DOE" not in graphics[0x60000022].value


def test_curves_are_removed() -> None:
    ds = make()
    ds.add_new(0x50000005, "US", 1)
    ds.add_new(0x50002500, "LO", SENTINEL)
    run(ds)
    assert not [e for e in ds if e.tag.group == 0x5000]


def test_file_meta_follows_the_new_instance_uid() -> None:
    ds = make()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CT_CLASS
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.SourceApplicationEntityTitle = "PACS_AT_HOSPITAL"
    run(ds)
    assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
    assert "SourceApplicationEntityTitle" not in ds.file_meta
    assert ds.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian


# -- options ------------------------------------------------------------------------------


def test_retain_uids_keeps_instance_uids() -> None:
    ds = run(make(), options=("retain-uids",))
    assert ds.SOPInstanceUID == "1.2.826.0.1.3680043.10.1426.1.1.1"


@pytest.mark.filterwarnings("ignore:Invalid value for VR DA")  # the invalid date is the point
def test_retain_long_full_dates_keeps_valid_dates_and_drops_invalid_ones() -> None:
    ds = run(make(SeriesDate="2024-01-15", AcquisitionDate="20240115"), options=("retain-long-full-dates",))
    assert ds.StudyDate == "20240115"
    assert ds.AcquisitionDate == "20240115"
    assert ds.SeriesDate == ""  # invalid value: never passed through
    assert ds.PatientBirthDate == ""  # the table has no option column for it: Z


def test_modified_dates_move_every_date_of_a_patient_by_one_offset() -> None:
    ds = run(
        make(SeriesDate="20240117", AcquisitionDateTime="20240118093000.5+0100"), "research-longitudinal"
    )
    moved = shift_date("20240115", 0)
    assert moved == "20240115"
    import datetime as dt

    def day(text: str) -> dt.date:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))

    study, series = day(ds.StudyDate), day(ds.SeriesDate)
    assert (series - study).days == 2
    offset = (study - dt.date(2024, 1, 15)).days
    assert offset != 0 and abs(offset) <= 365
    assert ds.AcquisitionDateTime.endswith("093000.5+0100")
    assert (day(ds.AcquisitionDateTime[:8]) - study).days == 3
    # another patient gets another offset; the same patient the same one
    again = run(make(), "research-longitudinal")
    assert again.StudyDate == ds.StudyDate
    other = run(make(PatientID="OTHER-1"), "research-longitudinal")
    assert other.StudyDate != ds.StudyDate


def test_retain_patient_characteristics() -> None:
    ds = run(
        make(PatientSex="F", PatientAge="058Y", PatientWeight="61.5"),
        options=("retain-patient-characteristics",),
    )
    assert (ds.PatientSex, ds.PatientAge, str(ds.PatientWeight)) == ("F", "058Y", "61.5")
    plain = run(make(PatientSex="F", PatientAge="058Y", PatientWeight="61.5"))
    assert plain.PatientSex == "" and "PatientAge" not in plain and "PatientWeight" not in plain


def test_retain_device_and_institution_identity() -> None:
    ds = run(
        make(StationName="CT01", DeviceSerialNumber="SN9", InstitutionName="General"),
        options=("retain-device-identity", "retain-institution-identity"),
    )
    assert (ds.StationName, ds.DeviceSerialNumber, ds.InstitutionName) == ("CT01", "SN9", "General")


def descriptors() -> Dataset:
    return make(
        SeriesDescription="CT chest for Doe Jane MRN12345 ref QUIXLEY",
        StudyDescription="follow-up 2024-01-02, call 555-0100 123",
        ImageComments="born 12.03.1965 axial 5 mm",
    )


def test_clean_descriptors_keeps_only_vocabulary_words_numbers_and_punctuation() -> None:
    # the subject's names and ID, and the unknown word, each become "*"; adjacent ones merge
    ds = run(descriptors(), options=("clean-descriptors",))
    assert ds.SeriesDescription == "CT chest for * ref *"
    assert ds.StudyDescription == "follow-up *, *"  # "call" is no word of the field: it goes too
    assert ds.ImageComments == "* axial 5 mm"  # "born" is no word of the field either


def test_clean_denylist_is_the_former_rule_chosen_explicitly(tmp_path: Path) -> None:
    # text: {clean: denylist}: only the subject's identifiers and identifier shapes go
    ds = run(
        descriptors(), custom(tmp_path, "  []\n", "options: [clean-descriptors]\ntext: {clean: denylist}\n")
    )
    assert ds.SeriesDescription == "CT chest for * * * ref QUIXLEY"
    assert ds.StudyDescription == "follow-up *, call *"


def test_a_profile_vocabulary_keeps_its_words(tmp_path: Path) -> None:
    (tmp_path / "site.txt").write_text("# site words\nQUIXLEY\n")
    extra = "options: [clean-descriptors]\ntext: {vocabulary_files: [site.txt]}\n"
    ds = run(descriptors(), custom(tmp_path, "  []\n", extra))
    assert ds.SeriesDescription == "CT chest for * ref QUIXLEY"


def test_dates_in_text_move_with_the_patient_under_modified_dates() -> None:
    ds = make(SeriesDescription="CT 2024-01-15 and 15 Jan 2024, prior 01/02/2024")
    shifted = run(copy.deepcopy(ds), options=("retain-long-modified-dates", "clean-descriptors"))
    moved = shifted.StudyDate  # the same offset as the StudyDate 20240115
    iso = f"{moved[:4]}-{moved[4:6]}-{moved[6:]}"
    assert shifted.SeriesDescription.startswith(f"CT {iso} and ")
    assert shifted.SeriesDescription.endswith(", prior *")  # 01/02/2024 reads two ways: removed
    assert "2024-01-15" not in shifted.SeriesDescription
    plain = run(ds, options=("clean-descriptors",))
    assert plain.SeriesDescription == "CT * and *, prior *"


def test_clean_structured_content_cleans_text_items_and_keeps_codes() -> None:
    ds = make(COMPREHENSIVE_SR)
    item = Dataset()
    item.RelationshipType = "CONTAINS"
    item.ValueType = "TEXT"
    concept = Dataset()
    concept.CodeValue, concept.CodingSchemeDesignator, concept.CodeMeaning = "121071", "DCM", "Finding"
    item.ConceptNameCodeSequence = Sequence([concept])
    item.TextValue = "Nodule seen in DOE JANE on 2024-01-02, 4 mm"
    ds.ContentSequence = Sequence([item])
    basic = run(copy.deepcopy(ds))
    assert basic.ContentSequence[0].TextValue == "REMOVED"  # D: a dummy keeps the TEXT item valid
    descriptors = run(copy.deepcopy(ds), options=("clean-descriptors",))
    assert descriptors.ContentSequence[0].TextValue == "REMOVED"  # structured content is not a descriptor
    cleaned = run(ds, options=("clean-structured-content",))
    assert cleaned.ContentSequence[0].TextValue == "Nodule seen in * on *, 4 mm"
    assert cleaned.ContentSequence[0].ConceptNameCodeSequence[0].CodeMeaning == "Finding"


# -- rules --------------------------------------------------------------------------------


def test_each_rule_action(tmp_path: Path) -> None:
    prof = custom(
        tmp_path,
        "  - {select: SpacingBetweenSlices, action: remove}\n"
        "  - {select: BodyPartExamined, action: empty}\n"
        "  - {select: StationName, action: keep}\n"
        "  - {select: InstitutionName, action: replace, value: Research Site}\n"
        "  - {select: StudyID, action: pseudonym}\n"
        "  - {select: OperatorsName, action: pseudonym}\n"
        "  - {select: StudyDate, action: shift}\n"
        "  - {select: ProtocolName, action: clean}\n"
        "  - {select: Manufacturer, action: dummy}\n"
        "  - {select: SeriesInstanceUID, action: uid}\n",
    )
    ds = make(
        SpacingBetweenSlices="2.5",
        BodyPartExamined="CHEST",
        StationName="CT01",
        InstitutionName="General",
        StudyID="S1",
        OperatorsName="X^Y",
        ProtocolName="chest DOE",
        Manufacturer="ACME",
    )
    run(ds, prof)
    assert "SpacingBetweenSlices" not in ds  # Type 3 in a CT image
    assert ds.BodyPartExamined == ""
    assert ds.StationName == "CT01"
    assert ds.InstitutionName == "Research Site"
    assert len(ds.StudyID) == 16 and ds.StudyID != "S1"
    assert str(ds.OperatorsName).startswith("PSEUDO^")
    assert ds.StudyDate not in ("", "20240115") and len(ds.StudyDate) == 8
    assert ds.ProtocolName == "chest *"
    assert ds.Manufacturer == "REMOVED"
    assert ds.SeriesInstanceUID.startswith("2.25.")


def test_a_later_rule_wins(tmp_path: Path) -> None:
    prof = custom(
        tmp_path,
        "  - {select: StationName, action: keep}\n  - {select: StationName, action: replace, value: LATER}\n",
    )
    assert run(make(StationName="CT01"), prof).StationName == "LATER"


def test_a_repeating_group_rule(tmp_path: Path) -> None:
    prof = custom(
        tmp_path,
        "  - {select: '(60xx,0022)', action: replace, value: overlay}\n",
        "options: [clean-graphics]\n",
    )
    ds = make()
    ds.add_new(0x60020022, "LO", SENTINEL)
    ds.add_new(0x60023000, "OW", b"\x00\x00")
    run(ds, prof)
    assert ds[0x60020022].value == "overlay"


# -- burned-in annotation ------------------------------------------------------------------


def test_burned_in_annotation_is_quarantined_unchanged(basic: Profile, pseudo: Pseudonymizer) -> None:
    ds = make(BurnedInAnnotation="YES")
    before = copy.deepcopy(ds)
    report = deidentify(ds, basic, pseudo)
    assert report.quarantine == "burned_in_annotation"
    assert ds == before


def test_burned_in_allow_releases_but_claims_nothing_untrue(tmp_path: Path) -> None:
    prof = custom(tmp_path, "  - {select: Modality, action: keep}\n", "burned_in: allow\n")
    ds = run(make(BurnedInAnnotation="Y"), prof)
    # released, but the marks say the pixels were not cleared (PS3.3 C.7.1.1: "Attributes and Pixel Data")
    assert ds.PatientIdentityRemoved == "NO"
    assert PIXELS_NOT_CLEARED in ds.DeidentificationMethod
    assert ds.BurnedInAnnotation == "YES"
    clean = run(make(BurnedInAnnotation="NO"), prof)
    assert clean.PatientIdentityRemoved == "YES"
    assert PIXELS_NOT_CLEARED not in clean.DeidentificationMethod


# -- determinism, reports ------------------------------------------------------------------


def test_same_key_same_result_other_key_other_result() -> None:
    a, b, c = run(make()), run(make()), run(make(), key=OTHER_KEY)
    assert a == b
    assert a.SOPInstanceUID != c.SOPInstanceUID and a.PatientID != c.PatientID


def test_output_ids_predict_the_report(basic: Profile, pseudo: Pseudonymizer) -> None:
    ds = make()
    predicted = output_ids(ds, basic, pseudo)
    report = deidentify(ds, basic, pseudo)
    assert predicted == (report.patient, report.study_uid, report.series_uid, report.sop_uid)
    assert report.patient == ds.PatientID


def test_real_ct_file_keeps_geometry_and_pixels(ct: Dataset, basic: Profile, pseudo: Pseudonymizer) -> None:
    before = copy.deepcopy(ct)
    deidentify(ct, basic, pseudo)
    for kw in (
        "Rows",
        "Columns",
        "PixelSpacing",
        "ImageOrientationPatient",
        "ImagePositionPatient",
        "BitsStored",
    ):
        assert ct[kw].value == before[kw].value, kw
    assert ct.PixelData == before.PixelData
    assert str(before.PatientName) not in all_text(ct)


@pytest.mark.parametrize(
    ("value", "days", "expected"),
    [
        ("20240228", 1, "20240229"),
        ("20241231", 1, "20250101"),
        ("2024-01-01", 1, None),
        ("20240230", 0, None),
    ],
)
def test_shift_date(value: str, days: int, expected: str | None) -> None:
    assert shift_date(value, days) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", "2024"),
        ("202401", "202401"),
        ("20240131235959", "20240201235959"),
        ("20240131+0100", "20240201+0100"),
        ("20240131256000", None),
        ("x", None),
    ],
)
def test_shift_datetime_keeps_precision(value: str, expected: str | None) -> None:
    assert shift_datetime(value, 1) == expected


# -- property: a sentinel planted in any text element at any depth never survives ---------

_TEXT_KEYWORDS = [
    "PatientName",
    "PatientID",
    "OtherPatientIDs",
    "PatientAddress",
    "InstitutionName",
    "InstitutionAddress",
    "ReferringPhysicianName",
    "StudyDescription",
    "SeriesDescription",
    "ImageComments",
    "AccessionNumber",
    "StationName",
    "OperatorsName",
    "PerformingPhysicianName",
    "RequestingPhysician",
    "StudyID",
    "ProtocolName",
    "AdditionalPatientHistory",
    "PatientComments",
    "MedicalAlerts",
    "Occupation",
    "DeviceSerialNumber",
    "TextValue",
    "ContentCreatorName",
    "PersonName",
    "DerivationDescription",
    "AcquisitionComments",
]
_CONTAINERS = [
    "AnatomicRegionSequence",
    "ReferencedImageSequence",
    "SourceImageSequence",
    "ContentSequence",
    "DerivationCodeSequence",
    "RequestAttributesSequence",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    keyword=st.sampled_from(_TEXT_KEYWORDS),
    path=st.lists(st.sampled_from(_CONTAINERS), max_size=3),
    private=st.booleans(),
)
def test_a_planted_sentinel_never_survives_basic(keyword: str, path: list[str], private: bool) -> None:
    ds = make()
    target = ds
    for container in path:
        item = Dataset()
        target.add_new(pydicom.datadict.tag_for_keyword(container), "SQ", Sequence([item]))
        target = item
    if private:
        target.private_block(0x0011, "ACME", create=True).add_new(0x01, "LO", f"{SENTINEL} x")
    else:
        vr = pydicom.datadict.dictionary_VR(keyword)
        target.add_new(
            pydicom.datadict.tag_for_keyword(keyword), vr, f"{SENTINEL}^A" if vr == "PN" else SENTINEL
        )
    run(ds)
    assert SENTINEL not in all_text(ds)
