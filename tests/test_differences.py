"""Word-level evidence: the words of a bead without a counterpart, as document offsets."""

from __future__ import annotations

import json

from aligner import align
from aligner.data import STRONG, Mark, Span
from aligner.diverge import differences


def words(result, side: str) -> list[str]:
    """The words of one side shown as differences (``Span.strong``)."""
    return [w for w, weight in weighted(result, side) if weight >= STRONG]


def evidence(result, side: str) -> list[str]:
    """The words of one side the word evidence found no counterpart for, however weighed."""
    return [w for w, _, kind in marked(result, side) if kind is Mark.NO_COUNTERPART]


def weighted(result, side: str) -> list[tuple[str, float]]:
    """Every difference span of one side's aligned beads: (text, weight)."""
    return [(w, weight) for w, weight, _ in marked(result, side)]


def marked(result, side: str) -> list[tuple[str, float, Mark]]:
    doc = result.source if side == "source" else result.target
    key = "source_differences" if side == "source" else "target_differences"
    return [(doc.text[x.start:x.end], x.weight, x.kind) for bead in result.beads
            if not bead.is_null for x in getattr(bead, key)]


def test_a_dropped_clause_is_found_word_by_word() -> None:
    result = align(["Il governo ha approvato la legge sul lavoro, che entrerà in vigore a "
                    "giugno dopo il voto del parlamento."],
                   ["The government approved the labour law."], scorer="lexical")
    missing = evidence(result, "source")
    assert {"giugno", "voto", "parlamento"} <= set(missing)
    assert not {"governo", "legge", "lavoro"} & set(missing)
    assert evidence(result, "target") == []


def test_an_added_part_is_found_on_the_target_side() -> None:
    result = align(["Il treno è partito in ritardo."],
                   ["The train left late because of a strike by the drivers."],
                   scorer="lexical")
    added = set(evidence(result, "target"))
    assert {"strike", "drivers"} <= added and "train" not in added


# "squisita" / "mouthwatering": a pair neither the shipped lexicon nor the dictionary knows
IT_PIZZA = ["Ieri abbiamo mangiato una pizza squisita con gli amici."]
EN_PIZZA = ["Yesterday we ate a mouthwatering pizza with friends."]


def test_a_word_of_the_machine_translation_has_a_counterpart() -> None:
    alone = align(IT_PIZZA, EN_PIZZA, scorer="lexical")
    assert "mouthwatering" in evidence(alone, "target") and "squisita" in evidence(alone, "source")
    # the engine's translation of the source has the word: a translation the lexicon lacks
    forward = align(IT_PIZZA, EN_PIZZA, translations=["Yesterday we ate a mouthwatering pizza "
                                                      "with our friends."])
    assert "mouthwatering" not in evidence(forward, "target")
    assert "squisita" in evidence(forward, "source")       # one direction: the source's stay
    both = align(IT_PIZZA, EN_PIZZA, reverse_translations=["Ieri abbiamo mangiato una "
                                                           "squisita pizza con gli amici."])
    assert "squisita" not in evidence(both, "source")


def test_a_word_the_machine_translation_lacks_stays_a_difference() -> None:
    # the translation says what the source says; the target's added words are still missing
    result = align(["Il treno è partito in ritardo."],
                   ["The train left late because of a strike by the drivers."],
                   translations=["The train left late."])
    assert {"strike", "drivers"} <= set(evidence(result, "target"))


def test_a_faithful_pair_has_no_content_word_differences() -> None:
    result = align(["Il gatto dorme sul divano della casa."],
                   ["The cat sleeps on the sofa of the house."], scorer="lexical")
    assert words(result, "source") == [] and words(result, "target") == []


def test_function_words_without_a_counterpart_are_not_differences() -> None:
    # "per" and "con" have no "for" / "with" on the other side: a translation moves and drops
    # such words all the time, and they say nothing about content that went missing
    result = align(["Ha lavorato per la città con il sindaco."],
                   ["He worked as the mayor's partner in the city."], scorer="lexical")
    assert not {"per", "con"} & set(evidence(result, "source"))
    assert "as" not in evidence(result, "target") and "partner" in evidence(result, "target")


CONTEXT_IT = ["Il servizio è stato avviato dal sistema all'accensione del computer.",
              "Il registro contiene tutti i messaggi del servizio."]
CONTEXT_EN = ["The service was started by the system when the computer was turned on.",
              "The journal contains all the messages of the service."]
DROPPED_IT = [*CONTEXT_IT, "Il servizio ha scritto nel registro tutti i messaggi ricevuti "
              "durante l'avvio, compresi quelli del kernel, degli altri servizi e delle "
              "applicazioni dell'utente, prima di chiudersi.", "Il gatto dorme sul divano."]
DROPPED_EN = [*CONTEXT_EN, "The service wrote the messages to the journal.",
              "The cat sleeps on the sofa."]


def test_the_words_of_a_flagged_bead_are_shown_and_a_faithful_pairs_are_not() -> None:
    # the dropped clause is shown word by word where the decision flags the bead; words of
    # the faithful pairs around it are not shown at all (a reviewer reads none for nothing)
    result = align(DROPPED_IT, DROPPED_EN, scorer="lexical")
    bead = next(b for b in result.beads if 2 in b.source)
    assert bead.status == "divergent"
    shown = {result.source.text[x.start:x.end] for x in bead.source_differences if x.strong}
    assert {"kernel", "avvio", "compresi"} <= shown and "servizio" not in shown
    others = [x for b in result.beads if 2 not in b.source
              for x in (*b.source_differences, *b.target_differences)]
    assert not [x for x in others if x.strong]


def test_words_of_a_differing_passage_weigh_less_than_words_without_a_counterpart() -> None:
    # the dropped clause is labelled whole by people, its "il" and "del" too: its matched
    # words get the fitted probability of lying in such a passage, as kind in-passage
    result = align(DROPPED_IT, DROPPED_EN, scorer="lexical")
    spans = {w: (v, kind) for w, v, kind in marked(result, "source")}
    assert spans["kernel"][1] is Mark.NO_COUNTERPART and spans["Il"][1] is Mark.IN_PASSAGE
    assert spans["kernel"][0] > spans["servizio"][0] > 0
    # a word near the unmatched words weighs more than one far from them
    assert spans["quelli"][0] > spans["scritto"][0]
    # a sentence whose words all have a counterpart gets no spans at all
    assert not {"gatto", "divano"} & set(spans)


def test_word_weights_follow_the_fitted_model() -> None:
    result = align(["Il governo ha approvato la legge sul lavoro, che entrerà in vigore a "
                    "giugno."], ["The government approved the labour law."], scorer="lexical")
    n = len(differences.WORD_FEATURES)
    share = differences.WORD_FEATURES.index("sentence_share")
    # all weight on the sentence share: every word of the sentence gets the same weight
    flat = [0.0] * n
    flat[share] = 1.0
    weighed = differences.weigh(result.beads, result.source, result.target, flat)
    assert len({x.weight for x in weighed[0].source_differences}) == 1
    # a model that sees no difference anywhere keeps no span
    nothing = [0.0] * (n - 1) + [-40.0]
    assert differences.weigh(result.beads, result.source, result.target,
                             nothing)[0].source_differences == ()


def test_json_puts_differences_on_their_sentences_with_weights() -> None:
    result = align(["Primo: il cielo è blu.", "Il governo ha approvato la legge sul lavoro, "
                    "che entrerà in vigore a giugno."],
                   ["First: the sky is blue.", "The government approved the labour law."],
                   scorer="lexical")
    data = json.loads(result.to_json())
    first, second = data["source"]["sentences"]
    assert "differences" not in first
    spans = second["differences"]
    assert spans and all(second["start"] <= a < b <= second["end"] and 0 < w <= 1
                         for a, b, w in spans)
    text = result.source.text
    assert "giugno" in [text[a:b] for a, b, _ in spans]
    kinds = dict(zip((text[a:b] for a, b, _ in spans), second["difference_kinds"], strict=True))
    assert kinds["giugno"] == "no-counterpart" and kinds["governo"] == "in-passage"


def test_html_marks_the_words_with_the_reason_on_hover() -> None:
    import io

    from aligner.report import write_html

    result = align(DROPPED_IT, DROPPED_EN, scorer="lexical")
    buf = io.StringIO()
    write_html(result, buf)
    page = buf.getvalue()
    assert '<ins class="diff" title="no counterpart on the other side' in page
    assert ">kernel</ins>" in page
    assert '<ins class="ctx" style="background:rgba(' in page
    assert 'title="in a passage that mostly has no counterpart (probability 0.' in page


def test_an_omission_flag_names_the_missing_words() -> None:
    context_it = ["Il servizio è stato avviato dal sistema all'accensione del computer.",
                  "Il registro contiene tutti i messaggi del servizio."]
    context_en = ["The service was started by the system when the computer was turned on.",
                  "The journal contains all the messages of the service."]
    result = align([*context_it, "Il servizio ha scritto nel registro tutti i messaggi "
                    "ricevuti durante l'avvio, compresi quelli del kernel, degli altri servizi "
                    "e delle applicazioni dell'utente, prima di chiudersi."],
                   [*context_en, "The service wrote the messages to the journal."],
                   scorer="lexical")
    bead = next(b for b in result.beads if 2 in b.source)
    flag = next(f for f in bead.flags if f.code == "omission")
    assert "not in the target:" in flag.message and "kernel" in flag.message


def test_content_on_one_side_only_is_one_whole_sentence_difference() -> None:
    import io

    from aligner.report import write_tsv

    result = align(["Il gatto dorme sul divano.", "La banca centrale ha alzato i tassi di "
                    "interesse di mezzo punto.", "Il cane mangia in cucina."],
                   ["The cat sleeps on the sofa.", "The dog eats in the kitchen."],
                   scorer="lexical")
    extra = next(b for b in result.beads if b.is_null)
    assert extra.source == (1,)
    s = result.source.sentences[1]
    assert extra.source_differences == (Span(s.start, s.end, 1.0, Mark.EXTRA),)
    data = json.loads(result.to_json())
    assert data["source"]["sentences"][1]["differences"] == [[s.start, s.end, 1.0]]
    assert data["source"]["sentences"][1]["difference_kinds"] == ["extra"]
    buf = io.StringIO()
    write_tsv(result, buf)
    row = next(line for line in buf.getvalue().splitlines() if "\textra\t" in line)
    assert row.split("\t")[-3:-1] == ["", ""]
