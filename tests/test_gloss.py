"""Word glosses: the it-en lexicon puts both sides in one vocabulary; other pairs get none."""

from __future__ import annotations

from aligner import score
from aligner.lexicon import hand
from aligner.pipeline import from_sentences


def test_glosses_meet_in_the_english_stems() -> None:
    it = hand.features(["sei", "guardie", "ferite", "ieri"], "it", "en")
    en = hand.features(["six", "guards", "injured", "yesterday", "zebra"], "en", "it")
    assert {"~guard", "~injur", "~yesterday"} <= set(it) & set(en)
    assert "~zebra" not in en                       # only words the lexicon knows
    assert abs(sum(v for f, v in it.items() if f in {"~hurt", "~injur", "~injury", "~wound"})
               - 1.0) < 1e-9                        # one word, one unit of weight


def test_pairs_without_a_lexicon_get_no_glosses() -> None:
    assert hand.has_lexicon("it", "en") and hand.has_lexicon("en-GB", "it")
    assert not hand.has_lexicon("de", "fr")
    assert not hand.features(["haus"], "de", "fr")
    assert score.lexical_params("de", "fr") is score.LEXICAL
    assert score.lexical_params("it", "en") is score.GLOSSED


def test_glosses_tell_a_translation_without_cognates_from_an_unrelated_sentence() -> None:
    # No word of the Italian is a cognate of the English: without glosses the model-free
    # scorer cannot tell the translation from an unrelated sentence; with them it can.
    it = from_sentences(["Nessuno poteva credere a quello che stava accadendo, ieri sera."], "it")
    en = from_sentences(["Nobody could believe what was happening last night.",
                         "Her decision to pull out left everyone involved stunned."], "en")

    def scores(other_it: str | None, other_en: str | None) -> list[float]:
        bead_scorer = score.scorer(score.lexical_side(it, other_it),
                                   score.lexical_side(en, other_en), score.GLOSSED)
        return [bead_scorer.score((0,), (j,)) for j in (0, 1)]

    translation, unrelated = scores("en", "it")
    assert translation > unrelated + 0.1
    translation, unrelated = scores(None, None)
    assert abs(translation - unrelated) < 0.05
