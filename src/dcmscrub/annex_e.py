"""The standard's de-identification actions as data the engine reads.

Table E.1-1 (PS3.15 2024b) comes from the generated ``profiles/table-e1-1.yaml`` (see
``tools/gen_annex_e.py``); this module loads it once per process and adds what the table leaves
to the implementer: which attributes outside the table are free text (E.1.1: "... shall be
treated like the descriptors"), which are instance UIDs or dates, and how an action code is
chosen when several enabled options name the same attribute.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import yaml
from pydicom._dicom_dict import DicomDictionary
from pydicom.datadict import keyword_dict

from dcmscrub.profile import OPTIONS, read_table_text

# Action codes, from least to most revealing. When several enabled options name one attribute,
# the least revealing of their actions wins (e.g. CalibrationDateTime under both
# retain-device-identity (K) and retain-long-modified-dates (C) is shifted, not kept).
REVEAL_ORDER = ("X", "Z", "D", "U", "C", "K")


@dataclass(frozen=True)
class TableRow:
    """One row of Table E.1-1: Basic Profile action and per-option actions."""

    tag: str  # 8 hex digits, may hold x (repeating groups) or be ggggeeee (all private)
    keyword: str
    vr: str | None
    basic: str
    options: dict[str, str]

    def action_for(self, options: frozenset[str]) -> str:
        """The row's action under the enabled ``options``."""
        named = [self.options[o] for o in options if o in self.options]
        if not named:
            return self.basic
        return min(named, key=REVEAL_ORDER.index)


@dataclass(frozen=True)
class Table:
    """Table E.1-1 plus the CID 7050 codes of the Basic Profile and each option."""

    rows: tuple[TableRow, ...]
    codes: dict[str, tuple[str, str, str]]  # option (or "basic") -> (value, scheme, meaning)

    @functools.cached_property
    def by_tag(self) -> dict[int, TableRow]:
        """Rows for single public tags, by tag number."""
        return {int(r.tag, 16): r for r in self.rows if all(c in "0123456789abcdef" for c in r.tag)}

    def row(self, tag: str) -> TableRow:
        """The row with this exact tag text (e.g. ``60xx3000``)."""
        for r in self.rows:
            if r.tag == tag:
                return r
        raise KeyError(tag)


@functools.cache
def load_table() -> Table:
    """Load the generated Table E.1-1 data (once per process)."""
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster when present
    data = yaml.load(read_table_text(), Loader=loader)  # noqa: S506 (a safe loader)
    rows = []
    for r in data["rows"]:
        opts = {o: r[o] for o in OPTIONS if o in r}
        rows.append(TableRow(r["tag"], r["keyword"], r.get("vr"), r["basic"], opts))
    for r in data.get("later_rows", []):
        rows.append(TableRow(r["tag"], "", None, r["basic"], {}))
    codes = {k: (v["code"], v["scheme"], v["meaning"]) for k, v in data["cid7050"].items()}
    return Table(tuple(rows), codes)


@functools.cache
def load_safe_private() -> frozenset[tuple[str, int, int]]:
    """Table E.3.10-1 as ``(creator, group, element low byte)`` triples (once per process)."""
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(read_table_text("table-e3-10-1.yaml"), Loader=loader)  # noqa: S506 (a safe loader)
    out = set()
    for r in data["rows"]:
        element = r["element"]  # (GGGG,xxEE)
        out.add((r["creator"], int(element[1:5], 16), int(element[8:10], 16)))
    return frozenset(out)


def _tags(*keywords: str) -> frozenset[int]:
    return frozenset(keyword_dict[k] for k in keywords)


# Free text outside Table E.1-1 that people type (E.1.1 asks to treat such text like the
# table's descriptors): removed by the Basic Profile, cleaned with clean-descriptors. TextValue
# is here because the table handles it only through ContentSequence.
EXTRA_DESCRIPTORS: frozenset[int] = _tags(
    "TextValue",
    "ErrorComment",
    "InventoryInstanceDescription",
    "TransactionStatusComment",
    "StrainAdditionalInformation",
    "StrainDescription",
    "GeneticModificationsDescription",
    "MaterialNotes",
    "IndicationDescription",
    "CalibrationNotes",
    "PulserNotes",
    "ReceiverNotes",
    "PreAmplifierNotes",
    "ProbeDriveNotes",
    "InterventionDescription",
    "DetectorDescription",
    "ExposureControlModeDescription",
    "InstructionDescription",
    "InstructionPerformanceComment",
    "CalculationComment",
    "CommentsOnPatientPerformanceOfVisualField",
    "PartialViewDescription",
    "MaskOperationExplanation",
    "CommentsOnTheScheduledProcedureStep",
    "SpecimenDescriptionTrial",
    "DocumentTitle",
    "ApprovalStatusFurtherDescription",
    "AssertionComments",
    "SegmentDescription",
    "SegmentLabel",
    "SurfaceComments",
    "TrackSetDescription",
    "TrackSetLabel",
    "InformationSummary",
    "GraphicGroupDescription",
    "FiducialDescription",
    "ProcedureStepProgressDescription",
    "ReasonForCancellation",
    "AssessmentSummaryDescription",
    "ObservationDescription",
    "SOPAuthorizationComment",
    "MediaDisposition",
    "RTImageDescription",
    "RTImageLabel",
    "RTImageName",
    "MeasuredDoseDescription",
    "OverrideReason",
    "CalculatedDoseReferenceDescription",
    "TreatmentStatusComment",
    "SetupReferenceDescription",
    "SetupImageComment",
    "TreatmentTerminationDescription",
    "SecondaryReviewerName",
    "EvaluatorName",
    "DocumentAuthorTrial",
    "ContactDisplayName",
    "SystemStatusComment",
    "TestResultComment",
    "PerformedProcedureTypeDescription",
    "CompletionFlagDescription",
    "SubstanceAdministrationNotes",
    "GraphicLayerDescription",
    "ContentDescription",
    "GraphicGroupLabel",
    "HangingProtocolName",
    "HangingProtocolDescription",
    "HangingProtocolUserGroupName",
    "ImageSetLabel",
    "DisplaySetLabel",
    "WorklistLabel",
    "ProcedureStepLabel",
    "DataSetName",
    "DataSetDescription",
    "FilmSessionLabel",
    "DoseComment",
    "FrameOfReferenceTransformationComment",
    "PatientSetupLabel",
    "InstructionText",
    "PotentialReasonsForProcedure",
    "AssessmentLabel",
    "FrameOfInterestDescription",
    "ReferenceLocationDescription",
    "ReferenceLocationLabel",
    "ProtocolPlanningInformation",
    "ProtocolDesignRationale",
    "ProtocolElementCharacteristicsSummary",
    "ProtocolElementPurpose",
    "DimensionDescriptionLabel",
    "FrameLabel",
)

# Words that mark an attribute outside the table as text people type (E.1.1: "descriptors").
FREE_TEXT_WORDS = ("Description", "Comment", "Label", "Text", "Note", "Remark", "Explanation", "Reason")
FREE_TEXT_VRS = frozenset({"LO", "LT", "ST", "UT", "SH", "UC"})


@functools.cache
def free_text_tags() -> frozenset[int]:
    """Public attributes outside Table E.1-1 that hold typed text: the curated list above, every
    person name (PN), and every LO/LT/ST/UT/SH/UC attribute whose keyword says description,
    comment, label, text, note, remark, explanation or reason."""
    listed = set(load_table().by_tag)
    found = set(EXTRA_DESCRIPTORS)
    for tag, (vr, _vm, _name, _retired, keyword) in DicomDictionary.items():
        if tag in listed or (tag >> 16) in (0x0000, 0x0002):
            continue
        if vr == "PN" or (vr in FREE_TEXT_VRS and any(w in keyword for w in FREE_TEXT_WORDS)):
            found.add(tag)
    return frozenset(found)


# Free text of overlays and curves (repeating groups): the same treatment, and also cleaned
# (rather than removed) with clean-graphics. Keys are the element number inside the group.
OVERLAY_TEXT_ELEMENTS = frozenset({0x0022, 0x0045, 0x1500, 0x4000})  # description, subtype, label, comments
CURVE_TEXT_ELEMENTS = frozenset({0x0022, 0x0030, 0x0040, 0x0106, 0x200E, 0x2500})  # description ... label

# Instance UIDs outside Table E.1-1: remapped like the table's U rows so that references to
# the instances, frames of reference and concatenations they name stay consistent.
EXTRA_UIDS: frozenset[int] = _tags(
    "MultiFrameSourceSOPInstanceUID",
    "SOPInstanceUIDOfConcatenationSource",
    "TargetFrameOfReferenceUID",
    "VolumeFrameOfReferenceUID",
    "TableFrameOfReferenceUID",
    "ReferencedColorPaletteInstanceUID",
    "AssertionUID",
    "ReferencedAssertionUID",
    "ModelGroupUID",
    "ReferencedFiducialUID",
    "VolumetricPresentationInputSetUID",
    "TableTopPositionAlignmentUID",
    "EquipmentFrameOfReferenceUID",
    "RTVCommunicationSOPInstanceUID",
    "PrivateRecordUID",
    "FindingsGroupUIDTrial",
    "ReferencedFindingsGroupUIDTrial",
    "RadiopharmaceuticalAdministrationEventUID",
)

# Dates and date-times outside the table follow the date rules (removed, kept or shifted).
DATE_VRS = frozenset({"DA", "DT"})

# The option whose column governs dates, for attributes outside the table.
DATE_OPTIONS = ("retain-long-full-dates", "retain-long-modified-dates")

# Standard UIDs (SOP classes, transfer syntaxes, well-known instances) never change.
STANDARD_UID_PREFIX = "1.2.840.10008."
