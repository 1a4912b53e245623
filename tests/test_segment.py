"""Segmentation: Punkt with the project's parameters, layout kept, offsets exact."""

from __future__ import annotations

import pytest

from aligner.text.read import read_text
from aligner.text.segment import segment

from .conftest import EN_002, IT_003


def sentences(text: str, lang: str) -> list[str]:
    return [s.text for s in segment(text, lang).sentences]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("it", "Il Sig. Rossi e il Dott. Bianchi sono arrivati. Poi sono andati via.",
         ["Il Sig. Rossi e il Dott. Bianchi sono arrivati.", "Poi sono andati via."]),
        ("it", "Mele, pere ecc. sono frutti. Vedi pag. 3 del libro. Fine.",
         ["Mele, pere ecc. sono frutti.", "Vedi pag. 3 del libro.", "Fine."]),
        ("it", "Costa 1.500 euro, cioè 3,5 volte tanto. Anzi 3.5 volte.",
         ["Costa 1.500 euro, cioè 3,5 volte tanto.", "Anzi 3.5 volte."]),
        ("en", "Mr. Smith met Dr. Jones in the U.S. on Monday. They spoke.",
         ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They spoke."]),
        ("en", "Bring fruit, e.g. apples. Then leave.",
         ["Bring fruit, e.g. apples.", "Then leave."]),
        ("en", "It grew by 3.5 percent to 1,500. Next year too.",
         ["It grew by 3.5 percent to 1,500.", "Next year too."]),
        ("en", 'He said: "We will win." Then he left.',
         ['He said: "We will win."', "Then he left."]),
        ("it", "Ha detto: «Vinceremo.» Poi è uscito.", ["Ha detto: «Vinceremo.»", "Poi è uscito."]),
        ("en", "She said “yes.” Then she left.", ["She said “yes.”", "Then she left."]),
        ("it", "Lo ha detto J. F. Kennedy a Space X. La partnership è nota.",
         ["Lo ha detto J. F. Kennedy a Space X.", "La partnership è nota."]),
        ("en", "It sells in the U.S. The rest goes abroad.",
         ["It sells in the U.S.", "The rest goes abroad."]),
        # a date written with spaces starts the item it heads; a figure after a short
        # abbreviation does not start a sentence; a year does end one
        ("en", "Media releases 26. 03. 2025 Switzerland signs the convention 14. 03. 2025 "
         "Consultation launched. Last modification 20. 11. 2024",
         ["Media releases", "26. 03. 2025 Switzerland signs the convention",
          "14. 03. 2025 Consultation launched.", "Last modification", "20. 11. 2024"]),
        ("en", "In accordance with art. 55 of the act. It applies.",
         ["In accordance with art. 55 of the act.", "It applies."]),
        ("en", "He won in 1990. 2000 people came.", ["He won in 1990.", "2000 people came."]),
    ],
)
def test_sentence_boundaries(lang: str, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_lines_without_final_punctuation_are_sentences() -> None:
    text = "Titolo senza punto\nUna didascalia (Getty Images)\nIl testo comincia qui. E finisce."
    assert sentences(text, "it") == [
        "Titolo senza punto", "Una didascalia (Getty Images)", "Il testo comincia qui.",
        "E finisce."]


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = ("The committee met on Tuesday to discuss the new\n"
            "budget, which was approved after a long debate\n"
            "among the members. Nobody voted against it.\n")
    assert sentences(text, "en") == [
        "The committee met on Tuesday to discuss the new budget, which was approved after a "
        "long debate among the members.", "Nobody voted against it."]


def test_paragraphs_and_offsets_on_the_seeds() -> None:
    for path, lang in ((IT_003, "it"), (EN_002, "en")):
        doc = segment(read_text(path), lang)
        paragraphs = [s.paragraph for s in doc.sentences]
        assert paragraphs == sorted(paragraphs)
        assert paragraphs[0] == 0 and paragraphs[-1] >= 8
        for s in doc.sentences:
            assert doc.text[s.start:s.end].split() == s.text.split()
        starts = [s.start for s in doc.sentences]
        assert starts == sorted(starts)


def test_caption_is_its_own_sentence_in_italian() -> None:
    doc = segment(read_text(IT_003), "it")
    texts = [s.text for s in doc.sentences]
    assert "Un’antenna per ricevere comunicazioni dallo spazio (Getty Images)" in texts
    assert texts[-1] == "Fonte : Wired"


def test_presegmented_keeps_lines_and_counts_paragraphs() -> None:
    text = "  Prima frase. Seconda nella stessa riga.\n\n\nTerza\nQuarta\n"
    doc = segment(text, "it", presegmented=True)
    assert [s.text for s in doc.sentences] == [
        "Prima frase. Seconda nella stessa riga.", "Terza", "Quarta"]
    assert [s.paragraph for s in doc.sentences] == [0, 1, 1]
    assert [doc.text[s.start:s.end] for s in doc.sentences] == [s.text for s in doc.sentences]


def test_full_width_sentence_ends_split_without_a_space() -> None:
    doc = segment("今天天气很好。我们去公园吧！「你觉得呢？」好的\n", "zh")
    assert [s.text for s in doc.sentences] == ["今天天气很好。", "我们去公园吧！", "「你觉得呢？」",
                                               "好的"]
    assert all(doc.text[s.start:s.end] == s.text for s in doc.sentences)


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_abbreviation_after_an_elided_article_does_not_end_the_sentence(apostrophe: str) -> None:
    text = (f"L{apostrophe}on. Meloni ha parlato con l{apostrophe}avv. Rossi. "
            f"Vado nell{apostrophe}ufficio. Fine.")
    assert [s.text for s in segment(text, "it").sentences] == [
        f"L{apostrophe}on. Meloni ha parlato con l{apostrophe}avv. Rossi.",
        f"Vado nell{apostrophe}ufficio.", "Fine."]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Roma fu fondata nel 753 a.C. e crebbe in fretta. Poi cadde.", "it",
     ["Roma fu fondata nel 753 a.C. e crebbe in fretta.", "Poi cadde."]),
    ("Smith et al. hanno scritto. Fine.", "it", ["Smith et al. hanno scritto.", "Fine."]),
    ("Rome was founded in 753 B.C. and grew. It fell.", "en",
     ["Rome was founded in 753 B.C. and grew.", "It fell."]),
    ("He said so. iPhone sales rose.", "en", ["He said so.", "iPhone sales rose."]),
    ("He asked Sens. John Kennedy and Lindsey Graham. They agreed.", "en",
     ["He asked Sens. John Kennedy and Lindsey Graham.", "They agreed."]),
])
def test_no_sentence_starts_with_a_lower_case_word(text: str, lang: str,
                                                   expected: list[str]) -> None:
    assert [s.text for s in segment(text, lang).sentences] == expected


@pytest.mark.parametrize("code", ["it", "it-IT", "it_IT", "IT"])
def test_region_code_segments_with_its_language_abbreviations(code: str) -> None:
    doc = segment("Lo ha detto il sig. Bianchi. Poi è uscito.", code)
    assert [s.text for s in doc.sentences] == ["Lo ha detto il sig. Bianchi.", "Poi è uscito."]
    assert doc.lang == code
