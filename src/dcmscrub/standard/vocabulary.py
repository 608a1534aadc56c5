"""The vocabulary of tokens known not to identify anyone, and what a token is.

The vocabulary is generated data (``data/vocabulary.txt``, made by ``tools/gen_vocabulary.py`` from
the standard's code meanings, defined terms and attribute names and a curated acquisition list; its
header names each source and edition). The ``clean`` action (deid/text.py) keeps a token only when
it is in the vocabulary, a number, or a number with a known unit.

The data file, format ``dcmscrub-vocabulary 1``: UTF-8, ``#`` lines are the header and comments;
every other line is one entry, either

* one token: a word kept wherever it appears (letters, letters and digits, or a run of a script
  written without spaces, such as ``胸部``), or
* two tokens separated by one space: a pair in which a name-like token (an eponym, a place name)
  may stay, e.g. ``hodgkin lymphoma``; alone, ``hodgkin`` is not kept.

Entries are stored normalised (NFKC, case-folded). A site vocabulary file (profile
``text: {vocabulary_files: [...]}``) is simpler: one term a line, ``#`` comments; every token of a
term becomes a word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

FORMAT = "dcmscrub-vocabulary 1"

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, the ideographic
# iteration marks, Hiragana, Katakana, CJK ideographs (with extensions and compatibility forms),
# half-width Katakana. Their text is judged by runs of characters, not by words.
RUN_CHARS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
_NUMBER = r"\d+(?:[.,]\d+)*"
# a token: a run of a script without spaces, or a word of letters and numbers ("t1", "3.0T", "B30f")
TOKEN_RE = re.compile(rf"(?P<run>[{RUN_CHARS}]+)|(?P<word>(?:{_NUMBER}|[^\W\d_{RUN_CHARS}]+)+)")
# the parts of a word: numbers and letter runs ("3.0T" -> "3.0", "T")
SEGMENT_RE = re.compile(rf"{_NUMBER}|[^\W\d_]+")
_RUN_RE = re.compile(f"[{RUN_CHARS}]")


# What a mark (a combining accent that did not compose) or an invisible format character (a zero-width
# space, a soft hyphen) becomes in the shadow text: a letter that is in no vocabulary, so the word
# it sits in is one token and goes ("HE\u200bAD" is not "HE" and "AD").
HIDDEN = "\u01c2"


@functools.lru_cache(maxsize=4096)
def _shadow_char(c: str) -> str:
    folded = unicodedata.normalize("NFKC", c)
    if len(folded) == 1:
        c = folded  # full-width, superscript and circled digits, mathematical letters, ...
    if unicodedata.category(c)[0] == "M" or unicodedata.category(c) == "Cf":
        return c if _RUN_RE.match(c) else HIDDEN
    return c


def shadow(text: str) -> str:
    """``text`` as it is judged: each character replaced by its compatibility form when that is one
    character (``１２３`` -> ``123``, ``①`` -> ``1``, ``𝐃𝐨𝐞`` -> ``Doe``), marks and format characters
    by :data:`HIDDEN`. Same length as ``text``, so what is found in it is cut from ``text``."""
    if text.isascii():
        return text
    return "".join(map(_shadow_char, text))


def normal(token: str) -> str:
    """The form a token is looked up in: NFKC, case-folded."""
    if token.isascii():
        return token.lower()  # the same, faster
    return unicodedata.normalize("NFKC", token).casefold()


def is_run(token: str) -> bool:
    """True for a token of a script written without spaces (judged as a run of characters)."""
    return _RUN_RE.match(token) is not None


def camel_parts(letters: str) -> list[str]:
    """A letter run split where a lower-case letter meets an upper-case one ("AxialT" -> Axial, T)."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(letters)):
        if letters[i - 1].islower() and letters[i].isupper():
            parts.append(letters[start:i])
            start = i
    parts.append(letters[start:])
    return parts


def tokens(text: str) -> Iterator[str]:
    """The tokens of ``text`` (words and runs) in order; separators and punctuation are skipped."""
    for m in TOKEN_RE.finditer(unicodedata.normalize("NFC", text)):
        yield m.group(0)


@dataclass(frozen=True)
class Vocabulary:
    """Tokens known not to identify, built once per profile and shared by every Cleaner."""

    words: frozenset[str]  # normalised single tokens (words and runs)
    pairs: frozenset[tuple[str, str]]  # (left, right): a name-like token stays only beside its partner
    sources: tuple[str, ...] = ()  # the header lines of the data file and the site files added

    @functools.cached_property
    def longest_run(self) -> int:
        """The length of the longest run entry (bounds the segmentation of a run)."""
        return max((len(w) for w in self.words if is_run(w)), default=0)

    @functools.cached_property
    def paired(self) -> frozenset[str]:
        """Tokens that may stay only as part of a pair."""
        return frozenset(t for pair in self.pairs for t in pair if t not in self.words)

    def extended(self, terms: Iterable[str], origin: str) -> Vocabulary:
        """This vocabulary plus every token of ``terms`` as a word; ``origin`` names where they came from."""
        added = {normal(t) for term in terms for t in tokens(term)}
        if not added:
            return self
        return Vocabulary(
            self.words | added,
            self.pairs,
            (*self.sources, f"site: {origin} ({len(added)})"),
        )


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; ``problems`` holds (line number, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(problems)} problem(s) in a vocabulary file")
        self.problems = problems


def parse_data(text: str) -> Vocabulary:
    """The generated data file as a :class:`Vocabulary`; raises :class:`VocabularyError`.

    Only the structure is checked here (it runs at every start); that each entry is one normalised
    token is checked by the generator and by a test of the shipped file (:func:`entry_problems`).
    """
    lines = text.splitlines()
    header = [line[1:].strip() for line in lines if line.startswith("#")]
    entries = [line for line in lines if not line.startswith("#")]
    problems = [(n, "an empty line") for n, line in enumerate(lines, 1) if not line]
    if f"format: {FORMAT}" not in header:
        problems.append((1, f"the header does not say 'format: {FORMAT}'"))
    if problems:
        raise VocabularyError(problems)
    words = frozenset(e for e in entries if " " not in e)
    pairs = frozenset(tuple(e.split(" ", 1)) for e in entries if " " in e)
    return Vocabulary(words, pairs, tuple(h for h in header if h.startswith("source")))  # type: ignore[arg-type]


def entry_problems(text: str) -> list[tuple[int, str]]:
    """Entries of a data file that are not one or two normalised tokens (slow: for tools and tests)."""
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            continue
        parts = line.split(" ")
        if len(parts) > 2 or any(p != normal(p) or len(list(tokens(p))) != 1 for p in parts):
            problems.append(
                (
                    n,
                    "an entry must be one or two normalised tokens separated by one space",
                )
            )
    return problems


def term_problem(term: str) -> str | None:
    """Why ``term`` cannot be a site vocabulary term (None: it can).

    A term must hold at least one token and no control character; a term of digits only is refused
    (numbers are kept anyway, so such a term is a mistake).
    """
    found = list(tokens(term))
    if any(unicodedata.category(c) == "Cc" for c in term):
        return "a term must not hold control characters"
    if not found:
        return "a term must hold at least one word"
    if all(t.replace(".", "").replace(",", "").isdigit() for t in found):
        return "numbers are always kept: a term of digits only is not needed"
    return None


def parse_site_terms(text: str) -> list[str]:
    """The terms of a site vocabulary file (one a line, ``#`` comments); raises :class:`VocabularyError`
    with every problem and its line number (see :func:`term_problem`)."""
    problems: list[tuple[int, str]] = []
    terms: list[str] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        problem = term_problem(line)
        if problem is None:
            terms.append(line)
        else:
            problems.append((n, problem))
    if problems:
        raise VocabularyError(problems)
    return terms


@functools.cache
def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary (``data/vocabulary.txt``), read once per process."""
    text = resources.files("dcmscrub.standard").joinpath("data/vocabulary.txt").read_text(encoding="utf-8")
    return parse_data(text)
