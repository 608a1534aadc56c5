"""The age v1 file format (https://c2sp.org/age), byte for byte, on ``cryptography``: X25519 and
scrypt recipients, streaming encryption into any binary stream, strict streaming decryption.
The age project's own split: format (header), x25519, scrypt, stream (payload), bech32."""

from dcmscrub.age.format import CHUNK_SIZE, looks_like_age
from dcmscrub.age.scrypt import ScryptIdentity, ScryptRecipient
from dcmscrub.age.stream import AgeWriter, Identity, Recipient, decrypt, encrypt
from dcmscrub.age.x25519 import X25519Identity, X25519Recipient, parse_identity, parse_recipient

__all__ = [
    "CHUNK_SIZE",
    "AgeWriter",
    "Identity",
    "Recipient",
    "ScryptIdentity",
    "ScryptRecipient",
    "X25519Identity",
    "X25519Recipient",
    "decrypt",
    "encrypt",
    "looks_like_age",
    "parse_identity",
    "parse_recipient",
]
