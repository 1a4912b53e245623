"""Numbers read across Italian and English writing; months; boilerplate."""

from __future__ import annotations

import pytest

from aligner.text.boilerplate import is_boilerplate
from aligner.text.numbers import months, numbers


@pytest.mark.parametrize(
    ("text", "lang", "keys"),
    [
        ("oltre 1.500 satelliti", "it", ["1500"]),
        ("over 1,500 satellites", "en", ["1500"]),
        ("3,5 volte", "it", ["3.5"]),
        ("3.5 times", "en", ["3.5"]),
        ("15 miliardi di dollari", "it", ["15000000000"]),
        ("$ 15 billion", "en", ["15000000000"]),
        ("2,3 milioni", "it", ["2300000"]),
        ("1.234.567,8", "it", ["1234567.8"]),
        ("1,234,567.8", "en", ["1234567.8"]),
        ("il 33%", "it", ["33"]),
        ("October 21st", "en", ["21"]),
        ("nel 2020", "it", ["2020"]),
        ("the O3b brand and 4G phones", "en", []),
        # after an abbreviation's dot, glued to a unit, with a French ordinal
        ("S.298 und Nr.212, No.1", "de", ["298", "212", "1"]),
        ("bis 8222m", "de", ["8222"]),
        ("le 8e et le 1er", "fr", ["8", "1"]),
        ("the F-125 frigate", "en", []),
    ],
)
def test_numbers_normalise_across_languages(text: str, lang: str, keys: list[str]) -> None:
    assert [n.key for n in numbers(text, lang)] == keys


def test_percent_is_recorded() -> None:
    assert [n.percent for n in numbers("il 33% e 5 per cento, 7", "it")] == [True, True, False]


def test_months_across_languages() -> None:
    assert months("21 ottobre") == months("October 21") == [10]
    assert months("You may go") == []            # "may" only counts next to a number
    assert months("on 3 May") == [5]
    assert months("in May", "en") == [5] and months("Theresa May said", "en") == []
    assert months("la May propone", "it") == []   # May is not an Italian month


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Fonte : Wired", True), ("Powered by Blogger.", True), ("Iscriviti alla newsletter", True),
     ("Get the ITPro. daily newsletter", True), ("By John Smith", True),
     ("Di Mario Rossi", True), ("Di questo passo non si arriva", False),
     ("The cloud flies into space: Microsoft teams up with SpaceX", False),
     ("Microsoft vuole portare in orbita il suo cloud.", False),
     ("Share prices fell by 5% on Monday.", False), ("Share on Facebook", True),
     ("Get the facts right before you write.", False), ("Leggi anche: il cloud", True)],
)
def test_boilerplate(text: str, expected: bool) -> None:
    assert is_boilerplate(text) is expected


@pytest.mark.parametrize("code", ["it", "it-IT", "it_IT", "IT"])
def test_region_codes_read_with_their_language(code: str) -> None:
    # it_IT must use Italian separators and month rules, as it-IT does
    assert [n.key for n in numbers("3,5 e 1.500", code)] == ["3.5", "1500"]
    assert months("la May propone", code) == []


def test_model_registry_ignores_the_region() -> None:
    from aligner.translate.registry import for_pair

    entry = for_pair("it_IT", "en-GB")
    assert entry is not None and entry == for_pair("it", "en")


@pytest.mark.parametrize(("text", "expected"), [
    ("Il nostro numero è il milleottocentoventitré.", [1823]),
    ("millequattrocentoquaranta tramonti", [1440]),
    ("cento e undici re, settemila geografi, novecentomila uomini d’affari",
     [111, 7000, 900_000]),
    ("sette milioni e mezzo di ubriaconi, trecentododici milioni di vanitosi, due miliardi",
     [7_500_000, 312_000_000, 2_000_000_000]),
    ("centotto, centottanta, duemilaventi, un milione e duecentomila",
     [108, 180, 2020, 1_200_000]),
    ("three hundred and twelve million people and a hundred and eleven kings",
     [312_000_000, 111]),
    ("in nineteen thirty-one, ninety nine times, two thousand five hundred",
     [1931, 99, 2500]),
    # two numbers, not one; a single simple word is the caller's; an article is no number
    ("tra tre e quattro, duemila, un milione", [2000, 1_000_000]),
    ("un uomo e una donna, seven dwarfs", []),
])
def test_spelled_numbers(text: str, expected: list[int]) -> None:
    from aligner.text.spelled import phrases

    assert [value for _, value in phrases(text)] == expected


@pytest.mark.parametrize(("src", "tgt", "flagged"), [
    ("Il nostro numero è il milleottocentoventitré.", "Our number is 1823.", False),
    ("Ci sono trecentododici milioni di vanitosi.", "There are 311,000,000 conceited men.",
     True),
    # a designation is one on both sides, with a space or a hyphen
    ("Veniva dall’asteroide B 612.", "He came from asteroid B-612.", False),
    ("Veniva dall’asteroide B 612.", "He came from asteroid 612.", True),
    ("A 5 anni disegnò un boa.", "At six he drew a boa.", True),
    ("E la CNN 2,52 milioni.", "And CNN 2.52 million.", False),
])
def test_number_check_reads_spelled_numbers_and_designations(src: str, tgt: str,
                                                             flagged: bool) -> None:
    from aligner.diverge import numbers as number_check
    from aligner.diverge.context import Context, Pair

    flags = number_check.check(Pair(src, tgt, "it", "en"), Context())
    assert bool(flags) is flagged, flags
