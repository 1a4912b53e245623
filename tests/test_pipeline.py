"""The library end to end: the seeds pair, the JSON schema, the public API."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aligner import Alignment, Document, InputError, align, from_sentences, load

from .conftest import EN_002, IT_003


def bead_of(result: Alignment, side: str, text_start: str):
    doc = result.source if side == "source" else result.target
    idx = next(k for k, s in enumerate(doc.sentences) if s.text.startswith(text_start))
    return next(b for b in result.beads if idx in (b.source if side == "source" else b.target))


def test_every_sentence_in_exactly_one_bead(seeds_alignment: Alignment) -> None:
    src = [i for b in seeds_alignment.beads for i in b.source]
    tgt = [j for b in seeds_alignment.beads for j in b.target]
    assert src == list(range(len(seeds_alignment.source)))
    assert tgt == list(range(len(seeds_alignment.target)))


def test_seeds_title_aligns_with_one_copy(seeds_alignment: Alignment) -> None:
    title = bead_of(seeds_alignment, "source", "Il cloud vola nello spazio")
    assert len(title.source) == 1 and len(title.target) == 1
    copies = [k for k, s in enumerate(seeds_alignment.target.sentences)
              if s.text.startswith("The cloud flies into space")]
    assert len(copies) == 2
    other = next(c for c in copies if c not in title.target)
    extra = next(b for b in seeds_alignment.beads if other in b.target)
    assert extra.source == () and extra.status == "extra"


def test_seeds_caption_and_next_sentence_join(seeds_alignment: Alignment) -> None:
    bead = bead_of(seeds_alignment, "source", "Un’antenna per ricevere")
    src = [seeds_alignment.source.sentences[i].text for i in bead.source]
    tgt = [seeds_alignment.target.sentences[j].text for j in bead.target]
    assert len(src) == 2 and src[1].startswith("Microsoft vuole portare")
    assert len(tgt) == 1 and tgt[0].startswith("An antenna to receive")


def test_seeds_body_is_one_to_one_and_boilerplate_is_extra(seeds_alignment: Alignment) -> None:
    caption = bead_of(seeds_alignment, "source", "Un’antenna per ricevere")
    body = [b for b in seeds_alignment.beads
            if b.source and b.source[0] > caption.source[-1] and b.target]
    assert len(body) >= 9
    assert all(b.kind == "1-1" for b in body)
    # Both sides have 14 sentences: the Italian caption joins the next sentence, the English
    # title is doubled, so from there on Italian sentence k translates English sentence k.
    assert [b.source for b in body] == [b.target for b in body]
    fonte = bead_of(seeds_alignment, "source", "Fonte : Wired")
    powered = bead_of(seeds_alignment, "target", "Powered by Blogger.")
    assert fonte.target == () and powered.source == ()


def test_seeds_have_no_false_number_mismatch(seeds_alignment: Alignment) -> None:
    codes = [f.code for b in seeds_alignment.beads for f in b.flags]
    assert "number-mismatch" not in codes


def test_changed_number_is_flagged() -> None:
    result = align(["Il progetto costa 1.500 euro e durerà 3,5 anni."],
                   ["The project costs 2,500 euros and will last 3.5 years."], scorer="lexical")
    (bead,) = result.beads
    assert bead.status == "divergent"
    assert [f.code for f in bead.flags] == ["number-mismatch"]
    assert "1.500" in bead.flags[0].message and "2,500" in bead.flags[0].message


def test_json_schema(seeds_alignment: Alignment) -> None:
    data = json.loads(seeds_alignment.to_json())
    assert data["schema"] == "aligner/alignment/1"
    assert set(data) == {"schema", "source", "target", "scorer", "beads", "summary",
                         "signature"}
    assert data["source"]["lang"] == "it" and data["target"]["lang"] == "en"
    assert data["source"]["path"].endswith("003_0d1d48a6166cc69a.txt")
    s0 = data["source"]["sentences"][0]
    assert {"text", "paragraph", "start", "end"} <= set(s0) <= {
        "text", "paragraph", "start", "end", "differences", "difference_kinds"}
    assert data["scorer"]["name"] == "lexical"
    for bead in data["beads"]:
        null = not bead["source"] or not bead["target"]
        assert set(bead) == {"source", "target", "score", "status", "flags", "divergence"}
        assert 0.0 <= bead["divergence"] <= 1.0 and (not null or bead["divergence"] == 1.0)
        assert null == any(f["code"] == "extra" for f in bead["flags"])
        assert 0.0 <= bead["score"] <= 1.0
        assert bead["status"] in {"aligned", "extra", "divergent"}
        assert (bead["status"] == "extra") == (not bead["source"] or not bead["target"])
    summary = data["summary"]
    assert summary["extra_target_sentences"] == 2 and summary["extra_source_sentences"] == 1


def test_library_accepts_documents_and_sentence_lists() -> None:
    src = load(IT_003, "it")
    assert isinstance(src, Document)
    result = align(src, ["Una frase."], scorer="lexical")
    assert result.target.sentences[0].text == "Una frase."
    assert from_sentences(["a", "b"], "en").sentences[1].start == 2


def test_translations_with_wrong_count_is_an_error(tmp_path) -> None:
    mt = tmp_path / "mt.txt"
    mt.write_text("one line\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 translations for 14 source sentences"):
        align(IT_003, EN_002, translations=mt)


def test_translations_file_scores_in_the_target_language(tmp_path) -> None:
    src = ["Il gatto dorme sul divano.", "Piove da tre giorni a Milano.", "Fine."]
    tgt = ["It has been raining in Milan for three days.", "The cat sleeps on the sofa.",
           "The end."]
    mt = ["The cat sleeps on the couch.", "It has been raining in Milan for three days.",
          "End."]
    result = align(src, tgt, translations=mt)
    assert result.scorer.name == "translation"
    # The first two sentences swapped places: the monotonic answer is one 2-2 bead.
    assert [(b.source, b.target) for b in result.beads] == [((0, 1), (0, 1)), ((2,), (2,))]


def test_reverse_translations_score_in_the_source_language(tmp_path) -> None:
    src = ["Il gatto dorme sul divano.", "Piove da tre giorni a Milano e le scuole della "
           "provincia resteranno chiuse almeno fino a lunedì prossimo, ha detto il prefetto.",
           "Il sindaco ha inaugurato la nuova biblioteca.", "Fine."]
    tgt = ["The cat sleeps on the sofa.", "The mayor opened the new library.", "The end."]
    # The target lacks the second sentence: the reverse translations say which one.
    rev = ["Il gatto dorme sul divano.", "Il sindaco ha aperto la nuova biblioteca.", "La fine."]
    expected = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    result = align(src, tgt, reverse_translations=rev)
    assert [(b.source, b.target) for b in result.beads] == expected
    assert result.scorer.detail["directions"] == ["reverse"]
    # both directions: the forward translations agree, and the result is the same
    mt = ["The cat sleeps on the couch.", "It has been raining in Milan for three days and "
          "the schools of the province will stay closed until next Monday, the prefect said.",
          "The mayor inaugurated the new library.", "End."]
    both = align(src, tgt, translations=mt, reverse_translations=rev)
    assert [(b.source, b.target) for b in both.beads] == expected
    assert both.scorer.detail["directions"] == ["forward", "reverse"]
    bad = tmp_path / "rev.txt"
    bad.write_text("una riga\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 translations for 3 target sentences"):
        align(src, tgt, reverse_translations=bad)


@pytest.mark.parametrize("semantic", ["off", "hashed"])
def test_model_free_path_never_imports_torch_or_transformers(semantic: str) -> None:
    """Nor does the sentence encoders' path (numpy only)."""
    import subprocess
    import sys

    code = ("import sys; from aligner import align; "
            f"align({str(IT_003)!r}, {str(EN_002)!r}, scorer='lexical', semantic={semantic!r}); "
            "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_translation_that_passed_the_source_through_is_left_to_the_other_views() -> None:
    from aligner import score
    from aligner.lexicon import for_pair
    from aligner.views import combined

    assert score.passed_through("Der Hund schläft auf dem Sofa heute.",
                                "Der Hund schläft auf dem Sofa heute.")
    assert score.passed_through("Der Hund schläft.", "")
    assert not score.passed_through("Der Gr .", "Le Gr.")          # a name: the same anyway
    assert not score.passed_through("Der Hund schläft auf dem Sofa.",
                                    "Le chien dort sur le canapé.")
    src = from_sentences(["Il gatto dorme sul divano di casa.", "Piove da tre giorni a Milano."],
                         "it")
    tgt = from_sentences(["The cat sleeps on the sofa at home.",
                          "It has been raining in Milan for three days."], "en")
    mt = ["The cat sleeps on the sofa at home.", "Piove da tre giorni a Milano."]
    translated = score.translated_side(src, mt, "en")
    assert translated.trusted == [True, False]
    lex = for_pair("it", "en")
    a = score.lexical_side(src, "en", lex)
    b = score.lexical_side(tgt, "it", lex.reversed())
    params = score.learned_params("it", "en")
    pair_views = [(translated, score.lexical_side(tgt), score.TRANSLATION, 1.0),
                  (a, b, params, 0.5)]
    mean = combined(pair_views)
    mt_view, free = score.scorer(*pair_views[0][:3]), score.scorer(a, b, params)
    # the second source sentence: its translation is its own text, so the model-free view
    # alone scores its beads
    assert np.allclose(mean.gains(2)[(1, 1)], free.gains(2)[(1, 1)], equal_nan=True)
    assert mean.score((1,), (1,)) == pytest.approx(free.score((1,), (1,)))
    # the first: both views, by weight
    expected = (mt_view.gains(1)[(1, 1)] + 0.5 * free.gains(1)[(1, 1)]) / 1.5
    assert np.allclose(mean.gains(1)[(1, 1)], expected, equal_nan=True)
