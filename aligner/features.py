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
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from aligner.kinds import Kind
from aligner.lexicon import hand
from aligner.text.analysis import analyse
from aligner.text.words import fold, tokens
from aligner.text.words import words as word_list

if TYPE_CHECKING:
    from aligner.data import Document
    from aligner.lexicon import Lexicon

NUMBER_WEIGHT = 3.0
_NUMBER, _MONTH, _NAME, _WORD = (k.value for k in (Kind.NUMBER, Kind.MONTH, Kind.NAME, Kind.WORD))
NGRAM = 4
MAX_SPAN = 4            # the most sentences one side of a bead can hold


def sentence_features(text: str, lang: str, other: str | None = None,
                      lex: Lexicon | None = None, glosses: bool = True) -> Counter[str]:
    """The bag of features of one sentence (or of a translation, in the target language).

    ``other``: the language it will be compared with; where the project has a hand lexicon for
    the pair and ``glosses`` is on, word glosses (``~stem``) join the bag
    (``aligner.lexicon.hand``).
    ``lex``: a learned lexicon oriented ``lang -> other`` (``aligner.lexicon``): each word adds
    its translations into ``other`` with their probabilities, and itself in its own language
    where the lexicon translates into it, so that the cosine compares each side's words with
    the other side's translations, both directions at once.
    """
    feats: Counter[str] = Counter()
    found = analyse(text, lang)
    for num in found.numbers:
        feats[_NUMBER + num.key] += NUMBER_WEIGHT  # type: ignore[assignment]  # a Counter of float weights
    for month in found.months:
        feats[f"{_MONTH}month{month}"] += NUMBER_WEIGHT  # type: ignore[assignment]  # a Counter of float weights
    words = word_list(text)
    folded = [fold(word) for word in words]
    bag: list[str] = []
    for k, (word, w) in enumerate(zip(words, folded, strict=True)):
        if k and word[0].isupper() and len(w) >= 3:
            bag.append(_NAME + w[:5])
        if len(w) >= NGRAM:
            bag.extend(_grams(w))
        elif len(w) >= 2 and word[0].isupper():
            bag.append(_WORD + w)
    feats.update(bag)               # counted in C, in the order the features come
    if other is not None and other != lang and glosses:
        feats.update(hand.features(folded, lang, other))
    if lex is not None:
        feats.update(translation_features(words, lex))
    if not feats:
        # Only short words ("Sì.", "il."): let them match themselves, or the sentence could
        # never be told apart from its neighbours.
        feats.update(_WORD + fold(w) for w in tokens(text))
    return feats


#: A folded word's own features (the word, its padded character n-grams), interned: a
#: document repeats its words, and 50,000 sentences would otherwise hold as many copies.
_GRAMS: dict[str, tuple[str, ...]] = {}
_GRAMS_MAX = 200_000


def _grams(w: str) -> tuple[str, ...]:
    found = _GRAMS.get(w)
    if found is None:
        padded = f"<{w}>"
        found = (sys.intern(_WORD + w), *(sys.intern(padded[k:k + NGRAM])
                                          for k in range(len(padded) - NGRAM + 1)))
        if len(_GRAMS) < _GRAMS_MAX:
            _GRAMS[w] = found
    return found


def translation_features(words: Sequence[str], lex: Lexicon) -> Counter[str]:
    """A sentence's words in the shared space of a learned lexicon oriented from its language
    (see sentence_features): ``~L:w`` is word ``w`` of language ``L``, whether the sentence
    holds it or translates into it. Each feature is weighed by how rare its word is in the
    lexicon's training text (``Lexicon.rarity``): that ``il`` translates ``the`` says nothing
    about which sentences correspond, and a document's own idf cannot tell, since a short
    text has ``the`` in every sentence."""
    from aligner.lexicon import token

    out: Counter[str] = Counter()
    features, get = lex.features, out.get
    for word in words:
        for feature, weight in features(token(word)):
            out[feature] = get(feature, 0) + weight
    return out


@dataclass(frozen=True, slots=True)
class Banded:
    """An (n, m) matrix stored only in a band: row r keeps columns col0[r] .. col0[r] + width - 1.

    Without a band, col0 is 0 and width is m: the whole matrix.
    """

    values: np.ndarray          # (n, width)
    col0: np.ndarray            # (n,) non-decreasing

    def dense(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        """Rows r0..r1-1, columns c0..c1-1 as a dense array (0 outside the band)."""
        out = np.zeros((max(0, r1 - r0), max(0, c1 - c0)))
        width = self.values.shape[1]
        for r in range(r0, r1):
            b0 = int(self.col0[r])
            s, e = max(c0, b0), min(c1, b0 + width)
            if s < e:
                out[r - r0, s - c0:e - c0] = self.values[r, s - b0:e - b0]
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
    vocab: dict[str, int] = {}
    xs, ys = _entries(src, vocab), _entries(tgt, vocab)
    size = len(vocab)
    df_src = np.bincount(xs[1], minlength=size)
    df_tgt = np.bincount(ys[1], minlength=size)
    shared = (df_src > 0) & (df_tgt > 0)
    idf = np.log((n + m) / np.maximum(df_src + df_tgt, 1)) + 1.0
    # anchors: numbers and months everywhere, names that both documents have
    kind = np.frombuffer("".join(f[0] for f in vocab).encode("utf-32-le"), dtype=np.uint32)
    anchor = ((kind == ord(_NUMBER)) | (kind == ord(_MONTH))
              | ((kind == ord(_NAME)) & shared))
    scale = np.where(shared, 1.0, math.sqrt(unshared))

    def parts(entries: tuple[np.ndarray, np.ndarray, np.ndarray], rows: int):
        r, f, c = entries
        v = c * idf[f]
        keep = shared[f]
        is_anchor = anchor[f]
        cross = (r[keep], f[keep], v[keep])
        anchors = (r[is_anchor], f[is_anchor], np.ones(int(is_anchor.sum())))
        counts = np.bincount(r[is_anchor], minlength=rows).astype(float)
        return cross, anchors, counts, _neighbour_dots(r, f, v * scale[f], rows, size)

    x_cross, x_anchor, x_count, x_gram = parts(xs, n)
    y_cross, y_anchor, y_count, y_gram = parts(ys, m)
    return SimilarityMatrix(
        Banded(_banded_dot(x_cross, y_cross, n, m, col0, width), col0), x_gram, y_gram,
        Banded(_banded_dot(x_anchor, y_anchor, n, m, col0, width), col0), x_count, y_count)


def _entries(bags: Sequence[Counter[str]], vocab: dict[str, int]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bags as (row, feature index, count) arrays, rows in order, features numbered in
    ``vocab`` as they come; one pass over them in Python, the rest in numpy."""
    keys: list[str] = []
    vals = array("d")
    for bag in bags:
        keys.extend(bag)
        vals.extend(bag.values())
    # number the new features in the order they come, then look every entry up in C
    new = [f for f in dict.fromkeys(keys) if f not in vocab]
    vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
    cols = np.fromiter(map(vocab.__getitem__, keys), dtype=np.int64, count=len(keys))
    rows = np.repeat(np.arange(len(bags), dtype=np.int64), [len(bag) for bag in bags])
    # a typed array, not a list of Python numbers: 50,000 sentences stay small in memory
    return rows, cols, np.frombuffer(vals, dtype=np.float64)


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


def _neighbour_dots(rows: np.ndarray, feats: np.ndarray, values: np.ndarray, n: int,
                    size: int) -> np.ndarray:
    """(n, MAX_SPAN): dot of sentence i with sentences i .. i+MAX_SPAN-1 (all features), by
    looking each entry's feature up in the sentence k rows below (sorted keys, one search)."""
    gram = np.zeros((n, MAX_SPAN))
    if not len(rows):
        return gram
    keys = rows * size + feats
    order = np.argsort(keys, kind="stable")
    keys, rows, values = keys[order], rows[order], values[order]
    for k in range(MAX_SPAN):
        wanted = keys + k * size
        at = np.searchsorted(keys, wanted)
        found = at < len(keys)
        found[found] = keys[at[found]] == wanted[found]
        gram[:, k] = np.bincount(rows[found], values[found] * values[at[found]], minlength=n)
    return gram



def document_bag(doc: Document) -> dict[str, float]:
    """A document's features (``sentence_features`` of every sentence), each count damped by
    a log so that one frequent word cannot carry a comparison."""
    total: Counter[str] = Counter()
    for s in doc.sentences:
        total.update(sentence_features(s.text, doc.lang))
    return {f: 1 + math.log(c) for f, c in total.items() if c > 0}


def bag_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two documents' bags."""
    dot = sum(v * b[f] for f, v in a.items() if f in b)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def document_similarity(source: Document, target: Document) -> float:
    """How alike two documents are before any alignment: the cosine of their bags of numbers,
    names and cognate n-grams. Translations of each other score high, two articles on the same
    story lower, unrelated documents near 0."""
    return bag_cosine(document_bag(source), document_bag(target))
