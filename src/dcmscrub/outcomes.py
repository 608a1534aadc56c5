"""What happened to one input, as fixed codes: an :class:`Outcome` and, for problems, a :class:`Reason`.

These codes are the vocabulary shared by every stage that reports on a file (reading, the engine,
the worker, the batch commit, decrypt), by the audit log's ``file`` records, by ``log verify`` and by
the console, which shows :attr:`Reason.text` to people. A code never carries a value from a file.
Once written into an audit log, a code never changes meaning.

This module imports nothing from dcmscrub.
"""

from __future__ import annotations

import errno
from enum import StrEnum


class Outcome(StrEnum):
    """What became of one input."""

    WRITTEN = "written"  # de-identified (or decrypted) and given its final name
    EXISTS = "exists"  # its output was already there (a rerun); nothing written
    QUARANTINED = "quarantined"  # read, but not released: a stage could not clear it
    SKIPPED = "skipped"  # not processed, by policy (not DICOM, DICOMDIR, a duplicate, ...)
    FAILED = "failed"  # could not be processed (damaged, unreadable, a write error, ...)

    @property
    def is_problem(self) -> bool:
        """Failed and quarantined inputs make a run partial (exit 3); skipped ones do not."""
        return self in (Outcome.FAILED, Outcome.QUARANTINED)


class Reason(StrEnum):
    """Why an input was skipped, quarantined or failed. :attr:`text` is for people."""

    # skipped by policy
    EMPTY = "empty"
    NOT_DICOM = "not_dicom"
    DICOMDIR = "dicomdir"
    SYMLINK_OUTSIDE = "symlink_outside"
    NOT_A_FILE = "not_a_file"
    LOOP = "loop"
    DUPLICATE_SOP_INSTANCE = "duplicate_sop_instance"
    # quarantined: read, but not released
    BURNED_IN_ANNOTATION = "burned_in_annotation"
    PIXELS_NOT_CLEARED = "pixels_not_cleared"
    RESIDUAL_IDENTIFIER = "residual_identifier"
    PIXELS_NOT_SCANNED = "pixels_not_scanned"
    PIXEL_RULE_NO_GEOMETRY = "pixel_rule_no_geometry"
    PIXEL_RULE_OUTSIDE_IMAGE = "pixel_rule_outside_image"
    PIXELS_UNSUPPORTED_SYNTAX = "pixels_unsupported_syntax"
    PIXELS_UNSUPPORTED_LAYOUT = "pixels_unsupported_layout"
    PIXELS_NO_CODEC = "pixels_no_codec"
    PIXELS_UNENCODABLE = "pixels_unencodable"
    PIXELS_EMBEDDED_OVERLAY = "pixels_embedded_overlay"
    # failed
    UNREADABLE = "unreadable"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    NO_SOP_INSTANCE_UID = "no_sop_instance_uid"
    NO_SOP_CLASS_UID = "no_sop_class_uid"
    BAD_UID = "bad_uid"
    DISK_FULL = "disk_full"
    WRITE_DENIED = "write_denied"
    IO_ERROR = "io_error"
    INTERNAL = "internal"
    WORKER_DIED = "worker_died"
    NOT_LOGGED = "not_logged"
    DECRYPT_FAILED = "decrypt_failed"
    TOO_LARGE = "too_large"
    PIXELS_BAD_ATTRIBUTES = "pixels_bad_attributes"
    PIXELS_SHORT = "pixels_short"
    PIXELS_UNDECODABLE = "pixels_undecodable"
    PIXELS_FRAME_COUNT = "pixels_frame_count"
    PIXELS_INCONSISTENT = "pixels_inconsistent"
    PIXELS_DETECTOR_FAILED = "pixels_detector_failed"

    @property
    def text(self) -> str:
        """A few words for people (the console's problem lines and summaries)."""
        return _TEXT[self]

    @property
    def outcome(self) -> Outcome:
        """The outcome this reason belongs to when a stage reports it."""
        if self in _SKIPS:
            return Outcome.SKIPPED
        if self in _QUARANTINES:
            return Outcome.QUARANTINED
        return Outcome.FAILED


_SKIPS = frozenset(
    {
        Reason.EMPTY,
        Reason.NOT_DICOM,
        Reason.DICOMDIR,
        Reason.SYMLINK_OUTSIDE,
        Reason.NOT_A_FILE,
        Reason.LOOP,
        Reason.DUPLICATE_SOP_INSTANCE,
    }
)
_QUARANTINES = frozenset(
    {
        Reason.BURNED_IN_ANNOTATION,
        Reason.PIXELS_NOT_CLEARED,
        Reason.PIXELS_NOT_SCANNED,
        Reason.PIXEL_RULE_NO_GEOMETRY,
        Reason.PIXEL_RULE_OUTSIDE_IMAGE,
        Reason.PIXELS_UNSUPPORTED_SYNTAX,
        Reason.PIXELS_UNSUPPORTED_LAYOUT,
        Reason.PIXELS_NO_CODEC,
        Reason.PIXELS_UNENCODABLE,
        Reason.PIXELS_EMBEDDED_OVERLAY,
        Reason.RESIDUAL_IDENTIFIER,
    }
)
# the reasons that say the pixels may show burned-in text nobody removed (the [ocr] extra's
# detector would look at them: the CLI says so when it is not installed)
BURNED_IN_TEXT = frozenset({Reason.BURNED_IN_ANNOTATION, Reason.PIXELS_NOT_CLEARED})

_TEXT: dict[Reason, str] = {
    Reason.EMPTY: "empty file",
    Reason.NOT_DICOM: "not DICOM",
    Reason.DICOMDIR: "DICOMDIR (holds names and IDs; not copied)",
    Reason.SYMLINK_OUTSIDE: "symlink leaving the input tree",
    Reason.NOT_A_FILE: "not a regular file",
    Reason.LOOP: "folder loop",
    Reason.DUPLICATE_SOP_INSTANCE: "another input has the same SOP Instance UID (the first one was written)",
    Reason.BURNED_IN_ANNOTATION: (
        "burned-in annotation that no pixel rule or detector cleared (quarantined: no output)"
    ),
    Reason.PIXELS_NOT_CLEARED: (
        "pixels of a kind that shows identifying text (ultrasound, screen capture, ...; or a voice "
        "recording) that no pixel rule or detector cleared (quarantined: no output)"
    ),
    Reason.PIXELS_NOT_SCANNED: (
        "cleaned pixels, but an icon image or overlay bitmap the profile keeps is not scanned (quarantined)"
    ),
    Reason.PIXEL_RULE_NO_GEOMETRY: (
        "a pixel rule matched, but Rows or Columns is missing or invalid (quarantined)"
    ),
    Reason.PIXEL_RULE_OUTSIDE_IMAGE: (
        "a pixel rule matched, but none of its rectangles is inside the image (quarantined)"
    ),
    Reason.PIXELS_UNSUPPORTED_SYNTAX: (
        "pixels to blank in a transfer syntax dcmscrub cannot re-encode (video, deflated, ...; quarantined)"
    ),
    Reason.PIXELS_UNSUPPORTED_LAYOUT: (
        "pixels to blank in a layout dcmscrub cannot address (1-bit, float, ...; quarantined)"
    ),
    Reason.PIXELS_NO_CODEC: (
        "pixels to blank, but no codec for their transfer syntax is installed (quarantined)"
    ),
    Reason.PIXELS_UNENCODABLE: "the blanked pixels could not be re-encoded (quarantined)",
    Reason.PIXELS_EMBEDDED_OVERLAY: (
        "an overlay stored in compressed pixel data or in the stored bits: it cannot be cleared (quarantined)"
    ),
    Reason.RESIDUAL_IDENTIFIER: "an identifier of the input is still in the output (quarantined: no output)",
    Reason.UNREADABLE: "unreadable",
    Reason.TRUNCATED: "truncated",
    Reason.CORRUPT: "damaged or not parseable",
    Reason.NO_SOP_INSTANCE_UID: "no SOP Instance UID",
    Reason.NO_SOP_CLASS_UID: "no SOP Class UID (the kind of object is not named)",
    Reason.BAD_UID: "malformed UID",
    Reason.DISK_FULL: "disk full",
    Reason.WRITE_DENIED: "output not writable",
    Reason.IO_ERROR: "I/O error",
    Reason.INTERNAL: "internal error (a bug; run with --debug)",
    Reason.WORKER_DIED: "worker process died (out of memory?)",
    Reason.NOT_LOGGED: "output taken back: its audit record could not be written",
    Reason.DECRYPT_FAILED: "cannot decrypt: wrong key or damaged file",
    Reason.TOO_LARGE: "too large: a declared length or the header is past the header cap (--max-header)",
    Reason.PIXELS_BAD_ATTRIBUTES: "pixel attributes (Rows, Columns, bits, ...) missing or inconsistent",
    Reason.PIXELS_SHORT: "less pixel data than its attributes say",
    Reason.PIXELS_UNDECODABLE: "pixel data that cannot be decoded",
    Reason.PIXELS_FRAME_COUNT: "compressed pixel data without NumberOfFrames frames",
    Reason.PIXELS_INCONSISTENT: "frames that decode to different layouts",
    Reason.PIXELS_DETECTOR_FAILED: "the text detector failed on this file",
}


class FileProblem(Exception):
    """Why one input cannot be handled, raised by any stage and turned into that file's outcome
    by the worker (never a :class:`~dcmscrub.errors.DcmscrubError`: one bad file never stops a
    batch). ``reason`` is a fixed code, never a value from the file; ``where`` names places in the
    file (attribute paths such as ``(0010,0010) PatientName``), never values."""

    def __init__(self, reason: Reason, where: tuple[str, ...] = ()) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.where = where


def os_error_reason(exc: OSError) -> Reason:
    """The fixed reason for an OS error while writing an output."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Reason.DISK_FULL
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Reason.WRITE_DENIED
    return Reason.IO_ERROR


class Note(StrEnum):
    """Something a run says once about some of its outputs (they are released: not a problem).
    :attr:`text` is for people, after the number of outputs it concerns."""

    # the object's SOP class is not in the IOD table (a retired or private class, or an IOD the
    # table knows only in part): its removals took Table E.1-1's first action, unchecked
    IOD_UNKNOWN = "iod_unknown"

    @property
    def text(self) -> str:
        return _NOTE_TEXT[self]


_NOTE_TEXT: dict[Note, str] = {
    Note.IOD_UNKNOWN: "of a SOP class the IOD table does not know: removals took the standard's "
    "first action (remove), without checking what the IOD requires",
}
