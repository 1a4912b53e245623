"""Word-level evidence: the words of an aligned bead that have no counterpart on the other side.

A bead-level flag says that two sides differ; a reviewer then has to find where. Each content
word of either side (function words such as per / for / con never count: translations move and
drop them all the time) is looked for on the other side: the same word or a cognate (its first four
letters once spelling habits are levelled), a hand gloss (``aligner.lexicon.hand``), or a
translation in the learned lexicon (``aligner.lexicon``), in either direction, or, where the pair
was scored with machine translations (MarianMT or a file), the same word in the translation of
the other side's sentences: the engine knows the phrases, idioms and rare words the lexicon
lacks. A word with none is a difference, weighed by how much a word of its kind says: the
lexicon's rarity of the word (0 for the commonest, 1 for content words), so that an article or
a preposition the translation moved or dropped counts for almost nothing. Numbers are left to
their own check.

The spans are document character offsets ``(start, end, weight)``, on each side of the bead.
Content on one side only (an extra bead) has no counterpart at all: each of its sentences is
one span of weight 1, so that a reader of the JSON ranks it with the words that differ most
(the text, TSV and HTML reports show its status instead of listing its words).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from aligner.data import Bead, Document, Flag
from aligner.diverge import logistic
from aligner.lexicon import Lexicon, bilingual, hand, token
from aligner.text.words import (
    FUNCTION_WORDS,
    code_fragment,
    dice,
    fold,
    spelling,
    standalone_spans,
    trigrams,
)

MIN_PROB = 0.05       # a lexicon translation this likely counts as a counterpart
MIN_WEIGHT = 0.5      # a word without a counterpart weighs this or more (lighter: not one)

#: Machine translations of a pair: of each source sentence (into the target language) and of
#: each target sentence (into the source language), either None when there are none.
Translations = tuple[Sequence[str] | None, Sequence[str] | None]
NO_TRANSLATIONS: Translations = (None, None)


def shown(text: str, spans: Sequence[tuple[int, int, float]]
          ) -> tuple[tuple[int, int, float], ...]:
    """The spans a report shows a reader: not the pieces of a placeholder, a tag or a single
    letter (``code_fragment``). The divergence model sees every span, as it was fitted."""
    return tuple(span for span in spans if not code_fragment(text, span[0], span[1]))


def unmatched(spans: Sequence[tuple[int, int, float]]) -> tuple[tuple[int, int, float], ...]:
    """The difference spans of words without a counterpart (weight MIN_WEIGHT or more), not
    the lighter ones of words in a passage that mostly has none (``in_context``)."""
    return tuple(span for span in spans if span[2] >= MIN_WEIGHT)


def mark(beads: Sequence[Bead], source: Document, target: Document, lex: Lexicon | None,
         machine: Translations = NO_TRANSLATIONS) -> tuple[Bead, ...]:
    """Every aligned bead with its ``source_differences`` and ``target_differences``
    (``machine``: the translations the pair was scored with, see ``Translations``)."""
    forward, back = machine
    likely = _likely(lex) if lex is not None else (_Likely({}), _Likely({}))
    rarity = lex.rarity() if lex is not None else ({}, {})
    words = bilingual.for_pair(source.lang, target.lang) or ({}, {})
    out = []
    for bead in beads:
        if bead.is_null:
            out.append(replace(bead, source_differences=_whole(source, bead.source),
                               target_differences=_whole(target, bead.target)))
            continue
        a = _words(source, bead.source)
        b = _words(target, bead.target)
        src_spans = _unmatched(a, source.lang, b, target.lang, likely, rarity[0],
                               _echo(back, bead.target), words[0])
        tgt_spans = _unmatched(b, target.lang, a, source.lang, likely[::-1], rarity[1],
                               _echo(forward, bead.source), words[1])
        flags = tuple(_named(f, source.text, src_spans, target.text, tgt_spans)
                      for f in bead.flags)
        out.append(replace(bead, flags=flags, source_differences=src_spans,
                           target_differences=tgt_spans))
    return tuple(out)


def _whole(doc: Document, ids: Sequence[int]) -> tuple[tuple[int, int, float], ...]:
    """Each sentence of an extra bead as one span of weight 1 (document offsets)."""
    if not doc.text:
        return ()
    return tuple((doc.sentences[i].start, doc.sentences[i].end, 1.0) for i in ids
                 if doc.sentences[i].end > doc.sentences[i].start)


def _named(flag: Flag, src_text: str, src_spans, tgt_text: str, tgt_spans) -> Flag:
    """An omission or addition flag that names the words the other side lacks."""
    if flag.code == "omission" and src_spans:
        words = [src_text[a:b] for a, b, _ in src_spans]
        return replace(flag, message=f"{flag.message}; not in the target: {', '.join(words)}")
    if flag.code == "addition" and tgt_spans:
        words = [tgt_text[a:b] for a, b, _ in tgt_spans]
        return replace(flag, message=f"{flag.message}; not in the source: {', '.join(words)}")
    return flag


class _Likely(dict):
    """Word -> its translations of probability >= MIN_PROB in one direction of a lexicon,
    computed when first asked (a short document needs few)."""

    def __init__(self, table) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, word: str) -> frozenset[str]:
        value = self[word] = frozenset(t for t, p in self.table.get(word, ()) if p >= MIN_PROB)
        return value


def _likely(lex: Lexicon) -> tuple[_Likely, _Likely]:
    """Both directions' likely translations (kept with the lexicon)."""
    return lex.cached("likely", lambda: (_Likely(lex.forward), _Likely(lex.backward)))


def _cognate(word: str, others: list[str]) -> bool:
    """A word of the other side with the same first letter and most letter trigrams in common
    (costellazione / constellation: .46 of them), as the name check compares names."""

    grams = trigrams(word)
    return any(len(o) >= 5 and o[0] == word[0] and dice(grams, trigrams(o)) >= 0.4
               for o in others)


def _words(doc: Document, ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of these sentences, in document offsets."""
    words = []
    for i in ids:
        s = doc.sentences[i]
        text = doc.text[s.start:s.end] if doc.text else s.text
        base = s.start if doc.text else 0
        words += [(base + m.start(), base + m.end(), m.group(0)) for m in standalone_spans(text)]
    return words


def _echo(translations: Sequence[str] | None, ids: Sequence[int]) -> frozenset[str]:
    """The lexicon tokens (folded prefixes) of the words of the machine translation of the
    other side's sentences ``ids``, in this side's language: a word of this side found there
    has a counterpart, inflected the same way or not."""
    if translations is None:
        return frozenset()
    return frozenset(token(fold(m.group(0))) for i in ids
                     for m in standalone_spans(translations[i]))


def _unmatched(mine: list[tuple[int, int, str]], lang: str, theirs: list[tuple[int, int, str]],
               other_lang: str, likely: tuple[_Likely, _Likely],
               rarity: dict[str, float], echo: frozenset[str] = frozenset(),
               dictionary: Mapping[str, frozenset[str]] | None = None
               ) -> tuple[tuple[int, int, float], ...]:
    folded = [fold(w) for _, _, w in mine]
    others = [fold(w) for _, _, w in theirs]
    found = hand.counterparts(folded, lang, others, other_lang)
    other_tokens = {token(w) for w in others}
    skeletons = {spelling(o)[:4] for o in others if len(o) >= 4}
    forward, backward = likely
    # words of the other side that translate into this side (the lexicon's other direction)
    into_mine: set[str] = set()
    for t in other_tokens:
        into_mine |= backward[t]
    out = []
    for (start, end, _), word, has in zip(mine, folded, found, strict=True):
        if has or word in FUNCTION_WORDS:
            continue
        t = token(word)
        weight = rarity.get(t, 1.0 if len(word) >= 4 else 0.0)
        if weight < MIN_WEIGHT:
            continue
        if t in into_mine or not forward[t].isdisjoint(other_tokens) or t in echo:
            continue
        if dictionary and not dictionary.get(t, frozenset()).isdisjoint(other_tokens):
            continue
        if len(word) >= 4 and spelling(word)[:4] in skeletons:
            continue
        if len(word) >= 5 and _cognate(word, others):
            continue
        out.append((start, end, round(weight, 3)))
    return tuple(out)


# ---- words in a differing passage ----------------------------------------------------------
#
# Human labels of what differs between two versions (SwissGov-RSD) mark passages, not single
# words: an added clause is labelled whole, its articles and the words the lexicon happened to
# match included. A word with a counterpart that stands among words without one is therefore
# likely part of such a passage too. ``in_context`` gives each word of a sentence that holds
# words without a counterpart a weight: the probability, fitted on data
# (scripts/fit_differences.py), that it lies in a differing passage, from the share of its
# neighbours and of its sentence that have no counterpart. These weights stay under
# MIN_WEIGHT, so that a weight of MIN_WEIGHT or more always means "this word has no
# counterpart" (what the reports list) and a lighter one "this word stands in a passage that
# mostly has none".

CONTEXT_MODEL = Path(__file__).resolve().parent / "difference_model.json"
#: Words on each side of a word that make its neighbourhood.
WINDOW = 4
#: The context features, in the order of the model's weights.
CONTEXT_FEATURES = ("window_share", "sentence_share", "bias")
#: The most a context weight can be: under MIN_WEIGHT, which marks words without a counterpart.
CONTEXT_CAP = MIN_WEIGHT - 0.01


def context_evidence(doc: Document, ids: Sequence[int],
                     spans: Sequence[tuple[int, int, float]]
                     ) -> list[tuple[int, int, float, list[float]]]:
    """(start, end, own weight, CONTEXT_FEATURES) of every word of these sentences: its own
    weight is that of its span of MIN_WEIGHT or more (0 when it has a counterpart); the shares
    are of its WINDOW neighbours on each side within its sentence, and of its whole sentence,
    that have no counterpart."""
    own = {(a, b): w for a, b, w in unmatched(spans)}
    out = []
    for i in ids:
        words = _words(doc, [i])
        marked = [1.0 if (a, b) in own else 0.0 for a, b, _ in words]
        share = sum(marked) / len(marked) if marked else 0.0
        for k, (a, b, _) in enumerate(words):
            near = marked[max(0, k - WINDOW):k] + marked[k + 1:k + 1 + WINDOW]
            window = sum(near) / len(near) if near else 0.0
            out.append((a, b, own.get((a, b), 0.0), [window, share, 1.0]))
    return out


@lru_cache(maxsize=1)
def context_model() -> tuple[tuple[float, ...], float] | None:
    """(weights, cap) from difference_model.json, or None when it is not there."""
    found = logistic.read(CONTEXT_MODEL, CONTEXT_FEATURES)
    return None if found is None else (found[0], min(float(found[1]["cap"]), CONTEXT_CAP))


def in_context(beads: Sequence[Bead], source: Document, target: Document,
               fitted: tuple[tuple[float, ...], float] | None = None) -> tuple[Bead, ...]:
    """Every aligned bead with the words of its partly unmatched sentences added to its
    differences, weighed by the fitted probability that they lie in a differing passage (under
    MIN_WEIGHT); words without a counterpart keep their own weight. Without a fitted model the
    beads are returned as they are."""
    fitted = fitted or context_model()
    if fitted is None:
        return tuple(beads)
    weights, cap = fitted
    out = []
    for bead in beads:
        if bead.is_null:
            out.append(bead)
            continue
        sides = []
        for doc, ids, spans in ((source, bead.source, bead.source_differences),
                                (target, bead.target, bead.target_differences)):
            found = []
            for a, b, own, x in context_evidence(doc, ids, spans):
                if own:
                    found.append((a, b, own))
                elif x[1] > 0:              # a sentence with words that have no counterpart
                    w = round(min(cap, logistic.probability(x, weights)), 3)
                    if w > 0:
                        found.append((a, b, w))
            sides.append(tuple(found))
        out.append(replace(bead, source_differences=sides[0], target_differences=sides[1]))
    return tuple(out)
