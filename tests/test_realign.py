"""Word associations learnt from a first alignment, for pairs without a lexicon."""

from __future__ import annotations

import random

from aligner import align, realign, score

GERMAN = ["Gipfel", "Hütte", "Gletscher", "Seil", "Nebel", "Felsen", "Grat", "Schnee",
          "Lawine", "Führer", "Wand", "Biwak", "Abstieg", "Aufstieg", "Sturm", "Kamin", "Rinne",
          "Pickel", "Steigeisen", "Haken"]
FRENCH = ["sommet", "cabane", "glacier", "corde", "brouillard", "rocher", "arête", "neige",
          "avalanche", "guide", "paroi", "bivouac", "descente", "montée", "tempête", "cheminée",
          "couloir", "piolet", "crampons", "piton"]


def _pair(n: int, seed: int = 1) -> tuple[list[str], list[str]]:
    """n sentence pairs of words that translate each other, each with a number in common."""
    rng = random.Random(seed)
    src, tgt = [], []
    for k in range(n):
        idx = rng.sample(range(len(GERMAN)), 5)
        src.append(" ".join(GERMAN[i] for i in idx) + f" {k + 100} .")
        tgt.append(" ".join(FRENCH[i] for i in idx) + f" {k + 100} .")
    return src, tgt


def test_a_long_document_teaches_its_word_pairs() -> None:
    # Romansh-French: a pair the project has no lexicon for (German-French has one now)
    src, tgt = _pair(80)
    result = align(src, tgt, src_lang="rm", tgt_lang="fr", scorer="lexical")
    assert result.scorer.detail["learnt_associations"] >= 10
    assert [(b.source, b.target) for b in result.beads] == [((k,), (k,)) for k in range(80)]
    pairs = realign.associations(score.lexical_side(result.source),
                                 score.lexical_side(result.target), result.beads)
    assert ("=gipfel", "=sommet") in pairs and ("=gipfel", "=cabane") not in pairs


def test_short_documents_and_pairs_with_a_lexicon_learn_nothing() -> None:
    src, tgt = _pair(20)
    result = align(src, tgt, src_lang="rm", tgt_lang="fr", scorer="lexical")
    assert "learnt_associations" not in result.scorer.detail
    src, tgt = _pair(80)
    for a, b in (("it", "en"), ("de", "fr")):                   # pairs with a lexicon
        result = align(src, tgt, src_lang=a, tgt_lang=b, scorer="lexical")
        assert "learnt_associations" not in result.scorer.detail
