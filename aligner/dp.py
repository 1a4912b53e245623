"""The best monotonic alignment by dynamic programming over beads. Knows nothing of models.

``D[i, j]`` is the best total gain of aligning the first ``i`` source and ``j`` target sentences.
A bead of shape (a, b) ending at (i, j) adds ``gains(i)[(a, b)][j]``; leaving source sentence
``i - 1`` out adds ``skip_src[i - 1]``, target ``j - 1`` ``skip_tgt[j - 1]``. Rows are computed
in order, each row in numpy at once: every shape with a >= 1 reads earlier rows only, and the
chain of 0-1 beads inside a row is a running maximum (``D[i, j] = c[j] + max_k (X[k] - c[k])``
with ``c`` the cumulative skip gains), so nothing loops over cells in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

Gains = Callable[[int], Mapping[tuple[int, int], np.ndarray]]
Path = list[tuple[tuple[int, ...], tuple[int, ...]]]

_NEG = -1e300
_SKIP_SRC = -1          # back-pointer code for a 1-0 bead (code k >= 0 is shapes[k])


def best_path(n: int, m: int, gains: Gains, shapes: Sequence[tuple[int, int]],
              skip_src: np.ndarray | None = None, skip_tgt: np.ndarray | None = None) -> Path:
    """The bead sequence with the highest total gain; every sentence in exactly one bead.

    gains(i) maps each shape (a, b) (a, b >= 1, a <= i) to an (m + 1,) array whose entry j is the
    gain of the bead made of source [i - a, i) and target [j - b, j) (-inf or very low where
    j < b). skip_src (n,) and skip_tgt (m,) are the gains of leaving a sentence out (default 0).
    Returns beads as (source indices, target indices), in order.
    """
    skip_src = np.zeros(n) if skip_src is None else np.asarray(skip_src, float)
    skip_tgt = np.zeros(m) if skip_tgt is None else np.asarray(skip_tgt, float)
    cols = np.arange(m + 1)
    csum = np.concatenate([[0.0], np.cumsum(skip_tgt)])
    back = np.full((n + 1, m + 1), _SKIP_SRC, dtype=np.int8)
    chain = np.zeros((n + 1, m + 1), dtype=np.int32)   # start column of the 0-1 chain
    rows: list[np.ndarray] = []

    first = np.zeros(m + 1)
    rows.append(_close_row(first, csum, cols, chain, 0, initial=True))
    for i in range(1, n + 1):
        row = rows[i - 1] + skip_src[i - 1]
        code = np.full(m + 1, _SKIP_SRC, dtype=np.int8)
        shape_gains = gains(i)
        for k, (a, b) in enumerate(shapes):
            g = shape_gains.get((a, b))
            if g is None or a > i or b > m:
                continue
            cand = np.full(m + 1, _NEG)
            cand[b:] = rows[i - a][:m + 1 - b] + g[b:]
            better = cand > row
            row = np.where(better, cand, row)
            code = np.where(better, k, code)
        back[i] = code
        rows.append(_close_row(row, csum, cols, chain, i))
        if i >= 4:
            rows[i - 4] = rows[i - 4][:0]          # only the last three rows are read again
    return _trace(n, m, back, chain, shapes)


def _close_row(row: np.ndarray, csum: np.ndarray, cols: np.ndarray, chain: np.ndarray, i: int,
               initial: bool = False) -> np.ndarray:
    """Allow runs of 0-1 beads inside row i: a running maximum, with its start column kept."""
    if initial:
        row = np.full_like(row, _NEG)
        row[0] = 0.0
    v = row - csum
    best = np.maximum.accumulate(v)
    # A chain starts where v sets a strictly new maximum: on ties the bead ends earlier and the
    # extra content follows it (a duplicated title aligns with its first copy).
    before = np.concatenate([[-np.inf], best[:-1]])
    start = np.maximum.accumulate(np.where(v > before, cols, 0))
    chain[i] = start
    return best + csum


def _trace(n: int, m: int, back: np.ndarray, chain: np.ndarray,
           shapes: Sequence[tuple[int, int]]) -> Path:
    path: Path = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(chain[i, j])
        while j > k:
            j -= 1
            path.append(((), (j,)))
        if i == 0:
            break
        code = int(back[i, j])
        if code == _SKIP_SRC:
            i -= 1
            path.append(((i,), ()))
            continue
        a, b = shapes[code]
        path.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    path.reverse()
    return path
