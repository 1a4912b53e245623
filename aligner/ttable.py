"""Learned word-translation lexicons: IBM Model 1 trained by EM, their file format, lookup.

The model-free scorer's only cross-language signal used to be a hand-written word list. A
translation table learnt from parallel text (a corpus, a translation memory) knows thousands of
words, for any language pair, with probabilities: what statistical aligners (Hunalign's
dictionary, Moore 2002, fast_align) have always used. Training is IBM Model 1 in both directions
with fast_align's diagonal prior (a word tends to translate a word at the same relative place),
written as whole-array numpy operations over the links of all sentence pairs, so a corpus of
25,000 pairs trains in seconds. Words are case-folded, accent-free prefixes of
``PREFIX`` characters (``ferito``/``ferite`` -> ``ferit``): on 20,000 pairs the inflected forms
of a word would otherwise each be rare.

A lexicon may also hold a dictionary prior (word pairs from a bilingual dictionary): for a word
seen ``n`` times in the corpus, its translation probabilities are
``(n * p_corpus + PRIOR_WEIGHT * p_dictionary) / (n + PRIOR_WEIGHT)``, so the dictionary
decides for rare and unseen words and the corpus for frequent ones.

File format (``aligner-lexicon/1``): gzip-compressed UTF-8 text; header lines ``# key: value``
(``format``, ``src``, ``tgt``, ``kind`` = ``learned`` or ``dictionary``, ``source``,
``pairs``, ``settings``, ``licence``), then one tab-separated line per entry:
``direction  word  translation  probability  count`` where ``direction`` is ``s2t``
(P(target word | source word)) or ``t2s``, and ``count`` is how often ``word`` occurred in the
training text (0 for dictionary entries). Files are written byte-for-byte reproducibly.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import math
import os
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from aligner.errors import InputError
from aligner.text.language import base
from aligner.text.words import WORD

FORMAT = "aligner-lexicon/1"
PREFIX = 5                # words are compared by their first PREFIX folded letters
PRIOR_WEIGHT = 2.0        # a dictionary entry counts as this many corpus occurrences
RARITY_SCALE = 4.0        # log(pairs / count) at which a word weighs fully (1 in 55 pairs)

#: One direction of a table: word -> ((translation, probability), ...), best first.
Table = dict[str, tuple[tuple[str, float], ...]]


@lru_cache(maxsize=300_000)
def token(word: str) -> str:
    """The form a word takes in a lexicon: lower case, no accents, its first PREFIX letters."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:PREFIX]


def tokens(text: str) -> list[str]:
    """A text's words as lexicon tokens (digits and punctuation are not words here)."""
    return [token(w) for w in WORD.findall(text)]


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


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Translation probabilities in both directions between two languages."""

    src: str
    tgt: str
    forward: Table                                  # source token -> target tokens
    backward: Table                                 # target token -> source tokens
    src_counts: dict[str, int] = field(default_factory=dict)
    tgt_counts: dict[str, int] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    # what is derived from the tables once and kept with them (rarity, the reversed view,
    # per-word features): not part of the lexicon's value
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once for this lexicon and kept in ``memo``."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "learned")

    def revision(self) -> str:
        """The first 12 hex digits of the file's SHA-256 (of the table's entries when it was
        never saved): which lexicon, exactly, scored a report."""
        digest = self.meta.get("sha256")
        if not digest:
            h = hashlib.sha256()
            for table in (self.forward, self.backward):
                for word, entries in table.items():
                    h.update(f"{word}\t{entries}\n".encode())
            digest = h.hexdigest()
        return digest[:12]

    def signature(self) -> str:
        """A short description for reports: languages, kind, size, where it came from."""
        return (f"{self.src}-{self.tgt} {self.kind} {len(self.forward)}+{len(self.backward)} "
                f"words ({self.meta.get('source') or '?'}) sha256:{self.revision()}")

    def rarity(self) -> tuple[dict[str, float], dict[str, float]]:
        """(source, target) word -> weight in [0, 1] from its frequency in the training text:
        ``log(pairs / count) / RARITY_SCALE``, capped at 1; words of the commonest kind (the,
        il, of) weigh almost nothing, content words 1. Cached."""
        def build() -> tuple[dict[str, float], dict[str, float]]:
            pairs = float(self.meta.get("pairs") or 0) or max(
                [*self.src_counts.values(), *self.tgt_counts.values(), 1])

            def weights(counts: dict[str, int]) -> dict[str, float]:
                return {w: min(1.0, max(0.0, math.log(pairs / c)) / RARITY_SCALE)
                        for w, c in counts.items() if c > 0}

            return weights(self.src_counts), weights(self.tgt_counts)

        return self.cached("rarity", build)

    def reversed(self) -> Lexicon:
        """The same lexicon seen from the other language (the same object each time, so that
        what is cached for it is computed once)."""
        def build() -> Lexicon:
            rev = Lexicon(self.tgt, self.src, self.backward, self.forward, self.tgt_counts,
                          self.src_counts, self.meta)
            rev.memo["reversed"] = self
            return rev

        return self.cached("reversed", build)

    def features(self, word_token: str) -> tuple[tuple[str, float], ...]:
        """The scorer's features of a word (``~L:word``, its own, and its translations
        ``~M:t`` weighed by probability), each weighed by rarity; () for a word the lexicon
        does not know. Memoised per word: a short document asks for few of them."""
        memo = self.cached("features", dict)
        found = memo.get(word_token)
        if found is None:
            entries = self.forward.get(word_token)
            if entries:
                own, other = self.rarity()
                found = ((f"~{self.src}:{word_token}", own.get(word_token, 1.0)),
                         *((f"~{self.tgt}:{t}", p * other.get(t, 1.0)) for t, p in entries))
            else:
                found = ()
            memo[word_token] = found
        return found

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
                    q[t] += p / len(having)
            n = counts.get(word, 0) if word in table else 0
            mixed: Counter[str] = Counter()
            for t, p in table.get(word, ()):
                mixed[t] += n * p
            wq = PRIOR_WEIGHT if q else 0.0
            for t, p in q.items():
                mixed[t] += wq * p
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


# --- files --------------------------------------------------------------------------------

def save(lexicon: Lexicon, path: str | os.PathLike[str]) -> None:
    """Write ``lexicon`` as gzip TSV, byte-for-byte the same for the same lexicon."""
    buf = io.StringIO()
    for key in ("format", "src", "tgt", "kind", "source", "pairs", "settings", "licence"):
        value = FORMAT if key == "format" else {"src": lexicon.src, "tgt": lexicon.tgt}.get(
            key, lexicon.meta.get(key, ""))
        if value:
            buf.write(f"# {key}: {value}\n")
    buf.write("# columns: direction\tword\ttranslation\tprobability\tcount\n")
    for direction, table, counts in (("s2t", lexicon.forward, lexicon.src_counts),
                                     ("t2s", lexicon.backward, lexicon.tgt_counts)):
        for word, entries in table.items():
            n = counts.get(word, 0)
            for t, p in entries:
                buf.write(f"{direction}\t{word}\t{t}\t{p:.4f}\t{n}\n")
    data = buf.getvalue().encode("utf-8")
    path = Path(path)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=9) as gz:
        gz.write(data)


def load(path: str | os.PathLike[str]) -> Lexicon:
    """Read a lexicon file; a file that is not one raises InputError naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such lexicon file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the lexicon: {exc}") from None
    digest = hashlib.sha256(raw).hexdigest()
    compiled = _compiled(digest)
    if compiled is not None:
        return compiled
    try:
        text = gzip.decompress(raw).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: not an aligner lexicon (gzip TSV): {exc}") from None
    meta: dict[str, str] = {}
    lines = text.split("\n")
    k = 0
    while k < len(lines) and lines[k].startswith("#"):
        key, _, value = lines[k][1:].partition(":")
        meta[key.strip()] = value.strip()
        k += 1
    if meta.get("format") != FORMAT:
        raise InputError(f"{path}: not an aligner lexicon (expected '# format: {FORMAT}')")
    if not meta.get("src") or not meta.get("tgt"):
        raise InputError(f"{path}: lexicon header names no src/tgt language")
    try:
        tables, counts = _parse_entries(lines, k)
    except (ValueError, KeyError):
        n = next(n for n, line in enumerate(lines[k:], start=k + 1) if line and not _valid(line))
        raise InputError(f"{path}:{n}: malformed lexicon line (want direction, word, "
                         "translation, probability, count)") from None
    meta["sha256"] = digest
    lexicon = Lexicon(meta["src"], meta["tgt"], tables["s2t"], tables["t2s"], counts["s2t"],
                      counts["t2s"], meta)
    _compile(digest, lexicon)
    return lexicon


def _compiled_path(digest: str) -> Path:
    from aligner.translate.cache import default_path

    return default_path().parent / "lexicons" / f"{digest[:32]}.marshal"


def _compiled(digest: str) -> Lexicon | None:
    """The lexicon of this exact file (by its SHA-256) from the compiled cache: marshal of
    plain dicts and tuples loads in a fraction of the time the TSV takes to parse (and, unlike
    pickle, cannot run code)."""
    import marshal

    try:
        data = marshal.loads(_compiled_path(digest).read_bytes())
        src, tgt, forward, backward, src_counts, tgt_counts, meta = data
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if meta.get("sha256") != digest:
        return None
    return Lexicon(src, tgt, forward, backward, src_counts, tgt_counts, meta)


def _compile(digest: str, lex: Lexicon) -> None:
    """Write the compiled form for the next process; a cache that cannot be written is
    skipped silently (it only saves time)."""
    import marshal

    target = _compiled_path(digest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(marshal.dumps((lex.src, lex.tgt, lex.forward, lex.backward,
                                       lex.src_counts, lex.tgt_counts, lex.meta)))
        os.replace(tmp, target)
    except (OSError, ValueError):
        pass


def _parse_entries(lines: list[str], start: int) -> tuple[dict[str, Table], dict[str, dict]]:
    """The entry lines, grouped as written (one word's translations follow each other): a
    tight loop, so that a lexicon of 100,000 entries loads in a few tens of milliseconds."""
    tables: dict[str, Table] = {"s2t": {}, "t2s": {}}
    counts: dict[str, dict[str, int]] = {"s2t": {}, "t2s": {}}
    key: tuple[str, str] | None = None
    entries: list[tuple[str, float]] = []

    def flush() -> None:
        if key is not None:
            tables[key[0]][key[1]] = tuple(entries)

    for line in lines[start:]:
        if not line:
            continue
        direction, word, translation, prob, count = line.split("\t")
        if (direction, word) != key:
            flush()
            if direction not in tables:
                raise KeyError(direction)
            key, entries = (direction, word), []
            if count != "0":
                counts[direction][word] = int(count)
        entries.append((translation, float(prob)))
    flush()
    return tables, counts


def _valid(line: str) -> bool:
    parts = line.split("\t")
    if len(parts) != 5 or parts[0] not in ("s2t", "t2s"):
        return False
    try:
        float(parts[3])
        int(parts[4])
    except ValueError:
        return False
    return True


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


# --- which lexicon serves a pair ----------------------------------------------------------

_PACKAGE = Path(__file__).resolve().parent
#: Where the shipped lexicons are: inside a wheel, then the repository's models/lexicons.
SHIPPED_DIRS = (_PACKAGE / "shipped_lexicons", _PACKAGE.parent / "models" / "lexicons")


def shipped(src: str, tgt: str) -> Path | None:
    """The project's lexicon file for a pair (either direction), if it ships one."""
    a, b = base(src), base(tgt)
    for folder in SHIPPED_DIRS:
        for name in (f"{a}-{b}.tsv.gz", f"{b}-{a}.tsv.gz"):
            if (folder / name).is_file():
                return folder / name
    return None


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Lexicon:
    return load(path)


def for_pair(src: str, tgt: str, spec: str | os.PathLike[str] | Lexicon | bool | None = None
             ) -> Lexicon | None:
    """The lexicon to score ``src`` against ``tgt`` with, oriented src -> tgt: ``spec`` (a file
    or a Lexicon) when given, None (or True) for the shipped one for the pair if any, False for
    none at all. A lexicon for another pair is an InputError."""
    if spec is False:
        return None
    if spec is None or spec is True:
        path = shipped(src, tgt)
        if path is None:
            return None
        lex = _load_cached(str(path), path.stat().st_mtime)
    elif isinstance(spec, Lexicon):
        lex = spec
    else:
        p = Path(spec)
        if not p.is_file():
            raise InputError(f"{p}: no such lexicon file")
        lex = _load_cached(str(p.resolve()), p.stat().st_mtime)
    pair = (base(lex.src), base(lex.tgt))
    if pair == (base(src), base(tgt)):
        return lex
    if pair == (base(tgt), base(src)):
        return lex.reversed()
    raise InputError(f"lexicon {lex.meta.get('source') or ''} is for {lex.src}-{lex.tgt}, "
                     f"not {src}-{tgt}".replace("lexicon  is", "lexicon is"))
