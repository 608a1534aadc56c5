"""Objects whose pixel data often shows identifying text: the classes that fail closed.

PS3.15 E.1.1 and E.3.1 (Clean Pixel Data Option) leave burned-in text to the de-identifier. An
ultrasound, a screen capture, an angiogram or a photograph carries names, dates and IDs in its
pixels far more often than its header's BurnedInAnnotation (0028,0301) admits: scanners print the
patient banner into the image, screen grabs copy whole viewer windows. Such objects are not
released until a pixel rule or a detector has cleared them (dcmscrub.deid.burned_in).

An object belongs to these classes by its SOP class, its modality, its image type (a screen save)
or a conversion type (the SC Equipment module: whatever the SOP class, the pixels were captured).
SOP class names are those of PS3.6 Table A-1 (``data/well-known-uids.yaml``).
"""

from __future__ import annotations

_STORAGE = "1.2.840.10008.5.1.4.1.1."

# SOP classes whose pixels are screen captures, ultrasound, fluoroscopy or photographs
SOP_CLASSES: frozenset[str] = frozenset(
    {
        _STORAGE + "6",  # Ultrasound Image Storage (retired)
        _STORAGE + "6.1",  # Ultrasound Image Storage
        _STORAGE + "6.2",  # Enhanced US Volume Storage
        _STORAGE + "6.3",  # Photoacoustic Image Storage
        _STORAGE + "3",  # Ultrasound Multi-frame Image Storage (retired)
        _STORAGE + "3.1",  # Ultrasound Multi-frame Image Storage
        _STORAGE + "7",  # Secondary Capture Image Storage
        _STORAGE + "1.3",  # Digital Intra-Oral X-Ray Image Storage - For Presentation
        _STORAGE + "1.3.1",  # Digital Intra-Oral X-Ray Image Storage - For Processing
        _STORAGE + "7.1",  # Multi-frame Single Bit Secondary Capture
        _STORAGE + "7.2",  # Multi-frame Grayscale Byte Secondary Capture
        _STORAGE + "7.3",  # Multi-frame Grayscale Word Secondary Capture
        _STORAGE + "7.4",  # Multi-frame True Color Secondary Capture
        _STORAGE + "12.1",  # X-Ray Angiographic Image Storage
        _STORAGE + "12.1.1",  # Enhanced XA Image Storage
        _STORAGE + "12.2",  # X-Ray Radiofluoroscopic Image Storage
        _STORAGE + "12.2.1",  # Enhanced XRF Image Storage
        _STORAGE + "12.3",  # X-Ray Angiographic Bi-Plane Image Storage (retired)
        _STORAGE + "77.1.1",  # VL Endoscopic Image Storage
        _STORAGE + "77.1.1.1",  # Video Endoscopic Image Storage
        _STORAGE + "77.1.2",  # VL Microscopic Image Storage
        _STORAGE + "77.1.2.1",  # Video Microscopic Image Storage
        _STORAGE + "77.1.3",  # VL Slide-Coordinates Microscopic Image Storage
        _STORAGE + "77.1.4",  # VL Photographic Image Storage
        _STORAGE + "77.1.4.1",  # Video Photographic Image Storage
        _STORAGE + "77.1.5.1",  # Ophthalmic Photography 8 Bit Image Storage
        _STORAGE + "77.1.5.2",  # Ophthalmic Photography 16 Bit Image Storage
        _STORAGE + "77.1.5.5",  # Wide Field Ophthalmic Photography Stereographic Projection
        _STORAGE + "77.1.5.6",  # Wide Field Ophthalmic Photography 3D Coordinates
        _STORAGE + "77.1.6",  # VL Whole Slide Microscopy Image Storage (label and overview images)
        _STORAGE + "77.1.7",  # Dermoscopic Photography Image Storage
        _STORAGE + "77.1.8",  # Confocal Microscopy Image Storage
        _STORAGE + "77.1.9",  # Confocal Microscopy Tiled Pyramidal Image Storage
        _STORAGE + "77.2",  # VL Multi-frame Image Storage - Trial (retired)
        "1.2.840.10008.5.1.1.29",  # Hardcopy Grayscale Image Storage (retired): printed film sheets
        "1.2.840.10008.5.1.1.30",  # Hardcopy Color Image Storage (retired)
        "1.2.840.10008.10.1",  # Video Endoscopic Image Real-Time Communication
        "1.2.840.10008.10.2",  # Video Photographic Image Real-Time Communication
        # sound, not pixels, but the same kind of content: a dictation speaks the patient's name,
        # and nothing here listens to it (held back like a screen capture; burned_in: allow
        # releases it)
        _STORAGE + "9.4.1",  # Basic Voice Audio Waveform Storage
        _STORAGE + "9.4.2",  # General Audio Waveform Storage
    }
)

# Modalities (0008,0060) of the same kinds, whatever SOP class carries them (PS3.3 C.7.3.1.1.1)
MODALITIES: frozenset[str] = frozenset(
    {
        "US",  # ultrasound
        "IVUS",  # intravascular ultrasound
        "BDUS",  # bone densitometry (ultrasound)
        "SC",  # secondary capture (retired term, still written)
        "OT",  # other: screen captures, scanned documents
        "XA",  # X-ray angiography
        "RF",  # radiofluoroscopy
        "ES",  # endoscopy
        "XC",  # external-camera photography
        "GM",  # general microscopy
        "SM",  # slide microscopy
        "OP",  # ophthalmic photography
        "DMS",  # dermoscopy
        "DOC",  # a scanned document
        "IO",  # intra-oral radiography: dental images are often labelled with the patient's name
        "PX",  # panoramic dental radiography: the same
        "AU",  # audio: a dictation speaks names
    }
)

# Image Type (0008,0008) values that say the pixels are a capture of a screen
SCREEN_IMAGE_TYPES: frozenset[str] = frozenset({"SCREEN SAVE", "SCREENSHOT", "SCREEN SHOT", "SCREEN CAPTURE"})
