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

The spans (``aligner.data.Span``) are document character offsets with a weight and a kind, on
each side of the bead. ``mark`` gathers the evidence: each word without a counterpart, weighed
by its rarity. ``weigh``, once the bead is decided, turns it into what a reader is shown: every
word of a sentence that holds such words gets the probability, from a model fitted on human
labels, that it differs (``Span.strong`` at 0.5 or more: the reports list it). Content on one
side only (an extra bead) has no counterpart at all: each of its sentences is one span of
weight 1 and kind ``extra`` (the reports show its status instead of listing its words).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from aligner import parallel
from aligner.data import Bead, Document, Mark, Span
from aligner.diverge import logistic
from aligner.lexicon import Lexicon, bilingual, counterparts, token
from aligner.text.analysis import analyse
from aligner.text.words import FUNCTION_WORDS, code_fragment, fold, standalone_spans

MIN_RARITY = 0.5      # a commoner word (by the lexicon's counts) is never evidence: translations
                      # move and drop the commonest words all the time

#: Machine translations of a pair: of each source sentence (into the target language) and of
#: each target sentence (into the source language), either None when there are none.
Translations = tuple[Sequence[str] | None, Sequence[str] | None]
NO_TRANSLATIONS: Translations = (None, None)


def shown(text: str, spans: Sequence[Span]) -> tuple[Span, ...]:
    """The spans a report shows a reader: not the pieces of a placeholder, a tag or a single
    letter (``code_fragment``). The divergence model sees every span, as it was fitted."""
    return tuple(span for span in spans if not code_fragment(text, span.start, span.end))


def unmatched(spans: Sequence[Span]) -> tuple[Span, ...]:
    """The spans of words without a counterpart (not those of words in a differing passage)."""
    return tuple(span for span in spans if span.kind is Mark.NO_COUNTERPART)


def mark(beads: Sequence[Bead], source: Document, target: Document, lex: Lexicon | None,
         machine: Translations = NO_TRANSLATIONS) -> tuple[Bead, ...]:
    """Every aligned bead with its ``source_differences`` and ``target_differences``
    (``machine``: the translations the pair was scored with, see ``Translations``), and every
    extra bead with its sentences whole. Runs before the checks, which name the words an
    omission or an addition leaves without a counterpart from these spans."""
    forward, back = machine
    lexes = (lex, lex.reversed() if lex is not None else None)
    rarity = lex.rarity() if lex is not None else ({}, {})
    words = bilingual.for_pair(source.lang, target.lang) or ({}, {})

    def one(bead: Bead) -> Bead:
        if bead.is_null:
            return replace(bead, source_differences=_whole(source, bead.source),
                           target_differences=_whole(target, bead.target))
        a = _words(source, bead.source)
        b = _words(target, bead.target)
        src_spans = _unmatched(a, source.lang, b, target.lang, lexes[0], rarity[0],
                               _echo(back, bead.target), words[0])
        tgt_spans = _unmatched(b, target.lang, a, source.lang, lexes[1], rarity[1],
                               _echo(forward, bead.source), words[1])
        return replace(bead, source_differences=src_spans, target_differences=tgt_spans)

    return tuple(parallel.halves(lambda start, end: [one(b) for b in beads[start:end]],
                                 len(beads)))


def _whole(doc: Document, ids: Sequence[int]) -> tuple[Span, ...]:
    """Each sentence of an extra bead as one span of weight 1 (document offsets)."""
    if not doc.text:
        return ()
    return tuple(Span(doc.sentences[i].start, doc.sentences[i].end, 1.0, Mark.EXTRA)
                 for i in ids if doc.sentences[i].end > doc.sentences[i].start)


def _words(doc: Document, ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of these sentences, in document offsets."""
    words = []
    for i in ids:
        s = doc.sentences[i]
        text = doc.text[s.start:s.end] if doc.text else s.text
        base = s.start if doc.text else 0
        words += [(base + a, base + b, w) for a, b, w in _sentence_words(text, doc.lang)]
    return words


def _sentence_words(text: str, lang: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, word) of a sentence's words, from its analysis (``aligner.text.analysis``):
    the evidence, its weighing and the tail all read them."""
    return analyse(text, lang).words


def _echo(translations: Sequence[str] | None, ids: Sequence[int]) -> frozenset[str]:
    """The lexicon tokens (folded prefixes) of the words of the machine translation of the
    other side's sentences ``ids``, in this side's language: a word of this side found there
    has a counterpart, inflected the same way or not."""
    if translations is None:
        return frozenset()
    return frozenset(token(fold(m.group(0))) for i in ids
                     for m in standalone_spans(translations[i]))


def _unmatched(mine: list[tuple[int, int, str]], lang: str, theirs: list[tuple[int, int, str]],
               other_lang: str, lex: Lexicon | None, rarity: dict[str, float],
               echo: frozenset[str] = frozenset(),
               dictionary: Mapping[str, frozenset[str]] | None = None) -> tuple[Span, ...]:
    """The spans of the words of ``mine`` with no counterpart in ``theirs``
    (``lexicon.counterparts``), each weighed by its rarity; function words and common words
    are never evidence."""
    folded = [fold(w) for _, _, w in mine]
    others = [fold(w) for _, _, w in theirs]
    weights = [rarity.get(token(w), 1.0 if len(w) >= 4 else 0.0) for w in folded]
    wanted = [w not in FUNCTION_WORDS and x >= MIN_RARITY for w, x in zip(folded, weights,
                                                                            strict=True)]
    has = counterparts.found(folded, lang, others, other_lang, lex, dictionary, echo, wanted)
    return tuple(Span(start, end, round(x, 3))
                 for (start, end, _), ok, x, want in zip(mine, has, weights, wanted, strict=True)
                 if want and not ok)


#: The words at the end of a side that ``tail_share`` looks at.
TAIL = 6


def tail_share(doc: Document, ids: Sequence[int], spans: Sequence[Span], n: int = TAIL) -> float:
    """The share of the last ``n`` words of one side of a bead that have no counterpart: a
    final clause the other side dropped (or added) ends the side with such words."""
    words = _words(doc, ids)[-n:]
    own = {(x.start, x.end) for x in unmatched(spans)}
    return sum((a, b) in own for a, b, _ in words) / len(words) if words else 0.0


# ---- how likely each word is to differ ------------------------------------------------------
#
# Human labels of what differs between two versions (SwissGov-RSD) mark passages, not single
# words: an added clause is labelled whole, its articles and the words the lexicon happened to
# match included; and a word the lexicon found no counterpart for in a faithful pair is most
# often a free rendering, not a difference. ``weigh`` gives every word of a sentence that holds
# words without a counterpart one probability of differing, from a logistic model fitted on
# those labels (scripts/fit_differences.py, ``make fit``) over: whether the word itself has a
# counterpart and how rare it is, the share of its neighbours and of its sentence that have
# none, the bead's divergence probability (the decision's) and how weakly it matches. A word
# is shown as a difference (``Span.strong``) only where that evidence together is strong.

WORD_MODEL = Path(__file__).resolve().parent / "difference_model.json"
#: Words on each side of a word that make its neighbourhood.
WINDOW = 4
#: The word model's features, in the order of its weights.
WORD_FEATURES = ("unmatched", "rarity", "window_share", "sentence_share", "divergence",
                 "weak_match", "bias")
#: Lighter spans are left out of the output (they order nothing a reader looks at).
MIN_KEPT = 0.01


def word_evidence(doc: Document, ids: Sequence[int], spans: Sequence[Span], bead: Bead
                  ) -> list[tuple[int, int, bool, list[float]]]:
    """(start, end, has no counterpart, WORD_FEATURES) of every word of the sentences among
    ``ids`` (one side of ``bead``) that hold a word without a counterpart (``spans``: ``mark``'s
    evidence)."""
    own = {(x.start, x.end): x.weight for x in unmatched(spans)}
    out = []
    for i in ids:
        words = _words(doc, [i])
        marked = [1.0 if (a, b) in own else 0.0 for a, b, _ in words]
        if not any(marked):
            continue
        share = sum(marked) / len(marked)
        for k, (a, b, _) in enumerate(words):
            near = marked[max(0, k - WINDOW):k] + marked[k + 1:k + 1 + WINDOW]
            window = sum(near) / len(near) if near else 0.0
            out.append((a, b, bool(marked[k]),
                        [marked[k], own.get((a, b), 0.0), window, share, bead.divergence,
                         1.0 - bead.score, 1.0]))
    return out


@lru_cache(maxsize=1)
def word_model() -> tuple[float, ...] | None:
    """The word model's weights from difference_model.json, or None when it is not there."""
    found = logistic.read(WORD_MODEL, WORD_FEATURES)
    return None if found is None else found[0]


def weigh(beads: Sequence[Bead], source: Document, target: Document,
          fitted: Sequence[float] | None = None) -> tuple[Bead, ...]:
    """Every aligned bead with its differences as a reader is shown them: each word of a
    sentence holding words without a counterpart, weighed by the fitted probability that it
    differs, of kind ``no-counterpart`` or ``in-passage``. Without a fitted model the evidence
    is returned as it is."""
    fitted = fitted or word_model()
    if fitted is None:
        return tuple(beads)
    weights = np.asarray(fitted, dtype=float)
    out = []
    for bead in beads:
        if bead.is_null:
            out.append(bead)
            continue
        sides: list[tuple[Span, ...]] = []
        for doc, ids, spans in ((source, bead.source, bead.source_differences),
                                (target, bead.target, bead.target_differences)):
            found = word_evidence(doc, ids, spans, bead)
            if not found:
                sides.append(())
                continue
            z = np.clip(np.array([x for *_, x in found]) @ weights, -40.0, 40.0)
            probs = np.round(1.0 / (1.0 + np.exp(-z)), 3)
            sides.append(tuple(
                Span(a, b, float(w), Mark.NO_COUNTERPART if alone else Mark.IN_PASSAGE)
                for (a, b, alone, _), w in zip(found, probs, strict=True) if w >= MIN_KEPT))
        out.append(replace(bead, source_differences=sides[0], target_differences=sides[1]))
    return tuple(out)
