"""Key files: the four kinds of key and who holds them (docs/crypto-audit.md section 2).

- age identities (X25519): only with those who may read outputs; recipients files list their
  public keys for the scrubbing host;
- the linkage secret: the HMAC master key of every keyed pseudonym;
- the audit signing key (Ed25519): signs the audit log's checkpoints;
- passphrase files: for scrypt-encrypted files made by hand.

Each kind lives in its own file format, generated, formatted and read here, with ssh-like
protection checks on every secret file (:mod:`dcmscrub.keys.protect`).
"""

from dcmscrub.keys.identity import (
    format_identity_file,
    generate_identity,
    read_identity_file,
    read_passphrase_file,
    read_recipients_file,
    recipient_set_fingerprint,
)
from dcmscrub.keys.linkage import (
    LINKAGE_KEY_SIZE,
    format_linkage_key_file,
    generate_linkage_key,
    linkage_key_id,
    read_linkage_key_file,
)
from dcmscrub.keys.protect import (
    check_new_secret_file,
    open_secret_file,
    write_public_file,
    write_secret_file,
)
from dcmscrub.keys.public import public_lines
from dcmscrub.keys.signing import (
    audit_public_key_str,
    format_audit_key_file,
    generate_audit_key,
    parse_audit_public_key,
    read_audit_key_file,
    read_audit_public_key_file,
)

__all__ = [
    "LINKAGE_KEY_SIZE",
    "audit_public_key_str",
    "check_new_secret_file",
    "format_audit_key_file",
    "format_identity_file",
    "format_linkage_key_file",
    "generate_audit_key",
    "generate_identity",
    "generate_linkage_key",
    "linkage_key_id",
    "open_secret_file",
    "parse_audit_public_key",
    "public_lines",
    "read_audit_key_file",
    "read_audit_public_key_file",
    "read_identity_file",
    "read_linkage_key_file",
    "read_passphrase_file",
    "read_recipients_file",
    "recipient_set_fingerprint",
    "write_public_file",
    "write_secret_file",
]
