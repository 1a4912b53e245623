"""The semantic view of a pair: how close a block of source sentences is in meaning to a block of
target sentences, by a multilingual encoder's vectors.

A block's vector is the normalised sum of its sentences' (merged beads need no second encoding:
the sum of a sentence pair stands for their concatenation well enough to rank beads, as measured
in the issue that brought the encoder). Raw cosines differ by encoder (e5's unrelated pairs sit
at .83-.89), so each document normalises its own: 0 at the median cosine of all candidate 1-1
pairs (mostly unrelated), 1 at the median of each source sentence's best one (mostly its
translation). The scorer gives the DP gains on the same scale as ``aligner.score``'s, so that
``views.MeanScorer`` can average them with the lexical and translation views by weight.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aligner.data import Document

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SemanticParams:
    """The semantic view's gain: ``slope * (match - threshold)`` for a 1-1 bead (``match``: the
    document-normalised cosine), less ``merge_penalty`` a sentence beyond one a side; the
    view's share of the mean is its weight in ``views``. Fitted by scripts/fit_semantic.py."""

    threshold: float = 0.0
    slope: float = 1.0
    merge_penalty: float = -0.1
    sharpness: float = 6.0
    margin: bool = True        # match: the cosine less the neighbours' (else the normalised one)


@dataclass(frozen=True, slots=True)
class SemanticSide:
    """One side's sentence vectors (unit rows) and lengths; ``trusted`` as ``score.Side``'s."""

    vectors: np.ndarray
    lengths: list[int]
    trusted: list[bool] | None = None

    @property
    def bags(self) -> list[int]:
        """As many entries as sentences (the pipeline sizes its DP by ``len(side.bags)``)."""
        return list(range(len(self.lengths)))

    def merged(self, edges: Sequence[int]) -> SemanticSide:
        """Consecutive sentences merged into coarse units (the banded DP's first pass)."""
        sums = np.stack([self.vectors[edges[u]:edges[u + 1]].sum(axis=0)
                         for u in range(len(edges) - 1)]) if len(edges) > 1 else self.vectors
        return SemanticSide(_unit(sums), [sum(self.lengths[edges[u]:edges[u + 1]])
                                          for u in range(len(edges) - 1)])


#: Neighbours a sentence's margin is read against, and the largest pair (sentences x
#: sentences) whose full cosine matrix the margin is computed on.
NEIGHBOURS = 4
MAX_CELLS = 6_000_000
#: The most memory the span vectors made once may take (about 15,000 sentences a side of
#: 512-dimensional vectors); a longer pair computes them row by row.
SPAN_TABLE_BYTES = 256 * 2**20


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


class SemanticScorer:
    """Gains of every candidate bead by the semantic view, row by row for the DP."""

    def __init__(self, src: SemanticSide, tgt: SemanticSide, params: SemanticParams,
                 shapes: Sequence[tuple[int, int]],
                 band: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.params = params
        self.shapes = tuple(shapes)
        self.n, self.m = len(src.lengths), len(tgt.lengths)
        zero = np.zeros((1, src.vectors.shape[1] if src.vectors.size else 1), dtype=np.float32)
        self._src = np.concatenate([zero, np.cumsum(src.vectors, axis=0)]) if self.n else zero
        self._tgt = np.concatenate([zero, np.cumsum(tgt.vectors, axis=0)]) if self.m else zero
        # each sentence's closeness to its nearest neighbours on the other side: a bead's
        # cosine is read against them (the margin of bitext mining, Artetxe and Schwenk 2019),
        # so a sentence close to everything (a topical neighbour, extra content) gains nothing;
        # a pair too long for the full matrix is normalised by the document's anchors instead
        found = self._neighbours(src.vectors, tgt.vectors) if params.margin else None
        self._src_nn: np.ndarray | None = found[0] if found is not None else None
        self._tgt_nn: np.ndarray | None = found[1] if found is not None else None
        self.low, self.high = ((0.0, 1.0) if found is not None
                               else self._anchors(src.vectors, tgt.vectors, band))
        # the unit vector of every span of each size a shape needs, ending at each sentence,
        # made once (the DP asks for each of them again for every row and shape), where they fit
        sizes = ({a for a, _ in self.shapes}, {b for _, b in self.shapes})
        fits = (self.n + self.m + 2) * max(len(sizes[0]), len(sizes[1])) * self._src.shape[1] \
            * self._src.itemsize <= SPAN_TABLE_BYTES
        self._src_table = ({a: self._spans(self._src, np.arange(self.n + 1), a)
                            for a in sizes[0]} if fits else {})
        self._tgt_table = ({b: self._spans(self._tgt, np.arange(self.m + 1), b)
                            for b in sizes[1]} if fits else {})

    def _anchors(self, a: np.ndarray, b: np.ndarray, band: tuple[np.ndarray, np.ndarray] | None
                 ) -> tuple[float, float]:
        """The document's cosine of an unrelated pair and of a translation (see the module)."""
        if not self.n or not self.m:
            return 0.0, 1.0
        rows = np.linspace(0, self.n - 1, min(self.n, 400)).astype(int)
        best, every = [], []
        for r in rows:
            lo, hi = (0, self.m) if band is None else (int(band[0][r]), max(int(band[1][r + 1]),
                                                                           int(band[0][r]) + 1))
            cos = b[lo:min(hi, self.m)] @ a[r]
            if cos.size:
                best.append(float(cos.max()))
                every.append(cos)
        low = float(np.median(np.concatenate(every))) if every else 0.0
        high = float(np.median(best)) if best else 1.0
        return low, max(high, low + 1e-3)

    def _neighbours(self, a: np.ndarray, b: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Prefix sums of each sentence's mean cosine to its ``NEIGHBOURS`` nearest sentences
        of the other side (None for a side without sentences, or documents too long for the
        full matrix)."""
        if not self.n or not self.m or self.n * self.m > MAX_CELLS:
            return None
        cos = a @ b.T
        k = min(NEIGHBOURS, self.m), min(NEIGHBOURS, self.n)
        rows = -np.sort(-cos, axis=1)[:, :k[0]].mean(axis=1)
        cols = -np.sort(-cos, axis=0)[:k[1], :].mean(axis=0)
        return (np.concatenate([[0.0], np.cumsum(rows)]),
                np.concatenate([[0.0], np.cumsum(cols)]))

    def _spans(self, prefix: np.ndarray, end: np.ndarray, size: int) -> np.ndarray:
        start = np.clip(end - size, 0, None)
        return _unit(prefix[end] - prefix[start])

    def match(self, i: int, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """How close source [i-a, i) is to target [j-b, j), for j in ``cols``: the cosine less
        the neighbours' (the margin), else the cosine normalised by the document's anchors."""
        table = self._src_table.get(a)
        u = table[i] if table is not None else self._spans(self._src, np.array([i]), a)[0]
        table = self._tgt_table.get(b)
        v = table[cols] if table is not None else self._spans(self._tgt, cols, b)
        cos = v @ u
        if self._src_nn is not None and self._tgt_nn is not None:
            start = np.clip(cols - b, 0, None)
            near = ((self._src_nn[i] - self._src_nn[max(i - a, 0)]) / a
                    + (self._tgt_nn[cols] - self._tgt_nn[start]) / b) / 2
            return cos - near                # above 0: closer than the nearest neighbours
        return (cos - self.low) / (self.high - self.low)

    def gains(self, i: int, lo: int = 0, hi: int | None = None
              ) -> dict[tuple[int, int], np.ndarray]:
        hi = self.m if hi is None else hi
        cols = np.arange(lo, hi + 1)
        p = self.params
        out = {}
        for a, b in self.shapes:
            if a > i:
                continue
            g = p.slope * (self.match(i, cols, a, b) - p.threshold) - p.merge_penalty * (a + b - 2)
            out[(a, b)] = np.where(cols >= b, g, -np.inf)
        return out

    def scores(self, beads: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[float]:
        return [self.score(s, t) for s, t in beads]

    def score(self, source: Sequence[int], target: Sequence[int]) -> float:
        if not source or not target:
            return 0.0
        x = float(self.match(source[-1] + 1, np.array([target[-1] + 1]), len(source),
                             len(target))[0])
        return 1.0 / (1.0 + math.exp(-self.params.sharpness * (x - self.params.threshold)))


#: The fitted parameters and weight (scripts/fit_semantic.py, ``make fit``).
PARAMS_FILE = Path(__file__).resolve().parent / "params.json"


def fitted(path: Path = PARAMS_FILE) -> tuple[SemanticParams, float]:
    """The view's fitted parameters and its weight beside a main view of weight 1 (the
    defaults, weight 0.25, before a fit has been written)."""
    if not path.is_file():
        return SemanticParams(), 0.25
    data = json.loads(path.read_text("utf-8"))
    return (SemanticParams(threshold=float(data["threshold"]), slope=float(data["slope"]),
                           merge_penalty=float(data["merge_penalty"]),
                           sharpness=float(data["sharpness"])), float(data["weight"]))


def encoder(name: str, use_cache: bool = True):  # -> encoders.CachedEncoder | None
    """The sentence encoder ``name`` (``off``: None; ``auto``: the first installed, else None
    with a debug line); a named one that is not installed is a ``ModelError``. The encoders
    load on first use: ``off`` imports nothing."""
    if name == "off":
        return None
    from aligner.semantic.encoders import encoder as find

    found = find(name, use_cache)
    if found is None:
        log.debug("no sentence encoder installed: no semantic view")
    return found


def pair_view(src: Document, tgt: Document, encoder, weight: float | None = None
              ) -> tuple[SemanticSide, SemanticSide, SemanticParams, float]:
    """Both sides' sentences encoded at once (the cache keeps them), as a view of the pair
    for ``aligner.views``, with the fitted parameters and weight (``weight`` to override)."""
    vectors = encoder.encode([s.text for s in src.sentences] + [s.text for s in tgt.sentences])
    n = len(src)
    params, fitted_weight = FITTED
    return (SemanticSide(vectors[:n], [len(s.text) for s in src.sentences]),
            SemanticSide(vectors[n:], [len(s.text) for s in tgt.sentences]),
            params, fitted_weight if weight is None else weight)


#: The view's parameters and weight as fitted (``fitted()``); the fit script replaces them.
FITTED = fitted()


def bead_matches(beads: Sequence, view: tuple) -> list[float | None]:
    """Each bead's semantic match by the pair's semantic view (None on extra content)."""
    a, b, params, _ = view
    scorer = SemanticScorer(a, b, params, ((1, 1),))
    return [None if bead.is_null else float(scorer.match(
        bead.source[-1] + 1, np.array([bead.target[-1] + 1]), len(bead.source),
        len(bead.target))[0]) for bead in beads]
