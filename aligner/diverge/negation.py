"""The negation check: one side says no where the other does not (is / is not, non / -).

A negation put in or dropped turns a sentence's meaning round while every word keeps its
counterpart, so neither the word evidence nor the length sees it. Translations also move and
rephrase negations (non ... mai = never; nessuno = nobody / anyone), so a disagreement is
evidence for the divergence model (a warning), not a verdict by itself: on faithful professional
translations about one 1-1 pair in twelve has a negation on one side only.
"""

from __future__ import annotations

import re

from aligner.data import Flag
from aligner.diverge.context import Context, Pair
from aligner.text.language import base

#: Words and endings that negate, by language (the languages the checks know).
NEGATIONS = {
    "it": r"non|mai|nessun[oa]?|niente|nulla|né|senza|neanche|nemmeno|neppure|affatto",
    "en": r"not|never|no|none|nothing|nobody|neither|nor|without|cannot|nowhere|\w+n't",
    "de": r"nicht|nie|niemals|kein[e]?[nmrs]?|nichts|niemand|ohne|weder",
    "fr": r"ne|n'|pas|jamais|aucun[e]?|rien|personne|sans|ni",
}
_PATTERNS = {lang: re.compile(rf"(?<![\w'’])(?:{words})(?![\w])", re.IGNORECASE)
             for lang, words in NEGATIONS.items()}


def negations(text: str, lang: str) -> list[str]:
    """The negating words of ``text`` (none for a language without a list)."""
    pattern = _PATTERNS.get(base(lang))
    return [m.group(0) for m in pattern.finditer(text.replace("’", "'"))] if pattern else []


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """A negation on one side and none on the other, where both languages have a list."""
    if base(pair.src_lang) not in _PATTERNS or base(pair.tgt_lang) not in _PATTERNS:
        return []
    a, b = negations(pair.src, pair.src_lang), negations(pair.tgt, pair.tgt_lang)
    if bool(a) == bool(b):
        return []
    side, words = ("source", a) if a else ("target", b)
    return [Flag("negation", f"only the {side} negates: {', '.join(dict.fromkeys(words))}",
                 "warning", tuple(a), tuple(b))]
