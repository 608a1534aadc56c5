"""``dcmscrub verify``: the residual-identifier gate run again on a release made earlier.

Each input under the given folders is paired with its output in the release: through the audit
log (its ``file`` record, found by the keyed digest of the input's relative path) when a log is
given and records it, else through the keyed output name (:func:`~dcmscrub.deid.engine.output_ids`:
the same linkage key and profile give the same name). An encrypted output is decrypted in memory,
never to disk. The output is then checked against its input exactly as a scrub run checks it
(:mod:`dcmscrub.deid.gate`). The report names files by their relative paths and places by
attribute paths, never a value.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dcmscrub.age import Identity, decrypt, looks_like_age
from dcmscrub.audit.verify import log_lines
from dcmscrub.batch.outtree import output_relpath
from dcmscrub.batch.walk import InputFile, iter_inputs, resolve_roots
from dcmscrub.deid import gate
from dcmscrub.deid.engine import output_ids
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.dicomio.flat import flatten, flatten_file
from dcmscrub.dicomio.read import header_bytes, quiet_pydicom, read_header
from dcmscrub.dicomio.sniff import sniff
from dcmscrub.errors import DecryptError, UsageError
from dcmscrub.outcomes import FileProblem

SUFFIXES = (".dcm.age", ".dcm")


@dataclass(frozen=True)
class Finding:
    """One input whose output still holds an identifier: names for people, attribute paths."""

    input: str  # relative to its input root (shown to the operator, never logged)
    output: str  # relative to the release
    where: tuple[str, ...]


@dataclass
class VerifyReport:
    """What ``dcmscrub verify`` found."""

    checked: int = 0  # pairs checked
    clean: int = 0
    findings: list[Finding] = field(default_factory=list)
    without_output: int = 0  # inputs with no output in the release (quarantined, skipped, ...)
    unreadable: list[str] = field(default_factory=list)  # outputs that could not be read or decrypted

    @property
    def ok(self) -> bool:
        return not self.findings and not self.unreadable

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "clean": self.clean,
            "without_output": self.without_output,
            "findings": [
                {"input": f.input, "output": f.output, "where": list(f.where)} for f in self.findings
            ],
            "unreadable": list(self.unreadable),
            "ok": self.ok,
        }


def _logged_outputs(log: Path) -> dict[str, str]:
    """Input digest -> output, from the log's ``file`` records (the last one wins)."""
    outputs: dict[str, str] = {}
    for raw in log_lines(log):
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("event") == "file" and record.get("output"):
            outputs[str(record["input"])] = str(record["output"])
    return outputs


class _Verifier:
    def __init__(
        self,
        release: Path,
        profile: Profile,
        linkage_key: bytes,
        identities: Sequence[Identity],
        log: Path | None,
    ) -> None:
        ps = profile.pseudonyms
        self.release = release
        self.profile = profile
        self.pseudonymizer = Pseudonymizer(
            linkage_key, ps.namespace, uid_root=ps.uid_root, date_shift_days=ps.date_shift_days
        )
        self.identities = identities
        # the log's digests are keyed as the run keyed them: by the linkage key and the namespace
        self.digest_key = Pseudonymizer(linkage_key, ps.namespace).audit_key
        self.logged = _logged_outputs(log) if log is not None else {}
        self.exempt = gate.exemptions(profile)

    def _digest(self, relpath: str) -> str:
        raw = relpath.encode("utf-8", "surrogateescape")
        return hmac.new(self.digest_key, raw, hashlib.sha256).hexdigest()

    def pair(self, item: InputFile, report: VerifyReport) -> None:
        with open(item.path, "rb") as fh, quiet_pydicom():
            kind = sniff(fh.read(132))
            if kind in ("empty", "other"):
                return
            try:
                header = read_header(fh, item.size, kind)
                head, tail = header_bytes(fh, header, item.size)
                ids = output_ids(header.ds, self.profile, self.pseudonymizer)
            except FileProblem:
                return
        output = self._output_of(item, ids)
        if output is None:
            report.without_output += 1
            return
        flat = flatten(
            head, tail, implicit=header.implicit_vr, little=header.little_endian, deflated=header.deflated
        )
        identifiers = gate.collect(flat, item.relpath)
        try:
            written = flatten_file(self._plaintext(self.release / output))
        except (DecryptError, FileProblem, OSError):
            report.unreadable.append(output)
            return
        report.checked += 1
        stem = output[: -len(".age")] if output.endswith(".age") else output
        hits = gate.check(identifiers, written, stem, self.exempt)
        if hits:
            report.findings.append(Finding(item.relpath, output, tuple(h.where for h in hits)))
        else:
            report.clean += 1

    def _output_of(self, item: InputFile, ids: tuple[str, str, str, str]) -> str | None:
        logged = self.logged.get(self._digest(item.relpath))
        if logged is not None and (self.release / logged).is_file():
            return logged
        for suffix in SUFFIXES:
            try:
                rel = output_relpath(*ids, suffix)
            except FileProblem:
                return None
            if (self.release / rel).is_file():
                return rel
        return None

    def _plaintext(self, path: Path) -> bytes:
        """The output's bytes; an age file decrypted in memory (never written anywhere)."""
        with open(path, "rb") as fh:
            head = fh.read(64)
            fh.seek(0)
            if not looks_like_age(head):
                return fh.read()
            if not self.identities:
                raise UsageError("the release is encrypted", hint="give the identity that reads it: -i FILE")
            plain = io.BytesIO()
            decrypt(fh, plain, self.identities)
            return plain.getvalue()


def verify_release(
    release: Path,
    inputs: Sequence[Path],
    *,
    profile: Profile,
    linkage_key: bytes,
    identities: Sequence[Identity] = (),
    log: Path | None = None,
) -> VerifyReport:
    """Check every output of ``release`` against its input under ``inputs`` (module docstring)."""
    if not release.is_dir():
        raise UsageError(f"release folder not found: {release}")
    verifier = _Verifier(release, profile, linkage_key, identities, log)
    report = VerifyReport()
    for item in iter_inputs(resolve_roots(inputs)):
        if isinstance(item, InputFile):
            verifier.pair(item, report)
    return report
