"""Views of a document pair and their weighted mean.

A view is one way of looking at the same sentence pairs: the translations of the source against
the target, the source against translations of the target, or the two texts model-free, each
with its own scorer (``aligner.score``). With translations the aligner averages the views, so
that each can vouch for a bead the others miss (numbers and names a translation lost, a
translation engine that passed a sentence through untranslated).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np

from aligner.score import SHAPES, BeadScorer, ScoreParams, Side, prefix_sums, scorer
from aligner.score import model_free_share as read_share
from aligner.semantic.view import SemanticParams, SemanticScorer, SemanticSide

#: One way of looking at a document pair: source side, target side, their parameters and the
#: view's weight in the mean (``MeanScorer``).
View = tuple[Side | SemanticSide, Side | SemanticSide, ScoreParams | SemanticParams, float]

#: With translations, the model-free view of the source against the target keeps this share of
#: the bead gains (numbers, names, cognates, lengths the translation may have lost): fitted with
#: the translation weights on textberg dev (``scripts/fit.py --mt``, aligner/score_params.json).
MODEL_FREE_SHARE = read_share()


class MeanScorer:
    """Several views of the same sentence pairs scored at once (translations of the source
    against the target, the source against translations of the target, the two texts
    themselves): the weighted mean of their gains and scores, so that each view can vouch for
    a bead the others miss. A view's weight in a bead is scaled by the share of the bead's
    sentences it trusts (``Side.trusted``): where a translation is missing or passed the
    source through, the bead is left to the views that have evidence."""

    def __init__(self, scorers: Sequence[BeadScorer | SemanticScorer], weights: Sequence[float],
                 trusted: Sequence[tuple[list[bool] | None, list[bool] | None]] = ()) -> None:
        total = float(sum(weights))
        self.parts = [(w / total, s) for w, s in zip(weights, scorers, strict=True)]
        # per view: prefix sums of the untrusted sentences of each side (None: all trusted)
        self.untrusted = [tuple(None if t is None or all(t) else prefix_sums([not x for x in t])
                                for t in pair) for pair in trusted]
        if not any(u is not None for pair in self.untrusted for u in pair):
            self.untrusted = []

    def gains(self, i: int, lo: int = 0, hi: int | None = None
              ) -> dict[tuple[int, int], np.ndarray]:
        parts = [(w, s.gains(i, lo, hi)) for w, s in self.parts]
        if not self.untrusted:
            return {shape: cast(np.ndarray, sum(w * p[shape] for w, p in parts))
                    for shape in parts[0][1]}
        hi = self.parts[0][1].m if hi is None else hi
        cols = np.arange(lo, hi + 1)
        out = {}
        for a, b in parts[0][1]:
            num: np.ndarray | float = 0.0
            den: np.ndarray | float = 0.0
            for (w, p), (src, tgt) in zip(parts, self.untrusted, strict=True):
                share = w * _trusted_share(src, i, a) * _trusted_share(tgt, cols, b)
                with np.errstate(invalid="ignore"):
                    num = num + np.where(share > 0, share * p[(a, b)], 0.0)
                den = den + share
            out[(a, b)] = num / np.maximum(den, 1e-12)
        return out

    def scores(self, beads: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[float]:
        """``score`` of many beads: each view's scores at once, where every view is trusted."""
        if self.untrusted:
            return [self.score(s, t) for s, t in beads]
        parts = [(w, s.scores(beads)) for w, s in self.parts]
        return [sum(w * x[k] for w, x in parts) for k in range(len(beads))]

    def score(self, source: Sequence[int], target: Sequence[int]) -> float:
        if not self.untrusted:
            return sum(w * s.score(source, target) for w, s in self.parts)
        num = den = 0.0
        for (w, s), (src, tgt) in zip(self.parts, self.untrusted, strict=True):
            share = w
            if source:
                share *= float(_trusted_share(src, source[-1] + 1, len(source)))
            if target:
                share *= float(_trusted_share(tgt, target[-1] + 1, len(target)))
            num += share * s.score(source, target)
            den += share
        return num / den if den > 0 else 0.0


def _trusted_share(untrusted: np.ndarray | None, end: int | np.ndarray, size: int
                   ) -> float | np.ndarray:
    """The share of trusted sentences in the span of ``size`` ending before ``end`` (1 without
    untrusted ones; spans that do not fit count as trusted, their gains are -inf anyway)."""
    if untrusted is None:
        return 1.0
    end = np.asarray(end)
    start = np.clip(end - size, 0, None)
    end = np.clip(end, start, len(untrusted) - 1)
    return 1.0 - (untrusted[end] - untrusted[start]) / size


def _one(a: Side | SemanticSide, b: Side | SemanticSide, params: ScoreParams | SemanticParams,
         band: tuple[np.ndarray, np.ndarray] | None) -> BeadScorer | SemanticScorer:
    if isinstance(params, SemanticParams):
        assert isinstance(a, SemanticSide) and isinstance(b, SemanticSide)
        return SemanticScorer(a, b, params, SHAPES, band)
    assert isinstance(a, Side) and isinstance(b, Side)
    return scorer(a, b, params, band)


#: What scores the beads of a pair: one view's scorer or the mean of several.
Scorer = BeadScorer | SemanticScorer | MeanScorer


def combined(views: Sequence[View], band: tuple[np.ndarray, np.ndarray] | None = None
             ) -> Scorer:
    """The scorer of one view, or the weighted mean of several over the same sentences (a
    view whose parameters are ``SemanticParams`` is the encoder's, ``aligner.semantic``)."""
    scorers = [_one(a, b, params, band) for a, b, params, _ in views]
    if len(scorers) == 1:
        return scorers[0]
    return MeanScorer(scorers, [w for *_, w in views],
                      [(a.trusted, b.trusted) for a, b, _, _ in views])
