"""The DP alone, on gains made by hand: a partition of both sides, in order, the best one."""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.dp import best_path
from aligner.score import SHAPES


def gains_from(table: dict[tuple[tuple[int, ...], tuple[int, ...]], float], m: int,
               default: float = -1.0):
    """Gains: ``table`` for listed beads, ``default`` for every other bead."""
    def gains(i: int, lo: int, hi: int):
        out = {}
        for a, b in SHAPES:
            if a > i:
                continue
            row = np.full(hi - lo + 1, -np.inf)
            for j in range(max(b, lo), hi + 1):
                key = (tuple(range(i - a, i)), tuple(range(j - b, j)))
                row[j - lo] = table.get(key, default)
            out[(a, b)] = row
        return out
    return gains


def assert_partition(path, n: int, m: int) -> None:
    src = [i for s, _ in path for i in s]
    tgt = [j for _, t in path for j in t]
    assert src == list(range(n))
    assert tgt == list(range(m))
    assert all(s or t for s, t in path)


def test_identity_gives_one_to_one() -> None:
    n = 5
    table = {((i,), (i,)): 1.0 for i in range(n)}
    path = best_path(n, n, gains_from(table, n), SHAPES)
    assert path == [((i,), (i,)) for i in range(n)]


def test_merges_and_extras_where_the_gains_say() -> None:
    table = {((0,), (0,)): 1.0, ((1, 2), (1,)): 1.0, ((3,), (3,)): 1.0, ((4,), (4, 5)): 1.0}
    path = best_path(6, 6, gains_from(table, 6), SHAPES)
    assert path == [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,)), ((4,), (4, 5)),
                    ((5,), ())]


def test_empty_sides() -> None:
    assert best_path(0, 0, gains_from({}, 0), SHAPES) == []
    assert best_path(0, 3, gains_from({}, 3), SHAPES) == [((), (0,)), ((), (1,)), ((), (2,))]
    assert best_path(2, 0, gains_from({}, 0), SHAPES) == [((0,), ()), ((1,), ())]


def test_tie_puts_extra_content_after_the_bead() -> None:
    # A duplicated target line: aligning either copy gains the same; the first one wins.
    table = {((0,), (0,)): 1.0, ((0,), (1,)): 1.0}
    assert best_path(1, 2, gains_from(table, 2), SHAPES) == [((0,), (0,)), ((), (1,))]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 12), st.integers(0, 12), st.integers(0, 2**32 - 1))
def test_random_gains_always_partition_monotonically(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    cache: dict[int, dict] = {}

    def gains(i: int, lo: int, hi: int):
        if i not in cache:
            cache[i] = {shape: rng.normal(size=m + 1) for shape in SHAPES if shape[0] <= i}
        return {k: v[lo:hi + 1] for k, v in cache[i].items()}

    path = best_path(n, m, gains, SHAPES)
    assert_partition(path, n, m)
    # The path's total equals the best total found by a plain recursive search.
    total = sum(cache[s[-1] + 1][(len(s), len(t))][t[-1] + 1] for s, t in path if s and t)
    assert abs(total - _brute_force(n, m, cache)) < 1e-9


def _brute_force(n: int, m: int, cache) -> float:

    @functools.cache
    def best(i: int, j: int) -> float:
        if i == 0 and j == 0:
            return 0.0
        options = []
        if i:
            options.append(best(i - 1, j))
        if j:
            options.append(best(i, j - 1))
        for a, b in SHAPES:
            if a <= i and b <= j:
                options.append(best(i - a, j - b) + cache[i][(a, b)][j])
        return max(options)

    return best(n, m)


def test_banded_dp_finds_the_full_dp_path(monkeypatch) -> None:
    """Coarse-to-fine banding on a pair large enough to use it gives the full DP's beads."""
    from aligner import pipeline, score
    from aligner.text.read import read_text
    from aligner.text.segment import segment

    from .conftest import EN_002, IT_003

    src = segment(read_text(IT_003) * 6, "it")
    tgt = segment(read_text(EN_002) * 6, "en")
    sides = score.lexical_side(src), score.lexical_side(tgt), score.LEXICAL
    full = pipeline.align_sides(*sides)
    monkeypatch.setattr(pipeline, "FULL_DP_CELLS", 400)       # forces blocks and a band
    banded = pipeline.align_sides(*sides)
    assert [(b.source, b.target) for b in banded] == [(b.source, b.target) for b in full]


def test_band_around_a_coarse_path() -> None:
    from aligner.dp import band_around

    # coarse units of 2 sentences; the coarse path is the diagonal
    path = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    lo, hi = band_around(path, [0, 2, 4, 6], [0, 2, 4, 6], 6, 6, margin=1)
    assert lo[0] == 0 and hi[6] == 6
    assert all(lo[i] <= i <= hi[i] for i in range(7))          # the diagonal is inside
    assert (hi - lo).max() <= 5                                # and the band is narrow
