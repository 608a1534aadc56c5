"""age test helpers shared by tests/age and tests/batch: sealing and opening in memory, crafting
files byte by byte, and the tamper cases every reader of age files must reject (not a test module)."""

from __future__ import annotations

import functools
import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

from dcmscrub.age import (
    AgeWriter,
    Identity,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
    decrypt,
)
from dcmscrub.age.format import (
    CHUNK_SIZE,
    ENC_CHUNK_SIZE,
    VERSION_LINE,
    Stanza,
    b64encode,
    chunk_nonce,
    header_mac,
    hkdf,
)

KNOWN_IDENTITY = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
KNOWN_RECIPIENT = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

INTEROP_SIZES = [0, 1, 65535, 65536, 65537, 3 * 65536 + 5]


def seal(data: bytes, recipients: list[X25519Recipient] | list[ScryptRecipient], **kwargs: object) -> bytes:
    out = io.BytesIO()
    with AgeWriter(out, recipients, **kwargs) as writer:  # type: ignore[arg-type]
        writer.write(data)
    return out.getvalue()


def open_age(ct: bytes, identities: list[Identity], **kwargs: int) -> bytes:
    out = io.BytesIO()
    size = decrypt(io.BytesIO(ct), out, identities, **kwargs)
    assert size == len(out.getvalue())
    return out.getvalue()


def header_end(ct: bytes) -> int:
    """Offset just after the MAC line."""
    return ct.index(b"\n", ct.index(b"\n---") + 1) + 1


def flip(data: bytes, pos: int, bit: int = 0) -> bytes:
    out = bytearray(data)
    out[pos] ^= 1 << bit
    return bytes(out)


def payload_chunks(file_key: bytes, nonce: bytes, pieces: list[tuple[bytes, bool]]) -> bytes:
    """Hand-made STREAM payload, for cases AgeWriter refuses to produce."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    return nonce + b"".join(aead.encrypt(chunk_nonce(i, last), p, None) for i, (p, last) in enumerate(pieces))


def craft(stanzas: list[Stanza], file_key: bytes, payload: bytes) -> bytes:
    """An age file with the given stanzas and a correct header MAC for ``file_key``."""
    header = VERSION_LINE + b"".join(s.encode() for s in stanzas) + b"---"
    return header + b" " + b64encode(header_mac(file_key, header)) + b"\n" + payload


# --- shared tamper cases (also used by test_crypt_files) ----------------------------------------


@dataclass(frozen=True)
class Samples:
    identity: X25519Identity
    data: bytes  # 3 full chunks and a short one
    ct: bytes
    other_ct: bytes  # same data and recipient, another file key
    full_data: bytes  # exactly 2 chunks: the final chunk is full
    full_ct: bytes

    def chunk(self, i: int) -> int:
        return header_end(self.ct) + 16 + i * ENC_CHUNK_SIZE


@functools.cache
def samples() -> Samples:
    identity = X25519Identity.generate()
    rng = random.Random(1)
    data = rng.randbytes(3 * CHUNK_SIZE + 100)
    full = rng.randbytes(2 * CHUNK_SIZE)
    r = [identity.recipient]
    return Samples(identity, data, seal(data, r), seal(data, r), full, seal(full, r))


def _x25519_stanza(share: bytes, body: bytes = bytes(32)) -> Stanza:
    return Stanza("X25519", (b64encode(share).decode(),), body)


def _crafted(stanzas_for: Callable[[bytes, X25519Recipient], list[Stanza]]) -> Callable[[Samples], bytes]:
    def build(s: Samples) -> bytes:
        file_key = os.urandom(16)
        stanzas = stanzas_for(file_key, s.identity.recipient)
        return craft(stanzas, file_key, payload_chunks(file_key, os.urandom(16), [(b"hello", True)]))

    return build


def _own(file_key: bytes, recipient: X25519Recipient) -> Stanza:
    return recipient.wrap_file_key(file_key, os.urandom)


def _noncanonical(ct: bytes, start: int) -> bytes:
    """Make the 43-character base64 string at ``start`` non-canonical (a padding bit set)."""
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = start + 42
    index = alphabet.index(ct[last])
    out = bytearray(ct)
    out[last] = alphabet[index ^ 1]  # 32 bytes leave 2 unused bits: the lowest must be 0
    return bytes(out)


SHARE_AT = len(VERSION_LINE) + len(b"-> X25519 ")
BODY_AT = SHARE_AT + 44
LOW_ORDER_POINTS = [
    bytes(32),
    (1).to_bytes(32, "little"),
    bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
]

TamperCase = tuple[str, Callable[[Samples], bytes], str | None, Callable[[Samples], list[Identity]] | None]


def _wrong_identity(s: Samples) -> list[Identity]:
    return [X25519Identity.generate()]


TAMPER_CASES: list[TamperCase] = [
    ("magic bit", lambda s: flip(s.ct, 0), "header: not an age file", None),
    ("version line bit", lambda s: flip(s.ct, 19), "header: unsupported version line", None),
    ("stanza type bit", lambda s: flip(s.ct, SHARE_AT - 2), "no identity matched", None),
    ("stanza arg bit", lambda s: flip(s.ct, SHARE_AT + 5, 1), None, None),
    ("stanza body bit", lambda s: flip(s.ct, BODY_AT + 5, 1), None, None),
    ("header MAC bit", lambda s: flip(s.ct, header_end(s.ct) - 10, 1), None, None),
    ("payload nonce bit", lambda s: flip(s.ct, header_end(s.ct) + 3), "payload: chunk 0 failed", None),
    ("first chunk bit", lambda s: flip(s.ct, s.chunk(0) + 7), "payload: chunk 0 failed", None),
    (
        "middle chunk bit",
        lambda s: flip(s.ct, s.chunk(1) + 70000 - ENC_CHUNK_SIZE),
        "payload: chunk 1 failed",
        None,
    ),
    ("last chunk tag bit", lambda s: flip(s.ct, len(s.ct) - 1), "payload: chunk 3 failed", None),
    ("truncated at a chunk boundary", lambda s: s.ct[: s.chunk(3)], "payload: truncated", None),
    ("truncated inside a chunk", lambda s: s.ct[: s.chunk(1) + 1000], "payload: chunk 1 failed", None),
    ("truncated to header and nonce", lambda s: s.ct[: header_end(s.ct) + 16], "payload: truncated", None),
    (
        "truncated to header",
        lambda s: s.ct[: header_end(s.ct)],
        "header: missing or short payload nonce",
        None,
    ),
    ("truncated inside header", lambda s: s.ct[: header_end(s.ct) - 5], "header: truncated", None),
    (
        "dropped middle chunk",
        lambda s: s.ct[: s.chunk(1)] + s.ct[s.chunk(2) :],
        "payload: chunk 1 failed",
        None,
    ),
    (
        "swapped chunks",
        lambda s: (
            s.ct[: s.chunk(0)]
            + s.ct[s.chunk(1) : s.chunk(2)]
            + s.ct[s.chunk(0) : s.chunk(1)]
            + s.ct[s.chunk(2) :]
        ),
        "payload: chunk 0 failed",
        None,
    ),
    (
        "duplicated chunk",
        lambda s: s.ct[: s.chunk(1)] + s.ct[s.chunk(0) : s.chunk(1)] + s.ct[s.chunk(1) :],
        "payload: chunk 1 failed",
        None,
    ),
    ("trailing byte after short final chunk", lambda s: s.ct + b"\x00", "payload: chunk 3 failed", None),
    ("trailing byte after full final chunk", lambda s: s.full_ct + b"\x00", "payload: trailing data", None),
    (
        "trailing copy of the final chunk",
        lambda s: s.full_ct + s.full_ct[-ENC_CHUNK_SIZE:],
        "payload: trailing data",
        None,
    ),
    (
        "chunk spliced from another file",
        lambda s: s.ct[: s.chunk(1)] + s.other_ct[s.chunk(1) : s.chunk(2)] + s.ct[s.chunk(2) :],
        "payload: chunk 1 failed",
        None,
    ),
    ("wrong identity", lambda s: s.ct, "no identity matched", _wrong_identity),
    (
        "wrong passphrase",
        lambda s: seal(b"secret", [ScryptRecipient(b"right horse", log_n=10)]),
        "no identity matched",
        lambda s: [ScryptIdentity(b"wrong horse")],
    ),
    (
        "scrypt not alone",
        _crafted(
            lambda fk, r: [ScryptRecipient(b"pw", log_n=10).wrap_file_key(fk, os.urandom), _own(fk, r)],
        ),
        "header: scrypt stanza is not alone",
        lambda s: [s.identity, ScryptIdentity(b"pw")],
    ),
    (
        "scrypt work factor above the cap",
        _crafted(lambda fk, r: [Stanza("scrypt", (b64encode(bytes(16)).decode(), "21"), bytes(32))]),
        "header: scrypt work factor 21 is above the cap",
        lambda s: [ScryptIdentity(b"pw")],
    ),
    *[
        (
            f"low-order X25519 share {i}",
            _crafted(lambda fk, r, p=point: [_x25519_stanza(p), _own(fk, r)]),  # type: ignore[misc]
            "header: X25519 share gives an all-zero shared secret",
            None,
        )
        for i, point in enumerate(LOW_ORDER_POINTS)
    ],
    ("non-canonical share", lambda s: _noncanonical(s.ct, SHARE_AT), "header: non-canonical base64", None),
    ("non-canonical body", lambda s: _noncanonical(s.ct, BODY_AT), "header: non-canonical base64", None),
    (
        "non-canonical MAC",
        lambda s: _noncanonical(s.ct, header_end(s.ct) - 44),
        "header: non-canonical base64",
        None,
    ),
    (
        "more than 32 stanzas",
        _crafted(lambda fk, r: [*[Stanza("grease", (), b"") for _ in range(32)], _own(fk, r)]),
        "header: more than 32 stanzas",
        None,
    ),
    (
        "header over 64 KiB",
        _crafted(lambda fk, r: [Stanza("grease", (), bytes(70000)), _own(fk, r)]),
        "header: truncated or too large",
        None,
    ),
    (
        "empty final chunk after data",
        lambda s: _empty_final_chunk(s),
        "payload: empty final chunk",
        None,
    ),
    ("not an age file", lambda s: bytes(128) + b"DICM" + os.urandom(300), "header: not an age file", None),
    ("empty file", lambda s: b"", "header: not an age file", None),
]


def _empty_final_chunk(s: Samples) -> bytes:
    file_key = os.urandom(16)
    chunks = [(bytes(CHUNK_SIZE), False), (b"", True)]
    return craft(
        [_own(file_key, s.identity.recipient)], file_key, payload_chunks(file_key, os.urandom(16), chunks)
    )


def tampered(case: TamperCase) -> tuple[bytes, list[Identity]]:
    _, build, _, identities_for = case
    s = samples()
    return build(s), (identities_for(s) if identities_for else [s.identity])
