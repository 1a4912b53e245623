"""Scoring candidate beads: how much better it is to align two spans than to leave them out.

The aligner (``aligner.dp``) maximises the sum of bead gains. A bead of a source and b target
sentences gains ``((a + b) / 2) ** size_exponent * (match - threshold) + bead_bonus -
penalty(a, b)``, where ``match`` is the cosine of the spans' feature vectors plus a Gale-Church
length term, minus unmatched numbers/names and a boilerplate cost; extra content (1-0, 0-1)
gains 0: two spans are aligned when they match well enough, and a merged bead must match better
than its parts. The model-free scorer does not scale by size (size_exponent 0): a title's second
copy adds nothing to the match and must not earn a 1-2 bead. The translation scorer does (1):
merged beads covering more matching text are worth more, as texts split differently need.

Two scorers share this: ``lexical`` compares the Italian with the English directly (numbers,
cognates, names) and ``translation`` compares a translation of each source sentence (MarianMT's
or a file's) with the target, in one language.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from aligner.data import Document
from aligner.features import MAX_SPAN, SimilarityMatrix, sentence_features, similarity_matrix
from aligner.kinds import MARKS
from aligner.lexicon import hand
from aligner.text.boilerplate import is_boilerplate
from aligner.text.language import base
from aligner.text.words import fold, words

if TYPE_CHECKING:
    from aligner.lexicon import Lexicon

#: Bead shapes with sentences on both sides, in order of preference on ties.
SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (3, 2),
                                       (2, 3), (4, 1), (1, 4))


@dataclass(frozen=True, slots=True)
class ScoreParams:
    """The knobs of the bead gain, tuned on the dev sets (see ``make eval``).

    threshold: match value at which aligning equals leaving out; below it spans become extra.
    length_weight: weight of the Gale-Church log-probability of the lengths (<= 0).
    length_floor: the log-probability is floored here, so one odd length cannot veto a bead
        whose words match.
    variance: Gale-Church variance of target characters per source character.
    bead_bonus: gain of every bead, whatever its size: with size_exponent > 0 it keeps the
        preference for 1-1 beads apart from the threshold on the match.
    merge_penalty: cost of each sentence a bead holds beyond 1-1, in match units.
    many_to_many: extra cost of a bead with several sentences on both sides.
    size_exponent: a bead's ``match - threshold`` counts ``((a + b) / 2) ** size_exponent``
        times: 0 treats every bead alike (a duplicated title earns no 1-2 bead), 1 weighs a bead
        by the sentences it covers (translations that split sentences differently).
    anchor_weight: cost of each number, month or shared name found on one side only.
    boilerplate_penalty: cost of aligning a credit line, newsletter call or footer, which the
        other version usually lacks: it aligns only when its words match.
    sharpness: slope of the logistic that turns ``match - threshold`` into a score in [0, 1].
    unshared_weight: weight in the cosine's norms of features the other document never has
        (see ``features.similarity_matrix``).
    """

    threshold: float = -0.1
    length_weight: float = 0.02
    length_floor: float = -10.0
    variance: float = 6.8
    bead_bonus: float = 0.0
    merge_penalty: float = 0.02
    many_to_many: float = 0.05
    size_exponent: float = 0.0
    anchor_weight: float = 0.02
    boilerplate_penalty: float = 0.15
    sharpness: float = 10.0
    unshared_weight: float = 1.0


# Tuned on the dev sets only (see docs/quality.md). LEXICAL, for pairs without a lexicon, on
# textberg dev (de-fr): with little else shared, lengths weigh more, and merged beads earn by
# their size, as sentences are split differently across the versions.
LEXICAL = ScoreParams(threshold=-0.3, bead_bonus=0.1, size_exponent=1.0, merge_penalty=0.06,
                      many_to_many=0.05, length_weight=0.07, anchor_weight=0.02)
# GLOSSED, for pairs with a project lexicon (it-en), on ntrex-dev: with word glosses in the
# bags, features the other document lacks are mostly untranslatable surface forms, and a match
# near zero is evidence against a pair.
GLOSSED = ScoreParams(threshold=-0.04, bead_bonus=0.0, size_exponent=0.0, merge_penalty=0.005,
                      many_to_many=0.05, length_weight=0.015, anchor_weight=0.02,
                      unshared_weight=0.3, boilerplate_penalty=0.3)
# With a learned lexicon (``aligner.lexicon``) the weights come out of ``make fit``
# (scripts/fit.py), which writes them to score_params.json, read here: coordinate ascent from
# a hand-tuned set on two folds of the even documents, a change kept only if it helps both
# (docs/experiments.md has the figures, held-out ones included). ``learned``, the default for
# every pair, is fitted on ntrex-dev (news) and books-dev (literary), it-en, from GLOSSED;
# ``learned-X-Y`` are pairs with dev data of their own (de-fr: the two halves of textberg dev,
# from LEARNED); ``translation``, a translation of the source against the target, on the two
# halves of textberg dev with its published MT.
PARAMS_FILE = Path(__file__).resolve().parent / "score_params.json"


def read_params(path: Path = PARAMS_FILE) -> dict[str, ScoreParams]:
    """The fitted parameter sets by name (``learned``, ``learned-de-fr``, ``translation``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(ScoreParams)}
    return {name: ScoreParams(**{k: float(v) for k, v in entry.items() if k in known})
            for name, entry in data["sets"].items()}


def model_free_share(path: Path = PARAMS_FILE) -> float:
    """The share of the model-free view beside translations, fitted with ``translation``."""
    return float(json.loads(path.read_text(encoding="utf-8"))["sets"]["translation"][
        "model_free_share"])


_FITTED = read_params()
LEARNED = _FITTED["learned"]
FITTED_FOR: dict[tuple[str, str], ScoreParams] = {
    tuple(name.split("-")[1:3]): params  # type: ignore[misc]
    for name, params in _FITTED.items() if name.startswith("learned-")}
TRANSLATION = _FITTED["translation"]


def param_name(params: ScoreParams) -> str:
    """The name of one of the parameter sets above (a report's signature), else ``custom``."""
    named = {"lexical": LEXICAL, "glossed": GLOSSED, "learned": LEARNED, "translation": TRANSLATION,
             **{f"learned-{a}-{b}": p for (a, b), p in FITTED_FOR.items()}}
    # the fitted pairs first: a pair's set may equal the default one
    for name in sorted(named, key=lambda n: (not n.startswith("learned-"), n)):
        if named[name] is params:
            return name
    return "custom"


def learned_params(src_lang: str, tgt_lang: str) -> ScoreParams:
    """The fitted weights for a pair scored with a learned lexicon (either direction)."""
    a, b = base(src_lang), base(tgt_lang)
    return FITTED_FOR.get((a, b)) or FITTED_FOR.get((b, a)) or LEARNED


class BeadScorer:
    """Gains of every candidate bead of one document pair, computed row by row for the DP."""

    def __init__(self, sim: SimilarityMatrix, src_lengths: Sequence[int],
                 tgt_lengths: Sequence[int], params: ScoreParams,
                 src_boilerplate: Sequence[bool] | None = None,
                 tgt_boilerplate: Sequence[bool] | None = None,
                 band: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.sim = sim
        self.params = params
        self.band = band
        self._block: tuple[int, int, int, int, dict[tuple[int, int], np.ndarray]] | None = None
        self.n, self.m = len(src_lengths), len(tgt_lengths)
        self._src_len = prefix_sums(src_lengths)
        self._tgt_len = prefix_sums(tgt_lengths)
        total_src, total_tgt = self._src_len[-1], self._tgt_len[-1]
        # Target characters per source character, from the pair itself: works for any languages.
        self.ratio = total_tgt / total_src if total_src and total_tgt else 1.0
        self._src_bp = prefix_sums(src_boilerplate if src_boilerplate is not None
                                    else np.zeros(self.n))
        self._tgt_bp = prefix_sums(tgt_boilerplate if tgt_boilerplate is not None
                                    else np.zeros(self.m))
        self._src_anchor = prefix_sums(sim.src_anchors)
        self._tgt_anchor = prefix_sums(sim.tgt_anchors)
        self._src_norm = {a: _span_norms(sim.src_gram, a) for a in range(1, MAX_SPAN + 1)}
        self._tgt_norm = {b: _span_norms(sim.tgt_gram, b) for b in range(1, MAX_SPAN + 1)}

    #: Rows of the DP whose gains are computed at once (all shapes, as 2-D arrays).
    BLOCK = 256

    def gains(self, i: int, lo: int = 0, hi: int | None = None
              ) -> dict[tuple[int, int], np.ndarray]:
        """For the DP: gain of each bead shape ending at source ``i`` and targets lo..hi.

        The DP asks for rows in order; they are computed a block of rows at a time, every
        shape over the block's columns with whole-array numpy operations (per row, numpy's
        call overhead was most of the DP's time on long documents)."""
        hi = self.m if hi is None else hi
        block = self._block
        if block is None or not block[0] <= i < block[1] or not block[2] <= lo <= hi <= block[3]:
            block = self._block = self._gain_block(i, lo, hi)
        r0, _, c0, _, arrays = block
        return {shape: arr[i - r0, lo - c0:hi - c0 + 1] for shape, arr in arrays.items()
                if shape[0] <= i}

    def _gain_block(self, r0: int, lo: int, hi: int
                    ) -> tuple[int, int, int, int, dict[tuple[int, int], np.ndarray]]:
        """Gains of rows r0 .. r0+BLOCK-1 for every shape, over the columns their band (or
        lo..hi) reaches."""
        r1 = min(self.n + 1, r0 + self.BLOCK)
        if self.band is not None:
            c0 = int(min(lo, self.band[0][r0:r1].min()))
            c1 = int(max(hi, self.band[1][r0:r1].max()))
        else:
            c0, c1 = min(lo, 0), max(hi, self.m)
        p = self.params
        arrays = {}
        for (a, b), match in self._match_block(r0, r1, c0, c1).items():
            weight = ((a + b) / 2) ** p.size_exponent
            penalty = p.merge_penalty * (a + b - 2) + p.many_to_many * (a > 1 and b > 1)
            arrays[(a, b)] = weight * (match - p.threshold) + p.bead_bonus - penalty
        return r0, r1, c0, c1, arrays

    def _match_block(self, r0: int, r1: int, c0: int, c1: int,
                     shapes: Sequence[tuple[int, int]] = SHAPES
                     ) -> dict[tuple[int, int], np.ndarray]:
        """The match of source spans [i-a, i) with target spans [j-b, j), for rows i in
        r0..r1-1, columns j in c0..c1 and each shape (a, b), as 2-D arrays (-inf where the span
        does not fit): the cosine of the spans, plus the Gale-Church length term, minus
        unmatched anchors and boilerplate."""
        rows = np.arange(r0, r1)
        cols = np.arange(c0, c1 + 1)
        # dense cross and anchor blocks over source rows r0-MAX_SPAN .. r1-1 and target
        # columns c0-MAX_SPAN .. c1-1, with 2-D prefix sums: any span's sum in four lookups
        s0, t0 = max(0, r0 - MAX_SPAN), max(0, c0 - MAX_SPAN)
        s1, t1 = max(s0, r1 - 1), max(t0, c1)
        cross = _prefix_2d(self.sim.cross.dense(s0, s1, t0, t1))
        anchor = _prefix_2d(self.sim.anchor_cross.dense(s0, s1, t0, t1))
        p = self.params
        out = {}
        for a, b in shapes:
            if b > self.m or a > self.n:
                continue
            ok_i = rows >= a
            ok_j = cols >= b
            ii = np.where(ok_i, rows, a)           # placeholders where the span does not fit
            jj = np.where(ok_j, cols, b)

            def span(prefix: np.ndarray, ii=ii, jj=jj, a=a, b=b) -> np.ndarray:
                top, bottom = ii - a - s0, ii - s0
                left, right = jj - b - t0, jj - t0
                return (prefix[bottom][:, right] - prefix[top][:, right]
                        - prefix[bottom][:, left] + prefix[top][:, left])

            dots = span(cross)
            norms = self._src_norm[a][ii - a][:, None] * self._tgt_norm[b][jj - b][None, :]
            with np.errstate(invalid="ignore", divide="ignore"):
                cos = np.where(norms > 0, dots / np.sqrt(norms), 0.0)
            ls = (self._src_len[ii] - self._src_len[ii - a])[:, None]
            lt = (self._tgt_len[jj] - self._tgt_len[jj - b])[None, :]
            na = (self._src_anchor[ii] - self._src_anchor[ii - a])[:, None]
            nb = (self._tgt_anchor[jj] - self._tgt_anchor[jj - b])[None, :]
            shared = np.minimum(span(anchor), np.minimum(na, nb))
            unmatched = na + nb - 2 * shared
            boiler = ((self._src_bp[ii] - self._src_bp[ii - a]) > 0)[:, None] | (
                (self._tgt_bp[jj] - self._tgt_bp[jj - b]) > 0)[None, :]
            match = (cos + p.length_weight * self._length_logprob(ls, lt)
                     - p.anchor_weight * unmatched - p.boilerplate_penalty * boiler)
            match[~ok_i, :] = -np.inf
            match[:, ~ok_j] = -np.inf
            out[(a, b)] = match
        return out

    def score(self, source: Sequence[int], target: Sequence[int]) -> float:
        """A bead's score in [0, 1]: 0.5 where aligning it and leaving it out are equal."""
        if not source or not target:
            return 0.0
        i, a, b = source[-1] + 1, len(source), len(target)
        j = target[-1] + 1
        match = self._match_block(i, i + 1, j, j, ((a, b),))[(a, b)][0, 0]
        x = self.params.sharpness * (match - self.params.threshold)
        return 1.0 / (1.0 + math.exp(-x))

    def scores(self, beads: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[float]:
        """``score`` of many beads, the 1-1 ones (a file's units) a block of rows at a time."""
        ones = [(k, s[0] + 1, t[0] + 1) for k, (s, t) in enumerate(beads) if len(s) == len(t) == 1]
        out = [0.0 if len(s) == len(t) == 1 else self.score(s, t) for s, t in beads]
        for c in (ones[n:n + self.BLOCK] for n in range(0, len(ones), self.BLOCK)):
            r0, c0 = min(x[1] for x in c), min(x[2] for x in c)
            match = self._match_block(r0, max(x[1] for x in c) + 1, c0, max(x[2] for x in c),
                                      ((1, 1),))[(1, 1)]
            for k, i, j in c:
                x = self.params.sharpness * (match[i - r0, j - c0] - self.params.threshold)
                out[k] = 1.0 / (1.0 + math.exp(-x))
        return out

    def _length_logprob(self, ls: float, lt: np.ndarray) -> np.ndarray:
        """Gale-Church: log P(|delta| >= observed), delta the normalised length difference."""
        c, s2 = self.ratio, self.params.variance
        mean = (ls + lt / c) / 2.0
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.where(mean > 0, (lt / c - ls) / np.sqrt(s2 * np.maximum(mean, 1e-9)), 0.0)
        return np.maximum(_log_erfc(np.abs(delta) / math.sqrt(2.0)), self.params.length_floor)


def prefix_sums(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """(len + 1,): 0 then the running sums, so that any span's sum is a difference of two."""
    return np.concatenate([[0.0], np.cumsum(np.asarray(values, dtype=float))])


def _prefix_2d(block: np.ndarray) -> np.ndarray:
    """(r + 1, c + 1): 0 on the first row and column, then the running 2-D sums."""
    out = np.zeros((block.shape[0] + 1, block.shape[1] + 1))
    out[1:, 1:] = block.cumsum(axis=0).cumsum(axis=1)
    return out


def _span_norms(gram: np.ndarray, a: int) -> np.ndarray:
    """Squared norm of each span of ``a`` consecutive sentences, indexed by its first one."""
    n = gram.shape[0]
    if n < a:
        return np.zeros(0)
    total = np.zeros(n - a + 1)
    for k in range(a):
        total += gram[k:n - a + 1 + k, 0]
        for d in range(1, a - k):
            total += 2 * gram[k:n - a + 1 + k, d]
    return total


def _log_erfc(z: np.ndarray) -> np.ndarray:
    """log(erfc(z)) for z >= 0 without scipy (Numerical Recipes' erfcc, relative error < 1.2e-7)."""
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    return np.log(t) + poly


#: First characters of the features that are not character 4-grams (numbers, months, names,
#: words, glosses, lexicon translations, learnt associations).
_MARKED = MARKS


@dataclass(frozen=True, slots=True)
class Side:
    """What a scorer needs of one side: feature bags, lengths, boilerplate marks.

    ``trusted``: for a side of translations, False where a sentence's translation carries no
    evidence (empty, or the source sentence passed through untranslated); None: all trusted.
    Where several views are averaged (``MeanScorer``), an untrusted sentence leaves its beads
    to the other views."""

    bags: list[Counter[str]]
    lengths: list[int]
    boilerplate: list[bool]
    trusted: list[bool] | None = None

    def merged(self, edges: Sequence[int]) -> Side:
        """Consecutive sentences merged into coarse units: unit u is edges[u]..edges[u+1].

        Character 4-grams are left out of the units: a block of a dozen sentences is told from
        its neighbours by its words, numbers and names alone, and the 4-grams were most of the
        coarse pass's features (and time)."""
        bags, lengths, boiler = [], [], []
        for u in range(len(edges) - 1):
            bag: Counter[str] = Counter()
            for k in range(edges[u], edges[u + 1]):
                bag.update({f: c for f, c in self.bags[k].items() if f[0] in _MARKED})
            bags.append(bag)
            lengths.append(sum(self.lengths[edges[u]:edges[u + 1]]))
            boiler.append(False)
        trusted = None if self.trusted is None else [
            2 * sum(self.trusted[edges[u]:edges[u + 1]]) >= edges[u + 1] - edges[u]
            for u in range(len(edges) - 1)]
        return Side(bags, lengths, boiler, trusted)


def lexical_params(src_lang: str, tgt_lang: str) -> ScoreParams:
    """The model-free parameters for a language pair: GLOSSED where a lexicon exists."""
    return GLOSSED if hand.has_lexicon(src_lang, tgt_lang) else LEXICAL


def lexical_side(doc: Document, other: str | None = None, lex: Lexicon | None = None,
                 glosses: bool = True) -> Side:
    """Model-free: a document's own sentences, compared across languages (with the other
    side's language ``other``, for word glosses where the project has a hand lexicon, and the
    learned lexicon ``lex`` oriented from this side's language)."""
    return Side([sentence_features(s.text, doc.lang, other, lex, glosses)
                 for s in doc.sentences],
                [len(s.text) for s in doc.sentences],
                [is_boilerplate(s.text) for s in doc.sentences])


def translated_side(doc: Document, translations: Sequence[str], lang: str) -> Side:
    """MT-based: the translation of each source sentence, in the target language ``lang``
    (not trusted where it is empty or the source passed through, ``passed_through``)."""
    return Side([sentence_features(t, lang) for t in translations],
                [len(s.text) for s in doc.sentences],
                [is_boilerplate(s.text) for s in doc.sentences],
                [not passed_through(s.text, t) for s, t in zip(doc.sentences, translations,
                                                               strict=True)])


#: A translation of at least this many words, this share of them words of its source sentence,
#: is the source passed through (a translation engine that gave up), not a translation; a
#: shorter one (a name, a figure, "Wv") is legitimately the same in both languages.
PASSED_WORDS = 4
PASSED_SHARE = 0.6


def passed_through(source: str, translation: str) -> bool:
    """Whether ``translation`` is empty or mostly the source sentence's own words."""
    theirs = [fold(w) for w in words(translation)]
    if not theirs:
        return True
    if len(theirs) < PASSED_WORDS:
        return False
    mine = {fold(w) for w in words(source)}
    return sum(w in mine for w in theirs) >= PASSED_SHARE * len(theirs)


def scorer(src: Side, tgt: Side, params: ScoreParams,
           band: tuple[np.ndarray, np.ndarray] | None = None) -> BeadScorer:
    """A BeadScorer for two sides, computing dot products only inside the DP's band."""
    n = len(src.bags)
    col0 = width = None
    if band is not None:
        lo, hi = band
        # cross row r serves DP rows r+1..r+MAX_SPAN, whose target spans start at lo - MAX_SPAN
        need_lo = np.maximum(lo[1:] - MAX_SPAN, 0)
        need_hi = np.array([hi[min(r + MAX_SPAN, n)] for r in range(n)], dtype=np.int64)
        col0 = np.minimum.accumulate(need_lo[::-1])[::-1] if n else need_lo
        width = int(max(1, (need_hi - col0).max())) if n else 1
    sim = similarity_matrix(src.bags, tgt.bags, col0, width, params.unshared_weight)
    return BeadScorer(sim, src.lengths, tgt.lengths, params, src.boilerplate, tgt.boilerplate,
                      band)
