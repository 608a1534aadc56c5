"""Tests for whole-file encrypt/decrypt: atomic outputs, no leftovers, folder runs."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from age_cases import TAMPER_CASES, TamperCase, samples, tampered
from dcmscrub.age import (
    AgeWriter,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
)
from dcmscrub.age.format import CHUNK_SIZE, IO_BLOCK
from dcmscrub.atomic import is_temp_name
from dcmscrub.batch import crypt as crypt_files
from dcmscrub.batch.crypt import DecryptResult, decrypt_file, decrypt_paths, encrypt_file, plain_name
from dcmscrub.errors import DecryptError, ExitCode, InputError, OutputError


def all_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir())


def temp_files(root: Path) -> list[str]:
    return [name for name in all_files(root) if is_temp_name(Path(name).name)]


def seal(data: bytes, identity: X25519Identity) -> bytes:
    out = io.BytesIO()
    with AgeWriter(out, [identity.recipient]) as writer:
        writer.write(data)
    return out.getvalue()


@pytest.fixture(scope="module")
def identity() -> X25519Identity:
    return X25519Identity.generate()


# --- encrypt_file ------------------------------------------------------------------------------------


def test_encrypt_then_decrypt_file(tmp_path: Path, identity: X25519Identity) -> None:
    data = os.urandom(2 * CHUNK_SIZE + 11)
    src = tmp_path / "scan.dcm"
    src.write_bytes(data)
    assert encrypt_file(src, tmp_path / "scan.dcm.age", [identity.recipient]) == len(data)
    ct = (tmp_path / "scan.dcm.age").read_bytes()
    assert ct.startswith(b"age-encryption.org/v1\n") and data[:64] not in ct
    assert stat.S_IMODE((tmp_path / "scan.dcm.age").stat().st_mode) == 0o600
    out = tmp_path / "out" / "scan.dcm"
    out.parent.mkdir()
    assert decrypt_file(tmp_path / "scan.dcm.age", out, [identity]) == len(data)
    assert out.read_bytes() == data
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert temp_files(tmp_path) == []


def test_encrypt_file_with_passphrase(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"by hand")
    encrypt_file(tmp_path / "a.txt", tmp_path / "a.txt.age", [ScryptRecipient(b"pw", log_n=10)])
    decrypt_file(tmp_path / "a.txt.age", tmp_path / "b.txt", [ScryptIdentity(b"pw")])
    assert (tmp_path / "b.txt").read_bytes() == b"by hand"


def test_encrypt_file_refuses_existing_output(tmp_path: Path, identity: X25519Identity) -> None:
    (tmp_path / "a").write_bytes(b"new")
    (tmp_path / "a.age").write_bytes(b"old")
    with pytest.raises(OutputError) as info:
        encrypt_file(tmp_path / "a", tmp_path / "a.age", [identity.recipient])
    assert info.value.exit_code == ExitCode.CANT_CREATE
    assert (tmp_path / "a.age").read_bytes() == b"old"
    encrypt_file(tmp_path / "a", tmp_path / "a.age", [identity.recipient], overwrite=True)
    assert (tmp_path / "a.age").read_bytes().startswith(b"age-encryption.org/v1\n")
    assert temp_files(tmp_path) == []


def test_encrypt_file_refuses_to_replace_its_input(tmp_path: Path, identity: X25519Identity) -> None:
    (tmp_path / "a").write_bytes(b"plain")
    with pytest.raises(OutputError):
        encrypt_file(tmp_path / "a", tmp_path / "a", [identity.recipient], overwrite=True)
    assert (tmp_path / "a").read_bytes() == b"plain"


def test_encrypt_file_missing_input(tmp_path: Path, identity: X25519Identity) -> None:
    with pytest.raises(InputError) as info:
        encrypt_file(tmp_path / "absent", tmp_path / "absent.age", [identity.recipient])
    assert info.value.exit_code == ExitCode.NO_INPUT
    assert all_files(tmp_path) == []


def test_encrypt_file_failure_leaves_nothing(
    tmp_path: Path, identity: X25519Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").write_bytes(os.urandom(3 * IO_BLOCK))  # encrypt() reads 1 MiB at a time
    real_write = AgeWriter.write
    calls = {"n": 0}

    def failing_write(self: AgeWriter, b: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_write(self, b)

    monkeypatch.setattr(AgeWriter, "write", failing_write)
    with pytest.raises(OSError):
        encrypt_file(tmp_path / "a", tmp_path / "a.age", [identity.recipient])
    assert all_files(tmp_path) == ["a"]


# --- decrypt_file -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", TAMPER_CASES, ids=[c[0] for c in TAMPER_CASES])
def test_decrypt_file_tampered_leaves_nothing(tmp_path: Path, case: TamperCase) -> None:
    ct, identities = tampered(case)
    src = tmp_path / "in" / "x.dcm.age"
    src.parent.mkdir()
    src.write_bytes(ct)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(DecryptError) as info:
        decrypt_file(src, out_dir / "x.dcm", identities)
    assert str(info.value) == f"x.dcm.age: {DecryptError.GENERIC}"
    assert info.value.exit_code == ExitCode.DATA
    assert all_files(out_dir) == []  # no output and no temporary file


def test_decrypt_file_payload_failure_after_released_chunks_leaves_nothing(tmp_path: Path) -> None:
    """decrypt() has already written three verified chunks when the last one fails."""
    s = samples()
    src = tmp_path / "x.age"
    src.write_bytes(s.ct[:-1] + bytes([s.ct[-1] ^ 1]))
    with pytest.raises(DecryptError) as info:
        decrypt_file(src, tmp_path / "x", [s.identity])
    assert info.value.detail == "payload: chunk 3 failed authentication"
    assert all_files(tmp_path) == ["x.age"]


def test_decrypt_file_existing_output(tmp_path: Path, identity: X25519Identity) -> None:
    (tmp_path / "x.age").write_bytes(seal(b"new", identity))
    (tmp_path / "x").write_bytes(b"old")
    with pytest.raises(OutputError):
        decrypt_file(tmp_path / "x.age", tmp_path / "x", [identity])
    assert (tmp_path / "x").read_bytes() == b"old"
    decrypt_file(tmp_path / "x.age", tmp_path / "x", [identity], overwrite=True)
    assert (tmp_path / "x").read_bytes() == b"new"


def test_decrypt_file_failure_keeps_an_existing_output(tmp_path: Path, identity: X25519Identity) -> None:
    (tmp_path / "x.age").write_bytes(seal(b"new", identity)[:-1])
    (tmp_path / "x").write_bytes(b"old")
    with pytest.raises(DecryptError):
        decrypt_file(tmp_path / "x.age", tmp_path / "x", [identity], overwrite=True)
    assert (tmp_path / "x").read_bytes() == b"old"
    assert temp_files(tmp_path) == []


def test_decrypt_file_not_age(tmp_path: Path, identity: X25519Identity) -> None:
    (tmp_path / "x.dcm").write_bytes(bytes(128) + b"DICM")
    with pytest.raises(DecryptError) as info:
        decrypt_file(tmp_path / "x.dcm", tmp_path / "y.dcm", [identity])
    assert info.value.detail == "not an age file"
    assert all_files(tmp_path) == ["x.dcm"]


def test_decrypt_file_names_armor_in_its_hint_and_nothing_else(
    tmp_path: Path, identity: X25519Identity
) -> None:
    armored = (
        b"-----BEGIN AGE ENCRYPTED FILE-----\n"
        b"YWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n"
        b"-----END AGE ENCRYPTED FILE-----\n"
    )
    (tmp_path / "x.age").write_bytes(armored)
    with pytest.raises(DecryptError) as info:
        decrypt_file(tmp_path / "x.age", tmp_path / "x", [identity])
    assert info.value.message == f"x.age: {DecryptError.GENERIC}"  # the one line is the usual one
    assert info.value.exit_code == ExitCode.DATA
    assert "ASCII-armored" in (info.value.hint or "") and "age -d" in (info.value.hint or "")
    assert all_files(tmp_path) == ["x.age"]
    # a file that is not age at all keeps the usual hint
    (tmp_path / "y.dcm").write_bytes(bytes(128) + b"DICM")
    with pytest.raises(DecryptError) as info:
        decrypt_file(tmp_path / "y.dcm", tmp_path / "y", [identity])
    assert info.value.hint == DecryptError.HINT


def test_decrypt_file_missing_input(tmp_path: Path, identity: X25519Identity) -> None:
    with pytest.raises(InputError):
        decrypt_file(tmp_path / "absent.age", tmp_path / "absent", [identity])


# --- decrypt_paths ---------------------------------------------------------------------------------------


def make_tree(root: Path, identity: X25519Identity) -> dict[str, bytes]:
    """A folder of encrypted files in subfolders; returns the expected plaintext by output name."""
    expected = {}
    for rel, size in [("p1/s1/a.dcm.age", 10), ("p1/s1/b.dcm.age", CHUNK_SIZE + 1), ("p2/c.dcm.age", 0)]:
        data = os.urandom(size)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(seal(data, identity))
        expected[plain_name(rel)] = data
    return expected


def test_decrypt_folder_keeps_layout(tmp_path: Path, identity: X25519Identity) -> None:
    expected = make_tree(tmp_path / "enc", identity)
    seen: list[DecryptResult] = []
    summary = decrypt_paths([tmp_path / "enc"], tmp_path / "out", [identity], on_result=seen.append)
    assert (summary.decrypted, summary.failed, summary.exists, summary.skipped) == (3, 0, 0, 0)
    assert summary.ok
    assert seen == summary.results
    assert [r.name for r in seen] == ["p1/s1/a.dcm.age", "p1/s1/b.dcm.age", "p2/c.dcm.age"]
    assert all_files(tmp_path / "out") == sorted(expected)
    for name, data in expected.items():
        assert (tmp_path / "out" / name).read_bytes() == data
    assert {r.size for r in seen} == {10, CHUNK_SIZE + 1, 0}


def test_decrypt_folder_with_bad_files_continues(tmp_path: Path, identity: X25519Identity) -> None:
    enc = tmp_path / "enc"
    expected = make_tree(enc, identity)
    for case in TAMPER_CASES:
        ct, identities = tampered(case)
        if identities == [samples().identity]:
            name = "bad-" + case[0].replace(" ", "-") + ".age"
            (enc / "bad").mkdir(exist_ok=True)
            (enc / "bad" / name).write_bytes(ct)
    (enc / "notes.txt").write_text("not encrypted")
    summary = decrypt_paths([enc], tmp_path / "out", [identity, samples().identity])
    bad = [r for r in summary.results if r.outcome == "failed"]
    assert summary.decrypted == 3
    assert summary.failed == len(bad) == len(all_files(enc)) - 3
    assert not summary.ok
    assert all(r.detail for r in bad)
    assert {r.detail for r in bad if r.name == "notes.txt"} == {"not an age file"}
    assert all_files(tmp_path / "out") == sorted(expected)  # nothing from the bad files, no temp


def test_decrypt_file_inputs_go_to_out_dir(tmp_path: Path, identity: X25519Identity) -> None:
    a = tmp_path / "in1" / "a.dcm.age"
    b = tmp_path / "in2" / "b.bin"  # no .age suffix: the name is kept
    for path in (a, b):
        path.parent.mkdir()
        path.write_bytes(seal(path.name.encode(), identity))
    summary = decrypt_paths([a, b], tmp_path / "out", [identity])
    assert summary.decrypted == 2
    assert (tmp_path / "out" / "a.dcm").read_bytes() == b"a.dcm.age"
    assert (tmp_path / "out" / "b.bin").read_bytes() == b"b.bin"


def test_decrypt_never_replaces_an_input(tmp_path: Path, identity: X25519Identity) -> None:
    src = tmp_path / "b.bin"
    src.write_bytes(seal(b"plain", identity))
    ct = src.read_bytes()
    summary = decrypt_paths([src], tmp_path, [identity], overwrite=True)
    assert summary.failed == 1 and summary.results[0].detail == "the output would replace the input"
    assert src.read_bytes() == ct


def test_existing_outputs_are_counted_not_overwritten(tmp_path: Path, identity: X25519Identity) -> None:
    expected = make_tree(tmp_path / "enc", identity)
    (tmp_path / "out" / "p2").mkdir(parents=True)
    (tmp_path / "out" / "p2" / "c.dcm").write_bytes(b"keep me")
    summary = decrypt_paths([tmp_path / "enc"], tmp_path / "out", [identity])
    assert (summary.decrypted, summary.exists, summary.failed) == (2, 1, 0)
    assert summary.ok
    assert (tmp_path / "out" / "p2" / "c.dcm").read_bytes() == b"keep me"
    again = decrypt_paths([tmp_path / "enc"], tmp_path / "out", [identity], overwrite=True)
    assert again.decrypted == 3
    assert (tmp_path / "out" / "p2" / "c.dcm").read_bytes() == expected["p2/c.dcm"]


def test_colliding_output_names_fail(tmp_path: Path, identity: X25519Identity) -> None:
    enc = tmp_path / "enc"
    enc.mkdir()
    (enc / "x.age").write_bytes(seal(b"one", identity))
    (enc / "x").write_bytes(seal(b"two", identity))
    summary = decrypt_paths([enc], tmp_path / "out", [identity], overwrite=True)
    assert (summary.decrypted, summary.failed) == (1, 1)
    assert (tmp_path / "out" / "x").read_bytes() == b"two"  # "x" sorts first and is kept


def test_symlinks_out_of_the_tree_are_not_followed(tmp_path: Path, identity: X25519Identity) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.age").write_bytes(seal(b"outside", identity))
    enc = tmp_path / "enc"
    make_tree(enc, identity)
    (enc / "link-out.age").symlink_to(outside / "secret.age")
    (enc / "dir-link").symlink_to(outside, target_is_directory=True)
    (enc / "link-in.age").symlink_to(enc / "p2" / "c.dcm.age")
    summary = decrypt_paths([enc], tmp_path / "out", [identity])
    outcomes = {r.name: r.outcome for r in summary.results}
    assert outcomes["link-out.age"] == "skipped"
    assert outcomes["link-in.age"] == "decrypted"
    assert not any(name.startswith("dir-link") for name in outcomes)
    assert not (tmp_path / "out" / "link-out").exists()


def test_leftover_temp_files_are_skipped(tmp_path: Path, identity: X25519Identity) -> None:
    enc = tmp_path / "enc"
    enc.mkdir()
    (enc / ".x.age.tmp-0123456789ab").write_bytes(seal(b"half", identity))
    summary = decrypt_paths([enc], tmp_path / "out", [identity])
    assert (summary.skipped, summary.decrypted, summary.failed) == (1, 0, 0)


def test_hidden_folders_are_not_entered(tmp_path: Path, identity: X25519Identity) -> None:
    """An output tree of scrub keeps its lock and id in .dcmscrub/: state, not data."""
    expected = make_tree(tmp_path / "release", identity)
    state = tmp_path / "release" / ".dcmscrub"
    state.mkdir()
    (state / "lock").write_text("pid 1")
    (state / "root-id").write_text("abc")
    (tmp_path / "release" / "p1" / ".hidden").mkdir()
    (tmp_path / "release" / "p1" / ".hidden" / "x.age").write_bytes(seal(b"hidden", identity))
    summary = decrypt_paths([tmp_path / "release"], tmp_path / "out", [identity])
    assert (summary.decrypted, summary.failed, summary.skipped) == (3, 0, 0)
    assert all_files(tmp_path / "out") == sorted(expected)


def test_out_dir_inside_input_is_refused(tmp_path: Path, identity: X25519Identity) -> None:
    make_tree(tmp_path / "enc", identity)
    for out in (tmp_path / "enc" / "plain", tmp_path / "enc"):
        with pytest.raises(OutputError, match="inside the input folder") as info:
            decrypt_paths([tmp_path / "enc"], out, [identity])
        assert info.value.exit_code == ExitCode.CANT_CREATE
    assert not (tmp_path / "enc" / "plain").exists()


def test_missing_input_is_refused_before_any_work(tmp_path: Path, identity: X25519Identity) -> None:
    make_tree(tmp_path / "enc", identity)
    with pytest.raises(InputError):
        decrypt_paths([tmp_path / "enc", tmp_path / "absent"], tmp_path / "out", [identity])
    assert not (tmp_path / "out").exists()


def test_failed_run_leaves_no_output_and_no_temp(tmp_path: Path) -> None:
    enc = tmp_path / "enc"
    enc.mkdir()
    for case in TAMPER_CASES:
        ct, _ = tampered(case)
        (enc / (case[0].replace(" ", "_") + ".age")).write_bytes(ct)
    summary = decrypt_paths([enc], tmp_path / "out", [X25519Identity.generate()])
    assert summary.failed == len(TAMPER_CASES) and summary.decrypted == 0
    assert all_files(tmp_path / "out") == []


def test_plain_name() -> None:
    assert plain_name("a.dcm.age") == "a.dcm"
    assert plain_name("a.dcm") == "a.dcm"
    assert plain_name(".age") == ".age"
    assert crypt_files.AGE_SUFFIX == ".age"
