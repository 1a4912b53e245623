"""Scoring candidate beads: how much better it is to align two spans than to leave them out.

The aligner (``aligner.dp``) maximises the sum of bead gains. A bead gains
``match - threshold - penalty(shape)``, where ``match`` is the cosine of the spans' feature
vectors plus a Gale-Church length term; extra content (1-0, 0-1) gains 0. So two spans are
aligned exactly when they match better than the threshold, and a merged bead must match better
than its parts by its penalty. The gain is deliberately not scaled by the number of sentences a
bead covers: a second copy of a title adds nothing to the match and must not earn a 1-2 bead.

Two scorers share this: ``lexical`` compares the Italian with the English directly (numbers,
cognates, names) and ``translation`` compares a translation of each source sentence (MarianMT's
or a file's) with the target, in one language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.data import Document
from aligner.features import SimilarityMatrix, sentence_features, similarity_matrix
from aligner.lexicon import is_boilerplate

#: Bead shapes with sentences on both sides, in order of preference on ties.
SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))


@dataclass(frozen=True, slots=True)
class ScoreParams:
    """The knobs of the bead gain, tuned on the dev sets (see ``make eval``).

    threshold: match value at which aligning equals leaving out; below it spans become extra.
    length_weight: weight of the Gale-Church log-probability of the lengths (<= 0).
    length_floor: the log-probability is floored here, so one odd length cannot veto a bead
        whose words match.
    variance: Gale-Church variance of target characters per source character.
    penalties: extra cost of each merged shape, in match units.
    anchor_weight: cost of each number, month or shared name found on one side only.
    boilerplate_penalty: cost of aligning a credit line, newsletter call or footer, which the
        other version usually lacks: it aligns only when its words match.
    sharpness: slope of the logistic that turns ``match - threshold`` into a score in [0, 1].
    """

    threshold: float = -0.1
    length_weight: float = 0.02
    length_floor: float = -10.0
    variance: float = 6.8
    penalties: dict[tuple[int, int], float] = field(default_factory=lambda: {
        (1, 1): 0.0, (2, 1): 0.02, (1, 2): 0.02, (2, 2): 0.09, (3, 1): 0.04, (1, 3): 0.04})
    anchor_weight: float = 0.02
    boilerplate_penalty: float = 0.15
    sharpness: float = 10.0


LEXICAL = ScoreParams()
TRANSLATION = ScoreParams(threshold=0.15, length_weight=0.01)


class BeadScorer:
    """Gains of every candidate bead of one document pair, computed row by row for the DP."""

    def __init__(self, sim: SimilarityMatrix, src_lengths: Sequence[int],
                 tgt_lengths: Sequence[int], params: ScoreParams,
                 src_boilerplate: Sequence[bool] | None = None,
                 tgt_boilerplate: Sequence[bool] | None = None) -> None:
        self.sim = sim
        self.params = params
        self.n, self.m = sim.cross.shape
        self._src_len = np.concatenate([[0.0], np.cumsum(np.asarray(src_lengths, float))])
        self._tgt_len = np.concatenate([[0.0], np.cumsum(np.asarray(tgt_lengths, float))])
        total_src, total_tgt = self._src_len[-1], self._tgt_len[-1]
        # Target characters per source character, from the pair itself: works for any languages.
        self.ratio = total_tgt / total_src if total_src and total_tgt else 1.0
        self._src_bp = _cumulative(src_boilerplate, self.n)
        self._tgt_bp = _cumulative(tgt_boilerplate, self.m)
        self._src_anchor = np.concatenate([[0.0], np.cumsum(sim.src_anchors)])
        self._tgt_anchor = np.concatenate([[0.0], np.cumsum(sim.tgt_anchors)])
        self._src_norm = {a: _span_norms(sim.src_gram, a) for a in (1, 2, 3)}
        self._tgt_norm = {b: _span_norms(sim.tgt_gram, b) for b in (1, 2, 3)}

    def match_row(self, i: int, a: int, b: int) -> np.ndarray:
        """(m + 1,): match of source span [i-a, i) with target spans [j-b, j); -inf if j < b."""
        m = self.m
        out = np.full(m + 1, -np.inf)
        if i < a or m < b:
            return out
        rows = self.sim.cross[i - a:i].sum(axis=0)
        csum = np.concatenate([[0.0], np.cumsum(rows)])
        dots = csum[b:] - csum[:-b]                               # (m - b + 1,)
        norms = self._src_norm[a][i - a] * self._tgt_norm[b]      # (m - b + 1,)
        with np.errstate(invalid="ignore", divide="ignore"):
            cos = np.where(norms > 0, dots / np.sqrt(norms), 0.0)
        ls = self._src_len[i] - self._src_len[i - a]
        lt = self._tgt_len[b:] - self._tgt_len[:-b]
        asum = np.concatenate([[0.0], np.cumsum(self.sim.anchor_cross[i - a:i].sum(axis=0))])
        na = self._src_anchor[i] - self._src_anchor[i - a]
        nb = self._tgt_anchor[b:] - self._tgt_anchor[:-b]
        shared = np.minimum(asum[b:] - asum[:-b], np.minimum(na, nb))
        unmatched = na + nb - 2 * shared
        p = self.params
        boiler = ((self._src_bp[i] - self._src_bp[i - a]) > 0) | (
            (self._tgt_bp[b:] - self._tgt_bp[:-b]) > 0)
        out[b:] = (cos + p.length_weight * self._length_logprob(ls, lt)
                   - p.anchor_weight * unmatched - p.boilerplate_penalty * boiler)
        return out

    def gains(self, i: int) -> dict[tuple[int, int], np.ndarray]:
        """For the DP: gain of each bead shape ending at source ``i`` and every target ``j``."""
        p = self.params
        out = {}
        for a, b in SHAPES:
            if a <= i and b <= self.m:
                match = self.match_row(i, a, b)
                out[(a, b)] = match - p.threshold - p.penalties[(a, b)]
        return out

    def score(self, source: Sequence[int], target: Sequence[int]) -> float:
        """A bead's score in [0, 1]: 0.5 where aligning it and leaving it out are equal."""
        if not source or not target:
            return 0.0
        i, a, b = source[-1] + 1, len(source), len(target)
        match = self.match_row(i, a, b)[target[-1] + 1]
        x = self.params.sharpness * (match - self.params.threshold)
        return 1.0 / (1.0 + math.exp(-x))

    def _length_logprob(self, ls: float, lt: np.ndarray) -> np.ndarray:
        """Gale-Church: log P(|delta| >= observed), delta the normalised length difference."""
        c, s2 = self.ratio, self.params.variance
        mean = (ls + lt / c) / 2.0
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.where(mean > 0, (lt / c - ls) / np.sqrt(s2 * np.maximum(mean, 1e-9)), 0.0)
        return np.maximum(_log_erfc(np.abs(delta) / math.sqrt(2.0)), self.params.length_floor)


def _cumulative(flags: Sequence[bool] | None, n: int) -> np.ndarray:
    values = np.zeros(n) if flags is None else np.asarray(flags, dtype=float)
    return np.concatenate([[0.0], np.cumsum(values)])


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


def lexical(source: Document, target: Document, params: ScoreParams = LEXICAL) -> BeadScorer:
    """Model-free: the Italian against the English, through what the languages share."""
    src = [sentence_features(s.text, source.lang) for s in source.sentences]
    tgt = [sentence_features(s.text, target.lang) for s in target.sentences]
    return _scorer(source, target, src, tgt, params)


def translation(source: Document, target: Document, translations: Sequence[str],
                params: ScoreParams = TRANSLATION) -> BeadScorer:
    """MT-based: each source sentence's translation (in the target language) against the target."""
    src = [sentence_features(t, target.lang) for t in translations]
    tgt = [sentence_features(s.text, target.lang) for s in target.sentences]
    return _scorer(source, target, src, tgt, params)


def _scorer(source: Document, target: Document, src, tgt, params: ScoreParams) -> BeadScorer:
    sim = similarity_matrix(src, tgt)
    return BeadScorer(sim, [len(s.text) for s in source.sentences],
                      [len(s.text) for s in target.sentences], params,
                      [is_boilerplate(s.text) for s in source.sentences],
                      [is_boilerplate(s.text) for s in target.sentences])
