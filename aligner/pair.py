"""Which document is the version of which: pair the files of a collection by language and content.

Each file's language comes from the built-in identifier. Pairing then goes in three steps, so
that a collection of thousands of documents a side takes seconds, not hours:

1. **Candidates** (``candidates``): each document becomes a TF-IDF vector in the target
   language's words: a target document's own words, a source document's words translated
   through the learned lexicon (the strongest WMT16 document-alignment systems did the same),
   plus numbers and words written alike on both sides (names, cognates). The vectors are
   hashed into a fixed number of signed buckets, so a matrix product ranks every target for
   every source, a block of rows at a time; each document keeps its ``TOP_K`` best.
2. **Verification**: candidate pairs, best first, are aligned model-free; the alignment's
   parallelism and the documents' similarity give the relation (``aligner.data.relation``:
   translation, comparable or unrelated, with the thresholds fitted on the dev sets).
3. **Assignment**: competitive linking, translations before comparable pairs, so that no
   document is claimed twice.

A file that cannot be read, is empty, is in a third language or repeats another file's text is
listed with its reason, never dropped.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aligner.data import Document, relation
from aligner.errors import InputError
from aligner.features import document_similarity
from aligner.text import language

#: Each document's best candidates kept from the ranking (the verification aligns them).
TOP_K = 3
#: Signed hash buckets of the documents' TF-IDF vectors (the ranking's matrix product).
BUCKETS = 4096
#: Source documents whose rows are scored at once.
BLOCK = 512
#: Translations of a source word taken from the lexicon, the most likely first.
TRANSLATIONS = 3
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]{2,}")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Pairing:
    """A source document, its counterpart (or None), how alike they are, and what that means."""

    source: str | None             # None: a target-language file left unmatched
    target: str | None
    similarity: float
    parallelism: float | None
    label: str                     # translation | comparable | unmatched
    reason: str = ""               # why a file is unmatched

    def to_dict(self) -> dict:
        out = {"source": self.source, "target": self.target,
               "similarity": round(self.similarity, 4),
               "parallelism": None if self.parallelism is None else round(self.parallelism, 4),
               "label": self.label}
        if self.reason:
            out["reason"] = self.reason
        return out

    @property
    def path(self) -> str:
        """The file this line is about first (its source, else its target)."""
        return self.source or self.target or ""


def files_of(paths: Sequence[str | Path], exclude: str | Path | None = None) -> list[Path]:
    """The files named, and the files inside the folders named and their subfolders (an
    ``it/`` + ``en/`` layout), sorted, each once; hidden files and folders and the folder
    ``exclude`` (a batch's own output) are left out."""
    skip = Path(exclude).resolve() if exclude is not None else None
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (f.is_file() and not any(part.startswith(".") for part in rel)
                        and not (skip and skip in f.resolve().parents)):
                    out.append(f)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in out:                        # a file named twice (itself and in its folder): once
        real = f.resolve()
        if real not in seen:
            seen.add(real)
            unique.append(f)
    if not unique:
        raise InputError(f"no files to pair in {', '.join(map(str, paths))} (give files, or "
                         "folders that hold them; subfolders are searched too)")
    return unique


def pair(paths: Sequence[str | Path], src_lang: str = "it", tgt_lang: str = "en",
         lexicon: str | Path | None = None, exclude: str | Path | None = None,
         progress: Progress | None = None) -> list[Pairing]:
    """Pair the ``src_lang`` documents among ``paths`` with the ``tgt_lang`` ones (``lexicon``:
    a word-translation lexicon instead of the shipped one; ``exclude``: a folder whose files are
    not documents, such as a batch's output). Every file is in the result once: in a pair, or
    unmatched with its reason."""
    from aligner.lexicon import for_pair as find_lexicon

    lex = find_lexicon(src_lang, tgt_lang, lexicon)
    docs, out = read_collection(files_of(paths, exclude), src_lang, tgt_lang, progress, lex)
    sources, targets = docs[src_lang], docs[tgt_lang]
    ranked = candidates([d for _, d in sources], [d for _, d in targets], lex, progress)
    out += assign(sources, targets, ranked, lex, progress)
    taken = {p.source for p in out if p.target} | {p.target for p in out if p.source}
    out += [Pairing(str(sp), None, 0.0, None, "unmatched",
                    f"no {tgt_lang} document tells the same story")
            for sp, _ in sources if str(sp) not in taken]
    out += [Pairing(None, str(tp), 0.0, None, "unmatched",
                    f"no {src_lang} document tells the same story")
            for tp, _ in targets if str(tp) not in taken]
    return sorted(out, key=lambda p: p.path)


def read_collection(files: Sequence[Path], src_lang: str, tgt_lang: str,
                    progress: Progress | None = None, lex=None
                    ) -> tuple[dict[str, list[tuple[Path, Document]]], list[Pairing]]:
    """The documents of each language, and the files left out with their reason (unreadable,
    empty, a third language, the same text as a file before it). A file goes to the language
    of the pair whose vocabulary (the lexicon's, ``lex``) knows ``VOCABULARY_SURE`` of its
    words: a short text's function words (ten questions of a phrase book) can look Portuguese
    to the identifier, its vocabulary cannot. Otherwise the identifier decides, and a text in a
    third language is left out."""
    from aligner.pipeline import parse
    from aligner.text.read import read_text

    docs: dict[str, list[tuple[Path, Document]]] = {src_lang: [], tgt_lang: []}
    # the identifier names a language without its region: it_IT files are "it"
    declared = {language.base(src_lang): src_lang, language.base(tgt_lang): tgt_lang}
    out: list[Pairing] = []
    seen: dict[str, Path] = {}
    for k, path in enumerate(files):
        if progress:
            progress("reading", k, len(files))
        try:
            raw = read_text(path)
            probe = parse(raw, src_lang, path=str(path))
        except InputError as exc:
            out.append(Pairing(str(path), None, 0.0, None, "unmatched", f"unreadable: {exc}"))
            continue
        text = " ".join(s.text for s in probe.sentences)
        digest = hashlib.blake2b(" ".join(text.split()).encode(), digest_size=16).hexdigest()
        if digest in seen:
            out.append(Pairing(str(path), None, 0.0, None, "unmatched",
                               f"the same text as {seen[digest]}"))
            continue
        seen[digest] = path
        guess = language.identify(text)
        lang = declared.get(guess.lang or "")
        if lex is not None:
            by_words, known = by_vocabulary(text, lex)
            if known >= VOCABULARY_SURE or (lang is None and guess.lang is None):
                lang = declared.get(language.base(by_words or ""), lang)
        if lang is None:
            found = guess.lang or "an unknown language"
            out.append(Pairing(str(path), None, 0.0, None, "unmatched",
                               f"written in {found}, neither {src_lang} nor {tgt_lang}"))
            continue
        # segmented again in its own language (its abbreviations), from the text read once
        docs[lang].append((path, probe if lang == src_lang else parse(raw, lang,
                                                                      path=str(path))))
    return docs, out


#: A text this much of whose words one language's vocabulary knows is in that language, whatever
#: the function-word identifier says of a short text.
VOCABULARY_SURE = 0.8


def by_vocabulary(text: str, lex) -> tuple[str | None, float]:
    """The language of the pair (``lex.src`` or ``lex.tgt``) whose vocabulary has more of the
    text's words, weighed by how common each is there (None where neither knows any), and the
    share of the words that vocabulary knows."""
    from aligner.lexicon import token

    words = [token(w) for w in _WORD.findall(text[:20_000])]
    own = sum(math.log1p(lex.src_counts.get(w, 0)) for w in words)
    other = sum(math.log1p(lex.tgt_counts.get(w, 0)) for w in words)
    if not words or (not own and not other):
        return None, 0.0
    counts = lex.src_counts if own > other else lex.tgt_counts
    return (lex.src if own > other else lex.tgt,
            sum(1 for w in words if counts.get(w)) / len(words))


def _terms(doc: Document, lex, side: str) -> dict[str, float]:
    """A document's terms in the target language's words: its own words (a target document),
    or its words' likeliest translations by the lexicon and the words themselves (a source
    document: names and cognates are written alike), plus its numbers."""
    from aligner.lexicon import token

    out: defaultdict[str, float] = defaultdict(float)
    for s in doc.sentences:
        for number in _NUMBER.findall(s.text):
            out["#" + re.sub(r"[.,]", "", number)] += 1.0
        for word in _WORD.findall(s.text):
            t = token(word)
            out[t] += 1.0
            if side == "source" and lex is not None:
                for other, p in lex.forward.get(t, ())[:TRANSLATIONS]:
                    out[other] += p
    return out


def _vectors(bags: Sequence[dict[str, float]], idf: dict[str, float]) -> np.ndarray:
    """Unit TF-IDF vectors, hashed into ``BUCKETS`` signed buckets."""
    out = np.zeros((len(bags), BUCKETS), dtype=np.float32)
    for k, bag in enumerate(bags):
        for term, count in bag.items():
            h = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")
            out[k, h % BUCKETS] += (1.0 if (h >> 63) else -1.0) * (1 + math.log(1 + count)) * (
                idf.get(term, 0.0))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


def candidates(sources: Sequence[Document], targets: Sequence[Document], lex,
               progress: Progress | None = None) -> list[tuple[float, int, int]]:
    """(score, source index, target index) of each document's ``TOP_K`` best counterparts by
    the cosine of their TF-IDF vectors (the union, from both sides), best first."""
    if not sources or not targets:
        return []
    bags = [_terms(d, lex, "source") for d in sources] + [_terms(d, lex, "target")
                                                          for d in targets]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    # a term in one document says nothing about pairs; in most of them, little
    idf = {t: math.log(n / c) for t, c in df.items() if c > 1}
    a = _vectors(bags[:len(sources)], idf)
    b = _vectors(bags[len(sources):], idf)
    k_src, k_tgt = min(TOP_K, len(targets)), min(TOP_K, len(sources))
    found: dict[tuple[int, int], float] = {}
    best_for_target = np.full((len(targets), k_tgt), -1.0, dtype=np.float32)
    who = np.zeros((len(targets), k_tgt), dtype=np.int64)
    for start in range(0, len(sources), BLOCK):
        if progress:
            progress("ranking", start, len(sources))
        scores = a[start:start + BLOCK] @ b.T
        top = np.argpartition(-scores, k_src - 1, axis=1)[:, :k_src]
        for r, cols in enumerate(top):
            for c in cols:
                found[(start + r, int(c))] = float(scores[r, c])
        # the targets' own best sources, merged block by block
        merged = np.concatenate([best_for_target, scores.T], axis=1)
        ids = np.concatenate([who, np.broadcast_to(np.arange(start, start + len(scores)),
                                                   (len(targets), len(scores)))], axis=1)
        keep = np.argpartition(-merged, k_tgt - 1, axis=1)[:, :k_tgt]
        best_for_target = np.take_along_axis(merged, keep, axis=1)
        who = np.take_along_axis(ids, keep, axis=1)
    for t in range(len(targets)):
        for score, s in zip(best_for_target[t], who[t], strict=True):
            if score >= 0:
                found[(int(s), t)] = float(score)
    return sorted(((v, s, t) for (s, t), v in found.items()), reverse=True)


def assign(sources: Sequence[tuple[Path, Document]], targets: Sequence[tuple[Path, Document]],
           ranked: Sequence[tuple[float, int, int]], lex, progress: Progress | None = None
           ) -> list[Pairing]:
    """Competitive linking over the verified candidates: translations first (by parallelism),
    then comparable pairs (by similarity), each document in one pair at most."""
    from aligner.pipeline import align

    verified: list[tuple[int, float, float, int, int]] = []
    paired_src: set[int] = set()
    paired_tgt: set[int] = set()
    for k, (_, s, t) in enumerate(ranked):
        if progress:
            progress("verifying", k, len(ranked))
        if s in paired_src or t in paired_tgt:
            continue                         # already a translation: no need to align more
        sd, td = sources[s][1], targets[t][1]
        result = align(sd, td, scorer="lexical", lexicon=lex if lex is not None else False)
        par = result.parallelism or 0.0
        sim = result.similarity if result.similarity is not None else document_similarity(
            sd, td)
        label = relation(par, sim)
        if label == "translation":
            paired_src.add(s)
            paired_tgt.add(t)
        if label in ("translation", "comparable"):
            verified.append((label == "translation", par, sim, s, t))
    out: list[Pairing] = []
    taken_src: set[int] = set()
    taken_tgt: set[int] = set()
    for is_translation, par, sim, s, t in sorted(verified, reverse=True):
        if s in taken_src or t in taken_tgt:
            continue
        taken_src.add(s)
        taken_tgt.add(t)
        out.append(Pairing(str(sources[s][0]), str(targets[t][0]), sim, par,
                           "translation" if is_translation else "comparable"))
    return out
