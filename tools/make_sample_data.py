#!/usr/bin/env python3
"""Write dcmscrub's synthetic sample DICOM set (fake PHI everywhere) into a folder.

Usage: ``python tools/make_sample_data.py [OUT]`` (default ``sample_data``; ``make sample-data``).

What it makes, and why
----------------------
A small, deterministic tree of DICOM and non-DICOM files that exercises what a PS3.15 Annex E
de-identifier has to get right. Every name, ID, address, phone number, date and device identity in it
is fake and planted on purpose, and the folder and file names carry that fake PHI too, so a test can
prove that none of it reaches the output tree.

* Patient 1 ``DOE^JANE^SAMPLE`` / ``FAKE-MRN-0001``

  - CT Image Storage, one series of 4 slices of 64x64, Explicit VR Little Endian: birth date, sex, age,
    weight, address, phone; institution name/address; referring/performing physicians, operator,
    station name, device serial number; study/series descriptions with the patient's name and MRN;
    ImageComments with a phone number and a date; RequestAttributesSequence (requested procedure ID,
    scheduled step ID, free-text reason naming the patient), ReferencedStudySequence,
    OtherPatientIDsSequence with a nested IssuerOfPatientID; ReferencedImageSequence pointing at the
    previous slice (reference integrity); a ``SIEMENS MR HEADER`` block in group 0019 holding one
    element of Table E.3.10-1 (``(0019,xx0C)`` IS "B Value") and one LO with PHI; an ``ACME PRIVATE
    PHI`` block in group 0011 with the name and birth date and a private sequence with PHI in it; an
    overlay in group 6000 whose description and label name the patient. One slice has an odd name
    without extension, one a misleading ``.jpg`` extension, and an empty file sits beside them.
  - Comprehensive SR in the same study: a content tree 3 levels deep (CONTAINER, TEXT naming the
    patient, PNAME, DATE, TIME, DATETIME, UIDREF to a CT instance, NUM with an IMAGE reference under
    it), CurrentRequestedProcedureEvidenceSequence over the CT series, VerifyingObserverSequence.

* Patient 2 ``ROE^RICHARD^SAMPLE`` / ``FAKE-MRN-0002``

  - MR Image Storage, 3 slices of 64x64, Implicit VR Little Endian, with a ``SIEMENS MR HEADER`` block.
    The third slice is written the way old systems did: no 128-byte preamble, no ``DICM`` prefix and
    no File Meta Information (pydicom reads it back with ``force=True``).
  - ``preview.dcm``: not DICOM at all (a PNG signature and bytes from a fixed seed).

* Patient 3 ``NOBODY^ALEX^SAMPLE`` / ``FAKE-MRN-0003``: a File-set with a ``DICOMDIR`` (written by
  :class:`pydicom.fileset.FileSet`, so the instance files get its ``PT*/ST*/SE*/IM*`` names)

  - Secondary Capture, MONOCHROME2, BurnedInAnnotation ``YES``, and the patient's name and MRN really
    are drawn into the pixels: the tool must quarantine it.
  - Secondary Capture, RGB, BurnedInAnnotation ``NO``: a screen capture, so still held back unless a
    pixels rule or the detector clears it.
  - One CT slice encoded RLE Lossless (pydicom's own RLE encoder needs no numpy).

* ``README.txt`` and ``MANIFEST.json`` (both plain text). ``MANIFEST.json`` lists every generated
  file (relative path, kind, SOP class, transfer syntax, patient, size, SHA-256, the expected outcome
  for dcmscrub) and the planted PHI (``phi_strings``), the dates (``date_strings``), the UIDs and the
  strings that an option of Table E.1-1 may legitimately keep (``kept_by_option``).

``MANIFEST.json`` also lists ``references``: every UI element that holds another generated file's
SOP Instance UID (CT slice to slice, SR evidence and content to the CT), which must still resolve
after UIDs are replaced, and ``uids``: every UID under the fake root that the files hold.

The output is byte-for-byte the same on every run: no clock, no unseeded randomness, fixed UIDs
under the fake root ``1.2.826.0.1.3680043.10.1426.`` and a fixed Implementation Class UID and
Version Name. One exception to version independence: the DICOMDIR's File Meta Information carries
pydicom's own Implementation Class UID and Version Name (``FileSet`` writes it; changing it after
the fact would shift the record offsets), so another pydicom version changes that one file.

dciodvfy (dicom3tools 1.00~20220618) reports no ``Error`` for any DICOM file here, the raw MR slice
and the DICOMDIR included. Its remaining warnings are deliberate: Patient's Address and Patient's
Telephone Numbers are not in these IODs (planted PHI, so each object is a Standard Extended SOP
Class), the private elements are unknown to it, and the SR's one local code (scheme
``99DCMSCRUB``, for "Measured SOP Instance UID": DCM has no such concept) is not a defined term.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import struct
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydicom import dcmwrite
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.fileset import FileSet
from pydicom.sequence import Sequence as DicomSequence
from pydicom.uid import (
    UID,
    ComprehensiveSRStorage,
    CTImageStorage,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    MRImageStorage,
    RLELossless,
    SecondaryCaptureImageStorage,
)

UID_ROOT = "1.2.826.0.1.3680043.10.1426."
"""Fake UID root for everything generated here (no real organisation's root)."""
IMPLEMENTATION_CLASS_UID = UID(UID_ROOT + "0.1")
IMPLEMENTATION_VERSION_NAME = "DCMSCRUB_SAMPLE1"
MEDIA_STORAGE_DIRECTORY = UID("1.2.840.10008.1.3.10")
DETACHED_STUDY_MANAGEMENT = UID("1.2.840.10008.3.1.2.3.1")
SEED = 20240115
"""Seed for the only random bytes (the non-DICOM ``preview.dcm``)."""

MANUFACTURER = "dcmscrub synthetic"
INSTITUTION = "Sample General Hospital"
INSTITUTION_ADDRESS = "1 Fake Street, Faketown"
INSTITUTION_DEPARTMENT = "Fake Radiology"
REFERRING = "BLOGGS^JOE^DR"
PERFORMING = "SMITHEE^ALAN^DR"
OPERATOR = "MUSTERMANN^MAX"
CT_STATION = "FAKECT01"
MR_STATION = "FAKEMR02"
WS_STATION = "FAKEWS03"
CT_SERIAL = "FAKESN-CT-0001"
MR_SERIAL = "FAKESN-MR-0002"
WS_SERIAL = "FAKESN-WS-0003"


@dataclass(frozen=True)
class Patient:
    """One fake patient and the fake PHI that goes with them."""

    number: int
    name: str  # PN, family^given^middle
    patient_id: str
    birth_date: str
    sex: str
    age: str
    weight: str
    size: str
    address: str
    phone: str
    other_id: str
    folder: str

    @property
    def spoken(self) -> str:
        """The name as free text writes it: ``DOE JANE``."""
        family, given = self.name.split("^")[:2]
        return f"{family} {given}"


@dataclass(frozen=True)
class Study:
    """One study of a patient."""

    number: int
    uid: str
    date: str
    time: str
    study_id: str
    accession: str


PATIENTS = (
    Patient(
        1,
        "DOE^JANE^SAMPLE",
        "FAKE-MRN-0001",
        "19650312",
        "F",
        "058Y",
        "61.5",
        "1.68",
        "2 Fake Avenue, Fakeville",
        "555-0100",
        "FAKE-OLD-0001",
        "DOE_JANE_FAKE-MRN-0001",
    ),
    Patient(
        2,
        "ROE^RICHARD^SAMPLE",
        "FAKE-MRN-0002",
        "19781105",
        "M",
        "045Y",
        "82",
        "1.81",
        "3 Fake Avenue, Fakeville",
        "555-0101",
        "FAKE-OLD-0002",
        "ROE_RICHARD_FAKE-MRN-0002",
    ),
    Patient(
        3,
        "NOBODY^ALEX^SAMPLE",
        "FAKE-MRN-0003",
        "19900728",
        "O",
        "033Y",
        "70",
        "1.75",
        "4 Fake Avenue, Fakeville",
        "555-0102",
        "FAKE-OLD-0003",
        "NOBODY_ALEX_FAKE-MRN-0003",
    ),
)
P1, P2, P3 = PATIENTS


def _iso(date: str) -> str:
    """YYYYMMDD -> YYYY-MM-DD, the way folder names and free text write dates."""
    return f"{date[:4]}-{date[4:6]}-{date[6:]}"


def uid(*parts: int) -> UID:
    """A fixed UID under the fake root: ``UID_ROOT`` + the given numbers joined by dots."""
    return UID(UID_ROOT + ".".join(str(p) for p in parts))


# UID layout: 2.<patient>.<study> study, 3.<p>.<st>.<series> series, 4.<p>.<st>.<se>.<n> instance,
# 5.<p>.<st>.<se> frame of reference, 6.<p> file-set, 7.<p>.<n> other (request, observer, device).
STUDIES = {
    1: Study(1, uid(2, 1, 1), "20240115", "093000", "FAKESTUDY01", "FAKEACC0001"),
    2: Study(1, uid(2, 2, 1), "20240220", "141500", "FAKESTUDY02", "FAKEACC0002"),
    3: Study(1, uid(2, 3, 1), "20240305", "080000", "FAKESTUDY03", "FAKEACC0003"),
}
STUDY_DESCRIPTIONS = {
    1: f"CT chest for {P1.spoken} MRN {P1.patient_id}",
    2: f"MR brain for {P2.spoken} MRN {P2.patient_id}",
    3: f"Screenshots for {P3.spoken} MRN {P3.patient_id}",
}
PRIOR_DATE = "2023-12-01"
"""A date written into free text (ImageComments)."""


# --------------------------------------------------------------------------------------------------
# Building blocks


def _file_meta(sop_class: str, sop_instance: str, transfer_syntax: str) -> FileMetaDataset:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UID(sop_class)
    meta.MediaStorageSOPInstanceUID = UID(sop_instance)
    meta.TransferSyntaxUID = UID(transfer_syntax)
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    return meta


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _composite(
    sop_class: str,
    sop_instance: str,
    transfer_syntax: str,
    patient: Patient,
    study: Study,
    modality: str,
    series_uid: str,
    series_number: int,
    series_description: str,
) -> Dataset:
    """SOP Common, Patient, General Study, Patient Study, General Series, General Equipment."""
    ds = Dataset()
    ds.file_meta = _file_meta(sop_class, sop_instance, transfer_syntax)
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.InstanceCreationDate = study.date
    ds.InstanceCreationTime = study.time
    ds.SOPClassUID = UID(sop_class)
    ds.SOPInstanceUID = UID(sop_instance)
    ds.StudyDate = study.date
    ds.SeriesDate = study.date
    ds.StudyTime = study.time
    ds.SeriesTime = study.time
    ds.AccessionNumber = study.accession
    ds.Modality = modality
    ds.Manufacturer = MANUFACTURER
    ds.InstitutionName = INSTITUTION
    ds.InstitutionAddress = INSTITUTION_ADDRESS
    ds.ReferringPhysicianName = REFERRING
    ds.StudyDescription = STUDY_DESCRIPTIONS[patient.number]
    ds.SeriesDescription = series_description
    ds.InstitutionalDepartmentName = INSTITUTION_DEPARTMENT
    ds.PatientName = patient.name
    ds.PatientID = patient.patient_id
    ds.IssuerOfPatientID = "FAKE ISSUER"
    ds.PatientBirthDate = patient.birth_date
    ds.PatientSex = patient.sex
    ds.PatientAge = patient.age
    ds.PatientSize = patient.size
    ds.PatientWeight = patient.weight
    ds.PatientAddress = patient.address
    ds.PatientTelephoneNumbers = patient.phone
    other = Dataset()  # Patient module: other IDs, with an issuer (Type 3 items)
    other.PatientID = patient.other_id
    other.IssuerOfPatientID = "FAKE OLD HOSPITAL"
    other.TypeOfPatientID = "TEXT"
    ds.OtherPatientIDsSequence = DicomSequence([other])
    ds.StudyInstanceUID = UID(study.uid)
    ds.SeriesInstanceUID = UID(series_uid)
    ds.StudyID = study.study_id
    ds.SeriesNumber = series_number
    return ds


def _image_pixel_mono16(ds: Dataset, rows: int, cols: int, pixels: Sequence[int], bits_stored: int) -> None:
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0
    ds.PixelData = struct.pack(f"<{rows * cols}H", *pixels)


def _phantom(size: int, slice_index: int, inside: int, outside: int, blob: int) -> list[int]:
    """A disc (body) with a small bright disc (lesion) that moves with the slice: a plausible image."""
    centre = (size - 1) / 2
    radius = size * 0.42
    lx, ly = centre + 8 - 2 * slice_index, centre - 6 + slice_index
    out = []
    for y in range(size):
        for x in range(size):
            if (x - lx) ** 2 + (y - ly) ** 2 <= 16:
                out.append(blob)
            elif (x - centre) ** 2 + (y - centre) ** 2 <= radius**2:
                out.append(inside + ((x + y + slice_index) % 7) * 3)
            else:
                out.append(outside)
    return out


def _overlay(size: int) -> bytes:
    """A 1-bit overlay (a square outline), packed as DICOM overlay data (LSB first)."""
    bits = []
    for y in range(size):
        for x in range(size):
            on = 20 <= x <= 44 and 20 <= y <= 44 and (x in (20, 44) or y in (20, 44))
            bits.append(1 if on else 0)
    packed = bytearray()
    for i in range(0, len(bits), 8):
        packed.append(sum(b << k for k, b in enumerate(bits[i : i + 8])))
    return bytes(packed)


# A 3x5 font for the text burned into the Secondary Capture: only the glyphs it needs.
_FONT = {
    "A": ("010", "101", "111", "101", "101"),
    "B": ("110", "101", "110", "101", "110"),
    "D": ("110", "101", "101", "101", "110"),
    "E": ("111", "100", "110", "100", "111"),
    "L": ("100", "100", "100", "100", "111"),
    "N": ("101", "111", "111", "101", "101"),
    "O": ("111", "101", "101", "101", "111"),
    "X": ("101", "101", "010", "101", "101"),
    "Y": ("101", "101", "010", "010", "010"),
    "0": ("111", "101", "101", "101", "111"),
    "3": ("111", "001", "011", "001", "111"),
    " ": ("000", "000", "000", "000", "000"),
}


def _burn_text(pixels: bytearray, width: int, lines: Iterable[str], scale: int = 2) -> None:
    """Draw text (white, 8-bit) into a row-major image, one line under the other."""
    for line_no, text in enumerate(lines):
        top = 4 + line_no * (5 * scale + 4)
        for char_no, char in enumerate(text):
            left = 2 + char_no * (3 * scale + 2)
            for gy, row in enumerate(_FONT[char]):
                for gx, bit in enumerate(row):
                    if bit == "1":
                        for dy in range(scale):
                            for dx in range(scale):
                                pixels[(top + gy * scale + dy) * width + left + gx * scale + dx] = 255


# --------------------------------------------------------------------------------------------------
# The objects


def _ct_slice(patient: Patient, study: Study, series: int, index: int) -> Dataset:
    """One slice of an axial CT series (CT Image IOD), with the planted PHI of the brief."""
    sop = uid(4, patient.number, study.number, series, index)
    ds = _composite(
        CTImageStorage,
        sop,
        ExplicitVRLittleEndian,
        patient,
        study,
        "CT",
        uid(3, patient.number, study.number, series),
        series,
        f"Axial chest {patient.spoken} {patient.patient_id}",
    )
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.AcquisitionDate = study.date
    ds.ContentDate = study.date
    ds.AcquisitionTime = study.time
    ds.ContentTime = study.time
    ds.StationName = CT_STATION
    ds.PerformingPhysicianName = PERFORMING
    ds.OperatorsName = OPERATOR
    ds.ManufacturerModelName = "Synthetic CT"
    ds.DeviceSerialNumber = CT_SERIAL
    ds.SoftwareVersions = "1"
    ds.BodyPartExamined = "CHEST"
    ds.ScanOptions = "HELICAL"
    ds.SliceThickness = "5"
    ds.KVP = "120"
    ds.DataCollectionDiameter = "500"
    ds.ReconstructionDiameter = "350"
    ds.GantryDetectorTilt = "0"
    ds.TableHeight = "150"
    ds.RotationDirection = "CW"
    ds.ExposureTime = "500"
    ds.XRayTubeCurrent = "200"
    ds.ConvolutionKernel = "STANDARD"
    ds.PatientPosition = "HFS"
    ds.AcquisitionNumber = 1
    ds.InstanceNumber = index
    ds.ImagePositionPatient = ["-175", "-175", str(-50 + 5 * (index - 1))]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.FrameOfReferenceUID = uid(5, patient.number, study.number, series)
    ds.PositionReferenceIndicator = ""
    ds.SliceLocation = str(-50 + 5 * (index - 1))
    ds.PixelSpacing = ["5.46875", "5.46875"]
    ds.ImageComments = f"Call back {patient.phone}; prior CT {PRIOR_DATE} for {patient.spoken}"
    _image_pixel_mono16(ds, 64, 64, _phantom(64, index, 1064, 24, 1400), 12)
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    ds.WindowCenter = "40"
    ds.WindowWidth = "400"

    # General Study: a reference to the study itself (as MPPS would send it).
    ref_study = Dataset()
    ref_study.ReferencedSOPClassUID = DETACHED_STUDY_MANAGEMENT
    ref_study.ReferencedSOPInstanceUID = UID(study.uid)
    ds.ReferencedStudySequence = DicomSequence([ref_study])

    # General Series: the order that asked for this series.
    request = Dataset()
    request.AccessionNumber = study.accession
    request.StudyInstanceUID = UID(study.uid)
    request.RequestedProcedureDescription = "CT chest"
    request.RequestedProcedureID = f"FAKEREQ000{patient.number}"
    request.ReasonForTheRequestedProcedure = f"Cough in {patient.spoken} ({patient.patient_id})"
    request.ScheduledProcedureStepID = f"FAKESPS000{patient.number}"
    request.ScheduledProcedureStepDescription = "CT chest"
    ds.RequestAttributesSequence = DicomSequence([request])
    ds.PerformedProcedureStepStartDate = study.date
    ds.PerformedProcedureStepStartTime = study.time
    ds.PerformedProcedureStepID = f"FAKEPPS000{patient.number}"

    # General Image: each slice refers to its neighbour (reference integrity after UID remapping).
    other_index = index - 1 if index > 1 else 2
    ref_image = Dataset()
    ref_image.ReferencedSOPClassUID = CTImageStorage
    ref_image.ReferencedSOPInstanceUID = uid(4, patient.number, study.number, series, other_index)
    ds.ReferencedImageSequence = DicomSequence([ref_image])

    # Private data: one block that Table E.3.10-1 partly knows, one that is all PHI.
    siemens = ds.private_block(0x0019, "SIEMENS MR HEADER", create=True)
    siemens.add_new(0x0C, "IS", "0")  # (0019,xx0C) B Value: safe per Table E.3.10-1
    siemens.add_new(0x20, "LO", f"Registered by {patient.name}")  # not in the safe list
    acme = ds.private_block(0x0011, "ACME PRIVATE PHI", create=True)
    acme.add_new(0x01, "LO", f"{patient.name} {patient.birth_date}")
    nested = Dataset()
    nested_block = nested.private_block(0x0011, "ACME PRIVATE PHI", create=True)
    nested_block.add_new(0x02, "LO", patient.patient_id)
    nested_block.add_new(0x03, "LO", f"{patient.address} {patient.phone}")
    acme.add_new(0x10, "SQ", DicomSequence([nested]))

    # Overlay Plane module in group 6000 (Type 3 description and label carry the name).
    ds.add_new(0x60000010, "US", 64)  # Overlay Rows
    ds.add_new(0x60000011, "US", 64)  # Overlay Columns
    ds.add_new(0x60000022, "LO", f"Region drawn for {patient.name}")  # Overlay Description
    ds.add_new(0x60000040, "CS", "R")  # Overlay Type: ROI
    ds.add_new(0x60000050, "SS", [1, 1])  # Overlay Origin
    ds.add_new(0x60000100, "US", 1)  # Overlay Bits Allocated
    ds.add_new(0x60000102, "US", 0)  # Overlay Bit Position
    ds.add_new(0x60001500, "LO", f"{patient.spoken} ROI")  # Overlay Label
    ds.add_new(0x60003000, "OW", _overlay(64))  # Overlay Data
    return ds


def _mr_slice(patient: Patient, study: Study, series: int, index: int) -> Dataset:
    """One slice of an axial MR series (MR Image IOD), Implicit VR Little Endian."""
    sop = uid(4, patient.number, study.number, series, index)
    ds = _composite(
        MRImageStorage,
        sop,
        ImplicitVRLittleEndian,
        patient,
        study,
        "MR",
        uid(3, patient.number, study.number, series),
        series,
        f"T2 axial {patient.spoken}",
    )
    ds.ImageType = ["ORIGINAL", "PRIMARY", "OTHER"]
    ds.AcquisitionDate = study.date
    ds.ContentDate = study.date
    ds.AcquisitionTime = study.time
    ds.ContentTime = study.time
    ds.StationName = MR_STATION
    ds.PerformingPhysicianName = PERFORMING
    ds.OperatorsName = OPERATOR
    ds.ManufacturerModelName = "Synthetic MR"
    ds.DeviceSerialNumber = MR_SERIAL
    ds.SoftwareVersions = "1"
    ds.BodyPartExamined = "HEAD"
    ds.ScanningSequence = "SE"
    ds.SequenceVariant = "NONE"
    ds.ScanOptions = ""
    ds.MRAcquisitionType = "2D"
    ds.SliceThickness = "4"
    ds.RepetitionTime = "4000"
    ds.EchoTime = "90"
    ds.EchoTrainLength = 8
    ds.MagneticFieldStrength = "1.5"
    ds.SpacingBetweenSlices = "4"
    ds.PatientPosition = "HFS"
    ds.AcquisitionNumber = 1
    ds.InstanceNumber = index
    ds.ImagePositionPatient = ["-120", "-120", str(4 * (index - 1))]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.FrameOfReferenceUID = uid(5, patient.number, study.number, series)
    ds.PositionReferenceIndicator = ""
    ds.SliceLocation = str(4 * (index - 1))
    ds.PixelSpacing = ["3.75", "3.75"]
    _image_pixel_mono16(ds, 64, 64, _phantom(64, index, 600, 0, 900), 12)
    ds.WindowCenter = "450"
    ds.WindowWidth = "900"

    siemens = ds.private_block(0x0019, "SIEMENS MR HEADER", create=True)
    siemens.add_new(0x0C, "IS", "0")  # B Value (safe)
    siemens.add_new(0x0D, "CS", "NONE")  # Diffusion Directionality (safe)
    siemens.add_new(0x20, "LO", f"Patient {patient.name} {patient.patient_id}")  # PHI, not safe
    return ds


def _sr(patient: Patient, study: Study, series: int, ct_series: int, ct_count: int) -> Dataset:
    """A Comprehensive SR about the CT, in the CT's study, with PHI at every level of its tree."""
    sop = uid(4, patient.number, study.number, series, 1)
    ds = _composite(
        ComprehensiveSRStorage,
        sop,
        ExplicitVRLittleEndian,
        patient,
        study,
        "SR",
        uid(3, patient.number, study.number, series),
        series,
        f"Report for {patient.spoken}",
    )
    ds.ReferencedPerformedProcedureStepSequence = DicomSequence()
    ds.InstanceNumber = 1
    ds.ContentDate = study.date
    ds.ContentTime = "101500"
    ds.StationName = CT_STATION
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = DicomSequence([_code("18748-4", "LN", "Diagnostic Imaging Report")])
    ds.ContinuityOfContent = "SEPARATE"
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "VERIFIED"
    ds.PreliminaryFlag = "FINAL"
    observer = Dataset()
    observer.VerifyingObserverName = PERFORMING
    observer.VerifyingObserverIdentificationCodeSequence = DicomSequence()
    observer.VerifyingOrganization = INSTITUTION
    observer.VerificationDateTime = f"{study.date}113000"
    ds.VerifyingObserverSequence = DicomSequence([observer])
    ds.PerformedProcedureCodeSequence = DicomSequence()

    ct_series_uid = uid(3, patient.number, study.number, ct_series)
    ct_uids = [uid(4, patient.number, study.number, ct_series, n) for n in range(1, ct_count + 1)]
    refs = []
    for instance in ct_uids:
        ref = Dataset()
        ref.ReferencedSOPClassUID = CTImageStorage
        ref.ReferencedSOPInstanceUID = instance
        refs.append(ref)
    evidence_series = Dataset()
    evidence_series.SeriesInstanceUID = ct_series_uid
    evidence_series.ReferencedSOPSequence = DicomSequence(refs)
    evidence = Dataset()
    evidence.StudyInstanceUID = UID(study.uid)
    evidence.ReferencedSeriesSequence = DicomSequence([evidence_series])
    ds.CurrentRequestedProcedureEvidenceSequence = DicomSequence([evidence])

    def item(relationship: str, value_type: str, concept: Dataset) -> Dataset:
        node = Dataset()
        node.RelationshipType = relationship
        node.ValueType = value_type
        node.ConceptNameCodeSequence = DicomSequence([concept])
        return node

    observer_name = item("HAS OBS CONTEXT", "PNAME", _code("121008", "DCM", "Person Observer Name"))
    observer_name.PersonName = PERFORMING
    study_date = item("HAS OBS CONTEXT", "DATE", _code("111060", "DCM", "Study Date"))
    study_date.Date = study.date
    study_time = item("HAS OBS CONTEXT", "TIME", _code("111061", "DCM", "Study Time"))
    study_time.Time = study.time
    started = item("HAS OBS CONTEXT", "DATETIME", _code("111526", "DCM", "DateTime Started"))
    started.DateTime = f"{study.date}{study.time}"
    study_uid = item("HAS OBS CONTEXT", "UIDREF", _code("121018", "DCM", "Procedure Study Instance UID"))
    study_uid.UID = UID(study.uid)

    history = item("CONTAINS", "TEXT", _code("121060", "DCM", "History"))
    history.TextValue = (
        f"{patient.spoken} (MRN {patient.patient_id}, born {patient.birth_date}) "
        f"phone {patient.phone} reports a cough."
    )

    image = item("INFERRED FROM", "IMAGE", _code("121112", "DCM", "Source of Measurement"))
    ref_sop = Dataset()
    ref_sop.ReferencedSOPClassUID = CTImageStorage
    ref_sop.ReferencedSOPInstanceUID = ct_uids[1]
    image.ReferencedSOPSequence = DicomSequence([ref_sop])
    instance_uid = item(
        "INFERRED FROM", "UIDREF", _code("SOPIUID", "99DCMSCRUB", "Measured SOP Instance UID")
    )
    instance_uid.UID = ct_uids[1]
    note = item("INFERRED FROM", "TEXT", _code("121071", "DCM", "Finding"))
    note.TextValue = f"Measured on slice 2 of {patient.name}"

    diameter = item("CONTAINS", "NUM", _code("81827009", "SCT", "Diameter"))
    measured = Dataset()
    measured.NumericValue = "12.5"
    measured.MeasurementUnitsCodeSequence = DicomSequence([_code("mm", "UCUM", "mm")])
    diameter.MeasuredValueSequence = DicomSequence([measured])
    diameter.ContentSequence = DicomSequence([image, instance_uid, note])

    finding = item("CONTAINS", "TEXT", _code("121071", "DCM", "Finding"))
    finding.TextValue = f"12 mm nodule in the right lower lobe of {patient.name}, MRN {patient.patient_id}."
    findings = item("CONTAINS", "CONTAINER", _code("121070", "DCM", "Findings"))
    findings.ContinuityOfContent = "SEPARATE"
    findings.ContentSequence = DicomSequence([finding, diameter])

    impression = item("CONTAINS", "TEXT", _code("121073", "DCM", "Impression"))
    impression.TextValue = f"Follow-up CT for {patient.spoken} in 3 months; call {patient.phone}."
    ds.ContentSequence = DicomSequence(
        [observer_name, study_date, study_time, started, study_uid, history, findings, impression]
    )
    return ds


def _secondary_capture(patient: Patient, study: Study, series: int, index: int, burned_in: bool) -> Dataset:
    """A 64x64 Secondary Capture: MONOCHROME2 with the name drawn in, or an RGB gradient."""
    sop = uid(4, patient.number, study.number, series, index)
    ds = _composite(
        SecondaryCaptureImageStorage,
        sop,
        ExplicitVRLittleEndian,
        patient,
        study,
        "OT",
        uid(3, patient.number, study.number, series),
        series,
        f"Screenshots of {patient.spoken}",
    )
    ds.ImageType = ["DERIVED", "SECONDARY"]
    ds.ContentDate = study.date
    ds.ContentTime = study.time
    ds.ConversionType = "WSD"
    ds.BodyPartExamined = "CHEST"
    ds.StationName = WS_STATION
    ds.DeviceSerialNumber = WS_SERIAL
    ds.SecondaryCaptureDeviceManufacturer = MANUFACTURER
    ds.InstanceNumber = index
    ds.PatientOrientation = ""
    ds.BurnedInAnnotation = "YES" if burned_in else "NO"
    ds.Rows = 64
    ds.Columns = 64
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    if burned_in:
        pixels = bytearray(64 * 64)
        family, given = patient.name.split("^")[:2]
        _burn_text(pixels, 64, [family, given, patient.patient_id[-4:]])
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.PixelData = bytes(pixels)
    else:
        rgb = bytearray()
        for y in range(64):
            for x in range(64):
                rgb += bytes((x * 4, y * 4, 128))
        ds.SamplesPerPixel = 3
        ds.PhotometricInterpretation = "RGB"
        ds.PlanarConfiguration = 0
        ds.PixelData = bytes(rgb)
    return ds


# --------------------------------------------------------------------------------------------------
# Writing


@dataclass
class Entry:
    """One generated file, as MANIFEST.json lists it."""

    path: str
    kind: str
    expected: str
    patient: int | None = None
    sop_class: str | None = None
    transfer_syntax: str | None = None
    sop_instance: str | None = None
    note: str = ""


def _write_part10(ds: Dataset, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    dcmwrite(path, ds, enforce_file_format=True)


def _write_raw(ds: Dataset, path: Path) -> None:
    """Write the bare data set: no preamble, no ``DICM``, no File Meta Information (ACR-NEMA style)."""
    raw = Dataset()
    raw.update(ds)  # copies the elements but not file_meta
    path.parent.mkdir(parents=True, exist_ok=True)
    dcmwrite(path, raw, implicit_vr=True, little_endian=True, enforce_file_format=False)


def _dicom_entry(ds: Dataset, rel: str, kind: str, expected: str, patient: Patient, note: str = "") -> Entry:
    return Entry(
        path=rel,
        kind=kind,
        expected=expected,
        patient=patient.number,
        sop_class=str(ds.SOPClassUID),
        transfer_syntax=str(ds.file_meta.TransferSyntaxUID),
        sop_instance=str(ds.SOPInstanceUID),
        note=note,
    )


def _remove_previous(out: Path) -> None:
    """Delete what an earlier run generated (the files its MANIFEST.json lists), then empty folders."""
    manifest = out / "MANIFEST.json"
    if not manifest.exists():
        return
    listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    for entry in listed:
        (out / entry["path"]).unlink(missing_ok=True)
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    leftovers = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    if leftovers:
        print(f"make_sample_data: warning: files not made by this script: {leftovers}", file=sys.stderr)


def _readme() -> str:
    return (
        "dcmscrub sample data\n"
        "====================\n\n"
        "Synthetic DICOM files made by tools/make_sample_data.py (run `make sample-data`).\n"
        "Every name, ID, date, address, phone number, institution and device identity in them is\n"
        "FAKE and planted on purpose, and so are the PHI-looking folder and file names: the tests\n"
        "check that none of it survives de-identification. No real patient data is here.\n\n"
        "MANIFEST.json lists each file, its SOP class and transfer syntax, what dcmscrub is\n"
        "expected to do with it, and every planted PHI string. The generator is deterministic:\n"
        "running it again gives byte-identical files. Do not edit these files by hand.\n"
    )


def generate(out: Path) -> list[Entry]:
    """Write the sample set into ``out`` (replacing an earlier run's files) and return its entries."""
    out.mkdir(parents=True, exist_ok=True)
    _remove_previous(out)
    entries: list[Entry] = []

    # Patient 1: CT series, SR, an empty file.
    study1 = STUDIES[1]
    ct_dir = f"{P1.folder}/CT_{_iso(study1.date)}"
    ct_names = ["slice_001.dcm", "slice_002.dcm", "DOE JANE 0003", "slice_004.jpg"]
    ct_notes = ["", "", "odd name without extension", "misleading .jpg extension"]
    for index, (name, note) in enumerate(zip(ct_names, ct_notes, strict=True), start=1):
        ds = _ct_slice(P1, study1, 2, index)
        _write_part10(ds, out / ct_dir / name)
        entries.append(_dicom_entry(ds, f"{ct_dir}/{name}", "dicom", "deidentify", P1, note))
    empty = f"{ct_dir}/slice_000.dcm"
    (out / empty).write_bytes(b"")
    entries.append(Entry(empty, "empty", "skip-empty", P1.number, note="zero bytes"))
    sr = _sr(P1, study1, 3, 2, len(ct_names))
    sr_rel = f"{P1.folder}/SR_{_iso(study1.date)}/report_DOE_JANE.dcm"
    _write_part10(sr, out / sr_rel)
    entries.append(_dicom_entry(sr, sr_rel, "dicom", "deidentify", P1, "content tree 3 levels deep"))

    # Patient 2: MR series (implicit VR), the last slice without preamble/meta; a fake .dcm.
    study2 = STUDIES[2]
    mr_dir = f"{P2.folder}/MR_{_iso(study2.date)}"
    for index in (1, 2):
        ds = _mr_slice(P2, study2, 4, index)
        rel = f"{mr_dir}/mr_{index:03d}.dcm"
        _write_part10(ds, out / rel)
        entries.append(_dicom_entry(ds, rel, "dicom", "deidentify", P2))
    ds = _mr_slice(P2, study2, 4, 3)
    raw_rel = f"{mr_dir}/RAW_ROE_003"
    _write_raw(ds, out / raw_rel)
    entries.append(
        _dicom_entry(
            ds, raw_rel, "dicom-raw", "deidentify", P2, "no preamble, no DICM, no File Meta (implicit VR LE)"
        )
    )
    fake = f"{P2.folder}/preview.dcm"
    rng = random.Random(SEED)
    (out / fake).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(248)))
    entries.append(Entry(fake, "non-dicom", "skip-non-dicom", P2.number, note="PNG signature + seeded bytes"))

    # Patient 3: a File-set with a DICOMDIR: SC burned in, SC clean, CT slice in RLE Lossless.
    study3 = STUDIES[3]
    sc_yes = _secondary_capture(P3, study3, 5, 1, burned_in=True)
    sc_no = _secondary_capture(P3, study3, 5, 2, burned_in=False)
    rle = _ct_slice(P3, study3, 6, 1)
    # pydicom 3's compress() gives the instance a new random SOP Instance UID unless told not to.
    rle.compress(RLELossless, encoding_plugin="pydicom", generate_instance_uid=False)
    rle.file_meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    rle.file_meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    fileset_dir = (out / P3.folder).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        fs = FileSet()
        fs.ID = "FAKESET3"
        fs.UID = uid(6, P3.number)
        for n, ds in enumerate((sc_yes, sc_no, rle)):
            path = Path(tmp) / f"{n}.dcm"
            _write_part10(ds, path)
            fs.add(path)
        fs.write(fileset_dir)
        file_ids = {str(i.SOPInstanceUID): Path(i.path).relative_to(fileset_dir).as_posix() for i in fs}
        for ds in (sc_yes, sc_no, rle):
            rel = f"{P3.folder}/{file_ids[str(ds.SOPInstanceUID)]}"
            if ds is sc_yes:
                entries.append(_dicom_entry(ds, rel, "dicom", "quarantine", P3, "BurnedInAnnotation YES"))
            elif ds is sc_no:
                # a screen capture: held back unless a pixels rule or the detector clears it,
                # whatever its BurnedInAnnotation says (profiles/example-pixels.yaml clears it)
                entries.append(
                    _dicom_entry(ds, rel, "dicom", "quarantine", P3, "screen capture, BurnedInAnnotation NO")
                )
            else:
                entries.append(_dicom_entry(ds, rel, "dicom", "deidentify", P3, "RLE Lossless"))
    entries.append(
        Entry(
            f"{P3.folder}/DICOMDIR",
            "dicomdir",
            "skip-dicomdir",
            P3.number,
            str(MEDIA_STORAGE_DIRECTORY),
            str(ExplicitVRLittleEndian),
            str(fs.UID),
            "Basic Directory (File-set) for this folder; its records carry name and ID",
        )
    )

    (out / "README.txt").write_text(_readme(), encoding="utf-8", newline="\n")
    entries.append(Entry("README.txt", "non-dicom", "skip-non-dicom", note="plain text"))
    entries.append(Entry("MANIFEST.json", "non-dicom", "skip-non-dicom", note="this manifest"))
    return sorted(entries, key=lambda e: e.path)


def phi_strings() -> list[str]:
    """Every fake PHI string planted somewhere (tags, free text, private data, file and folder names)."""
    found: set[str] = set()
    for p in PATIENTS:
        found |= {p.name, p.spoken, p.patient_id, p.birth_date, p.address, p.phone, p.other_id, p.folder}
        found |= {part for part in p.name.split("^") if len(part) >= 4}
        found.add(p.address.split(",")[0])
    for s in STUDIES.values():
        found |= {s.accession, s.study_id}
    for person in (REFERRING, PERFORMING, OPERATOR):
        found.add(person)
        found |= {part for part in person.split("^") if len(part) >= 4}
    found |= {INSTITUTION, INSTITUTION_ADDRESS, INSTITUTION_ADDRESS.split(",")[0], "Faketown", "Fakeville"}
    found |= {CT_STATION, MR_STATION, WS_STATION, CT_SERIAL, MR_SERIAL, WS_SERIAL}
    found |= {"FAKE OLD HOSPITAL", "FAKE ISSUER", INSTITUTION_DEPARTMENT, "FAKESET3"}
    for p in (P1, P3):  # the patients with a CT
        found |= {f"FAKEREQ000{p.number}", f"FAKESPS000{p.number}", f"FAKEPPS000{p.number}"}
    return sorted(found)


def date_strings() -> list[str]:
    """Study dates as tags hold them (YYYYMMDD) and as folder names and free text write them.

    They are not in ``phi_strings`` because the Retain Longitudinal Temporal Information with Full
    Dates Option keeps the tags (folder names and free text must still go).
    """
    found = {s.date for s in STUDIES.values()} | {PRIOR_DATE}
    found |= {_iso(STUDIES[1].date), _iso(STUDIES[2].date)}  # in folder names
    return sorted(found)


def kept_by_option() -> dict[str, list[str]]:
    """PHI strings that an option of Table E.1-1 may let survive (option keys of annex_e.json).

    Only where that option keeps the element (e.g. InstitutionName under Retain Institution
    Identity); the same string must still go from free text, VerifyingOrganization and paths.
    """
    device = ["retain_device_identity"]
    institution = ["retain_institution_identity"]
    kept = {s: device for s in (CT_STATION, MR_STATION, WS_STATION, CT_SERIAL, MR_SERIAL, WS_SERIAL)}
    kept |= {s: institution for s in (INSTITUTION, INSTITUTION_ADDRESS, INSTITUTION_DEPARTMENT)}
    kept |= {s: institution for s in (INSTITUTION_ADDRESS.split(",")[0], "Faketown")}
    return kept


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _self_check(out: Path, entries: list[Entry]) -> None:
    """Refuse to finish if a PHI string is not planted anywhere or leaked into pixel or overlay bytes."""
    from pydicom import dcmread

    blobs = b"".join((out / e.path).read_bytes() for e in entries if e.path != "MANIFEST.json")
    names = "\n".join(e.path for e in entries)
    missing = [s for s in phi_strings() + date_strings() if s.encode() not in blobs and s not in names]
    if missing:
        raise SystemExit(f"make_sample_data: planted PHI not found in any file: {missing}")
    for e in entries:
        if e.kind not in ("dicom", "dicom-raw"):
            continue
        ds = dcmread(out / e.path, force=True)
        bulk = ds.get("PixelData", b"") + (ds[0x60003000].value if 0x60003000 in ds else b"")
        leaked = [s for s in phi_strings() if s.encode() in bulk]
        if leaked:
            raise SystemExit(f"make_sample_data: PHI-like bytes by chance in {e.path}: {leaked}")


def _walk(ds: Dataset, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], DataElement]]:
    """Every element at any depth, in every item, with its path of tags (8 hex digits; no item index)."""
    for elem in ds:
        here = (*path, f"{elem.tag:08x}")
        yield here, elem
        if elem.VR == "SQ":
            for item in elem.value:
                yield from _walk(item, here)


def _uids_and_references(out: Path, entries: list[Entry]) -> tuple[list[str], list[dict[str, object]]]:
    """All UIDs under the fake root in the DICOM files, and every UID that points at another file.

    A reference is a UI element (not the file's own SOP Instance UID) whose value is the SOP
    Instance UID of another generated file: after de-identification it must still point there.
    """
    from pydicom import dcmread

    by_sop = {e.sop_instance: e.path for e in entries if e.sop_instance and e.kind != "dicomdir"}
    uids: set[str] = set()
    references: list[dict[str, object]] = []
    for e in entries:
        if e.kind not in ("dicom", "dicom-raw"):
            continue
        ds = dcmread(out / e.path, force=True)
        for path, elem in _walk(ds):
            if elem.VR != "UI" or not isinstance(elem.value, str):
                continue
            if elem.value.startswith(UID_ROOT) and elem.value != IMPLEMENTATION_CLASS_UID:
                uids.add(elem.value)
            target = by_sop.get(elem.value)
            if target is not None and path != ("00080018",):
                references.append({"source": e.path, "path": list(path), "uid": elem.value, "target": target})
    return sorted(uids), references


def write_manifest(out: Path, entries: list[Entry]) -> None:
    """Write MANIFEST.json: the files with sizes and hashes, the planted PHI, dates and UIDs."""
    files = []
    for e in entries:
        row: dict[str, object] = {k: v for k, v in vars(e).items() if v not in (None, "")}
        if e.path != "MANIFEST.json":
            row["size"] = (out / e.path).stat().st_size
            row["sha256"] = _sha256(out / e.path)
        files.append(row)
    uids, references = _uids_and_references(out, entries)
    manifest = {
        "generator": "tools/make_sample_data.py",
        "version": 1,
        "uid_root": UID_ROOT,
        "expected_outcomes": {
            "deidentify": "DICOM: de-identify and write",
            "quarantine": (
                "DICOM whose pixels may show identifying text (BurnedInAnnotation not NO, or a screen "
                "capture, ultrasound, ...): not written unless a pixels rule or the detector clears it"
            ),
            "skip-non-dicom": "not DICOM: skipped",
            "skip-dicomdir": "DICOMDIR (Media Storage Directory): skipped, it indexes the input tree",
            "skip-empty": "zero-length file: skipped",
        },
        "files": files,
        "phi_strings": phi_strings(),
        "kept_by_option": kept_by_option(),
        "date_strings": date_strings(),
        "uids": uids,
        "references": references,
    }
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    (out / "MANIFEST.json").write_text(text, encoding="utf-8", newline="\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", nargs="?", default="sample_data", type=Path, help="output folder")
    args = parser.parse_args(argv)
    out: Path = args.out
    entries = generate(out)
    _self_check(out, entries)
    write_manifest(out, entries)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"make_sample_data: wrote {len(entries)} files ({total} bytes) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
