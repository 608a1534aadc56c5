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

from dcmscrub._version import __version__
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
from dcmscrub.batch.scrub import RunSummary, ScrubOptions, scrub_tree
from dcmscrub.batch.sink import AgeSink, PlainSink
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
