"""Word-level evidence: the words of a bead without a counterpart, as document offsets."""

from __future__ import annotations

import json
from dataclasses import replace

from aligner import align
from aligner.diverge import differences
from aligner.diverge.differences import MIN_WEIGHT


def words(result, side: str) -> list[str]:
    """The words without a counterpart (weight MIN_WEIGHT or more) of one side."""
    return [w for w, weight in weighted(result, side) if weight >= MIN_WEIGHT]


def weighted(result, side: str) -> list[tuple[str, float]]:
    """Every difference span of one side's aligned beads: (text, weight)."""
    doc = result.source if side == "source" else result.target
    key = "source_differences" if side == "source" else "target_differences"
    return [(doc.text[a:b], w) for bead in result.beads if not bead.is_null
            for a, b, w in getattr(bead, key)]


def test_a_dropped_clause_is_found_word_by_word() -> None:
    result = align(["Il governo ha approvato la legge sul lavoro, che entrerà in vigore a "
                    "giugno dopo il voto del parlamento."],
                   ["The government approved the labour law."], scorer="lexical")
    missing = words(result, "source")
    assert {"giugno", "voto", "parlamento"} <= set(missing)
    assert not {"governo", "legge", "lavoro"} & set(missing)
    assert words(result, "target") == []


def test_an_added_part_is_found_on_the_target_side() -> None:
    result = align(["Il treno è partito in ritardo."],
                   ["The train left late because of a strike by the drivers."],
                   scorer="lexical")
    added = set(words(result, "target"))
    assert {"strike", "drivers"} <= added and "train" not in added


# "squisita" / "mouthwatering": a pair neither the shipped lexicon nor the dictionary knows
IT_PIZZA = ["Ieri abbiamo mangiato una pizza squisita con gli amici."]
EN_PIZZA = ["Yesterday we ate a mouthwatering pizza with friends."]


def test_a_word_of_the_machine_translation_has_a_counterpart() -> None:
    alone = align(IT_PIZZA, EN_PIZZA, scorer="lexical")
    assert "mouthwatering" in words(alone, "target") and "squisita" in words(alone, "source")
    # the engine's translation of the source has the word: a translation the lexicon lacks
    forward = align(IT_PIZZA, EN_PIZZA, translations=["Yesterday we ate a mouthwatering pizza "
                                                      "with our friends."])
    assert "mouthwatering" not in words(forward, "target")
    assert "squisita" in words(forward, "source")       # one direction: the source's stay
    both = align(IT_PIZZA, EN_PIZZA, reverse_translations=["Ieri abbiamo mangiato una "
                                                           "squisita pizza con gli amici."])
    assert "squisita" not in words(both, "source")


def test_a_word_the_machine_translation_lacks_stays_a_difference() -> None:
    # the translation says what the source says; the target's added words are still missing
    result = align(["Il treno è partito in ritardo."],
                   ["The train left late because of a strike by the drivers."],
                   translations=["The train left late."])
    assert {"strike", "drivers"} <= set(words(result, "target"))


def test_a_faithful_pair_has_no_content_word_differences() -> None:
    result = align(["Il gatto dorme sul divano della casa."],
                   ["The cat sleeps on the sofa of the house."], scorer="lexical")
    assert words(result, "source") == [] and words(result, "target") == []


def test_function_words_without_a_counterpart_are_not_differences() -> None:
    # "per" and "con" have no "for" / "with" on the other side: a translation moves and drops
    # such words all the time, and they say nothing about content that went missing
    result = align(["Ha lavorato per la città con il sindaco."],
                   ["He worked as the mayor's partner in the city."], scorer="lexical")
    assert not {"per", "con"} & set(words(result, "source"))
    assert "as" not in words(result, "target") and "partner" in words(result, "target")


def test_words_of_a_differing_passage_weigh_less_than_words_without_a_counterpart() -> None:
    # the dropped clause "che entrerà in vigore a giugno dopo il voto del parlamento" is
    # labelled whole by people, its "il" and "del" too: its matched words get the fitted
    # probability of lying in such a passage, always under MIN_WEIGHT
    result = align(["Il governo ha approvato la legge sul lavoro, che entrerà in vigore a "
                    "giugno dopo il voto del parlamento.", "Il gatto dorme sul divano."],
                   ["The government approved the labour law.", "The cat sleeps on the sofa."],
                   scorer="lexical")
    spans = dict(weighted(result, "source"))
    assert spans["giugno"] >= MIN_WEIGHT and spans["parlamento"] >= MIN_WEIGHT
    light = {w: v for w, v in spans.items() if v < MIN_WEIGHT}
    assert {"governo", "legge"} <= set(light) and all(0 < v < MIN_WEIGHT for v in light.values())
    # a word near the unmatched clause weighs more than one far from it
    assert spans["che"] > spans["governo"]
    # a sentence whose words all have a counterpart gets no spans at all
    assert not {"gatto", "divano"} & set(spans)


def test_context_weights_follow_the_fitted_model() -> None:
    result = align(["Il governo ha approvato la legge sul lavoro, che entrerà in vigore a "
                    "giugno."], ["The government approved the labour law."], scorer="lexical")
    own = [differences.unmatched(b.source_differences) for b in result.beads]
    beads = [replace(b, source_differences=o, target_differences=())
             for b, o in zip(result.beads, own, strict=True)]
    # all weight on the sentence share: every word of the sentence gets the same weight
    flat = differences.in_context(beads, result.source, result.target, ((0.0, 1.0, 0.0), 0.3))
    light = {w for *_, w in flat[0].source_differences if w < MIN_WEIGHT}
    assert len(light) == 1 and 0 < light.pop() <= 0.3
    assert differences.in_context(beads, result.source, result.target,
                                  ((0.0, 0.0, -40.0), 0.3))[0].source_differences == own[0]


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


def test_html_marks_the_words_with_the_reason_on_hover() -> None:
    import io

    from aligner.report import write_html

    result = align(["Il treno è partito in ritardo."],
                   ["The train left late because of a strike by the drivers."],
                   scorer="lexical")
    buf = io.StringIO()
    write_html(result, buf)
    page = buf.getvalue()
    assert '<ins class="diff" title="no counterpart on the other side' in page
    assert ">strike</ins>" in page
    assert '<ins class="ctx" style="background:rgba(' in page
    assert 'title="in a passage that mostly has no counterpart (weight 0.' in page


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
    assert extra.source_differences == ((s.start, s.end, 1.0),)
    data = json.loads(result.to_json())
    assert data["source"]["sentences"][1]["differences"] == [[s.start, s.end, 1.0]]
    buf = io.StringIO()
    write_tsv(result, buf)
    row = next(line for line in buf.getvalue().splitlines() if "\textra\t" in line)
    assert row.split("\t")[-3:-1] == ["", ""]
