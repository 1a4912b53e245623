"""The untranslated check: the target is the source text, or is written in the source language."""

from __future__ import annotations

from aligner.data import Flag
from aligner.diverge.context import Context, Pair
from aligner.text import language
from aligner.text.words import fold


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """The target is the source text, or is written in the source language.

    A line that is the same in both because it is all names and numbers (a sports result, a
    product name) or a quotation in a third language is not left untranslated: where the
    languages are known, the copy must read as the source language, by its function words.
    """
    src, tgt, src_lang, tgt_lang = pair.src, pair.tgt, pair.src_lang, pair.tgt_lang
    thresholds = ctx.thresholds
    if len(tgt) < thresholds.untranslated_min_chars:
        return []
    src_base, tgt_base = language.base(src_lang), language.base(tgt_lang)
    if src_base not in language.KNOWN or tgt_base not in language.KNOWN:
        if fold(src).split() == fold(tgt).split():
            return [Flag("untranslated", "the target repeats the source text", "error")]
        return []
    used = {lang: len(words) for lang, words in language.function_words(tgt).items()}
    best_other = max(v for lang, v in used.items() if lang != src_base)
    reads_as_source = used[src_base] > best_other
    if fold(src).split() == fold(tgt).split():
        if reads_as_source:
            return [Flag("untranslated", "the target repeats the source text", "error")]
        return []
    if reads_as_source and used[src_base] >= thresholds.untranslated_min_words and (
            used[tgt_base] * 3 <= used[src_base]):
        return [Flag("untranslated", f"the target reads as {src_lang}, not {tgt_lang} "
                     f"({used[src_base]} {src_lang} function words)", "error")]
    return []
