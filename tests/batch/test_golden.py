"""Golden outputs: each built-in profile over sample_data/, attribute by attribute.

A change in what any profile does to any attribute of the sample shows up as a diff of
tests/golden/<profile>.json. After an intended change: ``pytest tests/batch/test_golden.py
--update-golden`` and review the diff. The version string appears as ``{version}``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import Dataset

from conftest import KEY, SAMPLE, dcm_files
from dcmscrub._version import __version__
from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
from dcmscrub.batch.sink import PlainSink
from dcmscrub.profiles import list_builtin_profiles, load_profile

GOLDEN = Path(__file__).parent / "golden"
PROFILES = [name for name, _ in list_builtin_profiles()]


def flatten(ds: Dataset, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for elem in ds:
        name = f"{prefix}{elem.keyword or str(elem.tag)}"
        if elem.VR == "SQ":
            out[name] = f"{len(elem.value)} item(s)"
            for i, item in enumerate(elem.value):
                out.update(flatten(item, f"{name}[{i}]."))
        elif isinstance(elem.value, bytes):
            out[name] = f"{len(elem.value)} bytes sha256:{hashlib.sha256(elem.value).hexdigest()[:16]}"
        else:
            out[name] = str(elem.value)
    return out


def snapshot(profile: str, tmp_path: Path) -> dict[str, object]:
    out = tmp_path / profile
    summary = scrub_tree([SAMPLE], out, ScrubOptions(load_profile(profile), PlainSink(), linkage_key=KEY))
    files = {}
    for path in dcm_files(out):
        ds = pydicom.dcmread(path)
        attrs = flatten(ds.file_meta, "meta.") | flatten(ds)
        attrs.pop("meta.ImplementationVersionName", None)
        # the version string is not part of what a profile does: a release bump changes no golden file
        attrs = {k: v.replace(__version__, "{version}") for k, v in attrs.items()}
        files[str(path.relative_to(out))] = attrs
    counts = dict(sorted(summary.counts.items()))
    return {"profile": profile, "counts": counts, "files": files}


@pytest.mark.parametrize("profile", PROFILES)
def test_golden(profile: str, tmp_path: Path, update_golden: bool) -> None:
    got = snapshot(profile, tmp_path)
    path = GOLDEN / f"{profile}.json"
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        pytest.skip("golden file rewritten")
    if not path.exists():
        pytest.fail(f"no golden file {path.name}: run pytest tests/test_golden.py --update-golden")
    want = json.loads(path.read_text())
    assert got["counts"] == want["counts"]
    assert sorted(got["files"]) == sorted(want["files"])
    for name, attrs in want["files"].items():
        assert got["files"][name] == attrs, name
