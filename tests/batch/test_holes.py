"""The holes an attack found (issue 13), each with a planted marker that must not reach the output.

Each test runs the real per-file pipeline (read, engine, encode) with the gate off, so that it
proves the hole itself is closed, not that the gate stops it; the gate's own tests are in
test_gate.py. Every test failed on the code before the fix.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from dcmscrub.batch.sink import PlainSink
from dcmscrub.batch.walk import InputFile
from dcmscrub.batch.worker import FileResult, Worker, WorkerSettings
from dcmscrub.deid.profile import Profile
from dcmscrub.profiles import load_profile
from raw_dicom import CT, MRN, NAME, base, element, item, part10, text, uid, undefined

KEY = bytes(range(32))
MARK = "ZQXMARK"


def run(
    tmp_path: Path, data: bytes, profile: Profile | None = None, *, gate: bool = False, name: str = "in.dcm"
) -> tuple[FileResult, bytes]:
    """One file through the worker; the result and the output's bytes (b"" when none)."""
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    path = src / name
    path.write_bytes(data)
    settings = WorkerSettings(
        tmp_path / "out", profile or load_profile("basic"), KEY, PlainSink(), True, "t", True, gate=gate
    )
    result = Worker(settings).process(0, InputFile(src, path, name, len(data)))
    assert result.reason != "internal", result.debug
    # the worker leaves a written output under its temporary name (the parent gives the final one)
    return result, Path(result.temp).read_bytes() if result.temp and result.outcome == "written" else b""


def written(tmp_path: Path, data: bytes, profile: Profile | None = None) -> bytes:
    result, out = run(tmp_path, data, profile)
    assert result.outcome == "written", result.reason
    return out


# -- 1. the preamble ------------------------------------------------------------------------------


def test_the_preamble_is_always_zero(tmp_path: Path) -> None:
    preamble = f"Jane Doe {MRN} {MARK}".encode().ljust(128, b"\x00")
    out = written(tmp_path, part10(base(), preamble=preamble))
    assert out[:128] == bytes(128) and out[128:132] == b"DICM"
    assert MARK.encode() not in out and MRN.encode() not in out


# -- 2. sequences stored as UN --------------------------------------------------------------------


def _reference_item(marker_uid: str) -> bytes:
    """An item in implicit VR little endian (as PS3.5 6.2.2 encodes a UN sequence's content)."""
    return item(
        element(0x00081150, b"UI", uid(CT), explicit=False)
        + element(0x00081155, b"UI", uid(marker_uid), explicit=False)
        + element(0x00100010, b"PN", text(f"{MARK}^JANE"), explicit=False)
    )


@pytest.mark.parametrize("defined", [True, False], ids=["defined-length", "undefined-length"])
def test_a_known_sequence_stored_as_un_is_walked(tmp_path: Path, defined: bool) -> None:
    marker_uid = "1.2.826.0.1.3680043.10.1426.13.99"
    elements = base()
    body = _reference_item(marker_uid)
    elements[0x00081140] = element(0x00081140, b"UN", body) if defined else undefined(0x00081140, b"UN", body)
    out = written(tmp_path, part10(elements))
    assert MARK.encode() not in out and marker_uid.encode() not in out
    ds = pydicom.dcmread(io.BytesIO(out))
    refs = ds.ReferencedImageSequence  # kept (X/Z/U*), now a real sequence, its UID remapped
    assert refs[0].ReferencedSOPInstanceUID.startswith("2.25.")
    assert refs[0].ReferencedSOPClassUID == CT


def test_a_voi_lut_sequence_stored_as_un_is_walked(tmp_path: Path) -> None:
    elements = base()
    lut = item(element(0x00283003, b"LO", text(f"LUT of {MARK}"), explicit=False))
    elements[0x00283010] = element(0x00283010, b"UN", lut)
    out = written(tmp_path, part10(elements))
    assert MARK.encode() not in out


def test_an_undecodable_un_sequence_is_removed(tmp_path: Path) -> None:
    elements = base()
    # an item whose element claims more bytes than the item holds: not a sequence's items
    garbage = struct.pack("<HHL", 0xFFFE, 0xE000, 12) + struct.pack("<HHL", 0x0028, 0x3003, 0x1000)
    garbage += f"{MARK} {NAME}".encode()
    elements[0x00283010] = element(0x00283010, b"UN", garbage + b"\x00" * (len(garbage) % 2))
    out = written(tmp_path, part10(elements))
    assert MARK.encode() not in out
    assert "VOILUTSequence" not in pydicom.dcmread(io.BytesIO(out))


# -- 3. every overlay and curve group ---------------------------------------------------------------


@pytest.mark.parametrize("group", [0x6020, 0x6040, 0x60FE, 0x5020, 0x50FE])
def test_every_even_overlay_and_curve_group_goes(tmp_path: Path, group: int) -> None:
    elements = base()
    label = 0x4000 if group >= 0x6000 else 0x0022
    elements[group << 16 | 0x0010] = element(group << 16 | 0x0010, b"US", struct.pack("<H", 8))
    elements[group << 16 | label] = element(group << 16 | label, b"LT", text(f"{MARK} {NAME}"))
    elements[group << 16 | 0x3000] = element(group << 16 | 0x3000, b"OW", MARK.encode() + b"\x00")
    out = written(tmp_path, part10(elements))
    assert MARK.encode() not in out
    assert not [e for e in pydicom.dcmread(io.BytesIO(out)) if e.tag.group == group]


# -- 4. the file meta group -------------------------------------------------------------------------


def test_the_file_meta_is_built_from_an_allow_list(tmp_path: Path) -> None:
    extra = (
        element(0x00020016, b"AE", text("JANE_PACS"))
        + element(0x00020026, b"UR", text(f"https://{MARK}.example/"))
        + element(0x00020027, b"UR", text(f"https://example.org/{MRN}"))
        + element(0x00020033, b"LO", text(f"{MARK} unknown"))
        + element(0x00020100, b"UI", uid("1.2.826.0.1.3680043.10.1426.13.7"))
        + element(0x00020102, b"OB", MARK.encode() + b"\x00")
    )
    data = part10(base(), extra_meta=extra)
    # FileMetaInformationVersion holding text instead of 00\01
    data = data.replace(
        b"\x01\x00OB\x00\x00\x02\x00\x00\x00\x00\x01", b"\x01\x00OB\x00\x00\x08\x00\x00\x00JANEDOE!"
    )
    data = _fix_meta_length(data)
    out = written(tmp_path, data)
    assert MARK.encode() not in out and MRN.encode() not in out and b"JANE" not in out
    meta = pydicom.dcmread(io.BytesIO(out)).file_meta
    assert sorted(int(e.tag) for e in meta) == [
        0x00020000, 0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013,
    ]  # fmt: skip
    assert meta.FileMetaInformationVersion == b"\x00\x01"


def _fix_meta_length(data: bytes) -> bytes:
    """Recompute (0002,0000) after editing the meta group in place."""
    pos, end = 132 + 12, 132 + 12
    while struct.unpack_from("<H", data, end)[0] == 0x0002:
        vr = data[end + 4 : end + 6]
        if vr in (b"OB", b"UR", b"UN", b"UT"):
            end += 12 + struct.unpack_from("<L", data, end + 8)[0]
        else:
            end += 8 + struct.unpack_from("<H", data, end + 6)[0]
    return data[:140] + struct.pack("<L", end - pos) + data[144:]


# -- 5. instance UIDs under the standard's root ---------------------------------------------------


def test_uids_under_the_standards_root_are_remapped_unless_the_standard_lists_them(tmp_path: Path) -> None:
    crafted = "1.2.840.10008.999.19800131.12345678"
    elements = base(sop=crafted)
    talairach = "1.2.840.10008.1.4.1.1"  # a well-known frame of reference (PS3.6 Table A-1)
    elements[0x00200052] = element(0x00200052, b"UI", uid(talairach))
    result, out = run(tmp_path, part10(elements, sop=crafted))
    assert result.outcome == "written"
    assert b"19800131" not in out and b"12345678" not in out
    assert "19800131" not in str(result.output)
    ds = pydicom.dcmread(io.BytesIO(out))
    assert (
        ds.SOPInstanceUID.startswith("2.25.") and ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
    )
    assert ds.FrameOfReferenceUID == talairach and ds.SOPClassUID == CT


# -- 6. the rest ----------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", [0x00203100, 0x002031FF])
def test_source_image_ids_are_removed(tmp_path: Path, tag: int) -> None:
    elements = base()
    elements[tag] = element(tag, b"CS", text(f"{MRN}\\{MARK}"))
    out = written(tmp_path, part10(elements))
    assert MARK.encode() not in out and MRN.encode() not in out


@pytest.mark.parametrize("profile", ["basic", "research-longitudinal"])
@pytest.mark.parametrize(
    ("tag", "vr"),
    [(0x00081190, b"UR"), (0x0040E010, b"UR"), (0x00620020, b"UT"), (0x00400032, b"UT")],
    ids=["RetrieveURL", "RetrieveURI", "TrackingID", "UniversalEntityID"],
)
def test_urls_and_unlimited_text_outside_the_table_do_not_pass(
    tmp_path: Path, profile: str, tag: int, vr: bytes
) -> None:
    """A URL names a host and often the original UIDs; unlimited text is whatever was typed: both
    are free text wherever the table does not list them (removed, or cleaned)."""
    elements = base()
    elements[tag] = element(tag, vr, text(f"http://pacs.example/wado?patient={MRN}&name={MARK}"))
    out = written(tmp_path, part10(elements), load_profile(profile))
    assert MARK.encode() not in out and MRN.encode() not in out


@pytest.mark.parametrize("profile", ["basic", "research-longitudinal"])
def test_a_person_identification_code_does_not_pass(tmp_path: Path, profile: str) -> None:
    """Person Identification Code Sequence is D: its code is a staff ID, its meaning a name."""
    code = element(0x00080100, b"SH", text(MRN)) + element(0x00080102, b"SH", text("99LOCAL"))
    code += element(0x00080104, b"LO", text(f"{MARK} JANE"))
    elements = base()
    elements[0x00401101] = element(0x00401101, b"SQ", item(code))
    out = written(tmp_path, part10(elements), load_profile(profile))
    assert MARK.encode() not in out and MRN.encode() not in out


@pytest.mark.parametrize("value", ["YES", "NO\\YES", "Y", "yes", "no", " YES", "N0", "", "NO\\NO"])
def test_burned_in_annotation_that_is_not_clearly_no_is_quarantined(tmp_path: Path, value: str) -> None:
    elements = base()
    elements[0x00280301] = element(0x00280301, b"CS", text(value))
    result, out = run(tmp_path, part10(elements))
    assert (result.outcome, result.reason) == ("quarantined", "burned_in_annotation")
    assert out == b""


@pytest.mark.parametrize("value", ["NO", " NO", "NO\x00"])
def test_a_clear_no_is_released(tmp_path: Path, value: str) -> None:
    elements = base()
    elements[0x00280301] = element(0x00280301, b"CS", text(value))
    assert run(tmp_path, part10(elements))[0].outcome == "written"


def test_an_over_long_code_string_that_swallows_elements_is_damage(tmp_path: Path) -> None:
    elements = base()
    swallowed = element(0x00100010, b"PN", text(f"{MARK}^{NAME}"))
    del elements[0x00100010]
    # Modality's length covers its value and the PatientName element after it
    modality = struct.pack("<HH2sH", 0x0008, 0x0060, b"CS", 2 + len(swallowed)) + b"CT" + swallowed
    elements[0x00080060] = modality
    data = part10(b"".join(elements[t] for t in sorted(elements)))
    result, out = run(tmp_path, data)
    assert (result.outcome, result.reason) == ("failed", "corrupt")
    assert out == b""


def test_a_code_outside_the_cs_repertoire_is_kept_not_damage(tmp_path: Path) -> None:
    """Real devices write codes that break the CS repertoire or length (``ABDOM/RAD``); nothing is
    swallowed in them, so the file is written with the code as it was."""
    elements = base()
    image_type = "ORIGINAL\\PRIMARY\\ABDOM/RAD\\0001\\A-VERY-LONG-VENDOR-CODE"
    elements[0x00080008] = element(0x00080008, b"CS", text(image_type))
    out = written(tmp_path, part10(elements))
    assert image_type.encode() in out


@pytest.mark.parametrize("flip", [b"Ui", b"UJ", b"\x55\x00", b"\x00I"])
def test_a_flipped_vr_byte_inside_an_item_is_corrupt_not_internal(tmp_path: Path, flip: bytes) -> None:
    inner = element(0x00081150, b"UI", uid(CT)) + element(0x00081155, b"UI", uid("1.2.3.4.5.999"))
    at = inner.index(b"UI", 10)  # the VR of the second element
    damaged = inner[:at] + flip + inner[at + 2 :]
    elements = base()
    elements[0x00081140] = element(0x00081140, b"SQ", item(damaged))
    result, _out = run(tmp_path, part10(elements))
    assert (result.outcome, result.reason) in (("failed", "corrupt"), ("written", None))
    assert result.reason != "internal"


def test_file_names_are_printed_escaped(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    forged = "a\ndcmscrub: done: 0 failed\x1b[2K\u202eevil[bold]x[red]"
    (inbox / forged).write_bytes(b"not DICOM at all")
    cmd = [
        sys.executable,
        "-m",
        "dcmscrub",
        "scrub",
        str(inbox),
        "--out",
        str(tmp_path / "out"),
        "--no-encrypt",
    ]
    cmd += ["-v", "--log", str(tmp_path / "audit.jsonl")]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    shown = [line for line in lines if "not DICOM" in line]
    assert len(shown) == 1
    assert "a\\x0adcmscrub: done: 0 failed\\x1b[2K\\u202eevil[bold]x[red]" in shown[0]
    assert not any(line.startswith("dcmscrub: done: 0 failed") for line in lines)
    assert "\x1b" not in proc.stderr and "\u202e" not in proc.stderr


# -- safe private elements keep only what the table says they hold (found by review) -------------


def _with_private(
    blocks: dict[tuple[int, str], dict[int, tuple[str, str]]], *, explicit: bool = True
) -> bytes:
    """A small CT (raw_dicom.base's values) with private blocks, in explicit or implicit VR (where
    a private element is read without its VR)."""
    ds = pydicom.dcmread(io.BytesIO(part10(base())))
    for (group, creator), values in blocks.items():
        block = ds.private_block(group, creator, create=True)
        for offset, (vr, value) in values.items():
            block.add_new(offset, vr, value)
    ds.file_meta.TransferSyntaxUID = (
        pydicom.uid.ExplicitVRLittleEndian if explicit else pydicom.uid.ImplicitVRLittleEndian
    )
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


@pytest.mark.parametrize("explicit", [True, False], ids=["explicit", "implicit"])
def test_a_name_in_a_safe_private_element_does_not_survive_retain_safe_private(
    tmp_path: Path, explicit: bool
) -> None:
    # SIEMENS MR HEADER (0019,xx0C) is B_value (IS); GEMS_PARM_01 (0043,xx27) the pitch ratio (SH)
    data = _with_private(
        {
            (0x0019, "SIEMENS MR HEADER"): {0x0C: ("LO", f"{MARK} {MRN}")},
            (0x0043, "GEMS_PARM_01"): {0x27: ("SH", f"{MARK} 1.375:1")},
        },
        explicit=explicit,
    )
    out = written(tmp_path, data, load_profile("research-longitudinal"))
    assert MARK.encode() not in out and MRN.encode() not in out
    assert b"1.375:1" in out  # the vendor's value, cleaned, stays


def test_a_safe_private_value_of_the_listed_form_is_kept(tmp_path: Path) -> None:
    data = _with_private({(0x0019, "SIEMENS MR HEADER"): {0x0C: ("IS", "1000")}})
    ds = pydicom.dcmread(io.BytesIO(written(tmp_path, data, load_profile("research-longitudinal"))))
    assert ds[0x0019100C].value == 1000 and ds[0x00190010].value == "SIEMENS MR HEADER"


@pytest.mark.parametrize("explicit", [True, False], ids=["stored-as-UN", "implicit"])
def test_a_safe_private_sequence_read_without_its_vr_is_walked(tmp_path: Path, explicit: bool) -> None:
    """Found on fo-dicom's GH064.dcm (a Philips Achieva): Philips' (2001,9000), a sequence the
    table lists as safe, stored as UN in explicit VR. It was kept as unread bytes: the UIDs and
    dates in its items went out unchanged, and so would a name."""
    inner = element(0x00080012, b"DA", text("20121008"), explicit=False)
    inner += element(0x00080018, b"UI", uid("1.3.46.670589.11.0.0.51.4.26.2.30069.1.4304.1"), explicit=False)
    inner += element(0x00081070, b"PN", text(f"{MARK}^OPERATOR"), explicit=False)
    data = _with_private({(0x2001, "Philips Imaging DD 129"): {0x00: ("UN", item(inner))}}, explicit=explicit)
    out = written(tmp_path, data, load_profile("research-longitudinal"))
    assert MARK.encode() not in out and b"30069.1.4304.1" not in out and b"20121008" not in out
    ds = pydicom.dcmread(io.BytesIO(out))
    [kept] = ds[0x20011000].value  # the sequence and its item stay, read and walked
    assert kept.SOPInstanceUID.startswith("2.25.") and kept.InstanceCreationDate != "20121008"


def test_a_safe_private_sequence_whose_bytes_are_not_items_goes(tmp_path: Path) -> None:
    data = _with_private({(0x2001, "Philips Imaging DD 129"): {0x00: ("UN", f"{MARK} {MRN}".encode())}})
    out = written(tmp_path, data, load_profile("research-longitudinal"))
    assert MARK.encode() not in out and 0x20011000 not in pydicom.dcmread(io.BytesIO(out))


def test_a_clean_rule_on_a_private_element_read_without_its_vr_does_not_keep_it(tmp_path: Path) -> None:
    rules = tmp_path / "p.yaml"
    rules.write_text(
        "version: 1\nname: t\nextends: basic\nrules:\n"
        "  - {select: '(0029,xx10)', creator: ACME CT 1.0, action: clean}\n"
    )
    data = _with_private({(0x0029, "ACME CT 1.0"): {0x10: ("LO", f"{MARK} {MRN}")}}, explicit=False)
    out = written(tmp_path, data, load_profile(str(rules)))
    assert MARK.encode() not in out and MRN.encode() not in out


# -- pixel data that no rule has cleared -------------------------------------------------------------


US = "1.2.840.10008.5.1.4.1.1.6.1"
SC = "1.2.840.10008.5.1.4.1.1.7"


@pytest.mark.parametrize(
    ("sop_class", "extra"),
    [
        (US, {}),
        (SC, {}),
        (CT, {0x00080060: element(0x00080060, b"CS", text("US"))}),
        (CT, {0x00080008: element(0x00080008, b"CS", text("DERIVED\\SECONDARY\\SCREEN SAVE"))}),
        (CT, {0x00080064: element(0x00080064, b"CS", text("WSD"))}),
        # found by review: a second value was not looked at, nor an underscore for the space
        (CT, {0x00080060: element(0x00080060, b"CS", text("CT\\US"))}),
        (CT, {0x00080008: element(0x00080008, b"CS", text("DERIVED\\SECONDARY\\SCREEN_SAVE"))}),
        # dental radiographs are often labelled with the patient's name in the pixels
        ("1.2.840.10008.5.1.4.1.1.1.3", {}),
        (CT, {0x00080060: element(0x00080060, b"CS", text("PX"))}),
    ],
    ids=[
        "US",
        "SC",
        "modality-US",
        "screen-save",
        "conversion-type",
        "modality-second-US",
        "screen_save",
        "intra-oral",
        "modality-PX",
    ],
)
def test_ultrasound_and_screen_captures_fail_closed(
    tmp_path: Path, sop_class: str, extra: dict[int, bytes]
) -> None:
    elements = base(sop_class=sop_class) | extra
    elements[0x00280301] = element(0x00280301, b"CS", text("NO"))  # a header's NO clears nothing
    result, out = run(tmp_path, part10(elements))
    assert (result.outcome, result.reason) == ("quarantined", "pixels_not_cleared")
    assert out == b""


def test_burned_in_allow_releases_with_honest_marks(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    folder.mkdir()
    (folder / "allow.yaml").write_text("version: 1\nname: allow\nextends: basic\nburned_in: allow\n")
    elements = base(sop_class=US)
    out = written(tmp_path, part10(elements), load_profile(str(folder / "allow.yaml")))
    ds = pydicom.dcmread(io.BytesIO(out))
    assert ds.PatientIdentityRemoved == "NO"
    assert "pixel data not cleared of burned-in text" in ds.DeidentificationMethod


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(128, 128 + 220), st.integers(0, 255)), min_size=1, max_size=4))
def test_damage_in_the_file_meta_is_a_file_problem_never_internal(
    tmp_path: Path, flips: list[tuple[int, int]]
) -> None:
    """Bytes of the preamble's end, the DICM prefix and the file meta overwritten at random: the
    file is written, or fails with a reason (corrupt, truncated, ...), never as an internal error
    (found by fuzzing: a damaged VR in the meta raised from pydicom where the meta was used)."""
    data = bytearray((SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15" / "slice_001.dcm").read_bytes())
    for at, value in flips:
        data[at] = value
    result, _out = run(tmp_path, bytes(data), name=f"fuzz{len(flips)}.dcm")
    assert result.reason != "internal", result.debug


@pytest.mark.parametrize(
    ("drop", "reason"),
    [("SOPClassUID", "no_sop_class_uid"), ("SOPInstanceUID", "no_sop_instance_uid")],
)
def test_an_object_that_does_not_name_its_class_or_instance_fails_for_that_reason(
    tmp_path: Path, drop: str, reason: str
) -> None:
    """Found on dwv's test files: an object without a SOP Class UID (in the file meta or the data
    set) was reported as damaged; it is readable, it just cannot be named."""
    ds = pydicom.Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID = CT, "1.2.826.0.1.3680043.10.1426.13.1"
    ds.Modality, ds.PatientName, ds.PatientID = "CT", NAME, MRN
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    delattr(ds, drop)
    ds.preamble = bytes(128)  # a Part 10 file, as dwv writes them, whose meta names no class
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=False)
    result, out = run(tmp_path, buffer.getvalue())
    assert (result.outcome, result.reason, out) == ("failed", reason, b"")
