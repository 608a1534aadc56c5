"""UIDs the standard itself defines (SOP classes, transfer syntaxes, well-known instances)."""

from __future__ import annotations

# Standard UIDs never change under de-identification (they name kinds of things, not instances).
STANDARD_UID_PREFIX = "1.2.840.10008."
