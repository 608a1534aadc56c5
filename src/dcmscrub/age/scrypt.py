"""age scrypt (passphrase) recipients and identities; an scrypt stanza must be a file's only one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from dcmscrub.age.format import WRAPPED_KEY_SIZE, ZERO_NONCE, RandomBytes, Stanza, b64decode, b64encode
from dcmscrub.errors import ConfigError, DecryptError

SCRYPT_SALT_SIZE: Final = 16
DEFAULT_SCRYPT_LOG_N: Final = 18
DEFAULT_MAX_SCRYPT_LOG_N: Final = 20
MAX_SCRYPT_LOG_N_ALLOWED: Final = 22  # age's own decoder ceiling; logN 22 already needs 4 GiB
_SCRYPT_LABEL: Final = b"age-encryption.org/v1/scrypt"
_DECIMAL = re.compile(r"[1-9][0-9]*")


def _check_passphrase(passphrase: bytes) -> None:
    if not isinstance(passphrase, bytes | bytearray) or not passphrase:
        raise ConfigError("the passphrase must be non-empty bytes")


def _scrypt_key(passphrase: bytes, salt: bytes, log_n: int) -> bytes:
    kdf = Scrypt(salt=_SCRYPT_LABEL + salt, length=32, n=1 << log_n, r=8, p=1)
    return kdf.derive(bytes(passphrase))


@dataclass(frozen=True, eq=False)
class ScryptRecipient:
    """Encrypt to a passphrase (scrypt stanza; must be the only recipient of a file)."""

    passphrase: bytes = field(repr=False)
    log_n: int = DEFAULT_SCRYPT_LOG_N

    def __post_init__(self) -> None:
        _check_passphrase(self.passphrase)
        if not 1 <= self.log_n <= MAX_SCRYPT_LOG_N_ALLOWED:
            raise ConfigError(f"the scrypt work factor must be between 1 and {MAX_SCRYPT_LOG_N_ALLOWED}")

    def wrap_file_key(self, file_key: bytes, random_bytes: RandomBytes) -> Stanza:
        salt = random_bytes(SCRYPT_SALT_SIZE)
        wrap_key = _scrypt_key(self.passphrase, salt, self.log_n)
        body = ChaCha20Poly1305(wrap_key).encrypt(ZERO_NONCE, file_key, None)
        return Stanza("scrypt", (b64encode(salt).decode("ascii"), str(self.log_n)), body)


@dataclass(frozen=True, eq=False)
class ScryptIdentity:
    """Decrypt with a passphrase; refuses work factors above ``max_log_n`` (a DoS guard)."""

    passphrase: bytes = field(repr=False)
    max_log_n: int = DEFAULT_MAX_SCRYPT_LOG_N

    def __post_init__(self) -> None:
        _check_passphrase(self.passphrase)

    def unwrap_file_key(self, stanza: Stanza, max_scrypt_log_n: int) -> bytes | None:
        if stanza.type != "scrypt":
            return None
        salt = b64decode(stanza.args[0].encode("ascii"), "scrypt salt")
        log_n = int(stanza.args[1])
        if log_n > min(self.max_log_n, max_scrypt_log_n):
            raise DecryptError(f"header: scrypt work factor {log_n} is above the cap")
        try:
            return ChaCha20Poly1305(_scrypt_key(self.passphrase, salt, log_n)).decrypt(
                ZERO_NONCE, stanza.body, None
            )
        except InvalidTag:
            return None


def check_scrypt_stanza(stanza: Stanza, count: int, max_log_n: int) -> None:
    if count != 1:
        raise DecryptError("header: scrypt stanza is not alone")
    if len(stanza.args) != 2:
        raise DecryptError("header: scrypt stanza must have exactly two arguments")
    if len(b64decode(stanza.args[0].encode("ascii"), "scrypt salt")) != SCRYPT_SALT_SIZE:
        raise DecryptError("header: scrypt salt is not 16 bytes")
    if not _DECIMAL.fullmatch(stanza.args[1]):
        raise DecryptError("header: scrypt work factor is not a plain decimal number")
    # the length test first: int() of a 5000-digit string raises, and no cap has 4 digits
    if len(stanza.args[1]) > 3 or int(stanza.args[1]) > max_log_n:
        raise DecryptError(f"header: scrypt work factor {stanza.args[1]} is above the cap {max_log_n}")
    if len(stanza.body) != WRAPPED_KEY_SIZE:
        raise DecryptError("header: scrypt stanza body is not 32 bytes")
