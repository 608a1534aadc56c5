"""deid/review.py: what clean removed, counted in bounded memory (Misra-Gries per keyword)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from dcmscrub.deid.review import MAX_TOKEN_CHARS, OTHER_KEYWORDS, Removed, Tally


@settings(max_examples=200, deadline=None)
@given(
    stream=st.lists(st.integers(0, 60), max_size=600),
    capacity=st.integers(1, 8),
    split=st.integers(0, 600),
)
def test_tally_keeps_every_heavy_hitter_with_bounded_error(
    stream: list[int], capacity: int, split: int
) -> None:
    # two per-file tallies merged into a run's, as the parent does
    first, second = Tally(capacity), Tally(capacity)
    for n, x in enumerate(stream):
        (first if n < split else second).add(f"t{x}")
    run = Tally(capacity)
    run.merge(first)
    run.merge(second)
    truth = Counter(f"t{x}" for x in stream)
    assert run.total == len(stream)
    assert len(run.counts) <= 2 * capacity  # bounded, whatever the stream
    for token, n in truth.items():
        counted = run.counts.get(token, 0)
        assert n - run.uncounted <= counted <= n  # low by at most ``uncounted``, never high
        if n > len(stream) / (capacity + 1):
            assert token in run.counts  # a token removed often enough is always listed


def test_removed_caps_keywords_and_token_length() -> None:
    removed = Removed(capacity=4, max_keywords=2)
    for keyword in ("A", "B", "C", "D"):
        removed.add(keyword, "unknown", "X" * 200)
    removed.add("A", "subject")
    assert set(removed.reasons) == {"A", "B", OTHER_KEYWORDS}
    assert removed.reasons[OTHER_KEYWORDS]["unknown"] == 2
    assert removed.reasons["A"] == Counter({"unknown": 1, "subject": 1})
    assert all(len(t) == MAX_TOKEN_CHARS for tally in removed.tokens.values() for t in tally.counts)
    run = Removed(capacity=4, max_keywords=1)
    run.merge(removed)
    assert sum(sum(c.values()) for c in run.reasons.values()) == 5  # nothing lost from the totals
