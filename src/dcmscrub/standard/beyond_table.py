"""What Table E.1-1 leaves to the implementer: attributes outside the table that are free text,
instance UIDs or dates, and the text elements of overlays and curves.

PS3.15 E.1.1 asks that text people type be "treated like the descriptors" wherever it appears,
and that UIDs and dates be handled consistently; the table lists only some of them.
"""

from __future__ import annotations

import functools

from pydicom.datadict import dictionary_VR, keyword_dict

from dcmscrub.standard.annex_e import load_table


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
    # a code string by its VR, but a label someone types for the object (PS3.3 C.10.9: "a label
    # that is used to identify this SOP Instance"): a presentation state's or segmentation's name
    "ContentLabel",
)

# Labels someone types that other elements of the object refer to by value: a presentation
# state's Graphic Layer names the layer in Graphic Annotation, Graphic Layer and other sequences.
# A keyed code keeps the references (and which layer is which) without the words.
KEYED_LABELS: frozenset[int] = _tags("GraphicLayer")

# Words that mark an attribute outside the table as text people type (E.1.1: "descriptors").
FREE_TEXT_WORDS = ("Description", "Comment", "Label", "Text", "Note", "Remark", "Explanation", "Reason")
FREE_TEXT_VRS = frozenset({"LO", "LT", "ST", "UT", "SH", "UC"})
# VRs whose values are free text or addresses whatever their keyword says: unlimited text (a
# segmentation's Tracking ID) and URLs (a Retrieve URL names a host and often the original UIDs)
ALWAYS_FREE_TEXT_VRS = frozenset({"UT", "UR"})
# ... except those that hold a code or a format, never what someone typed about the patient
_STRUCTURAL_UT_UR = _tags(
    "URNCodeValue",
    "CodingSchemeURL",
    "EXIFVersion",
    "BatteryLevel",
    "SpectralSensitivity",
    "ConceptualVolumeCombinationExpression",
    "PrivateDataElementEncoding",
)


@functools.cache
def free_text_tags() -> frozenset[int]:
    """Public attributes outside Table E.1-1 that hold typed text: the curated list above, every
    person name (PN), every unlimited text (UT) and URL (UR), and every LO/LT/ST/SH/UC attribute
    whose keyword says description, comment, label, text, note, remark, explanation or reason."""
    listed = set(load_table().by_tag)
    found = set(EXTRA_DESCRIPTORS)
    for keyword, tag in keyword_dict.items():
        if tag in listed or (tag >> 16) in (0x0000, 0x0002):
            continue
        vr = dictionary_VR(tag)
        if (
            vr == "PN"
            or (vr in ALWAYS_FREE_TEXT_VRS and tag not in _STRUCTURAL_UT_UR)
            or (vr in FREE_TEXT_VRS and any(w in keyword for w in FREE_TEXT_WORDS))
        ):
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

# Identifiers outside Table E.1-1 that people read and that name a patient's images, files or
# journeys (derived image IDs, file-set and file IDs of a DICOMDIR, print jobs, a passenger's
# boarding pass and itinerary): removed like the table's IDs (PS3.15 E.1.1 asks that identifying
# attributes the table does not list be handled too). (0020,3100) Source Image IDs names the images
# an image was made from, often by accession or study number: a repeating (retired) element,
# (0020,3100)-(0020,31FF), matched by SOURCE_IMAGE_IDS_MASK.
EXTRA_IDENTIFIERS: frozenset[int] = _tags(
    "ModifiedImageID",
    "ImageID",
    "ReferencedFileID",
    "FileSetID",
    "StorageMediaFileSetID",
    "HL7InstanceIdentifier",
    "OwnerID",
    "PrintJobID",
    "BoardingPassID",
    "ItineraryID",
    "RouteID",
    "RouteSegmentID",
    "CarrierID",
    # the retired forms of the order numbers Table E.1-1 lists (Placer/Filler Order Number Imaging
    # Service Request): the same identifiers under older tags
    "PlacerOrderNumberProcedure",
    "FillerOrderNumberProcedure",
    "PlacerOrderNumberImagingServiceRequestRetired",
    "FillerOrderNumberImagingServiceRequestRetired",
    # a veterinary patient's own registration number with its breed registry (PS3.3 C.7.1.1)
    "BreedRegistrationNumber",
    # an earlier de-identifier's copy of the original attributes (PS3.15 E.1.2), encrypted to a
    # key nobody here knows: a way back to the patient that no check can read
    "EncryptedContent",
)

SOURCE_IMAGE_IDS_MASK = (0x00203100, 0xFFFFFF00)  # (0020,31xx) Source Image IDs

# The patient's birth and death dates written in another calendar (PS3.3 C.7.1.1: LO text such as
# a Hijri or Buddhist date). Table E.1-1 lists neither, and no option keeps the birth date; as text
# they can be neither shifted nor matched against the Gregorian dates, so they always go.
ALTERNATIVE_CALENDAR_DATES: frozenset[int] = _tags(
    "PatientBirthDateInAlternativeCalendar",
    "PatientDeathDateInAlternativeCalendar",
)


def is_extra_identifier(tag: int) -> bool:
    """An identifier outside Table E.1-1 that goes (:data:`EXTRA_IDENTIFIERS`, Source Image IDs,
    dates in an alternative calendar)."""
    value, mask = SOURCE_IMAGE_IDS_MASK
    return tag in EXTRA_IDENTIFIERS or tag in ALTERNATIVE_CALENDAR_DATES or tag & mask == value


# Dates and date-times outside the table follow the date rules (removed, kept or shifted).
DATE_VRS = frozenset({"DA", "DT"})


# Code sequences that identify a person or an institution: the code value is a staff or
# institution ID, the meaning a name. Where the table says D for them (Person Identification Code
# Sequence) or they sit in such a sequence's items, their codes become dummies too; elsewhere a
# code's value and meaning are kept (they are the standard's or a device's words).
IDENTITY_CODE_SEQUENCES: frozenset[int] = _tags(
    "PersonIdentificationCodeSequence",
    "InstitutionCodeSequence",
    "VerifyingObserverIdentificationCodeSequence",
)
CODE_TEXTS: frozenset[int] = _tags("CodeValue", "CodeMeaning", "LongCodeValue", "URNCodeValue")
