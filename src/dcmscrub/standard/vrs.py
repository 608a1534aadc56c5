"""Value representations (PS3.5 6.2) grouped by what de-identification can do with them."""

from __future__ import annotations

from pydicom.valuerep import BYTES_VR

# Text a person or a device wrote: what ``clean`` works on (a PN, a description, an AE title ...)
TEXT_VRS = frozenset({"AE", "CS", "LO", "LT", "PN", "SH", "ST", "UC", "UT", "UR"})
DATE_VRS = frozenset({"DA", "DT"})
# Values that are bytes: never decoded, never cleaned (OB, OD, OF, OL, OV, OW, UN)
BINARY_VRS = frozenset(vr.value for vr in BYTES_VR)
# Binary numbers and AT: an empty value is None to pydicom
BINARY_NUMBER_VRS = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "AT"})
# Values that cannot hold a replacement string
NO_STRING_VRS = BINARY_VRS | BINARY_NUMBER_VRS | {"SQ"}
