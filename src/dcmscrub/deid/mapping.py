"""What one object's identifiers become, computed beside the engine: originals and their pseudonyms.

A run with an escrow (re-identification) table records, per output, the patient (ID with its
issuer, name, date offset), the accession number and the study, series and SOP instance UIDs, each
with the value the output carries instead. :func:`file_mapping` computes that from the input header
before :func:`~dcmscrub.deid.engine.deidentify` changes it, with the same plan and pseudonymizer the
engine uses (the UIDs come from :func:`~dcmscrub.deid.engine.output_ids`, which names the output),
so the engine itself needs no change; tests hold the two to each other. :func:`forward` answers the
same question for one value without a dataset (``dcmscrub pseudonym``). No I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydicom.datadict import keyword_dict
from pydicom.dataset import Dataset

from dcmscrub.deid.engine import output_ids
from dcmscrub.deid.plan import KEEP_PLAIN, compile_plan
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.pseudonym import Pseudonymizer
from dcmscrub.deid.subject import PATIENT_NAME, patient_key, text_of
from dcmscrub.dicomio import elements as el

_ACCESSION = keyword_dict["AccessionNumber"]
_SOP_INSTANCE = keyword_dict["SOPInstanceUID"]
_UID_TAGS = tuple(keyword_dict[k] for k in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"))
UID_LEVELS = ("study", "series", "sop")
FORWARD_KINDS = ("patient_id", "uid", "accession")


@dataclass(frozen=True)
class FileMapping:
    """One object's identifiers and what its output carries instead.

    ``patient_id`` is the patient key pseudonyms are keyed on: the Patient ID, or ``name:`` and
    the Patient Name for an object without one. ``patient`` is the pseudonymous Patient ID that
    names the output folder. A ``None`` pseudonym means the profile does not turn that attribute
    into a pseudonym (it removes, empties or replaces it), so the output holds no code for it.
    ``uids`` lists ``(level, original, value in the output)`` for the study, series and SOP
    instance UIDs the output carries (the same value under ``retain-uids``).
    """

    patient_id: str
    issuer: str
    patient: str
    patient_name: str
    patient_name_pseudonym: str | None
    date_offset_days: int | None
    accession: str
    accession_pseudonym: str | None
    uids: tuple[tuple[str, str, str], ...]


def _uid_of(ds: Dataset, tag: int) -> str:
    # a UID is ASCII digits and dots: read as stored, without pydicom's conversion (as the engine does)
    raw = el.raw_bytes(ds, tag) if el.has(ds, tag) else None
    return raw.decode("latin-1").split("\\")[0].strip(" \x00") if raw is not None else text_of(ds, tag)


def file_mapping(
    ds: Dataset, profile: Profile, pseudonymizer: Pseudonymizer, ids: tuple[str, str, str, str] | None = None
) -> FileMapping:
    """The mapping of ``ds`` (an input header, before :func:`deidentify` changes it). ``ids`` are
    :func:`output_ids` of ``ds`` when the caller has them already."""
    plan = compile_plan(profile)
    patient_id, issuer = patient_key(ds)
    patient, *new_uids = ids or output_ids(ds, profile, pseudonymizer)
    old_uids = [_uid_of(ds, tag) for tag in _UID_TAGS]
    uids = tuple(
        (level, old, new)
        for level, old, new in zip(UID_LEVELS, old_uids, new_uids, strict=True)
        if old and new
    )
    name_pseudonym = None
    if plan.public_action(PATIENT_NAME)[0] == "pseudonym":
        name_pseudonym = pseudonymizer.patient_name(patient_id, issuer)
    accession = text_of(ds, _ACCESSION)
    accession_pseudonym = None
    if accession and plan.public_action(_ACCESSION)[0] == "pseudonym":
        accession_pseudonym = pseudonymizer.accession(accession, issuer)
    return FileMapping(
        patient_id=patient_id,
        issuer=issuer,
        patient=patient,
        patient_name=text_of(ds, PATIENT_NAME),
        patient_name_pseudonym=name_pseudonym,
        date_offset_days=pseudonymizer.date_offset_days(patient_id, issuer) if plan.shifts_dates else None,
        accession=accession,
        accession_pseudonym=accession_pseudonym,
        uids=uids,
    )


@dataclass(frozen=True)
class Forward:
    """What a scrub under one profile and key gives one value (``dcmscrub pseudonym``).

    ``pseudonym`` is None when the profile leaves no code for the value (an accession number it
    removes). For a patient, ``patient_name`` and ``date_offset_days`` are set when the profile
    pseudonymizes the name and shifts dates."""

    kind: str
    original: str
    pseudonym: str | None
    patient_name: str | None = None
    date_offset_days: int | None = None


def forward(kind: str, value: str, issuer: str, profile: Profile, pseudonymizer: Pseudonymizer) -> Forward:
    """The pseudonym a scrub gives ``value`` (a Patient ID or accession number of ``issuer``, or an
    instance UID), computed exactly as :func:`file_mapping` computes it for an object."""
    plan = compile_plan(profile)
    value = value.strip(" \x00")
    if kind == "patient_id":
        name = None
        if plan.public_action(PATIENT_NAME)[0] == "pseudonym":
            name = pseudonymizer.patient_name(value, issuer)
        offset = pseudonymizer.date_offset_days(value, issuer) if plan.shifts_dates else None
        return Forward(kind, value, pseudonymizer.patient_id(value, issuer), name, offset)
    if kind == "accession":
        remapped = plan.public_action(_ACCESSION)[0] == "pseudonym"
        return Forward(kind, value, pseudonymizer.accession(value, issuer) if remapped else None)
    if kind == "uid":
        action = plan.public_action(_SOP_INSTANCE)[0]
        if action == "uid":
            return Forward(kind, value, pseudonymizer.uid(value))
        return Forward(kind, value, value if action in ("keep", KEEP_PLAIN) else None)
    raise ValueError(f"unknown kind {kind!r}; one of {', '.join(FORWARD_KINDS)}")
