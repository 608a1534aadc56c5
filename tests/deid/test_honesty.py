"""Honest marks (#13): a rule that weakens Table E.1-1 beyond the profile's options is named by
``profile check`` (with the row), and outputs then claim only what holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from conftest import KEY
from dcmscrub import cli
from dcmscrub.deid.engine import deidentify
from dcmscrub.deid.honesty import codes_that_hold, weakenings
from dcmscrub.deid.plan import compile_plan
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.profiles import list_builtin_profiles, load_profile, profile_warnings

CT = "1.2.840.10008.5.1.4.1.1.2"


def profile(tmp_path: Path, rules: str, extends: str = "basic", extra: str = "") -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(f"version: 1\nname: site\nextends: {extends}\n{extra}rules:\n{rules}")
    return path


def scrubbed(prof: Profile) -> Dataset:
    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID = CT, "1.2.826.0.1.3680043.10.1426.2.1"
    ds.PatientName, ds.PatientID, ds.Modality = "DOE^JANE", "MRN1", "CT"
    ds.StudyDescription = "CT chest"
    deidentify(ds, prof, Pseudonymizer(KEY, prof.pseudonyms.namespace))
    return ds


@pytest.mark.parametrize("name", [n for n, _ in list_builtin_profiles()])
def test_the_built_in_profiles_weaken_nothing(name: str) -> None:
    prof = load_profile(name)
    assert weakenings(prof) == () and profile_warnings(prof) == []
    assert codes_that_hold(compile_plan(prof)) == compile_plan(prof).codes


def test_keep_beyond_the_options_is_named_with_its_row(tmp_path: Path) -> None:
    path = profile(tmp_path, "  - {select: StudyDescription, action: keep}\n", "research-longitudinal")
    prof = load_profile(str(path))
    (weak,) = weakenings(prof)
    assert weak.row == "00081030" and weak.allowed == "C" and weak.options == ("clean-descriptors",)
    assert weak.rule.line == 5 and "Table E.1-1 row (0008,1030) StudyDescription" in weak.message()
    ds = scrubbed(prof)
    assert ds.StudyDescription == "CT chest"
    assert ds.DeidentificationMethod[0].endswith("(modified)")
    claimed = {item.CodeValue for item in ds.DeidentificationMethodCodeSequence}
    assert "113100" not in claimed and "113105" not in claimed  # neither Basic nor Clean Descriptors
    assert "113107" in claimed  # Retain Longitudinal Modified Dates still holds


@pytest.mark.parametrize(
    ("rule", "weak"),
    [
        ("{select: InstitutionName, action: replace, value: Research Site A}", False),
        ("{select: PatientName, action: pseudonym}", False),
        ("{select: ReferencedImageSequence, action: keep}", False),  # items keep their own rules
        ("{select: OtherPatientIDsSequence, action: keep}", True),  # X: its items would stay
        ("{select: StudyDate, action: shift}", True),  # no dates option: X/Z
        ("{select: SOPInstanceUID, action: keep}", True),
        ("{select: ImageComments, action: clean}", True),  # X without clean-descriptors
        ('{select: "(60xx,4000)", action: keep}', True),
        ('{select: "(0019,xx0C)", creator: SIEMENS MR HEADER, action: keep}', True),
        ("{select: Modality, action: keep}", False),  # kept anyway
    ],
)
def test_what_weakens_and_what_does_not(tmp_path: Path, rule: str, weak: bool) -> None:
    prof = load_profile(str(profile(tmp_path, f"  - {rule}\n")))
    assert bool(weakenings(prof)) is weak


def test_a_profile_that_meets_nothing_claims_no_code(tmp_path: Path) -> None:
    prof = load_profile(str(profile(tmp_path, "  - {select: PatientName, action: keep}\n")))
    ds = scrubbed(prof)
    assert "DeidentificationMethodCodeSequence" not in ds and ds.DeidentificationMethod.endswith("(modified)")


def test_removing_a_required_attribute_is_warned(tmp_path: Path) -> None:
    prof = load_profile(str(profile(tmp_path, "  - {select: PatientName, action: remove}\n")))
    (found,) = profile_warnings(prof)
    assert "remove PatientName: the IOD wins where it requires the attribute" in found
    assert "Type 2 or 2C" in found
    optional = load_profile(str(profile(tmp_path, "  - {select: ImageComments, action: remove}\n")))
    assert profile_warnings(optional) == []


def test_profile_check_warns_and_strict_exits_78(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = profile(tmp_path, "  - {select: StudyDescription, action: keep}\n")
    with pytest.raises(SystemExit) as info:
        cli.main(["profile", "check", str(path)])
    err = capsys.readouterr().err
    assert info.value.code == 0
    assert f"{path}:5: rule 'keep' on StudyDescription weakens Table E.1-1 row (0008,1030)" in err
    with pytest.raises(SystemExit) as info:
        cli.main(["profile", "check", str(path), "--strict"])
    assert info.value.code == 78
    with pytest.raises(SystemExit) as info:
        cli.main(["profile", "check", "basic", "--strict"])
    assert info.value.code == 0
