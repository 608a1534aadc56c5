"""De-identification profiles: the validated, frozen model that the engine reads.

A profile says which PS3.15 Annex E options apply and which rules a site adds on top of the
standard's table. It is written in YAML (:mod:`dcmscrub.deid.profile_yaml` parses one file,
:mod:`dcmscrub.deid.profile_load` resolves ``extends`` chains and merges them) and validated
completely before any DICOM file is read.

Schema (``version: 1``)::

    version: 1                     # required
    name: my-site                  # required: letters, digits, '-', '_', '.'
    description: free text
    extends: basic                 # a built-in profile name or a path relative to this file
    options: [retain-safe-private] # Annex E options (the standard's names, hyphenated)
    rules:                         # ordered; a later rule wins over an earlier one and the base
      - {select: PatientName, action: pseudonym}
      - {select: "(0019,xx0C)", creator: SIEMENS MR HEADER, action: keep}
      - {select: InstitutionName, action: replace, value: Research Site}
    private: {default: remove}     # or keep-safe (= the retain-safe-private option)
    pseudonyms: {namespace: my-project, uid_root: "1.2.826.0.1.3680043.10.999", date_shift_days: 365}
    burned_in: quarantine          # or allow
    recipients: [age1...]          # public keys outputs are encrypted to (optional)
    escrow: {recipients: [age1...]} # who alone can open the run's re-identification table
    text:                          # what ``clean`` keeps in free text (deid/text.py)
      clean: vocabulary            # or denylist (the former rule: only identifier shapes go)
      vocabulary: [QUIXLEY, protocol X9]   # terms whose words are known not to identify
      vocabulary_files: [site-terms.txt]   # one term a line, ``#`` comments; relative to this file
    pixels:                        # Clean Pixel Data: rectangles to blank (dcmscrub.deid.pixels)
      - {match: {Modality: US, ManufacturerModelName: "LOGIQ E9", Rows: 600}, blank: [[0, 0, 800, 60]]}
    pixels_catalogue: builtin      # or none (default): also the built-in device catalogue
    pixels_detector: {enabled: auto, keep_text: [cm, dB]}   # the [ocr] extra's text detector

Along an ``extends`` chain, ``text.vocabulary`` and ``text.vocabulary_files`` add up (base first);
``text.clean`` is the last one set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dcmscrub.deid.profile_pixels import PixelSettings
from dcmscrub.deid.selector import Selector
from dcmscrub.standard.vrs import DATE_VRS, TEXT_VRS

PROFILE_VERSION = 1

ACTIONS: tuple[str, ...] = (
    "remove",
    "empty",
    "dummy",
    "keep",
    "clean",
    "uid",
    "shift",
    "pseudonym",
    "replace",
)

# Which value representations each action makes sense for (None: any VR). ``clean`` also walks
# a sequence (cleaning the text inside) and may meet an element stored as UN.
ACTION_VRS: dict[str, frozenset[str] | None] = {
    "remove": None,
    "empty": None,
    "dummy": None,
    "keep": None,
    "clean": TEXT_VRS | DATE_VRS | {"TM", "SQ", "UN"},
    "uid": frozenset({"UI"}),
    "shift": DATE_VRS,
    "pseudonym": frozenset({"LO", "PN", "SH", "UC", "LT", "ST", "UT"}),
    "replace": None,
}

TOP_KEYS = (
    "version",
    "name",
    "description",
    "extends",
    "options",
    "rules",
    "private",
    "pseudonyms",
    "burned_in",
    "recipients",
    "escrow",
    "text",
    "pixels",
    "pixels_catalogue",
    "pixels_detector",
)
TEXT_KEYS = ("clean", "vocabulary", "vocabulary_files")
CLEAN_MODES = ("vocabulary", "denylist")
RULE_KEYS = ("select", "creator", "action", "value", "note")
PRIVATE_KEYS = ("default",)
PRIVATE_DEFAULTS = ("remove", "keep-safe")
PSEUDONYM_KEYS = ("namespace", "uid_root", "date_shift_days")
ESCROW_KEYS = ("recipients",)
BURNED_IN = ("quarantine", "allow")

DEFAULT_NAMESPACE = "dcmscrub"
DEFAULT_DATE_SHIFT_DAYS = 365
MAX_DATE_SHIFT_DAYS = 36500
MAX_UID_ROOT_LENGTH = 32  # leaves at least 31 digits of keyed value under a 64-character UID


@dataclass(frozen=True)
class Rule:
    """One profile rule: ``action`` (and ``value`` for replace) on what ``selector`` picks."""

    selector: Selector
    action: str
    value: str | None
    source: str
    line: int | None


@dataclass(frozen=True)
class PseudonymSettings:
    """Keyed pseudonym parameters: namespace (HKDF label), optional UID root, date-shift range."""

    namespace: str = DEFAULT_NAMESPACE
    uid_root: str | None = None
    date_shift_days: int = DEFAULT_DATE_SHIFT_DAYS


@dataclass(frozen=True)
class VocabularyFile:
    """A site vocabulary file a profile names: where it was read, its digest and its terms."""

    path: str  # where it was found (absolute), for ``profile show``
    sha256: str  # stands for the terms when profiles are compared or hashed (once per file)
    terms: tuple[str, ...] = field(compare=False)


@dataclass(frozen=True)
class TextSettings:
    """How ``clean`` treats free text: the rule, and the profile's additions to the vocabulary."""

    clean: str = "vocabulary"  # one of CLEAN_MODES
    vocabulary: tuple[str, ...] = ()  # terms written in the profiles of the chain
    files: tuple[VocabularyFile, ...] = ()

    def terms(self) -> tuple[str, ...]:
        """Every added term: the profiles' own, then each file's."""
        return self.vocabulary + tuple(t for f in self.files for t in f.terms)


@dataclass(frozen=True)
class Profile:
    """A validated, resolved profile (its ``extends`` chain already merged)."""

    name: str
    description: str
    options: frozenset[str]
    rules: tuple[Rule, ...]
    private_default: str
    pseudonyms: PseudonymSettings
    burned_in: str
    recipients: tuple[str, ...]
    chain: tuple[str, ...]  # sources, base first
    sha256: str  # of the bytes of every file in the chain, base first
    declared_options: frozenset[str] = field(default_factory=frozenset)  # before -O additions
    escrow_recipients: tuple[str, ...] = ()  # the escrow's readers; never a data recipient
    text: TextSettings = field(default_factory=TextSettings)
    # not hashed: the engine's plan (cached per profile) does not depend on it
    pixels: PixelSettings = field(default_factory=PixelSettings, hash=False)
