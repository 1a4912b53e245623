"""``aligner check``: the divergence checks on translation units that a file already pairs.

The units are not aligned against each other (the file pairs them): a block of units becomes
one pair of documents, scored once within a band that keeps each unit's sentences to
themselves. A unit of one sentence a side is one 1-1 bead; a longer unit is segmented and gets
a DP of its own, so a sentence its translation leaves out stands alone (``omission``). The
beads then go through the same stages as ``align``'s: the check registry (without its
free-text placeholder guess: the file's format says what a placeholder is, and this module
compares those), the word evidence and the decision (by the checks' error flags unless
``calibrated``). Across the file: one source translated two ways, two sources given one
translation (``inconsistent-*``, as Xbench reports them) and a term list.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from aligner import diverge, dp, pipeline, score
from aligner.data import Bead, Document, Flag, Sentence
from aligner.diverge import decision, differences, placeholders
from aligner.diverge.context import one_side_only
from aligner.errors import InputError
from aligner.lexicon import Lexicon
from aligner.lexicon import for_pair as find_lexicon
from aligner.qa import readers
from aligner.qa.units import Catalog, FileCheck, Unit, UnitResult, UnitStatus
from aligner.score import SHAPES
from aligner.text import codes, language
from aligner.text.segment import segment
from aligner.text.words import fold
from aligner.views import Scorer, combined

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
#: Units checked at once: enough for the document-wide evidence (which names the file keeps,
#: its length ratio) to be the file's, few enough that memory stays flat on a large file.
CHUNK_UNITS = 5000
#: A term list: source term -> the target terms any one of which its translation must use.
Terms = Mapping[str, Sequence[str]]


def check(units: str | os.PathLike[str] | Catalog | Sequence[Unit], *,
          src_lang: str | None = None, tgt_lang: str | None = None, fmt: str | None = None,
          terms: Terms | str | os.PathLike[str] | None = None,
          thresholds: diverge.Thresholds = diverge.DEFAULT,
          lexicon: str | os.PathLike[str] | Lexicon | bool | None = None,
          calibrated: bool = False, strict: bool = False,
          source_po: str | os.PathLike[str] | None = None,
          progress: Progress | None = None) -> FileCheck:
    """Check every unit of a translation file (a path: XLIFF, PO, TMX, TSV or CSV) or of a
    ``Catalog`` / list of ``Unit`` (``src_lang``/``tgt_lang`` then say the pair, default it ->
    en). Returns each unit's status (``ok``, ``divergent``, ``untranslated``, ``fuzzy``), its
    divergence probability and its flags, in file order.

    ``terms``: a term list (a mapping, or a TSV file of ``source<TAB>target[|target...]``)
    whose target terms each unit with the source term must use. ``thresholds``, ``lexicon``:
    as in ``aligner.align``. ``calibrated``: statuses from the divergence model, which was
    fitted on articles; by default a unit is divergent where a check flags an error (on the
    real PO and XLIFF files of ``make eval`` that finds more slips with fewer false alarms),
    and its ``divergence`` is the model's probability either way. ``strict``: a file whose
    text does not read as its declared languages is an error instead of a warning.
    ``source_po``: PO files keyed by id (msgids such as ``app.title``): this catalogue of the
    source language gives each unit's source, paired with ``units``'s by msgctxt and msgid.
    """
    if source_po is not None:
        if not isinstance(units, (str, os.PathLike)):
            raise InputError("source_po pairs two PO files: give the target one as a path")
        units = readers.read_po_pair(source_po, units, src_lang, tgt_lang)
    catalog = _catalog(units, src_lang, tgt_lang, fmt)
    term_list = read_terms(terms) if isinstance(terms, (str, os.PathLike)) else terms
    warnings = _language_warnings(catalog, strict)
    lex = find_lexicon(catalog.src_lang, catalog.tgt_lang, lexicon)
    judged = [k for k, u in enumerate(catalog.units) if u.state != "untranslated"]
    verdicts: dict[int, UnitResult] = {}
    # a block of units at a time: the documents, scores and checks of one block are freed
    # before the next, so memory does not grow with the file beyond its units and verdicts
    for start in range(0, len(judged), CHUNK_UNITS):
        if progress:
            progress("checking", start, len(judged))
        block = judged[start:start + CHUNK_UNITS]
        src, tgt, spans = _documents(catalog, block)
        beads, owner = _beads(catalog, block, src, tgt, spans, lex, thresholds, calibrated)
        by_unit: dict[int, list[Bead]] = {}
        for bead, k in zip(beads, owner, strict=True):
            by_unit.setdefault(k, []).append(bead)
        verdicts.update((k, _verdict(catalog.units[k], by_unit.get(k, []))) for k in block)
        del src, tgt, beads, by_unit
    results = [verdicts.get(k) or _verdict(unit, []) for k, unit in enumerate(catalog.units)]
    results = _across_file(results, term_list)
    if progress:
        progress("checking", len(judged), len(judged))
    # the units are scored model-free: a file of short UI strings is checked in seconds
    score_params = (score.learned_params(catalog.src_lang, catalog.tgt_lang) if lex is not None
                    else score.lexical_params(catalog.src_lang, catalog.tgt_lang))
    signature = pipeline.signature(pipeline.lexical_info(lex), lex, score_params, (),
                                   thresholds, calibrated)
    return FileCheck(catalog, tuple(results), signature, tuple(warnings))


def _catalog(units: str | os.PathLike[str] | Catalog | Sequence[Unit], src_lang: str | None,
             tgt_lang: str | None, fmt: str | None) -> Catalog:
    if isinstance(units, Catalog):
        return units
    if isinstance(units, (str, os.PathLike)):
        return readers.read(units, src_lang, tgt_lang, fmt)
    given = tuple(units)
    if not given:
        raise InputError("no translation units to check")
    return Catalog(None, "units", src_lang or "it", tgt_lang or "en", given)


def _language_warnings(catalog: Catalog, strict: bool) -> list[str]:
    """A file whose sides do not read as its languages: a warning (an error with ``strict``)."""
    sample = catalog.units[:2000]
    texts = (" ".join(u.source.plain for u in sample),
             " ".join(u.target.plain for u in sample if u.state != "untranslated"))
    if not texts[1].strip():
        return []
    name = catalog.path or "the units"
    return pipeline.language_warnings(texts, (catalog.src_lang, catalog.tgt_lang),
                                      (f"the sources of {name}", f"the translations of {name}"),
                                      strict)


def _documents(catalog: Catalog, judged: Sequence[int]
               ) -> tuple[Document, Document, list[tuple[int, int, int, int]]]:
    """The judged units as one source and one target document (a unit's sentences are its
    paragraph), and each unit's source and target sentence ranges."""
    sides: list[list[Sentence]] = [[], []]
    texts: list[list[str]] = [[], []]
    pos = [0, 0]
    spans: list[tuple[int, int, int, int]] = []
    for k in judged:
        unit = catalog.units[k]
        ranges = []
        for side, (text, lang) in enumerate(((unit.source.plain, catalog.src_lang),
                                             (unit.target.plain, catalog.tgt_lang))):
            first = len(sides[side])
            found = _sentences(text, lang)
            if not found:                        # all codes ("%s"): the text as it stands
                shown = unit.source.text if side == 0 else unit.target.text
                found = [Sentence(" ".join(shown.split()) or "-", 0, 0, len(text))]
            for s in found:
                sides[side].append(Sentence(s.text, len(spans), pos[side] + s.start,
                                            pos[side] + s.end))
            texts[side].append(text)
            pos[side] += len(text) + 2
            ranges += [first, len(sides[side])]
        spans.append((ranges[0], ranges[1], ranges[2], ranges[3]))
    src = Document(catalog.src_lang, tuple(sides[0]), "\n\n".join(texts[0]), catalog.path)
    tgt = Document(catalog.tgt_lang, tuple(sides[1]), "\n\n".join(texts[1]), catalog.path)
    return src, tgt, spans


#: Where a sentence may end inside a text: sentence punctuation before more text, or a line
#: break. A unit without one (most UI strings) is one sentence, without asking Punkt.
_INNER_END = re.compile(r"[.!?…;:]['\"’”»)\]]*\s+\S|\n")


def _sentences(text: str, lang: str) -> list[Sentence]:
    """The sentences of one side of a unit (offsets into ``text``)."""
    stripped = text.strip()
    if stripped and not _INNER_END.search(stripped):
        start = text.index(stripped[0])
        return [Sentence(" ".join(stripped.split()), 0, start, start + len(stripped))]
    return [s for s in segment(text, lang).sentences if s.text]


def _beads(catalog: Catalog, judged: Sequence[int], src: Document, tgt: Document,
           spans: Sequence[tuple[int, int, int, int]], lex: Lexicon | None,
           thresholds: diverge.Thresholds, calibrated: bool
           ) -> tuple[tuple[Bead, ...], list[int]]:
    """Every judged unit's beads, checked and decided, with the unit each belongs to."""
    a, b, params = pipeline.lexical_sides(src, tgt, lex)
    n, m = len(src), len(tgt)
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for u, (s0, s1, t0, t1) in enumerate(spans):   # the band: each unit's own block
        lo[s0], hi[s0] = (spans[u - 1][2] if u else 0), t1
        lo[s0 + 1:s1], hi[s0 + 1:s1] = t0, t1
    lo[n], hi[n] = spans[-1][2], m
    scorer = combined([(a, b, params, 1.0)], (lo, hi))
    path: dp.Path = []
    owner: list[int] = []
    for u, (s0, s1, t0, t1) in enumerate(spans):
        if s1 - s0 == 1 and t1 - t0 == 1:
            inside: dp.Path = [((s0,), (t0,))]     # the file pairs them: one 1-1 bead
        else:
            inside = _inside(scorer, s0, s1, t0, t1)
        path += inside
        owner += [u] * len(inside)
    beads = tuple(Bead(s, t, x) for (s, t), x in zip(path, scorer.scores(path), strict=True))
    vocabulary = (lex.src_counts, lex.tgt_counts) if lex is not None else None
    marked = differences.mark(beads, src, tgt, lex, differences.NO_TRANSLATIONS)
    checked = list(diverge.check_all(marked, src, tgt, thresholds, None, vocabulary,
                                     skip=("placeholder",), units=True))
    # the format's own placeholders, compared once a unit, on its first aligned bead
    done: set[int] = set()
    for k, bead in enumerate(checked):
        u = owner[k]
        if bead.is_null or u in done:
            continue
        done.add(u)
        extra = _code_flags(catalog.units[judged[u]], catalog.tgt_lang)
        if extra:
            checked[k] = replace(bead, flags=(*extra, *bead.flags))
    decided = decision.decide(checked, src, tgt, calibrated=calibrated)
    return decided, [judged[u] for u in owner]


def _inside(scorer: Scorer, s0: int, s1: int, t0: int, t1: int) -> dp.Path:
    """The DP over one unit's sentences (source s0..s1, target t0..t1 of the file's documents)
    with the file's scorer: a sentence of one side may stand alone, no bead leaves the unit."""

    def gains(i: int, c0: int, c1: int) -> dict[tuple[int, int], np.ndarray]:
        return dict(scorer.gains(s0 + i, t0 + c0, t0 + c1))

    path = dp.best_path(s1 - s0, t1 - t0, gains, SHAPES)
    return [(tuple(s0 + k for k in s), tuple(t0 + k for k in t)) for s, t in path]


_NUMERIC = re.compile(r"(?:%\d+\$[hlLqjzt]*[diu]|%\(\w+\)[diu]|\{\w*\})$")


#: The words that say "one" where a singular leaves out its count ("un file", "a file").
_ONE = {"it": {"un", "uno", "una", "un'"}, "en": {"a", "an", "one", "single"},
        "de": {"ein", "eine", "einen", "einem", "einer", "eins"}, "fr": {"un", "une", "seul"},
        "es": {"un", "uno", "una"}, "pt": {"um", "uma"}}


def _says_one(text: str, lang: str) -> bool:
    words = set(re.findall(r"\w+'?", fold(text).replace("’", "'")))
    return bool(words & _ONE.get(language.base(lang), set()))


def _code_flags(unit: Unit, lang: str) -> list[Flag]:
    """The unit's codes (as its format defines them) on one side only, or a different number of
    times. In the first plural form (the singular), leaving out the count for a word that says
    "one" ("un file") is what gettext's ``msgfmt --check`` allows: a warning, not a changed
    placeholder."""
    found = placeholders.differ(codes.canon(unit.source.codes),
                                codes.canon(unit.target.codes), "placeholders or inline codes")
    if found is None:
        return []
    if unit.note == "plural form 0" and not found.target_terms and all(
            _NUMERIC.match(c) for c in found.source_terms) and _says_one(unit.target.plain,
                                                                         lang):
        return [Flag("plural-count", "this plural form leaves out the count: " + one_side_only(
            found.source_terms, found.target_terms), "warning", found.source_terms,
            found.target_terms)]
    return [found]


def _verdict(unit: Unit, beads: Sequence[Bead]) -> UnitResult:
    """A unit's status, divergence and flags from its beads (none: not translated)."""
    if unit.state == "untranslated":
        return UnitResult(unit, "untranslated", 1.0,
                          (Flag("untranslated", "no translation", "info"),))
    flags: list[Flag] = []
    divergent = False
    for bead in beads:
        if bead.is_null:
            ids_text = bead.source or bead.target
            if bead.is_boilerplate:
                continue
            side = "source" if bead.source else "target"
            count = f"{len(ids_text)} sentence{'s' * (len(ids_text) > 1)}"
            flags.append(Flag("omission" if bead.source else "addition",
                              f"{side} only ({count}): no counterpart in the "
                              f"{'target' if bead.source else 'source'} of this unit", "error"))
            divergent = True
            continue
        divergent = divergent or bead.status == "divergent"
        flags.extend(f for f in bead.flags if f not in flags)
    status: UnitStatus = "divergent" if divergent else "ok"
    if any(f.code == "untranslated" for f in flags):
        status = "untranslated"
    if unit.state == "fuzzy":
        status = "fuzzy"
    divergence = max((b.divergence for b in beads), default=0.0)
    return UnitResult(unit, status, round(divergence, 4), tuple(flags))


def _across_file(results: list[UnitResult], terms: Terms | None) -> list[UnitResult]:
    """Consistency across the file (one source, two translations; two sources, one
    translation) and the term list; neither changes a status but a missing term."""
    key = [_normal(r.unit.source.text) for r in results]
    value = [_normal(r.unit.target.text) for r in results]
    live = [k for k, r in enumerate(results) if r.status in ("ok", "divergent")]
    judged = set(live)
    by_source: dict[tuple[str | None, str, str | None], set[str]] = {}
    by_target: dict[str, dict[str, str]] = {}      # translation -> entry -> its source
    for k in live:
        u = results[k].unit
        by_source.setdefault((u.context, key[k], u.note), set()).add(value[k])
        by_target.setdefault(value[k], {}).setdefault(_entry(u), key[k])
    out = []
    for k, r in enumerate(results):
        extra: list[Flag] = []
        if k in judged:
            u = r.unit
            ways = by_source[(u.context, key[k], u.note)]
            if len(ways) > 1:
                extra.append(Flag("inconsistent-target", f"this source is translated {len(ways)}"
                                  f" ways in the file: {_quoted(sorted(ways))}", "warning"))
            sources = set(by_target[value[k]].values())
            if len(by_target[value[k]]) > 1 and len({fold(s) for s in sources}) > 1:
                extra.append(Flag("inconsistent-source", f"this translation serves "
                                  f"{len(sources)} sources: {_quoted(sorted(sources))}",
                                  "warning"))
            extra += _term_flags(u, terms) if terms else []
        if extra:
            status = r.status
            if any(f.severity == "error" for f in extra) and status == "ok":
                status = "divergent"
            r = replace(r, status=status, flags=(*r.flags, *extra),
                        divergence=1.0 if status == "divergent" and r.status == "ok"
                        else r.divergence)
        out.append(r)
    return out


def _entry(unit: Unit) -> str:
    """What a unit is a form of: a PO entry's plural forms are one entry (Italian may well
    write two of them alike)."""
    if (unit.note or "").startswith("plural form"):
        return unit.id.rsplit("[", 1)[0]
    return unit.id


def _normal(text: str) -> str:
    return " ".join(text.split())


def _quoted(items: Sequence[str], limit: int = 3) -> str:
    shown = "; ".join(f"“{x[:60]}”" for x in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _term_flags(unit: Unit, terms: Terms) -> list[Flag]:
    """Each source term the unit uses whose required translation its target lacks."""
    src, tgt = f" {_words(unit.source.plain)} ", f" {_words(unit.target.plain)} "
    out = []
    for term, wanted in terms.items():
        if f" {_words(term)} " in src and not any(f" {_words(w)} " in tgt for w in wanted):
            out.append(Flag("term", f"the term “{term}” must be translated as "
                            f"{' or '.join(f'“{w}”' for w in wanted)}", "error",
                            (term,), tuple(wanted)))
    return out


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def read_terms(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """A term list: ``source<TAB>target`` a line (``target|other`` for alternatives; blank
    lines and ``#`` comments skipped)."""
    from aligner.text.read import read_text

    out: dict[str, list[str]] = {}
    for n, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        source, sep, target = line.partition("\t")
        if not sep or not source.strip() or not target.strip():
            raise InputError(f"{path}:{n}: a term line is source<TAB>target")
        out.setdefault(source.strip(), []).extend(
            t.strip() for t in target.split("|") if t.strip())
    if not out:
        raise InputError(f"{path}: no terms")
    return out
