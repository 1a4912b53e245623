"""Numbers spelled out in words, Italian and English, to their values.

Literary and formal text writes numbers in words where a translation may use digits: "il
milleottocentoventitré" = 1823, "settemila geografi" = 7000, "sette milioni e mezzo" = 7.5
million, "cento e undici" = 111, "three hundred and twelve million", "nineteen thirty-one".
Italian joins a number's parts into one word (trecentododici, novecentomila, ventotto with its
vowel elided); English writes them apart. ``phrases`` reads both into values: the number
check lets a digit on one side match a spelled number on the other.
"""

from __future__ import annotations

from functools import lru_cache

from aligner.text.words import HYPHENATED
from aligner.text.words import fold as _fold

#: The cardinal words both modules read (``aligner.text.numbers`` matches single ones).
IT_UNITS = {"uno": 1, "un": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5,
             "sei": 6, "sette": 7, "otto": 8, "nove": 9}
IT_TEENS = {"dieci": 10, "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14,
             "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18, "diciannove": 19}
IT_TENS = {"venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60,
            "settanta": 70, "ottanta": 80, "novanta": 90}
EN_SMALL = {w: k for k, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"))}
EN_TENS = {w: 10 * k for k, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2)}
#: Words that multiply what comes before them; "mila" only ends an Italian word (duemila).
_SCALES = {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
           "trillion": 1e12, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9}
_HALF = {"mezzo", "half"}
_AND = {"e", "and"}


def _it_below_100(w: str) -> int | None:
    if w in IT_UNITS:
        return IT_UNITS[w]
    if w in IT_TEENS:
        return IT_TEENS[w]
    for tens, value in IT_TENS.items():
        if w == tens:
            return value
        # ventidue, trentatre; the tens' vowel elided before uno and otto (ventuno, trentotto)
        for stem in (tens, tens[:-1]):
            rest = w[len(stem):] if w.startswith(stem) else None
            if rest and rest in IT_UNITS and rest not in ("un", "una") and (
                    (stem == tens) != (rest in ("uno", "otto"))):
                return value + IT_UNITS[rest]
    return None


def _it_below_1000(w: str) -> int | None:
    k = w.find("cent")
    if k < 0:
        return _it_below_100(w)
    head, tail = w[:k], w[k + 4:]
    hundreds = 1 if not head else IT_UNITS.get(head) if head not in ("un", "una", "uno") else None
    # cento, centodue; its vowel elided before otto and ottanta (centotto, centottanta)
    rest = 0 if tail in ("", "o") else (
        (_it_below_100(tail[1:]) if tail.startswith("o") else None) or _it_below_100(tail))
    if hundreds is None or rest is None:
        return None
    return hundreds * 100 + rest


@lru_cache(maxsize=50_000)
def italian(word: str) -> int | None:
    """The value of one Italian number word (folded, without accents): milleottocentoventitre
    = 1823, novecentomila = 900000, trecentododici = 312, ventotto = 28; None if it is none."""
    if word.startswith("mille"):
        rest = word[5:]
        value = 0 if not rest else _it_below_1000(rest)
        return None if value is None else 1000 + value
    k = word.find("mila")
    if k > 0:
        head, tail = _it_below_1000(word[:k]), word[k + 4:]
        below = 0 if not tail else _it_below_1000(tail)
        return None if head is None or below is None or head < 2 else head * 1000 + below
    return _it_below_1000(word)


def english(word: str) -> int | None:
    """One English number word: seven, forty, thirty-two."""
    if word in EN_SMALL:
        return EN_SMALL[word]
    if word in EN_TENS:
        return EN_TENS[word]
    tens, _, unit = word.partition("-")
    if tens in EN_TENS and unit in EN_SMALL and 0 < EN_SMALL[unit] < 10:
        return EN_TENS[tens] + EN_SMALL[unit]
    return None


@lru_cache(maxsize=100_000)
def _value(word: str) -> int | None:
    value = italian(word)
    return english(word) if value is None else value


def phrases(text: str) -> list[tuple[str, float]]:
    """(words as written, value) of each number written in words with more than one part:
    joined in one word (settemila, milleottocentoventitre) or written apart (sette milioni e
    mezzo, two hundred and five, nineteen thirty-one). Simple single words (tre, seven) are
    left to the caller."""
    out: list[tuple[str, float]] = []
    found = list(HYPHENATED.finditer(text))
    words = [(m.group(0), _fold(m.group(0))) for m in found]
    # a run of number words is not broken by spaces only: "duemila, un milione" is two
    apart = [k > 0 and bool(text[found[k - 1].end():m.start()].strip())
             for k, m in enumerate(found)]
    k = 0
    while k < len(words):
        start = k
        total = current = last_scale = 0.0
        parts = 0
        while k < len(words):
            if parts and apart[k]:
                break
            word = words[k][1]
            following = words[k + 1][1] if k + 1 < len(words) and not apart[k + 1] else ""
            value = _value(word)
            if value is None and word in ("a", "an") and not parts and (
                    following == "hundred" or following in _SCALES):
                value = 1                                    # a hundred, a million
            if value is not None:
                if not parts:
                    current = value
                elif 10 < current < 100 and 10 <= value < 100 and not last_scale:
                    current = current * 100 + value          # nineteen thirty-one
                elif current % 100 == 0 or (current < 100 and current % 10 == 0
                                            and value < 10):
                    current += value                         # two hundred five; ninety nine
                else:
                    break                                    # tre quattro: two numbers
            elif word == "hundred" and parts:
                current = (current or 1) * 100
            elif word in _SCALES and parts:
                total += (current or 1) * _SCALES[word]
                current, last_scale = 0.0, _SCALES[word]
            elif word in _AND and parts and current % 100 == 0 and (
                    _value(following) is not None or following in _HALF):
                k += 1                                       # cento e undici, milioni e mezzo
                continue
            elif word in _HALF and parts and last_scale and not current:
                total += 0.5 * last_scale
            else:
                break
            parts += 1
            k += 1
        if not parts:
            k += 1
            continue
        amount = total + current
        compound = parts == 1 and (italian(words[start][1]) or 0) >= 100
        if amount and (parts > 1 or compound):
            out.append((" ".join(w for w, _ in words[start:k]), amount))
    return out
