"""Sentence features and the sentence-by-sentence similarity matrix they give.

A sentence becomes a bag of features that can match across Italian and English (or, with a
translation, within one language): normalised numbers, month numbers, whole words and character
4-grams of longer words (satellitare/satellite share ``<sat``, ``sate``, ``atel``...). Features
are weighted by inverse document frequency over both documents, and only features that occur on
both sides are kept: a feature the other side never has cannot tell one pairing from another,
it only dilutes the cosine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.lexicon import fold, months, numbers

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
NUMBER_WEIGHT = 3.0
NGRAM = 4


def sentence_features(text: str, lang: str) -> Counter[str]:
    """The bag of features of one sentence (or of a translation, in the target language)."""
    feats: Counter[str] = Counter()
    for num in numbers(text, lang):
        feats["#" + num.key] += NUMBER_WEIGHT
    for month in months(text):
        feats[f"@month{month}"] += NUMBER_WEIGHT
    for k, word in enumerate(_WORD.findall(text)):
        w = fold(word)
        if k and word[0].isupper() and len(w) >= 3:
            feats["^" + w[:5]] += 1
        if len(w) >= NGRAM:
            feats["=" + w] += 1
            padded = f"<{w}>"
            for k in range(len(padded) - NGRAM + 1):
                feats[padded[k:k + NGRAM]] += 1
        elif len(w) >= 2 and word[0].isupper():
            feats["=" + w] += 1
    return feats


@dataclass(frozen=True, slots=True)
class SimilarityMatrix:
    """Dot products of the weighted feature vectors.

    ``cross``: (n, m) source-by-target dot products. ``src_gram``/``tgt_gram``: (n, 3) and (m, 3)
    dot products of each sentence with itself and its next two neighbours, enough to get the
    norm of any span of up to 3 consecutive sentences (a span's vector is the sum of its
    sentences' vectors, so its dot products are sums of these).

    Anchors are the features a translation keeps: numbers, months, and names that occur on
    both sides somewhere. ``anchor_cross`` (n, m) counts the anchors two sentences share;
    ``src_anchors``/``tgt_anchors`` count each sentence's anchors. An anchor left unmatched is
    evidence against a pairing (an unrelated sentence has its own numbers and names).
    """

    cross: np.ndarray
    src_gram: np.ndarray
    tgt_gram: np.ndarray
    anchor_cross: np.ndarray
    src_anchors: np.ndarray
    tgt_anchors: np.ndarray


def similarity_matrix(src: Sequence[Counter[str]], tgt: Sequence[Counter[str]]
                      ) -> SimilarityMatrix:
    """Build the tf-idf vectors and their dot products.

    Cross products only need the features both sides share; norms count every feature, so
    content that the other side lacks lowers the cosine ("Fonte : Wired" shares one 4-gram
    with "Powered by Blogger." and must not match it).
    """
    n, m = len(src), len(tgt)
    df_src: Counter[str] = Counter()
    df_tgt: Counter[str] = Counter()
    for bag in src:
        df_src.update(bag.keys())
    for bag in tgt:
        df_tgt.update(bag.keys())
    total = n + m
    shared = sorted(df_src.keys() & df_tgt.keys())
    index = {f: k for k, f in enumerate(shared)}

    def idf(f: str) -> float:
        return math.log(total / (df_src[f] + df_tgt[f])) + 1.0

    def weigh(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
        return [{f: c * idf(f) for f, c in bag.items()} for bag in bags]

    def coo(vectors: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows, cols, vals = [], [], []
        for r, vec in enumerate(vectors):
            for f, v in vec.items():
                k = index.get(f)
                if k is not None:
                    rows.append(r)
                    cols.append(k)
                    vals.append(v)
        return (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                np.asarray(vals, dtype=np.float64))

    xv, yv = weigh(src), weigh(tgt)
    cross = _sparse_dot(coo(xv), coo(yv), n, m, len(shared))

    def anchors(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
        return [{f: 1.0 for f in bag if f[0] in "#@" or (f[0] == "^" and f in index)}
                for bag in bags]

    xa, ya = anchors(src), anchors(tgt)
    anchor_cross = _sparse_dot(coo(xa), coo(ya), n, m, len(shared))
    return SimilarityMatrix(cross, _neighbour_dots(xv), _neighbour_dots(yv), anchor_cross,
                            np.array([len(a) for a in xa], float),
                            np.array([len(a) for a in ya], float))


def _sparse_dot(xs, ys, n: int, m: int, nfeat: int) -> np.ndarray:
    """X @ Y.T for two sparse matrices given as (row, feature, value) triples, in numpy only.

    Each feature pairs every source entry with every target entry that has it; the pairs are
    laid out with repeat/cumsum and summed with bincount, so no Python loop runs per pair.
    """
    out = np.zeros(n * m, dtype=np.float64)
    xr, xf, xv = xs
    yr, yf, yv = ys
    if not len(xf) or not len(yf):
        return out.reshape(n, m)
    order = np.argsort(yf, kind="stable")
    yr, yf, yv = yr[order], yf[order], yv[order]
    count_t = np.bincount(yf, minlength=nfeat)
    start_t = np.concatenate([[0], np.cumsum(count_t)[:-1]])
    reps = count_t[xf]
    # Chunk the source entries so that the expanded pair arrays stay small.
    chunk_pairs = 4_000_000
    cum = np.cumsum(reps)
    lo = 0
    while lo < len(xf):
        base = cum[lo - 1] if lo else 0
        hi = int(np.searchsorted(cum, base + chunk_pairs, side="right"))
        hi = max(hi, lo + 1)
        r = reps[lo:hi]
        total = int(r.sum())
        if total:
            first = np.repeat(start_t[xf[lo:hi]], r)
            offset = np.arange(total) - np.repeat(np.cumsum(r) - r, r)
            ty = first + offset
            rows = np.repeat(xr[lo:hi], r)
            vals = np.repeat(xv[lo:hi], r) * yv[ty]
            out += np.bincount(rows * m + yr[ty], weights=vals, minlength=n * m)
        lo = hi
    return out.reshape(n, m)


def _neighbour_dots(vectors: list[dict[str, float]]) -> np.ndarray:
    """(n, 3): dot of sentence i with sentences i, i+1, i+2 (all features)."""
    n = len(vectors)
    gram = np.zeros((n, 3))
    for i in range(n):
        a = vectors[i]
        for k in range(3):
            if i + k >= n:
                break
            b = vectors[i + k]
            small, big = (a, b) if len(a) <= len(b) else (b, a)
            gram[i, k] = sum(v * big.get(f, 0.0) for f, v in small.items())
    return gram
