"""Divergence checks on aligned beads: what a QA reviewer must look at, with the evidence.

Each check is a small pure function of the two sides' texts; thresholds live in ``Thresholds``.
A bead with a flag of severity ``error`` gets the status ``divergent``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from aligner.data import Bead, Document, Flag
from aligner.lexicon import fold, numbers


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where each check fires.

    low_similarity: an aligned bead scoring under this (the DP's break-even is 0.5) is flagged.
    untranslated_min_chars: shorter identical pairs (names, numbers, "OK") are not flagged.
    """

    low_similarity: float = 0.55
    untranslated_min_chars: int = 20


DEFAULT = Thresholds()


def check(bead: Bead, source: Document, target: Document,
          thresholds: Thresholds = DEFAULT) -> Bead:
    """The bead with its flags and status set."""
    if bead.is_null:
        return replace(bead, status="extra", flags=())
    src = " ".join(source.sentences[i].text for i in bead.source)
    tgt = " ".join(target.sentences[j].text for j in bead.target)
    flags: list[Flag] = []
    flags += _numbers(src, source.lang, tgt, target.lang)
    flags += _untranslated(src, tgt, thresholds)
    if bead.score < thresholds.low_similarity and not flags:
        flags.append(Flag("low-similarity",
                          f"the two sides match weakly (score {bead.score:.2f})", "warning"))
    status = "divergent" if any(f.severity == "error" for f in flags) else "aligned"
    return replace(bead, status=status, flags=tuple(flags))


def check_all(beads: Sequence[Bead], source: Document, target: Document,
              thresholds: Thresholds = DEFAULT) -> tuple[Bead, ...]:
    return tuple(check(b, source, target, thresholds) for b in beads)


def _numbers(src: str, src_lang: str, tgt: str, tgt_lang: str) -> list[Flag]:
    """Numbers whose value appears on one side only (1.500 it = 1,500 en; 15 miliardi = 15 bn)."""
    a = Counter(n.key for n in numbers(src, src_lang))
    b = Counter(n.key for n in numbers(tgt, tgt_lang))
    only_src = sorted((a - b).keys())
    only_tgt = sorted((b - a).keys())
    if not only_src and not only_tgt:
        return []
    shown_src = [n.text for n in numbers(src, src_lang) if n.key in only_src]
    shown_tgt = [n.text for n in numbers(tgt, tgt_lang) if n.key in only_tgt]
    parts = []
    if shown_src:
        parts.append("source only: " + ", ".join(shown_src))
    if shown_tgt:
        parts.append("target only: " + ", ".join(shown_tgt))
    return [Flag("number-mismatch", "; ".join(parts), "error")]


def _untranslated(src: str, tgt: str, thresholds: Thresholds) -> list[Flag]:
    if len(tgt) >= thresholds.untranslated_min_chars and fold(src).split() == fold(tgt).split():
        return [Flag("untranslated", "the target repeats the source text", "error")]
    return []
