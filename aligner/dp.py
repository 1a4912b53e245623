"""The best monotonic alignment by dynamic programming over beads. Knows nothing of models.

``D[i, j]`` is the best total gain of aligning the first ``i`` source and ``j`` target sentences.
A bead of shape (a, b) ending at (i, j) adds ``gains(i, lo, hi)[(a, b)][j - lo]``; leaving a
sentence out adds 0. Rows are computed in order, each in numpy at once: every shape with a >= 1
reads earlier rows only, and the chain of 0-1 beads inside a row is a running maximum
(``D[i, j] = max_k D'[i, k]`` over the row's own cells), so nothing loops over cells in Python.

Long documents: the DP only visits a band of cells, row i covering columns ``lo[i]..hi[i]``.
The band comes from a coarse alignment (``aligner.pipeline``); memory and time are linear in
the band's area, not in ``n * m``. Without a band every cell is visited.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

#: gains(i, lo, hi) -> {(a, b): array over columns lo..hi}: the gain of the bead made of source
#: [i - a, i) and target [j - b, j) for each j; -inf (or very low) where j < b.
Gains = Callable[[int, int, int], Mapping[tuple[int, int], np.ndarray]]
Path = list[tuple[tuple[int, ...], tuple[int, ...]]]

_NEG = -1e300
_SKIP_SRC = -1          # back-pointer code for a 1-0 bead (code k >= 0 is shapes[k])


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def best_path(n: int, m: int, gains: Gains, shapes: Sequence[tuple[int, int]],
              band: tuple[np.ndarray, np.ndarray] | None = None) -> Path:
    """The bead sequence with the highest total gain; every sentence in exactly one bead.

    band: (lo, hi), each (n + 1,), non-decreasing, lo[0] = 0, hi[n] = m, lo[i] <= hi[i - 1]:
    row i of the DP covers columns lo[i]..hi[i]. Returns beads as (source indices, target
    indices), in order.
    """
    lo, hi = full_band(n, m) if band is None else (np.asarray(band[0]), np.asarray(band[1]))
    _check_band(lo, hi, n, m)
    max_a = max((a for a, _ in shapes), default=1)
    rows: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    chains: list[np.ndarray] = []

    first = np.full(int(hi[0] - lo[0]) + 1, _NEG)
    first[0] = 0.0
    row, chain = _close_row(first)
    rows.append(row)
    codes.append(np.full(len(row), _SKIP_SRC, dtype=np.int8))
    chains.append(chain)
    for i in range(1, n + 1):
        a0, a1 = int(lo[i]), int(hi[i])
        width = a1 - a0 + 1
        row = _take(rows[i - 1], int(lo[i - 1]), a0, width)            # 1-0: leave i-1 out
        code = np.full(width, _SKIP_SRC, dtype=np.int8)
        shape_gains = gains(i, a0, a1)
        for k, (a, b) in enumerate(shapes):
            g = shape_gains.get((a, b))
            if g is None or a > i:
                continue
            cand = _take(rows[i - a], int(lo[i - a]), a0 - b, width) + g
            better = cand > row
            row = np.where(better, cand, row)
            code = np.where(better, k, code)
        row, chain = _close_row(row)
        rows.append(row)
        codes.append(code)
        chains.append(chain)
        if i > max_a:
            rows[i - max_a - 1] = rows[i - max_a - 1][:0]   # older rows are never read again
    return _trace(n, m, lo, codes, chains, shapes)


def _check_band(lo: np.ndarray, hi: np.ndarray, n: int, m: int) -> None:
    if len(lo) != n + 1 or len(hi) != n + 1:
        raise ValueError("band arrays must have n + 1 entries")
    if lo[0] != 0 or hi[n] != m or np.any(lo > hi) or np.any(np.diff(lo) < 0) or np.any(
            np.diff(hi) < 0) or np.any(lo[1:] > hi[:-1]):
        raise ValueError("band must be monotonic, connected and span (0, 0) to (n, m)")


def _take(row: np.ndarray, row_lo: int, start: int, width: int) -> np.ndarray:
    """row's values at columns start..start+width-1 (row starts at column row_lo); -inf outside."""
    out = np.full(width, _NEG)
    s = max(start, row_lo)
    e = min(start + width, row_lo + len(row))
    if s < e:
        out[s - start:e - start] = row[s - row_lo:e - row_lo]
    return out


def _close_row(row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Allow runs of 0-1 beads inside a row: a running maximum, with the run's start kept.

    A run starts where the row sets a strictly new maximum, so on ties the bead ends earlier
    and the extra content follows it (a duplicated title aligns with its first copy).
    """
    cols = np.arange(len(row))
    best = np.maximum.accumulate(row)
    before = np.concatenate([[-np.inf], best[:-1]])
    start = np.maximum.accumulate(np.where(row > before, cols, 0))
    return best, start.astype(np.int32)


def _trace(n: int, m: int, lo: np.ndarray, codes: list[np.ndarray], chains: list[np.ndarray],
           shapes: Sequence[tuple[int, int]]) -> Path:
    path: Path = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(chains[i][j - lo[i]]) + int(lo[i])
        while j > k:
            j -= 1
            path.append(((), (j,)))
        if i == 0:
            break
        code = int(codes[i][j - lo[i]])
        if code == _SKIP_SRC:
            i -= 1
            path.append(((i,), ()))
            continue
        a, b = shapes[code]
        path.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    path.reverse()
    return path


def band_around(path: Path, src_edges: Sequence[int], tgt_edges: Sequence[int], n: int, m: int,
                margin: int) -> tuple[np.ndarray, np.ndarray]:
    """A band for the fine DP around a coarse path.

    ``path`` aligns coarse units; coarse source unit u covers fine sentences
    src_edges[u]..src_edges[u+1] (likewise target). Each fine row gets the target range of the
    coarse bead it falls in, widened by ``margin`` sentences, then made monotonic.
    """
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    cu = cv = 0                                   # current coarse position
    for s, t in path:
        s0, s1 = src_edges[cu], src_edges[cu + len(s)]
        t0, t1 = tgt_edges[cv], tgt_edges[cv + len(t)]
        lo[s0:s1 + 1] = np.minimum(lo[s0:s1 + 1], t0)
        hi[s0:s1 + 1] = np.maximum(hi[s0:s1 + 1], t1)
        cu += len(s)
        cv += len(t)
    lo = np.maximum(lo - margin, 0)
    hi = np.minimum(hi + margin, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    lo[1:] = np.minimum(lo[1:], hi[:-1])          # each row reachable from the one before
    return lo, hi
