"""The number check: numbers, months and clock times whose value stands on one side only, with
measures converted between units (10 inches = 25 cm) allowed for."""

from __future__ import annotations

import contextlib
import re
from collections import Counter

from aligner.data import Flag
from aligner.diverge.context import Context, Pair, one_side_only
from aligner.diverge.placeholders import mask
from aligner.text.analysis import analyse
from aligner.text.language import base
from aligner.text.numbers import AMBIGUOUS_MONTHS, MONTHS, Number, number_words, tokens

# Units whose numbers change in a translation that converts them (10 inches = 25 cm): each
# spelling, in the languages we know, with its family and the unit it names.
_UNITS: dict[str, tuple[str, str]] = {}
for _family, _spellings in {
    "length": {"mm": "mm millimetri millimetro millimeters millimetres millimeter millimetre",
               "cm": "cm centimetri centimetro centimeters centimetres centimeter centimetre",
               "m": "m metri metro meters metres meter metre",
               "km": "km chilometri chilometro kilometers kilometres kilometer kilometre",
               "in": "inch inches pollici pollice", "ft": "ft foot feet piedi piede",
               "yd": "yd yard yards iarde", "mi": "mile miles miglia miglio"},
    "mass": {"g": "g grammi grammo grams gram grammes", "kg": "kg chili chilo chilogrammi "
             "chilogrammo kilos kilo kilograms kilogram", "oz": "oz oncia ounces ounce",
             "lb": "lb lbs libbre libbra pounds pound", "t": "tonnellate tonnellata tons "
             "ton tonnes tonne"},
    "temp": {"c": "°c celsius", "f": "°f fahrenheit", "deg": "gradi grado degrees degree"},
    "volume": {"l": "litri litro liters litres liter litre",
               "gal": "gal galloni gallone gallons gallon"},
    "speed": {"kmh": "km/h kmh kph", "mph": "mph"},
}.items():
    for _unit, _words in _spellings.items():
        for _word in _words.split():
            _UNITS[_word] = (_family, _unit)


def _loose_months(text: str) -> Counter[str]:
    """The months a text names with a word that is also an ordinary word (May, March)."""
    return Counter(f"month {MONTHS[w.lower()]}" for w in tokens(text)
                   if w.lower() in AMBIGUOUS_MONTHS)


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """Numbers (and months) whose value appears on one side only.

    1.500 (it) = 1,500 (en), 3,5 = 3.5, 15 miliardi = 15 billion, 21 ottobre = October 21.
    A measure converted to another unit (25 cm = 10 inches, 26 gradi = 79 degrees) matches
    its conversion on the other side, within the rounding translators allow.
    """
    src, tgt, src_lang, tgt_lang, th = (mask(pair.src), mask(pair.tgt), pair.src_lang,
                                        pair.tgt_lang, ctx.thresholds)
    # the texts as the masking left them: their analysis is computed here, once per text
    one, two = analyse(src, src_lang), analyse(tgt, tgt_lang)
    a_times, b_times = list(one.times), list(two.times)
    a_nums = [n for n in one.numbers if not _inside(n, a_times)]
    b_nums = [n for n in two.numbers if not _inside(n, b_times)]
    a = (Counter(n.key for n in a_nums) + Counter(f"month {m}" for m in one.months)
         + Counter(f"time {t}" for _, _, t in a_times))
    b = (Counter(n.key for n in b_nums) + Counter(f"month {m}" for m in two.months)
         + Counter(f"time {t}" for _, _, t in b_times))
    a_words = Counter(n.key for n in one.number_words)
    b_words = Counter(n.key for n in two.number_words)
    only_a, only_b = a - b - b_words, b - a - a_words
    # A month whose name is also a word (May, March, Mai) counts only in a date, but the other
    # side's month matches it wherever it stands ("May" / "Maggio" in a calendar's labels).
    only_a -= _loose_months(tgt)
    only_b -= _loose_months(src)
    # Numbers in words against each other (tre / five, nove / 5): translations add and drop
    # them (due volte = twice, entrambi = both two), so a value in words that one side lacks
    # counts only where the other side has one it lacks too: one number put for another.
    spelled_a, spelled_b = list(one.spelled), list(two.spelled)
    words_a = Counter(n.key for n in spelled_a) - b - b_words
    words_b = Counter(n.key for n in spelled_b) - a - a_words
    if (words_a or words_b) and (words_a or only_a) and (words_b or only_b):
        only_a, only_b = only_a + words_a, only_b + words_b
    # A currency for another one ($10 billion / 10 miliardi di euro), the same way.
    money_a, money_b = Counter(one.currencies), Counter(two.currencies)
    if money_a - money_b and money_b - money_a:
        only_a += Counter(f"currency {c}" for c in money_a - money_b)
        only_b += Counter(f"currency {c}" for c in money_b - money_a)
    # The same figure written the same way on both sides is a copy, whichever separator
    # convention each language reads it by (1.000 euro / 1.000 euros).
    for x in a_nums:
        for y in b_nums:
            if x.text == y.text and x.key != y.key and {x.value, y.value} <= _readings(x.text):
                only_a.pop(x.key, None)
                only_b.pop(y.key, None)
    # A clock time on one side written as a plain number on the other (alle ore 5 = 5 a.m.,
    # alle 4.40 = 4.40 am) is the same time.
    only_a, only_b = _times_as_numbers(only_a, only_b), _times_as_numbers(only_b, only_a)
    a_measures = [(n, _measure(src, n)) for n in a_nums]
    b_measures = [(n, _measure(tgt, n)) for n in b_nums]
    only_a = _unconverted(only_a, a_measures, b_measures, th.conversion_tolerance)
    only_b = _unconverted(only_b, b_measures, a_measures, th.conversion_tolerance)
    if not only_a and not only_b:
        return []
    a_all, b_all = a_nums + spelled_a, b_nums + spelled_b
    shown_a = tuple(dict.fromkeys(n.text for n in a_all if n.key in only_a))
    shown_b = tuple(dict.fromkeys(n.text for n in b_all if n.key in only_b))
    message = one_side_only(_labels(a_all, only_a, src_lang), _labels(b_all, only_b, tgt_lang))
    # one side's figure against the other's number words: say what the other side says
    for side, mine, other_keys, text in (("source", only_a, b, src), ("target", only_b, a, tgt)):
        if not mine:
            words = _spelled(text, other_keys)
            if words:
                message += f"; the {side} says {', '.join(words)}"
    return [Flag("number-mismatch", message, "error", shown_a, shown_b)]


_MONTH_NAMES = {
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def _value(v: float) -> str:
    """A value as both languages read it: digits grouped by spaces (3 000 000)."""
    if v == int(v) and abs(v) < 1e18:
        return f"{int(v):,}".replace(",", " ")
    return f"{v:.12g}"


def _readings(text: str) -> set[float]:
    """The values a figure's digits can mean, by either separator convention (1.000: 1000 or
    1.0; 3,5: 3.5 or 35), without scale words."""
    digits = text.lstrip("+-−")
    out = set()
    for thousands, decimal in ((".", ","), (",", ".")):
        with contextlib.suppress(ValueError):
            out.add(float(digits.replace(thousands, "").replace(decimal, ".")))
    return out


def _labels(nums: list[Number], only: Counter[str], lang: str) -> tuple[str, ...]:
    """What a reviewer reads for the keys on one side only: each figure as written, with its
    value where a scale word changed it (3 billion: "3 (= 3 000 000 000)"); months by name;
    clock times as times."""
    out: dict[str, None] = {}
    for n in nums:
        if n.key in only:
            plain = n.value in _readings(n.text)
            out[n.text if plain else f"{n.text} (= {_value(n.value)})"] = None
    for key in only:
        if key.startswith("month "):
            k = int(key.split()[1])
            names = _MONTH_NAMES.get(base(lang))
            out[names[k - 1] if names and 1 <= k <= 12 else f"month {k}"] = None
        elif key.startswith("time "):
            out[key[5:]] = None
        elif key.startswith("currency "):
            out[f"{key[9:]} (currency)"] = None
        elif not any(n.key == key for n in nums):
            out[key] = None
    return tuple(out)


def _spelled(text: str, other: Counter[str]) -> list[str]:
    """The number words of ``text`` (tre milioni) whose value the other side lacks, each with
    its value, the longest reading of overlapping ones."""
    found = [n for n in number_words(text) if n.key not in other]
    texts = [n for n in found if not any(n.text != m.text and n.text in m.text for m in found)]
    return list(dict.fromkeys(f"{n.text} (= {_value(n.value)})" for n in texts))


# Each unit in its family's base unit (m, kg, l, km/h); temperatures are converted apart.
_SCALE = {"mm": 0.001, "cm": 0.01, "m": 1.0, "km": 1000.0, "in": 0.0254, "ft": 0.3048,
          "yd": 0.9144, "mi": 1609.34, "g": 0.001, "kg": 1.0, "oz": 0.02835, "lb": 0.4536,
          "t": 1000.0, "l": 1.0, "gal": 3.785, "kmh": 1.0, "mph": 1.609}
_UNSURE = ("length", "?")           # the inches of 6-foot-6: a measure, unit unknown


def _unconverted(only: Counter[str], mine: list[tuple[Number, tuple[str, str] | None]],
                 theirs: list[tuple[Number, tuple[str, str] | None]], tolerance: float
                 ) -> Counter[str]:
    """``only`` without the measures that match a measure of the other side once converted,
    and without measures whose unit cannot be told (they cannot be checked)."""
    out = Counter(only)
    for number, measure in mine:
        if number.key not in out or measure is None:
            continue
        if measure == _UNSURE or any(
                other is not None and _same_measure(number.value, measure, o.value, other,
                                                    tolerance)
                for o, other in theirs):
            del out[number.key]
    return out


def _same_measure(x: float, xu: tuple[str, str], y: float, yu: tuple[str, str],
                  tolerance: float) -> bool:
    """Whether x in unit xu and y in unit yu are the same measure, converted and rounded.

    The tolerance is for conversions only: in the same unit (16,5 chilometri / 18.5 km) nothing
    was converted, so a different number is a changed number, however close."""
    if xu[0] != yu[0] or yu == _UNSURE or (xu[1] == yu[1] and xu[1] != "deg"):
        return False
    if xu[0] == "temp":                 # bare degrees may be either scale
        celsius = [x] if xu[1] == "c" else [(x - 32) * 5 / 9] if xu[1] == "f" else [
            x, (x - 32) * 5 / 9]
        other = [y] if yu[1] == "c" else [(y - 32) * 5 / 9] if yu[1] == "f" else [
            y, (y - 32) * 5 / 9]
        return any(abs(c - d) <= 1.5 for c in celsius for d in other)
    if xu[1] not in _SCALE or yu[1] not in _SCALE:
        return False
    a, b = x * _SCALE[xu[1]], y * _SCALE[yu[1]]
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _times_as_numbers(only: Counter[str], other: Counter[str]) -> Counter[str]:
    """``only`` without the times whose hour (or hour.minute) is a number in ``other``, and
    without the numbers that are the hour of a time in ``other``."""
    other_keys = {k for k in other if not k.startswith("time ")}
    other_times = set().union(*(_time_keys(k[5:]) for k in other if k.startswith("time ")))
    return Counter({k: v for k, v in only.items()
                    if not (k.startswith("time ") and _time_keys(k[5:]) & other_keys)
                    and k not in other_times})


def _time_keys(hhmm: str) -> set[str]:
    """The plain numbers a clock time can be written as: 15:00 -> 15, 3; 04:40 -> 4.4."""
    hour, minute = int(hhmm[:2]), int(hhmm[3:])
    keys = {str(hour), str(hour % 12 or 12)}
    if minute:
        keys |= {f"{h}.{minute:02d}".rstrip("0") for h in (hour, hour % 12 or 12)}
    return keys


_AFTER_NUMBER = re.compile(
    r"\s*(?:(?:-|–|to|a|ai|al|e|and|or|o)\s*[\d.,]+\s*)?-?([°º][cCfF]|km/h|[^\W\d_]+)")
_FEET_INCHES = re.compile(r"(?:foot|feet|ft)[-\s]$|\d['’]\s*$")


def _measure(text: str, number: Number) -> tuple[str, str] | None:
    """(family, unit) of a number: the unit after it, looking through a range (2 to 10 cm,
    dai 2 ai 10 cm) or a hyphen (a 6-foot man); the inches of 6-foot-6 and 6'2" are a length
    of unsure unit."""
    if number.end < 0:
        return None
    m = _AFTER_NUMBER.match(text, number.end)
    measure = _UNITS.get(m.group(1).lower().replace("º", "°")) if m else None
    start = number.end - len(number.text)
    if measure is None and _FEET_INCHES.search(text[max(0, start - 6):start]):
        return _UNSURE
    return measure


def _inside(number: Number, spans: list[tuple[int, int, str]]) -> bool:
    return any(a < number.end <= b for a, b, _ in spans)
