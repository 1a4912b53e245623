"""One calibrated decision per bead: the probability that its two sides say different things.

The checks (``aligner.diverge``) and the word-level evidence (``aligner.differences``) each see
one kind of difference, with thresholds of their own. A logistic model over their evidence
(which flags fired, the share of each side's content without a counterpart, how unusual the
length is against the document's own ratio, how weakly the bead matches) turns them into one
``divergence`` probability, fitted on ntrex-dev (news) and books-dev (literary) together by
``scripts/fit_divergence.py`` and checked on documents held out of the fit.

Every aligned bead carries the probability (``bead.divergence``, JSON ``divergence``), and it
decides the status: ``divergent`` when it reaches the model's threshold. Evidence in ``HARD``
(a number, placeholder or copy that differs) decides by itself. ``align(..., calibrated=False)``
keeps the checks' own decision (any flag of severity error). Held-out figures: README
"Quality".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from aligner.data import Bead, Document
from aligner.diverge import logistic
from aligner.diverge.differences import unmatched
from aligner.diverge.logistic import probability

MODEL = Path(__file__).resolve().parent / "divergence_model.json"

#: The evidence, in the order of the model's weights.
FEATURES = ("number", "name", "name_both", "placeholder", "untranslated", "length_flag",
            "length_z", "src_unmatched", "tgt_unmatched", "max_unmatched", "weak_match", "bias")
#: Evidence that decides by itself: a number, placeholder or copy that differs is a
#: divergence a reviewer must see, whatever else the bead looks like.
HARD = ("number", "placeholder", "untranslated")
# a word of the other language put in is a name check's kind of evidence (a separate feature
# for it fitted no better on held-out documents)
_FLAG_FEATURE = {"number-mismatch": "number", "name-mismatch": "name", "foreign-word": "name",
                 "placeholder": "placeholder", "untranslated": "untranslated",
                 "omission": "length_flag", "addition": "length_flag"}


def evidence(bead: Bead, source: Document, target: Document, ratio: float) -> list[float]:
    """The feature vector of an aligned bead (see FEATURES)."""
    f = dict.fromkeys(FEATURES, 0.0)
    missing = [False, False]                 # a name or a foreign word on each side
    for flag in bead.flags:
        name = _FLAG_FEATURE.get(flag.code)
        if name:
            f[name] = 1.0
        if flag.code in ("name-mismatch", "foreign-word"):
            missing = [missing[0] or bool(flag.source_terms), missing[1] or bool(flag.target_terms)]
    # a name missing on each side: one swapped for another
    f["name_both"] = float(all(missing))
    src, tgt = source.join(bead.source), target.join(bead.target)
    ls, lt = len(src), len(tgt) / ratio
    f["length_z"] = min(5.0, abs(lt - ls) / math.sqrt(6.8 * max((ls + lt) / 2, 1.0)))
    f["src_unmatched"] = _share(bead.source_differences, src)
    f["tgt_unmatched"] = _share(bead.target_differences, tgt)
    f["max_unmatched"] = max(f["src_unmatched"], f["tgt_unmatched"])
    f["weak_match"] = 1.0 - bead.score
    f["bias"] = 1.0
    return [f[k] for k in FEATURES]


def _share(spans: Sequence[tuple[int, int, float]], text: str) -> float:
    """Weighted words without a counterpart per word of the side (the lighter spans of words
    in a differing passage, ``differences.in_context``, do not count: they follow from these)."""
    words = max(1, len(text.split()))
    return min(1.0, sum(w for _, _, w in unmatched(spans)) / words)


@lru_cache(maxsize=1)
def model() -> tuple[tuple[float, ...], float] | None:
    """(weights, threshold) from divergence_model.json, or None when it is not there."""
    found = logistic.read(MODEL, FEATURES)
    return None if found is None else (found[0], float(found[1]["threshold"]))


def decide(beads: Sequence[Bead], source: Document, target: Document,
           fitted: tuple[tuple[float, ...], float] | None = None, set_status: bool = False
           ) -> tuple[Bead, ...]:
    """Each aligned bead with its ``divergence`` probability (1 for hard evidence); with
    ``set_status`` also ``divergent`` exactly when it reaches the threshold (the flags stay as
    evidence). Without a fitted model the beads are returned as the checks left them."""
    fitted = fitted or model()
    if fitted is None:
        return tuple(beads)
    weights, threshold = fitted
    pairs = [(source.join(b.source), target.join(b.target)) for b in beads if not b.is_null]
    src_chars = sum(len(s) for s, _ in pairs)
    tgt_chars = sum(len(t) for _, t in pairs)
    ratio = tgt_chars / src_chars if src_chars and tgt_chars else 1.0
    out = []
    for bead in beads:
        if bead.is_null:
            out.append(bead)
            continue
        x = evidence(bead, source, target, ratio)
        hard = any(x[FEATURES.index(n)] for n in HARD)
        p = 1.0 if hard else probability(x, weights)
        status = ("divergent" if p >= threshold else "aligned") if set_status else bead.status
        out.append(replace(bead, divergence=round(p, 4), status=status))
    return tuple(out)
