"""The divergence checks: every registered check on every aligned bead, then the document-level
adequacy check. The checks gather evidence (flags); the decision (``aligner.diverge.decision``)
sets each bead's status.

The registry ``CHECKS`` is the order in which the checks run and their flags appear. A check
is a ``(Pair, Context) -> list[Flag]`` function (``aligner.diverge.context``); what it needs of
the whole document (its length ratio, which names it keeps) is in the context, built once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from aligner import parallel
from aligner.data import Bead, Document, Flag
from aligner.diverge import (
    adequacy,
    extra,
    length,
    names,
    negation,
    numbers,
    placeholders,
    untranslated,
)
from aligner.diverge.context import DEFAULT, Check, Context, Pair, Thresholds
from aligner.lexicon import bilingual

#: The checks of an aligned bead, by name, in the order their flags appear.
CHECKS: tuple[tuple[str, Check], ...] = (
    ("untranslated", untranslated.check),
    ("placeholder", placeholders.check),
    ("number", numbers.check),
    ("name", names.check),
    ("foreign", names.foreign),
    ("length", length.check),
    ("negation", negation.check),
)


def check_all(beads: Sequence[Bead], source: Document, target: Document,
              thresholds: Thresholds = DEFAULT, adequacy_scores: dict[int, float] | None = None,
              vocabulary: tuple[Mapping[str, int], Mapping[str, int]] | None = None,
              skip: Collection[str] = (), units: bool = False) -> tuple[Bead, ...]:
    """Every bead with its flags (extra beads also with their status).

    ``adequacy_scores``: bead index -> the model's (dual conditional) cross-entropy of the
    pair, when MarianMT scored it; beads far above the document's median get ``low-adequacy``.
    ``vocabulary``: the source and the target language's word counts in the learned lexicon's
    training text (``Context.vocabulary``), which tell a word of the other language.
    ``skip``: names of ``CHECKS`` not to run (``Context.skip``); ``units``: the beads are a
    translation file's units (``Context.units``).
    """
    pairs = [(source.join(b.source), target.join(b.target)) for b in beads if not b.is_null]
    src_chars = sum(len(s) for s, _ in pairs)
    tgt_chars = sum(len(t) for _, t in pairs)
    langs = (source.lang, target.lang)
    ratio = tgt_chars / src_chars if src_chars and tgt_chars else 1.0
    if parallel.can_fork(len(beads)):
        checked = _check_in_two(beads, source, target, thresholds, pairs, ratio, vocabulary,
                                frozenset(skip), units)
    else:
        ctx = Context(thresholds, ratio, names.habits(pairs, 0, langs),
                      names.habits(pairs, 1, langs), extra.texts(source), extra.texts(target),
                      vocabulary, frozenset(skip), units)
        checked = tuple(check(b, source, target, thresholds, ctx) for b in beads)
    return adequacy.flag(checked, adequacy_scores, thresholds)


def check(bead: Bead, source: Document, target: Document, thresholds: Thresholds = DEFAULT,
          ctx: Context | None = None) -> Bead:
    """The bead with its flags (``ctx``: the document's, else this bead's)."""
    src, tgt = source.join(bead.source), target.join(bead.target)
    if bead.is_null:
        texts = ((ctx.src_texts if bead.source else ctx.tgt_texts) if ctx is not None
                 else None) or extra.texts(source if bead.source else target)
        return replace(bead, status="extra", divergence=1.0,
                       flags=extra.reasons(bead, source, target, texts))
    if ctx is None:
        langs = (source.lang, target.lang)
        ctx = Context(thresholds, 1.0, names.habits([(src, tgt)], 0, langs),
                      names.habits([(src, tgt)], 1, langs))
    pair = Pair(src, tgt, source.lang, target.lang)
    found = [_named(flag, bead, source, target)
             for name, run in CHECKS if name not in ctx.skip for flag in run(pair, ctx)]
    if bead.score < thresholds.low_similarity and not found:
        found.append(Flag("low-similarity",
                          f"the two sides match weakly (score {bead.score:.2f})", "warning"))
    return replace(bead, flags=tuple(found))


def _named(flag: Flag, bead: Bead, source: Document, target: Document) -> Flag:
    """An omission or addition flag that names the words the other side lacks: the bead's
    words without a counterpart, as the word evidence (``differences.mark``, run before the
    checks) found them."""
    if flag.code == "omission" and bead.source_differences:
        words = [source.text[x.start:x.end] for x in bead.source_differences]
        return replace(flag, message=f"{flag.message}; not in the target: {', '.join(words)}")
    if flag.code == "addition" and bead.target_differences:
        words = [target.text[x.start:x.end] for x in bead.target_differences]
        return replace(flag, message=f"{flag.message}; not in the source: {', '.join(words)}")
    return flag


def _check_in_two(beads: Sequence[Bead], source: Document, target: Document,
                  thresholds: Thresholds, pairs: list[tuple[str, str]], ratio: float,
                  vocabulary: tuple[Mapping[str, int], Mapping[str, int]] | None,
                  skip: frozenset[str] = frozenset(), units: bool = False
                  ) -> tuple[Bead, ...]:
    """check_all's work in two forked processes: one side's name habits each, then half the
    beads each."""
    langs = (source.lang, target.lang)
    if vocabulary is not None:
        # the name checks' dictionary, read before the fork (a third of a second): both
        # workers inherit it (in the pipeline the word evidence has read it already)
        bilingual.for_pair(*langs)
    habits = parallel.calls(names.habits, [(pairs, 0, langs), (pairs, 1, langs)], fork=True)
    ctx = Context(thresholds, ratio, habits[0], habits[1], extra.texts(source),
                  extra.texts(target), vocabulary, skip, units)
    return tuple(parallel.halves(
        lambda start, end: [check(b, source, target, thresholds, ctx) for b in beads[start:end]],
        len(beads)))
