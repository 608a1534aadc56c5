"""Anchors, rotation and the listing of every problem: a log cannot be cut short, rewritten or
rotated away without `log verify` saying so."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket as socketlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import SAMPLE
from dcmscrub.audit.anchor import ANCHOR_TAG, Anchor, SystemLog, WitnessFile, read_anchors
from dcmscrub.audit.line import canonical_line, sha256_hex
from dcmscrub.audit.log import AuditLog
from dcmscrub.audit.rotate import rotate_log
from dcmscrub.audit.verify import verify_log

KEY = Ed25519PrivateKey.from_private_bytes(b"K" * 32)
DIGEST = bytes(32)


def make(path: Path, witness: Path | None = None, signer: Ed25519PrivateKey | None = None) -> AuditLog:
    sinks = [WitnessFile(witness)] if witness is not None else []
    return AuditLog(path, digest_key=DIGEST, signer=signer, anchors=sinks)


def run(log: AuditLog, run_id: str, files: int = 2, *, end: bool = True) -> None:
    log.append("run_start", run_id, {"command": "scrub"})
    log.append_many("file", run_id, [{"outcome": "written"}] * files)
    if end:
        log.append(
            "run_end", run_id, {"counts": {"written": files, "total": files}, "status": "ok", "exit_code": 0}
        )


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def problems(result: object) -> list[str]:
    return [str(p["problem"]) for p in result.problems]  # type: ignore[attr-defined]


@pytest.fixture
def anchored(tmp_path: Path) -> tuple[Path, Path]:
    """A log of three runs (signed checkpoints), each run_end anchored in a witness file."""
    path, witness = tmp_path / "audit.jsonl", tmp_path / "witness" / "anchors.txt"
    witness.parent.mkdir()
    log = make(path, witness, KEY)
    for number in range(3):
        run(log, f"run-{number}")
    return path, witness


def test_each_run_end_is_anchored_in_a_versioned_line(anchored: tuple[Path, Path]) -> None:
    path, witness = anchored
    texts = witness.read_text().splitlines()
    assert len(texts) == 3 and all(t.startswith(ANCHOR_TAG + " ") for t in texts)
    ends = [json.loads(x) for x in lines(path) if b'"run_end"' in x]
    for text, end in zip(texts, ends, strict=True):
        anchor = Anchor.parse(text)
        assert anchor is not None
        assert (anchor.generation, anchor.seq, anchor.sig) == (1, end["seq"], end["sig"])
        assert anchor.line_sha256 == sha256_hex(canonical_line(end)[:-1])
        assert anchor.log_id == sha256_hex(lines(path)[0][:-1])
    assert Anchor.parse("Dec  2 host dcmscrub: " + texts[0]) == Anchor.parse(texts[0])  # a syslog line
    assert Anchor.parse(texts[0].replace("anchor/1", "anchor/2")) is None  # another version: not ours
    result = verify_log([path], public_keys=[KEY.public_key()], anchors=[str(witness)])
    assert result.ok and result.warnings == [], result


def test_truncation_at_a_run_boundary_is_caught_only_with_anchors(anchored: tuple[Path, Path]) -> None:
    path, witness = anchored
    keep = [x for x in lines(path)]
    first_end = next(i for i, x in enumerate(keep) if b'"run_end"' in x)
    path.write_bytes(b"".join(keep[: first_end + 1]))  # the log replaced by its first run
    assert verify_log([path], public_keys=[KEY.public_key()]).ok  # the chain and signatures hold
    result = verify_log([path], public_keys=[KEY.public_key()], anchors=[str(witness)])
    assert not result.ok
    assert problems(result) == [
        f"the log is shorter than an anchor recorded: it ends before seq {seq}"
        for seq in (first_end + 4, first_end + 8)
    ]


def test_a_removed_last_run_end_is_caught_with_anchors(anchored: tuple[Path, Path]) -> None:
    path, witness = anchored
    path.write_bytes(b"".join(lines(path)[:-1]))
    assert verify_log([path], public_keys=[KEY.public_key()]).ok  # only a warning: the run may be alive
    result = verify_log([path], anchors=[str(witness)])
    assert problems(result) == ["the log is shorter than an anchor recorded: it ends before seq 11"]


def test_a_rewritten_unsigned_chain_is_caught_with_anchors(tmp_path: Path) -> None:
    """Without a signing key anyone may rewrite the chain; the anchors still hold the old heads."""
    path, witness = tmp_path / "audit.jsonl", tmp_path / "anchors.txt"
    log = make(path, witness)
    run(log, "run-0")
    run(log, "run-1", files=3)
    kept = lines(path)[:4]
    start = json.loads(lines(path)[4])
    end = {**start, "event": "run_end", "counts": {"total": 0}, "status": "ok", "exit_code": 0}
    forged, prev = [], sha256_hex(kept[-1][:-1])
    for seq, rec in enumerate([start, end], start=4):  # run-1 rewritten without its files
        rec.update(seq=seq, prev=prev)
        forged.append(canonical_line(rec))
        prev = sha256_hex(forged[-1][:-1])
    path.write_bytes(b"".join(kept + forged))
    assert verify_log([path]).ok  # the chain alone cannot tell
    result = verify_log([path], anchors=[str(witness)])
    assert problems(result) == ["the line an anchor recorded is no longer a checkpoint"] or problems(
        result
    ) == ["the log is shorter than an anchor recorded: it ends before seq 8"]


def test_a_log_no_anchor_names_is_a_problem_with_anchors(anchored: tuple[Path, Path], tmp_path: Path) -> None:
    _path, witness = anchored
    other = tmp_path / "other.jsonl"
    run(make(other), "run-x")
    assert problems(verify_log([other], anchors=[str(witness)])) == [
        "no anchor names this log (was it replaced, or never anchored?)"
    ]


def test_verify_lists_every_problem_and_a_log_that_failed_once_still_shows_later_tampering(
    tmp_path: Path,
) -> None:
    path = tmp_path / "audit.jsonl"
    log = make(path)
    for number in range(4):
        run(log, f"run-{number}")
    texts = lines(path)
    texts[3] = texts[3].replace(b'"written":2', b'"written":3')  # counts of run-0 (breaks the chain too)
    texts[13] = texts[13].replace(b'"outcome":', b'"outcome": ')  # later tampering: not canonical
    del texts[9]  # a file record of run-2 removed
    path.write_bytes(b"".join(texts))
    result = verify_log([path])
    assert not result.ok and result.problem_count == len(result.problems) == 6, result
    assert [(p["seq"], p["problem"]) for p in result.problems] == [
        (3, "run_end counts do not match its file records"),
        (3, "the next line's prev does not match this line"),
        (9, "seq 10 follows 8"),
        (11, "run_end counts do not match its file records"),  # run-2 lost a file record
        (13, "line is not canonical JSON"),
        (15, "run_end counts do not match its file records"),  # so did run-3, with its unreadable line
    ]
    assert (result.first_bad_seq, result.problem) == (3, "run_end counts do not match its file records")
    cli = subprocess.run(
        [sys.executable, "-m", "dcmscrub", "log", "verify", str(path), "--max-problems", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 1
    assert cli.stderr.count("dcmscrub: error:") == 3  # two problems, then the summary
    assert "6 problem(s) in all (4 more not shown)" in cli.stderr


# ------------------------------------------------------------------------------------ rotation


def test_rotation_seals_and_chains_and_verify_walks_back_from_the_current_file(tmp_path: Path) -> None:
    path, witness = tmp_path / "audit.jsonl", tmp_path / "anchors.txt"
    log = make(path, witness, KEY)
    run(log, "run-0")
    run(log, "run-1", end=False)  # a run that goes on across the rotation
    first = rotate_log(log, "rot-1")
    assert (first.sealed.name, first.generation, first.open_runs) == ("audit.jsonl.1", 1, ["run-1"])
    log.append("file", "run-1", {"outcome": "written"})
    log.append("run_end", "run-1", {"counts": {"written": 3, "total": 3}, "status": "ok", "exit_code": 0})
    second = rotate_log(log, "rot-2")
    assert second.sealed.name == "audit.jsonl.2"
    run(log, "run-2")
    opening = json.loads(lines(path)[0])
    assert opening["event"] == "log_open" and opening["generation"] == 3
    assert opening["prev_file"] == "audit.jsonl.2"
    assert opening["prev"] == sha256_hex(lines(tmp_path / "audit.jsonl.2")[-1][:-1])
    assert not os.access(first.sealed, os.W_OK) or os.geteuid() == 0
    assert oct(first.sealed.stat().st_mode & 0o777) == "0o400"
    keys = [KEY.public_key()]
    whole = verify_log([path], public_keys=keys, anchors=[str(witness)])
    assert whole.ok, whole
    assert [Path(f).name for f in whole.files] == ["audit.jsonl.1", "audit.jsonl.2", "audit.jsonl"]
    alone = verify_log([path], public_keys=keys, earlier=False)
    assert alone.ok and any("earlier files were not given" in w for w in alone.warnings), alone
    # the middle file removed: the chain is broken, and the anchors say the log lost lines
    (tmp_path / "audit.jsonl.2").rename(tmp_path / "elsewhere")
    assert not verify_log([tmp_path / "audit.jsonl.1", path], public_keys=keys).ok
    # the current file cut back to its log_open line: the last anchors are missing from it
    (tmp_path / "elsewhere").rename(tmp_path / "audit.jsonl.2")
    path.write_bytes(lines(path)[0])
    cut = verify_log([path], public_keys=keys, anchors=[str(witness)])
    assert problems(cut) == ["the log is shorter than an anchor recorded: it ends before seq 4"]


def test_a_writer_waiting_for_the_lock_goes_on_in_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make(path)
    run(log, "run-0")
    stale = make(path)  # another process's handle on the same name
    rotate_log(log, "rot-1")
    stale.append("run_start", "run-9", {})
    assert json.loads(lines(path)[-1])["run_id"] == "run-9"
    assert verify_log([path]).ok


def test_scrub_rotates_by_size_and_the_cli_rotates_and_verifies(tmp_path: Path, linkage_file: Path) -> None:
    log, witness = tmp_path / "state" / "audit.jsonl", tmp_path / "anchors.txt"
    source = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15"
    base = [sys.executable, "-m", "dcmscrub"]
    for number in range(2):
        done = subprocess.run(
            [
                *base,
                "scrub",
                str(source),
                "--out",
                str(tmp_path / f"out{number}"),
                "--no-encrypt",
                "--log",
                str(log),
                "--anchor",
                str(witness),
                "--rotate-size",
                "1K",
                "--linkage-key",
                str(linkage_file),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert f"sealed as audit.jsonl.{number + 1}" in done.stderr
    rotated = subprocess.run(
        [*base, "log", "rotate", str(log), "--anchor", str(witness), "--json"], capture_output=True, text=True
    )
    assert rotated.returncode == 0, rotated.stderr
    assert json.loads(rotated.stdout)["sealed"] == str(log.with_name("audit.jsonl.3"))
    verified = subprocess.run(
        [*base, "log", "verify", str(log), "--anchors", str(witness)], capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stderr
    assert "in 4 file(s)" in verified.stderr
    assert len(read_anchors(str(witness)).__iter__().__next__().log_id) == 64


# ------------------------------------------------------------------------------------ real system logs


def wait_for(check: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def listening(path: str) -> bool:
    probe = socketlib.socket(socketlib.AF_UNIX, socketlib.SOCK_DGRAM)
    try:
        probe.connect(path)
    except OSError:
        return False
    finally:
        probe.close()
    return True


@pytest.fixture
def journald() -> Iterator[str]:
    """The socket of a running journald: the machine's, or one started here (root, no systemd)."""
    socket = "/run/systemd/journal/dev-log"
    started = None
    if not listening(socket):
        binary = next(
            (
                b
                for b in ("/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald")
                if Path(b).exists()
            ),
            None,
        )
        if binary is None or os.geteuid() != 0 or shutil.which("journalctl") is None:
            pytest.skip("no journald here and none can be started")
        started = subprocess.Popen([binary], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(lambda: listening(socket)):
            started.kill()
            pytest.skip("journald did not start")
    try:
        yield socket
    finally:
        if started is not None:
            started.send_signal(signal.SIGTERM)
            started.wait(timeout=10)


def test_anchors_in_a_real_journald(tmp_path: Path, journald: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCMSCRUB_SYSLOG_SOCKET", journald)
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, digest_key=DIGEST, anchors=[SystemLog()])
    run(log, "run-0")
    run(log, "run-1")
    assert log.anchor_failures == []
    log_id = sha256_hex(lines(path)[0][:-1])
    assert wait_for(lambda: sum(a.log_id == log_id for a in read_anchors("journal")) == 2)
    assert verify_log([path], anchors=["journal"]).ok
    path.write_bytes(b"".join(lines(path)[:4]))
    assert problems(verify_log([path], anchors=["journal"])) == [
        "the log is shorter than an anchor recorded: it ends before seq 7"
    ]


@pytest.fixture
def rsyslog(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An rsyslogd of our own: its socket and the file it writes (installed by .ci/run)."""
    binary = shutil.which("rsyslogd") or (
        "/usr/sbin/rsyslogd" if Path("/usr/sbin/rsyslogd").exists() else None
    )
    if binary is None:
        pytest.skip("rsyslogd is not installed")
    home = tmp_path / "rsyslog"
    home.mkdir()
    socket, messages = home / "log.sock", home / "messages"
    (home / "rsyslog.conf").write_text(
        f'global(workDirectory="{home}")\n'
        'module(load="imuxsock" SysSock.Use="off")\n'
        f'input(type="imuxsock" Socket="{socket}")\n'
        f'*.* action(type="omfile" file="{messages}" template="RSYSLOG_TraditionalFileFormat")\n'
    )
    daemon = subprocess.Popen(
        [binary, "-n", "-f", str(home / "rsyslog.conf"), "-i", str(home / "pid")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_for(socket.exists):
            pytest.skip("rsyslogd did not start")
        yield str(socket), messages
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=10)


def test_anchors_in_a_real_rsyslog_file(
    tmp_path: Path, rsyslog: tuple[str, Path], linkage_file: Path
) -> None:
    socket, messages = rsyslog
    log = tmp_path / "state" / "audit.jsonl"
    env = dict(os.environ, DCMSCRUB_SYSLOG_SOCKET=socket, DCMSCRUB_ANCHOR="syslog")
    source = SAMPLE / "DOE_JANE_FAKE-MRN-0001" / "CT_2024-01-15"
    for number in range(2):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "dcmscrub",
                "scrub",
                str(source),
                "--out",
                str(tmp_path / f"o{number}"),
                "--no-encrypt",
                "--log",
                str(log),
                "--linkage-key",
                str(linkage_file),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0 and "could not be anchored" not in done.stderr, done.stderr
    assert wait_for(lambda: messages.exists() and messages.read_text().count(ANCHOR_TAG) == 2)
    assert " dcmscrub: " + ANCHOR_TAG in messages.read_text()  # the identifier, as syslog shows it
    assert verify_log([log], anchors=[str(messages)]).ok
    ends = [i for i, x in enumerate(lines(log)) if b'"run_end"' in x]
    log.write_bytes(b"".join(lines(log)[: ends[0] + 1]))
    assert not verify_log([log], anchors=[str(messages)]).ok
