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
    "it": r"non|no|mai|nessun[oa]?|niente|nulla|né|senza|neanche|nemmeno|neppure|affatto",
    "en": r"not|never|no|none|nothing|nobody|neither|nor|without|cannot|nowhere|\w+n't",
    "de": r"nicht|nie|niemals|kein[e]?[nmrs]?|nichts|niemand|ohne|weder",
    "fr": r"ne|n'|pas|jamais|aucun[e]?|rien|personne|sans|ni",
}
#: Words that negate by their form (invalid = non valido, cannot = impossibile): a negation on
#: the other side may stand for one of them, but alone they are no evidence (inform, image).
LEXICAL = {
    "it": r"impossibile|(?:in|im|il|ir|dis)\w{3,}(?:abile|ibile|ido|ida|idi|ide|etto|etta|etti"
          r"|ette|uto|uta|uti|ute|ato|ata|ati|ate|ente|enti)|sconosciut[oaie]",
    "en": r"(?:in|un|im|il|ir|dis|non)\w{3,}(?:able|ible|id|ed|ct|ete|own|ent|ant|ful|ual)"
          r"|\w{3,}less|unable|impossible|fails?|failed",
    "de": r"un\w{4,}|\w{3,}los",
    "fr": r"(?:in|im|il|ir|dés)\w{3,}(?:able|ible|ide|ct|ent|ant)|impossible",
}


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'’])(?:{words})(?![\w])", re.IGNORECASE)


_PATTERNS = {lang: _pattern(words) for lang, words in NEGATIONS.items()}
_LEXICAL = {lang: _pattern(words) for lang, words in LEXICAL.items()}


def negations(text: str, lang: str) -> list[str]:
    """The negating words of ``text`` (none for a language without a list)."""
    pattern = _PATTERNS.get(base(lang))
    return [m.group(0) for m in pattern.finditer(text.replace("’", "'"))] if pattern else []


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """A negation on one side and none on the other (not even one in a word's form:
    invalid / non valido), where both languages have a list. A negating word both sides
    write alike ("No" / "No") is one negation each."""
    if base(pair.src_lang) not in _PATTERNS or base(pair.tgt_lang) not in _PATTERNS:
        return []
    a, b = negations(pair.src, pair.src_lang), negations(pair.tgt, pair.tgt_lang)
    if bool(a) == bool(b):
        return []
    copied = ({w.lower() for w in a} & set(re.findall(r"\w+", pair.tgt.lower()))) | (
        {w.lower() for w in b} & set(re.findall(r"\w+", pair.src.lower())))
    if copied:
        return []
    other = (pair.tgt, pair.tgt_lang) if a else (pair.src, pair.src_lang)
    lexical = _LEXICAL.get(base(other[1]))
    if lexical is not None and lexical.search(other[0].replace("’", "'")):
        return []
    side, words = ("source", a) if a else ("target", b)
    return [Flag("negation", f"only the {side} negates: {', '.join(dict.fromkeys(words))}",
                 "warning", tuple(a), tuple(b))]
