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
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from aligner import gloss
from aligner.lexicon import fold, months, numbers

if TYPE_CHECKING:
    from aligner.ttable import Lexicon

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
NUMBER_WEIGHT = 3.0
NGRAM = 4
MAX_SPAN = 4            # the most sentences one side of a bead can hold


def sentence_features(text: str, lang: str, other: str | None = None,
                      lex: Lexicon | None = None, glosses: bool = True) -> Counter[str]:
    """The bag of features of one sentence (or of a translation, in the target language).

    ``other``: the language it will be compared with; where the project has a hand lexicon for
    the pair and ``glosses`` is on, word glosses (``~stem``) join the bag (``aligner.gloss``).
    ``lex``: a learned lexicon oriented ``lang -> other`` (``aligner.ttable``): each word adds
    its translations into ``other`` with their probabilities, and itself in its own language
    where the lexicon translates into it, so that the cosine compares each side's words with
    the other side's translations, both directions at once.
    """
    feats: Counter[str] = Counter()
    for num in numbers(text, lang):
        feats["#" + num.key] += NUMBER_WEIGHT
    for month in months(text, lang):
        feats[f"@month{month}"] += NUMBER_WEIGHT
    words = _WORD.findall(text)
    for k, word in enumerate(words):
        w = fold(word)
        if k and word[0].isupper() and len(w) >= 3:
            feats["^" + w[:5]] += 1
        if len(w) >= NGRAM:
            feats[sys.intern("=" + w)] += 1
            padded = f"<{w}>"
            for k in range(len(padded) - NGRAM + 1):
                feats[sys.intern(padded[k:k + NGRAM])] += 1
        elif len(w) >= 2 and word[0].isupper():
            feats["=" + w] += 1
    if other is not None and other != lang and glosses:
        feats.update(gloss.features([fold(w) for w in words], lang, other))
    if lex is not None:
        feats.update(translation_features(words, lex))
    if not feats:
        # Only short words ("Sì.", "il."): let them match themselves, or the sentence could
        # never be told apart from its neighbours.
        feats.update("=" + fold(w) for w in re.findall(r"\w+", text))
    return feats


def translation_features(words: Sequence[str], lex: Lexicon) -> Counter[str]:
    """A sentence's words in the shared space of a learned lexicon oriented from its language
    (see sentence_features): ``~L:w`` is word ``w`` of language ``L``, whether the sentence
    holds it or translates into it. Each feature is weighed by how rare its word is in the
    lexicon's training text (``Lexicon.rarity``): that ``il`` translates ``the`` says nothing
    about which sentences correspond, and a document's own idf cannot tell, since a short
    text has ``the`` in every sentence."""
    from aligner.ttable import token

    out: Counter[str] = Counter()
    theirs, mine = f"~{lex.tgt}:", f"~{lex.src}:"
    own, other = lex.rarity()
    for word in words:
        t = token(word)
        entries = lex.forward.get(t)
        if entries:
            out[mine + t] += own.get(t, 1.0)
            for translation, p in entries:
                out[theirs + translation] += p * other.get(translation, 1.0)
    return out


@dataclass(frozen=True, slots=True)
class Banded:
    """An (n, m) matrix stored only in a band: row r keeps columns col0[r] .. col0[r] + width - 1.

    Without a band, col0 is 0 and width is m: the whole matrix.
    """

    values: np.ndarray          # (n, width)
    col0: np.ndarray            # (n,) non-decreasing

    def window(self, rows: slice, start: int, length: int) -> np.ndarray:
        """Sum over ``rows`` of each row's values at columns start..start+length-1 (0 outside)."""
        out = np.zeros(length)
        width = self.values.shape[1]
        for r in range(rows.start, rows.stop):
            c0 = int(self.col0[r])
            s, e = max(start, c0), min(start + length, c0 + width)
            if s < e:
                out[s - start:e - start] += self.values[r, s - c0:e - c0]
        return out


@dataclass(frozen=True, slots=True)
class SimilarityMatrix:
    """Dot products of the weighted feature vectors.

    ``cross``: source-by-target dot products (banded for long documents). ``src_gram`` and
    ``tgt_gram``: (n, MAX_SPAN) and (m, MAX_SPAN) dot products of each sentence with itself and
    its next neighbours, enough to get the norm of any span of up to MAX_SPAN sentences (a
    span's vector is the sum of its sentences' vectors, so its dot products are sums of these).

    Anchors are the features a translation keeps: numbers, months, and names that occur on
    both sides somewhere. ``anchor_cross`` counts the anchors two sentences share;
    ``src_anchors``/``tgt_anchors`` count each sentence's anchors. An anchor left unmatched is
    evidence against a pairing (an unrelated sentence has its own numbers and names).
    """

    cross: Banded
    src_gram: np.ndarray
    tgt_gram: np.ndarray
    anchor_cross: Banded
    src_anchors: np.ndarray
    tgt_anchors: np.ndarray


def similarity_matrix(src: Sequence[Counter[str]], tgt: Sequence[Counter[str]],
                      col0: np.ndarray | None = None, width: int | None = None,
                      unshared: float = 1.0) -> SimilarityMatrix:
    """Build the tf-idf vectors and their dot products (in the band col0/width if given).

    Cross products only need the features both sides share; norms count every feature, so
    content that the other side lacks lowers the cosine ("Fonte : Wired" shares one 4-gram
    with "Powered by Blogger." and must not match it). ``unshared`` scales how much a feature
    the other document never has weighs in a norm: 1 within one language (a translation's
    words the target lacks are missing content), less across two (most Italian 4-grams have no
    English counterpart at all, and would only drown the features that do).
    """
    n, m = len(src), len(tgt)
    if col0 is None or width is None:
        col0, width = np.zeros(n, dtype=np.int64), m
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
        # typed arrays, not lists of Python numbers: 50,000 sentences stay small in memory
        rows, cols, vals = array("q"), array("q"), array("d")
        for r, vec in enumerate(vectors):
            for f, v in vec.items():
                k = index.get(f)
                if k is not None:
                    rows.append(r)
                    cols.append(k)
                    vals.append(v)
        return (np.frombuffer(rows, dtype=np.int64), np.frombuffer(cols, dtype=np.int64),
                np.frombuffer(vals, dtype=np.float64))

    def anchors(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
        return [{f: 1.0 for f in bag if f[0] in "#@" or (f[0] == "^" and f in index)}
                for bag in bags]

    xv, yv = weigh(src), weigh(tgt)
    xa, ya = anchors(src), anchors(tgt)
    return SimilarityMatrix(
        Banded(_banded_dot(coo(xv), coo(yv), n, m, col0, width), col0),
        _neighbour_dots(_damp(xv, index, unshared)), _neighbour_dots(_damp(yv, index, unshared)),
        Banded(_banded_dot(coo(xa), coo(ya), n, m, col0, width), col0),
        np.array([len(a) for a in xa], float), np.array([len(a) for a in ya], float))


def _banded_dot(xs, ys, n: int, m: int, col0: np.ndarray, width: int,
                chunk: int = 256) -> np.ndarray:
    """(n, width): X @ Y.T inside the band, for sparse X, Y given as (row, feature, value).

    Source rows go in chunks; each chunk meets only the target rows its band can reach, as two
    small dense matrices over the features they share, multiplied by BLAS. Memory stays
    proportional to a chunk, time to the band's area.
    """
    out = np.zeros((n, width))
    xr, xf, xv = xs
    yr, yf, yv = ys
    if not n or not m or not len(xf) or not len(yf):
        return out
    x_start = np.searchsorted(xr, np.arange(n + 1))
    y_start = np.searchsorted(yr, np.arange(m + 1))
    for r0 in range(0, n, chunk):
        r1 = min(n, r0 + chunk)
        c_lo = int(col0[r0])
        c_hi = min(m, int(col0[r1 - 1]) + width)
        xs_ = slice(x_start[r0], x_start[r1])
        ys_ = slice(y_start[c_lo], y_start[c_hi])
        feats = np.intersect1d(xf[xs_], yf[ys_])
        if not len(feats):
            continue
        xk = np.searchsorted(feats, xf[xs_])
        xk_ok = (xk < len(feats)) & (feats[np.minimum(xk, len(feats) - 1)] == xf[xs_])
        yk = np.searchsorted(feats, yf[ys_])
        yk_ok = (yk < len(feats)) & (feats[np.minimum(yk, len(feats) - 1)] == yf[ys_])
        xd = np.zeros((r1 - r0, len(feats)), dtype=np.float32)
        yd = np.zeros((c_hi - c_lo, len(feats)), dtype=np.float32)
        np.add.at(xd, (xr[xs_][xk_ok] - r0, xk[xk_ok]), xv[xs_][xk_ok])
        np.add.at(yd, (yr[ys_][yk_ok] - c_lo, yk[yk_ok]), yv[ys_][yk_ok])
        block = (xd @ yd.T).astype(np.float64)              # (r1 - r0, c_hi - c_lo)
        for r in range(r0, r1):
            s = int(col0[r]) - c_lo
            e = min(s + width, c_hi - c_lo)
            out[r, :e - s] = block[r - r0, s:e]
    return out


def _neighbour_dots(vectors: list[dict[str, float]]) -> np.ndarray:
    """(n, MAX_SPAN): dot of sentence i with sentences i .. i+MAX_SPAN-1 (all features)."""
    n = len(vectors)
    gram = np.zeros((n, MAX_SPAN))
    for i in range(n):
        a = vectors[i]
        for k in range(MAX_SPAN):
            if i + k >= n:
                break
            b = vectors[i + k]
            small, big = (a, b) if len(a) <= len(b) else (b, a)
            gram[i, k] = sum(v * big.get(f, 0.0) for f, v in small.items())
    return gram


def _damp(vectors: list[dict[str, float]], shared: dict[str, int], weight: float
          ) -> list[dict[str, float]]:
    """The vectors with each feature outside ``shared`` scaled so that its square weighs
    ``weight``: what the norms are computed from."""
    if weight == 1.0:
        return vectors
    scale = math.sqrt(weight)
    return [{f: (v if f in shared else v * scale) for f, v in vec.items()} for vec in vectors]
