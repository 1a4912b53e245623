"""Divergence checks on aligned beads: what a QA reviewer must look at, with the evidence.

Each check is a small function of the two sides' texts and what the documents as a whole say;
thresholds live in ``Thresholds`` (one place, each documented, all settable from the CLI with
``--check NAME=VALUE``). A bead with a flag of severity ``error`` gets the status ``divergent``.
Extra content (1-0, 0-1 beads) that looks like site furniture gets a ``boilerplate`` flag.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache

from aligner.data import Bead, Document, Flag
from aligner.lexicon import hand
from aligner.text import language
from aligner.text.boilerplate import is_boilerplate
from aligner.text.numbers import MONTHS, Number, months, number_words, numbers, times
from aligner.text.words import FUNCTION_WORDS, TOKEN, fold, spelling, tokens


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where each check fires (tuned on ntrex-dev; see README "Divergences").

    low_similarity: an aligned bead scoring under this (0.5 is the aligner's break-even) gets a
        ``low-similarity`` warning.
    length_ratio: a side shorter than this share of what the document's length ratio predicts
        for the other side is missing content (``omission`` / ``addition``).
    length_min_chars: ... and the difference must be at least this many characters ...
    length_z: ... and this many standard deviations of Gale and Church's length model (a short
        string and its wordier translation differ by many characters by chance).
    tail_length_ratio, tail_min_words: a side shorter than this share of what the other
        predicts, where the other ends with at least this many words that have no counterpart
        (and this side's end has one), lacks the other's final clause.
    untranslated_min_chars: shorter identical pairs (names, numbers, "OK") are not flagged.
    untranslated_min_words: a target using this many distinct function words of the source
        language, and three times more than of its own, is flagged even when not a copy.
    conversion_tolerance: a measure converted to another unit matches its conversion on the
        other side within this relative difference (translators round: 30 yards ~ 25 m).
    adequacy_mads, adequacy_min_nats: with MarianMT, a bead whose dual conditional
        cross-entropy lies this many median absolute deviations (and at least this many nats)
        above the document's median gets ``low-adequacy`` (a warning: not yet validated on a
        real model, which this machine cannot download).
    """

    low_similarity: float = 0.55
    adequacy_mads: float = 3.5
    adequacy_min_nats: float = 1.0
    length_ratio: float = 0.5
    length_min_chars: int = 30
    length_z: float = 2.0
    tail_length_ratio: float = 0.82
    tail_min_words: int = 2
    untranslated_min_chars: int = 20
    untranslated_min_words: int = 4
    conversion_tolerance: float = 0.15

    @classmethod
    def parse(cls, items: Sequence[str]) -> Thresholds:
        """``["length_ratio=0.7", ...]`` from the command line; raises ValueError when wrong."""
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, float | int] = {}
        for item in items:
            name, _, raw = item.partition("=")
            name = name.strip().replace("-", "_")
            if name not in known or not raw:
                raise ValueError(f"unknown check threshold {item!r} "
                                 f"(known: {', '.join(sorted(known))})")
            values[name] = int(raw) if known[name] in ("int", int) else float(raw)
        return cls(**values)


DEFAULT = Thresholds()

_CAPITAL = re.compile(r"(?<![\w'’])([A-ZÀ-Ý][\w'’.-]*[\w])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“«(—–-])\W*$")


@dataclass(frozen=True, slots=True)
class _Context:
    """What the documents as a whole tell the checks."""

    ratio: float                       # target characters per source character
    src_names: dict[str, tuple[int, int]]   # name -> (beads keeping it, beads missing it)
    tgt_names: dict[str, tuple[int, int]]
    src_texts: dict[tuple[str, ...], list[int]] | None = None   # folded words -> sentences
    tgt_texts: dict[tuple[str, ...], list[int]] | None = None


def check_all(beads: Sequence[Bead], source: Document, target: Document,
              thresholds: Thresholds = DEFAULT, adequacy: dict[int, float] | None = None
              ) -> tuple[Bead, ...]:
    """Every bead with its flags and status set.

    ``adequacy``: bead index -> the model's (dual conditional) cross-entropy of the pair, when
    MarianMT scored it; beads far above the document's median get ``low-adequacy``.
    """
    pairs = [(source.join(b.source), target.join(b.target)) for b in beads if not b.is_null]
    src_chars = sum(len(s) for s, _ in pairs)
    tgt_chars = sum(len(t) for _, t in pairs)
    langs = (source.lang, target.lang)
    ratio = tgt_chars / src_chars if src_chars and tgt_chars else 1.0
    if _can_fork(len(beads)):
        checked = _check_in_two(beads, source, target, thresholds, pairs, ratio)
    else:
        ctx = _Context(ratio, _name_habits(pairs, 0, langs), _name_habits(pairs, 1, langs),
                       _texts(source), _texts(target))
        checked = tuple(check(b, source, target, thresholds, ctx) for b in beads)
    if not adequacy or len(adequacy) < 5:
        return checked
    values = sorted(adequacy.values())
    median = values[len(values) // 2]
    mad = sorted(abs(v - median) for v in values)[len(values) // 2] or 1e-9
    limit = median + max(thresholds.adequacy_mads * mad, thresholds.adequacy_min_nats)
    return tuple(_adequacy_flag(b, adequacy.get(k), median, limit)
                 for k, b in enumerate(checked))


#: Beads above which the checks run in two processes (a long document on a multi-core
#: machine); each bead's check is independent of the others once the context is built.
PARALLEL_BEADS = 2000
_SHARED: tuple | None = None


def _check_in_two(beads: Sequence[Bead], source: Document, target: Document,
                  thresholds: Thresholds, pairs: list[tuple[str, str]], ratio: float
                  ) -> tuple[Bead, ...]:
    """check_all's work in two forked processes: one side's name habits each, then half the
    beads each (the documents reach them through the fork, the context as an argument)."""
    global _SHARED
    import multiprocessing

    langs = (source.lang, target.lang)
    half = len(beads) // 2
    _SHARED = (beads, source, target, thresholds)
    try:
        with multiprocessing.get_context("fork").Pool(2) as pool:
            habits = pool.starmap(_name_habits, [(pairs, 0, langs), (pairs, 1, langs)])
            ctx = _Context(ratio, habits[0], habits[1], _texts(source), _texts(target))
            first, second = pool.starmap(_check_slice, [(0, half, ctx),
                                                        (half, len(beads), ctx)])
    finally:
        _SHARED = None
    return tuple(first + second)


def _check_slice(start: int, end: int, ctx: _Context) -> list[Bead]:
    beads, source, target, thresholds = _SHARED  # type: ignore[misc]
    return [check(b, source, target, thresholds, ctx) for b in beads[start:end]]


def _can_fork(n: int) -> bool:
    """Two processes pay off on long documents, where fork is safe: a POSIX fork start method,
    at least two cores, not inside a daemonic worker (which may not have children), and no
    torch loaded (its thread pools do not survive a fork)."""
    import multiprocessing
    import os
    import sys

    return (n >= PARALLEL_BEADS and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon and "torch" not in sys.modules)


def _adequacy_flag(bead: Bead, value: float | None, median: float, limit: float) -> Bead:
    """A warning when the model finds this pair much less likely than the document's others."""
    if value is None:
        return bead
    if value >= limit:
        flag = Flag("low-adequacy", f"the translation model finds this pair unlikely: "
                    f"{value:.2f} nats/token against a median of {median:.2f}", "warning")
        return replace(bead, flags=(*bead.flags, flag))
    return bead


def _name_habits(pairs: list[tuple[str, str]], side: int, langs: tuple[str, str]
                 ) -> dict[str, tuple[int, int]]:
    """For each name of one side: in how many aligned beads the other side keeps it (or a
    cognate, gloss or acronym of it), and in how many it does not. Names kept elsewhere (Holly,
    Truly) are worth flagging where they go missing; names always translated are not."""
    lang, other_lang = langs[side], langs[1 - side]
    habits: dict[str, list[int]] = {}
    for pair in pairs:
        text, other = pair[side], pair[1 - side]
        view = _view(other, other_lang, lang)
        missing = {k for _, k in _unmatched_names(text, lang, view, initial=True)}
        for key in {k for _, k in _names_in(text, initial=True)}:
            entry = habits.setdefault(key, [0, 0])
            entry[1 if key in missing else 0] += 1
    return {k: (kept, missing) for k, (kept, missing) in habits.items()}


def check(bead: Bead, source: Document, target: Document, thresholds: Thresholds = DEFAULT,
          ctx: _Context | None = None) -> Bead:
    """The bead with its flags and status set."""
    src, tgt = source.join(bead.source), target.join(bead.target)
    if bead.is_null:
        texts = ((ctx.src_texts if bead.source else ctx.tgt_texts) if ctx is not None
                 else None) or _texts(source if bead.source else target)
        return replace(bead, status="extra", flags=_extra_reasons(bead, source, target, texts))
    if ctx is None:
        langs = (source.lang, target.lang)
        ctx = _Context(1.0, _name_habits([(src, tgt)], 0, langs),
                       _name_habits([(src, tgt)], 1, langs))
    found: list[Flag] = []
    found += _untranslated(src, source.lang, tgt, target.lang, thresholds)
    found += _placeholders(src, tgt)
    found += _numbers(src, source.lang, tgt, target.lang, thresholds)
    found += _names(src, source.lang, tgt, target.lang, ctx)
    found += _length(src, source.lang, tgt, target.lang, ctx, thresholds)
    if bead.score < thresholds.low_similarity and not found:
        found.append(Flag("low-similarity",
                          f"the two sides match weakly (score {bead.score:.2f})", "warning"))
    status = "divergent" if any(f.severity == "error" for f in found) else "aligned"
    return replace(bead, status=status, flags=tuple(found))


def _texts(doc: Document) -> dict[tuple[str, ...], list[int]]:
    """Each sentence's folded words -> the sentences that have exactly them."""
    out: dict[tuple[str, ...], list[int]] = {}
    for k, s in enumerate(doc.sentences):
        out.setdefault(tuple(fold(s.text).split()), []).append(k)
    return out


def _extra_reasons(bead: Bead, source: Document, target: Document,
                   texts: dict[tuple[str, ...], list[int]]) -> tuple[Flag, ...]:
    """Why content may stand on one side only: a second copy of a sentence of the same side
    (a title repeated above the article), or site furniture."""
    side, doc, ids = ("source", source, bead.source) if bead.source else (
        "target", target, bead.target)
    text = doc.join(ids)
    flags = []
    key = tuple(fold(text).split())
    if key:
        twin = next((k for k in texts.get(key, ()) if k not in ids), None)
        if twin is not None:
            flags.append(Flag("duplicate", f"duplicate of {side} {twin}", "info"))
    if is_boilerplate(text):
        flags.append(Flag("boilerplate", "site furniture (credit, newsletter, footer), not "
                          "article content", "info"))
    return tuple(flags)


# ---- placeholders and markup -----------------------------------------------------------------

# What software strings carry through a translation unchanged: format placeholders ({0},
# {name}, %s, %1$d, ${x}, @NAME@), markup tags (<b>, </b>, <br/>) and man-page references
# (journald.conf(5)). A translation must keep each one, as many times: QA tools (Xbench, Okapi
# CheckMate) check the same.
_PLACEHOLDER = re.compile(r"""
    \{\{?[\w.:,-]*\}\}?                               # {0} {name} {{var}}
  | \$\{[^}\s]+\}                                     # ${x}
  | %(?:\d+\$)?[-+#0]?\d*(?:\.\d+)?[sdifuxXeEgGc@]\b  # %s %d %1$s %.2f %@
  | @[A-Za-z_][A-Za-z0-9_]*@                            # @NAME@
  | </?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>                   # <b> </b> <a href=...> <br/>
  | (?<![\w/])[\w.-]*\w\(\d[a-z]{0,3}\)                 # journald.conf(5)
""", re.VERBOSE)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")


def placeholders(text: str) -> list[str]:
    """The placeholders, tags and man-page references of a text, in order, tags by name only
    (attributes are translated: ``<a href="/it/">`` is ``<a>``)."""
    out = []
    for m in _PLACEHOLDER.finditer(text):
        token = m.group(0)
        if token.startswith("<"):
            name = _TAG_NAME.match(token)
            token = f"<{'/' if token.startswith('</') else ''}{name.group(1).lower()}>" \
                if name else token
        out.append(token)
    return out


def _placeholders(src: str, tgt: str) -> list[Flag]:
    """Placeholders, tags or references on one side only (or a different number of times)."""
    a, b = Counter(placeholders(src)), Counter(placeholders(tgt))
    only_a, only_b = a - b, b - a
    if not only_a and not only_b:
        return []
    shown_a, shown_b = tuple(sorted(only_a)), tuple(sorted(only_b))
    parts = []
    if only_a:
        parts.append("source only: " + ", ".join(shown_a))
    if only_b:
        parts.append("target only: " + ", ".join(shown_b))
    return [Flag("placeholder", "placeholders or markup differ: " + "; ".join(parts), "error",
                 shown_a, shown_b)]


# ---- numbers ---------------------------------------------------------------------------------

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


def _numbers(src: str, src_lang: str, tgt: str, tgt_lang: str, th: Thresholds = DEFAULT
             ) -> list[Flag]:
    """Numbers (and months) whose value appears on one side only.

    1.500 (it) = 1,500 (en), 3,5 = 3.5, 15 miliardi = 15 billion, 21 ottobre = October 21.
    A measure converted to another unit (25 cm = 10 inches, 26 gradi = 79 degrees) matches
    its conversion on the other side, within the rounding translators allow.
    """
    a_times, b_times = times(src, src_lang), times(tgt, tgt_lang)
    a_nums = [n for n in numbers(src, src_lang) if not _inside(n, a_times)]
    b_nums = [n for n in numbers(tgt, tgt_lang) if not _inside(n, b_times)]
    a = (Counter(n.key for n in a_nums) + Counter(f"month {m}" for m in months(src, src_lang))
         + Counter(f"time {t}" for _, _, t in a_times))
    b = (Counter(n.key for n in b_nums) + Counter(f"month {m}" for m in months(tgt, tgt_lang))
         + Counter(f"time {t}" for _, _, t in b_times))
    a_words = Counter(n.key for n in number_words(src))
    b_words = Counter(n.key for n in number_words(tgt))
    only_a, only_b = a - b - b_words, b - a - a_words
    # A clock time on one side written as a plain number on the other (alle ore 5 = 5 a.m.,
    # alle 4.40 = 4.40 am) is the same time.
    only_a, only_b = _times_as_numbers(only_a, only_b), _times_as_numbers(only_b, only_a)
    a_measures = [(n, _measure(src, n)) for n in a_nums]
    b_measures = [(n, _measure(tgt, n)) for n in b_nums]
    only_a = _unconverted(only_a, a_measures, b_measures, th.conversion_tolerance)
    only_b = _unconverted(only_b, b_measures, a_measures, th.conversion_tolerance)
    if not only_a and not only_b:
        return []
    shown_a = tuple(dict.fromkeys(n.text for n in a_nums if n.key in only_a))
    shown_b = tuple(dict.fromkeys(n.text for n in b_nums if n.key in only_b))
    parts = []
    if only_a:
        parts.append("source only: " + ", ".join(shown_a or tuple(only_a)))
    if only_b:
        parts.append("target only: " + ", ".join(shown_b or tuple(only_b)))
    return [Flag("number-mismatch", "; ".join(parts), "error", shown_a, shown_b)]


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


# ---- names -----------------------------------------------------------------------------------

def _names(src: str, src_lang: str, tgt: str, tgt_lang: str, ctx: _Context) -> list[Flag]:
    """Names that the other version keeps elsewhere but lacks in this bead.

    A name that is always translated (Galles / Wales, Labour / laburista) is never flagged; a
    name swapped for another one (Truly / Holly) is kept elsewhere in the article, and is.
    """
    a = _missing_names(src, src_lang, _view(tgt, tgt_lang, src_lang), ctx.src_names)
    b = _missing_names(tgt, tgt_lang, _view(src, src_lang, tgt_lang), ctx.tgt_names)
    if not a and not b:
        return []
    parts = []
    if a:
        parts.append("source only: " + ", ".join(a))
    if b:
        parts.append("target only: " + ", ".join(b))
    return [Flag("name-mismatch", "; ".join(parts), "error", tuple(a), tuple(b))]


@dataclass(frozen=True, slots=True)
class _View:
    """The other side of a bead, as the name check looks for a name's counterpart in it."""

    lang: str
    words: frozenset[str]          # folded words
    glosses: frozenset[str]        # what its words stand for in the pair's lexicon, if any
    acronyms: frozenset[str]       # its abbreviations (UN, U.S., D.C.), letters sorted


_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,5}\b")
_NAME_RUN = re.compile(r"[A-ZÀ-Ý][\w'’-]*(?:\s+(?:(?:di|del|della|dei|degli|delle|dello|of|the|"
                       r"and|de|du|des|der|von)\s+)?[A-ZÀ-Ý][\w'’-]*)+")


@lru_cache(maxsize=4096)
def _view(text: str, lang: str, other_lang: str) -> _View:
    """The side ``text`` as seen from the other one (cached: the name habits of the document
    and the check of each bead look at the same sides)."""
    words = _folded_words(text)
    glossed = frozenset().union(*(hand.pivot(w, lang, other_lang) for w in words))
    acronyms = frozenset("".join(sorted(m.group(0).replace(".", "").lower()))
                         for m in _ACRONYM.finditer(text))
    return _View(lang, frozenset(words), glossed, acronyms)


def _unmatched_names(text: str, lang: str, other: _View, initial: bool = False
                     ) -> list[tuple[str, str]]:
    """The names of ``text`` with no counterpart in the other side: not there as they are, nor
    as a cognate, a gloss (Cina / China, Giochi / Games) or an acronym of the run of
    capitalised words they belong to (Nazioni Unite / UN, Distretto della Columbia / D.C.)."""
    abbreviated: set[str] = set()
    for run in _NAME_RUN.finditer(text) if other.acronyms else ():
        caps = [w for w in run.group(0).split() if w[:1].isupper()]
        for i in range(len(caps)):
            for j in range(i + 2, min(len(caps), i + 5) + 1):
                if "".join(sorted(w[0].lower() for w in caps[i:j])) in other.acronyms:
                    abbreviated.update(fold(w.split("'")[0].split("’")[0]) for w in caps[i:j])
    out = []
    for name, key in _names_in(text, initial=initial):
        if key in abbreviated or _known(key, other.words):
            continue
        if other.glosses and hand.pivot(key, lang, other.lang) & other.glosses:
            continue
        out.append((name, key))
    return out


# Weekdays and months are capitalised in English and German, not in Italian or French: not
# names (months are compared as numbers).
_CALENDAR = frozenset(MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag",
    "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"}


def _names_in(text: str, initial: bool = False) -> list[tuple[str, str]]:
    """(name as written, folded key) for capitalised words that do not start a sentence
    (``initial``: those that do too)."""
    words = tokens(text)
    if len(words) >= 4 and sum(w[:1].isupper() for w in words) > 0.6 * len(words):
        return []                                  # A Headline In Title Case: no evidence
    out = []
    for m in _CAPITAL.finditer(text):
        if not initial and _SENTENCE_START.search(text[:m.start(1)]):
            continue                                   # sentence-initial capital: not a name
        name = m.group(1)
        key = fold(name.split("'")[0].split("’")[0])
        if len(key) >= 3 and key.isalpha() and key not in FUNCTION_WORDS and (
                key not in _CALENDAR):
            out.append((name, key))
    return out


def _missing_names(text: str, lang: str, other: _View, habits: dict[str, tuple[int, int]]
                   ) -> list[str]:
    out = []
    for name, key in _unmatched_names(text, lang, other):
        kept, missing = habits.get(key, (0, 1))
        if kept >= 1 and kept >= missing:      # kept more often than missed elsewhere
            out.append(name)
    return list(dict.fromkeys(out))


def _known(key: str, words: frozenset[str] | set[str]) -> bool:
    """The name, or a cognate of it, is there: MWP ~ MWPs, Pentagono ~ Pentagon, Parlamento ~
    Parliament, Cina ~ China, Corea ~ Korea, Messico ~ Mexico (same first 4 letters once
    spelling habits are levelled, or most letter trigrams in common)."""
    if key in words:
        return True
    grams = _trigrams(key)
    skeleton = spelling(key)
    for w in words:
        if w[:1] != key[:1] and spelling(w)[:1] != skeleton[:1] and len(key) < 5:
            continue                               # no rule below can match
        if (w.startswith(key) and len(w) - len(key) <= 2) or (
                key.startswith(w) and len(w) >= 4 and len(key) - len(w) <= 2):
            return True
        other = spelling(w)
        if min(len(skeleton), len(other)) >= 4 and skeleton[:4] == other[:4]:
            return True
        if len(key) >= 5 and len(w) >= 5 and _dice(grams, _trigrams(w)) >= 0.5:
            return True
    return False


@lru_cache(maxsize=200_000)
def _trigrams(word: str) -> frozenset[str]:
    padded = f"<{word}>"
    return frozenset(padded[k:k + 3] for k in range(len(padded) - 2))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _folded_words(text: str) -> set[str]:
    return {fold(w) for w in tokens(text)}





# ---- length ----------------------------------------------------------------------------------

def _length(src: str, src_lang: str, tgt: str, tgt_lang: str, ctx: _Context, th: Thresholds
            ) -> list[Flag]:
    """One side carries content the other lacks.

    Two signs: the side is much shorter than the other predicts (``length_ratio``), or it is
    somewhat shorter (``tail_length_ratio``) and the other side ends with words that have no
    counterpart here while this side's own end has one (a dropped final clause, a truncated
    translation). Counterparts are words, cognates and, where the project has a lexicon for
    the pair, glosses (``aligner.lexicon.hand``).
    """
    expected_tgt = len(src) * ctx.ratio
    expected_src = len(tgt) / ctx.ratio
    short_tgt = expected_tgt - len(tgt) >= th.length_min_chars
    short_src = expected_src - len(src) >= th.length_min_chars
    # Length alone speaks only where the difference is unlikely for sentences of this size
    # (Gale-Church: the spread of a translation's length grows with the square root of the
    # length), so a terse short string and its wordier translation are not a divergence.
    mean = (len(src) + len(tgt) / ctx.ratio) / 2
    unusual = abs(len(tgt) / ctx.ratio - len(src)) >= th.length_z * math.sqrt(
        _LENGTH_VARIANCE * max(mean, 1.0))
    if short_tgt and unusual and len(tgt) < th.length_ratio * expected_tgt:
        return [Flag("omission", f"the target is {len(tgt)} characters where the source "
                     f"predicts about {expected_tgt:.0f}: content missing in the target",
                     "error")]
    if short_src and unusual and len(src) < th.length_ratio * expected_src:
        return [Flag("addition", f"the target is {len(tgt)} characters where the source "
                     f"predicts about {expected_tgt:.0f}: content added in the target "
                     "(or missing in the source)", "error")]
    if short_tgt and len(tgt) < th.tail_length_ratio * expected_tgt:
        tail = _unmatched_tail(src, src_lang, tgt, tgt_lang, th.tail_min_words)
        if tail:
            return [Flag("omission", f"the end of the source has no counterpart in the target: "
                         f"\u201c{tail}\u201d", "error", (tail,), ())]
    if short_src and len(src) < th.tail_length_ratio * expected_src:
        tail = _unmatched_tail(tgt, tgt_lang, src, src_lang, th.tail_min_words)
        if tail:
            return [Flag("addition", f"the end of the target has no counterpart in the source: "
                         f"\u201c{tail}\u201d", "error", (), (tail,))]
    return []


_LENGTH_VARIANCE = 6.8          # Gale and Church's variance of characters per character


def _unmatched_tail(longer: str, longer_lang: str, shorter: str, shorter_lang: str,
                    min_words: int) -> str | None:
    """The end of ``longer`` from its last word with a counterpart in ``shorter``, when at least
    ``min_words`` words there have none and ``shorter`` ends with a word that has one."""
    spans = list(TOKEN.finditer(longer))
    words = [fold(m.group(0)) for m in spans]
    others = [fold(w) for w in tokens(shorter)]
    mine = hand.counterparts(words, longer_lang, others, shorter_lang)
    if _trailing_unmatched(hand.counterparts(others, shorter_lang, words, longer_lang))[0]:
        return None                        # both ends differ: a rewording, not a cut
    run, start = _trailing_unmatched(mine)
    if run < min_words:
        return None
    return longer[spans[start].start():].strip()


def _trailing_unmatched(found: list[bool | None]) -> tuple[int, int]:
    """How many judged words at the end have no counterpart, up to the last one that has, and
    the index of the first of them."""
    n, start = 0, len(found)
    for k in range(len(found) - 1, -1, -1):
        if found[k]:
            break
        if found[k] is False:
            n, start = n + 1, k
    return n, start


def _untranslated(src: str, src_lang: str, tgt: str, tgt_lang: str, thresholds: Thresholds
                  ) -> list[Flag]:
    """The target is the source text, or is written in the source language.

    A line that is the same in both because it is all names and numbers (a sports result, a
    product name) or a quotation in a third language is not left untranslated: where the
    languages are known, the copy must read as the source language, by its function words.
    """
    if len(tgt) < thresholds.untranslated_min_chars:
        return []
    src_base, tgt_base = language.base(src_lang), language.base(tgt_lang)
    if src_base not in language.KNOWN or tgt_base not in language.KNOWN:
        if fold(src).split() == fold(tgt).split():
            return [Flag("untranslated", "the target repeats the source text", "error")]
        return []
    used = {lang: len(words) for lang, words in language.function_words(tgt).items()}
    best_other = max(v for lang, v in used.items() if lang != src_base)
    reads_as_source = used[src_base] > best_other
    if fold(src).split() == fold(tgt).split():
        if reads_as_source:
            return [Flag("untranslated", "the target repeats the source text", "error")]
        return []
    if reads_as_source and used[src_base] >= thresholds.untranslated_min_words and (
            used[tgt_base] * 3 <= used[src_base]):
        return [Flag("untranslated", f"the target reads as {src_lang}, not {tgt_lang} "
                     f"({used[src_base]} {src_lang} function words)", "error")]
    return []
