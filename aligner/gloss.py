"""Word glosses for language pairs the project ships a small lexicon for (``lexicons/X-Y.txt``).

Cognates and names carry the model-free scorer a long way, but the words that tell two
unrelated sentences apart are often not cognates (ferite / injured, carcere / prison). A few
hundred common equivalents put both sides in one vocabulary: a side in language Y contributes
the (light) stems of its own words that the lexicon knows, a side in X the stems of their
glosses, and both become features ``~stem`` that the tf-idf cosine compares like any other.
Pairs without a lexicon get no glosses: everything else works as before.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

from aligner.lexicon import fold

_PREFIX = "~"


@lru_cache(maxsize=16)
def _lexicon(src: str, tgt: str) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]],
                                           frozenset[str]] | None:
    """(form -> target stems, form-minus-final-vowel -> target stems, all target stems) for the
    lexicon from ``src`` to ``tgt``, or None when the project has none."""
    try:
        text = resources.files("aligner").joinpath(f"lexicons/{src}-{tgt}.txt").read_text(
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
    a, b = _base(lang), _base(other)
    return _lexicon(a, b) is not None or _lexicon(b, a) is not None


def features(words: list[str], lang: str, other: str | None) -> Counter[str]:
    """The ``~stem`` features of a sentence's (folded) words, for comparison with ``other``.

    A word with several glosses spreads a weight of 1 over them, so that it counts as much as
    the one word it stands for on the other side.
    """
    out: Counter[str] = Counter()
    if other is None:
        return out
    a, b = _base(lang), _base(other)
    forward = _lexicon(a, b)
    if forward is not None:                       # this side is glossed into the other's words
        exact, loose, _ = forward
        for w in words:
            stems = exact.get(w)
            if stems is None and len(w) >= 4 and w[-1] in "aeio":
                stems = loose.get(w[:-1])
            for s in stems or ():
                out[_PREFIX + s] += 1.0 / len(stems)
        return out
    backward = _lexicon(b, a)
    if backward is not None:                      # this side's own words, where glossed
        vocab = backward[2]
        out.update(_PREFIX + s for s in map(stem, words) if s in vocab)
    return out


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()
