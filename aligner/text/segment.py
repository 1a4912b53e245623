"""Sentence segmentation: NLTK Punkt with parameters the project owns, offline.

Punkt's trained models need a download; ours are the abbreviation lists below (merged with the
installed ``punkt_tab`` data when it is there). Layout carries meaning in articles, so before
Punkt runs the text is cut into paragraphs (blank lines) and lines: a headline, a caption or a
byline has no final full stop and must not be glued to the sentence after it. Paragraphs that
look hard-wrapped (every line but the last of similar width) are passed to Punkt whole instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import types
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from aligner.data import Document, Sentence
from aligner.text.language import base
from aligner.text.numbers import MONTHS
from aligner.text.words import STARTERS, WORD

_COMMON = {
    # Latin and international
    "e.g", "i.e", "cf", "cfr", "etc", "ecc", "vs", "ca", "approx", "nr", "vol",
    "fig", "figg", "tab", "p", "pp", "ed", "eds", "op", "cit", "ibid",
    # titles used in many languages
    "dr", "dott", "prof", "mr", "mrs", "ms", "mme", "mlle", "sr", "jr", "st", "gen", "col",
    "lt", "sgt", "capt", "gov", "sen", "rep", "mons", "rev",
    # English abbreviations that Italian (and other) news quotes as they are
    "u.s", "u.k", "u.n", "u.s.a", "e.u", "a.m", "p.m", "d.c",
}
_LANG = {
    "it": {
        "sig", "sigg", "sig.ra", "sig.na", "dott.ssa", "prof.ssa", "ing", "avv", "arch", "geom",
        "rag", "pag", "pagg", "art", "artt", "cap", "capp", "n", "nn", "es", "p.es", "tel",
        "dev", "s.p.a", "s.r.l", "s.n.c", "spa", "srl", "c.so", "v.le", "p.zza", "dott.", "ca",
        "sec", "secc", "cit", "gg", "ss", "segg", "on", "egr", "gent", "spett", "ill", "mons",
        "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
        "pref", "ecc", "lett", "co",
    },
    "en": {
        "no", "nos", "inc", "ltd", "co", "corp", "bros", "dept", "est",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "mt", "ft", "ave", "blvd", "rd",
        "l.a", "n.y", "messrs", "hon", "adm", "maj", "cmdr", "supt", "sens", "reps",
    },
    "de": {"z.b", "bzw", "usw", "u.a", "d.h", "ggf", "vgl", "evtl", "inkl", "nr", "hr", "fr",
           "s", "m.ü.m", "ca", "st", "std", "jh", "mio", "mrd"},
    "fr": {"m", "mm", "cf", "env", "p.ex", "av", "bd", "st", "ste", "mgr", "vol", "chap"},
}
# Languages that elide articles and prepositions with an apostrophe: Punkt cuts "l'on." into
# "l" and "'on.", and the abbreviation must still be known after the apostrophe.
_ELIDING = {"it", "fr"}


def _elided(abbreviations: set[str], lang: str) -> set[str]:
    """The abbreviations, and in eliding languages each after either apostrophe."""
    if lang not in _ELIDING:
        return abbreviations
    return abbreviations | {q + a for a in abbreviations for q in "'\u2019"}


_FINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SPACES = re.compile(r"\s+")


#: Set by the CLI: import Punkt without running ``nltk/__init__`` (which imports much of NLTK,
#: and SciPy when installed: 0.3-0.7 s). Libraries keep the ordinary import.
LIGHT_IMPORT = False


def _import_punkt():  # -> the nltk.tokenize.punkt module
    if LIGHT_IMPORT and "nltk" not in sys.modules:
        stubs = {}
        try:
            for name in ("nltk", "nltk.tokenize"):
                spec = importlib.util.find_spec(name)
                if spec is None or not spec.submodule_search_locations:
                    raise ImportError(name)
                mod = types.ModuleType(name)
                mod.__path__ = list(spec.submodule_search_locations)
                mod.__spec__ = spec
                sys.modules[name] = stubs[name] = mod
            return importlib.import_module("nltk.tokenize.punkt")
        except ImportError:
            for name in [m for m in sys.modules if m.startswith("nltk")]:
                del sys.modules[name]
        finally:
            for name, mod in stubs.items():
                if sys.modules.get(name) is mod:
                    del sys.modules[name]
    return importlib.import_module("nltk.tokenize.punkt")


@lru_cache(maxsize=16)
def _tokenizer(lang: str):  # -> PunktSentenceTokenizer; nltk imported here, not at start-up
    punkt = _import_punkt()
    PunktLanguageVars = punkt.PunktLanguageVars
    PunktParameters = punkt.PunktParameters
    PunktSentenceTokenizer = punkt.PunktSentenceTokenizer

    class _Vars(PunktLanguageVars):  # type: ignore[misc,valid-type]  # nltk, imported late
        # Closing curly quotes and guillemets stay with their sentence (older NLTK lacks them).
        re_boundary_realignment = re.compile(
            r"[\"')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)", re.MULTILINE
        )

    params = PunktParameters()
    params.abbrev_types = _elided(set(_COMMON) | _LANG.get(lang, set()), lang)
    starters = set(STARTERS.get(lang, "").split()) | set(STARTERS["en"].split())
    params.sent_starters = set(starters)
    lower_mid = getattr(punkt, "_ORTHO_MID_LC", 1 << 4)
    for word in starters:
        params.ortho_context[word] |= lower_mid
    installed = _installed_params(lang)
    if installed is not None:
        params.abbrev_types |= installed.abbrev_types
        params.collocations |= installed.collocations
        params.ortho_context.update(installed.ortho_context)
        params.sent_starters |= installed.sent_starters
    return PunktSentenceTokenizer(params, lang_vars=_Vars())


_PUNKT_NAMES = {"it": "italian", "en": "english", "de": "german", "fr": "french",
                "es": "spanish", "pt": "portuguese", "nl": "dutch"}


def _nltk_data_dirs() -> list[Path]:
    """NLTK's own search path for data, without importing nltk.data (which imports all NLTK)."""
    dirs = [Path(p) for p in os.environ.get("NLTK_DATA", "").split(os.pathsep) if p]
    dirs.append(Path.home() / "nltk_data")
    for prefix in (sys.prefix, sys.base_prefix):
        dirs += [Path(prefix) / "nltk_data", Path(prefix) / "share" / "nltk_data",
                 Path(prefix) / "lib" / "nltk_data"]
    dirs += [Path(p) for p in ("/usr/share/nltk_data", "/usr/local/share/nltk_data",
                               "/usr/lib/nltk_data", "/usr/local/lib/nltk_data")]
    return dirs


def _installed_params(lang: str):
    """Punkt parameters from installed NLTK data, when the user has them; never downloads."""
    name = _PUNKT_NAMES.get(lang)
    if name is None or not any((d / "tokenizers" / "punkt_tab" / name).is_dir()
                               for d in _nltk_data_dirs()):
        return None
    try:
        return _import_punkt().PunktTokenizer(name)._params
    except (LookupError, ImportError, OSError, ValueError):
        return None


def segment(text: str, lang: str, *, presegmented: bool = False, path: str | None = None
            ) -> Document:
    """Split ``text`` into sentences with paragraph numbers and character offsets.

    ``presegmented``: one sentence a line, blank lines only separate paragraphs.
    """
    sentences = list(_presegmented(text) if presegmented else _punkt(text, base(lang)))
    return Document(lang=lang, sentences=tuple(sentences), text=text, path=path)


def _presegmented(text: str) -> Iterator[Sentence]:
    paragraph, blank, seen, pos = 0, False, False, 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        if blank and seen:
            paragraph += 1
        blank, seen = False, True
        lead = len(line) - len(line.lstrip())
        yield Sentence(_fold(stripped), paragraph, start + lead, start + lead + len(stripped))


#: A "sentence" longer than this (a page without punctuation, a table flattened to one line) is
#: cut at clause punctuation, else between words: no aligner can use a 200 KB bead.
MAX_SENTENCE_CHARS = 1500
_CLAUSE_END = re.compile(r"[,;:)\]»”]\s+|\s+[–—-]\s+")


def _punkt(text: str, lang: str) -> Iterator[Sentence]:
    tokenizer = _tokenizer(lang)
    for paragraph, (p_start, p_end) in enumerate(_paragraphs(text)):
        for u_start, u_end in _units(text, p_start, p_end):
            unit = text[u_start:u_end]
            for s, e in _rejoin(unit, _dates_together(unit, list(tokenizer.span_tokenize(unit)))):
                for cs, ce in (c for span in _cut_fullwidth(unit, s, e)
                               for c in _cut_long(unit, *span)):
                    chunk = unit[cs:ce]
                    lead = len(chunk) - len(chunk.lstrip())
                    chunk = chunk.strip()
                    if chunk:
                        start = u_start + cs + lead
                        yield Sentence(_fold(chunk), paragraph, start, start + len(chunk))


#: A day or month number with its period (26. of 26. 03. 2025), not the end of a longer figure.
_DAY = r"(?<![\d.,])\d{1,2}\."
_DAY_END = re.compile(_DAY + r"\s*$")
_MONTH_ONLY = re.compile(r"\s*\d{1,2}\.\s*$")
_YEAR_START = re.compile(r"\s*\d{2,4}\b")
#: A span that ends with a day or month number, or a short lower-case abbreviation (art.,
#: para., sec.), and a next span that starts with a figure or a month name: one sentence.
_NOT_AN_END = re.compile(r"(?:" + _DAY + r"|(?<![\w.])[a-z]{1,4}\.)\s*$")
_NEXT_FIGURE = re.compile(r"\s*(?:\d|(?:" + "|".join(sorted(
    (m for m in MONTHS if len(m) > 3), key=len, reverse=True)) + r")\b)", re.IGNORECASE)


def _rejoin(text: str, spans) -> Iterator[tuple[int, int]]:
    """Punkt's spans, with a split undone where the next one starts with a lower-case word:
    "753 a.C. e crebbe", "Smith et al. hanno" (a period after an abbreviation Punkt does not
    know). A word with capitals inside (iPhone, eBay) may start a sentence and is left alone.
    Nor does a sentence end inside a date or before a figure a short abbreviation announces:
    "20. 11. 2024", "am 1. Januar", "with art. 9", "see para. 2" (``_NOT_AN_END``)."""
    current = None
    for s, e in spans:
        word = WORD.search(text, s, e)
        lower = bool(word and word.start() - s <= 2 and word.group()[0].islower()
                     and word.group() == word.group().lower())
        if current is not None and (lower or (
                _NOT_AN_END.search(text, current[0], current[1])
                and _NEXT_FIGURE.match(text, s))):
            current = (current[0], e)
            continue
        if current is not None:
            yield current
        current = (s, e)
    if current is not None:
        yield current


def _dates_together(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Punkt cuts a date written "26. 03. 2025" after each number: the day stays with what
    comes before, the month stands alone. A date that follows the end of a sentence or a list
    item (the headlines of a news page) starts the next one: the pieces are put together with
    what follows them."""
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(spans):
        if out and k + 1 < len(spans) and _MONTH_ONLY.fullmatch(text, *spans[k]) and (
                _YEAR_START.match(text, spans[k + 1][0])):
            s, e = out[-1]
            day = _DAY_END.search(text, s, e)
            if day:
                out.pop()
                if text[s:day.start()].strip():
                    out.append((s, day.start()))
                out.append((day.start(), spans[k + 1][1]))
                k += 2
                continue
        out.append(spans[k])
        k += 1
    return out


#: Full-width sentence ends (Chinese, Japanese) take no space after them, so Punkt, which
#: looks for a space, never splits there: cut after them, closing quotes included.
_FULLWIDTH_END = re.compile(r"[。！？｡]+[」』）〕】”’\"']*")


def _cut_fullwidth(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """text[start:end] cut after each full-width sentence end."""
    for m in _FULLWIDTH_END.finditer(text, start, end):
        if m.end() < end and text[m.end():end].strip():
            yield start, m.end()
            start = m.end()
    yield start, end


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of at most MAX_SENTENCE_CHARS covering text[start:end], cut at clause ends or
    spaces where possible."""
    while end - start > MAX_SENTENCE_CHARS:
        window = text[start:start + MAX_SENTENCE_CHARS]
        cut = max((m.end() for m in _CLAUSE_END.finditer(window)
                   if m.end() > MAX_SENTENCE_CHARS // 3), default=0)
        if not cut:
            cut = window.rfind(" ") + 1 or MAX_SENTENCE_CHARS
        yield start, start + cut
        start += cut
    yield start, end


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[pos:m.start()].strip():
            yield pos, m.start()
        pos = m.end()
    if text[pos:].strip():
        yield pos, len(text)


def _units(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The spans Punkt sees: each line, or the whole paragraph when it looks hard-wrapped."""
    lines: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    if _hard_wrapped([text[s:e].strip() for s, e in lines]):
        yield lines[0][0], lines[-1][1]
    else:
        yield from lines


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines of a similar width under 100 characters, the earlier ones not ending a sentence."""
    if len(lines) < 2:
        return False
    widths = [len(x) for x in lines]
    widest = max(widths)
    if widest > 100 or widest < 30:
        return False
    body = lines[:-1]
    return all(len(x) >= 0.6 * widest for x in body) and sum(
        1 for x in body if _FINAL.search(x)) < len(body)


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text)
