"""What a word is, for every stage: one tokeniser, one case fold, one set of function words.

The scorer, the lexicon, the language guesser and the checks must cut text the same way, or a
word the lexicon knows is missed by the check that asks for it. A *word* is a run of letters
(``l'internet`` is ``l`` and ``internet``; ``MP3`` gives ``MP``); a *token* is a run of letters
or digits, for the few places where a number's neighbours matter (a month next to a day).
Words are compared folded: lower case, accents removed (città ~ citta).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+")
TOKEN = re.compile(r"[^\W_]+")
#: A word, or two joined by a hyphen (thirty-two, nut-crackers).
HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


#: Characters that open a placeholder or markup (%d, {0}, <b>, &amp;, \\n): what follows them
#: is part of the code, not a word a translator chose.
_CODE_BEFORE = frozenset("%{<&\\$/")
_CODE_AFTER = frozenset(">};")


def code_fragment(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a single letter (p.m.'s "m", %d's "d") or a word inside a
    placeholder or a tag (``<b>``, ``{nome}``, ``&amp;``): never worth a reader's attention as a
    word without a counterpart (the placeholder check compares such codes whole)."""
    return (end - start < 2 or (0 < start <= len(text) and text[start - 1] in _CODE_BEFORE)
            or (0 <= end < len(text) and text[end] in _CODE_AFTER))


def words(text: str) -> list[str]:
    """The words of a text, as written."""
    return WORD.findall(text)


def tokens(text: str) -> list[str]:
    """The words and numbers of a text, as written (``21``, ``ottobre``)."""
    return TOKEN.findall(text)


def standalone_spans(text: str) -> Iterator[re.Match[str]]:
    """The words that stand alone: not glued to a digit or an underscore (O3b, MP3 and 4G are
    names and codes, which their own checks judge)."""
    n = len(text)
    for m in WORD.finditer(text):
        s, e = m.span()
        if (s == 0 or not _is_word_char(text[s - 1])) and (
                e == n or not _is_word_char(text[e])):
            yield m


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower case without accents: the form cognates are compared in (città ~ citta)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_SPELLING = (("ch", "c"), ("ph", "f"), ("th", "t"), ("k", "c"), ("y", "i"), ("x", "s"),
             ("j", "g"), ("w", "v"))


@lru_cache(maxsize=100_000)
def spelling(word: str) -> str:
    """A word with the spelling habits that differ across European languages levelled (ch/c,
    k/c, ph/f, y/i, x/s, doubled letters), so that cognate names compare equal."""
    for a, b in _SPELLING:
        word = word.replace(a, b)
    return re.sub(r"(.)\1", r"\1", word)


# Words seen lower-case inside sentences: after an initial ("Space X. La partnership") or an
# abbreviation ("the U.S. The next"), Punkt's orthographic heuristic then knows that their
# capitalised form starts a sentence, while "John F. Kennedy" stays one sentence. The same
# words are never names, whatever their case.
STARTERS = {
    "it": """il lo la i gli le un uno una di da in con su per tra fra e ma o se che non questo
        questa questi queste quello quella nel nella nei nelle al alla ai alle del della dei
        delle dal dalla sono era ha hanno anche secondo dopo prima come quando mentre però
        inoltre oggi ieri così ci si ne per già ancora dove chi cosa tutti tutto ogni""",
    "en": """the a an in on at of for to with by from and but or if that this these those it
        its he she they we you his her their there here as when while after before however
        also today yesterday so not no one what who where many most some all""",
    "de": """der die das ein eine in im am mit von zu und aber oder wenn dass es er sie wir
        auf an bei nach vor auch heute so nicht kein""",
    "fr": """le la les un une des de du en dans à au aux avec pour par sur et mais ou si que
        ce cette ces il elle ils elles nous on son sa ses leur après avant aussi aujourd""",
}

#: Frequent function words of the languages above: never names, whatever their case.
FUNCTION_WORDS = frozenset(w for words in STARTERS.values() for w in words.split())


@lru_cache(maxsize=200_000)
def trigrams(word: str) -> frozenset[str]:
    """The letter trigrams of a word padded with ``<`` and ``>``: what cognates share."""
    padded = f"<{word}>"
    return frozenset(padded[k:k + 3] for k in range(len(padded) - 2))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice's coefficient of two sets (0 when either is empty)."""
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0
