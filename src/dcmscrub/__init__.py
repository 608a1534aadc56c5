"""dcmscrub: de-identify DICOM per PS3.15 Annex E, with keyed pseudonyms, age-encrypted outputs
and a tamper-evident audit log."""

__version__ = "0.1.0"
