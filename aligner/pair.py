"""Which document is the version of which: pair the files of a collection by language and content.

Each file's language comes from the built-in identifier. Every source-language document is
compared with every target-language one in two steps: a cheap document-level similarity (the
cosine of their bags of numbers, names and cognate n-grams, as the aligner's scorer builds
them), then, for the candidates worth it, a real model-free alignment whose parallelism score
says whether they are translations of each other. Pairs are taken best first, each document in
at most one pair; two documents in the same language are never paired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.data import Document, relation
from aligner.errors import InputError
from aligner.features import bag_cosine, document_bag
from aligner.text import language

#: Document similarity at or above which two articles are taken to tell the same story, a
#: ``comparable`` pair at least (on
#: ntrex-dev, translations score 0.18 and up, unrelated articles at most 0.13).
SAME_STORY = 0.15


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
         lexicon: str | Path | None = None, exclude: str | Path | None = None) -> list[Pairing]:
    """Pair the ``src_lang`` documents among ``paths`` with the ``tgt_lang`` ones (``lexicon``:
    a word-translation lexicon for the alignments, instead of the shipped one; ``exclude``: a
    folder whose files are not documents, such as a batch's output)."""
    from aligner.pipeline import align, load

    docs: dict[str, list[tuple[Path, Document]]] = {src_lang: [], tgt_lang: []}
    # the identifier names a language without its region: it_IT files are "it"
    declared = {language.base(src_lang): src_lang, language.base(tgt_lang): tgt_lang}
    out: list[Pairing] = []
    for path in files_of(paths, exclude):
        try:
            probe = load(path, src_lang)
        except InputError as exc:
            out.append(Pairing(str(path), None, 0.0, None, "unmatched", f"unreadable: {exc}"))
            continue
        guess = language.identify(" ".join(s.text for s in probe.sentences))
        lang = declared.get(guess.lang or "")
        if lang is None:
            found = guess.lang or "an unknown language"
            out.append(Pairing(str(path), None, 0.0, None, "unmatched",
                               f"written in {found}, neither {src_lang} nor {tgt_lang}"))
            continue
        doc = probe if lang == src_lang else load(path, lang)
        docs[lang].append((path, doc))
    bags = {str(p): document_bag(d) for group in docs.values() for p, d in group}
    candidates = []
    for sp, sd in docs[src_lang]:
        for tp, td in docs[tgt_lang]:
            sim = bag_cosine(bags[str(sp)], bags[str(tp)])
            if sim >= SAME_STORY:
                result = align(sd, td, scorer="lexical", lexicon=lexicon)
                candidates.append((result.parallelism or 0.0, sim, str(sp), str(tp)))
            else:
                candidates.append((0.0, sim, str(sp), str(tp)))
    taken: set[str] = set()
    for par, sim, s, t in sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True):
        if s in taken or t in taken or sim < SAME_STORY:
            continue
        label = relation(par, sim)
        if label == "unrelated":
            continue
        taken |= {s, t}
        out.append(Pairing(s, t, sim, par, label or "comparable"))
    for sp, _ in docs[src_lang]:
        if str(sp) not in taken:
            out.append(Pairing(str(sp), None, 0.0, None, "unmatched",
                               f"no {tgt_lang} document tells the same story"))
    for tp, _ in docs[tgt_lang]:
        if str(tp) not in taken:
            out.append(Pairing(None, str(tp), 0.0, None, "unmatched",
                               f"no {src_lang} document tells the same story"))
    return sorted(out, key=lambda p: p.path)
