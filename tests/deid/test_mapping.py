"""The escrow's mapping, computed beside the engine, agrees with what the engine writes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset

from conftest import KEY, SAMPLE
from dcmscrub.deid.dates import shift_date
from dcmscrub.deid.engine import deidentify
from dcmscrub.deid.mapping import file_mapping, forward
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.profiles import load_profile

MANIFEST = json.loads((SAMPLE / "MANIFEST.json").read_text())
RELEASED = [f["path"] for f in MANIFEST["files"] if f["expected"] == "deidentify"]
LEVELS = {"study": "StudyInstanceUID", "series": "SeriesInstanceUID", "sop": "SOPInstanceUID"}
PROFILES = [
    ("basic", ()),
    ("research-longitudinal", ()),
    ("limited-data-set", ()),
    ("basic", ("retain-uids",)),
]


def pseudonymizer(profile: Profile) -> Pseudonymizer:
    ps = profile.pseudonyms
    return Pseudonymizer(KEY, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days)


@pytest.mark.parametrize(("name", "options"), PROFILES)
@pytest.mark.parametrize("path", RELEASED)
def test_the_mapping_agrees_with_what_the_engine_writes(
    path: str, name: str, options: tuple[str, ...]
) -> None:
    profile = load_profile(name, options)
    p = pseudonymizer(profile)
    ds = pydicom.dcmread(SAMPLE / path, force=True)
    before = copy.deepcopy(ds)
    m = file_mapping(ds, profile, p)
    assert ds == before  # computed from the header as read, without changing it
    report = deidentify(ds, profile, p)
    assert report.quarantine is None
    assert m.patient == report.patient == ds.PatientID
    assert (m.patient_id, m.issuer) == (before.PatientID, before.get("IssuerOfPatientID", ""))
    assert m.patient_name == str(before.PatientName) and m.patient_name_pseudonym == str(ds.PatientName)
    if before.get("AccessionNumber"):
        assert m.accession == before.AccessionNumber and m.accession_pseudonym == ds.AccessionNumber
    assert {level for level, _, _ in m.uids} == set(LEVELS)
    for level, old, new in m.uids:
        assert getattr(before, LEVELS[level]) == old and getattr(ds, LEVELS[level]) == new
        assert (old == new) == ("retain-uids" in options)
    if name == "research-longitudinal":
        assert m.date_offset_days is not None
        assert ds.StudyDate == shift_date(before.StudyDate, m.date_offset_days)
    else:
        assert m.date_offset_days is None
        assert ds.get("StudyDate", "") in ("", before.StudyDate)  # removed/emptied, or kept as it was


@pytest.mark.parametrize(("name", "options"), PROFILES)
def test_forward_gives_what_the_mapping_of_a_real_object_holds(name: str, options: tuple[str, ...]) -> None:
    profile = load_profile(name, options)
    p = pseudonymizer(profile)
    for path in RELEASED:
        m = file_mapping(pydicom.dcmread(SAMPLE / path, force=True), profile, p)
        patient = forward("patient_id", m.patient_id, m.issuer, profile, p)
        assert (patient.pseudonym, patient.patient_name) == (m.patient, m.patient_name_pseudonym)
        assert patient.date_offset_days == m.date_offset_days
        if m.accession:
            assert forward("accession", m.accession, m.issuer, profile, p).pseudonym == m.accession_pseudonym
        for _, old, new in m.uids:
            assert forward("uid", old + " ", "", profile, p).pseudonym == new  # padding does not matter


def test_a_profile_that_removes_an_attribute_gives_it_no_pseudonym(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(
        "version: 1\nname: site\nextends: basic\nrules:\n"
        "  - {select: PatientName, action: remove}\n  - {select: AccessionNumber, action: remove}\n"
    )
    profile = load_profile(str(site))
    p = pseudonymizer(profile)
    ds = pydicom.dcmread(SAMPLE / RELEASED[1], force=True)
    m = file_mapping(ds, profile, p)
    assert m.patient_name_pseudonym is None and m.accession_pseudonym is None
    assert m.patient_name  # the original is still what the escrow records for the patient
    deidentify(ds, profile, p)
    # the rule removes them; the IOD (Type 2) keeps them present and empty: no value, no pseudonym
    assert not ds.get("PatientName") and not ds.get("AccessionNumber")
    assert forward("accession", "ACC1", "", profile, p).pseudonym is None


def test_an_object_without_patient_id_is_keyed_on_the_name(
    ct: Dataset, basic: Profile, pseudo: Pseudonymizer
) -> None:
    del ct.PatientID
    m = file_mapping(ct, basic, pseudo)
    assert m.patient_id == f"name:{ct.PatientName}"
    assert (
        deidentify(ct, basic, pseudo).patient
        == m.patient
        == forward("patient_id", m.patient_id, "", basic, pseudo).pseudonym
    )
