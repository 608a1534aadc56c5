"""Bech32 (BIP-173) encoding, as age uses it for recipients and identities.

Differences from BIP-173, following age (https://c2sp.org/age): there is no 90-character limit
(age identities are longer), and the checksum is always computed over the *lowercase* human
readable part, so an uppercase string such as ``AGE-SECRET-KEY-1...`` is the uppercase form of a
valid lowercase Bech32 string. Only Bech32 (constant 1) is accepted, never Bech32m.

Errors never quote the input: these strings are often secret keys.
"""

from __future__ import annotations

__all__ = ["Bech32Error", "decode", "encode"]

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_INDEX = {c: i for i, c in enumerate(_CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_CHECKSUM_LEN = 6


class Bech32Error(ValueError):
    """A string is not valid Bech32 (the message says why, never what the string was)."""


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_GENERATOR):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _checksum(hrp: str, data: list[int]) -> list[int]:
    polymod = _polymod([*_hrp_expand(hrp), *data, 0, 0, 0, 0, 0, 0]) ^ 1
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(_CHECKSUM_LEN)]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, *, pad: bool) -> list[int]:
    acc = 0
    bits = 0
    out: list[int] = []
    max_value = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & max_value)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & max_value)
    elif bits >= from_bits or (acc << (to_bits - bits)) & max_value:
        # BIP-173: at most 4 bits of zero padding; anything else is a different encoding
        raise Bech32Error("invalid padding")
    return out


def encode(hrp: str, data: bytes) -> str:
    """Encode ``data`` under the human readable part ``hrp``, lowercase.

    Callers that need the uppercase form (age identities) call ``.upper()`` on the result.
    """
    if not hrp or any(not 33 <= ord(c) <= 126 for c in hrp):
        raise Bech32Error("invalid human readable part")
    hrp = hrp.lower()
    values = _convert_bits(data, 8, 5, pad=True)
    return hrp + "1" + "".join(_CHARSET[v] for v in [*values, *_checksum(hrp, values)])


def decode(text: str) -> tuple[str, bytes]:
    """Decode a Bech32 string into ``(lowercase hrp, data)``.

    Accepts an all-lowercase or all-uppercase string; mixed case is an error (BIP-173).
    """
    if any(not 33 <= ord(c) <= 126 for c in text):
        raise Bech32Error("invalid character")
    if text.lower() != text and text.upper() != text:
        raise Bech32Error("mixed case")
    text = text.lower()
    sep = text.rfind("1")
    if sep < 1:
        raise Bech32Error("missing human readable part or separator")
    if len(text) - sep - 1 < _CHECKSUM_LEN:
        raise Bech32Error("too short")
    hrp, rest = text[:sep], text[sep + 1 :]
    try:
        values = [_CHARSET_INDEX[c] for c in rest]
    except KeyError:
        raise Bech32Error("invalid character") from None
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise Bech32Error("invalid checksum")
    return hrp, bytes(_convert_bits(values[:-_CHECKSUM_LEN], 5, 8, pad=False))
