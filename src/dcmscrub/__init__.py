"""dcmscrub: de-identify DICOM per PS3.15 Annex E, with keyed pseudonyms, age-encrypted outputs
and a tamper-evident audit log.

Everything the command line does is one call here::

    import dcmscrub
    profile = dcmscrub.load_profile("research-longitudinal")
    summary = dcmscrub.scrub_tree([Path("inbox")], Path("release"), profile,
                                  recipients=[dcmscrub.parse_recipient("age1...")],
                                  linkage_key=dcmscrub.read_linkage_key_file(Path("project.key")),
                                  log=Path("audit.jsonl"))

or, on one in-memory dataset (no I/O)::

    report = dcmscrub.deidentify(ds, profile, dcmscrub.Pseudonymizer(key, profile.pseudonyms.namespace))
"""

__version__ = "0.1.0"

from dcmscrub.audit import AuditLog
from dcmscrub.auditcheck import VerifyResult, verify_log
from dcmscrub.container import (
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
from dcmscrub.crypt_files import decrypt_file, decrypt_paths, encrypt_file
from dcmscrub.engine import FileReport, deidentify
from dcmscrub.errors import DcmscrubError, ExitCode
from dcmscrub.keys import (
    generate_identity,
    generate_linkage_key,
    read_identity_file,
    read_linkage_key_file,
    read_recipients_file,
)
from dcmscrub.outtree import Shard
from dcmscrub.profile import Profile, load_profile
from dcmscrub.pseudonym import Pseudonymizer
from dcmscrub.runner import RunSummary, decrypt_tree, scrub_tree
from dcmscrub.worker import FileResult

__all__ = [
    "AgeWriter",
    "AuditLog",
    "DcmscrubError",
    "ExitCode",
    "FileReport",
    "FileResult",
    "Profile",
    "Pseudonymizer",
    "RunSummary",
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
