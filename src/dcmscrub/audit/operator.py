"""Who runs this process and with which tool: staff identity for ``run_start`` records, never
patient data, never an environment dump."""

from __future__ import annotations

import os
import platform
import pwd
import re
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from dcmscrub._version import __version__

_USER_RE: Final = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._@$-]{0,63}")
_CRON_NAMES: Final = frozenset({"cron", "crond", "CRON"})
_CRON_ANCESTORS: Final = 4  # cron -> sh -c -> wrapper script -> dcmscrub


def _proc_comm(pid: int) -> str | None:
    """The process name from ``/proc/<pid>/comm``, or None when it cannot be read."""
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _proc_ppid(pid: int) -> int | None:
    """The parent pid from ``/proc/<pid>/stat`` (fields after the last ")", comm may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        return int(text.rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _under_cron(ppid: int) -> bool:
    pid: int | None = ppid
    for _ in range(_CRON_ANCESTORS):
        if pid is None or pid <= 1:
            return False
        if _proc_comm(pid) in _CRON_NAMES:
            return True
        pid = _proc_ppid(pid)
    return False


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _safe_user_name(name: str) -> str:
    # a user name from the environment is free text: keep only what looks like a login name
    return name if _USER_RE.fullmatch(name) else "?"


def operator_info(env: Mapping[str, str]) -> dict[str, object]:
    """Who runs this process: staff identity, never patient data, never an environment dump.

    ``user`` comes from the password database (not from ``$USER``); ``sudo_user`` is present only
    when ``$SUDO_USER`` is set. ``invoked_via`` is a heuristic, first match wins:
    ``INVOCATION_ID`` in the environment -> ``"systemd"``; ``cron``/``crond``/``CRON`` among the
    parent and up to three further ancestors (``/proc``) -> ``"cron"``; stdin or stderr a terminal
    -> ``"tty"``; anything else -> ``"script"``.
    """
    uid = os.getuid()
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = f"uid:{uid}"
    ppid = os.getppid()
    tty = _isatty(0) or _isatty(2)
    via: str
    if env.get("INVOCATION_ID"):
        via = "systemd"
    elif _under_cron(ppid):
        via = "cron"
    elif tty:
        via = "tty"
    else:
        via = "script"
    info: dict[str, object] = {
        "user": user,
        "uid": uid,
        "euid": os.geteuid(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "ppid": ppid,
        "tty": tty,
        "invoked_via": via,
    }
    sudo_user = env.get("SUDO_USER")
    if sudo_user:
        info["sudo_user"] = _safe_user_name(sudo_user)
    return info


def tool_versions() -> dict[str, str]:
    """``{name, version, python, pydicom, cryptography}`` of the running tool."""
    # the versions of the modules that run (not importlib.metadata's view of what is installed,
    # which also costs a scan of sys.path)
    import cryptography
    import pydicom

    return {
        "name": "dcmscrub",
        "version": __version__,
        "python": platform.python_version(),
        "pydicom": str(pydicom.__version__),
        "cryptography": str(cryptography.__version__),
    }
