"""Keyed pseudonyms: format, determinism per key and namespace, date offsets."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import KEY, OTHER_KEY
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.errors import ConfigError

UID_RE = re.compile(r"^2\.25\.[1-9][0-9]{0,38}$")
uids = st.from_regex(r"\A[1-9][0-9]{0,3}(\.[1-9][0-9]{0,5}){2,8}\Z")


@settings(max_examples=300, deadline=None)
@given(uids)
def test_uids_are_uuid_v8_under_2_25(uid: str) -> None:
    new = Pseudonymizer(KEY, "ns").uid(uid)
    assert UID_RE.match(new) and len(new) <= 44
    u = uuid.UUID(int=int(new[5:]))
    assert u.version == 8 and u.variant == uuid.RFC_4122


@settings(max_examples=200, deadline=None)
@given(uids)
def test_uids_are_deterministic_per_key_and_namespace(uid: str) -> None:
    a = Pseudonymizer(KEY, "ns")
    assert a.uid(uid) == Pseudonymizer(KEY, "ns").uid(uid)
    assert a.uid(uid) != Pseudonymizer(OTHER_KEY, "ns").uid(uid)
    assert a.uid(uid) != Pseudonymizer(KEY, "other").uid(uid)
    assert a.uid(uid) == a.uid(uid + " ")  # DICOM padding does not change the identity


def test_standard_uids_never_change() -> None:
    p = Pseudonymizer(KEY, "ns")
    for uid in ("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.5.1"):
        assert p.uid(uid) == uid


def test_uid_root_stays_within_64_characters() -> None:
    root = "1.2.826.0.1.3680043.10.999.12345"  # 32 characters, the longest allowed
    p = Pseudonymizer(KEY, "ns", uid_root=root)
    new = p.uid("1.2.3.4")
    assert new.startswith(root + ".") and len(new) <= 64
    assert re.match(r"^[0-9.]+$", new) and ".0" not in new[len(root) :][:2]


def test_patient_codes() -> None:
    p = Pseudonymizer(KEY, "ns")
    pid = p.patient_id("MRN1", "HOSP A")
    assert re.match(r"^P[A-Z2-7]{16}$", pid)
    assert p.patient_name("MRN1", "HOSP A") == "PSEUDO^" + pid[1:]
    assert p.patient_id("MRN1", "HOSP B") != pid  # the same MRN at another issuer is another patient
    acc = p.accession("ACC1")
    assert re.match(r"^A[A-Z2-7]{15}$", acc) and len(acc) == 16  # fits SH
    assert len(p.code("StudyID", "S1", 16)) == 16


def test_length_prefixing_separates_fields() -> None:
    p = Pseudonymizer(KEY, "ns")
    assert p.patient_id("BC", "A") != p.patient_id("C", "AB")


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=1, max_size=20), st.integers(min_value=1, max_value=3650))
def test_date_offsets_are_never_zero_and_within_range(pid: str, days: int) -> None:
    offset = Pseudonymizer(KEY, "ns", date_shift_days=days).date_offset_days(pid)
    assert offset != 0 and -days <= offset <= days


def test_date_offsets_cover_both_signs() -> None:
    p = Pseudonymizer(KEY, "ns", date_shift_days=10)
    seen = {p.date_offset_days(f"P{i}") for i in range(400)}
    assert seen == set(range(-10, 0)) | set(range(1, 11))


def test_keys_must_be_256_bits() -> None:
    with pytest.raises(ConfigError):
        Pseudonymizer(b"short", "ns")


def test_shards_split_evenly_and_stably() -> None:
    p = Pseudonymizer(KEY, "ns")
    counts = [0, 0, 0, 0]
    for i in range(4000):
        counts[p.shard_of(f"dir/file{i}.dcm", 4)] += 1
    assert all(900 < c < 1100 for c in counts)
    assert p.shard_of("a/b.dcm", 4) == Pseudonymizer(KEY, "ns").shard_of("a/b.dcm", 4)
