"""Whether a word has a counterpart on the other side, as the word evidence
(``aligner.diverge.differences``) decides it.

A (folded) word has a counterpart where the other side holds the same word, a cognate (the
first four letters once spelling habits are levelled, or, for words of five letters or more,
most letter trigrams and the first letter), a hand gloss (``hand.counterparts``), a translation
the learned lexicon gives with probability ``MIN_PROB`` or more in either direction, one the
shipped dictionary lists (``bilingual``), or, where the pair was scored with machine
translations, the same lexicon token in the translation of the other side (``echo``).

The length check's dropped final clause reads the hand evidence alone (``hand.counterparts``):
with this fuller evidence the dropped clause's common words find loose translations on the
other side, and probes-dev's omission recall fell .72 -> .64 (docs/experiments.md, stop 35).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from aligner.lexicon import hand
from aligner.lexicon.table import token
from aligner.text.words import dice, trigrams

if TYPE_CHECKING:
    from aligner.lexicon.table import Lexicon

MIN_PROB = 0.05       # a lexicon translation this likely counts as a counterpart


class _Likely(dict):
    """Word -> its translations of probability >= MIN_PROB in one direction of a lexicon,
    computed when first asked (a short document needs few)."""

    def __init__(self, table) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, word: str) -> frozenset[str]:
        value = self[word] = frozenset(t for t, p in self.table.get(word, ()) if p >= MIN_PROB)
        return value


_NO_LIKELY = (_Likely({}), _Likely({}))


def likely(lex: Lexicon | None) -> tuple[_Likely, _Likely]:
    """Both directions' likely translations of a lexicon oriented from a word's language
    (kept with the lexicon)."""
    if lex is None:
        return _NO_LIKELY
    return lex.cached("likely", lambda: (_Likely(lex.forward), _Likely(lex.backward)))


def found(words: Sequence[str], lang: str, others: Sequence[str], other_lang: str,
          lex: Lexicon | None = None, dictionary: Mapping[str, frozenset[str]] | None = None,
          echo: frozenset[str] = frozenset(), wanted: Sequence[bool] | None = None
          ) -> list[bool | None]:
    """For each folded word of a side: True where it has a counterpart among the other side's
    folded words ``others``, False where it has none, None for a word too small to judge
    (short, and no evidence for it). ``lex`` is oriented from ``lang``, ``dictionary`` maps
    this side's tokens to the other's; ``wanted``: only these words need the lexicon's tests
    (the others keep the hand evidence's answer)."""
    out = hand.counterparts(list(words), lang, list(others), other_lang)
    forward, backward = likely(lex)
    other_tokens = {token(w) for w in others}
    into_mine: set[str] = set()          # the other side's words' translations into this side
    if lex is not None:
        for t in other_tokens:
            into_mine |= backward[t]
    for k, word in enumerate(words):
        if out[k] or (wanted is not None and not wanted[k]):
            continue
        t = token(word)
        if (t in into_mine or t in echo or (lex is not None
                                            and not forward[t].isdisjoint(other_tokens))
                or (dictionary and not dictionary.get(t, frozenset()).isdisjoint(other_tokens))
                or (len(word) >= 5 and cognate(word, others))):
            out[k] = True
    return out


def cognate(word: str, others: Sequence[str]) -> bool:
    """A word of the other side with the same first letter and most letter trigrams in common
    (costellazione / constellation: .46 of them), as the name check compares names."""
    grams = trigrams(word)
    return any(len(o) >= 5 and o[0] == word[0] and dice(grams, trigrams(o)) >= 0.4
               for o in others)
