"""What ``clean`` removed, per attribute keyword, counted in bounded memory (for ``scrub --review``).

A :class:`Removed` holds, for each attribute keyword, how many tokens ``clean`` removed for each
reason and, for tokens removed for not being in the vocabulary (the only ones whose text is kept,
see :class:`dcmscrub.deid.text.Removal`), how often each was removed. The engine fills one per
file; the run merges them, in the parent process, into one for the run.

Memory is bounded whatever the input: at most ``max_keywords`` keywords (the rest are counted under
:data:`OTHER_KEYWORDS`), tokens cut to :data:`MAX_TOKEN_CHARS` characters, and per keyword at most
``capacity`` distinct tokens, kept by the Misra-Gries summary: when a tally holds more than twice
``capacity`` tokens, the count of its ``capacity + 1``-th most frequent token is taken from every
count and the tokens left at zero go. Every token removed more than ``total / (capacity + 1)``
times is still there, and each count is low by at most the tally's ``uncounted``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_TOKEN_CHARS = 64
OTHER_KEYWORDS = "(other keywords)"
FILE_CAPACITY = 64  # per keyword and file: a worker sends little back per file
RUN_CAPACITY = 1000  # per keyword in the run's review file
FILE_KEYWORDS = 64
RUN_KEYWORDS = 512


@dataclass
class Tally:
    """Counts of tokens, at most about ``2 * capacity`` of them (Misra-Gries, module docstring)."""

    capacity: int
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0  # every token added, counted or not
    uncounted: int = 0  # how much any count may be low by

    def add(self, token: str, n: int = 1) -> None:
        """Count ``n`` removals of ``token``."""
        self.total += n
        self.counts[token] = self.counts.get(token, 0) + n
        if len(self.counts) > 2 * self.capacity:
            self._prune()

    def _prune(self) -> None:
        ranked = sorted(self.counts.values(), reverse=True)
        cut = ranked[self.capacity]
        self.uncounted += cut
        self.counts = {t: c - cut for t, c in self.counts.items() if c > cut}

    def merge(self, other: Tally) -> None:
        """Add ``other``'s counts (its ``uncounted`` adds to this one's bound)."""
        for token, n in other.counts.items():
            self.add(token, n)
        self.total += other.total - sum(other.counts.values())
        self.uncounted += other.uncounted

    def top(self, n: int | None = None) -> list[tuple[str, int]]:
        """The most frequent tokens, most frequent first (ties by token)."""
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:n]


@dataclass
class Removed:
    """Per attribute keyword: removals by reason, and the unknown tokens' tally."""

    capacity: int = FILE_CAPACITY
    max_keywords: int = FILE_KEYWORDS
    reasons: dict[str, Counter[str]] = field(default_factory=dict)
    tokens: dict[str, Tally] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.reasons)

    def _slot(self, keyword: str) -> str:
        if keyword in self.reasons or len(self.reasons) < self.max_keywords:
            return keyword
        return OTHER_KEYWORDS  # one slot past the cap, so the total stays right

    def add(self, keyword: str, reason: str, token: str = "") -> None:
        """One removal from an element ``keyword``; ``token`` only for the reason ``unknown``."""
        keyword = self._slot(keyword)
        self.reasons.setdefault(keyword, Counter())[reason] += 1
        if token:
            tally = self.tokens.get(keyword)
            if tally is None:
                tally = self.tokens[keyword] = Tally(self.capacity)
            tally.add(token[:MAX_TOKEN_CHARS])

    def merge(self, other: Removed) -> None:
        """Add another file's (or run's) removals."""
        for keyword, reasons in other.reasons.items():
            slot = self._slot(keyword)
            self.reasons.setdefault(slot, Counter()).update(reasons)
            tally = other.tokens.get(keyword)
            if tally is not None:
                mine = self.tokens.get(slot)
                if mine is None:
                    mine = self.tokens[slot] = Tally(self.capacity)
                mine.merge(tally)
