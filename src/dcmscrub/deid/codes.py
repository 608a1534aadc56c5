"""Which texts of a code item may say anything: the engine's and the explanation's one test.

A code (Code Value, Coding Scheme Designator, Code Meaning: PS3.3 Table 8.8-1) is a word of its
scheme's owner only when the scheme is one the standard names (PS3.16 Table 8-1). A private or
local scheme's value and meaning are text someone typed: a name, a staff ID. And a meaning is only
as good as its words: one that holds a word the field does not use (a name planted in a concept
name of a DCM code, say) is typed text too, whatever its scheme; the standard's code value still
says what the concept is.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from pydicom.dataset import Dataset

from dcmscrub.deid.profile import TextSettings
from dcmscrub.deid.subject import text_of
from dcmscrub.deid.text import Cleaner, Subject, vocabulary_for
from dcmscrub.dicomio import elements as el
from dcmscrub.standard.coding_schemes import CODE_MEANING, CODING_SCHEME_DESIGNATOR, is_standard_scheme


class TypedCode(NamedTuple):
    """Whether the code item's value (Code Value, Long Code Value) and its meaning are typed text."""

    value: bool
    meaning: bool


NOT_TYPED = TypedCode(False, False)


def typed_code(ds: Dataset, path: tuple[int, ...], settings: TextSettings) -> TypedCode:
    """What of the code ``ds`` holds (an item at ``path``) is typed text; NOT_TYPED for no code."""
    if not path or not el.has(ds, CODE_MEANING):
        return NOT_TYPED
    if not is_standard_scheme(text_of(ds, CODING_SCHEME_DESIGNATOR)):
        return TypedCode(True, True)
    meaning = text_of(ds, CODE_MEANING)
    return TypedCode(False, bool(meaning) and _judge(settings).clean(meaning) != meaning)


@functools.lru_cache(maxsize=8)
def _judge(settings: TextSettings) -> Cleaner:
    """A cleaner that knows no subject: it keeps exactly the words of the (profile's) vocabulary."""
    return Cleaner(Subject(), vocabulary_for(settings))
