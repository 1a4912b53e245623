"""The length check: one side carries content the other lacks (an omission or an addition)."""

from __future__ import annotations

import math

from aligner.data import Flag
from aligner.diverge.context import Context, Pair
from aligner.lexicon import hand
from aligner.text.words import TOKEN, fold, tokens


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """One side carries content the other lacks.

    Two signs: the side is much shorter than the other predicts (``length_ratio``), or it is
    somewhat shorter (``tail_length_ratio``) and the other side ends with words that have no
    counterpart here while this side's own end has one (a dropped final clause, a truncated
    translation). Counterparts are words, cognates and, where the project has a lexicon for
    the pair, glosses (``aligner.lexicon.hand``).
    """
    src, tgt, src_lang, tgt_lang, th = (pair.src, pair.tgt, pair.src_lang, pair.tgt_lang,
                                        ctx.thresholds)
    expected_tgt = len(src) * ctx.ratio
    expected_src = len(tgt) / ctx.ratio
    short_tgt = expected_tgt - len(tgt) >= th.length_min_chars
    short_src = expected_src - len(src) >= th.length_min_chars
    # Length alone speaks only where the difference is unlikely for sentences of this size
    # (Gale-Church: the spread of a translation's length grows with the square root of the
    # length), so a terse short string and its wordier translation are not a divergence.
    mean = (len(src) + len(tgt) / ctx.ratio) / 2
    unusual = abs(len(tgt) / ctx.ratio - len(src)) >= th.length_z * math.sqrt(
        _LENGTH_VARIANCE * max(mean, 1.0))
    if short_tgt and unusual and len(tgt) < th.length_ratio * expected_tgt:
        return [Flag("omission", f"the target is {len(tgt)} characters where the source "
                     f"predicts about {expected_tgt:.0f}: content missing in the target",
                     "error")]
    if short_src and unusual and len(src) < th.length_ratio * expected_src:
        return [Flag("addition", f"the target is {len(tgt)} characters where the source "
                     f"predicts about {expected_tgt:.0f}: content added in the target "
                     "(or missing in the source)", "error")]
    if short_tgt and len(tgt) < th.tail_length_ratio * expected_tgt:
        tail = _unmatched_tail(src, src_lang, tgt, tgt_lang, th.tail_min_words)
        if tail:
            return [Flag("omission", f"the end of the source has no counterpart in the target: "
                         f"\u201c{tail}\u201d", "error", (tail,), ())]
    if short_src and len(src) < th.tail_length_ratio * expected_src:
        tail = _unmatched_tail(tgt, tgt_lang, src, src_lang, th.tail_min_words)
        if tail:
            return [Flag("addition", f"the end of the target has no counterpart in the source: "
                         f"\u201c{tail}\u201d", "error", (), (tail,))]
    return []


_LENGTH_VARIANCE = 6.8          # Gale and Church's variance of characters per character


def _unmatched_tail(longer: str, longer_lang: str, shorter: str, shorter_lang: str,
                    min_words: int) -> str | None:
    """The end of ``longer`` from its last word with a counterpart in ``shorter``, when at least
    ``min_words`` words there have none and ``shorter`` ends with a word that has one."""
    spans = list(TOKEN.finditer(longer))
    words = [fold(m.group(0)) for m in spans]
    others = [fold(w) for w in tokens(shorter)]
    mine = hand.counterparts(words, longer_lang, others, shorter_lang)
    if _trailing_unmatched(hand.counterparts(others, shorter_lang, words, longer_lang))[0]:
        return None                        # both ends differ: a rewording, not a cut
    run, start = _trailing_unmatched(mine)
    if run < min_words:
        return None
    return longer[spans[start].start():].strip()


def _trailing_unmatched(found: list[bool | None]) -> tuple[int, int]:
    """How many judged words at the end have no counterpart, up to the last one that has, and
    the index of the first of them."""
    n, start = 0, len(found)
    for k in range(len(found) - 1, -1, -1):
        if found[k]:
            break
        if found[k] is False:
            n, start = n + 1, k
    return n, start
