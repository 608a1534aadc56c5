"""The version of dcmscrub (one place; imported by the package, the audit log and file meta)."""

__version__ = "0.1.0"
