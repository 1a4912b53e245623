"""What the model-free scorer and the divergence checks know about languages.

Only knowledge that transfers between Italian and English writing (and degrades to nothing for
other languages): how numbers are written, scale words, month names. Everything else is learnt
from the two documents at hand (which words and character n-grams both sides share).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
# "may" and "march" are also ordinary English words: only counted next to a number.
AMBIGUOUS_MONTHS = {"may", "march", "mai", "mars"}

_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:([.,\u2019' ])\d{3})(?:\2\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
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
    decimal_comma = lang.split("-")[0].lower() in _DECIMAL_COMMA
    for m in _NUMBER.finditer(text):
        raw = m.group(1)
        end = m.end(1)
        if end < len(text) and text[end].isalpha() and not m.group(4):
            continue
        value = _parse(raw, decimal_comma)
        if value is None:
            continue
        scale_word = (m.group(5) or "").lower()
        if scale_word in SCALES:
            value *= SCALES[scale_word]
        out.append(Number(raw, value, bool(m.group(3))))
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


def months(text: str) -> list[int]:
    """Month numbers named in the text (ottobre = October = 10)."""
    out = []
    words = _WORD.findall(text)
    for k, w in enumerate(words):
        lw = w.lower()
        month = MONTHS.get(lw)
        if month is None:
            continue
        if lw in AMBIGUOUS_MONTHS:
            near = words[max(0, k - 1):k + 2]
            if not any(x[0].isdigit() for x in near if x):
                continue
        out.append(month)
    return out


_WORD = re.compile(r"\w+", re.UNICODE)


def fold(word: str) -> str:
    """Lower case without accents: the form cognates are compared in (città ~ citta)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Site furniture that travels with scraped articles: credits, newsletters, share buttons,
# platform footers. Matched on a whole short sentence, in the languages we know.
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        (?:fonte|source|fonti|sources|foto|photo|credits?|crediti|via)\s*:.{0,60}
      | powered\s+by\b.{0,60}
      | (?:iscriviti|sign\s+up|subscribe|abbonati)\b.{0,120}
      | .{0,60}\bnewsletter\b.{0,60}
      | (?:condividi|share|tweet)(?:\s+(?:on|su|this|questo|l'articolo|articolo|article|story
          |via|facebook|twitter|whatsapp|linkedin|email))*
      | (?:related|advertisement|pubblicit[àa]|sponsored?)(?:\s+(?:content|articles|stories))?
      | (?:leggi\s+anche|read\s+more|read\s+also|continua\s+a\s+leggere|continue\s+reading)
          \b.{0,80}
      | (?:©|\(c\)|copyright|riproduzione\s+riservata|all\s+rights\s+reserved
          |tutti\s+i\s+diritti\s+riservati).{0,80}
      | (?:di|by)\s+(?-i:[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_boilerplate(sentence: str) -> bool:
    """A credit line, newsletter call, share button or footer rather than article content."""
    return len(sentence) <= 200 and bool(_BOILERPLATE.match(sentence.strip()))
