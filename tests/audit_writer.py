"""A separate process that appends to an audit log, for tests/test_audit.py (not a test module).

    python tests/audit_writer.py LOG COUNT MODE [GO_FILE]

MODE ``normal``: one run of COUNT records (run_start, COUNT - 2 file records, run_end).
MODE ``exit`` / ``sigkill``: run_start and COUNT - 1 file records, then one more append whose write
is cut in half by the fault-injection seam, after which the process dies (``os._exit(9)`` or
SIGKILL) while holding the lock: the log is left with a torn last line.
With GO_FILE, wait until that file exists before the first append (so writers start together).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from dcmscrub.audit.line import new_run_id
from dcmscrub.audit.log import AuditLog

DIGEST_KEY = bytes(range(32))


def _file_fields(log: AuditLog, index: int) -> dict[str, object]:
    outcome = "written" if index % 3 else "skipped"
    return {
        "input": log.digest(f"in/{os.getpid()}/{index}.dcm"),
        "input_hmac": log.digest(f"content {index}"),
        "output": f"P{os.getpid()}/2.25.{index}.dcm.age" if outcome == "written" else None,
        "output_sha256": "ab" * 32 if outcome == "written" else None,
        "outcome": outcome,
        "error_code": None,
        "bytes_in": 1000 + index,
        "bytes_out": 900 if outcome == "written" else 0,
        "ms": index % 17,
    }


def main() -> int:
    path, count, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if len(sys.argv) > 4:
        go = Path(sys.argv[4])
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
    log = AuditLog(path, digest_key=DIGEST_KEY)
    run_id = new_run_id(lambda: datetime.now(UTC), os.urandom)
    log.append("run_start", run_id, {"command": "scrub", "output_root_id": "root-writer"})
    files = count - 2 if mode == "normal" else count - 1
    tally: Counter[str] = Counter()
    for index in range(files):
        fields = _file_fields(log, index)
        log.append("file", run_id, fields)
        tally[str(fields["outcome"])] += 1
    if mode == "normal":
        counts = {**tally, "total": sum(tally.values())}
        log.append("run_end", run_id, {"counts": counts, "status": "ok", "exit_code": 0})
        return 0

    def torn_write(fd: int, data: bytes) -> int:
        written = os.write(fd, data[: len(data) // 2])
        if mode == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(9)
        return written  # not reached

    dying = AuditLog(path, digest_key=DIGEST_KEY, fault_injection_write=torn_write)
    dying.append("file", run_id, _file_fields(log, files))
    return 1  # not reached: the write above kills the process


if __name__ == "__main__":
    sys.exit(main())
