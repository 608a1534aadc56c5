"""Datasets with unknown tokens planted in every free-text VR at depths 0-3, for each clean option.

Used by tests/deid/test_clean_planted.py (the engine, in memory) and tests/batch/test_review.py
(a scrub run). What is planted: random codes of letters and digits, third-party names (several
origins, in PN form too: ``Okafor^Chidi``), place names, and names in scripts without spaces.
Around each planted token stand words of the field (``CT chest`` ... ``axial``), so a test sees
both that the token went and that ``clean`` ran (the field's words stayed) rather than a removal.
"""

from __future__ import annotations

import random
import string

import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

OPTIONS = ("clean-descriptors", "clean-structured-content", "clean-graphics")
FREE_TEXT_VRS = ("LO", "SH", "ST", "LT", "UT", "UC", "PN")
DEPTHS = (0, 1, 2, 3)

# Free text outside Table E.1-1 (docs: "Beyond the table"), one attribute per VR: cleaned under
# clean-descriptors wherever it is, and inside a cleaned sequence under the other two options
TARGETS = {
    "LO": "WedgeDescription",
    "SH": "TargetLabel",
    "ST": "InterventionDescription",
    "LT": "CalibrationNotes",
    "UT": "InstructionDescription",
    "UC": "PotentialReasonsForProcedure",
    "PN": "EvaluatorName",
}
# Table E.1-1 descriptors (C under clean-descriptors), planted at the top level too
TABLE_DESCRIPTORS = {
    "LO": "SeriesDescription",
    "ST": "DerivationDescription",
    "LT": "ImageComments",
}
# The sequences each option walks cleaning the text inside: the planted elements sit in the items
# of this sequence, nested ``depth`` times
CONTAINERS = {
    "clean-descriptors": "RequestAttributesSequence",
    "clean-structured-content": "ContentSequence",
    "clean-graphics": "GraphicAnnotationSequence",
}
SAFE_WORDS = ("CT", "chest", "axial")

THIRD_PARTIES = [
    ("Okafor", "Chidi"), ("Kowalski", "Agnieszka"), ("Nguyen", "Thanh"), ("Schmidt", "Jürgen"),
    ("Rossi", "Giulia"), ("Fernandez", "Lucia"), ("Haddad", "Karim"), ("Ivanova", "Olga"),
    ("Patel", "Priya"), ("Johansson", "Erik"), ("Murphy", "Siobhan"), ("Tanaka", "Hiroshi"),
    ("Smith", "John"), ("Garcia", "Maria"), ("Miller", "James"), ("Anderson", "Robert"),
]  # fmt: skip
PLACES = [
    "London", "Paris", "Boston", "Springfield", "Lyon", "Osaka", "Nairobi", "Lagos",
    "Toronto", "Munich", "Madrid", "Seattle", "Denver", "Krakow", "Hanoi", "Lima",
]  # fmt: skip
CJK_NAMES = ["山田太郎", "王小明", "佐藤花子", "李雷", "김민수", "박지훈"]


def random_codes(n: int, seed: int = 14) -> list[str]:
    """``n`` codes of 8-12 capital letters and digits with at least 2 of each (``ZQNJW6RC``)."""
    rnd = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        code = "".join(rnd.choice(string.ascii_uppercase + string.digits) for _ in range(rnd.randint(8, 12)))
        if sum(c.isdigit() for c in code) >= 2 and sum(c.isalpha() for c in code) >= 2:
            out.append(code)
    return out


def planted_kinds() -> dict[str, list[str]]:
    """Kind -> the tokens planted for it (a PN-form name counts as its two parts)."""
    return {
        "codes": random_codes(16),
        "third-parties": [f"{last}^{first}" for last, first in THIRD_PARTIES],
        "places": PLACES,
        "cjk": CJK_NAMES,
    }


def pieces(planted: str) -> list[str]:
    """What must not survive of a planted token (both parts of a PN-form name)."""
    return [p for p in planted.split("^") if p]


def value_for(vr: str, planted: str) -> str:
    """The value planted in an element of ``vr``: the token(s) among words of the field."""
    if vr == "PN":
        return planted if "^" in planted else f"{planted}^{planted}"
    if vr == "SH":
        return f"CT {pieces(planted)[0][:13]}"  # 16 characters at most, as the VR allows
    return f"CT chest {planted} axial"


def _plant(item: Dataset, tokens: list[str], *, table: bool) -> None:
    """Every token in one of the ST, LT, UT and UC elements (several to a value); the LO, SH and
    PN elements and the table's descriptors get one token each."""
    spread = [vr for vr in TARGETS if vr not in ("LO", "SH", "PN")]  # LO: 64 characters at most
    for vr, keyword in TARGETS.items():
        chunk = tokens[spread.index(vr) :: len(spread)] if vr in spread else tokens[:1]
        item.add_new(pydicom.datadict.tag_for_keyword(keyword), vr, value_for(vr, " ".join(chunk)))
    if table:
        for n, (vr, keyword) in enumerate(TABLE_DESCRIPTORS.items()):
            setattr(item, keyword, value_for(vr, tokens[(n + 1) % len(tokens)]))


def planted_dataset(option: str, depth: int, tokens: list[str]) -> Dataset:
    """A small object (SR for structured content, GSPS for graphics, CT otherwise) with ``tokens``
    planted in an element of every free-text VR, at ``depth`` sequences deep (0: top level)."""
    ds = Dataset()
    ds.SOPClassUID = {
        "clean-structured-content": "1.2.840.10008.5.1.4.1.1.88.33",
        "clean-graphics": "1.2.840.10008.5.1.4.1.1.11.1",
    }.get(option, "1.2.840.10008.5.1.4.1.1.2")
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1426.14.1"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.1426.14"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.1426.14.2"
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.PatientName = "DOE^JANE"
    ds.PatientID = "MRN12345"
    ds.Modality = {"clean-structured-content": "SR", "clean-graphics": "PR"}.get(option, "CT")
    target = ds
    container = pydicom.datadict.tag_for_keyword(CONTAINERS[option])
    for _ in range(depth):
        item = Dataset()
        target.add_new(container, "SQ", Sequence([item]))
        target = item
    _plant(target, tokens, table=depth == 0)
    if option == "clean-graphics" and depth == 0:
        ds.add_new(0x60000022, "LO", value_for("LO", tokens[-1]))  # OverlayDescription
        ds.add_new(0x60001500, "LO", value_for("LO", tokens[0]))  # OverlayLabel
    return ds


def cleaned_here(option: str, depth: int) -> bool:
    """True where the option cleans the planted elements (elsewhere the Basic Profile removes them)."""
    return option == "clean-descriptors" or depth > 0
