"""The coding schemes the standard names (PS3.16 Table 8-1, Coding Schemes), by designator.

A code of one of these schemes is a word of its owner: its meaning is the scheme's, not text a
person typed. Any other designator (``99...`` private schemes, ``L`` and other local ones, none at
all) names a code someone made up, whose value and meaning may be anything: a name, an ID. The
engine treats those like the descriptors (deid/engine.py).
"""

from __future__ import annotations

from pydicom.datadict import keyword_dict

CODE_MEANING = keyword_dict["CodeMeaning"]
CODING_SCHEME_DESIGNATOR = keyword_dict["CodingSchemeDesignator"]
# the texts of a code that may say anything when its scheme is not the standard's
LOCAL_CODE_TEXTS: frozenset[int] = frozenset(
    {keyword_dict["CodeValue"], CODE_MEANING, keyword_dict["LongCodeValue"]}
)

STANDARD_CODING_SCHEMES: frozenset[str] = frozenset(
    {
        "ACR", "ASTM-sigpurpose", "BARI", "C4", "C5", "CD2", "DC", "DCM", "DCMUID", "FMA", "HPC",
        "I10", "I10P", "I9", "I9C", "IBSI", "ICD10", "ICDO3", "ISO3166_1", "ISO639_1", "ISO639_2",
        "ITIS_TSN", "LN", "MA", "MDC", "MDNS", "MGI", "MSH", "NCBI", "NCDR", "NCIt", "NDC", "NEU",
        "PUBCHEM_CID", "RADLEX", "RFC3066", "RFC5646", "RO", "RXNORM", "SCPECG", "SCT", "SNM3",
        "SRT", "UBERON", "UCUM", "UMLS", "UNS", "UPC", "WHOATC",
    }
)  # fmt: skip


def is_standard_scheme(designator: str) -> bool:
    """True when ``designator`` (as stored, padding removed) names a scheme of PS3.16 Table 8-1."""
    return designator.strip(" \x00") in STANDARD_CODING_SCHEMES
