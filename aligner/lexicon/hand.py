"""Word glosses for language pairs the project ships a small lexicon for (``hand_data/X-Y.txt``).

Cognates and names carry the model-free scorer a long way, but the words that tell two
unrelated sentences apart are often not cognates (ferite / injured, carcere / prison). About a
thousand common equivalents put both sides in one vocabulary: a side in language Y contributes
the (light) stems of its own words that the lexicon knows, a side in X the stems of their
glosses, and both become features ``~stem`` that the tf-idf cosine compares like any other.
Pairs without a lexicon get no glosses: everything else works as before.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

from aligner.kinds import Kind
from aligner.text.language import base
from aligner.text.words import fold, spelling

_PREFIX = Kind.GLOSS.value


@lru_cache(maxsize=16)
def _lexicon(src: str, tgt: str) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]],
                                           frozenset[str]] | None:
    """(form -> target stems, form-minus-final-vowel -> target stems, all target stems) for the
    lexicon from ``src`` to ``tgt``, or None when the project has none."""
    try:
        text = resources.files("aligner.lexicon").joinpath(f"hand_data/{src}-{tgt}.txt").read_text(
            encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    exact: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "=" not in line:
            continue
        left, right = line.split("=", 1)
        stems = {stem(w) for w in right.split()}
        for form in left.split():
            exact.setdefault(fold(form), set()).update(stems)
    loose: dict[str, set[str]] = {}
    for form, stems in exact.items():
        if len(form) >= 4 and form[-1] in "aeio":
            loose.setdefault(form[:-1], set()).update(stems)
    vocab = frozenset().union(*exact.values()) if exact else frozenset()
    return ({k: frozenset(v) for k, v in exact.items()},
            {k: frozenset(v) for k, v in loose.items()}, vocab)


def files() -> list[Path]:
    """The gloss files the project ships (for the report signature's digest)."""
    folder = Path(str(resources.files("aligner.lexicon").joinpath("hand_data")))
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English-style stem: guards -> guard, injuries -> injury, played -> play."""
    w = fold(word)
    if len(w) >= 5 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) >= 5 and w.endswith("ied"):
        return w[:-3] + "y"
    if len(w) >= 6 and w.endswith("ing"):
        return w[:-3]
    if len(w) >= 5 and w.endswith("ed"):
        return w[:-2]
    if len(w) >= 4 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def has_lexicon(lang: str, other: str) -> bool:
    """Whether glosses exist between the two languages (either direction)."""
    a, b = base(lang), base(other)
    return _lexicon(a, b) is not None or _lexicon(b, a) is not None


@lru_cache(maxsize=200_000)
def pivot(word: str, lang: str, other: str) -> frozenset[str]:
    """The stems a (folded) word stands for in the pair's shared vocabulary: its glosses on the
    lexicon's source side, its own stem on the other side when the lexicon knows it."""
    a, b = base(lang), base(other)
    forward = _lexicon(a, b)
    if forward is not None:
        exact, loose, _ = forward
        stems = exact.get(word)
        if stems is None and len(word) >= 4 and word[-1] in "aeio":
            stems = loose.get(word[:-1])
        return stems or frozenset()
    backward = _lexicon(b, a)
    if backward is not None:
        s = stem(word)
        if s in backward[2]:
            return frozenset((s,))
    return frozenset()


def features(words: list[str], lang: str, other: str | None) -> Counter[str]:
    """The ``~stem`` features of a sentence's (folded) words, for comparison with ``other``.

    A word with several glosses spreads a weight of 1 over them, so that it counts as much as
    the one word it stands for on the other side.
    """
    out: Counter[str] = Counter()
    if other is None or not has_lexicon(lang, other):
        return out
    get = out.get
    for w in words:
        stems = pivot(w, lang, other)
        if not stems:
            continue
        share = 1.0 / len(stems)
        for s in sorted(stems):                   # a fixed order: sums do not depend on hashing
            key = _PREFIX + s
            out[key] = get(key, 0) + share  # type: ignore[assignment]  # a Counter of float weights
    return out


def counterparts(words: list[str], lang: str, others: list[str], other_lang: str
                 ) -> list[bool | None]:
    """For each (folded) word: whether the other side has a counterpart for it (the same word,
    a cognate, a gloss), or None for a word too small to judge (short and unknown to the
    lexicon: articles, particles). The divergence checks read omissions from this."""
    same = set(others)
    skeletons = {spelling(o)[:4] for o in others if len(o) >= 4}
    glossed = set().union(*(pivot(o, other_lang, lang) for o in others)) if others else set()
    out: list[bool | None] = []
    for w in words:
        stems = pivot(w, lang, other_lang)
        if len(w) < 4 and not w.isdigit() and not stems:
            out.append(None)
            continue
        out.append(w in same or (len(w) >= 4 and spelling(w)[:4] in skeletons)
                   or bool(stems & glossed))
    return out

