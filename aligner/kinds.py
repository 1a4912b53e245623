"""The kinds of feature a sentence's bag holds, named.

A feature is a string key in a ``Counter`` (fast to hash and intern, and what the vectorised
similarity matrix indexes); its first character says its kind. Character 4-grams of longer
words have no mark (they start with ``<`` or a letter). The scorer treats kinds differently:
numbers, months and shared names anchor a pair; the coarse pass over merged sentences keeps
only the marked kinds.
"""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    """A feature kind and the character that marks its keys (``Kind.NUMBER + "1500"``)."""

    NUMBER = "#"          # a number's normalised value: 1.500 (it) = 1,500 (en) = #1500
    MONTH = "@"           # a month's number: ottobre = October = @month10
    NAME = "^"            # the prefix of a capitalised word inside a sentence
    WORD = "="            # a whole folded word
    GLOSS = "~"           # a hand gloss's stem, or a word of a learned lexicon (~en:cat)
    ASSOCIATION = "%"     # a word association learnt from the document's first pass

    def __str__(self) -> str:
        return self.value

    @classmethod
    def of(cls, feature: str) -> Kind | None:
        """The kind of a feature key; None for a character n-gram."""
        return _BY_MARK.get(feature[:1])


_BY_MARK = {k.value: k for k in Kind}

#: The marks of every kind (n-grams have none).
MARKS = frozenset(_BY_MARK)
