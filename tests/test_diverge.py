"""Divergence checks: each flag fires on its case and stays quiet on a faithful translation."""

from __future__ import annotations

import pytest

from aligner import align
from aligner.diverge import Thresholds
from aligner.pipeline import parallelism

from .conftest import EN_000, EN_002, IT_003, IT_004


def flags_of(src: str, tgt: str, context_src: list[str] = (), context_tgt: list[str] = ()):
    result = align([*context_src, src], [*context_tgt, tgt], scorer="lexical")
    bead = next(b for b in result.beads if len(context_src) in b.source)
    return bead, [f.code for f in bead.flags]


@pytest.mark.parametrize(
    ("src", "tgt", "code"),
    [
        ("Il progetto costa 1.500 euro.", "The project costs 2,500 euros.", "number-mismatch"),
        ("Vale 15 miliardi di dollari.", "It is worth 15 million dollars.", "number-mismatch"),
        ("Il lancio è previsto il 21 ottobre.", "The launch is planned for November 21.",
         "number-mismatch"),
        ("Ha 57 anni.", "She is 37.", "number-mismatch"),
        # a measure that does not convert to the other side's
        ("In Arizona sono previsti da 2,5 a 10 cm di pioggia.",
         "In Arizona 7 to 4 inches of rain are expected.", "number-mismatch"),
        ("Una giornata di sole con quasi 31 gradi.", "A sunny 80 degrees outside.",
         "number-mismatch"),
        ("La Commissione europea ha approvato la nuova legge sulla protezione dei dati personali "
         "dei cittadini.", "La Commissione europea ha approvato la nuova legge sulla protezione "
         "dei dati personali dei cittadini.", "untranslated"),
    ],
)
def test_flags(src: str, tgt: str, code: str) -> None:
    bead, codes = flags_of(src, tgt)
    assert code in codes
    assert bead.status == "divergent"


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("Oltre 1.500 satelliti entro il 2021, per 3,5 miliardi.",
         "Over 1,500 satellites by 2021, for 3.5 billion."),
        ("Il 21 ottobre il 33% dei voti.", "On October 21st 33 percent of the votes."),
        ("Sono previsti 25 cm di pioggia.", "Up to 10 inches of rain are expected."),
        ("Un accordo da 31 milioni di sterline.", "A £31million deal."),
        # ordinals and ages, written as digits or words on either side
        ("Giocherà il suo 47esimo match e per la dodicesima volta il 25mo torneo.",
         "He will play his 47th match and for the 12th time the 25th tournament."),
        ("Ha dichiarato il ventitreenne alla sedicesima buca.",
         "Said the 23-year-old at the 16th hole."),
        ("Il 25 marzo a Pietroburgo accadde un fatto strano.",
         "On the twenty-fifth day of March a strange thing happened in Petersburg."),
        # a clock time on one side, a bare number on the other
        ("Alle ore 5 di domenica e alle 4.40 di giovedì.",
         "At 5 a.m. Sunday and 4.40 am Thursday."),
        # converted units, whatever their spelling
        ("Il vulcano si trova a 45 miglia (72 chilometri) dalla capitale.",
         "The volcano sits 45 miles (72 kilometers) from the capital."),
        ("L'attaccante di 198 cm è cresciuto a Baton Rouge.",
         "The 6-foot-6 forward grew up in Baton Rouge."),
        # the same unit spelt in each language is not a conversion
        ("Ha vinto i 200 e i 400 metri ad Atlanta.", "He won the 200 metres and 400 metres."),
        ("Ha segnato all’89º minuto.", "He scored in the 89th minute."),
        # designations are not amounts; No.1; a name that is a month elsewhere
        ("La fregata F-125 è il n. 1 della flotta, ha detto la May.",
         "The F125 frigate is No.1 in the fleet, Theresa May said."),
        ("Studiava a Yale negli anni Ottanta.", "She studied at Yale in the 1980s."),
        # converted measures, rounded as translators do, and a conversion in parentheses
        ("Oggi 26 gradi a New York, a circa 25 metri dalla riva.",
         "80 degrees in New York today, about 30 yards from the shore."),
        ("Lo tsunami ha viaggiato a 800 km/h.", "The tsunami traveled at 800 kph (497 mph)."),
    ],
)
def test_faithful_numbers_are_not_flagged(src: str, tgt: str) -> None:
    _, codes = flags_of(src, tgt)
    assert "number-mismatch" not in codes


@pytest.mark.parametrize(
    ("ctx_it", "ctx_en", "src", "tgt", "src_terms", "tgt_terms"),
    [
        ("Holly Willoughby ha lanciato il marchio Truly nel 2019.",
         "Holly Willoughby launched the Truly brand in 2019.",
         "Willoughby non ha più tempo per il suo marchio Truly.",
         "Willoughby has no time for her brand Holly.", ("Truly",), ("Holly",)),
        # "Agustin" starts the English sentence; the document writes it inside sentences too,
        # so it is a name, and the Italian, which has another name here, lacks it
        ("Il colonnello pensava al gallo di Agustín ogni mattina.",
         "The colonel thought of Agustin's rooster every morning.",
         "“Basta con la chitarra, non è ancora passato l’anno di Thenín.”",
         "“Stop that guitar! Agustin’s year isn’t up yet.”", (), ("Agustin’s",)),
    ],
)
def test_swapped_name_known_to_the_other_document_is_flagged(
        ctx_it: str, ctx_en: str, src: str, tgt: str, src_terms: tuple, tgt_terms: tuple
) -> None:
    bead, codes = flags_of(src, tgt, [ctx_it], [ctx_en])
    assert "name-mismatch" in codes
    flag = next(f for f in bead.flags if f.code == "name-mismatch")
    assert set(src_terms) <= set(flag.source_terms) and set(tgt_terms) <= set(flag.target_terms)


def test_a_capitalised_word_that_starts_a_sentence_is_not_a_name() -> None:
    # "Naturally" starts English sentences only (the document never writes it inside one):
    # an ordinary word, though kept elsewhere, not a name missing here.
    _, codes = flags_of("Poi lesse le lettere.", "Naturally he read the letters.",
                        ["Naturalmente piove da ieri."], ["Naturally it has rained since "
                                                          "yesterday."])
    assert "name-mismatch" not in codes


def test_a_word_of_the_other_language_put_in_is_flagged() -> None:
    # An English word in the Italian with no counterpart in the English: not a translation.
    bead, codes = flags_of("“Si ripari qui, amico,” gridò. Thursday posto sotto l’ombrello.",
                           "“Get under here, friend!” he shouted. He made room under the "
                           "umbrella.")
    assert "foreign-word" in codes
    flag = next(f for f in bead.flags if f.code == "foreign-word")
    assert flag.source_terms == ("Thursday",) and "other language" in flag.message


def test_the_foreign_word_count_is_a_threshold() -> None:
    src = "“Si ripari qui, amico,” gridò. Thursday posto sotto l’ombrello."
    tgt = "“Get under here, friend!” he shouted. He made room under the umbrella."
    strict = align([src], [tgt], scorer="lexical",
                   thresholds=Thresholds.parse(["foreign_min_count=1000000"]))
    assert not any(f.code == "foreign-word" for b in strict.beads for f in b.flags)


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # a copy: the other side has the word
        ("Il suo slogan era Make America Great Again, disse.",
         "His slogan was Make America Great Again, he said."),
        # part of a run of capitalised words: a name (Don Sabas)
        ("Rispose Don Sabas al medico.", "Sabas answered the doctor."),
    ],
)
def test_words_of_the_other_language_that_are_copies_or_names_are_not_flagged(
        src: str, tgt: str) -> None:
    _, codes = flags_of(src, tgt)
    assert "foreign-word" not in codes


def test_a_word_of_the_other_language_the_document_uses_elsewhere_is_its_own() -> None:
    # "Good" stands in two beads of the Italian: the document's own word (a loanword, a
    # name), not one put in here.
    ctx_it = ["Il negozio si chiama Good e apre alle nove."]
    ctx_en = ["The shop opens at nine."]
    _, codes = flags_of("Good vende pane e latte.", "It sells bread and milk.", ctx_it, ctx_en)
    assert "foreign-word" not in codes


def test_translated_names_are_not_flagged() -> None:
    _, codes = flags_of("Il Parlamento del Galles e il Pentagono hanno risposto.",
                        "The Welsh Parliament and the Pentagon replied.")
    assert "name-mismatch" not in codes


@pytest.mark.parametrize(
    ("ctx_it", "ctx_en", "src", "tgt"),
    [
        # Cina ~ China, Corea ~ Korea, Messico ~ Mexico once spelling habits are levelled;
        # English capitalises weekdays, Italian does not
        ("Nel testo le parole China, Korea, Mexico e Saturday sono rimaste in inglese.",
         "In the text the words China, Korea, Mexico and Saturday were left in English.",
         "Sabato la Cina, la Corea e il Messico hanno firmato un accordo per il commercio del "
         "grano.", "On Saturday China, Korea and Mexico signed an agreement on the trade in "
         "wheat."),
        # an adjective (cinese), a translation (Giochi), the words of an acronym (Stati Uniti /
        # U.S., Nazioni Unite / UN)
        ("Secondo il rapporto, China, Games, U.S. e UN sono citati in inglese nel testo.",
         "According to the report, China, Games, U.S. and UN are quoted in English.",
         "Il governo cinese ha detto alle Nazioni Unite che gli Stati Uniti non andranno ai "
         "Giochi di quest'anno per motivi di sicurezza.",
         "China's government told the UN that the U.S. will not go to this year's Games for "
         "security reasons."),
    ],
)
def test_names_with_a_counterpart_are_not_flagged(ctx_it: str, ctx_en: str, src: str,
                                                 tgt: str) -> None:
    # Each English name is kept verbatim in the context, so the check would fire on a plain
    # miss: here the Italian has it in another form.
    _, codes = flags_of(src, tgt, [ctx_it], [ctx_en])
    assert "name-mismatch" not in codes


def test_a_dropped_final_clause_is_found_by_its_unmatched_words() -> None:
    # Not short enough for the length check alone: the English ends with words the Italian
    # has no counterpart for, while the Italian's own end is matched.
    ctx_it = ["Il presidente ha parlato ieri sera a Roma davanti ai giornalisti."] * 3
    ctx_en = ["The president spoke last night in Rome in front of the journalists."] * 3
    bead, codes = flags_of("La Gran Bretagna sarà sempre aperta alle persone che vogliono "
                           "vivere.", "Britain will always be open to people who want to live, "
                           "work and build a whole new life here with their families and friends.",
                           ctx_it, ctx_en)
    assert "addition" in codes
    flag = next(f for f in bead.flags if f.code == "addition")
    assert flag.target_terms == (
        "work and build a whole new life here with their families and friends.",)
    # a faithful pair of the same lengths is left alone
    _, codes = flags_of("La Gran Bretagna sarà sempre aperta alle persone che vogliono vivere "
                        "e lavorare qui.", "Britain will always be open to people who want "
                        "to live and work here.", ctx_it, ctx_en)
    assert "addition" not in codes and "omission" not in codes


@pytest.mark.parametrize(
    ("src", "tgt", "flagged"),
    [
        # the same in both because it is all names and numbers: nothing to translate
        ("Elite League: Dundee Stars 5-3 Belfast Giants",
         "Elite League: Dundee Stars 5-3 Belfast Giants", False),
        # a quotation in a third language, kept as it is in both
        ("Il faut bien le faire, et vite.", "Il faut bien le faire, et vite.", False),
        # not a copy, but written in the source language
        ("Il governo ha approvato la legge.",
         "Il governo ha approvato la nuova legge con il voto della maggioranza.", True),
        # English that happens to use "i" (an Italian article) is English
        ("Le ho detto: ti voglio bene.", 'I said, "Tashi, I love you so much, darling."', False),
    ],
)
def test_untranslated(src: str, tgt: str, flagged: bool) -> None:
    _, codes = flags_of(src, tgt)
    assert ("untranslated" in codes) is flagged


def test_dropped_clause_is_an_addition_or_omission() -> None:
    ctx_it = ["Il presidente ha parlato ieri sera a Roma davanti ai giornalisti."] * 3
    ctx_en = ["The president spoke last night in Rome in front of the journalists."] * 3
    _, codes = flags_of("Le autorità hanno reso pubblico un video dello scontro.",
                        "Officials released video of the confrontation, and police said the "
                        "suspect lost his glasses during the fight near the station.",
                        ctx_it, ctx_en)
    assert "addition" in codes
    _, codes = flags_of("Le autorità hanno reso pubblico un video dello scontro, e la polizia "
                        "ha detto che il sospettato ha perso gli occhiali durante la lotta.",
                        "Officials released video of the confrontation.", ctx_it, ctx_en)
    assert "omission" in codes


def test_boilerplate_extra_is_marked(seeds_alignment) -> None:
    extra = [b for b in seeds_alignment.beads if b.status == "extra"]
    boiler = [b for b in extra if any(f.code == "boilerplate" for f in b.flags)]
    texts = [seeds_alignment.source.sentences[b.source[0]].text if b.source else
             seeds_alignment.target.sentences[b.target[0]].text for b in boiler]
    assert sorted(texts) == ["Fonte : Wired", "Powered by Blogger."]
    blocks = seeds_alignment.summary()["extra_blocks"]
    assert [blk["boilerplate"] for blk in blocks].count(True) == 2


def test_parallelism_tells_translation_from_same_story() -> None:
    translation = align(IT_003, EN_002, scorer="lexical")
    same_story = align(IT_004, EN_000, scorer="lexical")
    assert translation.summary()["relation"] == "translation"
    assert same_story.summary()["relation"] != "translation"
    assert translation.parallelism > same_story.parallelism + 0.3
    assert parallelism([], 0, 0) == 0.0


def test_thresholds_parse() -> None:
    assert Thresholds.parse(["length_ratio=0.5", "length-min-chars=10"]) == Thresholds(
        length_ratio=0.5, length_min_chars=10)
    with pytest.raises(ValueError, match="unknown check threshold"):
        Thresholds.parse(["nope=1"])


def test_checks_in_two_processes_give_the_same_report(monkeypatch) -> None:
    """The checks, the word evidence and its weighing, each in two forked processes, give
    the report of one process."""
    from aligner import parallel

    sequential = align(IT_003, EN_002, scorer="lexical")
    assert not parallel.can_fork(len(sequential.beads))      # short: one process
    calls: list[int] = []

    def forking(n: int) -> bool:
        calls.append(n)
        return True

    monkeypatch.setattr(parallel, "can_fork", forking)
    forked = align(IT_003, EN_002, scorer="lexical")
    assert len(calls) >= 3 and forked.to_json() == sequential.to_json()


def test_forked_calls_run_closures_in_order_and_never_nest() -> None:
    """parallel.calls: each call's closure runs in a forked worker, results in order; a worker
    that asks for two processes again runs its calls in place (no fork, no deadlock)."""
    import multiprocessing

    from aligner import parallel

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    base = 10
    assert parallel.calls(lambda a, b: a + b + base, [(1, 2), (3, 4)], fork=True) == [13, 17]
    nested = parallel.calls(
        lambda a: parallel.calls(lambda b: b * 2, [(a,), (a + 1,)], fork=True), [(1,), (5,)],
        fork=True)
    assert nested == [[2, 4], [10, 12]]


@pytest.mark.parametrize(("name", "word", "known"), [
    ("pentagono", "pentagon", True), ("parlamento", "parliament", True),
    ("messico", "mexico", True), ("cina", "china", True),
    # a shared 4-letter start is no cognate between words of very different length
    ("xochimilco", "social", False), ("garibaldi", "gara", False),
])
def test_a_name_and_its_cognate(name: str, word: str, known: bool) -> None:
    from aligner.diverge.names import _known

    assert _known(name, {word}) is known
