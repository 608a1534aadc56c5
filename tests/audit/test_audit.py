"""Tests of the audit log (crypto-audit.md §4 and §5 rows L1-L8)."""

from __future__ import annotations

import base64
import errno
import fcntl
import hashlib
import hmac
import itertools
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dcmscrub
from dcmscrub.audit import line as audit_line
from dcmscrub.audit import operator as audit_operator
from dcmscrub.audit import placement as audit_placement
from dcmscrub.audit.line import (
    AUDIT_VERSION,
    CHECKPOINT_CONTEXT,
    GENESIS_PREV,
    audit_key_fingerprint,
    canonical_line,
    new_run_id,
)
from dcmscrub.audit.log import AuditLog, default_log_path
from dcmscrub.audit.operator import operator_info, tool_versions
from dcmscrub.audit.show import summarize_runs
from dcmscrub.audit.verify import VerifyResult, verify_log
from dcmscrub.errors import AuditWriteError, ExitCode, UsageError

HERE = Path(__file__).parent
WRITER = HERE.parent / "audit_writer.py"
DIGEST_KEY = bytes(range(32))
KEY_A = Ed25519PrivateKey.from_private_bytes(b"A" * 32)
KEY_B = Ed25519PrivateKey.from_private_bytes(b"B" * 32)
CANARIES = ("CANARY", "Smith", "John", "1.2.3.4", "19010203", "ZZQ")
TS_START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


# ----------------------------------------------------------------------------------------- helpers


class TickClock:
    """A clock that moves 1 ms forward on every call."""

    def __init__(self, start: datetime = TS_START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def make_log(path: Path, signer: Ed25519PrivateKey | None = None, **kwargs: Any) -> AuditLog:
    return AuditLog(path, digest_key=DIGEST_KEY, signer=signer, clock=TickClock(), **kwargs)


def start_fields(log: AuditLog, *, output_root_id: str = "root-A") -> dict[str, object]:
    """A run_start the way the runner writes it (digests only, never a path)."""
    return {
        "operator": operator_info(os.environ),
        "tool": tool_versions(),
        "command": "scrub",
        "args": {"profile": "basic", "workers": 4, "dry_run": False},
        "profile": {"name": "basic", "sha256": "ab" * 32, "options": ["clean_descriptors"]},
        "keys": {
            "recipients": ["x25519:" + "1f" * 16],
            "recipient_set_sha256": "cd" * 32,
            "linkage_key_id": "ephemeral",
            "audit_key": log.key_id,
        },
        "input_roots": [log.digest("/data/CANARY_DIR")],
        "output_root_id": output_root_id,
        "output_root_digest": log.digest("/data/out"),
    }


def pseudo_output(index: int) -> str:
    return f"P3KQ7ZX/2.25.1111{index}/2.25.2222{index}/2.25.3333{index}.dcm.age"


def file_fields(
    log: AuditLog, rel_input: str, content: bytes, outcome: str, output: str | None, out_bytes: bytes
) -> dict[str, object]:
    """A file record the way the runner writes it."""
    written = outcome == "written"
    return {
        "input": log.digest(rel_input),
        "input_hmac": log.digest(content),
        "output": output if written else None,
        "output_sha256": hashlib.sha256(out_bytes).hexdigest() if written else None,
        "outcome": outcome,
        "error_code": None if outcome in ("written", "skipped") else "parse_error",
        "bytes_in": len(content),
        "bytes_out": len(out_bytes) if written else 0,
        "ms": 12,
    }


def end_fields(outcomes: list[str]) -> dict[str, object]:
    counts: dict[str, int] = dict(Counter(outcomes))
    counts["total"] = len(outcomes)
    bad = any(o in ("failed", "quarantined") for o in outcomes)
    return {"counts": counts, "status": "partial" if bad else "ok", "exit_code": 3 if bad else 0}


RUN_OUTCOMES = (
    ["written", "written", "skipped", "written"],
    ["written", "failed", "written", "quarantined"],
    ["exists", "written", "written", "written"],
)


def write_run(
    log: AuditLog,
    run_id: str,
    outcomes: list[str],
    *,
    output_root_id: str = "root-A",
    out_dir: Path | None = None,
    first_index: int = 0,
    end: bool = True,
) -> None:
    """One complete run. With ``out_dir``, written outputs are also created there."""
    log.append("run_start", run_id, start_fields(log, output_root_id=output_root_id))
    for offset, outcome in enumerate(outcomes):
        index = first_index + offset
        content = f"CANARY^PHI^ZZQ CANARY123456 19010203 #{index}".encode()
        out_bytes = f"age ciphertext {run_id} {index}".encode()
        output = pseudo_output(index)
        if out_dir is not None and outcome == "written":
            target = out_dir / output
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(out_bytes)
        log.append(
            "file",
            run_id,
            file_fields(
                log, f"CANARY_DIR/Smith^John/1.2.3.4.{index}.dcm", content, outcome, output, out_bytes
            ),
        )
    if end:
        log.append("run_end", run_id, end_fields(outcomes))


def build_log(path: Path, signer: Ed25519PrivateKey | None = None) -> AuditLog:
    """Three runs of 6 lines each: seq 0-5, 6-11 (run_end at 11), 12-17 (run_end at 17)."""
    log = make_log(path, signer)
    for number, outcomes in enumerate(RUN_OUTCOMES):
        write_run(log, f"run-{number}", outcomes, first_index=10 * number)
    return log


def read_lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def write_lines(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def record_at(path: Path, index: int) -> dict[str, Any]:
    return dict(json.loads(read_lines(path)[index]))


def replace_in_line(path: Path, index: int, old: bytes, new: bytes) -> None:
    lines = read_lines(path)
    assert lines[index].count(old) == 1, (index, old)
    lines[index] = lines[index].replace(old, new)
    write_lines(path, lines)


def chain(records: list[dict[str, Any]], prev: str = GENESIS_PREV) -> tuple[list[bytes], str]:
    """Renumber ``records`` from seq 0 and chain them after ``prev``; return the lines and the last hash."""
    lines = []
    for seq, record in enumerate(records):
        record = {k: v for k, v in record.items() if k not in audit_line.SIGNATURE_KEYS}
        record.update(seq=seq, prev=prev)
        line = canonical_line(record)
        prev = hashlib.sha256(line[:-1]).hexdigest()
        lines.append(line)
    return lines, prev


def run_writer(log_path: Path, count: int, mode: str, go: Path | None = None) -> subprocess.Popen[bytes]:
    args = [sys.executable, str(WRITER), str(log_path), str(count), mode]
    if go is not None:
        args.append(str(go))
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# ------------------------------------------------------------------------------------ small helpers


def test_default_log_path_order() -> None:
    assert default_log_path({"DCMSCRUB_LOG": "/x/a.jsonl", "XDG_STATE_HOME": "/s", "HOME": "/h"}) == Path(
        "/x/a.jsonl"
    )
    assert default_log_path({"XDG_STATE_HOME": "/s", "HOME": "/h"}) == Path("/s/dcmscrub/audit.jsonl")
    assert default_log_path({"HOME": "/h"}) == Path("/h/.local/state/dcmscrub/audit.jsonl")
    # XDG: a relative state home is invalid and ignored
    assert default_log_path({"XDG_STATE_HOME": "rel", "HOME": "/h"}) == Path(
        "/h/.local/state/dcmscrub/audit.jsonl"
    )
    assert default_log_path({"DCMSCRUB_LOG": "", "HOME": "/h"}) == Path(
        "/h/.local/state/dcmscrub/audit.jsonl"
    )


def test_canonical_line_is_sorted_compact_ascii() -> None:
    line = canonical_line({"b": 1, "a": {"z": "é", "y": [1, 2]}})
    assert line == b'{"a":{"y":[1,2],"z":"\\u00e9"},"b":1}\n'
    with pytest.raises(ValueError):
        canonical_line({"x": float("nan")})


def test_new_run_id_is_uuid7_from_injected_clock_and_randomness() -> None:
    when = datetime(2026, 3, 4, 5, 6, 7, 891000, tzinfo=UTC)
    run_id = new_run_id(lambda: when, lambda n: b"\xff" * n)
    parsed = uuid.UUID(run_id)
    assert str(parsed) == run_id
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert parsed.int >> 80 == (when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
    assert parsed.int & ((1 << 62) - 1) == (1 << 62) - 1  # the random tail comes from random_bytes
    assert new_run_id(lambda: when, lambda n: b"\x00" * n) != run_id
    assert new_run_id(lambda: when, lambda n: b"\xff" * n) == run_id
    later = new_run_id(lambda: when + timedelta(milliseconds=1), lambda n: b"\x00" * n)
    assert later > run_id  # time-ordered as strings
    with pytest.raises(ValueError):
        new_run_id(lambda: datetime(2026, 1, 1), os.urandom)  # naive


def test_digest_is_keyed_hmac() -> None:
    log = AuditLog(Path("unused"), digest_key=DIGEST_KEY)
    path = "CANARY_DIR/Smith^John/1.2.3.4.dcm"
    expected = hmac.new(DIGEST_KEY, path.encode(), hashlib.sha256).hexdigest()
    assert log.digest(path) == expected == log.digest(path.encode())
    assert log.digest(path) != hashlib.sha256(path.encode()).hexdigest()
    other = AuditLog(Path("unused"), digest_key=bytes(32))
    assert other.digest(path) != log.digest(path)
    with pytest.raises(ValueError):
        AuditLog(Path("unused"), digest_key=b"short")


def test_tool_versions() -> None:
    versions = tool_versions()
    assert versions == {
        "name": "dcmscrub",
        "version": dcmscrub.__version__,
        "python": versions["python"],
        "pydicom": metadata.version("pydicom"),
        "cryptography": metadata.version("cryptography"),
    }
    assert versions["python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}")


@pytest.fixture
def fake_proc(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[int, tuple[str, int]], bool], None]:
    """Replace the /proc readers: {pid: (comm, ppid)} and whether stdin/stderr is a terminal."""

    def install(table: dict[int, tuple[str, int]], tty: bool) -> None:
        monkeypatch.setattr(os, "getppid", lambda: 500)
        monkeypatch.setattr(audit_operator, "_proc_comm", lambda pid: table[pid][0] if pid in table else None)
        monkeypatch.setattr(audit_operator, "_proc_ppid", lambda pid: table[pid][1] if pid in table else None)
        monkeypatch.setattr(audit_operator, "_isatty", lambda fd: tty)

    return install


def test_operator_info_invoked_via(fake_proc: Callable[[dict[int, tuple[str, int]], bool], None]) -> None:
    fake_proc({500: ("bash", 400), 400: ("sshd", 1)}, True)
    info = operator_info({})
    assert info["invoked_via"] == "tty"
    assert info["tty"] is True
    assert info["ppid"] == 500
    assert info["pid"] == os.getpid()
    assert {"user", "uid", "euid", "host"} <= info.keys()
    assert "sudo_user" not in info
    json.dumps(info)

    fake_proc({500: ("bash", 400), 400: ("sshd", 1)}, False)
    assert operator_info({})["invoked_via"] == "script"
    assert operator_info({"INVOCATION_ID": "abc"})["invoked_via"] == "systemd"

    fake_proc({500: ("cron", 1)}, False)
    assert operator_info({})["invoked_via"] == "cron"
    fake_proc({500: ("sh", 450), 450: ("CRON", 300), 300: ("cron", 1)}, False)
    assert operator_info({})["invoked_via"] == "cron"
    fake_proc({500: ("sh", 450), 450: ("crond", 1)}, True)
    assert operator_info({"INVOCATION_ID": "x"})["invoked_via"] == "systemd"


def test_operator_info_sudo_user_only_when_safe(
    fake_proc: Callable[[dict[int, tuple[str, int]], bool], None],
) -> None:
    fake_proc({}, False)
    assert operator_info({"SUDO_USER": "alice"})["sudo_user"] == "alice"
    assert operator_info({"SUDO_USER": "Smith^John <CANARY>"})["sudo_user"] == "?"


# ------------------------------------------------------------------------------------------ append


def test_append_chain_and_common_fields(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    first = log.append("run_start", "run-1", {"command": "scrub"})
    second = log.append("run_end", "run-1", {"counts": {"total": 0}, "status": "ok", "exit_code": 0})
    lines = read_lines(path)
    assert [json.loads(line) for line in lines] == [first, second]
    assert all(canonical_line(json.loads(line)) == line for line in lines)
    assert first["seq"] == 0 and first["prev"] == GENESIS_PREV
    assert second["seq"] == 1 and second["prev"] == hashlib.sha256(lines[0][:-1]).hexdigest()
    assert first["v"] == AUDIT_VERSION == 1
    assert first["ts"] == "2026-01-02T03:04:05.001000Z"
    assert "sig" not in second  # no signer
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("key", sorted(audit_line.COMMON_KEYS | audit_line.SIGNATURE_KEYS))
def test_append_refuses_reserved_keys(tmp_path: Path, key: str) -> None:
    path = tmp_path / "audit.jsonl"
    with pytest.raises(ValueError) as caught:
        make_log(path).append("file", "run-1", {key: "CANARY-VALUE"})
    assert "CANARY" not in str(caught.value)
    assert not path.exists()


@pytest.mark.parametrize(
    "fields",
    [{"x": float("nan")}, {"x": object()}, {"x": {1: "a"}}, {"x": b"bytes"}],
    ids=["nan", "object", "int-key", "bytes"],
)
def test_append_refuses_values_that_are_not_canonical_json(tmp_path: Path, fields: dict[str, object]) -> None:
    path = tmp_path / "audit.jsonl"
    with pytest.raises(ValueError):
        make_log(path).append("file", "run-1", fields)
    assert not path.exists()


def test_append_refuses_bad_event_and_run_id(tmp_path: Path) -> None:
    log = make_log(tmp_path / "audit.jsonl")
    for event in ("repair", "Run Start", ""):
        with pytest.raises(ValueError):
            log.append(event, "run-1", {})
    with pytest.raises(ValueError):
        log.append("file", "Smith^John", {})


def test_short_writes_are_completed_under_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    calls = []

    def dribble(fd: int, data: bytes) -> int:
        calls.append(len(data))
        return os.write(fd, data[:7])

    log = make_log(path, fault_injection_write=dribble)
    write_run(log, "run-1", ["written", "skipped"])
    assert len(calls) > 4 * 10  # every line took many writes
    result = verify_log([path])
    assert result.ok, result


def test_signed_checkpoint_construction(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, KEY_A)
    returned = log.append("run_start", "run-1", {"command": "scrub"})
    assert "sig" not in returned  # only run_end is a checkpoint
    end = log.append("run_end", "run-1", {"counts": {"total": 0}, "status": "ok", "exit_code": 0})
    line = read_lines(path)[1]
    assert json.loads(line) == end
    body = {k: v for k, v in end.items() if k not in ("checkpoint", "sig", "sig_alg", "key")}
    head = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    ).hexdigest()
    assert body["prev"] == hashlib.sha256(read_lines(path)[0][:-1]).hexdigest()  # head covers the chain
    assert end["checkpoint"] == {"seq": 1, "head": head}
    assert end["sig_alg"] == "ed25519"
    raw_pub = KEY_A.public_key().public_bytes_raw()
    assert end["key"] == "ed25519:" + hashlib.sha256(raw_pub).hexdigest()[:32] == log.key_id
    assert end["key"] == audit_key_fingerprint(KEY_A.public_key())
    KEY_A.public_key().verify(base64.b64decode(end["sig"]), b"dcmscrub-audit-checkpoint-v1\n" + head.encode())
    assert CHECKPOINT_CONTEXT == b"dcmscrub-audit-checkpoint-v1\n"


def test_append_reads_only_the_tail_of_a_large_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    log.append("run_start", "run-1", {"command": "scrub"})
    last = read_lines(path)[0]
    filler = b'{"filler":"' + b"x" * 1000 + b'"}\n'
    path.write_bytes(filler * 8000 + last)  # ~8 MB before the last line
    read_bytes = []
    real_pread = os.pread

    def counting_pread(fd: int, size: int, offset: int) -> bytes:
        read_bytes.append(size)
        return real_pread(fd, size, offset)

    monkeypatch.setattr(os, "pread", counting_pread)
    record = log.append("file", "run-1", {"outcome": "written"})
    assert record["seq"] == 1
    assert record["prev"] == hashlib.sha256(last[:-1]).hexdigest()
    assert 0 < sum(read_bytes) < 64 * 1024


def test_append_refuses_a_damaged_last_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b'{"seq":"CANARY"}\n')
    path.chmod(0o600)
    with pytest.raises(AuditWriteError) as caught:
        make_log(path).append("file", "run-1", {})
    assert str(path) in caught.value.message
    assert "CANARY" not in caught.value.message
    assert path.read_bytes() == b'{"seq":"CANARY"}\n'


def test_append_follows_a_rotation_between_open_and_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    log.append("run_start", "run-1", {})
    rotated = tmp_path / "audit-20260101-1.jsonl"
    real_flock = fcntl.flock
    renamed: list[bool] = []

    def rotating_flock(fd: int, operation: int) -> None:
        if operation == fcntl.LOCK_EX and not renamed:
            path.rename(rotated)  # another process rotates the log just before we get the lock
            renamed.append(True)
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", rotating_flock)
    record = log.append("file", "run-1", {"outcome": "skipped"})
    assert renamed
    assert len(read_lines(rotated)) == 1  # the rotated file got nothing
    assert record["seq"] == 0
    assert json.loads(read_lines(path)[0]) == record


# ------------------------------------------------------------------------------- verify: clean logs


def test_verify_clean_multi_run_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    build_log(path)
    lines = read_lines(path)
    assert len(lines) == 18
    assert [json.loads(line)["seq"] for line in lines] == list(range(18))
    result = verify_log([path])
    assert result == VerifyResult(ok=True, lines=18, runs=3, warnings=["3 run_end record(s) are not signed"])
    assert json.loads(result.to_json())["ok"] is True


def test_verify_signed_log_with_and_without_public_keys(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    build_log(path, KEY_A)
    checked = verify_log([path], public_keys=[KEY_B.public_key(), KEY_A.public_key()])
    assert checked.ok and checked.warnings == []
    unchecked = verify_log([path])
    assert unchecked.ok
    assert any("no public key was given" in w for w in unchecked.warnings)


def test_verify_empty_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b"")
    assert verify_log([path]) == VerifyResult(ok=True, lines=0, runs=0)


def test_verify_unreadable_log_is_a_usage_error_exit_2(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        verify_log([tmp_path / "missing.jsonl"])
    assert info.value.exit_code == 2


# ------------------------------------------------------------------------------ verify: tampering


@pytest.fixture
def plain_log(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    build_log(path)
    assert verify_log([path]).ok
    return path


@pytest.fixture
def signed_log(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    build_log(path, KEY_A)
    assert verify_log([path], public_keys=[KEY_A.public_key()]).ok
    return path


def assert_bad(result: VerifyResult, seq: int | None, problem: str) -> None:
    """``problem`` is the whole message, or its start up to ": " (the file's name follows)."""
    assert not result.ok, result
    text = result.problem or ""
    assert (result.first_bad_seq, text if text == problem else text.partition(": ")[0]) == (seq, problem), (
        result
    )


def test_tamper_edited_byte_in_a_middle_record(plain_log: Path) -> None:
    replace_in_line(plain_log, 8, b'"ms":12', b'"ms":13')
    assert_bad(verify_log([plain_log]), 8, "the next line's prev does not match this line")


def test_tamper_edited_seq(plain_log: Path) -> None:
    replace_in_line(plain_log, 8, b'"seq":8', b'"seq":9')
    assert_bad(verify_log([plain_log]), 8, "seq 9 follows 7")


def test_tamper_edited_prev(plain_log: Path) -> None:
    prev = record_at(plain_log, 8)["prev"].encode()
    replace_in_line(plain_log, 8, prev, prev[:-1] + (b"0" if prev[-1:] != b"0" else b"1"))
    # the earlier line of the broken link is reported: line 8's prev or line 7 itself changed
    assert_bad(verify_log([plain_log]), 7, "the next line's prev does not match this line")


def test_tamper_deleted_middle_line(plain_log: Path) -> None:
    lines = read_lines(plain_log)
    del lines[8]
    write_lines(plain_log, lines)
    assert_bad(verify_log([plain_log]), 8, "seq 9 follows 7")


def test_tamper_reordered_lines(plain_log: Path) -> None:
    lines = read_lines(plain_log)
    lines[8], lines[9] = lines[9], lines[8]
    write_lines(plain_log, lines)
    assert_bad(verify_log([plain_log]), 8, "seq 9 follows 7")


def test_tamper_inserted_line(plain_log: Path) -> None:
    lines = read_lines(plain_log)
    forged = dict(json.loads(lines[8]))
    forged["output"] = "FORGED/2.25.9.dcm.age"
    forged["prev"] = hashlib.sha256(lines[7][:-1]).hexdigest()  # chains to line 7, takes seq 8
    lines.insert(8, canonical_line(forged))
    write_lines(plain_log, lines)
    assert_bad(verify_log([plain_log]), 8, "seq 8 appears twice (a line was inserted)")


def test_tamper_replayed_line(plain_log: Path) -> None:
    lines = read_lines(plain_log)
    lines.insert(9, lines[8])
    write_lines(plain_log, lines)
    assert_bad(verify_log([plain_log]), 8, "seq 8 appears twice (a line was inserted)")


def test_tamper_changed_count_in_run_end(plain_log: Path) -> None:
    replace_in_line(plain_log, 11, b'"total":4', b'"total":5')
    assert_bad(verify_log([plain_log]), 11, "run_end counts do not match its file records")


def test_tamper_changed_outcome_with_consistent_counts_still_breaks_the_chain(plain_log: Path) -> None:
    # the attacker turns a failure into a success and fixes the counts: the chain still breaks
    replace_in_line(plain_log, 8, b'"outcome":"failed"', b'"outcome":"written"')
    replace_in_line(plain_log, 11, b'"failed":1,', b"")
    replace_in_line(plain_log, 11, b'"written":2', b'"written":3')
    assert_bad(verify_log([plain_log]), 8, "the next line's prev does not match this line")


def test_tamper_changed_count_in_signed_run_end(signed_log: Path) -> None:
    replace_in_line(signed_log, 11, b'"total":4', b'"total":5')
    assert_bad(
        verify_log([signed_log], public_keys=[KEY_A.public_key()]),
        11,
        "checkpoint head does not match the line",
    )


def test_tamper_last_line_of_signed_log(signed_log: Path) -> None:
    replace_in_line(signed_log, 17, b'"exit_code":0', b'"exit_code":1')
    assert_bad(verify_log([signed_log]), 17, "checkpoint head does not match the line")


def test_tamper_forged_signature(signed_log: Path) -> None:
    sig = record_at(signed_log, 11)["sig"].encode()
    forged = base64.b64encode(os.urandom(64))
    replace_in_line(signed_log, 11, sig, forged)
    assert_bad(verify_log([signed_log], public_keys=[KEY_A.public_key()]), 11, "bad signature")


def test_tamper_resigned_by_another_key_under_the_original_key_id(signed_log: Path) -> None:
    lines = read_lines(signed_log)
    record = json.loads(lines[17])
    record["exit_code"] = 1
    record["checkpoint"]["head"] = audit_line.checkpoint_head(record)
    signature = KEY_B.sign(CHECKPOINT_CONTEXT + record["checkpoint"]["head"].encode())
    record["sig"] = base64.b64encode(signature).decode()
    lines[17] = canonical_line(record)
    write_lines(signed_log, lines)
    assert_bad(verify_log([signed_log], public_keys=[KEY_A.public_key()]), 17, "bad signature")


def test_tamper_noncanonical_signature_encoding(signed_log: Path) -> None:
    # 64 bytes in base64 leave 4 unused bits in the last character: changing them must not pass
    sig = record_at(signed_log, 17)["sig"]
    last = sig[-3]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    twin = alphabet[alphabet.index(last) ^ 1]
    assert base64.b64decode(sig[:-3] + twin + "==") == base64.b64decode(sig)
    replace_in_line(signed_log, 17, sig.encode(), (sig[:-3] + twin + "==").encode())
    assert_bad(verify_log([signed_log], public_keys=[KEY_A.public_key()]), 17, "bad signature")


def test_signature_by_another_key(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    build_log(path, KEY_B)
    result = verify_log([path], public_keys=[KEY_A.public_key()])
    assert_bad(result, 5, "run_end is signed by a key that is not among the given public keys")


def test_stripped_signature_when_public_keys_are_given(signed_log: Path) -> None:
    lines = read_lines(signed_log)
    record = {k: v for k, v in json.loads(lines[17]).items() if k not in audit_line.SIGNATURE_KEYS}
    lines[17] = canonical_line(record)
    write_lines(signed_log, lines)
    assert_bad(verify_log([signed_log], public_keys=[KEY_A.public_key()]), 17, "run_end is not signed")
    without_keys = verify_log([signed_log])
    assert without_keys.ok  # the chain cannot tell: hence --pubkey, and the warning
    assert "1 run_end record(s) are not signed" in without_keys.warnings


def test_stripped_signature_in_the_middle(signed_log: Path) -> None:
    lines = read_lines(signed_log)
    record = {k: v for k, v in json.loads(lines[5]).items() if k not in audit_line.SIGNATURE_KEYS}
    lines[5] = canonical_line(record)
    write_lines(signed_log, lines)
    assert_bad(verify_log([signed_log], public_keys=[KEY_A.public_key()]), 5, "run_end is not signed")
    assert_bad(verify_log([signed_log]), 5, "the next line's prev does not match this line")


def test_tamper_noncanonical_json(plain_log: Path) -> None:
    replace_in_line(plain_log, 3, b'"ms":12', b'"ms": 12')
    assert_bad(verify_log([plain_log]), 3, "line is not canonical JSON")


def test_tamper_version(plain_log: Path) -> None:
    replace_in_line(plain_log, 3, b'"v":1', b'"v":2')
    assert_bad(verify_log([plain_log]), 3, "unsupported record version")


def test_tamper_first_prev(plain_log: Path) -> None:
    replace_in_line(plain_log, 0, b'"prev":"' + b"0" * 64, b'"prev":"' + b"0" * 63 + b"1")
    assert_bad(verify_log([plain_log]), 0, "the first line's prev is not 64 zeros")


def test_torn_tail_without_repair_fails(plain_log: Path) -> None:
    data = plain_log.read_bytes()
    plain_log.write_bytes(data[:-40])
    assert_bad(
        verify_log([plain_log]), 17, "the last line is incomplete (a torn write that no append has repaired)"
    )


# ------------------------------------------------------------------------------ verify: pairing


def test_run_end_without_run_start(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", ["written"])
    log.append("run_end", "run-2", end_fields([]))
    assert_bad(verify_log([path]), 3, "run_end without run_start")


def test_file_record_without_run_start(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", ["written"])
    log.append("file", "run-1", {"outcome": "written"})  # after its run_end
    assert_bad(verify_log([path]), 3, "file record without a run_start of its run before it")


def test_unended_run_at_the_tail_may_still_be_running(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", ["written"])
    write_run(log, "run-2", ["written", "written"], end=False)
    write_run(log, "run-3", ["written"], end=False)  # two concurrent runs, both still going
    result = verify_log([path])
    assert result.ok, result
    assert result.warnings[:2] == [
        "run starting at seq 3 has no run_end yet (it may still be running)",
        "run starting at seq 6 has no run_end yet (it may still be running)",
    ]


def test_unended_run_before_a_later_finished_run_is_a_warning(tmp_path: Path) -> None:
    """A long, quiet run whose mark is out of sight (another user's folder, a copy of the log)
    must not fail the log: a cut-off end is what anchors catch (see test_anchors.py)."""
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", ["written"], end=False)
    write_run(log, "run-2", ["written"])
    result = verify_log([path])
    assert result.ok, result
    assert result.warnings[0] == (
        "run starting at seq 0 has no run_end and other runs ended after it:"
        " it may still be running (its run mark is out of sight) or it was killed"
    )


def test_an_unended_run_whose_mark_is_held_is_still_running(tmp_path: Path) -> None:
    """A long, quiet run followed by a finished one: its held mark says it is alive."""
    from dcmscrub.audit.journal import hold_run_mark

    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    live = "01a22312-4bd5-7e9c-b214-2291befd00ac"
    write_run(log, live, ["written"], end=False)
    write_run(log, "run-2", ["written"])
    assert verify_log([path]).ok  # no mark: a warning
    mark = hold_run_mark(path, live)
    result = verify_log([path])
    assert result.ok, result
    assert result.warnings[0] == "run starting at seq 0 has no run_end yet: its process is still running"
    mark.abandon()  # the process died; no run has written to the log since
    result = verify_log([path])
    assert result.ok, result
    assert result.warnings[0] == (
        "run starting at seq 0 was interrupted (its process died);"
        " the next run that writes to this log records it as abandoned"
    )
    assert verify_log([path]).warnings == result.warnings  # verify reaps nothing


@pytest.mark.parametrize(
    ("outcomes", "status", "exit_code"),
    [
        (["written", "quarantined"], "ok", 0),  # a quarantine is not ok
        (["written"], "partial", 3),  # partial with nothing failed
        (["written"], "ok", 3),
        (["written"], "interrupted", 0),
        (["written"], "failed", 0),
        (["written"], "done", 0),
    ],
)
def test_a_run_end_whose_status_contradicts_its_counts_is_detected(
    tmp_path: Path, outcomes: list[str], status: str, exit_code: int
) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", outcomes, end=False)
    log.append("run_end", "run-1", end_fields(outcomes) | {"status": status, "exit_code": exit_code})
    assert_bad(
        verify_log([path]), len(outcomes) + 1, "run_end status and exit code do not agree with its counts"
    )


@pytest.mark.parametrize(
    ("status", "exit_code"), [("interrupted", 130), ("interrupted", 143), ("failed", 74)]
)
def test_interrupted_and_failed_runs_agree_with_any_counts(
    tmp_path: Path, status: str, exit_code: int
) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    outcomes = ["written", "failed"]
    write_run(log, "run-1", outcomes, end=False)
    log.append("run_end", "run-1", end_fields(outcomes) | {"status": status, "exit_code": exit_code})
    assert verify_log([path]).ok


def test_a_run_recorded_as_abandoned_is_closed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", ["written"], end=False)  # killed: seq 0-1
    log.append("run_start", "run-2", start_fields(log))  # seq 2
    log.append("run_abandoned", "run-2", {"abandoned_run": "run-1"})  # seq 3
    log.append("run_end", "run-2", end_fields([]))
    result = verify_log([path])
    assert result.ok, result
    assert "run starting at seq 0 was interrupted (its process died); recorded as abandoned at seq 3" in (
        result.warnings
    )
    rows = {row.run_id: row for row in summarize_runs([path])}
    assert rows["run-1"].status == "abandoned"


def test_run_abandoned_naming_an_ended_run_is_only_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", ["written"])  # its run_end made it, its mark did not go
    log.append("run_start", "run-2", start_fields(log))
    log.append("run_abandoned", "run-2", {"abandoned_run": "run-1"})  # seq 4
    log.append("run_end", "run-2", end_fields([]))
    result = verify_log([path])
    assert result.ok, result
    assert "run_abandoned at seq 4 names a run that is not open" in result.warnings


@pytest.mark.parametrize(
    ("run_id", "fields", "problem"),
    [
        ("run-9", {"abandoned_run": "run-1"}, "run_abandoned outside a started run"),
        ("run-2", {}, "run_abandoned without a valid abandoned_run"),
        ("run-2", {"abandoned_run": "run-2"}, "run_abandoned without a valid abandoned_run"),
    ],
)
def test_bad_run_abandoned_records_are_errors(
    tmp_path: Path, run_id: str, fields: dict[str, object], problem: str
) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    write_run(log, "run-1", ["written"], end=False)
    log.append("run_start", "run-2", start_fields(log))
    log.append("run_abandoned", run_id, fields)  # seq 3
    log.append("run_end", "run-2", end_fields([]))
    assert_bad(verify_log([path]), 3, problem)


# ------------------------------------------------------------------------------ rotated files


def split_into_files(path: Path, cut: list[int]) -> list[Path]:
    """Rewrite a log as rotated files that chain into each other, cut before the given lines."""
    records = [json.loads(line) for line in read_lines(path)]
    bounds = [0, *cut, len(records)]
    paths, prev = [], GENESIS_PREV
    for number, (start, stop) in enumerate(itertools.pairwise(bounds)):
        lines, prev = chain(records[start:stop], prev)
        part = path.with_name(f"audit-{number}.jsonl")
        write_lines(part, lines)
        paths.append(part)
    return paths


def test_rotated_files_chain(plain_log: Path) -> None:
    a, b, c = split_into_files(plain_log, [6, 12])
    result = verify_log([a, b, c])
    assert result.ok and result.lines == 18 and result.runs == 3, result
    dropped = verify_log([a, c])
    assert_bad(dropped, 5, "the next file's first line does not chain to this line")
    assert dropped.first_bad_file == str(a)
    assert_bad(verify_log([b, a, c]), 0, "the first line's prev is not 64 zeros")
    assert_bad(verify_log([b]), 0, "the first line's prev is not 64 zeros")


def test_rotated_files_report_the_file(plain_log: Path) -> None:
    a, b = split_into_files(plain_log, [9])  # a run spans both files
    assert verify_log([a, b]).ok
    replace_in_line(b, 4, b'"seq":4', b'"seq":5')
    result = verify_log([a, b])
    assert_bad(result, 4, "seq 5 follows 3")
    assert result.first_bad_file == str(b)


# ------------------------------------------------------------------------------------ concurrency


@pytest.mark.slow
def test_concurrent_appends_from_four_processes(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    go = tmp_path / "go"
    writers = [run_writer(path, 250, "normal", go) for _ in range(4)]
    go.touch()
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    lines = read_lines(path)
    assert len(lines) == 1000
    records = [json.loads(line) for line in lines]
    assert [r["seq"] for r in records] == list(range(1000))
    assert len({r["run_id"] for r in records}) == 4
    result = verify_log([path])
    assert result.ok and result.lines == 1000 and result.runs == 4, result
    switches = sum(a["run_id"] != b["run_id"] for a, b in itertools.pairwise(records))
    assert switches > 3  # 3 would mean the runs merely followed each other: they interleaved


# ------------------------------------------------------------------------------------ crash, disk full


@pytest.mark.parametrize("mode", ["exit", "sigkill"])
def test_writer_killed_mid_append_leaves_a_torn_line_that_the_next_append_repairs(
    tmp_path: Path, mode: str
) -> None:
    path = tmp_path / "audit.jsonl"
    writer = run_writer(path, 5, mode)
    _out, err = writer.communicate(timeout=60)
    expected_rc = 9 if mode == "exit" else -signal.SIGKILL
    assert writer.returncode == expected_rc, err.decode()
    data = path.read_bytes()
    assert not data.endswith(b"\n")
    torn = len(data) - (data.rfind(b"\n") + 1)
    assert torn > 0
    assert not verify_log([path]).ok  # unrepaired: the tail is incomplete

    log = make_log(path)
    write_run(log, "run-after", ["written"])
    records = [json.loads(line) for line in read_lines(path)]
    repair = records[5]
    assert repair["event"] == "repair" and repair["dropped_bytes"] == torn
    assert repair["run_id"] == "run-after"
    assert records[6]["event"] == "run_start" and records[6]["seq"] == 6
    result = verify_log([path])
    assert result.ok, result
    assert result.warnings[:2] == [
        f"a torn line ({torn} bytes) was dropped and repaired at seq 5",
        "run starting at seq 0 never ended (crashed or killed)",
    ]


def test_repair_of_a_log_that_is_only_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b'{"half a li')
    path.chmod(0o600)
    record = make_log(path).append("run_start", "run-1", {})
    first = json.loads(read_lines(path)[0])
    assert (first["event"], first["seq"], first["prev"], first["dropped_bytes"]) == (
        "repair",
        0,
        GENESIS_PREV,
        11,
    )
    assert record["seq"] == 1


def test_disk_full_raises_audit_write_error_and_leaves_no_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    build_log(path)
    before = path.read_bytes()

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "EXCEPTION-TEXT CANARY")

    with pytest.raises(AuditWriteError) as caught:
        make_log(path, fault_injection_write=full).append("run_start", "run-x", start_fields(make_log(path)))
    error = caught.value
    assert error.exit_code == ExitCode.IO
    assert int(error.exit_code) == 74
    assert str(path) in error.message and "stops" in error.message and "space" in error.message
    assert "CANARY" not in error.message and "EXCEPTION-TEXT" not in error.message
    assert "CANARY" not in (error.hint or "") + (error.detail or "")
    assert error.detail == "ENOSPC"
    assert path.read_bytes() == before


def test_disk_full_after_a_partial_write_is_truncated_back(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    build_log(path)
    before = path.read_bytes()
    calls = []

    def half_then_full(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) == 1:
            return os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "full")

    with pytest.raises(AuditWriteError):
        make_log(path, fault_injection_write=half_then_full).append("run_start", "run-x", {})
    assert len(calls) == 2
    assert path.read_bytes() == before
    write_run(make_log(path), "run-y", ["written"])
    result = verify_log([path])
    assert result.ok and not any("torn" in w for w in result.warnings), result


def test_other_os_errors_become_audit_write_errors(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"

    def broken(fd: int, data: bytes) -> int:
        raise OSError(errno.EIO, "device gone")

    with pytest.raises(AuditWriteError) as caught:
        make_log(path, fault_injection_write=broken).append("run_start", "run-1", {})
    assert caught.value.detail == "EIO"
    with pytest.raises(AuditWriteError):
        make_log(tmp_path / "no" / "folder" / "audit.jsonl").append("run_start", "run-1", {})


def test_every_append_is_fsynced_and_a_failed_fsync_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path)
    synced: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        synced.append(len(read_lines(path)))  # lines on disk when fsync is called
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    log.append("run_start", "run-1", {})
    log.append("file", "run-1", {"outcome": "skipped"})
    assert synced == [1, 2]

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "fsync failed")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(AuditWriteError) as caught:
        log.append("file", "run-1", {"outcome": "skipped"})
    assert caught.value.detail == "EIO"


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False, capture_output=True)


def test_real_full_tmpfs(small_tmpfs: Path) -> None:
    path = small_tmpfs / "audit.jsonl"
    log = make_log(path)
    log.check_writable()
    log.append("run_start", "run-1", {"padding": "p" * 500})
    with pytest.raises(AuditWriteError) as caught:
        for index in range(10_000):
            log.append("file", "run-1", {"outcome": "skipped", "n": index, "padding": "p" * 500})
    assert caught.value.detail in ("ENOSPC", "EDQUOT")
    assert path.read_bytes().endswith(b"\n")  # no torn line left behind
    result = verify_log([path])
    assert result.ok, result
    assert result.lines > 20


# ------------------------------------------------------------------------------------ check_writable


def test_check_writable_creates_folder_and_file_privately(tmp_path: Path) -> None:
    path = tmp_path / "state" / "dcmscrub" / "audit.jsonl"
    make_log(path).check_writable()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == b""
    make_log(path).check_writable()  # idempotent


def test_check_writable_refuses_a_symlinked_log(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_bytes(b"")
    real.chmod(0o600)
    link = tmp_path / "audit.jsonl"
    link.symlink_to(real)
    with pytest.raises(AuditWriteError) as caught:
        make_log(link).check_writable()
    assert str(link) in caught.value.message and "symbolic link" in caught.value.message
    assert caught.value.hint
    with pytest.raises(AuditWriteError):
        make_log(link).append("run_start", "run-1", {})  # O_NOFOLLOW
    assert real.read_bytes() == b""


def test_check_writable_refuses_a_group_writable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    folder.chmod(0o770)
    with pytest.raises(AuditWriteError) as caught:
        make_log(folder / "audit.jsonl").check_writable()
    assert "group- or world-writable" in caught.value.message
    assert not (folder / "audit.jsonl").exists()
    folder.chmod(0o1777)  # sticky and ours: others cannot swap our file
    make_log(folder / "audit.jsonl").check_writable()


def test_check_writable_refuses_a_group_writable_log(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b"")
    path.chmod(0o660)
    with pytest.raises(AuditWriteError) as caught:
        make_log(path).check_writable()
    assert "group- or world-writable" in caught.value.message


def test_check_writable_and_append_refuse_a_fifo(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    os.mkfifo(path, 0o600)
    with pytest.raises(AuditWriteError) as caught:
        make_log(path).check_writable()
    assert "not a regular file" in caught.value.message
    with pytest.raises(AuditWriteError):
        make_log(path).append("run_start", "run-1", {})


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_check_writable_refuses_a_folder_of_another_user(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir(mode=0o755)
    os.chown(folder, 54321, -1)
    with pytest.raises(AuditWriteError) as caught:
        make_log(folder / "audit.jsonl").check_writable()
    assert "another user" in caught.value.message


def test_check_writable_refuses_a_network_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "audit.jsonl"
    monkeypatch.setattr(audit_placement, "_filesystem_type", lambda p: "nfs4")
    with pytest.raises(AuditWriteError) as caught:
        make_log(path).check_writable()
    assert "network file system" in caught.value.message


def test_filesystem_type_of_tmp_path(tmp_path: Path) -> None:
    fs_type = audit_placement._filesystem_type(tmp_path)
    assert fs_type is not None and fs_type not in audit_placement._NETWORK_FS


# ------------------------------------------------------------------------------------ check_outputs


@pytest.fixture
def output_tree(tmp_path: Path) -> tuple[Path, Path]:
    """A log of two runs into OUT (root-A), one run elsewhere (root-B), and OUT on disk."""
    path = tmp_path / "audit.jsonl"
    out = tmp_path / "out"
    (out / ".dcmscrub").mkdir(parents=True)
    (out / ".dcmscrub" / "root-id").write_text("root-A\n")
    (out / ".dcmscrub" / "lock").write_text("")
    log = make_log(path)
    write_run(log, "run-1", ["written", "written", "skipped"], out_dir=out)  # seq 0-4, files 1-3
    write_run(log, "run-2", ["written", "failed"], out_dir=None, output_root_id="root-B", first_index=20)
    write_run(log, "run-3", ["written", "exists"], out_dir=out, first_index=1)  # rewrites output 1
    (out / "P3KQ7ZX" / ".x.dcm.age.tmp-0a1b2c").write_bytes(b"leftover temp file")
    return path, out


def test_check_outputs_recorded_tree_passes(output_tree: tuple[Path, Path]) -> None:
    path, out = output_tree
    result = verify_log([path], check_outputs=out)
    assert result.ok, result


def test_check_outputs_latest_record_wins(output_tree: tuple[Path, Path]) -> None:
    path, out = output_tree
    old = b"age ciphertext run-1 1"
    (out / pseudo_output(1)).write_bytes(old)  # the content of the first, superseded record
    assert_bad(verify_log([path], check_outputs=out), 10, "output file changed")
    assert verify_log([path], check_outputs=out).problem == f"output file changed: {pseudo_output(1)}"


def test_check_outputs_replaced_file(output_tree: tuple[Path, Path]) -> None:
    path, out = output_tree
    (out / pseudo_output(0)).write_bytes(b"a fresh valid age file to the same recipients")
    result = verify_log([path], check_outputs=out)
    assert_bad(result, 1, "output file changed")
    assert result.first_bad_file == str(path)


def test_check_outputs_extra_file(output_tree: tuple[Path, Path]) -> None:
    path, out = output_tree
    (out / "P3KQ7ZX" / "planted.dcm.age").write_bytes(b"x")
    assert_bad(verify_log([path], check_outputs=out), None, "output file not recorded")
    assert (
        verify_log([path], check_outputs=out).problem == "output file not recorded: P3KQ7ZX/planted.dcm.age"
    )


def test_check_outputs_missing_file(output_tree: tuple[Path, Path]) -> None:
    path, out = output_tree
    (out / pseudo_output(0)).unlink()
    assert_bad(verify_log([path], check_outputs=out), 1, "recorded output file is missing")


def test_check_outputs_symlink(output_tree: tuple[Path, Path], tmp_path: Path) -> None:
    path, out = output_tree
    (out / "link.dcm.age").symlink_to(tmp_path / "anything")
    assert_bad(verify_log([path], check_outputs=out), None, "the output folder holds a link or special file")


def test_check_outputs_uses_the_runs_of_the_folders_root_id(output_tree: tuple[Path, Path]) -> None:
    path, out = output_tree
    (out / ".dcmscrub" / "root-id").write_text("root-B\n")  # run-2 wrote to root-B: its output is absent
    assert_bad(verify_log([path], check_outputs=out), 6, "recorded output file is missing")
    (out / ".dcmscrub" / "root-id").write_text("root-C\n")  # no run wrote here
    result = verify_log([path], check_outputs=out)
    assert_bad(result, None, "output file not recorded")
    assert "no run in the log wrote a file to this output folder" in result.warnings


def test_check_outputs_needs_the_root_id(output_tree: tuple[Path, Path]) -> None:
    path, out = output_tree
    (out / ".dcmscrub" / "root-id").unlink()
    assert_bad(
        verify_log([path], check_outputs=out), None, "the output folder has no readable .dcmscrub/root-id"
    )
    with pytest.raises(UsageError):
        verify_log([path], check_outputs=out / "missing")


# ------------------------------------------------------------------------------------ PHI, summaries


def test_log_holds_no_phi(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = build_log(path)  # unsigned: random base64 signatures could spell a short canary by chance

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "CANARY Smith^John")

    failing = AuditLog(path, digest_key=DIGEST_KEY, fault_injection_write=full)
    with pytest.raises(AuditWriteError) as caught:
        failing.append("file", "run-9", {"input": log.digest("CANARY_DIR/Smith^John/1.2.3.4.dcm")})
    text = path.read_text(encoding="ascii")
    assert text.count('"input":"') == 12 and text.count('"input_hmac":"') == 12  # the records are there
    for canary in CANARIES:  # ... and hold none of the patient data or input paths
        assert canary not in text
        assert canary not in str(caught.value) + (caught.value.hint or "") + (caught.value.detail or "")
    for record in map(json.loads, text.splitlines()):
        for key in ("input", "input_hmac"):
            if key in record:
                assert re.fullmatch("[0-9a-f]{64}", record[key])
        assert all(re.fullmatch("[0-9a-f]{64}", d) for d in record.get("input_roots", []))


def test_summarize_runs(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = build_log(path, KEY_A)
    write_run(log, "run-open", ["written"], end=False)
    with path.open("ab") as fh:
        fh.write(b"not json\n")
    rows = summarize_runs([path])
    assert [row.run_id for row in rows] == ["run-0", "run-1", "run-2", "run-open"]
    first, second, _, unended = rows
    assert first.started == json.loads(read_lines(path)[0])["ts"]
    assert first.ended == json.loads(read_lines(path)[5])["ts"]
    assert first.command == "scrub" and first.profile == "basic" and first.signed
    assert first.user == operator_info(os.environ)["user"]
    assert first.counts == {"written": 3, "skipped": 1, "total": 4}
    assert (first.status, first.exit_code) == ("ok", 0)
    assert (second.status, second.exit_code) == ("partial", 3)
    assert unended.ended is None and unended.status is None and not unended.signed


# ------------------------------------------------------------------------------------ properties


@cache
def _valid_signed_log() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.jsonl"
        log = make_log(path, KEY_A)
        write_run(log, "run-0", ["written", "skipped"])
        write_run(log, "run-1", ["failed", "written"], first_index=10)
        return path.read_bytes()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_byte_is_detected_at_or_before_its_line(tmp_path: Path, data: st.DataObject) -> None:
    original = _valid_signed_log()
    position = data.draw(st.integers(0, len(original) - 1), label="position")
    new_byte = data.draw(st.integers(0, 255), label="byte")
    assume(new_byte != original[position])
    changed = bytearray(original)
    changed[position] = new_byte
    path = tmp_path / "mutated.jsonl"
    path.write_bytes(bytes(changed))
    result = verify_log([path], public_keys=[KEY_A.public_key()])
    line_index = original[:position].count(b"\n")
    assert not result.ok
    assert result.first_bad_seq is not None and result.first_bad_seq <= line_index, result


def test_the_property_log_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(_valid_signed_log())
    assert verify_log([path], public_keys=[KEY_A.public_key()]).ok


def test_verify_memory_does_not_grow_with_log_size(tmp_path: Path) -> None:
    def make(lines_count: int) -> Path:
        records: list[dict[str, Any]] = [
            {"v": 1, "ts": "2026-01-01T00:00:00.000000Z", "event": "run_start", "run_id": "r"}
        ]
        filler = {"v": 1, "ts": "2026-01-01T00:00:00.000000Z", "event": "file", "run_id": "r"}
        records += [{**filler, "outcome": "written", "input": "ab" * 32}] * (lines_count - 2)
        end = {
            "counts": {"written": lines_count - 2, "total": lines_count - 2},
            "status": "ok",
            "exit_code": 0,
        }
        records.append({**filler, "event": "run_end", **end})
        lines, _ = chain(records)
        path = tmp_path / f"big-{lines_count}.jsonl"
        write_lines(path, lines)
        return path

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            result = verify_log([path])
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert result.ok, result

    small, large = make(1_000), make(10_000)
    assert large.stat().st_size > 2_000_000
    assert peak(large) < 2 * peak(small) + 64 * 1024
