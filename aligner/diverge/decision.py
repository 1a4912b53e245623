"""One decision per bead: the probability that its two sides say different things, and its status.

The checks (``aligner.diverge.stage``) and the word evidence (``aligner.diverge.differences``)
only gather evidence; nothing before this module sets a bead's status. Each flag code is one
feature of a logistic model, beside how unusual the bead's length is against the document's own
ratio, the share of each side's words without a counterpart and how weakly the bead matches.
The model, fitted on the even documents of ntrex-dev, books-dev and probes-dev by
``scripts/fit_divergence.py`` (``make fit``), is read from ``divergence_model.json``, which
names the features it weighs.

Two kinds of evidence decide by themselves (probability 1):

- ``HARD``: a number, a placeholder or a copy that differs is a divergence a reviewer must
  see, whatever else the bead looks like (a swapped name is not: on the dev sets fewer than
  half the beads with a name missing on each side hold a real swap, the rest are names
  translated or spelt another way, Giava / Java);
- an error flag whose code the model has no weight for: a check added to the registry after the
  model was fitted (or one of the user's own) changes the decision until ``make fit`` weighs it.

A warning (``low-similarity``, ``negation``...) whose code the model does not know is shown,
not weighed. With ``calibrated=False`` the checks' own rule decides instead: a bead with an
error flag is divergent, and its ``divergence`` is still the model's probability.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from aligner.data import Bead, Document, Span
from aligner.diverge import logistic
from aligner.diverge.differences import tail_share, unmatched

MODEL = Path(__file__).resolve().parent / "divergence_model.json"
#: The same model fitted with a sentence encoder's evidence (``semantic_deficit``), used where
#: the beads carry it (``align(..., semantic=...)``): ``fit_divergence.py --semantic use``.
MODEL_SEMANTIC = MODEL.with_name("divergence_model.semantic.json")

#: Evidence measured on every aligned bead, whatever flags it has.
MEASURES = ("length_z", "src_unmatched", "tgt_unmatched", "max_unmatched", "src_tail",
            "tgt_tail", "weak_match")
#: A name flag with a name missing on each side: one name put for another.
NAME_SWAP = "name-swap"
#: Evidence that decides by itself (see the module's docstring).
HARD = ("number-mismatch", "placeholder", "untranslated")
#: Gale and Church's variance of a translation's characters per character (their paper's
#: estimate; the scorer's length term uses the same figure, ``aligner.score``).
LENGTH_VARIANCE = 6.8


@dataclass(frozen=True, slots=True)
class Model:
    """A fitted decision model: the features it weighs (flag codes, then measures, then the
    bias), their weights and the probability at which a bead is divergent."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    threshold: float

    def probability(self, x: Sequence[float]) -> float:
        return logistic.probability(x, self.weights)


def evidence(bead: Bead, source: Document, target: Document, ratio: float,
             features: Sequence[str], semantic_median: float | None = None) -> list[float]:
    """The bead's value of each feature: 1 for a flag code it carries, the measures as they
    are, 1 for the bias; with an encoder, ``semantic_deficit``: how much less close in meaning
    its sides are than the document's median bead (``semantic_median``)."""
    codes = codes_of(bead)
    src, tgt = source.join(bead.source), target.join(bead.target)
    ls, lt = len(src), len(tgt) / ratio
    measured = {
        "length_z": min(5.0, abs(lt - ls) / math.sqrt(LENGTH_VARIANCE * max((ls + lt) / 2, 1.0))),
        "src_unmatched": _share(bead.source_differences, src),
        "tgt_unmatched": _share(bead.target_differences, tgt),
        "src_tail": tail_share(source, bead.source, bead.source_differences),
        "tgt_tail": tail_share(target, bead.target, bead.target_differences),
        "weak_match": 1.0 - bead.score,
        "bias": 1.0,
        "semantic_deficit": 0.0 if bead.semantic is None or semantic_median is None
        else max(0.0, semantic_median - bead.semantic),
    }
    measured["max_unmatched"] = max(measured["src_unmatched"], measured["tgt_unmatched"])
    return [measured[f] if f in measured else float(f in codes) for f in features]


def codes_of(bead: Bead) -> set[str]:
    """The bead's flag codes, with ``NAME_SWAP`` where names are missing on each side."""
    codes = {f.code for f in bead.flags}
    names = [f for f in bead.flags if f.code in ("name-mismatch", "foreign-word")]
    if any(f.source_terms for f in names) and any(f.target_terms for f in names):
        codes.add(NAME_SWAP)
    return codes


def hard(bead: Bead, model: Model | None) -> bool:
    """Evidence that decides by itself: a ``HARD`` code, or an error flag the model cannot
    weigh."""
    known = set(model.features) if model is not None else set()
    return bool(codes_of(bead) & set(HARD)) or any(
        f.severity == "error" and f.code not in known for f in bead.flags)


def _share(spans: Sequence[Span], text: str) -> float:
    """Words without a counterpart, weighed by their rarity, per word of the side."""
    words = max(1, len(text.split()))
    return min(1.0, sum(x.weight for x in unmatched(spans)) / words)


def read_model(path: Path) -> Model | None:
    """The model at ``path``, or None when it is missing or weighs a measure this code does
    not compute (a stale file never weighs the wrong evidence)."""
    found = logistic.read(path, None)
    if found is None:
        return None
    weights, data = found
    features = tuple(data["features"])
    if features[-1] != "bias" or len(features) != len(weights):
        return None
    return Model(features, weights, float(data["threshold"]))


@lru_cache(maxsize=1)
def files_digest() -> str:
    """A digest of every file the checks, the decision and the word weights read (the fitted
    models, the glosses, the dictionaries): the report's signature names it, so that two
    reports made with different evidence files never look comparable."""
    from aligner.diverge import differences
    from aligner.lexicon import bilingual, hand

    h = hashlib.sha256()
    for path in sorted({MODEL, differences.WORD_MODEL, *hand.files(),
                        *(p for d in bilingual.DIRS if d.is_dir() for p in d.glob("*.tsv.gz"))}):
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=2)
def model(semantic: bool = False) -> Model | None:
    """The shipped model (``MODEL``; with ``semantic``, ``MODEL_SEMANTIC`` where it exists)."""
    if semantic and MODEL_SEMANTIC.is_file():
        return read_model(MODEL_SEMANTIC)
    return read_model(MODEL)


def semantic_median(beads: Sequence[Bead]) -> float | None:
    """The median semantic match of a document's aligned beads (None without an encoder)."""
    values = sorted(b.semantic for b in beads if b.semantic is not None and not b.is_null)
    return values[len(values) // 2] if values else None


def document_ratio(beads: Sequence[Bead], source: Document, target: Document) -> float:
    """Target characters per source character over the aligned beads: what the length
    evidence compares each bead with."""
    src = sum(len(source.join(b.source)) for b in beads if not b.is_null)
    tgt = sum(len(target.join(b.target)) for b in beads if not b.is_null)
    return tgt / src if src and tgt else 1.0


def decide(beads: Sequence[Bead], source: Document, target: Document,
           fitted: Model | None = None, calibrated: bool = True) -> tuple[Bead, ...]:
    """Every aligned bead with its ``divergence`` probability (1 for evidence that decides by
    itself) and its status: ``divergent`` at the model's threshold, or, with ``calibrated``
    False or no model, wherever a flag is an error. Extra beads are returned as they are."""
    median = semantic_median(beads)
    fitted = fitted or model(semantic=median is not None)
    ratio = document_ratio(beads, source, target)
    out = []
    for bead in beads:
        if bead.is_null:
            out.append(bead)
            continue
        errors = any(f.severity == "error" for f in bead.flags)
        if fitted is None:
            p = 1.0 if errors else 0.0
        else:
            p = 1.0 if hard(bead, fitted) else fitted.probability(
                evidence(bead, source, target, ratio, fitted.features, median))
        divergent = p >= fitted.threshold if calibrated and fitted is not None else errors
        out.append(replace(bead, divergence=round(p, 4),
                           status="divergent" if divergent else "aligned"))
    return tuple(out)
