"""Numbers, clock times and months as values, whatever language writes them.

1.500 (it) = 1,500 (en), 3,5 = 3.5, 15 miliardi = 15 billion, ventitré = 23, ottobre = October
= 10. The scorer matches them across languages and the number check compares them; this is
knowledge that transfers between European languages and degrades to nothing elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.text import spelled
from aligner.text.language import base
from aligner.text.words import tokens

# Decimal comma and thousands dot (1.500,5) versus decimal dot and thousands comma (1,500.5).
_DECIMAL_COMMA = {"it", "de", "fr", "es", "pt", "nl", "ro", "ca", "pl", "cs", "sv", "da", "no",
                  "fi", "ru", "tr", "el", "hu", "sl", "hr", "sk", "lt", "lv", "et", "bg", "uk"}

SCALES: dict[str, float] = {
    # Italian
    "mila": 1e3, "migliaia": 1e3, "milione": 1e6, "milioni": 1e6, "mln": 1e6, "miliardo": 1e9,
    "miliardi": 1e9, "mld": 1e9, "mldr": 1e9, "bilione": 1e12, "bilioni": 1e12,
    # English
    "thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "trillion": 1e12, "trillions": 1e12,
    "mn": 1e6,
    # German, French, Spanish
    "tausend": 1e3, "millionen": 1e6, "milliarde": 1e9, "milliarden": 1e9, "mio": 1e6,
    "mrd": 1e9, "mille": 1e3, "milliard": 1e9, "milliards": 1e9,
    "millones": 1e6, "millón": 1e6, "mil": 1e3,
}

# Endings glued to a number that keep it a number: Italian ages and ordinals.
_GLUED_SUFFIXES = {"enne", "esimo", "esima", "esimi", "esime", "mo", "ma", "mi", "me",
                   "e", "er", "re", "eme"}          # French ordinals: le 8e, le 1er
# Units written glued to the number (8222m, 25cm, 80kg): a measure, not a name.
_GLUED_UNITS = {"m", "km", "cm", "mm", "kg", "g", "ft", "mph", "kmh", "kph", "lb", "lbs"}

# Scale words written glued to the number: £31million, $5bn, 10m.
_GLUED_SCALES = {"million": 1e6, "billion": 1e9, "bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3,
                 "mln": 1e6, "mld": 1e9, "trillion": 1e12}

MONTHS: dict[str, int] = {}
for _names in (
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "january february march april may june july august september october november december",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
):
    for _i, _name in enumerate(_names.split(), start=1):
        MONTHS.setdefault(_name, _i)
for _abbr, _i in (("jan", 1), ("feb", 2), ("aug", 8), ("sept", 9), ("oct", 10), ("nov", 11),
                 ("dec", 12), ("gen", 1), ("ott", 10), ("dic", 12)):
    MONTHS.setdefault(_abbr, _i)
# "may" and "march" are also ordinary English words: only counted next to a number.
AMBIGUOUS_MONTHS = {"may": {"en"}, "march": {"en"}, "mai": {"de", "fr"}, "mars": {"fr"},
                    "jan": {"en", "de"}, "feb": {"en", "de"}, "aug": {"en", "de"},
                    "sept": {"en", "fr"}, "oct": {"en"}, "nov": {"en", "de", "fr"},
                    "dec": {"en"}, "gen": {"it"}, "ott": {"it"}, "dic": {"it"}}
_MONTH_LANGS = {"it", "en", "de", "fr", "es"}
_DATE_CUES = {"in", "on", "by", "since", "until", "till", "during", "of", "last", "next", "early",
              "late", "mid", "this", "from", "through", "before", "after", "im", "seit", "bis",
              "en", "depuis", "fin", "début", "debut"}

_NUMBER = re.compile(
    r"(?:(?<![\w.,])|(?<=\b[A-Za-z]\.)|(?<=\b[A-Za-z]{2}\.)|(?<=\b[A-Za-z]{3}\.))"
    # ... and after an abbreviation's dot: No.1, n.1, S.298, Nr.212
    r"(\d{1,3}(?:([.,\u2019' ])\d{3})(?:\2\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:\s?(%|per ?cento|percent|per cent))?"
    r"(?:\s?(st|nd|rd|th|°|º|ª))?"
    r"(?:\s+(?:di\s+)?([A-Za-zÀ-ÿ]+))?"
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written (``text``) and its value once separators and scale words are read."""

    text: str
    value: float
    percent: bool = False
    end: int = -1                 # where the digits end in the text (-1: not from a text)

    @property
    def key(self) -> str:
        """A language-independent spelling: 1.500 (it) and 1,500 (en) both give ``1500``."""
        v = self.value
        return f"{int(v)}" if v == int(v) and abs(v) < 1e18 else f"{v:.12g}"


def numbers(text: str, lang: str) -> list[Number]:
    """The numbers in ``text``, read with ``lang``'s separators, with scale words applied.

    1.500 (it) = 1,500 (en) = 1500; 3,5 (it) = 3.5 (en); "15 miliardi" = "15 billion" = 1.5e10.
    Digits glued to letters (O3b, MP3, 4G) are names, not numbers.
    """
    out: list[Number] = []
    decimal_comma = base(lang) in _DECIMAL_COMMA
    for m in _NUMBER.finditer(text):
        raw = m.group(1)
        end = m.end(1)
        glued = re.match(r"[A-Za-z]+", text[end:]) if not m.group(4) else None
        after_currency = text[m.start(1) - 1:m.start(1)] in {"£", "$", "€"}
        if glued and ((glued.group(0) == "s" and len(raw) == 4)
                      or glued.group(0).lower() in _GLUED_SUFFIXES
                      or (glued.group(0) in _GLUED_UNITS and not after_currency)):
            glued = None            # the 1930s; un 56enne; il 47esimo, il 25mo; 8222m
        elif glued and (glued.group(0).lower() not in _GLUED_SCALES or (
                glued.group(0).lower() in {"m", "k"} and text[m.start(1) - 1:m.start(1)]
                not in {"£", "$", "€"})):
            continue                       # O3b, MP3, 4G, 100m: names or units, not amounts
        if _CODE_BEFORE.search(text, 0, m.start(1)) or (
                raw.isdigit() and _CODE_SPACE_BEFORE.search(text, 0, m.start(1))):
            continue                       # F-125, MH-17, B 612: a designation, not an amount
        if _MAN_SECTION.match(text, m.start(1) - 1) and text[m.start(1) - 2:m.start(1) - 1] \
                and (text[m.start(1) - 2].isalnum() or text[m.start(1) - 2] in "._-"):
            continue                       # journald.conf(5), printf(3p): a man page section
        value = _parse(raw, decimal_comma)
        if value is None:
            continue
        scale_word = (glued.group(0) if glued else m.group(5) or "").lower()
        scale = _GLUED_SCALES.get(scale_word) if glued else SCALES.get(scale_word)
        if scale:
            value *= scale
        start = m.start(1)
        if len(raw) == 2 and text[start - 1:start] in {"'", "’", "‘"} and (
                start < 2 or not text[start - 2].isalpha()):
            value += 1900 if value >= 30 else 2000        # anni '30 = the 1930s
        out.append(Number(raw, value, bool(m.group(3)), end))
    return out


# A designation: capitals and a hyphen (F-125, MH-17), or one or two capitals and a space
# before a whole number inside a sentence (l'asteroide B 612 = the asteroid B-612); not a
# capital that starts a sentence ("A 5 anni", "E 3 feriti"), nor a name and its figure
# ("e CNN 2,52 milioni").
_CODE_BEFORE = re.compile(r"(?<![A-Za-z])[A-Z]{1,3}-$")
_CODE_SPACE_BEFORE = re.compile(r"(?<=[a-zà-ÿ] )[A-Z]{1,2} $")
_MAN_SECTION = re.compile(r"\(\d[a-z]{0,3}\)")

_TIME_24 = re.compile(r"(?<![\d.,])([01]?\d|2[0-3])[.:]([0-5]\d)(?!\d)(?![.,]\d)")
_TIME_12 = re.compile(r"(?<![\d.,])(1[0-2]|0?\d)(?::([0-5]\d))?\s*([ap])\.?\s?m\b\.?",
                      re.IGNORECASE)


def times(text: str, lang: str = "en") -> list[tuple[int, int, str]]:
    """Clock times as (start, end, "HH:MM"): 15:00, 3 p.m., 2pm, and 15.00 where a dot
    cannot be a decimal point (languages with a decimal comma)."""
    out = []
    dot_ok = base(lang) in _DECIMAL_COMMA
    for m in _TIME_12.finditer(text):
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
        out.append((m.start(), m.end(), f"{hour:02d}:{int(m.group(2) or 0):02d}"))
    taken = [(a, b) for a, b, _ in out]
    for m in _TIME_24.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or (m.group(0)[-3] == "." and not dot_ok):
            continue
        out.append((m.start(), m.end(), f"{int(m.group(1)):02d}:{m.group(2)}"))
    return sorted(out)


_ROMAN = re.compile(r"\b(?=[MDCLXVI]{2,})M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\b")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(numeral: str) -> int:
    total = 0
    for a, b in zip(numeral, numeral[1:] + " ", strict=True):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES[b] > v else v
    return total


# Number words, matched against digits on the other side (tredici = 13; a "tredicenne" is
# 13 years old). 1 is left out: "un", "one" are mostly articles and pronouns.
_NUMBER_WORDS: dict[str, int] = {
    **{w: v for table in (spelled.IT_UNITS, spelled.IT_TEENS, spelled.IT_TENS, spelled.EN_SMALL,
                          spelled.EN_TENS) for w, v in table.items() if v >= 2},
    "cento": 100, "hundred": 100, "mille": 1000, "thousand": 1000, "dozen": 12, "dozzina": 12}


# Ordinals 1-20 (the regular Italian ones from 11 up are made from the cardinals below).
_ORDINALS = {
    1: "first primo prima primi prime", 2: "second secondo seconda", 3: "third terzo terza",
    4: "fourth quarto quarta", 5: "fifth quinto quinta", 6: "sixth sesto sesta",
    7: "seventh settimo settima", 8: "eighth ottavo ottava", 9: "ninth nono nona",
    10: "tenth decimo decima", 11: "eleventh", 12: "twelfth", 13: "thirteenth",
    14: "fourteenth", 15: "fifteenth", 16: "sixteenth", 17: "seventeenth", 18: "eighteenth",
    19: "nineteenth", 20: "twentieth", 30: "thirtieth", 40: "fortieth", 50: "fiftieth",
    100: "hundredth",
}

# the units a tens word joins (trentadue, ventuno, thirty-two); "una" joins none
_UNITS_IT = {w: v for w, v in spelled.IT_UNITS.items() if w != "una"}
_UNITS_EN = {w: v for w, v in spelled.EN_SMALL.items() if 1 <= v <= 9}


def _all_number_words() -> dict[str, int]:
    """Every written form: simple words, compounds (thirty-two, trentadue, ventotto with its
    elided vowel) and Italian ages (ventenne, trentaduenne)."""
    forms = dict(_NUMBER_WORDS)
    for tens_word, tens in _NUMBER_WORDS.items():
        if tens % 10 or not 20 <= tens <= 90:
            continue
        for unit_word, unit in _UNITS_EN.items():
            forms[f"{tens_word}-{unit_word}"] = tens + unit
        for unit_word, unit in _UNITS_IT.items():
            forms[tens_word + unit_word] = forms[tens_word[:-1] + unit_word] = tens + unit
    for form, value in list(forms.items()):
        if form.isalpha() and form[-1] in "aeio":
            stem = form if form.endswith("tre") else form[:-1]    # ventitreenne, ventenne
            forms.setdefault(stem + "enne", value)
            if value > 10:
                for end in "oaie":                                 # sedicesima, ventitreesimo
                    forms.setdefault(f"{stem}esim{end}", value)
    for value, words in _ORDINALS.items():
        for w in words.split():
            forms.setdefault(w, value)
    # English compound ordinals (the twenty-fifth day of March = il 25 marzo)
    for tens_word, tens in spelled.EN_TENS.items():
        for unit in range(1, 10):
            forms.setdefault(f"{tens_word}-{_ORDINALS[unit].split()[0]}", tens + unit)
    return forms


_ALL_NUMBER_WORDS = _all_number_words()


# Decades in words: gli anni Ottanta = the eighties = the 1980s.
_DECADE_WORDS = re.compile(r"\banni\s+(venti|trenta|quaranta|cinquanta|sessanta|settanta|"
                           r"ottanta|novanta)\b", re.IGNORECASE)
_DECADE_WORDS_EN = re.compile(r"\b(twent|thirt|fort|fift|sixt|sevent|eight|ninet)ies\b",
                              re.IGNORECASE)


_AND_TENS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine)-and-(twenty|thirty|"
                       r"forty|fifty|sixty|seventy|eighty|ninety)\b", re.IGNORECASE)


def spelled_numbers(text: str, found: list[Number] | None = None) -> list[Number]:
    """The numbers written in words, each once: the longest reading of words that read as
    several (tre milioni, not also tre; cento e undici, not also cento and undici).
    ``found``: ``number_words(text)`` when the caller has it."""
    if found is None or _PER_CENTO.search(text):
        found = number_words(_PER_CENTO.sub(" %", text))
    found = [n for n in found if n.text.lower() not in _COMMON_WORDS]
    return [n for n in found if not any(n.text != m.text and n.text in m.text for m in found)]


# Number words that are mostly other words: prima / primo (before, first: the value 1 is
# "un" and "one", never counted), secondo (according to), second (of time), sei (you are).
_COMMON_WORDS = {"primo", "prima", "primi", "prime", "first", "secondo", "seconda", "second",
                 "sei"}
_PER_CENTO = re.compile(r"\bper\s+cento\b", re.IGNORECASE)


def number_words(text: str) -> list[Number]:
    """Numbers written as words (it, en; ``aligner.text.spelled`` for compounds and phrases),
    Italian ages (ventenne = 20) and Roman numerals (XIX secolo = 19th century)."""
    out = [Number(m.group(0), float(_roman(m.group(0)))) for m in _ROMAN.finditer(text)
           if m.group(0)]
    for m in _DECADE_WORDS.finditer(text):
        out.append(Number(m.group(0), 1900.0 + _NUMBER_WORDS[m.group(1).lower()]))
    for m in _DECADE_WORDS_EN.finditer(text):
        out.append(Number(m.group(0), 1900.0 + _NUMBER_WORDS[m.group(1).lower() + "y"]))
    for m in _AND_TENS.finditer(text):                    # five-and-twenty = 25
        out.append(Number(m.group(0).lower(), float(spelled.EN_SMALL[m.group(1).lower()]
                                                    + spelled.EN_TENS[m.group(2).lower()])))
    for w in re.findall(r"\w+(?:-\w+)*", text.lower()):
        value = _ALL_NUMBER_WORDS.get(w)
        if value is None and "-" in w:
            head, tail = w.split("-", 1)
            # nine-day, ten-hour, five-time: the number before a hyphenated measure word
            if tail.split("-")[0] not in ("and", *_ALL_NUMBER_WORDS):
                value = _ALL_NUMBER_WORDS.get(head)
                w = head
        if value is not None:
            out.append(Number(w, float(value)))
    # compounds and phrases: milleottocentoventitré, sette milioni e mezzo, two hundred and five
    out += [Number(words, value) for words, value in spelled.phrases(text)]
    return out


def _parse(raw: str, decimal_comma: bool) -> float | None:
    s = raw.replace("\u2019", "'").replace(" ", "'")
    seps = [c for c in s if c in ".,'"]
    if not seps:
        return float(s)
    if "'" in seps:
        s = s.replace("'", "")
        seps = [c for c in seps if c != "'"]
        if not seps:
            return float(s)
    if "." in seps and "," in seps:
        decimal = s[max(s.rfind("."), s.rfind(","))]
        thousands = "," if decimal == "." else "."
    elif len(seps) > 1:
        thousands, decimal = seps[0], ""
    else:
        sep = seps[0]
        tail = s.split(sep)[1]
        own_thousands = "." if decimal_comma else ","
        if len(tail) == 3 and sep == own_thousands:
            thousands, decimal = sep, ""
        else:
            thousands, decimal = "", sep
    if thousands:
        s = s.replace(thousands, "")
    if decimal:
        s = s.replace(decimal, ".")
    try:
        return float(s)
    except ValueError:
        return None


def months(text: str, lang: str | None = None) -> list[int]:
    """Month numbers named in the text (ottobre = October = 10).

    ``lang``: the text's language; a month name that is also an ordinary word or name in
    another language (May, March, Mai) counts only in its own language, so that Theresa May
    in an Italian text is not a month.
    """
    own = base(lang) if lang else None
    out = []
    words = tokens(text)
    for k, w in enumerate(words):
        lw = w.lower()
        month = MONTHS.get(lw)
        if month is None:
            continue
        if lw in AMBIGUOUS_MONTHS:
            if own in _MONTH_LANGS and own not in AMBIGUOUS_MONTHS[lw]:
                continue
            near = words[max(0, k - 1):k + 2]
            # next to a number, or capitalised after a word that introduces a date ("in March",
            # "since May"): the month; "Theresa May", "may be" are not
            after_cue = k > 0 and w[0].isupper() and words[k - 1].lower() in _DATE_CUES
            if not (any(x[0].isdigit() for x in near if x) or after_cue):
                continue
        out.append(month)
    return out


# Currencies, by symbol and by name in the languages the checks know (a pound is also a
# weight: "pounds" counts as money only after a currency cue, see ``currencies``).
_CURRENCY_NAMES = {
    "USD": "dollaro dollari dollar dollars usd us$", "EUR": "euro euros eur",
    "GBP": "sterlina sterline sterling gbp", "JPY": "yen jpy", "CHF": "franco franchi franc "
    "francs chf", "CNY": "yuan renminbi cny", "INR": "rupia rupie rupee rupees inr",
    "RUB": "rublo rubli rouble roubles ruble rubles rub",
}
_CURRENCY_WORDS = {w: code for code, words in _CURRENCY_NAMES.items() for w in words.split()}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB"}
_POUNDS = re.compile(r"\d\s*(?:million|billion|m|bn)?\s*pounds?\b|\bpounds?\s+sterling\b",
                     re.IGNORECASE)


def currencies(text: str) -> list[str]:
    """The currency of each amount or currency name in the text, as ISO codes: 10 miliardi di
    dollari = $10 billion = USD; £5 = 5 sterline = GBP. "Pounds" is money after a figure (5
    million pounds), a weight too but the number check converts weights apart."""
    out = [_CURRENCY_SYMBOLS[c] for c in text if c in _CURRENCY_SYMBOLS]
    for w in tokens(text):
        code = _CURRENCY_WORDS.get(w.lower())
        if code:
            out.append(code)
    out += ["GBP"] * len(_POUNDS.findall(text))
    return out
