"""The name checks: names that the other version keeps elsewhere but lacks in this bead, and
capitalised words of the other language that it lacks (put in from elsewhere)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from aligner.data import Flag
from aligner.diverge.context import Context, Pair, one_side_only
from aligner.lexicon import bilingual, hand, token
from aligner.text.language import base
from aligner.text.numbers import MONTHS
from aligner.text.words import FUNCTION_WORDS, STARTERS, dice, fold, spelling, tokens, trigrams

_CAPITAL = re.compile(r"(?<![\w'’])([A-ZÀ-Ý][\w'’.-]*[\w])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“«(—–-])\W*$")


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """Names that the other version keeps elsewhere but lacks in this bead.

    A name that is always translated (Galles / Wales, Labour / laburista) is never flagged; a
    name swapped for another one (Truly / Holly) is kept elsewhere in the article, and is.
    """
    src, tgt, src_lang, tgt_lang = pair.src, pair.tgt, pair.src_lang, pair.tgt_lang
    src_view, tgt_view = _view(tgt, tgt_lang, src_lang), _view(src, src_lang, tgt_lang)
    a = _missing_names(src, src_lang, src_view, ctx.src_names)
    b = _missing_names(tgt, tgt_lang, tgt_view, ctx.tgt_names)
    # One name put for another (Corbyn / Patton, Bologna / Modena), even where it occurs once:
    # a name inside a sentence of each side that the other lacks, one of the kind that
    # translations copy as they are (``_copied``), the other no word the dictionary
    # translates (Giustizia / Judiciary, Natale / Christmas are translations).
    if ctx.vocabulary is not None:
        own, other = ctx.vocabulary
        found = bilingual.for_pair(src_lang, tgt_lang)
        words = found or ({}, {})
        label = ctx.units and max(len(src.split()), len(tgt.split())) <= LABEL_WORDS
        left = _swap_names(src, src_lang, src_view, own, other, words[0], ctx.src_names, label)
        right = _swap_names(tgt, tgt_lang, tgt_view, other, own, words[1], ctx.tgt_names, label)
        # in a translation file an acronym (MAC, BIC) is carried over as it is, whatever the
        # dictionary makes of the word it spells ("mac": a raincoat)
        if ((any(_copied(k, own, other, words[0], n, ctx.units) for n, k in left)
                and any(not _translated(k, words[1]) for _, k in right))
                or (any(_copied(k, other, own, words[1], n, ctx.units) for n, k in right)
                    and any(not _translated(k, words[0]) for _, k in left))):
            a = list(dict.fromkeys(a + [n for n, _ in left]))
            b = list(dict.fromkeys(b + [n for n, _ in right]))
    if not a and not b:
        return []
    return [Flag("name-mismatch", one_side_only(a, b), "error", tuple(a), tuple(b))]


def foreign(pair: Pair, ctx: Context) -> list[Flag]:
    """Capitalised words of the other language that the other side lacks here (Thursday in
    an Italian sentence whose English has no Thursday): put in from elsewhere, not a
    translation. Needs the lexicon's word counts (``Context.vocabulary``) to tell a word's
    language."""
    if ctx.vocabulary is None:
        return []
    src, tgt, src_lang, tgt_lang = pair.src, pair.tgt, pair.src_lang, pair.tgt_lang
    own, other = ctx.vocabulary
    least = ctx.thresholds.foreign_min_count
    a = _foreign(src, src_lang, _view(tgt, tgt_lang, src_lang), own, other, ctx.src_names, least)
    b = _foreign(tgt, tgt_lang, _view(src, src_lang, tgt_lang), other, own, ctx.tgt_names, least)
    if not a and not b:
        return []
    message = one_side_only(a, b) + " (words of the other language)"
    return [Flag("foreign-word", message, "error", tuple(a), tuple(b))]


@dataclass(frozen=True, slots=True)
class _View:
    """The other side of a bead, as the name check looks for a name's counterpart in it."""

    lang: str
    words: frozenset[str]          # folded words
    glosses: frozenset[str]        # what its words stand for in the pair's lexicon, if any
    acronyms: frozenset[str]       # its abbreviations (UN, U.S., D.C.), letters sorted
    tokens: frozenset[str] = frozenset()   # its words as lexicon tokens


_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,5}\b")
_NAME_RUN = re.compile(r"[A-ZÀ-Ý][\w'’-]*(?:\s+(?:(?:di|del|della|dei|degli|delle|dello|of|the|"
                       r"and|de|du|des|der|von)\s+)?[A-ZÀ-Ý][\w'’-]*)+")


@lru_cache(maxsize=32_768)
def _view(text: str, lang: str, other_lang: str) -> _View:
    """The side ``text`` as seen from the other one (cached for every bead of a long document:
    the name habits of the document and the check of each bead look at the same sides)."""
    words = _folded_words(text)
    glossed = frozenset().union(*(hand.pivot(w, lang, other_lang) for w in words))
    acronyms = frozenset("".join(sorted(m.group(0).replace(".", "").lower()))
                         for m in _ACRONYM.finditer(text))
    return _View(lang, frozenset(words), glossed, acronyms, frozenset(token(w) for w in words))


def _unmatched_names(text: str, lang: str, other: _View, initial: bool = False,
                     names: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """``_unmatched`` for the names of ``text`` (``names``: these instead), cached: the name
    habits, the missing names and the swaps of a bead ask the same question."""
    if names is not None:
        return _unmatched(text, lang, other, initial, names)
    return list(_unmatched_cached(text, lang, other, initial))


@lru_cache(maxsize=32_768)
def _unmatched_cached(text: str, lang: str, other: _View, initial: bool
                      ) -> tuple[tuple[str, str], ...]:
    return tuple(_unmatched(text, lang, other, initial, None))


def _unmatched(text: str, lang: str, other: _View, initial: bool,
               names: list[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """The names of ``text`` with no counterpart in the other side: not there as they are, nor
    as a cognate, a gloss (Cina / China, Giochi / Games) or an acronym of the run of
    capitalised words they belong to (Nazioni Unite / UN, Distretto della Columbia / D.C.)."""
    abbreviated: set[str] = set()
    for run in _NAME_RUN.finditer(text) if other.acronyms else ():
        caps = [w for w in run.group(0).split() if w[:1].isupper()]
        for i in range(len(caps)):
            for j in range(i + 2, min(len(caps), i + 5) + 1):
                if "".join(sorted(w[0].lower() for w in caps[i:j])) in other.acronyms:
                    abbreviated.update(_key(w) for w in caps[i:j])
    words = bilingual.for_pair(lang, other.lang)
    out = []
    for name, key in _names_in(text, initial=initial) if names is None else names:
        if key in abbreviated or _known(key, other.words):
            continue
        if other.glosses and hand.pivot(key, lang, other.lang) & other.glosses:
            continue
        if words is not None and words[0].get(token(key), frozenset()) & other.tokens:
            continue                   # a dictionary translation is there (Natale / Christmas)
        out.append((name, key))
    return out


# Weekdays and months are capitalised in English and German, not in Italian or French: not
# names (months are compared as numbers).
_CALENDAR = frozenset(MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag",
    "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"}


def _key(name: str) -> str:
    """A name as the checks compare it: folded, without a possessive or elided ending
    (Agustin’s = agustin, Dell'Orto = dell)."""
    return fold(name.split("'")[0].split("’")[0])


def _title_case(text: str) -> bool:
    """A headline in title case, where capitals say nothing about names."""
    words = tokens(text)
    return len(words) >= 4 and sum(w[:1].isupper() for w in words) > 0.6 * len(words)


@lru_cache(maxsize=65_536)
def _names_in(text: str, initial: bool = False) -> tuple[tuple[str, str], ...]:
    """(name as written, folded key) for capitalised words that do not start a sentence
    (``initial``: those that do too). Cached: the name habits, the missing names and the
    swaps of a bead read the same texts."""
    if _title_case(text):
        return ()                                  # A Headline In Title Case: no evidence
    out = []
    for m in _CAPITAL.finditer(text):
        if not initial and _SENTENCE_START.search(text[:m.start(1)]):
            continue                                   # sentence-initial capital: not a name
        name = m.group(1)
        key = _key(name)
        if len(key) >= 3 and key.isalpha() and key not in FUNCTION_WORDS and (
                key not in _CALENDAR):
            out.append((name, key))
    return tuple(out)


def _missing_names(text: str, lang: str, other: _View, habits: dict[str, tuple[int, int, int]]
                   ) -> list[str]:
    """Names of ``text`` the other side lacks here but keeps elsewhere. A capitalised word that
    starts a sentence counts when the document writes it capitalised inside a sentence too
    (Agustin, Kovalev): a name by the document's own evidence, not an ordinary word."""
    here = {key for _, key in _names_in(text)}        # inside a sentence of this bead
    out = []
    for name, key in _unmatched_names(text, lang, other, initial=True):
        kept, missing, inside = habits.get(key, (0, 1, 0))
        if key not in here and not inside:
            continue                           # starts a sentence, never a name elsewhere
        if kept >= 1 and kept >= missing:      # kept more often than missed elsewhere
            out.append(name)
    return list(dict.fromkeys(out))


#: A text this short (a label, a menu entry: "Tue", "Set.") does not show which language it is
#: written in, so a word of the other language in it is no evidence of a word put in.
FOREIGN_MIN_WORDS = 3


def _foreign(text: str, lang: str, other: _View, own: Mapping[str, int],
             other_counts: Mapping[str, int], habits: dict[str, tuple[int, int, int]],
             least: int) -> list[str]:
    """Capitalised words of ``text`` (at a sentence's start too, weekdays and the other
    language's function words included) that belong to the other language and that the other
    side does not have here (Thursday, Still, That in an Italian sentence whose English
    counterpart has none of them): a word put in from elsewhere, not a translation. A foreign
    word the other side has is a copy, and matches; one the document uses in other beads too
    is its own vocabulary (a loanword, a name), and one in a run of capitalised words is part
    of a name (Don Sabas, Plan International)."""
    if _title_case(text) or len(text.split()) < FOREIGN_MIN_WORDS:
        return []            # A Headline In Title Case, a label ("Tue", "Set."): no evidence
    mine = set(STARTERS.get(base(lang), "").split())
    runs = {w for m in _NAME_RUN.finditer(text) for w in m.group(0).split()}
    candidates = []
    for m in _CAPITAL.finditer(text):
        name = m.group(1)
        key = _key(name)
        if len(key) >= 3 and key.isalpha() and key not in mine and name not in runs:
            kept, missing, _ = habits.get(key, (0, 1, 0))
            if kept + missing <= 1:
                candidates.append((name, key))
    found = [name for name, key in _unmatched_names(text, lang, other, names=candidates)
             if not own.get(token(key)) and other_counts.get(token(key), 0) >= least]
    return list(dict.fromkeys(found))


#: A translation unit of at most this many words a side is a label (a menu entry, a button),
#: whose first word is as likely a name as any other (``Context.units``; articles' short
#: lines, titles and bylines, keep the sentence rule: the divergence model was fitted so).
LABEL_WORDS = 6


def _swap_names(text: str, lang: str, other: _View, own: Mapping[str, int],
                other_counts: Mapping[str, int], dictionary: Mapping[str, frozenset[str]],
                habits: Mapping[str, tuple[int, int, int]], label: bool
                ) -> list[tuple[str, str]]:
    """The names of one side without a counterpart, as the swap rule weighs them: those inside
    a sentence, and in a unit of a translation file that is a label (``LABEL_WORDS``: "Django
    administration", "CSRF verification failed", where the name is often the first word)
    those that start it where nothing but a name can be meant: an acronym, or a word neither
    language's text uses that the other version writes alike elsewhere in the document
    (``habits``)."""
    inside = _unmatched_names(text, lang, other)
    if not label:
        return inside
    initial = [(n, k) for n, k in _unmatched_names(text, lang, other, initial=True)
               if (n, k) not in inside and (_acronym(n) or (
                   not own.get(token(k)) and not other_counts.get(token(k))
                   and not _translated(k, dictionary) and habits.get(k, (0, 0, 0))[0] >= 1))]
    return inside + initial


def _acronym(name: str) -> bool:
    """BIC, CSRF, ISBN-10: capitals (and a number), carried over as they are."""
    letters = name.split("-")[0]
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()


def _copied(key: str, own: Mapping[str, int], other: Mapping[str, int],
            dictionary: Mapping[str, frozenset[str]], name: str = "", units: bool = False
            ) -> bool:
    """A name that translations copy as it is (Corbyn, Xochimilco, Bologna; in a translation
    file's unit, ``units``, an acronym: MAC, BIC): not a word the dictionary translates into
    something else (Giustizia, Natale, Giava / Java), and, by the lexicon's training text,
    unknown to both languages or about as common in the other language as in its own."""
    if units and _acronym(name):
        return True
    if _translated(key, dictionary):
        return False
    t = token(key)
    a, b = own.get(t, 0), other.get(t, 0)
    return (a == 0 and b == 0) or min(a, b) >= COPIED_SHARE * max(a, b)


def _translated(key: str, dictionary: Mapping[str, frozenset[str]]) -> bool:
    """A word the dictionary translates into something other than itself (giustizia)."""
    t = token(key)
    return t in dictionary and t not in dictionary[t]


#: A name this common in the other language, against its own, is written alike in both.
COPIED_SHARE = 0.2


def _known(key: str, words: frozenset[str] | set[str]) -> bool:
    """The name, or a cognate of it, is there: MWP ~ MWPs, Pentagono ~ Pentagon, Parlamento ~
    Parliament, Cina ~ China, Corea ~ Korea, Messico ~ Mexico (same first 4 letters once
    spelling habits are levelled, or most letter trigrams in common)."""
    if key in words:
        return True
    grams = trigrams(key)
    skeleton = spelling(key)
    for w in words:
        if w[:1] != key[:1] and spelling(w)[:1] != skeleton[:1] and len(key) < 5:
            continue                               # no rule below can match
        if (w.startswith(key) and len(w) - len(key) <= 2) or (
                key.startswith(w) and len(w) >= 4 and len(key) - len(w) <= 2):
            return True
        other = spelling(w)
        if (min(len(skeleton), len(other)) >= 4 and skeleton[:4] == other[:4]
                and abs(len(skeleton) - len(other)) <= 2):  # Xochimilco is not "social"
            return True
        if len(key) >= 5 and len(w) >= 5 and dice(grams, trigrams(w)) >= 0.5:
            return True
    return False


def _folded_words(text: str) -> set[str]:
    return {fold(w) for w in tokens(text)}


def habits(pairs: list[tuple[str, str]], side: int, langs: tuple[str, str]
                 ) -> dict[str, tuple[int, int, int]]:
    """For each name of one side: in how many aligned beads the other side keeps it (or a
    cognate, gloss or acronym of it), in how many it does not, and in how many the name stands
    inside a sentence (not at its start). Names kept elsewhere (Holly, Truly) are worth
    flagging where they go missing; names always translated are not."""
    lang, other_lang = langs[side], langs[1 - side]
    habits: dict[str, list[int]] = {}
    for pair in pairs:
        text, other = pair[side], pair[1 - side]
        view = _view(other, other_lang, lang)
        missing = {k for _, k in _unmatched_names(text, lang, view, initial=True)}
        inside = {k for _, k in _names_in(text)}
        for key in {k for _, k in _names_in(text, initial=True)}:
            entry = habits.setdefault(key, [0, 0, 0])
            entry[1 if key in missing else 0] += 1
            entry[2] += key in inside
    return {k: (kept, missing, inside) for k, (kept, missing, inside) in habits.items()}
