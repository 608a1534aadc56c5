"""dcmscrub: de-identify DICOM per PS3.15 Annex E, with keyed pseudonyms, age-encrypted outputs
and a tamper-evident audit log.

Everything the command line does is one call here::

    import dcmscrub
    options = dcmscrub.ScrubOptions(
        dcmscrub.load_profile("research-longitudinal"),
        dcmscrub.AgeSink((dcmscrub.parse_recipient("age1..."),)),
        linkage_key=dcmscrub.read_linkage_key_file(Path("project.key")),
        log=Path("audit.jsonl"),
    )
    summary = dcmscrub.scrub_tree([Path("inbox")], Path("release"), options)

or, on one in-memory dataset (no I/O)::

    report = dcmscrub.deidentify(ds, profile, dcmscrub.Pseudonymizer(key, profile.pseudonyms.namespace))

The package is laid out as the stages a file passes through (docs/architecture.md): ``standard``
(the standard as data), ``deid`` (one dataset in memory), ``dicomio`` (files in and out), ``age``
(the container), ``keys``, ``audit``, ``batch`` (a run over a tree) and ``cli``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dcmscrub._version import __version__

if TYPE_CHECKING:  # what type checkers and readers see; at run time names load on first use
    from dcmscrub.age import (
        AgeWriter,
        ScryptIdentity,
        ScryptRecipient,
        X25519Identity,
        X25519Recipient,
        decrypt,
        encrypt,
        parse_identity,
        parse_recipient,
    )
    from dcmscrub.audit.log import AuditLog
    from dcmscrub.audit.verify import VerifyResult, verify_log
    from dcmscrub.batch.crypt import decrypt_file, decrypt_paths, encrypt_file
    from dcmscrub.batch.decrypt import decrypt_tree
    from dcmscrub.batch.outtree import Shard
    from dcmscrub.batch.scrub import ScrubOptions, scrub_tree
    from dcmscrub.batch.sink import AgeSink, PlainSink
    from dcmscrub.batch.summary import RunSummary
    from dcmscrub.batch.worker import FileResult
    from dcmscrub.deid.engine import FileReport, deidentify
    from dcmscrub.deid.profile import Profile
    from dcmscrub.deid.pseudonym import Pseudonymizer
    from dcmscrub.errors import DcmscrubError, ExitCode
    from dcmscrub.keys import (
        generate_identity,
        generate_linkage_key,
        read_identity_file,
        read_linkage_key_file,
        read_recipients_file,
    )
    from dcmscrub.outcomes import Outcome, Reason
    from dcmscrub.profiles import load_profile

# name -> module: ``import dcmscrub`` stays cheap (every command starts by importing the package),
# and each name is imported from its stage the first time it is used (PEP 562)
_EXPORTS: dict[str, str] = {
    "AgeSink": "dcmscrub.batch.sink",
    "AgeWriter": "dcmscrub.age",
    "AuditLog": "dcmscrub.audit.log",
    "DcmscrubError": "dcmscrub.errors",
    "ExitCode": "dcmscrub.errors",
    "FileReport": "dcmscrub.deid.engine",
    "FileResult": "dcmscrub.batch.worker",
    "Outcome": "dcmscrub.outcomes",
    "PlainSink": "dcmscrub.batch.sink",
    "Profile": "dcmscrub.deid.profile",
    "Pseudonymizer": "dcmscrub.deid.pseudonym",
    "Reason": "dcmscrub.outcomes",
    "RunSummary": "dcmscrub.batch.summary",
    "ScrubOptions": "dcmscrub.batch.scrub",
    "ScryptIdentity": "dcmscrub.age",
    "ScryptRecipient": "dcmscrub.age",
    "Shard": "dcmscrub.batch.outtree",
    "VerifyResult": "dcmscrub.audit.verify",
    "X25519Identity": "dcmscrub.age",
    "X25519Recipient": "dcmscrub.age",
    "decrypt": "dcmscrub.age",
    "decrypt_file": "dcmscrub.batch.crypt",
    "decrypt_paths": "dcmscrub.batch.crypt",
    "decrypt_tree": "dcmscrub.batch.decrypt",
    "deidentify": "dcmscrub.deid.engine",
    "encrypt": "dcmscrub.age",
    "encrypt_file": "dcmscrub.batch.crypt",
    "generate_identity": "dcmscrub.keys",
    "generate_linkage_key": "dcmscrub.keys",
    "load_profile": "dcmscrub.profiles",
    "parse_identity": "dcmscrub.age",
    "parse_recipient": "dcmscrub.age",
    "read_identity_file": "dcmscrub.keys",
    "read_linkage_key_file": "dcmscrub.keys",
    "read_recipients_file": "dcmscrub.keys",
    "scrub_tree": "dcmscrub.batch.scrub",
    "verify_log": "dcmscrub.audit.verify",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dcmscrub' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AgeSink",
    "AgeWriter",
    "AuditLog",
    "DcmscrubError",
    "ExitCode",
    "FileReport",
    "FileResult",
    "Outcome",
    "PlainSink",
    "Profile",
    "Pseudonymizer",
    "Reason",
    "RunSummary",
    "ScrubOptions",
    "ScryptIdentity",
    "ScryptRecipient",
    "Shard",
    "VerifyResult",
    "X25519Identity",
    "X25519Recipient",
    "__version__",
    "decrypt",
    "decrypt_file",
    "decrypt_paths",
    "decrypt_tree",
    "deidentify",
    "encrypt",
    "encrypt_file",
    "generate_identity",
    "generate_linkage_key",
    "load_profile",
    "parse_identity",
    "parse_recipient",
    "read_identity_file",
    "read_linkage_key_file",
    "read_recipients_file",
    "scrub_tree",
    "verify_log",
]
