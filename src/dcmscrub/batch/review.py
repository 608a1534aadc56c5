"""The review file of a run (``scrub --review FILE``): what ``clean`` removed, never in plaintext.

A data steward reads it (``dcmscrub review FILE -i IDENTITY``) to find the safe words of the site
that ``clean`` removed, and adds them to the site's vocabulary (profile ``text.vocabulary_files``).
Because those tokens may be names, the file is an age file encrypted to the run's recipients,
written atomically (mode 0600) once the run is logged; it is never written in plaintext and nothing
of it reaches the audit log. Workers count per file (:class:`~dcmscrub.deid.review.Removed`, sent
back in :class:`~dcmscrub.batch.worker.FileResult`); the parent merges the counts of each written
output as it is committed, in bounded memory.

The plaintext inside the age file is one JSON object, format ``dcmscrub-review`` version 1::

    {"format": "dcmscrub-review", "version": 1, "run_id": "...",
     "profile": {"name": "...", "sha256": "...", "clean": "vocabulary"},
     "files": 12,                    # outputs the run wrote (their removals are counted)
     "limits": {"keywords": 512, "tokens_per_keyword": 1000, "tokens_per_keyword_per_file": 64,
                "token_chars": 64},
     "keywords": {"SeriesDescription": {
         "removed": {"unknown": 40, "subject": 3, "date": 1},   # removals by reason
         "unknown_tokens": 40,       # tokens removed for not being in the vocabulary
         "uncounted": 0,             # each count below may be low by at most this (bounded memory)
         "tokens": [["QUIXLEY", 12], ["ZQNJW6RC", 1]]}}}    # most frequent first

Only tokens removed for not being in the vocabulary are listed with their text; removals of the
subject's names and IDs, dates, phone numbers, ID shapes and e-mail addresses are counted only.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, cast

from dcmscrub.age import AgeWriter, Identity, X25519Recipient, decrypt, looks_like_age
from dcmscrub.atomic import OutputExistsError, atomic_output
from dcmscrub.batch.walk import is_within
from dcmscrub.batch.worker import FileResult
from dcmscrub.deid.profile import Profile
from dcmscrub.deid.review import FILE_CAPACITY, MAX_TOKEN_CHARS, RUN_CAPACITY, RUN_KEYWORDS, Removed
from dcmscrub.errors import DataError, InputError, OutputError, UsageError
from dcmscrub.outcomes import Outcome

REVIEW_FORMAT = "dcmscrub-review"
REVIEW_VERSION = 1
MAX_REVIEW_BYTES = 256 * 1024 * 1024  # what a review file can hold, with room to spare


class RunReview:
    """One run's review: where it goes, to whom, and the counts of the outputs written so far.
    Without a ``path`` it is disabled: it takes nothing and writes nothing."""

    def __init__(
        self, path: Path | None, recipients: Sequence[X25519Recipient], out: Path, roots: Sequence[Path]
    ) -> None:
        self.path = check_review_path(path, recipients, out, roots) if path is not None else None
        self.recipients = tuple(recipients)
        self.removed = Removed(RUN_CAPACITY, RUN_KEYWORDS)
        self.files = 0

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def take(self, result: FileResult) -> None:
        """Merge a committed result's counts (a written output's only), then drop them from it."""
        if result.outcome == Outcome.WRITTEN:
            self.files += 1
            if result.removed is not None:
                self.removed.merge(result.removed)
        result.removed = None

    def write(self, run_id: str, profile: Profile, *, overwrite: bool) -> None:
        """Write the review file (encrypted to the run's recipients); nothing when disabled."""
        if self.path is None:
            return
        document = review_document(self.removed, run_id=run_id, profile=profile, files=self.files)
        write_review(self.path, document, self.recipients, overwrite=overwrite)


def check_review_path(
    path: Path, recipients: Sequence[X25519Recipient], out: Path, roots: Sequence[Path]
) -> Path:
    """Refuse a review file that would be plaintext, or that would lie in the output or an input tree."""
    if not recipients:
        raise UsageError(
            "--review needs encrypted outputs: the review file holds the words clean removed",
            hint="give -r age1... or -R FILE instead of --no-encrypt",
        )
    real = path.absolute().parent.resolve() / path.name
    for tree in (out, *roots):
        if is_within(real, tree):
            raise OutputError(
                f"review file {path} is inside {tree}", hint="write it outside the input and output trees"
            )
    if not real.parent.is_dir():
        raise OutputError(f"cannot create {path}: the folder does not exist")
    return real


def review_document(removed: Removed, *, run_id: str, profile: Profile, files: int) -> dict[str, Any]:
    """The review file's plaintext object (module docstring)."""
    keywords: dict[str, Any] = {}
    for keyword in sorted(removed.reasons):
        tally = removed.tokens.get(keyword)
        keywords[keyword] = {
            "removed": dict(sorted(removed.reasons[keyword].items())),
            "unknown_tokens": tally.total if tally else 0,
            "uncounted": tally.uncounted if tally else 0,
            "tokens": [list(item) for item in tally.top()] if tally else [],
        }
    return {
        "format": REVIEW_FORMAT,
        "version": REVIEW_VERSION,
        "run_id": run_id,
        "profile": {"name": profile.name, "sha256": profile.sha256, "clean": profile.text.clean},
        "files": files,
        "limits": {
            "keywords": removed.max_keywords,
            "tokens_per_keyword": removed.capacity,
            "tokens_per_keyword_per_file": FILE_CAPACITY,
            "token_chars": MAX_TOKEN_CHARS,
        },
        "keywords": keywords,
    }


def write_review(
    path: Path, document: dict[str, Any], recipients: Sequence[X25519Recipient], *, overwrite: bool
) -> None:
    """Encrypt ``document`` to ``recipients`` into ``path`` (atomically, mode 0600)."""
    data = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        with atomic_output(path, overwrite=overwrite, mode=0o600) as raw, AgeWriter(raw, recipients) as age:
            age.write(data)
    except OutputExistsError:
        raise OutputError(
            f"review file {path} already exists", hint="use --overwrite or another name"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write review file {path} ({exc.strerror or 'I/O error'})") from None


class _Bounded(io.BytesIO):
    """An in-memory buffer that refuses to grow past :data:`MAX_REVIEW_BYTES`."""

    def write(self, b: Any) -> int:
        if self.tell() + len(b) > MAX_REVIEW_BYTES:
            raise DataError("the review file is larger than any review file dcmscrub writes")
        return super().write(b)


def read_review(path: Path, identities: Sequence[Identity]) -> dict[str, Any]:
    """Decrypt and check a review file; raises DecryptError/DataError for a foreign or damaged one."""
    try:
        with path.open("rb") as fh:
            if not looks_like_age(fh.read(64)):
                raise DataError(f"{path.name} is not an age file", hint="give the file scrub --review wrote")
            fh.seek(0)
            plain = _Bounded()
            decrypt(fh, cast(BinaryIO, plain), identities)
    except OSError:
        raise InputError(f"cannot read {path}") from None
    try:
        document = json.loads(plain.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DataError(f"{path.name} is not a dcmscrub review file") from None
    if not isinstance(document, dict) or document.get("format") != REVIEW_FORMAT:
        raise DataError(f"{path.name} is not a dcmscrub review file")
    if document.get("version") != REVIEW_VERSION:
        raise DataError(
            f"{path.name} is review format version {document.get('version')!r}; "
            f"this dcmscrub reads version {REVIEW_VERSION}",
            hint="read it with the dcmscrub version that wrote it",
        )
    return document
