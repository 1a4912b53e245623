"""One analysis of a text (a sentence, or one side of a bead), shared by every stage.

The scorer's features, the number, name and negation checks and the word evidence all read the
same things of a sentence: its numbers (digits with separators, signs, units and scale words),
its numbers in words, months, clock times, currencies, negations and word spans. ``analyse``
computes them once for a text and language and keeps the result (a bounded cache keyed by the
text), so that a sentence that is its own bead, as most are, is analysed once for the scorer and
the checks together: on a 5,000-sentence document ``numbers()`` ran about 15,000 times before.
"""

from __future__ import annotations

from functools import cached_property, lru_cache

from aligner.text.numbers import (
    Number,
    currencies,
    months,
    number_words,
    numbers,
    spelled_numbers,
    times,
)
from aligner.text.words import standalone_spans


class Analysis:
    """What the stages read of a text, each part computed when first asked and then kept (the
    scorer reads the numbers and months of every sentence; the checks also the numbers in words,
    times and currencies, only of aligned beads)."""

    def __init__(self, text: str, lang: str) -> None:
        self.text, self.lang = text, lang

    @cached_property
    def numbers(self) -> tuple[Number, ...]:
        """Digits, with their values."""
        return tuple(numbers(self.text, self.lang))

    @cached_property
    def number_words(self) -> tuple[Number, ...]:
        """Numbers in words, every reading (tre, tre milioni)."""
        return tuple(number_words(self.text))

    @cached_property
    def spelled(self) -> tuple[Number, ...]:
        """Numbers in words, the longest reading of each (tre milioni)."""
        return tuple(spelled_numbers(self.text, list(self.number_words)))

    @cached_property
    def months(self) -> tuple[int, ...]:
        return tuple(months(self.text, self.lang))

    @cached_property
    def times(self) -> tuple[tuple[int, int, str], ...]:
        """Clock times as (start, end, "HH:MM")."""
        return tuple(times(self.text, self.lang))

    @cached_property
    def currencies(self) -> tuple[str, ...]:
        """ISO codes of its amounts' currencies."""
        return tuple(currencies(self.text))

    @cached_property
    def words(self) -> tuple[tuple[int, int, str], ...]:
        """(start, end, word) of its standalone words."""
        return tuple((m.start(), m.end(), m.group(0)) for m in standalone_spans(self.text))


@lru_cache(maxsize=50_000)
def analyse(text: str, lang: str) -> Analysis:
    """The analysis of ``text`` in language ``lang``."""
    return Analysis(text, lang)
