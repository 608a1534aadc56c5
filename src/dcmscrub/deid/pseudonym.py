"""Keyed pseudonyms: UIDs, patient codes and per-patient date offsets from one linkage secret.

Design: docs/crypto-audit.md section 3. Every pseudonym is an HMAC-SHA-256 under a
subkey derived with HKDF from the 256-bit linkage secret and the profile's namespace, one
subkey per kind (domain separation). Never a bare hash: MRNs, accession numbers and UIDs are
enumerable, so anyone could hash the candidates and match (section 3.5).

With the same secret and namespace, the same input maps to the same output in every file, run
and machine, so references between objects stay intact and shards of one tree agree.
"""

from __future__ import annotations

import base64
import hmac
import unicodedata
from hashlib import sha256

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dcmscrub.errors import ConfigError
from dcmscrub.standard.uids import is_well_known

UID_MAX = 64
_MEMO_LIMIT = 4096
_KINDS = ("uid", "pid", "name", "date", "accession", "audit", "code", "shard")


def canonical(value: str) -> bytes:
    """The bytes a value is keyed on: NFC text without DICOM padding (trailing spaces, NULs)."""
    return unicodedata.normalize("NFC", value.rstrip(" \x00").lstrip(" ")).encode("utf-8")


def _fields(*parts: str) -> bytes:
    # length-prefixed, so ("ab", "c") and ("a", "bc") never collide
    out = bytearray()
    for p in parts:
        b = canonical(p)
        out += len(b).to_bytes(4, "big") + b
    return bytes(out)


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


class Pseudonymizer:
    """Keyed pseudonyms for one linkage secret and one namespace.

    ``uid_root``: new UIDs sit under this root (at most 64 characters in all) instead of 2.25.
    ``date_shift_days``: offsets lie in [-R, -1] and [1, R], never 0.
    """

    def __init__(
        self,
        linkage_key: bytes,
        namespace: str,
        *,
        uid_root: str | None = None,
        date_shift_days: int = 365,
    ) -> None:
        if len(linkage_key) != 32:
            raise ConfigError(
                "the linkage secret must be 32 bytes", hint="make one with: dcmscrub keygen --linkage"
            )
        if date_shift_days < 1:
            raise ConfigError("the date-shift range must be at least 1 day")
        self.namespace = namespace
        self.uid_root = uid_root
        self.date_shift_days = date_shift_days
        self._keys = {kind: self._derive(linkage_key, kind, namespace) for kind in _KINDS}
        self._memo: dict[tuple[str, bytes], bytes] = {}

    @staticmethod
    def _derive(key: bytes, kind: str, namespace: str) -> bytes:
        info = f"dcmscrub/v1/{kind}/".encode() + namespace.encode("utf-8")
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)

    def _mac(self, kind: str, message: bytes) -> bytes:
        # study, series and frame-of-reference UIDs and patients repeat across the files of a
        # run: remember recent answers (bounded, so a long run's memory stays flat)
        key = (kind, message)
        hit = self._memo.get(key)
        if hit is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            hit = self._memo[key] = hmac.digest(self._keys[kind], message, sha256)
        return hit

    @property
    def audit_key(self) -> bytes:
        """The subkey for keyed digests in the audit log (input paths, contents)."""
        return self._keys["audit"]

    # -- UIDs ---------------------------------------------------------------------------

    def uid(self, uid: str) -> str:
        """The keyed replacement of an instance UID; the standard's own UIDs (PS3.6 Table A-1: SOP
        classes, transfer syntaxes, well-known instances) come back unchanged. Any other UID under
        ``1.2.840.10008.`` is an instance UID like any other and is remapped."""
        uid = uid.strip(" \x00")
        if not uid or is_well_known(uid):
            return uid
        d = bytearray(self._mac("uid", canonical(uid))[:16])
        if self.uid_root is None:
            # a UUIDv8 (RFC 9562) rendered under 2.25 (PS3.5 B.2): at most 44 characters
            d[6] = (d[6] & 0x0F) | 0x80
            d[8] = (d[8] & 0x3F) | 0x80
            return "2.25." + str(int.from_bytes(d, "big"))
        digits = min(39, UID_MAX - len(self.uid_root) - 1)
        value = int.from_bytes(self._mac("uid", b"root\x00" + canonical(uid)), "big") % (10**digits)
        return f"{self.uid_root}.{value or 1}"

    # -- patient codes --------------------------------------------------------------------

    def patient_code(self, patient_id: str, issuer: str = "") -> str:
        """16 base32 characters (80 bits) naming one patient of one issuer."""
        return _b32(self._mac("pid", _fields(issuer, patient_id))[:10])

    def patient_id(self, patient_id: str, issuer: str = "") -> str:
        """The pseudonymous PatientID: ``P`` and the patient code (17 characters)."""
        return "P" + self.patient_code(patient_id, issuer)

    def patient_name(self, patient_id: str, issuer: str = "") -> str:
        """The pseudonymous PatientName: ``PSEUDO^`` and the patient code (never a real-looking name)."""
        return "PSEUDO^" + self.patient_code(patient_id, issuer)

    def accession(self, accession: str, issuer: str = "") -> str:
        """The pseudonymous AccessionNumber: ``A`` and 15 base32 characters (fits SH)."""
        return "A" + _b32(self._mac("accession", _fields(issuer, accession))[:9])

    def code(self, label: str, value: str, length: int) -> str:
        """A keyed code for any other text element, ``length`` characters (at most 52)."""
        raw = _b32(self._mac("code", _fields(label, value)))
        return raw[: max(1, min(length, len(raw)))]

    # -- dates ----------------------------------------------------------------------------

    def date_offset_days(self, patient_id: str, issuer: str = "") -> int:
        """The patient's date shift in days: in [-R, -1] or [1, R], never 0 (section 3.4)."""
        r = self.date_shift_days
        v = int.from_bytes(self._mac("date", _fields(issuer, patient_id))[:8], "big") % (2 * r)
        return v - r if v < r else v - r + 1

    # -- sharding -------------------------------------------------------------------------

    def shard_of(self, relative_path: str, shards: int) -> int:
        """Which of ``shards`` shards (0-based) an input path belongs to, keyed so the split is
        the same on every machine that holds the secret and reveals nothing about paths."""
        return int.from_bytes(self._mac("shard", canonical(relative_path))[:8], "big") % shards
