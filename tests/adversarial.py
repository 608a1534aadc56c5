"""Build an adversarial DICOM corpus with a sentinel planted in every attribute that must be de-identified.

This is a library for tests, not a test file. :func:`build_corpus` writes DICOM files into a folder and
returns a :class:`Corpus` that says, for every planted sentinel, where it is (file, tag, VR, path of
tags from the top), which row of PS3.15 Table E.1-1 governs it and whether the Basic Application
Level Confidentiality Profile must make it disappear or an option may let it survive.

What is planted
---------------
* **Every row of Table E.1-1** (``reference/annex_e.json``) except the repeating-group
  rows (curves, overlays, private attributes: those are planted on purpose in their own file) and
  the two US rows (numbers that identify no one) gets an element whose value carries a sentinel:

  ============  ==================================================================================
  text VRs      ``ZQX`` + 5 digits (``ZQX12345``), within the VR's length and character rules; PN
                ``ZQX12345^SENTINEL``
  DA, DT, TM    real, unique dates/times (``19230517``, ``19230517101112.012345``, ``101112.012345``)
  AS            a unique age (``042Y``)
  DS, IS        unique numbers (``12345.12345``; ``12345777``)
  UI            unique UIDs ``1.2.826.0.1.3680043.10.1426.9.<5 digits>``
  OB, UN        bytes holding the ASCII sentinel
  SQ            one item with a PatientName sentinel and a nested ConceptNameCodeSequence item whose
                CodeMeaning carries a sentinel (the nested one only goes when the sequence goes)
  ============  ==================================================================================

* Placements: (a) the top level of a small, valid CT image, once per transfer syntax (Explicit VR
  Little Endian, Implicit VR Little Endian, Explicit VR Big Endian, Deflated Explicit VR Little
  Endian); (b) 1, 2 and 3 levels deep inside standard sequences that are *not* in the table and so
  are kept (AnatomicRegionSequence > AnatomicRegionModifierSequence > PurposeOfReferenceCodeSequence);
  (c) private blocks (LO, UN, PN, a private SQ with nested private SQ, an element of Table E.3.10-1,
  an orphan private element with no creator, a private block inside a kept sequence), overlays in
  groups 6000 and 6002 and retired curves in groups 5000 and 5002.
* Standard free-text elements that Table E.1-1 does not list (from pydicom's dictionary), and the
  rows that only a later edition of the table adds (``later_edition_additions_basic_only``).
* Command-group elements (0000,1000) and (0000,1001) at the top level of a Part 10 file (pydicom's
  ``dcmwrite`` refuses them, so that file is written with ``write_dataset``).
* Two files that refer to each other (ReferencedImageSequence and ReferencedSeriesSequence >
  ReferencedInstanceSequence point at the other's SOP Instance UID): :attr:`Corpus.references`.
* Broken files: truncated in the header, truncated in the pixel data, random bytes, random bytes
  after a valid preamble and ``DICM``, empty, plain text: :attr:`Corpus.broken`.

How to read a sentinel's expectation
------------------------------------
``must_remove_basic`` is True when the Basic Profile alone (Table E.1-1, 2024b, as annex_e.json has
it) requires the token to be gone: the element's own row is anything but K/C, or an enclosing
sequence's row removes its items (X, Z, X/Z). An element not in the table (``row is None``) inside a
kept sequence, or inside a sequence whose action may keep items (D, U, X/D, X/Z/D, X/Z/U*), is not
required to go. ``may_survive_under`` lists the options (annex_e.json option keys) under which the
token may legitimately remain (its row's action becomes K or C, C being "clean": the tool may judge
the value harmless). Options only ever relax the Basic actions (to K or C), so under option ``O`` a
token must be gone iff ``must_remove_basic and O not in may_survive_under``
(:meth:`Corpus.must_vanish`).

Tokens are unique, except: the SOP Instance UID sentinel also sits in the File Meta Information as
(0002,0003), and the reference pair shares UIDs on purpose. Dates (DA), IS numbers and ages are
short digit strings that can occur by chance elsewhere (in a pseudonymised UID, say), so
:attr:`Sentinel.byte_safe` is False for them: look for those in element values, not in raw bytes.
"""

from __future__ import annotations

import io
import json
import random
import struct
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydicom import dcmread, dcmwrite
from pydicom.datadict import DicomDictionary, dictionary_VM, tag_for_keyword
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filebase import DicomFileLike
from pydicom.filewriter import write_dataset, write_file_meta_info
from pydicom.sequence import Sequence as DicomSequence
from pydicom.tag import BaseTag, Tag
from pydicom.uid import (
    UID,
    CTImageStorage,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"
"""Where ``annex_e.json`` and ``safe_private.json`` live (the project's ``reference/``)."""
ANNEX_E_PATH = REFERENCE_DIR / "annex_e.json"
SAFE_PRIVATE_PATH = REFERENCE_DIR / "safe_private.json"

TOKEN_PREFIX = "ZQX"
SENTINEL_UID_ROOT = "1.2.826.0.1.3680043.10.1426.9."
"""Sentinel UIDs: every UID under this root is planted and must not survive (unless retaining UIDs)."""
BASE_UID_ROOT = "1.2.826.0.1.3680043.10.1426.8."
"""UIDs of the carrier images themselves (not sentinels)."""
IMPLEMENTATION_CLASS_UID = UID("1.2.826.0.1.3680043.10.1426.0.2")
IMPLEMENTATION_VERSION_NAME = "DCMSCRUB_ADV1"

KEPT_CHAIN = ("AnatomicRegionSequence", "AnatomicRegionModifierSequence", "PurposeOfReferenceCodeSequence")
"""Standard sequences, not in Table E.1-1, nested one in the other to carry (b) placements."""
SEQUENCE_NESTED_TEXT = ("ConceptNameCodeSequence", "CodeMeaning")
"""Inside each planted SQ item: a kept code sequence whose CodeMeaning carries a sentinel."""

REMOVES_ITEMS = frozenset({"X", "Z", "X/Z"})
"""Actions on a sequence after which nothing of its items can remain."""
KEEPS_VALUE = frozenset({"K", "C"})
"""Actions after which the element's own value may remain."""

_MAX_LEN = {"AE": 16, "CS": 16, "SH": 16, "LO": 64, "PN": 64, "ST": 1024, "LT": 10240}
_SKIP_VRS = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "AT", "OW", "OF", "OD", "OL", "OV", "SV", "UV"})
_UNLISTED_WORDS = (
    "Description",
    "Comment",
    "Label",
    "Text",
    "Note",
    "Name",
    "Remark",
    "Explanation",
    "Reason",
)


# --------------------------------------------------------------------------------------------------
# The manifest


@dataclass(frozen=True)
class TableRow:
    """One row of Table E.1-1 (or a synthetic row for private attributes)."""

    tag: str
    keyword: str
    vr: str | None
    basic: str
    options: dict[str, str | None]
    edition: str = "2024b"

    def action(self, option: str | None = None) -> str:
        """The action under the Basic Profile, or under it plus one option."""
        if option is not None and self.options.get(option):
            return str(self.options[option])
        return self.basic


@dataclass(frozen=True)
class Sentinel:
    """One planted value and what Table E.1-1 says about it."""

    token: str
    """What must not survive: a ``ZQX`` string, a UID, a date, a number, ..."""
    value: str
    """The value as planted (bytes values are shown as latin-1 text)."""
    kind: str
    """``text``, ``uid``, ``date``, ``time``, ``datetime``, ``age``, ``number`` or ``bytes``."""
    tag: str
    """The element's tag, 8 lower-case hex digits (private: the real tag, block byte included)."""
    vr: str
    path: tuple[str, ...]
    """Tags from the top-level data set down to the element (always the first item of a sequence)."""
    placement: str
    """``top``, ``file-meta``, ``command``, ``nested-1/2/3``, ``sq-item``, ``private``, ``overlay``,
    ``curve``, ``unlisted``, ``later-edition``, ``reference``, ``broken``."""
    row: str | None
    """The Table E.1-1 row that governs the element itself (``60xx3000``, ``ggggeeee``, ...)."""
    basic: str | None
    """That row's Basic action (None when the element is in no row)."""
    edition: str | None
    """``2024b`` (annex_e.json rows), ``later`` (later_edition_additions_basic_only) or None."""
    enclosing: tuple[tuple[str, str], ...]
    """(tag, Basic action) of each enclosing sequence that is a Table E.1-1 row, outermost first."""
    must_remove_basic: bool
    may_survive_under: tuple[str, ...]
    private_creator: str | None = None

    @property
    def byte_safe(self) -> bool:
        """True when a raw byte search for the token cannot hit by chance (not so for dates, IS, AS)."""
        return self.kind not in ("date", "age") and not (self.kind == "number" and "." not in self.token)


@dataclass
class CorpusFile:
    """One DICOM file of the corpus and the sentinels in it."""

    path: str
    """Relative to the corpus root, POSIX separators."""
    purpose: str
    transfer_syntax: str
    sop_class: str
    sop_instance: str
    sentinels: list[Sentinel] = field(default_factory=list)


@dataclass(frozen=True)
class BrokenFile:
    """A file that is not (complete) DICOM, and why; ``tokens`` were planted in what is left of it."""

    path: str
    reason: str
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """``source`` holds, at ``path``, the UID that ``target`` holds in ``target_tag``."""

    source: str
    path: tuple[str, ...]
    target: str
    target_tag: str
    uid: str
    sequence_kept_by_basic: bool
    """False when the enclosing sequence may be removed (ReferencedImageSequence is X/Z/U*)."""


@dataclass
class Corpus:
    """What :func:`build_corpus` wrote."""

    root: Path
    seed: int
    options: tuple[str, ...]
    files: list[CorpusFile] = field(default_factory=list)
    broken: list[BrokenFile] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    skipped_rows: list[tuple[str, str, str]] = field(default_factory=list)
    """(tag, keyword, reason) of Table E.1-1 rows that got no sentinel."""

    def sentinels(self) -> Iterator[tuple[CorpusFile, Sentinel]]:
        """Every (file, sentinel) pair."""
        for f in self.files:
            for s in f.sentinels:
                yield f, s

    def must_vanish(self, option: str | None = None) -> list[tuple[CorpusFile, Sentinel]]:
        """The sentinels that must be gone under the Basic Profile, or under it plus ``option``."""
        return [
            (f, s)
            for f, s in self.sentinels()
            if s.must_remove_basic and (option is None or option not in s.may_survive_under)
        ]

    def counts(self) -> dict[str, int]:
        """Sentinels by placement, and totals."""
        by_placement = Counter(s.placement for _, s in self.sentinels())
        out = dict(sorted(by_placement.items()))
        out["total"] = sum(by_placement.values())
        out["must_remove_basic"] = len(self.must_vanish())
        out["files"] = len(self.files)
        out["broken"] = len(self.broken)
        out["references"] = len(self.references)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole manifest as JSON-ready data."""
        return {
            "root": str(self.root),
            "seed": self.seed,
            "options": list(self.options),
            "files": [asdict(f) for f in self.files],
            "broken": [asdict(b) for b in self.broken],
            "references": [asdict(r) for r in self.references],
            "skipped_rows": [list(r) for r in self.skipped_rows],
        }


# --------------------------------------------------------------------------------------------------
# Reading the table


@dataclass(frozen=True)
class _Table:
    rows: dict[str, TableRow]
    later: dict[str, TableRow]
    options: tuple[str, ...]
    safe_private: frozenset[tuple[str, int, int]]


def _load_table(annex_e: Path, safe_private: Path) -> _Table:
    data = json.loads(annex_e.read_text(encoding="utf-8"))
    options = tuple(data["header"]["option_columns"])
    rows = {
        r["tag"]: TableRow(r["tag"], r["keyword"], r["vr"], r["basic"], dict(r["options"]))
        for r in data["rows"]
    }
    later = {}
    for r in data.get("later_edition_additions_basic_only", {}).get("rows", []):
        if r["keyword"] and r["vr"] and r["tag"] not in rows:
            later[r["tag"]] = TableRow(r["tag"], r["keyword"], r["vr"], r["basic"], {}, "later")
    safe: set[tuple[str, int, int]] = set()
    if safe_private.exists():
        for r in json.loads(safe_private.read_text(encoding="utf-8"))["rows"]:
            safe.add((r["creator"], int(r["group"], 16), int(r["element_offset"], 16)))
    return _Table(rows, later, options, frozenset(safe))


def _private_row(table: _Table, creator: str | None, group: int, offset: int) -> TableRow:
    """The ``ggggeeee`` row, with Retain Safe Private only for elements of Table E.3.10-1."""
    base = table.rows["ggggeeee"]
    safe = creator is not None and (creator, group, offset) in table.safe_private
    options = {k: (v if k != "retain_safe_private" or safe else None) for k, v in base.options.items()}
    return TableRow(base.tag, base.keyword, None, base.basic, options)


def _may_survive(own: TableRow | None, enclosing: Sequence[TableRow], option: str | None) -> bool:
    if own is not None and own.edition == "2024b" and own.action(option) not in KEEPS_VALUE:
        return False
    return all(row.action(option) not in REMOVES_ITEMS for row in enclosing)


# --------------------------------------------------------------------------------------------------
# Planting


class _Planter:
    """Makes unique sentinel values from a seeded generator and records where they go."""

    def __init__(self, table: _Table, rng: random.Random) -> None:
        self.table = table
        self.rng = rng
        self._ids: set[int] = set()
        self._days: set[int] = set()
        self._ages: set[str] = set()
        self.current: list[Sentinel] = []

    # unique raw material

    def _next_id(self) -> int:
        while True:
            n = self.rng.randrange(10000, 100000)
            if n not in self._ids:
                self._ids.add(n)
                return n

    def _next_date(self) -> str:
        while True:  # 1901-01-02 .. 1989-12-30, never 1 January (a common dummy)
            day = date(1901, 1, 2) + timedelta(days=self.rng.randrange(32500))
            if day.toordinal() not in self._days and (day.month, day.day) != (1, 1):
                self._days.add(day.toordinal())
                return day.strftime("%Y%m%d")

    def _next_age(self) -> str:
        while True:
            age = f"{self.rng.randrange(1, 1000):03d}{self.rng.choice('DWMY')}"
            if age not in self._ages:
                self._ages.add(age)
                return age

    def _time(self, n: int) -> str:
        return f"{self.rng.randrange(24):02d}{self.rng.randrange(60):02d}{self.rng.randrange(60):02d}.{n:06d}"

    def make(self, vr: str, keyword: str, tag: int) -> tuple[Any, str, str, str]:
        """A value for ``vr``: (value for pydicom, token, kind, value as text)."""
        n = self._next_id()
        token = f"{TOKEN_PREFIX}{n}"
        if vr in ("AE", "CS", "SH"):
            return token, token, "text", token
        if vr in ("LO", "ST", "LT", "UT", "UC"):
            text = f"{token} planted in {keyword}"[: _MAX_LEN.get(vr, 1024)]
            return text, token, "text", text
        if vr == "PN":
            text = f"{token}^SENTINEL"
            return text, token, "text", text
        if vr == "UR":
            text = f"https://example.invalid/{token}"
            return text, token, "text", text
        if vr == "DA":
            d = self._next_date()
            return d, d, "date", d
        if vr == "TM":
            t = self._time(n)
            return t, t, "time", t
        if vr == "DT":
            dt = self._next_date() + self._time(n)
            return dt, dt, "datetime", dt
        if vr == "AS":
            age = self._next_age()
            return age, age, "age", age
        if vr in ("DS", "IS"):
            number = f"{n}.{n}" if vr == "DS" else f"{n}777"
            vm = _fixed_vm(tag)
            value: Any = number if vm == 1 else [number] + ["1"] * (vm - 1)
            return value, number, "number", number
        if vr == "UI":
            uid = SENTINEL_UID_ROOT + str(n)
            return UID(uid), uid, "uid", uid
        if vr in ("OB", "UN", "OB or OW"):
            raw = f"{token} planted in {keyword}".encode("ascii")
            raw += b"\0" * (len(raw) % 2)
            return raw, token, "bytes", raw.decode("latin-1")
        raise ValueError(f"no sentinel for VR {vr}")

    def record(
        self,
        *,
        token: str,
        value: str,
        kind: str,
        tag: int,
        vr: str,
        path: Sequence[int],
        placement: str,
        own: TableRow | None,
        enclosing: Sequence[TableRow],
        private_creator: str | None = None,
    ) -> Sentinel:
        """Remember a planted value for the file being built."""
        sentinel = Sentinel(
            token=token,
            value=value,
            kind=kind,
            tag=f"{tag:08x}",
            vr=vr,
            path=tuple(f"{t:08x}" for t in path),
            placement=placement,
            row=own.tag if own else None,
            basic=own.basic if own else None,
            edition=own.edition if own else None,
            enclosing=tuple((r.tag, r.basic) for r in enclosing),
            must_remove_basic=not _may_survive(own, enclosing, None),
            may_survive_under=tuple(o for o in self.table.options if _may_survive(own, enclosing, o)),
            private_creator=private_creator,
        )
        self.current.append(sentinel)
        return sentinel

    def take(self) -> list[Sentinel]:
        """The sentinels recorded since the last call."""
        out, self.current = self.current, []
        return out

    # elements

    def plant(
        self,
        ds: Dataset,
        tag: int,
        vr: str,
        keyword: str,
        *,
        path: Sequence[int],
        placement: str,
        own: TableRow | None,
        enclosing: Sequence[TableRow],
        private_creator: str | None = None,
    ) -> Sentinel:
        """Put one sentinel-bearing element into ``ds`` and record it."""
        value, token, kind, text = self.make(vr, keyword, tag)
        ds.add(DataElement(tag, "OB" if vr == "OB or OW" else vr, value))
        return self.record(
            token=token,
            value=text,
            kind=kind,
            tag=tag,
            vr=vr,
            path=[*path, tag],
            placement=placement,
            own=own,
            enclosing=enclosing,
            private_creator=private_creator,
        )

    def plant_sequence(
        self, ds: Dataset, row: TableRow, *, path: Sequence[int], enclosing: Sequence[TableRow]
    ) -> None:
        """A Table E.1-1 sequence: one item with a PatientName sentinel and a nested CodeMeaning one."""
        tag = int(row.tag, 16)
        inner = [*enclosing, row]
        item = Dataset()
        name_row = self.table.rows["00100010"]
        self.plant(
            item,
            0x00100010,
            "PN",
            "PatientName",
            path=[*path, tag],
            placement="sq-item",
            own=name_row,
            enclosing=inner,
        )
        code = _code_item()
        seq_tag = tag_for_keyword(SEQUENCE_NESTED_TEXT[0])
        meaning_tag = tag_for_keyword(SEQUENCE_NESTED_TEXT[1])
        assert seq_tag is not None and meaning_tag is not None
        del code.CodeMeaning
        self.plant(
            code,
            meaning_tag,
            "LO",
            "CodeMeaning",
            path=[*path, tag, seq_tag],
            placement="sq-item",
            own=None,
            enclosing=inner,
        )
        item.add(DataElement(seq_tag, "SQ", DicomSequence([code])))
        ds.add(DataElement(tag, "SQ", DicomSequence([item])))

    def plant_rows(
        self,
        ds: Dataset,
        rows: Sequence[TableRow],
        *,
        path: Sequence[int],
        placement: str,
        enclosing: Sequence[TableRow] = (),
    ) -> None:
        """One sentinel element (or sequence) per row."""
        for row in rows:
            tag = int(row.tag, 16)
            if row.vr == "SQ":
                self.plant_sequence(ds, row, path=path, enclosing=enclosing)
            else:
                assert row.vr is not None
                self.plant(
                    ds, tag, row.vr, row.keyword, path=path, placement=placement, own=row, enclosing=enclosing
                )


def _fixed_vm(tag: int) -> int:
    try:
        vm = dictionary_VM(tag)
    except KeyError:
        return 1
    return int(vm) if vm.isdigit() else 1


def _code_item(value: str = "1", scheme: str = "99ADVERS", meaning: str = "adversarial") -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _plantable_rows(table: _Table) -> tuple[list[TableRow], list[tuple[str, str, str]]]:
    """The rows that get a sentinel in (a)/(b) placements, and the ones skipped with the reason."""
    rows, skipped = [], []
    for row in table.rows.values():
        if "x" in row.tag or row.tag == "ggggeeee":
            skipped.append((row.tag, row.keyword, "repeating group or private: see the private file"))
        elif row.basic == "K":
            skipped.append((row.tag, row.keyword, "Basic action K"))
        elif row.vr is None or row.vr in _SKIP_VRS:
            skipped.append((row.tag, row.keyword, f"VR {row.vr}: a number that identifies no one"))
        else:
            rows.append(row)
    return rows, skipped


def _unlisted_elements(table: _Table) -> list[tuple[int, str, str]]:
    """Standard free-text elements in pydicom's dictionary that no edition of Table E.1-1 lists."""
    found = []
    for tag, (vr, _vm, _name, retired, keyword) in sorted(DicomDictionary.items()):
        group = tag >> 16
        if group in (0x0000, 0x0002) or group >= 0xFFFA or retired:
            continue
        if vr not in ("LO", "LT", "ST", "UT", "SH", "UC", "PN"):
            continue
        if f"{tag:08x}" in table.rows or f"{tag:08x}" in table.later:
            continue
        if any(word in keyword for word in _UNLISTED_WORDS):
            found.append((tag, vr, keyword))
    return found


# --------------------------------------------------------------------------------------------------
# Carrier images and writing


class _Uids:
    """Sequential carrier UIDs under :data:`BASE_UID_ROOT`."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.n = 0

    def __call__(self) -> UID:
        self.n += 1
        return UID(f"{BASE_UID_ROOT}{self.seed}.{self.n}")


def _base_ct(uids: _Uids, *, big_endian: bool = False) -> Dataset:
    """A small valid CT image (64x64, 16 bits) with empty Type 2 identifying attributes."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = uids()
    ds.StudyDate = ""
    ds.StudyTime = ""
    ds.AccessionNumber = ""
    ds.Modality = "CT"
    ds.Manufacturer = ""
    ds.ReferringPhysicianName = ""
    ds.PatientName = ""
    ds.PatientID = ""
    ds.PatientBirthDate = ""
    ds.PatientSex = ""
    ds.BodyPartExamined = "CHEST"  # without it dciodvfy wants Laterality
    ds.KVP = ""
    ds.PatientPosition = "HFS"
    ds.StudyInstanceUID = uids()
    ds.SeriesInstanceUID = uids()
    ds.StudyID = ""
    ds.SeriesNumber = 1
    ds.AcquisitionNumber = 1
    ds.InstanceNumber = 1
    ds.ImagePositionPatient = ["0", "0", "0"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.FrameOfReferenceUID = uids()
    ds.PositionReferenceIndicator = ""
    ds.SliceThickness = "1"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = 64
    ds.Columns = 64
    ds.PixelSpacing = ["1", "1"]
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    pixels = [(x * 61 + y * 17) % 4096 for y in range(64) for x in range(64)]
    ds.PixelData = struct.pack(f"{'>' if big_endian else '<'}{len(pixels)}H", *pixels)
    return ds


def _meta(ds: Dataset, transfer_syntax: str) -> None:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = UID(transfer_syntax)
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    ds.file_meta = meta


def _encode(ds: Dataset, transfer_syntax: str) -> bytes:
    """Part 10 bytes: preamble, ``DICM``, File Meta Information, data set."""
    _meta(ds, transfer_syntax)
    if any(elem.tag.group == 0 for elem in ds):
        # dcmwrite() refuses Command Set elements; write the pieces ourselves (little endian only).
        assert transfer_syntax in (ExplicitVRLittleEndian, ImplicitVRLittleEndian)
        buffer = io.BytesIO()
        buffer.write(b"\0" * 128 + b"DICM")
        write_file_meta_info(DicomFileLike(buffer), ds.file_meta, enforce_standard=True)
        body = DicomFileLike(buffer)
        body.is_little_endian = True
        body.is_implicit_VR = transfer_syntax == ImplicitVRLittleEndian
        write_dataset(body, ds)
        return buffer.getvalue()
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------
# The corpus

_Save = Callable[[Dataset, str, str, str], CorpusFile]


def build_corpus(
    root: Path,
    *,
    seed: int = 0,
    annex_e: Path | None = None,
    safe_private: Path | None = None,
) -> Corpus:
    """Write the adversarial corpus into ``root`` (created if needed) and return its manifest.

    The same ``seed`` gives the same bytes. ``annex_e`` and ``safe_private`` default to the files in
    the project's ``reference/``.
    """
    root = Path(root)
    table = _load_table(annex_e or ANNEX_E_PATH, safe_private or SAFE_PRIVATE_PATH)
    rng = random.Random(seed)
    planter = _Planter(table, rng)
    uids = _Uids(seed)
    rows, skipped = _plantable_rows(table)
    corpus = Corpus(root=root, seed=seed, options=table.options, skipped_rows=skipped)
    root.mkdir(parents=True, exist_ok=True)

    def save(ds: Dataset, rel: str, ts: str, purpose: str) -> CorpusFile:
        data = _encode(ds, ts)
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        entry = CorpusFile(rel, purpose, str(ts), str(ds.SOPClassUID), str(ds.SOPInstanceUID), planter.take())
        corpus.files.append(entry)
        return entry

    # (a) every row at the top level, once per transfer syntax.
    top_rows = [r for r in rows if not r.tag.startswith("0000") and r.tag != "00020003"]
    for name, ts in (
        ("explicit_le", ExplicitVRLittleEndian),
        ("implicit_le", ImplicitVRLittleEndian),
        ("explicit_be", ExplicitVRBigEndian),
        ("deflated_le", DeflatedExplicitVRLittleEndian),
    ):
        ds = _base_ct(uids, big_endian=ts == ExplicitVRBigEndian)
        planter.plant_rows(ds, top_rows, path=[], placement="top")
        sop = next(s for s in planter.current if s.tag == "00080018" and s.path == ("00080018",))
        planter.record(
            token=sop.token,
            value=sop.value,
            kind="uid",
            tag=0x00020003,
            vr="UI",
            path=[0x00020003],
            placement="file-meta",
            own=table.rows["00020003"],
            enclosing=(),
        )
        save(ds, f"top_level/{name}.dcm", ts, f"every Table E.1-1 row at the top level, {UID(ts).name}")

    # (b) every row 1, 2 and 3 levels down inside kept standard sequences.
    chain = [tag_for_keyword(k) for k in KEPT_CHAIN]
    for depth in (1, 2, 3):
        ds = _base_ct(uids)
        holder, path = ds, []
        for tag in chain[:depth]:
            assert tag is not None and f"{tag:08x}" not in table.rows.keys() | table.later.keys()
            item = _code_item()
            holder.add(DataElement(tag, "SQ", DicomSequence([item])))
            holder, path = item, [*path, tag]
        planter.plant_rows(holder, rows, path=path, placement=f"nested-{depth}")
        save(
            ds,
            f"nested/depth_{depth}.dcm",
            ExplicitVRLittleEndian,
            f"every row {depth} level(s) deep in kept SQs",
        )

    # (c) private blocks, overlays and curves, explicit and implicit VR.
    for name, ts in (("explicit_le", ExplicitVRLittleEndian), ("implicit_le", ImplicitVRLittleEndian)):
        ds = _base_ct(uids)
        _plant_private(planter, table, ds)
        _plant_overlays(planter, table, ds)
        _plant_curves(planter, table, ds)
        save(
            ds,
            f"private_overlay_curve/{name}.dcm",
            ts,
            "private blocks, overlays 6000/6002, curves 5000/5002",
        )

    # Free text that no row lists, and the later edition's rows.
    ds = _base_ct(uids)
    _plant_unlisted(planter, table, ds)
    save(ds, "unlisted/free_text.dcm", ExplicitVRLittleEndian, "standard free text not in Table E.1-1")

    # Command Set elements at the top level (dcmwrite refuses them).
    ds = _base_ct(uids)
    command_rows = [r for r in rows if r.tag.startswith("0000")]
    planter.plant_rows(ds, command_rows, path=[], placement="command")
    # Implicit VR, as the Command Set always is (pydicom warns when it finds group 0000 explicit).
    save(
        ds, "command/command_group.dcm", ImplicitVRLittleEndian, "(0000,eeee) elements in a Part 10 data set"
    )

    _write_references(corpus, planter, table, uids, save)
    _write_broken(corpus, planter, uids, rng)
    return corpus


def _plant_private(planter: _Planter, table: _Table, ds: Dataset) -> None:
    """Private blocks: text, UN, PN, nested private sequences, a safe element, an orphan, one nested."""

    def private(
        holder: Dataset,
        block: Any,
        creator: str,
        offset: int,
        vr: str,
        path: Sequence[int],
        enclosing: Sequence[TableRow] = (),
    ) -> Sentinel:
        tag = block.get_tag(offset)
        own = _private_row(table, creator, tag >> 16, offset)
        return planter.plant(
            holder,
            tag,
            vr,
            f"{creator} {offset:02X}",
            path=path,
            placement="private",
            own=own,
            enclosing=enclosing,
            private_creator=creator,
        )

    creator = "ACME ADVERSARIAL 1.0"
    block = ds.private_block(0x0009, creator, create=True)
    for offset, vr in ((0x01, "LO"), (0x02, "UN"), (0x03, "PN"), (0x04, "LT"), (0x05, "DA"), (0x06, "OB")):
        private(ds, block, creator, offset, vr, [])
    # A private sequence; each item repeats the creator (items are data sets of their own).
    outer_tag = block.get_tag(0x20)
    outer_row = _private_row(table, creator, 0x0009, 0x20)
    item = Dataset()
    item_block = item.private_block(0x0009, creator, create=True)
    private(item, item_block, creator, 0x21, "LO", [outer_tag], [outer_row])
    planter.plant(
        item,
        0x00100010,
        "PN",
        "PatientName",
        path=[outer_tag],
        placement="private",
        own=table.rows["00100010"],
        enclosing=[outer_row],
    )
    inner_tag = item_block.get_tag(0x22)
    inner = Dataset()
    inner_block = inner.private_block(0x0009, creator, create=True)
    private(inner, inner_block, creator, 0x23, "LO", [outer_tag, inner_tag], [outer_row, outer_row])
    item.add(DataElement(inner_tag, "SQ", DicomSequence([inner])))
    ds.add(DataElement(outer_tag, "SQ", DicomSequence([item])))
    # Undefined length, so that a reader can tell these private sequences from UN bytes even in
    # Implicit VR (pydicom writes defined lengths by default; with them an implicit VR private SQ
    # reads back as opaque bytes).
    ds[outer_tag].is_undefined_length = True
    item[inner_tag].is_undefined_length = True

    # A second creator in the same group (block 0x11).
    second = "ACME ADVERSARIAL 2.0"
    block2 = ds.private_block(0x0009, second, create=True)
    private(ds, block2, second, 0x01, "SH", [])

    # A block that Table E.3.10-1 knows: (0019,xx0C) IS "B Value" is safe, (0019,xx20) LO is not.
    siemens = "SIEMENS MR HEADER"
    block3 = ds.private_block(0x0019, siemens, create=True)
    private(ds, block3, siemens, 0x0C, "IS", [])
    private(ds, block3, siemens, 0x20, "LO", [])

    # An orphan: a private element whose block has no creator.
    orphan = 0x00131010
    planter.plant(
        ds,
        orphan,
        "LO",
        "orphan private",
        path=[],
        placement="private",
        own=_private_row(table, None, 0x0013, 0x10),
        enclosing=(),
    )

    # A private block inside a kept standard sequence.
    region_tag = tag_for_keyword(KEPT_CHAIN[0])
    assert region_tag is not None
    region = _code_item()
    region_block = region.private_block(0x0009, creator, create=True)
    private(region, region_block, creator, 0x30, "LO", [region_tag])
    ds.add(DataElement(region_tag, "SQ", DicomSequence([region])))


def _plant_overlays(planter: _Planter, table: _Table, ds: Dataset) -> None:
    """Overlay planes in groups 6000 and 6002 with sentinels in data, description, label, comments."""
    for group in (0x6000, 0x6002):
        base = group << 16
        ds.add_new(base | 0x0010, "US", 64)
        ds.add_new(base | 0x0011, "US", 64)
        ds.add_new(base | 0x0040, "CS", "G")
        ds.add_new(base | 0x0050, "SS", [1, 1])
        ds.add_new(base | 0x0100, "US", 1)
        ds.add_new(base | 0x0102, "US", 0)
        for element, vr, keyword, row in (
            (0x0022, "LO", "OverlayDescription", None),
            (0x1500, "LO", "OverlayLabel", None),
            (0x4000, "LT", "OverlayComments", table.rows["60xx4000"]),
        ):
            planter.plant(
                ds, base | element, vr, keyword, path=[], placement="overlay", own=row, enclosing=()
            )
        # Overlay Data: 64x64 bits = 512 bytes; the sentinel's ASCII sits in the bit plane.
        value, token, _kind, text = planter.make("OB", "OverlayData", base | 0x3000)
        ds.add_new(base | 0x3000, "OW", value + b"\0" * (512 - len(value)))
        planter.record(
            token=token,
            value=text,
            kind="bytes",
            tag=base | 0x3000,
            vr="OW",
            path=[base | 0x3000],
            placement="overlay",
            own=table.rows["60xx3000"],
            enclosing=(),
        )


def _plant_curves(planter: _Planter, table: _Table, ds: Dataset) -> None:
    """Retired curves (groups 5000 and 5002): text and data with sentinels; all of 50xx is X."""
    row = table.rows["50xxxxxx"]
    for group in (0x5000, 0x5002):
        base = group << 16
        ds.add_new(base | 0x0005, "US", 1)
        ds.add_new(base | 0x0010, "US", 4)
        ds.add_new(base | 0x0103, "US", 0)
        for element, vr, keyword in (
            (0x0020, "CS", "TypeOfData"),
            (0x0022, "LO", "CurveDescription"),
            (0x0030, "SH", "AxisUnits"),
            (0x0040, "SH", "AxisLabels"),
            (0x2500, "LO", "CurveLabel"),
            (0x3000, "OB", "CurveData"),
        ):
            planter.plant(ds, base | element, vr, keyword, path=[], placement="curve", own=row, enclosing=())


def _plant_unlisted(planter: _Planter, table: _Table, ds: Dataset) -> None:
    """Every unlisted free-text element at the top level and 2 levels deep; the later edition's rows."""
    chain = [tag_for_keyword(k) for k in KEPT_CHAIN[:2]]
    holder, path = ds, []
    for tag in chain:
        assert tag is not None
        item = _code_item()
        holder.add(DataElement(tag, "SQ", DicomSequence([item])))
        holder, path = item, [*path, tag]
    for tag, vr, keyword in _unlisted_elements(table):
        for target, where in ((ds, []), (holder, path)):
            planter.plant(target, tag, vr, keyword, path=where, placement="unlisted", own=None, enclosing=())
    for row in table.later.values():
        tag = int(row.tag, 16)
        if row.vr == "SQ":
            continue  # a later-edition sequence would count as removing its items: leave it out
        assert row.vr is not None
        planter.plant(ds, tag, row.vr, row.keyword, path=[], placement="later-edition", own=row, enclosing=())


def _write_references(corpus: Corpus, planter: _Planter, table: _Table, uids: _Uids, save: _Save) -> None:
    """Two CTs of one study and series; the second refers to the first in two ways."""
    study, series, frame = (planter.make("UI", k, 0)[0] for k in ("study", "series", "frame"))
    target_sop = planter.make("UI", "sop", 0)[0]
    source_sop = planter.make("UI", "sop", 0)[0]
    u_rows = {k: table.rows[k] for k in ("0020000d", "0020000e", "00200052", "00080018", "00081155")}

    def carrier(sop: str) -> Dataset:
        ds = _base_ct(uids)
        ds.SOPInstanceUID = UID(sop)
        ds.StudyInstanceUID = UID(study)
        ds.SeriesInstanceUID = UID(series)
        ds.FrameOfReferenceUID = UID(frame)
        for tag_text, value in (
            ("00080018", sop),
            ("0020000d", study),
            ("0020000e", series),
            ("00200052", frame),
        ):
            tag = int(tag_text, 16)
            planter.record(
                token=value,
                value=value,
                kind="uid",
                tag=tag,
                vr="UI",
                path=[tag],
                placement="reference",
                own=u_rows[tag_text],
                enclosing=(),
            )
        return ds

    target = carrier(target_sop)
    target.InstanceNumber = 1
    target_entry = save(target, "references/target.dcm", ExplicitVRLittleEndian, "referenced by source.dcm")

    source = carrier(source_sop)
    source.InstanceNumber = 2
    ref_image = Dataset()
    ref_image.ReferencedSOPClassUID = CTImageStorage
    ref_image.ReferencedSOPInstanceUID = UID(target_sop)
    source.ReferencedImageSequence = DicomSequence([ref_image])
    instance = Dataset()
    instance.ReferencedSOPClassUID = CTImageStorage
    instance.ReferencedSOPInstanceUID = UID(target_sop)
    ref_series = Dataset()
    ref_series.SeriesInstanceUID = UID(series)
    ref_series.ReferencedInstanceSequence = DicomSequence([instance])
    source.ReferencedSeriesSequence = DicomSequence([ref_series])
    image_seq = table.rows["00081140"]
    planter.record(
        token=target_sop,
        value=target_sop,
        kind="uid",
        tag=0x00081155,
        vr="UI",
        path=[0x00081140, 0x00081155],
        placement="reference",
        own=u_rows["00081155"],
        enclosing=[image_seq],
    )
    planter.record(
        token=target_sop,
        value=target_sop,
        kind="uid",
        tag=0x00081155,
        vr="UI",
        path=[0x00081115, 0x0008114A, 0x00081155],
        placement="reference",
        own=u_rows["00081155"],
        enclosing=(),
    )
    source_entry = save(source, "references/source.dcm", ExplicitVRLittleEndian, "refers to target.dcm")
    corpus.references += [
        Reference(
            source_entry.path, ("00081140", "00081155"), target_entry.path, "00080018", target_sop, False
        ),
        Reference(
            source_entry.path,
            ("00081115", "0008114a", "00081155"),
            target_entry.path,
            "00080018",
            target_sop,
            True,
        ),
        Reference(source_entry.path, ("00081115", "0020000e"), target_entry.path, "0020000e", series, True),
    ]


def _write_broken(corpus: Corpus, planter: _Planter, uids: _Uids, rng: random.Random) -> None:
    """Files a reader must reject without crashing and without echoing their content."""
    root = corpus.root
    (root / "broken").mkdir(parents=True, exist_ok=True)

    ds = _base_ct(uids)
    name_value, name_token, _kind, _text = planter.make("PN", "PatientName", 0x00100010)
    ds.PatientName = name_value
    comment_value, comment_token, _kind, _text = planter.make("LT", "ImageComments", 0x00204000)
    ds.ImageComments = comment_value
    planter.take()  # broken files are listed apart, not as sentinels of a readable file
    data = _encode(ds, ExplicitVRLittleEndian)
    cut_header = data.index(name_token.encode()) + len(name_value) + 3
    pixel_start = len(data) - len(ds.PixelData)
    cut_pixels = pixel_start + len(ds.PixelData) // 2 + 1
    blobs = [
        (
            "broken/truncated_header.dcm",
            data[:cut_header],
            "truncated inside the data set header",
            (name_token,),
        ),
        (
            "broken/truncated_pixels.dcm",
            data[:cut_pixels],
            "truncated in the middle of Pixel Data (odd length)",
            (name_token, comment_token),
        ),
        ("broken/random.dcm", bytes(rng.randrange(256) for _ in range(2048)), "random bytes", ()),
        (
            "broken/dicm_then_garbage.dcm",
            b"\0" * 128 + b"DICM" + bytes(rng.randrange(256) for _ in range(512)),
            "valid preamble and DICM, then random bytes",
            (),
        ),
        ("broken/empty.dcm", b"", "empty file", ()),
        (
            "broken/notes.txt",
            f"Not DICOM. Patient {name_token} was here.\n".encode(),
            "plain text that mentions a sentinel",
            (name_token,),
        ),
    ]
    for rel, blob, reason, tokens in blobs:
        (root / rel).write_bytes(blob)
        corpus.broken.append(BrokenFile(rel, reason, tokens))


# --------------------------------------------------------------------------------------------------
# Checking


def element_at(ds: Dataset, path: Sequence[str]) -> DataElement | None:
    """The element at ``path`` (tags as 8 hex digits; first item of each sequence), or None.

    A sequence that was read as bytes (an implicit VR private SQ of defined length reads as UN) is
    returned itself: the caller can still look for the token in its bytes.
    """
    holder: Dataset = ds
    for i, text in enumerate(path):
        tag: BaseTag = Tag(int(text, 16))
        if tag.group == 0x0002 and i == 0 and len(path) == 1:
            return ds.file_meta.get(tag)
        if tag not in holder:
            return None
        elem = holder[tag]
        if i == len(path) - 1:
            return elem
        if isinstance(elem.value, bytes):
            return elem
        if not elem.value:
            return None
        holder = elem.value[0]
    return None


def check_planted(corpus: Corpus) -> list[str]:
    """Re-read every file and confirm each sentinel sits where the manifest says; return problems."""
    problems = []
    for f in corpus.files:
        ds = dcmread(corpus.root / f.path)
        for s in f.sentinels:
            elem = element_at(ds, s.path)
            if elem is None:
                problems.append(f"{f.path}: {s.path} missing")
                continue
            value = elem.value
            if isinstance(value, bytes):
                text = value.decode("latin-1")
            elif isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
                text = "\\".join(str(v) for v in value)
            else:
                text = str(value)
            if s.token not in text:
                problems.append(f"{f.path}: {s.path} holds {text[:40]!r}, not {s.token!r}")
    for b in corpus.broken:
        blob = (corpus.root / b.path).read_bytes()
        problems += [f"{b.path}: token {t} not in file" for t in b.tokens if t.encode() not in blob]
    return problems


def _describe(corpus: Corpus) -> str:
    lines = [f"{key:>20}: {value}" for key, value in corpus.counts().items()]
    lines.append(f"{'skipped rows':>20}: {len(corpus.skipped_rows)}")
    for f in corpus.files:
        lines.append(f"  {f.path}: {len(f.sentinels)} sentinels, {UID(f.transfer_syntax).name}")
    return "\n".join(lines)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        built = build_corpus(Path(tmp) / "corpus", seed=0)
        print(_describe(built))
        found = check_planted(built)
        print(f"{'placement problems':>20}: {len(found)}")
        for problem in found[:20]:
            print("   ", problem)
        again = build_corpus(Path(tmp) / "again", seed=0)
        same = all(
            (built.root / f.path).read_bytes() == (again.root / f.path).read_bytes() for f in built.files
        )
        print(f"{'same bytes for seed':>20}: {same}")
        raise SystemExit(1 if found or not same else 0)
