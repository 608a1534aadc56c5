"""Utility and cost of ``clean`` over real descriptions: how many tokens survive, and how fast.

    python benchmarks/bench_text_utility.py [--corpus FILE] [--top N] [--repeat R]

The corpus (benchmarks/data/text_corpus.tsv, made by benchmarks/make_text_corpus.py) holds real
series, study and protocol descriptions and ROI names from public sources, each with the file it
came from. They carry no subject of their own, so every token in them counts as non-identifying:
the keep-rate is the share of tokens (standard/vocabulary.py's tokens: words and runs) found
unchanged in the output, matched in order (difflib). "before" is the former rule
(``mode="denylist"``), "after" the vocabulary rule, both with an empty Subject.

Cost: the mean time of one ``Cleaner.clean`` call over every corpus value (best of ``--repeat``
passes), plus the one-off time to load the shipped vocabulary. Run by hand; write the numbers in
docs/benchmarks.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import collections
import csv
import difflib
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dcmscrub.deid.text import Cleaner, Removal, Subject  # noqa: E402
from dcmscrub.standard import vocabulary as vocabulary_module  # noqa: E402
from dcmscrub.standard.vocabulary import normal, parse_data, tokens  # noqa: E402

CORPUS = ROOT / "benchmarks" / "data" / "text_corpus.tsv"


def group_of(source: str, keyword: str) -> str:
    """The corpus line's group for the per-group table."""
    if source.startswith("idc-index-data"):
        return f"IDC {keyword}"
    if keyword in ("ROIName", "SegmentLabel"):
        return "ROI names and segment labels"
    return "test files of pydicom, pydicom-data, deid-data, highdicom, dicognito"


def kept(before: str, after: str) -> int:
    """How many tokens of ``before`` are still in ``after``, in order."""
    a, b = list(tokens(before)), list(tokens(after))
    return sum(
        block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    )


def per_value_cost(cleaner: Cleaner, values: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for v in values:
            cleaner.clean(v)
        best = min(best, time.perf_counter() - start)
    return best / len(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--top",
        type=int,
        default=30,
        help="how many of the most frequent losses to list",
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with args.corpus.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))

    start = time.perf_counter()
    text = (vocabulary_module.resources.files("dcmscrub.standard") / "data/vocabulary.txt").read_text("utf-8")
    vocabulary = parse_data(text)
    load = time.perf_counter() - start
    before_cleaner = Cleaner(Subject(), mode="denylist")
    after_cleaner = Cleaner(Subject(), vocabulary)

    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    losses: collections.Counter[str] = collections.Counter()
    loss_example: dict[str, str] = {}
    reasons: collections.Counter[str] = collections.Counter()
    for row in rows:
        value, group = row["value"], group_of(row["source"], row["keyword"])
        n = len(list(tokens(value)))
        removed: list[Removal] = []
        after = after_cleaner.clean(value, removed)
        for counts in (totals[group], totals["all"]):
            counts["values"] += 1
            counts["tokens"] += n
            counts["before"] += kept(value, before_cleaner.clean(value))
            counts["after"] += kept(value, after)
            counts["unchanged after"] += after == value
        for r in removed:
            reasons[r.reason] += 1
            if r.token:
                losses[normal(r.token)] += 1
                loss_example.setdefault(normal(r.token), f"{row['source']} | {row['file']} | {value}")

    values = [row["value"] for row in rows]
    cost_before = per_value_cost(before_cleaner, values, args.repeat)
    cost_after = per_value_cost(after_cleaner, values, args.repeat)
    subject = Subject()
    for name in ("DOE^JANE^SAMPLE", "SMITH^AL", "MILLER^ROBERT", "GARCIA^MARIA"):
        subject.add_person_name(name)
    for identifier in ("FAKE-MRN-0001", "ACC77", "STUDY4"):
        subject.add_id(identifier)
    subject.add_birth_date("19650312")
    with_subject = Cleaner(subject, vocabulary)
    shifting = Cleaner(subject, vocabulary, shift_days=-123)
    long_value = " ".join(values)[:1024]  # one 1 KB LT value
    costs = {
        "corpus values, subject with 4 names, 3 IDs, a birth date": (
            per_value_cost(Cleaner(subject, mode="denylist"), values, args.repeat),
            per_value_cost(with_subject, values, args.repeat),
        ),
        "the same, dates shifted (retain-long-modified-dates)": (
            per_value_cost(Cleaner(subject, mode="denylist"), values, args.repeat),
            per_value_cost(shifting, values, args.repeat),
        ),
        "one 1 KB value, subject as above": (
            per_value_cost(Cleaner(subject, mode="denylist"), [long_value] * 50, args.repeat),
            per_value_cost(with_subject, [long_value] * 50, args.repeat),
        ),
        "one 1 KB value, dates shifted": (
            per_value_cost(Cleaner(subject, mode="denylist"), [long_value] * 50, args.repeat),
            per_value_cost(shifting, [long_value] * 50, args.repeat),
        ),
    }
    start = time.perf_counter()
    for _ in range(1000):
        Cleaner(subject, vocabulary, shift_days=-123)
    build = (time.perf_counter() - start) / 1000

    print(
        f"# clean utility ({platform.processor() or platform.machine()}, Python {platform.python_version()})"
    )
    print(
        f"corpus: {args.corpus.name}, {len(rows)} values; vocabulary: {len(vocabulary.words)} words, "
        f"{len(vocabulary.pairs)} pairs, {len(text.encode())} bytes, loaded in {load * 1000:.1f} ms\n"
    )
    print("| group | values | tokens | kept before | kept after | values unchanged after |")
    print("|---|---:|---:|---:|---:|---:|")
    for group in sorted(totals, key=lambda g: (g != "all", g)):
        c = totals[group]
        print(
            f"| {group} | {c['values']} | {c['tokens']} | {c['before']} ({c['before'] / c['tokens']:.1%}) "
            f"| {c['after']} ({c['after'] / c['tokens']:.1%}) | {c['unchanged after']} "
            f"({c['unchanged after'] / c['values']:.1%}) |"
        )
    print(
        f"\nper-value cost: before {cost_before * 1e6:.1f} us, after {cost_after * 1e6:.1f} us "
        f"(best of {args.repeat} passes over {len(values)} values)"
    )
    print("\n| case | before (denylist) | after (vocabulary) |\n|---|---:|---:|")
    for case, (before, after) in costs.items():
        print(f"| {case} | {before * 1e6:.1f} us | {after * 1e6:.1f} us |")
    print(f"\nbuilding a Cleaner for one object's subject: {build * 1e6:.1f} us")
    print(f"\nremovals after, by reason: {dict(reasons.most_common())}")
    print(f"\n## the {args.top} most frequent tokens removed after (not in the vocabulary)\n")
    print("| token | times | first value it came from (source, file, value) |")
    print("|---|---:|---|")
    for token, count in losses.most_common(args.top):
        print(f"| {token} | {count} | {loss_example[token]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
