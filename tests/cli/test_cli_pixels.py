"""The command line's Clean Pixel Data parts: profile import-pixels, and what scrub says about the
[ocr] extra when files are held back for burned-in text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE
from dcmscrub import cli
from dcmscrub.profiles import load_profile

REPO = Path(__file__).resolve().parents[2]
CTP = REPO / "tests" / "data" / "ctp" / "DicomPixelAnonymizer.script"
DEID = REPO / "tests" / "data" / "deid" / "deid.dicom"
SC_DIR = SAMPLE / "NOBODY_ALEX_FAKE-MRN-0003" / "PT000000" / "ST000000" / "SE000000"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.mark.parametrize(("source", "counts"), [(CTP, (52, 52, 52, 0)), (DEID, (118, 98, 103, 20))])
def test_import_pixels_writes_a_loadable_profile(
    source: Path, counts: tuple[int, int, int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported.yaml"
    code, stdout, err = run(capsys, "profile", "import-pixels", source, "-o", out)
    assert code == 0 and stdout == ""
    found, converted, rules, skipped = counts
    assert f"{found} source rules: {converted} converted into {rules} pixels rules, {skipped} skipped" in err
    assert err.count("skipped line ") == skipped
    profile = load_profile(str(out))
    assert len(profile.pixels.rules) == rules
    text = out.read_text()
    assert text.count("\n  # ") >= rules  # a provenance comment above every rule
    assert yaml.safe_load(text)["name"] == f"pixels-{source.stem}"
    code, _, err = run(capsys, "profile", "import-pixels", source, "-o", out)
    assert code == 73 and "already exists" in err  # never overwritten


def test_import_pixels_to_stdout_with_a_name_and_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "recipe.txt"
    copy.write_text(DEID.read_text())
    code, stdout, _ = run(capsys, "profile", "import-pixels", copy, "--format", "deid", "--name", "site-us")
    assert code == 0 and yaml.safe_load(stdout)["name"] == "site-us"
    code, _, err = run(capsys, "profile", "import-pixels", copy, "--format", "dicom")
    assert code == 2 and "unknown format" in err
    code, _, err = run(capsys, "profile", "import-pixels", tmp_path / "missing.script")
    assert code == 66


def test_scrub_says_what_the_ocr_extra_would_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # as if the extra were absent
    args = ("scrub", SC_DIR, "--out", tmp_path / "out", "--no-encrypt", "--log", tmp_path / "a.jsonl")
    code, _, err = run(capsys, *args)
    assert code == 3
    assert "2 files held back for possible burned-in text: the [ocr] extra" in err
    assert "pip install 'dcmscrub[ocr]'" in err and "pixels rules" in err
    auto = tmp_path / "auto.yaml"
    auto.write_text("version: 1\nname: auto\npixels_detector: {enabled: auto}\n")
    code, _, err = run(capsys, *args, "-p", auto, "--overwrite")
    assert code == 3 and "the [ocr] extra is not installed" in err  # said before any file


def test_a_clean_run_says_nothing_about_the_extra(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = REPO / "profiles" / "example-pixels.yaml"
    code, _, err = run(
        capsys,
        "scrub",
        SC_DIR,
        "--out",
        tmp_path / "out",
        "--no-encrypt",
        "-p",
        profile,
        "--log",
        tmp_path / "a.jsonl",
    )
    assert code == 0 and "[ocr]" not in err and "2 written" in err


def test_profile_show_renders_the_pixel_sections_so_they_reload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "site.yaml"
    source.write_text(
        (REPO / "profiles" / "example-pixels.yaml").read_text().replace("extends: basic", "extends: basic\n")
        + "pixels_detector: {enabled: auto, keep_text: [cm], also: [{Manufacturer: ACME*}]}\n"
    )
    code, shown, _ = run(capsys, "profile", "show", source)
    assert code == 0 and "# built-in catalogue: version 1, revision 1, 114 rules" in shown
    again = tmp_path / "shown.yaml"
    again.write_text(shown)
    a, b = load_profile(str(source)).pixels, load_profile(str(again)).pixels
    assert [(r.match_yaml(), r.rects, r.note) for r in a.rules] == [
        (r.match_yaml(), r.rects, r.note) for r in b.rules
    ]
    assert (a.catalogue_choice, a.detector.enabled, a.detector.keep_text) == ("builtin", "auto", ("cm",))
    assert (b.catalogue_choice, b.detector.enabled, b.detector.keep_text) == ("builtin", "auto", ("cm",))
    assert [[c.as_yaml() for c in m] for m in a.detector.also] == [
        [c.as_yaml() for c in m] for m in b.detector.also
    ]
