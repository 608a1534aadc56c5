"""profile check's warnings: a remove rule on an attribute some IOD requires gives way to the IOD."""

from __future__ import annotations

from pathlib import Path

import pytest

from dcmscrub import cli
from dcmscrub.deid.iod_rules import overridden_removals
from dcmscrub.deid.profile import Profile
from dcmscrub.profiles import load_profile


def custom(tmp_path: Path, rules: str) -> Profile:
    path = tmp_path / "p.yaml"
    path.write_text(f"version: 1\nname: t\nextends: basic\nrules:\n{rules}")
    return load_profile(str(path))


def test_profile_check_names_the_removals_the_iod_overrides(tmp_path: Path) -> None:
    prof = custom(
        tmp_path,
        "  - {select: OperatorsName, action: remove}\n"
        "  - {select: ContrastBolusRoute, action: remove}\n"  # Type 3 wherever it appears
        "  - {select: SeriesTime, action: remove}\n",
    )
    warnings = overridden_removals(prof)
    assert [w.line for w in warnings] == [5, 7]
    assert "empty in" in warnings[0].message and "rt-beams-treatment-record" in warnings[0].message
    assert "a dummy value in" in warnings[1].message and "Type 1" in warnings[1].message
    assert "2026b" in warnings[0].message
    assert overridden_removals(load_profile("basic")) == []


def test_profile_check_prints_them_and_still_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    custom(tmp_path, "  - {select: OperatorsName, action: remove}\n")
    with pytest.raises(SystemExit) as info:
        cli.main(["profile", "check", str(tmp_path / "p.yaml")])
    _out, err = capsys.readouterr()
    assert info.value.code in (0, None)
    assert f"warning: {tmp_path / 'p.yaml'}:5: remove OperatorsName: the IOD wins" in err
    assert "1 profile ok" in err
