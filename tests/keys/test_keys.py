"""Tests for key files: protection checks, formats, round trips, interop with age and pyrage."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
import shutil
import stat
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dcmscrub import keys
from dcmscrub.age import X25519Identity, decrypt, encrypt, parse_recipient
from dcmscrub.atomic import is_temp_name
from dcmscrub.audit.line import audit_key_fingerprint
from dcmscrub.errors import ConfigError, ExitCode, KeyFileError, OutputError
from dcmscrub.keys import protect

CREATED = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
CANARY = b"LINKAGE-CANARY-do-not-print-me"


def secret_file(folder: Path, name: str, data: bytes, mode: int = 0o600) -> Path:
    path = folder / name
    path.write_bytes(data)
    path.chmod(mode)
    return path


@pytest.fixture
def keydir(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    return folder


def no_temp_files(folder: Path) -> bool:
    return not any(is_temp_name(p.name) for p in folder.iterdir())


# --- write_secret_file ----------------------------------------------------------------------------


def test_write_secret_file_is_0600_whatever_the_umask(keydir: Path) -> None:
    old = os.umask(0)
    try:
        keys.write_secret_file(keydir / "k.txt", b"secret\n")
    finally:
        os.umask(old)
    st = (keydir / "k.txt").stat()
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_uid == os.geteuid()
    assert (keydir / "k.txt").read_bytes() == b"secret\n"
    assert no_temp_files(keydir)


def test_write_secret_file_refuses_to_overwrite(keydir: Path) -> None:
    path = secret_file(keydir, "k.txt", b"old key")
    with pytest.raises(OutputError) as info:
        keys.write_secret_file(path, b"new key")
    assert info.value.exit_code == ExitCode.CANT_CREATE
    assert info.value.hint and "never overwrites" in info.value.hint
    assert path.read_bytes() == b"old key"
    assert no_temp_files(keydir)


def test_write_secret_file_does_not_follow_a_symlink(keydir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    (keydir / "k.txt").symlink_to(target)  # dangling: a naive open(O_CREAT) would create target
    with pytest.raises(OutputError):
        keys.write_secret_file(keydir / "k.txt", b"secret")
    assert not target.exists()
    assert no_temp_files(keydir)


def test_write_secret_file_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        keys.write_secret_file(tmp_path / "nope" / "k.txt", b"secret")


# --- open_secret_file: the ssh-like policy -----------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o620, 0o602, 0o610, 0o601])
def test_loose_modes_are_refused(keydir: Path, mode: int) -> None:
    path = secret_file(keydir, "me.txt", CANARY, mode)
    with pytest.raises(KeyFileError) as info:
        keys.open_secret_file(path, what="identity file")
    error = info.value
    assert error.exit_code == ExitCode.CONFIG == 78
    assert str(error) == f"identity file {path} is {protect._mode_problem(mode)} (mode {mode:04o})"
    assert error.hint == f"run: chmod 600 {path}"
    assert CANARY.decode() not in str(error) + (error.hint or "")


def test_readable_by_others_wording(keydir: Path) -> None:
    path = secret_file(keydir, "me.txt", CANARY, 0o644)
    with pytest.raises(KeyFileError, match=r"is readable by others \(mode 0644\)$"):
        keys.open_secret_file(path, what="identity file")


@pytest.mark.parametrize("mode", [0o600, 0o400])
def test_protected_modes_are_accepted(keydir: Path, mode: int) -> None:
    path = secret_file(keydir, "me.txt", CANARY, mode)
    assert keys.open_secret_file(path) == CANARY


def test_symlink_is_refused_even_to_a_protected_file(keydir: Path) -> None:
    real = secret_file(keydir, "real.txt", CANARY)
    link = keydir / "link.txt"
    link.symlink_to(real)
    with pytest.raises(KeyFileError, match="symbolic link") as info:
        keys.open_secret_file(link)
    assert info.value.exit_code == 78


def test_missing_file(keydir: Path) -> None:
    with pytest.raises(KeyFileError, match="not found") as info:
        keys.open_secret_file(keydir / "absent.txt", what="linkage key file")
    assert str(info.value) == f"linkage key file {keydir / 'absent.txt'} not found"


def test_directory_and_fifo_are_refused_without_blocking(keydir: Path) -> None:
    sub = keydir / "sub"
    sub.mkdir(mode=0o700)
    with pytest.raises(KeyFileError, match="not a regular file"):
        keys.open_secret_file(sub)
    fifo = keydir / "fifo"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(KeyFileError, match="not a regular file"):
        keys.open_secret_file(fifo)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_file_of_another_user_is_refused(keydir: Path) -> None:
    path = secret_file(keydir, "me.txt", CANARY)
    os.chown(path, 65534, -1)
    with pytest.raises(KeyFileError, match="owned by another user") as info:
        keys.open_secret_file(path)
    assert info.value.exit_code == 78


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_folder_writable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    path = secret_file(folder, "me.txt", CANARY)
    with pytest.raises(KeyFileError, match="writable by others") as info:
        keys.open_secret_file(path)
    assert info.value.hint == f"run: chmod go-w {folder}"


def test_sticky_world_writable_folder_is_accepted(tmp_path: Path) -> None:
    folder = tmp_path / "tmpish"
    folder.mkdir()
    folder.chmod(0o1777)  # like /tmp: others cannot rename or remove our file
    path = secret_file(folder, "me.txt", CANARY)
    assert keys.open_secret_file(path) == CANARY


def test_too_large_file_is_refused(keydir: Path) -> None:
    path = secret_file(keydir, "big.txt", bytes(protect._MAX_KEY_FILE_SIZE + 1))
    with pytest.raises(KeyFileError, match="too large"):
        keys.open_secret_file(path)


# --- age identity files ------------------------------------------------------------------------------


def write_identity(folder: Path, identity: X25519Identity, name: str = "me.txt") -> Path:
    path = folder / name
    keys.write_secret_file(path, keys.format_identity_file(identity, CREATED))
    return path


def test_identity_file_matches_age_keygen_layout(keydir: Path) -> None:
    identity = keys.generate_identity()
    text = keys.format_identity_file(identity, CREATED).decode()
    assert text == (
        f"# created: 2026-11-28T12:00:00Z\n# public key: {identity.recipient}\n{identity.to_str()}\n"
    )
    assert re.fullmatch(r"AGE-SECRET-KEY-1[0-9A-Z]{58}", identity.to_str())


def test_created_is_shown_in_utc() -> None:
    identity = keys.generate_identity()
    paris = timezone(timedelta(hours=1))
    text = keys.format_identity_file(identity, datetime(2026, 11, 28, 13, 0, 0, 999, tzinfo=paris)).decode()
    assert text.startswith("# created: 2026-11-28T12:00:00Z\n")
    naive = keys.format_identity_file(identity, datetime(2026, 11, 28, 12, 0, 0)).decode()
    assert naive.startswith("# created: 2026-11-28T12:00:00Z\n")


def test_identity_file_round_trip(keydir: Path) -> None:
    identity = keys.generate_identity()
    path = write_identity(keydir, identity)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    [read] = keys.read_identity_file(path)
    assert read.to_str() == identity.to_str()
    assert read.recipient == identity.recipient


def test_identity_file_with_several_keys_comments_and_crlf(keydir: Path) -> None:
    ids = [keys.generate_identity() for _ in range(3)]
    content = f"# a comment\r\n\r\n{ids[0].to_str()}\r\n# another\n{ids[1].to_str()}\n\n{ids[2].to_str()}"
    path = secret_file(keydir, "many.txt", content.encode())
    assert [i.recipient for i in keys.read_identity_file(path)] == [i.recipient for i in ids]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# only comments\n\n", "holds no identity"),
        ("AGE-SECRET-KEY-1NOTAVALIDKEY\n", "line 1"),
        ("# c\nage1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj\n", "holds an age recipient"),
        ("age-encryption.org/v1\n-> scrypt x 10\n", "age-encrypted"),
        ("\xff\xfe", "not a text file"),
    ],
)
def test_bad_identity_files(keydir: Path, content: str, message: str) -> None:
    path = secret_file(keydir, "bad.txt", content.encode("latin-1"))
    with pytest.raises(KeyFileError, match=message) as info:
        keys.read_identity_file(path)
    assert info.value.exit_code == 78
    assert "NOTAVALIDKEY" not in str(info.value)


def test_identity_file_refused_when_loose(keydir: Path) -> None:
    path = write_identity(keydir, keys.generate_identity())
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match=r"identity file .* is readable by others \(mode 0644\)"):
        keys.read_identity_file(path)


@pytest.mark.oracle
def test_identity_file_works_with_age(keydir: Path, tmp_path: Path) -> None:
    age = shutil.which("age")
    keygen = shutil.which("age-keygen")
    if age is None or keygen is None:
        pytest.skip("age is not installed")
    identity = keys.generate_identity()
    path = write_identity(keydir, identity)
    public = subprocess.run([keygen, "-y", str(path)], capture_output=True, check=True, text=True).stdout
    assert public.strip() == str(identity.recipient)
    ct = io.BytesIO()
    encrypt(io.BytesIO(b"for age"), ct, [identity.recipient])
    out = subprocess.run([age, "-d", "-i", str(path)], input=ct.getvalue(), capture_output=True, check=True)
    assert out.stdout == b"for age"
    # and an age-keygen file reads back here
    theirs = keydir / "theirs.txt"
    subprocess.run([keygen, "-o", str(theirs)], capture_output=True, check=True)
    theirs.chmod(0o600)
    public = subprocess.run([keygen, "-y", str(theirs)], capture_output=True, check=True, text=True).stdout
    [read] = keys.read_identity_file(theirs)
    assert str(read.recipient) == public.strip()


@pytest.mark.oracle
def test_identity_file_works_with_pyrage(keydir: Path) -> None:
    pyrage = pytest.importorskip("pyrage")
    identity = keys.generate_identity()
    path = write_identity(keydir, identity)
    secret_line = path.read_text().splitlines()[-1]
    theirs = pyrage.x25519.Identity.from_str(secret_line)
    assert str(theirs.to_public()) == str(identity.recipient)
    ct = pyrage.encrypt(b"from pyrage", [theirs.to_public()])
    out = io.BytesIO()
    decrypt(io.BytesIO(ct), out, keys.read_identity_file(path))
    assert out.getvalue() == b"from pyrage"


# --- recipients files ----------------------------------------------------------------------------------


def test_recipients_file_with_comments(keydir: Path) -> None:
    ids = [keys.generate_identity() for _ in range(3)]
    content = (
        "# data consumers of project X\n"
        f"{ids[0].recipient}\n\n"
        f"# alice\n  {ids[1].recipient}  \n"
        f"{ids[2].recipient}\r\n"
    )
    path = secret_file(keydir, "recipients.txt", content.encode(), 0o644)  # not secret: 0644 is fine
    assert keys.read_recipients_file(path) == [i.recipient for i in ids]


def test_recipients_file_with_just_recipients(keydir: Path) -> None:
    recipient = keys.generate_identity().recipient
    path = secret_file(keydir, "r.txt", f"{recipient}".encode(), 0o444)
    assert keys.read_recipients_file(path) == [recipient]


@pytest.mark.parametrize("mode", [0o664, 0o646, 0o666])
def test_recipients_file_writable_by_others_is_refused(keydir: Path, mode: int) -> None:
    path = secret_file(keydir, "r.txt", f"{keys.generate_identity().recipient}\n".encode(), mode)
    with pytest.raises(KeyFileError, match="writable by others") as info:
        keys.read_recipients_file(path)
    assert info.value.exit_code == 78
    assert info.value.hint == f"run: chmod go-w {path}"


def test_recipients_file_holding_a_secret_is_refused_without_echo(keydir: Path) -> None:
    identity = keys.generate_identity()
    path = secret_file(keydir, "r.txt", keys.format_identity_file(identity, CREATED), 0o600)
    with pytest.raises(KeyFileError, match="line 3 is a secret identity") as info:
        keys.read_recipients_file(path)
    assert identity.to_str() not in str(info.value) + (info.value.hint or "")


@pytest.mark.parametrize(
    ("content", "message"), [("# nothing\n", "holds no recipient"), ("age1xyz\n", "line 1")]
)
def test_bad_recipients_files(keydir: Path, content: str, message: str) -> None:
    path = secret_file(keydir, "r.txt", content.encode(), 0o644)
    with pytest.raises(KeyFileError, match=message):
        keys.read_recipients_file(path)


def test_recipients_file_missing(keydir: Path) -> None:
    with pytest.raises(KeyFileError, match="not found"):
        keys.read_recipients_file(keydir / "absent.txt")


def test_recipient_set_fingerprint() -> None:
    a, b, c = (keys.generate_identity().recipient for _ in range(3))
    expected = hashlib.sha256("\n".join(sorted([str(a), str(b)])).encode()).hexdigest()
    assert keys.recipient_set_fingerprint([a, b]) == expected
    assert keys.recipient_set_fingerprint([b, a]) == expected
    assert keys.recipient_set_fingerprint([b, a, b]) == expected
    assert keys.recipient_set_fingerprint([a, b, c]) != expected
    assert re.fullmatch(r"[0-9a-f]{64}", expected)


# --- linkage secret ------------------------------------------------------------------------------------


def test_linkage_key_file_round_trip(keydir: Path) -> None:
    key = keys.generate_linkage_key()
    assert len(key) == 32
    content = keys.format_linkage_key_file(key, CREATED)
    lines = content.decode().splitlines()
    assert lines[:3] == [
        "# dcmscrub linkage secret v1",
        "# created: 2026-11-28T12:00:00Z",
        f"# key-id: {keys.linkage_key_id(key)}",
    ]
    assert re.fullmatch(r"DCMSCRUB-LINKAGE-KEY-1[0-9A-Z]+", lines[3])
    assert content.endswith(b"\n") and len(lines) == 4
    keys.write_secret_file(keydir / "linkage.key", content)
    assert keys.read_linkage_key_file(keydir / "linkage.key") == key


def test_linkage_key_file_with_project() -> None:
    content = keys.format_linkage_key_file(bytes(32), CREATED, project="lung-ct.2026")
    assert b"\n# project: lung-ct.2026\n" in content
    with pytest.raises(ConfigError):
        keys.format_linkage_key_file(bytes(32), CREATED, project="no spaces please")


def test_linkage_key_id_is_hkdf_expand() -> None:
    key = bytes(range(32))
    # RFC 5869 HKDF-Expand, first block: HMAC(PRK, info || 0x01), truncated to 8 bytes
    expected = hmac.new(key, b"dcmscrub/v1/key-id\x01", hashlib.sha256).digest()[:8].hex()
    assert keys.linkage_key_id(key) == expected
    assert len(expected) == 16
    assert keys.linkage_key_id(bytes(32)) != expected
    with pytest.raises(ConfigError):
        keys.linkage_key_id(bytes(16))


def test_linkage_key_changed_character_is_detected_without_echo(keydir: Path) -> None:
    key = keys.generate_linkage_key()
    content = keys.format_linkage_key_file(key, CREATED).decode()
    key_line = content.splitlines()[-1]
    pos = len(key_line) - 10
    changed_char = "Q" if key_line[pos] != "Q" else "P"
    damaged = content.replace(key_line, key_line[:pos] + changed_char + key_line[pos + 1 :])
    path = secret_file(keydir, "linkage.key", damaged.encode())
    with pytest.raises(KeyFileError, match="is malformed") as info:
        keys.read_linkage_key_file(path)
    assert key_line[22:40] not in str(info.value) + (info.value.hint or "")


def test_linkage_key_id_comment_must_match(keydir: Path) -> None:
    content = keys.format_linkage_key_file(keys.generate_linkage_key(), CREATED).decode()
    other_id = keys.linkage_key_id(keys.generate_linkage_key())
    edited = re.sub(r"# key-id: [0-9a-f]+", f"# key-id: {other_id}", content)
    path = secret_file(keydir, "linkage.key", edited.encode())
    with pytest.raises(KeyFileError, match="key-id comment does not match"):
        keys.read_linkage_key_file(path)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"# only comments\n",
        b"DCMSCRUB-LINKAGE-KEY-1QQQQ\n",
        keys.format_audit_key_file(keys.generate_audit_key(), CREATED),  # the wrong kind of key
        keys.format_linkage_key_file(bytes(32), CREATED) * 2,  # two keys
    ],
)
def test_malformed_linkage_key_files(keydir: Path, content: bytes) -> None:
    path = secret_file(keydir, "linkage.key", content)
    with pytest.raises(KeyFileError, match="malformed") as info:
        keys.read_linkage_key_file(path)
    assert info.value.exit_code == 78


def test_linkage_key_file_must_be_protected(keydir: Path) -> None:
    path = secret_file(keydir, "linkage.key", keys.format_linkage_key_file(bytes(32), CREATED), 0o640)
    with pytest.raises(KeyFileError, match="readable by others"):
        keys.read_linkage_key_file(path)


# --- audit signing key -------------------------------------------------------------------------------


def test_audit_key_file_round_trip(keydir: Path) -> None:
    key = keys.generate_audit_key()
    content = keys.format_audit_key_file(key, CREATED)
    lines = content.decode().splitlines()
    public = keys.audit_public_key_str(key.public_key())
    assert lines == [
        "# dcmscrub audit signing key v1",
        "# created: 2026-11-28T12:00:00Z",
        f"# public key: {public}",
        lines[3],
    ]
    assert re.fullmatch(r"DCMSCRUB-AUDIT-KEY-1[0-9A-Z]+", lines[3])
    assert re.fullmatch(r"dcmscrubaudit1[0-9a-z]+", public)
    keys.write_secret_file(keydir / "audit.key", content)
    read = keys.read_audit_key_file(keydir / "audit.key")
    signature = read.sign(b"checkpoint")
    key.public_key().verify(signature, b"checkpoint")  # raises if the keys differ


def test_audit_public_key_parsing() -> None:
    key = keys.generate_audit_key()
    public = keys.audit_public_key_str(key.public_key())
    parsed = keys.parse_audit_public_key(public)
    assert parsed.public_bytes_raw() == key.public_key().public_bytes_raw()
    as_file = f"# auditors' copy\n\n{public}\n"
    assert keys.parse_audit_public_key(as_file).public_bytes_raw() == parsed.public_bytes_raw()
    assert keys.parse_audit_public_key(public.upper()).public_bytes_raw() == parsed.public_bytes_raw()


def test_audit_public_key_refuses_a_private_key_file() -> None:
    key = keys.generate_audit_key()
    content = keys.format_audit_key_file(key, CREATED).decode()
    with pytest.raises(ConfigError, match="secret audit signing key") as info:
        keys.parse_audit_public_key(content)
    assert content.splitlines()[-1] not in str(info.value) + (info.value.hint or "")


@pytest.mark.parametrize(
    "text",
    ["", "# nothing", "dcmscrubaudit1qqqq", "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"],
)
def test_bad_audit_public_keys(text: str) -> None:
    with pytest.raises(ConfigError):
        keys.parse_audit_public_key(text)


def test_audit_public_key_file(keydir: Path) -> None:
    key = keys.generate_audit_key()
    path = secret_file(
        keydir, "audit.pub", (keys.audit_public_key_str(key.public_key()) + "\n").encode(), 0o644
    )
    assert keys.read_audit_public_key_file(path).public_bytes_raw() == key.public_key().public_bytes_raw()
    path.chmod(0o666)
    with pytest.raises(KeyFileError, match="writable by others"):
        keys.read_audit_public_key_file(path)


def test_audit_key_fingerprint() -> None:
    key = keys.generate_audit_key()
    raw = key.public_key().public_bytes_raw()
    assert audit_key_fingerprint(key.public_key()) == "ed25519:" + hashlib.sha256(raw).hexdigest()[:32]


def test_audit_key_public_comment_must_match(keydir: Path) -> None:
    content = keys.format_audit_key_file(keys.generate_audit_key(), CREATED).decode()
    other = keys.audit_public_key_str(keys.generate_audit_key().public_key())
    edited = re.sub(r"# public key: \S+", f"# public key: {other}", content)
    path = secret_file(keydir, "audit.key", edited.encode())
    with pytest.raises(KeyFileError, match="public key comment does not match"):
        keys.read_audit_key_file(path)


def test_audit_key_file_must_be_protected(keydir: Path) -> None:
    path = secret_file(
        keydir, "audit.key", keys.format_audit_key_file(keys.generate_audit_key(), CREATED), 0o604
    )
    with pytest.raises(KeyFileError, match="readable by others"):
        keys.read_audit_key_file(path)


# --- passphrase files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"correct horse\n", b"correct horse"),
        (b"correct horse\r\n", b"correct horse"),
        (b"correct horse", b"correct horse"),
        (b"two newlines\n\n", b"two newlines\n"),
        (b" spaces kept \n", b" spaces kept "),
    ],
)
def test_passphrase_file(keydir: Path, content: bytes, expected: bytes) -> None:
    assert keys.read_passphrase_file(secret_file(keydir, "pass.txt", content)) == expected


@pytest.mark.parametrize("content", [b"", b"\n", b"\r\n"])
def test_empty_passphrase_is_refused(keydir: Path, content: bytes) -> None:
    with pytest.raises(KeyFileError, match="is empty"):
        keys.read_passphrase_file(secret_file(keydir, "pass.txt", content))


def test_passphrase_file_must_be_protected(keydir: Path) -> None:
    path = secret_file(keydir, "pass.txt", CANARY, 0o660)
    with pytest.raises(KeyFileError, match=r"passphrase file .* \(mode 0660\)") as info:
        keys.read_passphrase_file(path)
    assert CANARY.decode() not in str(info.value)


def test_recipient_strings_round_trip_through_the_file_format(keydir: Path) -> None:
    identity = keys.generate_identity()
    path = write_identity(keydir, identity)
    public_comment = path.read_text().splitlines()[1].removeprefix("# public key: ")
    assert parse_recipient(public_comment) == identity.recipient
