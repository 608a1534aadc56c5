"""Tests for the age v1 container: CCTV vectors, interop with age and pyrage, tampering, AgeWriter."""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import os
import pty
import random
import select
import shutil
import subprocess
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.dataset import Dataset

from age_cases import (
    INTEROP_SIZES,
    KNOWN_IDENTITY,
    KNOWN_RECIPIENT,
    TAMPER_CASES,
    TamperCase,
    _crafted,
    _own,
    craft,
    flip,
    header_end,
    open_age,
    payload_chunks,
    samples,
    seal,
    tampered,
)
from dcmscrub.age import (
    AgeWriter,
    Identity,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
    decrypt,
    encrypt,
    looks_like_age,
    parse_identity,
    parse_recipient,
)
from dcmscrub.age import bech32 as _bech32
from dcmscrub.age.format import (
    CHUNK_SIZE,
    ENC_CHUNK_SIZE,
    IO_BLOCK,
    VERSION_LINE,
    Reader,
    Stanza,
    b64encode,
    parse_header,
)
from dcmscrub.errors import ConfigError, DecryptError, ExitCode

TESTKIT = Path(__file__).resolve().parents[2] / "reference" / "age-testkit" / "testdata"


@pytest.mark.parametrize("case", TAMPER_CASES, ids=[c[0] for c in TAMPER_CASES])
def test_tampering_is_detected(case: TamperCase) -> None:
    ct, identities = tampered(case)
    with pytest.raises(DecryptError) as info:
        open_age(ct, identities)
    expected = case[2]
    if expected is not None:
        assert info.value.detail is not None and info.value.detail.startswith(expected)
    # the user-facing message never says which check failed
    assert str(info.value) == DecryptError.GENERIC
    assert info.value.exit_code == ExitCode.DATA


def test_samples_are_valid_before_tampering() -> None:
    s = samples()
    assert open_age(s.ct, [s.identity]) == s.data
    assert open_age(s.other_ct, [s.identity]) == s.data
    assert open_age(s.full_ct, [s.identity]) == s.full_data
    assert len(s.ct) == s.chunk(3) + 100 + 16


def test_crafted_files_decrypt_when_not_tampered() -> None:
    """The crafting helpers make valid files, so the cases above fail for the reason named."""
    s = samples()
    good = _crafted(lambda fk, r: [Stanza("grease", ("x",), b"junk"), _own(fk, r)])(s)
    assert open_age(good, [s.identity]) == b"hello"
    too_many = _crafted(lambda fk, r: [*[Stanza("grease", (), b"") for _ in range(31)], _own(fk, r)])(s)
    assert open_age(too_many, [s.identity]) == b"hello"


def test_scrypt_work_factor_caps() -> None:
    ct = seal(b"data", [ScryptRecipient(b"pw", log_n=12)])
    assert open_age(ct, [ScryptIdentity(b"pw")]) == b"data"
    with pytest.raises(DecryptError) as info:
        open_age(ct, [ScryptIdentity(b"pw")], max_scrypt_log_n=11)
    assert info.value.detail == "header: scrypt work factor 12 is above the cap 11"
    with pytest.raises(DecryptError) as info:
        open_age(ct, [ScryptIdentity(b"pw", max_log_n=11)])
    assert info.value.detail == "header: scrypt work factor 12 is above the cap"


def test_unknown_stanzas_are_skipped_but_still_covered_by_the_mac() -> None:
    s = samples()
    file_key = os.urandom(16)
    stanzas = [Stanza("some-plugin", ("a", "b"), os.urandom(100)), _own(file_key, s.identity.recipient)]
    ct = craft(stanzas, file_key, payload_chunks(file_key, os.urandom(16), [(b"x", True)]))
    assert open_age(ct, [s.identity]) == b"x"
    with pytest.raises(DecryptError) as info:
        open_age(ct.replace(b"some-plugin a b", b"some-plugin a c"), [s.identity])
    assert info.value.detail == "header MAC mismatch"


# --- CCTV vectors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vector:
    expect: str
    payload_sha256: str | None
    file_key: bytes
    identities: list[str]
    passphrases: list[str]
    armored: bool
    body: bytes


def read_vector(path: Path) -> Vector | None:
    """Parse a CCTV vector; None when it has a key we do not know (upstream: ignore the file)."""
    head, _, body = path.read_bytes().partition(b"\n\n")
    fields: dict[str, list[str]] = {}
    for line in head.decode().splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    known = {"expect", "payload", "file key", "identity", "passphrase", "armored", "compressed", "comment"}
    if set(fields) - known:
        return None
    if fields.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return Vector(
        expect=fields["expect"][0],
        payload_sha256=fields.get("payload", [None])[0],
        file_key=bytes.fromhex(fields["file key"][0]),
        identities=fields.get("identity", []),
        passphrases=fields.get("passphrase", []),
        armored=fields.get("armored") == ["yes"],
        body=body,
    )


def applicable(vector: Vector) -> bool:
    """Not armored and no post-quantum (or other non-X25519) identity."""
    return not vector.armored and all(i.startswith("AGE-SECRET-KEY-1") for i in vector.identities)


EXPECTED_DETAIL = {
    "header failure": "header:",
    "no match": "no identity matched",
    "HMAC failure": "header MAC mismatch",
    "payload failure": "payload:",
}
ABSENT = "testkit-absent"


@functools.cache
def cached_vector(name: str) -> Vector | None:
    return read_vector(TESTKIT / name)


def vector_names(predicate: Callable[[Vector], bool] = lambda v: True) -> list[str]:
    """Names of the applicable vectors that satisfy ``predicate`` (one placeholder when absent)."""
    if not TESTKIT.is_dir():
        return [ABSENT]
    names = []
    for path in sorted(TESTKIT.iterdir()):
        vector = cached_vector(path.name)
        if vector is not None and applicable(vector) and predicate(vector):
            names.append(path.name)
    return names


def load_vector(name: str) -> Vector:
    if name == ABSENT:
        pytest.skip(f"CCTV age testkit not found at {TESTKIT}")
    vector = cached_vector(name)
    assert vector is not None
    return vector


def vector_identities(vector: Vector) -> list[Identity]:
    identities: list[Identity] = [parse_identity(i) for i in vector.identities]
    identities += [ScryptIdentity(p.encode()) for p in vector.passphrases]
    return identities or [X25519Identity.generate()]  # decrypt needs at least one


@pytest.mark.parametrize("name", vector_names())
def test_cctv_vector(name: str) -> None:
    vector = load_vector(name)
    out = io.BytesIO()
    if vector.expect == "success":
        decrypt(io.BytesIO(vector.body), out, vector_identities(vector))
    else:
        with pytest.raises(DecryptError) as info:
            decrypt(io.BytesIO(vector.body), out, vector_identities(vector))
        assert info.value.detail is not None
        assert info.value.detail.startswith(EXPECTED_DETAIL[vector.expect])
    if vector.payload_sha256 is not None:
        # for "payload failure" this is the plaintext released before the failure (CCTV README)
        assert hashlib.sha256(out.getvalue()).hexdigest() == vector.payload_sha256
    else:
        assert out.getvalue() == b""


def test_cctv_vectors_are_all_seen() -> None:
    """Guards the parametrized test against silently skipping everything."""
    if not TESTKIT.is_dir():
        pytest.skip(f"CCTV age testkit not found at {TESTKIT}")
    vectors = [v for v in (cached_vector(p.name) for p in TESTKIT.iterdir()) if v is not None]
    used = [v for v in vectors if applicable(v)]
    assert len(vectors) == 143
    assert len(used) == 92
    assert {v.expect for v in used} == {
        "success",
        "no match",
        "HMAC failure",
        "header failure",
        "payload failure",
    }


@pytest.mark.parametrize("name", vector_names(lambda v: v.expect != "header failure"))
def test_cctv_header_reencodes_byte_for_byte(name: str) -> None:
    vector = load_vector(name)
    header = parse_header(Reader(io.BytesIO(vector.body)))
    encoded = VERSION_LINE + b"".join(s.encode() for s in header.stanzas) + b"---"
    assert encoded == header.without_mac
    assert vector.body.startswith(encoded + b" " + b64encode(header.mac) + b"\n")


@pytest.mark.parametrize("name", vector_names(lambda v: v.expect == "success"))
def test_cctv_stream_reencrypts_byte_for_byte(name: str) -> None:
    """With the vector's file key and nonce, AgeWriter produces the vector's payload exactly."""
    vector = load_vector(name)
    plaintext = open_age(vector.body, vector_identities(vector))
    start = header_end(vector.body)
    nonce = vector.body[start : start + 16]
    draws = iter([vector.file_key, nonce])

    def fixed(n: int) -> bytes:
        return next(draws) if n == 16 else os.urandom(n)

    ours = seal(plaintext, [X25519Identity.generate().recipient], random_bytes=fixed)
    assert ours[header_end(ours) :] == vector.body[start:]


# --- round trips, properties ----------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(size=st.integers(0, 3 * CHUNK_SIZE + 10), seed=st.integers(0, 2**32))
def test_roundtrip_any_size(size: int, seed: int) -> None:
    data = random.Random(seed).randbytes(size)
    identity = X25519Identity.generate()
    assert open_age(seal(data, [identity.recipient]), [identity]) == data


@settings(max_examples=40, deadline=None)
@given(pieces=st.lists(st.integers(0, 2 * CHUNK_SIZE + 3), max_size=8), seed=st.integers(0, 2**32))
def test_ciphertext_does_not_depend_on_write_sizes(pieces: list[int], seed: int) -> None:
    data = random.Random(seed).randbytes(sum(pieces))
    recipient = X25519Identity.generate().recipient
    one_go = seal(data, [recipient], random_bytes=random.Random(seed).randbytes)
    out = io.BytesIO()
    with AgeWriter(out, [recipient], random_bytes=random.Random(seed).randbytes) as writer:
        pos = 0
        for n in pieces:
            assert writer.write(memoryview(data)[pos : pos + n]) == n
            pos += n
            assert writer.tell() == pos
    assert out.getvalue() == one_go


@settings(max_examples=150, deadline=None)
@given(position=st.integers(min_value=0), bit=st.integers(0, 7))
def test_any_flipped_bit_fails(position: int, bit: int) -> None:
    s = samples()
    ct = s.ct[: s.chunk(1)] + s.ct[-200:]  # short enough to be quick, a valid file is not needed
    small = seal(s.data[:70000], [s.identity.recipient, X25519Identity.generate().recipient])
    for base in (ct, small):
        pos = position % len(base)
        with pytest.raises(DecryptError):
            open_age(flip(base, pos, bit), [s.identity])


def test_ciphertext_layout() -> None:
    identity = parse_identity(KNOWN_IDENTITY)
    for size, chunks in [(0, 1), (1, 1), (CHUNK_SIZE, 1), (CHUNK_SIZE + 1, 2), (2 * CHUNK_SIZE, 2)]:
        ct = seal(bytes(size), [identity.recipient])
        lines = ct[: header_end(ct)].split(b"\n")
        assert lines[0] == b"age-encryption.org/v1"
        assert lines[1].startswith(b"-> X25519 ") and len(lines[1]) == 10 + 43
        assert len(lines[2]) == 43  # 32-byte body: one short line
        assert lines[3].startswith(b"--- ") and len(lines[3]) == 4 + 43
        assert len(ct) == header_end(ct) + 16 + size + 16 * chunks


def test_three_recipients_each_can_decrypt() -> None:
    identities = [X25519Identity.generate() for _ in range(3)]
    ct = seal(b"shared", [i.recipient for i in identities])
    assert ct.count(b"\n-> X25519 ") == 3
    for identity in identities:
        assert open_age(ct, [identity]) == b"shared"
    assert open_age(ct, [X25519Identity.generate(), identities[2]]) == b"shared"


def test_scrypt_roundtrip_and_stanza() -> None:
    ct = seal(b"by hand", [ScryptRecipient(b"correct horse", log_n=10)])
    assert b"\n-> scrypt " in ct and b" 10\n" in ct
    assert open_age(ct, [ScryptIdentity(b"correct horse")]) == b"by hand"
    # an X25519 identity alongside does not disturb the scrypt one
    assert open_age(ct, [X25519Identity.generate(), ScryptIdentity(b"correct horse")]) == b"by hand"


def test_encrypt_streams_between_files() -> None:
    identity = X25519Identity.generate()
    data = os.urandom(2 * CHUNK_SIZE + 7)
    ct = io.BytesIO()
    assert encrypt(io.BytesIO(data), ct, [identity.recipient]) == len(data)
    out = io.BytesIO()
    assert decrypt(io.BytesIO(ct.getvalue()), out, [identity]) == len(data)
    assert out.getvalue() == data


class Trickle(io.RawIOBase):
    """A source that returns at most 7 bytes per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(min(7, len(b)))
        b[: len(chunk)] = chunk
        return len(chunk)


def test_decrypt_handles_short_reads() -> None:
    identity = X25519Identity.generate()
    data = os.urandom(CHUNK_SIZE + 3)
    out = io.BytesIO()
    decrypt(Trickle(seal(data, [identity.recipient])), out, [identity])  # type: ignore[arg-type]
    assert out.getvalue() == data


# --- AgeWriter behaviour ---------------------------------------------------------------------------


class NonSeekable(io.RawIOBase):
    """A destination like a pipe: write only; seek and tell raise."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, b: object) -> int:  # type: ignore[override]
        return self.buffer.write(b)  # type: ignore[arg-type]

    def seek(self, *args: object) -> int:  # type: ignore[override]
        raise AssertionError("AgeWriter must never seek its destination")

    def tell(self) -> int:
        raise AssertionError("AgeWriter must never ask its destination for its position")

    def read(self, *args: object) -> bytes:  # type: ignore[override]
        raise AssertionError("AgeWriter must never read its destination")


def _dataset_with_sequence() -> pydicom.FileDataset:
    ds = pydicom.examples.ct
    item = Dataset()
    item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    item.ReferencedSOPInstanceUID = "1.2.3.4.5"
    ds.ReferencedImageSequence = [item]  # defined-length items: pydicom seeks back unless it buffers
    return ds


def test_pydicom_writes_through_agewriter_without_seeking() -> None:
    ds = _dataset_with_sequence()
    plain = io.BytesIO()
    pydicom.dcmwrite(plain, ds, enforce_file_format=True)
    sink = NonSeekable()
    identity = X25519Identity.generate()
    with AgeWriter(sink, [identity.recipient]) as writer:  # type: ignore[arg-type]
        pydicom.dcmwrite(writer, ds, enforce_file_format=True)
        assert writer.tell() == len(plain.getvalue())
    assert not sink.closed
    decrypted = open_age(sink.buffer.getvalue(), [identity])
    assert decrypted == plain.getvalue()
    assert decrypted[128:132] == b"DICM"
    assert (
        pydicom.dcmread(io.BytesIO(decrypted)).ReferencedImageSequence[0].ReferencedSOPInstanceUID
        == "1.2.3.4.5"
    )


def test_writer_file_object_contract() -> None:
    sink = io.BytesIO()
    writer = AgeWriter(sink, [X25519Identity.generate().recipient])
    assert writer.writable() and not writer.seekable() and not writer.readable()
    with pytest.raises(io.UnsupportedOperation):
        writer.seek(0)
    assert writer.write(b"abc") == 3
    assert writer.write(bytearray(b"de")) == 2
    assert writer.tell() == 5
    writer.close()
    writer.close()  # idempotent
    assert writer.closed and not sink.closed
    with pytest.raises(ValueError):
        writer.write(b"more")


def test_writer_holds_at_most_one_chunk_of_plaintext() -> None:
    identity = X25519Identity.generate()
    sink = io.BytesIO()
    writer = AgeWriter(sink, [identity.recipient])
    writer.write(bytes(CHUNK_SIZE))
    assert writer._fill == CHUNK_SIZE  # it may still be the last chunk
    writer.write(b"x")
    assert writer._fill == 1
    writer.write(bytes(40 * CHUNK_SIZE))
    assert writer._fill <= CHUNK_SIZE
    # ciphertext is not held back either: at most one output block is pending
    assert len(sink.getvalue()) >= 41 * ENC_CHUNK_SIZE - IO_BLOCK
    writer.close()
    assert len(open_age(sink.getvalue(), [identity])) == 41 * CHUNK_SIZE + 1


@pytest.mark.parametrize("size", [0, 100, 3 * CHUNK_SIZE + 1, 40 * CHUNK_SIZE])
def test_exception_in_with_block_leaves_no_valid_file(size: int) -> None:
    identity = X25519Identity.generate()
    sink = io.BytesIO()
    with pytest.raises(RuntimeError), AgeWriter(sink, [identity.recipient]) as writer:
        writer.write(bytes(size))
        raise RuntimeError("pydicom failed half way")
    assert writer.closed
    with pytest.raises(DecryptError) as info:
        open_age(sink.getvalue(), [identity])
    # nothing written at all, or a prefix of whole chunks none of which is marked last
    assert info.value.detail in ("header: not an age file", "payload: truncated")
    if size > IO_BLOCK:
        assert info.value.detail == "payload: truncated"


def test_abort_then_close_writes_nothing_more() -> None:
    sink = io.BytesIO()
    writer = AgeWriter(sink, [X25519Identity.generate().recipient])
    writer.write(b"partial")
    size = len(sink.getvalue())
    writer.abort()
    writer.close()
    assert len(sink.getvalue()) == size


def test_dropped_writer_is_not_finalized() -> None:
    identity = X25519Identity.generate()
    sink = io.BytesIO()
    writer = AgeWriter(sink, [identity.recipient])
    writer.write(b"half a dataset")
    del writer
    gc.collect()
    with pytest.raises(DecryptError):
        open_age(sink.getvalue(), [identity])


class FailingSink(io.BytesIO):
    def __init__(self, fail_after: int) -> None:
        super().__init__()
        self.fail_after = fail_after

    def write(self, b: object) -> int:  # type: ignore[override]
        if self.tell() > self.fail_after:
            raise OSError(28, "No space left on device")
        return super().write(b)  # type: ignore[arg-type]


def test_write_error_poisons_the_writer() -> None:
    identity = X25519Identity.generate()
    sink = FailingSink(fail_after=CHUNK_SIZE)
    writer = AgeWriter(sink, [identity.recipient])
    with pytest.raises(OSError):
        writer.write(bytes(40 * CHUNK_SIZE))  # the second block of output fails
    with pytest.raises(ValueError):
        writer.write(b"x")
    with pytest.raises(ValueError):
        writer.close()
    assert writer.closed
    with pytest.raises(DecryptError):
        open_age(sink.getvalue(), [identity])


def test_recipient_rules() -> None:
    x = X25519Identity.generate().recipient
    with pytest.raises(ConfigError):
        AgeWriter(io.BytesIO(), [])
    with pytest.raises(ConfigError):
        AgeWriter(io.BytesIO(), [ScryptRecipient(b"pw", log_n=10), x])
    with pytest.raises(ConfigError):
        AgeWriter(io.BytesIO(), [ScryptRecipient(b"a", log_n=10), ScryptRecipient(b"b", log_n=10)])
    with pytest.raises(ConfigError):
        ScryptRecipient(b"", log_n=10)
    with pytest.raises(ConfigError):
        ScryptRecipient(b"pw", log_n=23)
    with pytest.raises(ConfigError):
        decrypt(io.BytesIO(b""), io.BytesIO(), [])
    with pytest.raises(ConfigError):
        decrypt(io.BytesIO(b""), io.BytesIO(), [ScryptIdentity(b"pw")], max_scrypt_log_n=23)
    with pytest.raises(ConfigError):
        # a low-order public key cannot be encrypted to
        AgeWriter(io.BytesIO(), [X25519Recipient(bytes(32))])


# --- keys, strings, Bech32 ---------------------------------------------------------------------------


def test_known_answer_identity_and_recipient() -> None:
    identity = parse_identity(KNOWN_IDENTITY)
    assert str(identity.recipient) == KNOWN_RECIPIENT
    assert identity.to_str() == KNOWN_IDENTITY
    assert parse_identity(KNOWN_IDENTITY.lower()).to_str() == KNOWN_IDENTITY
    assert parse_recipient(KNOWN_RECIPIENT) == identity.recipient
    expected = "x25519:" + hashlib.sha256(identity.recipient.public_key).hexdigest()[:32]
    assert identity.recipient.fingerprint == expected


def test_identity_repr_hides_the_secret() -> None:
    identity = parse_identity(KNOWN_IDENTITY)
    for text in (repr(identity), str(identity), f"{identity!r}"):
        assert KNOWN_IDENTITY not in text and KNOWN_IDENTITY.lower() not in text
        assert "4242" not in text
    assert KNOWN_RECIPIENT in repr(identity)
    assert "hunter2" not in repr(ScryptIdentity(b"hunter2")) + repr(ScryptRecipient(b"hunter2"))


@pytest.mark.parametrize(
    ("text", "hint_part"),
    [
        (KNOWN_IDENTITY, "public key"),
        ("age1notvalid", "age1"),
        ("ssh-ed25519 AAAA", "age1"),
        (KNOWN_RECIPIENT[:-1] + ("q" if KNOWN_RECIPIENT[-1] != "q" else "p"), "age1"),
        ("", "age1"),
    ],
)
def test_parse_recipient_errors_never_echo(text: str, hint_part: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_recipient(text)
    assert info.value.hint is not None and hint_part in info.value.hint
    if text:
        assert text not in str(info.value) and text not in info.value.hint


@pytest.mark.parametrize(
    "text",
    [
        KNOWN_RECIPIENT,
        KNOWN_IDENTITY[:-1] + ("Q" if KNOWN_IDENTITY[-1] != "Q" else "P"),
        "AGE-SECRET-KEY-PQ-1ABCDEF",
        "Age-Secret-Key-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX",
        KNOWN_IDENTITY.replace("AGE-SECRET-KEY-", "AGE-SECRET-KEX-"),
    ],
)
def test_parse_identity_errors_never_echo(text: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_identity(text)
    assert text not in str(info.value) and text[20:40] not in str(info.value)
    assert info.value.hint


def test_bech32_detects_any_changed_character() -> None:
    charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    for pos in range(len("age1"), len(KNOWN_RECIPIENT)):
        for replacement in charset[:5]:
            if KNOWN_RECIPIENT[pos] == replacement:
                continue
            changed = KNOWN_RECIPIENT[:pos] + replacement + KNOWN_RECIPIENT[pos + 1 :]
            with pytest.raises(_bech32.Bech32Error):
                _bech32.decode(changed)


@pytest.mark.parametrize(
    "valid",
    [
        "A12UEL5L",
        "a12uel5l",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    ],
)
def test_bech32_bip173_valid_checksums(valid: str) -> None:
    hrp, _ = _bech32.decode(valid)
    assert hrp == valid[: valid.rfind("1")].lower()


@pytest.mark.parametrize(
    "invalid", ["pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "aB1pzry9x0s0muk"]
)
def test_bech32_bip173_invalid(invalid: str) -> None:
    with pytest.raises(_bech32.Bech32Error):
        _bech32.decode(invalid)


@settings(max_examples=60)
@given(hrp=st.sampled_from(["age", "age-secret-key-", "dcmscrubaudit"]), data=st.binary(max_size=64))
def test_bech32_roundtrip(hrp: str, data: bytes) -> None:
    text = _bech32.encode(hrp, data)
    assert _bech32.decode(text) == (hrp, data)
    assert _bech32.decode(text.upper()) == (hrp, data)  # checksum over the lowercase HRP


def test_looks_like_age() -> None:
    assert looks_like_age(b"age-encryption.org/v1\n-> X25519")
    assert looks_like_age(b"age-encryption.org/v2")
    assert not looks_like_age(bytes(128) + b"DICM")
    assert not looks_like_age(b"-----BEGIN AGE ENCRYPTED FILE-----")


# --- interop: pyrage --------------------------------------------------------------------------------


def pyrage_module():  # type: ignore[no-untyped-def]
    return pytest.importorskip("pyrage")


@pytest.mark.oracle
@pytest.mark.parametrize("size", INTEROP_SIZES)
@pytest.mark.parametrize("count", [1, 3])
def test_pyrage_interop_both_ways(size: int, count: int) -> None:
    pyrage = pyrage_module()
    data = random.Random(size).randbytes(size)
    ours = [X25519Identity.generate() for _ in range(count)]
    theirs = [pyrage.x25519.Identity.from_str(i.to_str()) for i in ours]
    assert [str(t.to_public()) for t in theirs] == [str(i.recipient) for i in ours]
    ct = seal(data, [i.recipient for i in ours])
    for identity in theirs:
        assert pyrage.decrypt(ct, [identity]) == data
    their_ct = pyrage.encrypt(data, [pyrage.x25519.Recipient.from_str(str(i.recipient)) for i in ours])
    for identity in ours:
        assert open_age(their_ct, [identity]) == data


@pytest.mark.oracle
def test_pyrage_scrypt_both_ways() -> None:
    pyrage = pyrage_module()
    ct = seal(b"passphrase data", [ScryptRecipient(b"correct horse battery", log_n=12)])
    assert pyrage.passphrase.decrypt(ct, "correct horse battery") == b"passphrase data"
    their_ct = pyrage.passphrase.encrypt(b"from rage", "correct horse battery")
    assert open_age(their_ct, [ScryptIdentity(b"correct horse battery")]) == b"from rage"
    with pytest.raises(DecryptError):
        open_age(their_ct, [ScryptIdentity(b"incorrect horse battery")])


# --- interop: the age command ---------------------------------------------------------------------


def age_binary() -> str:
    path = shutil.which("age")
    if path is None:
        pytest.skip("the age command is not installed")
    return path


@pytest.mark.oracle
@pytest.mark.parametrize("size", INTEROP_SIZES)
@pytest.mark.parametrize("count", [1, 3])
def test_age_command_interop_both_ways(size: int, count: int, tmp_path: Path) -> None:
    age = age_binary()
    data = random.Random(size + 1).randbytes(size)
    ours = [X25519Identity.generate() for _ in range(count)]
    keyfile = tmp_path / "keys.txt"
    keyfile.write_text("".join(i.to_str() + "\n" for i in ours))
    keyfile.chmod(0o600)
    encrypted = tmp_path / "ours.age"
    encrypted.write_bytes(seal(data, [i.recipient for i in ours]))
    for identity in ours:
        single = tmp_path / "one.txt"
        single.write_text(identity.to_str() + "\n")
        out = subprocess.run([age, "-d", "-i", str(single), str(encrypted)], capture_output=True, check=True)
        assert out.stdout == data
    recipient_args = [arg for i in ours for arg in ("-r", str(i.recipient))]
    theirs = subprocess.run([age, "-e", *recipient_args], input=data, capture_output=True, check=True).stdout
    for identity in ours:
        assert open_age(theirs, [identity]) == data


def run_age_on_tty(args: list[str], passphrase: str, timeout: float = 60) -> int:
    """Run age with a pseudo-terminal (it reads passphrases from /dev/tty); answer every prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        try:
            os.execv(age_binary(), ["age", *args])
        finally:
            os._exit(127)
    seen = b""
    answered = 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 1024)
                except OSError:
                    break  # EIO: the child closed the terminal
                if not chunk:
                    break
                seen += chunk
                while seen.count(b"assphrase") > answered:
                    time.sleep(0.05)
                    os.write(fd, passphrase.encode() + b"\n")
                    answered += 1
        else:
            os.kill(pid, 9)
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.oracle
def test_age_command_scrypt_both_ways(tmp_path: Path) -> None:
    age_binary()
    ours = tmp_path / "ours.age"
    ours.write_bytes(seal(b"typed by hand", [ScryptRecipient(b"a long passphrase", log_n=12)]))
    plain = tmp_path / "plain.txt"
    assert run_age_on_tty(["-d", "-o", str(plain), str(ours)], "a long passphrase") == 0
    assert plain.read_bytes() == b"typed by hand"
    source = tmp_path / "source.txt"
    source.write_bytes(b"from age -p")
    theirs = tmp_path / "theirs.age"
    assert run_age_on_tty(["-p", "-o", str(theirs), str(source)], "a long passphrase") == 0
    assert b"\n-> scrypt " in theirs.read_bytes()
    assert open_age(theirs.read_bytes(), [ScryptIdentity(b"a long passphrase")]) == b"from age -p"
