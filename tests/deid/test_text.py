"""The clean action (deid/text.py) and its vocabulary (standard/vocabulary.py): what goes, what stays."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from dcmscrub.deid.text import (
    REDACTED,
    Cleaner,
    Removal,
    Subject,
    clean_text,
    gather_names,
)
from dcmscrub.standard.vocabulary import (
    FORMAT,
    Vocabulary,
    VocabularyError,
    default_vocabulary,
    entry_problems,
    normal,
    parse_data,
    parse_site_terms,
    tokens,
)

VOCABULARY = default_vocabulary()

# Real descriptions whose every token is known not to identify (vocabulary words, numbers, units)
SAFE = [
    "AX T2 FLAIR FS",
    "t1_mprage_sag_p2_iso",
    "5 mm 120 kV 3.0T 2.5mm",
    "DWI b1000 ADC",
    "CT CHEST WITH CONTRAST",
    "Routine Brain",
    "ep2d_diff_3scan_trace_p2",
    "Thorax 1.0 B30f",
    "SAG T1 W/O C+",
    "Abdomen Pelvis portal venous phase",
    "Left kidney",
    "Hodgkin lymphoma",
]
# Third parties and places, none of which may survive (frequent names, names of many origins,
# eponyms alone, place names)
THIRD_PARTIES = [
    "Smith", "Johnson", "Williams", "Garcia", "Nguyen", "Kowalski", "Müller", "Dubois", "Rossi",
    "Tanaka", "Okafor", "Mohammed", "Patel", "Singh", "Wang", "Li", "Chen", "Kim", "Ivanova",
    "John", "Mary", "Lee", "Miller", "James", "Robert",
    "Hodgkin", "Parkinson", "Alzheimer", "Willis",
    "London", "Paris", "Boston", "Springfield", "Lyon", "Osaka", "Nightingale",
]  # fmt: skip
CJK_NAMES = ["山田太郎", "王小明", "佐藤花子", "김민수", "李雷"]


def survives(token: str, text: str) -> bool:
    """True when ``token`` is still a token of ``text`` (or part of one, for runs)."""
    return any(normal(token) == normal(t) or (len(token) > 1 and token in t) for t in tokens(text))


@pytest.fixture
def subject() -> Subject:
    s = Subject()
    s.add_person_name("HEAD^JOHN^SAMPLE")  # a surname that is also an anatomy word
    s.add_person_name("LIVER^MARY")
    s.add_person_name("山田^太郎=やまだ^たろう")
    s.add_id("FAKE-MRN-0001")
    s.add_id("ACC77")
    s.add_birth_date("19650312")
    return s


# --------------------------------------------------------------------------------------------
# what stays


@pytest.mark.parametrize("text", SAFE)
def test_vocabulary_words_numbers_and_units_stay(text: str) -> None:
    assert Cleaner(Subject()).clean(text) == text


@given(st.integers(0, 9999), st.sampled_from(["mm", "cm", "kV", "mAs", "T", "ms", "s", "%", "HU", "ml"]),
       st.sampled_from(["", " "]), st.booleans())  # fmt: skip
def test_numbers_with_units_stay(number: int, unit: str, space: str, decimal: bool) -> None:
    value = f"{number / 10:.1f}" if decimal else str(number)
    text = f"slice {value}{space}{unit}"
    assert Cleaner(Subject()).clean(text) == text


def test_punctuation_stays_and_adjacent_removals_merge() -> None:
    c = Cleaner(Subject())
    assert c.clean("CT (chest), ref: Zqxwv Qwzzy / Jkqpx!") == "CT (chest), ref: * / *!"
    assert c.clean("Zqxwv_Qwzzy_T2") == "*_T2"


# --------------------------------------------------------------------------------------------
# what goes


letters_digits = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=6, max_size=12)


@settings(max_examples=300)
@given(
    letters_digits,
    st.sampled_from(SAFE),
    st.sampled_from([" ", "_", "-", "^", "/", ", "]),
    st.booleans(),
)
@example("ZQNJW6RC", "CT chest", " ", True)
@example("QUIXLEY", "AX T2 FLAIR FS", "_", False)
def test_planted_random_codes_never_survive(token: str, text: str, sep: str, front: bool) -> None:
    # a token whose letter runs are all vocabulary words is a vocabulary token by the rule
    # ("CT3", "T2W"): only codes with an unknown letter run count as planted
    runs = [r for r in "".join(c if c.isalpha() else " " for c in token).split()]
    assume(any(normal(r) not in VOCABULARY.words for r in runs))
    planted = token + sep + text if front else text + sep + token
    out = Cleaner(Subject()).clean(planted)
    assert not survives(token, out)
    assert len(out) <= len(planted)


@pytest.mark.parametrize("name", THIRD_PARTIES)
@pytest.mark.parametrize(
    "template",
    ["ref by Dr {}", "{} ward 7", "CT chest ({})", "seen at {}^T2", "x_{}_y"],
)
def test_third_party_and_place_names_never_survive(name: str, template: str) -> None:
    out = Cleaner(Subject()).clean(template.format(name))
    assert not survives(name, out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "検査 山田太郎",
            "*",
        ),  # subject's name inside a run; the rest of the run is unknown
        ("王小明 胸部CT", "*CT"),
        ("佐藤花子", "*"),
        ("김민수 CT", "* CT"),
    ],
)
def test_cjk_runs_not_in_the_vocabulary_go(subject: Subject, text: str, expected: str) -> None:
    assert Cleaner(subject).clean(text) == expected


def test_cjk_runs_are_judged_against_the_vocabulary() -> None:
    site = VOCABULARY.extended(["胸部", "検査", "造影"], "test")
    c = Cleaner(Subject(), site)
    assert c.clean("王小明 胸部CT") == "* 胸部CT"
    assert c.clean("検査 山田太郎") == "検査 *"
    assert c.clean("胸部造影") == "胸部造影"  # a run that splits entirely into vocabulary runs
    assert c.clean("胸部山田") == "*"  # one that does not goes whole
    assert c.clean("佐藤花子") == "*"


@pytest.mark.parametrize("name", CJK_NAMES)
def test_cjk_names_never_survive(name: str) -> None:
    site = VOCABULARY.extended(["胸部", "検査"], "test")
    for text in (f"{name} 胸部CT", f"検査{name}", f"CT_{name}"):
        assert not survives(name, Cleaner(Subject(), site).clean(text))


# --------------------------------------------------------------------------------------------
# the subject still wins


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CT HEAD WO CONTRAST", "CT * WO CONTRAST"),  # HEAD is the patient's surname
        ("ct_head_routine", "ct_*_routine"),
        ("Liver segmentation", "* segmentation"),
        ("AxialHead", "*"),
        (
            "CT ＨＥＡＤ",
            "CT *",
        ),  # full-width letters: the same name once normalised (NFKC)
        ("CT FAKE-MRN-0001 chest ACC77", "CT * chest *"),
        ("CT 12/03/1965", "CT *"),
        ("John Sample", "*"),
    ],
)
def test_subject_identifiers_go_even_when_they_are_vocabulary_words(
    subject: Subject, text: str, expected: str
) -> None:
    assert "head" in VOCABULARY.words and "liver" in VOCABULARY.words
    assert Cleaner(subject).clean(text) == expected
    assert Cleaner(subject, shift_days=10).clean(text) == expected  # the birth date is not shifted


# --------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize(
    ("text", "shifted"),
    [
        ("seen 2024-01-15", "seen 2024-01-25"),
        (
            "seen 2024/1/5",
            "seen *",
        ),  # the day would grow from 1 to 2 digits: a value never grows
        ("seen 15.01.2024", "seen 25.01.2024"),
        ("seen 31/01/2024", "seen 10/02/2024"),  # only day-first is a date
        ("seen 01/31/2024", "seen 02/10/2024"),  # only month-first is a date
        ("seen 20240115", "seen 20240125"),
        ("seen 12 Jan 2024", "seen 22 Jan 2024"),
        ("seen 12-JAN-2024", "seen 22-JAN-2024"),
        ("seen March 10, 2024", "seen March 20, 2024"),
        ("T1_2024-01-15T10:00", "T1_2024-01-25T10:00"),
        ("scan20240115", "scan20240125"),
        ("seen 01/02/2024", "seen *"),  # 1 February or January 2: ambiguous
        (
            "seen 05/05/2024",
            "seen *",
        ),  # one date, but which order to write it back in is unknown
        ("seen 15/01/24", "seen *"),  # a two-digit year
        ("seen Jan 2024", "seen *"),  # a month
        ("seen 2024-02-30", "seen *"),  # not a date, shaped like one
    ],
)
def test_dates_are_shifted_when_unambiguous(text: str, shifted: str) -> None:
    assert Cleaner(Subject(), shift_days=10).clean(text) == shifted
    without = Cleaner(Subject()).clean(text)  # no offset: every date goes
    assert REDACTED in without and "2024" not in without and "15" not in without.replace("T1_", "")


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.integers(-3650, 3650))
def test_iso_dates_move_by_the_offset(day: dt.date, offset: int) -> None:
    new = day + dt.timedelta(days=offset)
    assume(dt.date(1800, 1, 1) <= new <= dt.date(2199, 12, 31))
    assert Cleaner(Subject(), shift_days=offset).clean(f"seen {day.isoformat()}") == f"seen {new.isoformat()}"


def test_no_date_survives_without_an_offset() -> None:
    c = Cleaner(Subject())
    for text in (
        "2024-01-15",
        "15.01.2024",
        "31/01/2024",
        "20240115",
        "12 Jan 2024",
        "x_2024-01-15_y",
    ):
        out = c.clean(text)
        assert "2024" not in out and "15" not in out.replace("x_", ""), out


# --------------------------------------------------------------------------------------------
# tokens


def test_tokens_are_split_part_by_part() -> None:
    assert list(tokens("t1_mprage_sag_p2_iso")) == ["t1", "mprage", "sag", "p2", "iso"]
    assert list(tokens("3.0T, 2.5mm^B30f")) == ["3.0T", "2.5mm", "B30f"]
    assert list(tokens("検査 山田太郎CT")) == ["検査", "山田太郎", "CT"]


def test_each_part_is_judged_on_its_own() -> None:
    without = Vocabulary(VOCABULARY.words - {"mprage"}, VOCABULARY.pairs)
    assert Cleaner(Subject(), without).clean("t1_mprage_sag_p2_iso") == "t1_*_sag_p2_iso"
    assert Cleaner(Subject()).clean("t1_mprage_sag_p2_iso") == "t1_mprage_sag_p2_iso"


@pytest.mark.parametrize(
    ("token", "kept"),
    [
        ("AxialT2", True),  # camel-case parts, one single letter
        ("3D", True),
        ("1.3x1.3x3", True),  # dimensions
        ("X7K9", False),  # two single letters
        ("A1B2C3", False),
        ("T12345", False),  # a run of five digits
        ("12345", False),
    ],
)
def test_mixed_tokens(token: str, kept: bool) -> None:
    assert (Cleaner(Subject()).clean(token) == token) is kept


# --------------------------------------------------------------------------------------------
# the vocabulary and its poisoning rule


def test_shipped_vocabulary_is_well_formed() -> None:
    from importlib import resources

    text = resources.files("dcmscrub.standard").joinpath("data/vocabulary.txt").read_text(encoding="utf-8")
    assert f"# format: {FORMAT}" in text.splitlines()[:3]
    assert entry_problems(text) == []
    assert any(s.startswith("source: pydicom") for s in VOCABULARY.sources)
    assert len(VOCABULARY.words) > 10000


@pytest.mark.parametrize(
    "name",
    ["john", "mary", "smith", "johnson", "williams", "garcia", "lee", "miller", "james", "robert",
     "hodgkin", "parkinson", "willis", "london", "paris", "boston", "tokyo", "chicago"],
)  # fmt: skip
def test_names_and_places_are_not_vocabulary_words(name: str) -> None:
    assert name not in VOCABULARY.words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hodgkin lymphoma", "Hodgkin lymphoma"),  # an eponym stays inside its term
        ("non-Hodgkin lymphoma", "non-Hodgkin lymphoma"),
        # two name-like tokens never vouch for each other, nor does a short word ("of", "GA", "Bo")
        ("Wolf-Parkinson-White syndrome", "*-Parkinson-White syndrome"),
        ("circle of Willis", "circle of *"),
        ("Bo Xu", "*"),
        ("GA Williams", "GA *"),
        ("Dr Hodgkin", "Dr *"),  # alone, it goes
        ("Hodgkin Parkinson", "*"),
        ("Willis lymphoma", "* lymphoma"),  # beside a word that is not its partner
    ],
)
def test_eponyms_stay_only_inside_their_terms(text: str, expected: str) -> None:
    assert Cleaner(Subject()).clean(text) == expected


def test_name_like_tokens_kept_on_purpose_are_few_and_listed() -> None:
    # tools/vocabulary/names-kept.txt: each kept despite the name lists, with a reason
    for token in ("doppler", "hounsfield", "dixon", "tse"):
        assert token in VOCABULARY.words


def test_site_vocabulary_extends_and_validates() -> None:
    assert Cleaner(Subject()).clean("QUIXLEY protocol") == "* protocol"
    site = VOCABULARY.extended(parse_site_terms("# site terms\nQUIXLEY\n\nvendor protocol X9\n"), "site.txt")
    assert Cleaner(Subject(), site).clean("QUIXLEY protocol") == "QUIXLEY protocol"
    assert site.sources[-1].startswith("site: site.txt")
    with pytest.raises(VocabularyError) as err:
        parse_site_terms("good\n---\n1234\nbad\x07\n")
    assert [n for n, _ in err.value.problems] == [2, 3, 4]


def test_a_data_file_without_its_format_is_refused() -> None:
    with pytest.raises(VocabularyError):
        parse_data("# no format here\nword\n")
    assert parse_data(f"# format: {FORMAT}\nword\nhodgkin lymphoma\n").pairs == {("hodgkin", "lymphoma")}


# --------------------------------------------------------------------------------------------
# review, size, and the former rule


def test_removed_tokens_are_reported_with_text_only_when_unknown(
    subject: Subject,
) -> None:
    removed: list[Removal] = []
    out = Cleaner(subject).clean(
        "CT HEAD for QUIXLEY 2024-01-15 call 617 555 0100; AxialLiver, T12345", removed
    )
    assert out == "CT * for *; *, *"  # removals separated by spaces only merge
    assert Removal("unknown", "QUIXLEY") in removed
    assert Removal("subject") in removed and Removal("date") in removed and Removal("phone") in removed
    assert Removal("id") in removed
    assert all(r.token == "" for r in removed if r.reason != "unknown")


@given(st.text(max_size=80))
def test_result_never_grows(text: str) -> None:
    for cleaner in (
        Cleaner(Subject()),
        Cleaner(Subject(), shift_days=400),
        Cleaner(Subject(), mode="denylist"),
    ):
        assert len(cleaner.clean(text)) <= len(text) + (len(text) - len(text.strip(" \x00")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CT chest for DOE JANE", "CT chest for * *"),
        ("born 12/03/1965", "born *"),
        (
            "axial 5 mm 120 kV T1 3D QUIXLEY",
            "axial 5 mm 120 kV T1 3D QUIXLEY",
        ),  # words stay
        ("ref 1234567 or MRN00991", "ref * or *"),
    ],
)
def test_denylist_mode_is_the_former_rule(text: str, expected: str) -> None:
    s = gather_names(["DOE^JANE"])
    s.add_birth_date("19650312")
    assert Cleaner(s, mode="denylist").clean(text) == expected
    assert clean_text(text, s, mode="denylist") == expected


# -- the shadow text: compatibility forms, marks and invisible characters --------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＨＥＡＤ scan", "* scan"),  # the subject's surname in full-width letters
        ("HE\u200bAD scan", "* scan"),  # split by a zero-width space: one token, and it goes
        ("HE\u00adAD scan", "* scan"),  # split by a soft hyphen
        ("𝐇𝐄𝐀𝐃 scan", "* scan"),  # mathematical bold letters
        ("Smith-White scan", "* scan"),  # a hyphenated surname, whole
        ("White matter", "* matter"),  # and each of its words on its own ("White" is a field word)
        ("CT ⁵⁵⁵⁰¹⁰⁰ chest", "CT * chest"),  # a phone number in superscript digits
        ("①②③④⑤⑥⑦", "*"),  # in circled digits
        ("CT ⑩⑪", "CT *"),  # numbers with no digit value are not numbers
        ("１２３４５６７８", "*"),  # full-width digits: an ID shape
        ("scan ２０２４-０１-１５", "scan *"),  # a full-width date
        ("राम CT", "* CT"),  # vowel signs of a word do not stay behind it
    ],
)
def test_what_is_judged_is_the_compatibility_form(text: str, expected: str) -> None:
    s = Subject()
    s.add_person_name("HEAD^ANN")
    s.add_person_name("SMITH-WHITE^JO")
    assert Cleaner(s).clean(text) == expected


def test_kept_tokens_are_written_as_they_were() -> None:
    # judged in the shadow text, but what stays is the original spelling
    assert Cleaner(Subject()).clean("ＣＴ ｃｈｅｓｔ ５ mm") == "ＣＴ ｃｈｅｓｔ ５ mm"


# -- the shape of a code ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.text(string.ascii_uppercase, min_size=1, max_size=4).filter(lambda t: t != "X"),
            st.integers(0, 9999),
        ),
        min_size=2,
        max_size=4,
    ),
    lead=st.booleans(),
)
def test_letters_and_digits_taking_turns_always_go(parts: list[tuple[str, int]], lead: bool) -> None:
    # two numbers or more in one token is a code's shape, whatever its letter parts (a lone "x"
    # between numbers makes one dimension: 512x512)
    code = "".join(f"{n}{letters}" if lead else f"{letters}{n}" for letters, n in parts)
    assert Cleaner(Subject()).clean(f"CT {code} axial") == "CT * axial"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LT18K", "*"),  # two short letter parts beside a number
        ("5BY1A", "*"),
        ("VL75SF14", "*"),
        ("3.0T 2.5mm b1000 AxialT2 512x512 1.3x1.3x3", "3.0T 2.5mm b1000 AxialT2 512x512 1.3x1.3x3"),
    ],
)
def test_a_number_stands_with_at_most_one_short_part(text: str, expected: str) -> None:
    assert Cleaner(Subject()).clean(text) == expected
