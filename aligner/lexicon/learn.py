"""Training a lexicon: IBM Model 1 by EM, dictionary priors, and the readers of parallel text.

The model-free scorer's only cross-language signal used to be a hand-written word list. A
translation table learnt from parallel text (a corpus, a translation memory) knows thousands of
words, for any language pair, with probabilities: what statistical aligners (Hunalign's
dictionary, Moore 2002, fast_align) have always used. Training is IBM Model 1 in both directions
with fast_align's diagonal prior (a word tends to translate a word at the same relative place),
written as whole-array numpy operations over the links of all sentence pairs, so a corpus of
25,000 pairs trains in seconds.

A lexicon may also hold a dictionary prior (word pairs from a bilingual dictionary): for a word
seen ``n`` times in the corpus, its translation probabilities are
``(n * p_corpus + PRIOR_WEIGHT * p_dictionary) / (n + PRIOR_WEIGHT)``, so the dictionary
decides for rare and unseen words and the corpus for frequent ones.
"""

from __future__ import annotations

import gzip
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from aligner.errors import InputError
from aligner.lexicon.table import FORMAT, PREFIX, Lexicon, Table, tokens
from aligner.text.language import base

PRIOR_WEIGHT = 2.0        # a dictionary entry counts as this many corpus occurrences


@dataclass(frozen=True, slots=True)
class Settings:
    """How a table is trained and pruned (written into the file's header)."""

    iterations: int = 6
    diagonal: float = 4.0         # fast_align's diagonal tension; 0 is plain IBM Model 1
    null_prob: float = 0.08       # prior probability that a word aligns to nothing
    min_count: int = 2            # words seen fewer times get no entries
    min_prob: float = 0.02        # translations less likely than this are dropped ...
    top_k: int = 8                # ... and at most this many kept per word
    max_tokens: int = 120         # longer sentences are left out of training

    def describe(self) -> str:
        return (f"ibm1 iterations={self.iterations} diagonal={self.diagonal} "
                f"null_prob={self.null_prob} prefix={PREFIX} min_count={self.min_count} "
                f"min_prob={self.min_prob} top_k={self.top_k} max_tokens={self.max_tokens}")


# --- training -----------------------------------------------------------------------------

def train(pairs: Iterable[tuple[str, str]], src: str, tgt: str, settings: Settings = Settings(),
          source: str = "", progress: Callable[[str, int, int], None] | None = None) -> Lexicon:
    """IBM Model 1 with a diagonal prior, both directions, on sentence pairs (src, tgt text).

    Deterministic: the same pairs in the same order give the same table. ``progress`` is called
    as ``progress(stage, done, total)``.
    """
    import numpy as np

    src_vocab: dict[str, int] = {"": 0}          # id 0 is NULL on both sides
    tgt_vocab: dict[str, int] = {"": 0}
    sents_s: list[list[int]] = []
    sents_t: list[list[int]] = []
    count_s: Counter[str] = Counter()
    count_t: Counter[str] = Counter()
    n_pairs = 0
    for s_text, t_text in pairs:
        n_pairs += 1
        s, t = tokens(s_text), tokens(t_text)
        if not s or not t or len(s) > settings.max_tokens or len(t) > settings.max_tokens:
            continue
        count_s.update(s)
        count_t.update(t)
        sents_s.append([src_vocab.setdefault(w, len(src_vocab)) for w in s])
        sents_t.append([tgt_vocab.setdefault(w, len(tgt_vocab)) for w in t])
    if not sents_s:
        raise InputError("no sentence pair with words on both sides to learn a lexicon from")

    def direction(given: list[list[int]], out: list[list[int]], n_given: int, n_out: int,
                  stage: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """P(out word | given word): (given ids, out ids, probabilities) of every pair seen."""
        # Links: every out-word occurrence with NULL and with every given word of its pair.
        lens_g = np.array([len(x) for x in given], dtype=np.int64)
        lens_o = np.array([len(x) for x in out], dtype=np.int64)
        flat_g = np.fromiter((w for x in given for w in x), dtype=np.int64, count=lens_g.sum())
        flat_o = np.fromiter((w for x in out for w in x), dtype=np.int64, count=lens_o.sum())
        per_occ = lens_g + 1                                 # links of each out occurrence
        occ_sent = np.repeat(np.arange(len(given)), lens_o)  # sentence of each out occurrence
        occ_pos = np.arange(len(flat_o)) - np.repeat(np.cumsum(lens_o) - lens_o, lens_o)
        links_per_occ = per_occ[occ_sent]
        n_links = int(links_per_occ.sum())
        occ = np.repeat(np.arange(len(flat_o)), links_per_occ)
        first = np.cumsum(links_per_occ) - links_per_occ
        slot = np.arange(n_links) - first[occ]               # 0 = NULL, k = given word k-1
        sent = occ_sent[occ]
        g_start = (np.cumsum(lens_g) - lens_g)[sent]
        given_id = np.where(slot == 0, 0, flat_g[np.maximum(g_start + slot - 1, 0)])
        out_id = flat_o[occ]
        # fast_align's prior: NULL gets null_prob, the rest decays with the distance from the
        # diagonal, normalised per out occurrence.
        rel = np.abs((slot - 1 + 0.5) / lens_g[sent] - (occ_pos[occ] + 0.5) / lens_o[sent])
        prior = np.exp(-settings.diagonal * rel)
        prior[slot == 0] = 0.0
        norm = np.bincount(occ, prior, minlength=len(flat_o))
        prior = (1 - settings.null_prob) * prior / norm[occ]
        prior[slot == 0] = settings.null_prob
        key = given_id * n_out + out_id
        uniq, pid = np.unique(key, return_inverse=True)
        del key
        pair_given = uniq // n_out
        prob = np.ones(len(uniq))
        for it in range(settings.iterations):
            weighted = prior * prob[pid]
            z = np.bincount(occ, weighted, minlength=len(flat_o))
            post = weighted / z[occ]
            counts = np.bincount(pid, post, minlength=len(uniq))
            totals = np.bincount(pair_given, counts, minlength=n_given)
            prob = counts / totals[pair_given]
            if progress:
                progress(stage, it + 1, settings.iterations)
        return pair_given, uniq % n_out, prob

    src_words = list(src_vocab)
    tgt_words = list(tgt_vocab)
    fwd = direction(sents_s, sents_t, len(src_vocab), len(tgt_vocab), f"{src}->{tgt}")
    bwd = direction(sents_t, sents_s, len(tgt_vocab), len(src_vocab), f"{tgt}->{src}")
    forward = _prune(fwd, src_words, tgt_words, count_s, settings)
    backward = _prune(bwd, tgt_words, src_words, count_t, settings)
    meta = {"format": FORMAT, "src": src, "tgt": tgt, "kind": "learned", "source": source,
            "pairs": str(n_pairs), "settings": settings.describe()}
    return Lexicon(src, tgt, forward, backward, _kept(count_s, forward),
                   _kept(count_t, backward), meta)


def _prune(table, given_words: list[str], out_words: list[str], counts: Counter[str],
           settings: Settings) -> Table:
    import numpy as np

    given, out, prob = table
    keep = (given > 0) & (out > 0) & (prob >= settings.min_prob)
    given, out, prob = given[keep], out[keep], prob[keep]
    # best first within each given word; ties by the translation's spelling (deterministic)
    order = np.lexsort((np.array([out_words[o] for o in out], dtype=object), -prob, given))
    result: dict[str, list[tuple[str, float]]] = {}
    for k in order:
        word = given_words[given[k]]
        if counts[word] < settings.min_count:
            continue
        entries = result.setdefault(word, [])
        if len(entries) < settings.top_k:
            entries.append((out_words[out[k]], round(float(prob[k]), 4)))
    return {w: tuple(v) for w, v in sorted(result.items())}


def _kept(counts: Counter[str], table: Table) -> dict[str, int]:
    return {w: counts[w] for w in table}


def dictionary(entries: Iterable[tuple[str, str]], src: str, tgt: str, source: str = "",
               licence: str = "", max_words: int = 2, top_k: int = 8) -> Lexicon:
    """A dictionary prior from word pairs (``src_word``, ``tgt phrase``): single source words,
    target phrases of at most ``max_words`` words, each of whose words counts as a translation.
    A translation's probability is its share of the entries that support it (a prefix stands
    for several words, and a sense listed by several entries or dictionaries is likelier)."""
    fwd: dict[str, Counter[str]] = {}
    bwd: dict[str, Counter[str]] = {}
    n = 0
    for left, right in entries:
        a, b = tokens(left), tokens(right)
        if len(a) != 1 or not b or len(b) > max_words:
            continue
        n += 1
        for w in b:
            fwd.setdefault(a[0], Counter())[w] += 1
            bwd.setdefault(w, Counter())[a[0]] += 1

    def table(d: dict[str, Counter[str]]) -> Table:
        out: Table = {}
        for w, ts in sorted(d.items()):
            total = sum(ts.values())
            best = sorted(ts.items(), key=lambda x: (-x[1], x[0]))[:top_k]
            out[w] = tuple((t, round(c / total, 4)) for t, c in best)
        return out

    meta = {"format": FORMAT, "src": src, "tgt": tgt, "kind": "dictionary", "source": source,
            "pairs": str(n), "settings": f"dictionary prefix={PREFIX} max_words={max_words} "
                                         f"top_k={top_k}"}
    if licence:
        meta["licence"] = licence
    return Lexicon(src, tgt, table(fwd), table(bwd), meta=meta)


def merge(learned: Lexicon | None, priors: Sequence[Lexicon]) -> Lexicon | None:
    """A learned table with dictionary priors: each word's probabilities are the count-weighted
    mean ``(n p + PRIOR_WEIGHT q) / (n + PRIOR_WEIGHT)`` of the corpus's p (seen n times) and
    the dictionaries' q (averaged)."""
    if not priors:
        return learned
    if learned is None:
        learned = Lexicon(priors[0].src, priors[0].tgt, {}, {}, meta={"kind": "dictionary"})

    def one(table: Table, counts: dict[str, int], prior_tables: list[Table],
            top_k: int = 8, min_prob: float = 0.01) -> Table:
        out: Table = {}
        for word in sorted(set(table).union(*prior_tables)):
            q: Counter[str] = Counter()
            having = [p[word] for p in prior_tables if word in p]
            for entries in having:
                for t, p in entries:
                    q[t] += p / len(having)  # type: ignore[assignment]  # a Counter of float weights
            n = counts.get(word, 0) if word in table else 0
            mixed: Counter[str] = Counter()
            for t, p in table.get(word, ()):
                mixed[t] += n * p  # type: ignore[assignment]  # a Counter of float weights
            wq = PRIOR_WEIGHT if q else 0.0
            for t, p in q.items():
                mixed[t] += wq * p  # type: ignore[assignment]  # a Counter of float weights
            total = n + wq
            if not total:
                continue
            best = sorted(mixed.items(), key=lambda x: (-x[1], x[0]))[:top_k]
            out[word] = tuple((t, round(p / total, 4)) for t, p in best
                              if p / total >= min_prob)
        return out

    same = [p if (base(p.src), base(p.tgt)) == (base(learned.src), base(learned.tgt))
            else p.reversed() for p in priors]
    meta = {**learned.meta, "priors": "; ".join(p.meta.get("source", "?") for p in same)}
    return Lexicon(learned.src, learned.tgt,
                   one(learned.forward, learned.src_counts, [p.forward for p in same]),
                   one(learned.backward, learned.tgt_counts, [p.backward for p in same]),
                   learned.src_counts, learned.tgt_counts, meta)


def read_pairs(src_file: str | os.PathLike[str], tgt_file: str | os.PathLike[str]
               ) -> list[tuple[str, str]]:
    """Two line-aligned files as sentence pairs; a different number of lines is an error."""
    from aligner.text.read import read_text

    a = read_text(src_file).split("\n")
    b = read_text(tgt_file).split("\n")
    while a and not a[-1].strip() and b and not b[-1].strip():
        a.pop()
        b.pop()
    if len(a) != len(b):
        raise InputError(f"{src_file} has {len(a)} lines and {tgt_file} {len(b)}: "
                         "a corpus is two line-aligned files")
    return list(zip(a, b, strict=True))


def read_tmx(path: str | os.PathLike[str], src: str, tgt: str) -> list[tuple[str, str]]:
    """The (src, tgt) segment pairs of a TMX translation memory (languages by base code)."""
    import xml.etree.ElementTree as ET

    lang_attr = "{http://www.w3.org/XML/1998/namespace}lang"
    out = []
    try:
        for _, elem in ET.iterparse(str(path), events=("end",)):
            if elem.tag != "tu":
                continue
            segs: dict[str, str] = {}
            for tuv in elem.iter("tuv"):
                lang = tuv.get(lang_attr) or tuv.get("lang") or ""
                seg = tuv.find("seg")
                if seg is not None:
                    segs.setdefault(base(lang), "".join(seg.itertext()))
            if base(src) in segs and base(tgt) in segs:
                out.append((segs[base(src)], segs[base(tgt)]))
            elem.clear()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except ET.ParseError as exc:
        raise InputError(f"{path}: not a TMX file ({exc})") from None
    if not out:
        raise InputError(f"{path}: no translation unit with both {src} and {tgt} segments")
    return out


def read_dictionary(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Word pairs, ``source<TAB>target`` a line, plain or gzip."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            rows = [line.rstrip("\n").split("\t") for line in fh]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the dictionary ({exc})") from None
    return [(r[0], r[1]) for r in rows if len(r) >= 2 and r[0] and r[1]]
