"""The whole pipeline as one library call: read, segment, score, align, check divergences."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Literal

from aligner import diverge, dp, realign, score
from aligner.data import (
    Alignment,
    Bead,
    Document,
    ScorerInfo,
    Sentence,
    Signature,
    relation_model,
)
from aligner.diverge import adequacy as adequacy_check
from aligner.diverge import decision, differences
from aligner.errors import InputError, ModelError
from aligner.features import document_similarity
from aligner.lexicon import Lexicon, hand
from aligner.lexicon import for_pair as find_lexicon
from aligner.semantic.view import SemanticParams
from aligner.semantic.view import bead_matches as semantic_matches
from aligner.semantic.view import encoder as semantic_encoder
from aligner.semantic.view import pair_view as semantic_view
from aligner.text import language, markup
from aligner.text.read import read_text, read_translations
from aligner.text.segment import segment
from aligner.translate import Engine
from aligner.translate import Options as TranslateOptions
from aligner.views import MODEL_FREE_SHARE, Scorer, View, combined

log = logging.getLogger(__name__)

ScorerName = Literal["auto", "lexical", "marian"]


InputFormat = Literal["auto", "text", "html", "markdown"]


def load(path: str | os.PathLike[str], lang: str | None, *, presegmented: bool = False,
         input_format: InputFormat = "auto") -> Document:
    """Read and segment one file (``-`` for standard input).

    HTML and Markdown are turned into text first (``input_format`` ``auto`` recognises them);
    the document's text, which offsets index, is then that extracted text. ``lang`` None:
    the language the text is written in, by the built-in identifier (English when it cannot
    tell).
    """
    return parse(read_text(path), lang, presegmented=presegmented, input_format=input_format,
                 path=str(path))


def parse(text: str, lang: str | None, *, presegmented: bool = False,
          input_format: InputFormat = "auto", path: str | None = None) -> Document:
    """``load`` of a text already read (``path``: where it came from, for messages): what a
    worker of another machine does with the content a batch sends it."""
    if not presegmented or input_format in ("html", "markdown"):
        text = markup.to_text(text, input_format)
    if not text.strip():
        raise InputError(f"{path or 'the text'}: no text left once markup is removed")
    if lang is None:
        lang = language.identify(text).lang or "en"
    return segment(text, lang, presegmented=presegmented, path=path)


def from_sentences(sentences: Sequence[str], lang: str) -> Document:
    """A document from sentences already split, one per item (offsets into their join by \\n)."""
    out, pos = [], 0
    for s in sentences:
        out.append(Sentence(" ".join(s.split()), 0, pos, pos + len(s)))
        pos += len(s) + 1
    return Document(lang=lang, sentences=tuple(out), text="\n".join(sentences))


def _translations(value: Sequence[str] | str | os.PathLike[str], doc: Document, role: str
                  ) -> list[str]:
    """A file of translations (``text.read.read_translations``) or a list of them."""
    if isinstance(value, (str, os.PathLike)):
        return read_translations(value, len(doc), role)
    if len(value) != len(doc):
        raise InputError(f"{len(value)} translations for {len(doc)} {role} sentences")
    return list(value)


def align(
    source: str | os.PathLike[str] | Document | Sequence[str],
    target: str | os.PathLike[str] | Document | Sequence[str],
    *,
    src_lang: str = "it",
    tgt_lang: str = "en",
    presegmented: bool = False,
    scorer: ScorerName = "auto",
    model: str | None = None,
    translations: Sequence[str] | str | os.PathLike[str] | None = None,
    reverse_translations: Sequence[str] | str | os.PathLike[str] | None = None,
    thresholds: diverge.Thresholds = diverge.DEFAULT,
    translate_options: TranslateOptions | None = None,
    use_cache: bool = True,
    input_format: InputFormat = "auto",
    strict: bool = False,
    lexicon: str | os.PathLike[str] | Lexicon | bool | None = None,
    engine: Engine | None = None,
    calibrated: bool = True,
    semantic: str = "off",
    semantic_weight: float | None = None,
) -> Alignment:
    """Align two versions of a text; every sentence of each side ends up in exactly one bead.

    ``source``/``target``: a path (``str`` is always a path), a ``Document``, or a list of
    sentences. ``translations``: one translation of each source sentence into the target
    language (a list or a file), used instead of a model; ``reverse_translations``: one of each
    target sentence into the source language, alone or with ``translations`` (both directions
    are then averaged). ``scorer``: ``lexical`` is model-free;
    ``marian`` translates with MarianMT; ``auto`` uses MarianMT when a model loads and falls back
    to ``lexical`` with a warning otherwise. ``translate_options``: device, beams, int8, batch
    size; ``use_cache``: the SQLite translation cache. ``input_format``: how to read files
    (``auto`` recognises HTML and Markdown). A side that does not look like its language is a
    warning, or with ``strict`` an error. ``lexicon``: a learned word-translation lexicon (a
    file from ``aligner lexicon train`` or an ``aligner.lexicon.Lexicon``) instead of the one
    the project ships for the pair; ``False`` for none (the hand-written glosses and cognates
    alone).
    ``engine``: a translation engine of your own (``aligner.translate.Engine``: translate,
    cross_entropy, describe) used as MarianMT would be, instead of loading a model.
    ``semantic``: a multilingual sentence encoder as one more view of the pair (``use``,
    ``e5``, ``hashed`` for tests; ``auto``: the first installed; ``off``), weighed as fitted
    (``semantic_weight`` to override, aligner/semantic/params.json).
    ``calibrated``: each bead's status comes from the fitted divergence model
    (``aligner.diverge.decision``: a number, placeholder or copy that differs decides by
    itself, the rest by the probability); False: the checks' own decision (any flag of
    severity error). Either way each aligned bead gets the model's ``divergence``
    probability, and each extra bead 1.0.
    """
    src = _document(source, src_lang, presegmented, input_format)
    tgt = _document(target, tgt_lang, presegmented, input_format)
    lex = find_lexicon(src.lang, tgt.lang, lexicon)
    warnings = language_warnings(
        (" ".join(s.text for s in src.sentences), " ".join(s.text for s in tgt.sentences)),
        (src.lang, tgt.lang), (f"the source {src.path or ''}".strip(),
                               f"the target {tgt.path or ''}".strip()), strict)
    moved = [f"{f.name}={getattr(thresholds, f.name)}" for f in fields(thresholds)
             if getattr(thresholds, f.name) != getattr(diverge.DEFAULT, f.name)]
    if moved and calibrated:
        log.warning("check thresholds %s: the divergence model was fitted on the flags of the "
                    "defaults, so its probabilities are no longer calibrated (calibrated=False, "
                    "--no-calibrated, decides by the flags alone)", ", ".join(moved))
    also: list[View] = []
    if translations is not None or reverse_translations is not None:
        views = []
        machine = (None if translations is None else _translations(translations, src, "source"),
                   None if reverse_translations is None
                   else _translations(reverse_translations, tgt, "target"))
        if machine[0] is not None:
            views.append((score.translated_side(src, machine[0], tgt.lang),
                          score.lexical_side(tgt)))
        if machine[1] is not None:
            views.append((score.lexical_side(src), score.translated_side(tgt, machine[1],
                                                                         src.lang)))
        sides, also = _with_model_free(src, tgt, views, lex)
        info = ScorerInfo("translation", model="file" if model is None else model,
                          detail={"directions": ["forward"] * (translations is not None)
                                  + ["reverse"] * (reverse_translations is not None)})
        translator = None
    else:
        options = translate_options or TranslateOptions()
        sides, info, translator, also, machine = _model_sides(src, tgt, scorer, model, options,
                                                              use_cache, lex, engine)
    encoder = semantic_encoder(semantic, use_cache)
    if encoder is not None:
        also = [*also, semantic_view(src, tgt, encoder, semantic_weight)]
        info = replace(info, detail={**info.detail, "semantic": encoder.describe()})
    beads = align_sides(*sides, also=also)
    if encoder is not None:
        beads = tuple(replace(b, semantic=m) for b, m in
                      zip(beads, semantic_matches(beads, also[-1]), strict=True))
    if info.name == "lexical" and lex is None and not hand.has_lexicon(src.lang, tgt.lang):
        # No word translations at all for this pair: learn word associations from this
        # first alignment, and align again with them.
        pairs = realign.associations(sides[0], sides[1], beads)
        if pairs:
            log.debug("realigning with %d learnt word associations", len(pairs))
            beads = align_sides(*realign.with_associations(sides[0], sides[1], pairs), sides[2],
                                also=also)
            info = replace(info, detail={**info.detail, "learnt_associations": len(pairs)})
    adequacy = (adequacy_check.cross_entropies(beads, src, tgt, translator, options,
                                                 use_cache, reverse=engine is None)
                if translator is not None else None)
    vocabulary = (lex.src_counts, lex.tgt_counts) if lex is not None else None
    # evidence, then flags, then the decision: each stage adds to what the one before made
    beads = diverge.check_all(differences.mark(beads, src, tgt, lex, machine), src, tgt,
                              thresholds, adequacy, vocabulary)
    beads = decision.decide(beads, src, tgt, calibrated=calibrated)
    # each word's probability of differing reads the bead's (the decision's)
    beads = differences.weigh(beads, src, tgt)
    par = parallelism(beads, len(src), len(tgt))
    # the similarity only tells comparable from unrelated: not needed for a translation (a
    # second of work on a 5,000-sentence document)
    similarity = document_similarity(src, tgt) if par < relation_model()[0] else None
    return Alignment(source=src, target=tgt, beads=beads, scorer=info,
                     parallelism=par, similarity=similarity,
                     signature=signature(info, lex, sides[2], also, thresholds, calibrated,
                                         encoder.key if encoder is not None else None),
                     warnings=tuple(warnings))


def language_warnings(texts: tuple[str, str], langs: tuple[str, str], labels: tuple[str, str],
                      strict: bool) -> list[str]:
    """A side that does not read as its declared language: a warning line each, logged, or
    with ``strict`` an ``InputError`` (``aligner check`` asks the same of a file's sides)."""
    found = language.mismatches(texts, langs, labels)
    if found and strict:
        raise InputError(found[0] + " (--strict)")
    for message in found:
        log.warning("%s", message)
    return found


def signature(info: ScorerInfo, lex: Lexicon | None, params: score.ScoreParams,
               also: Sequence[View], thresholds: diverge.Thresholds, calibrated: bool = True,
               encoder: str | None = None) -> Signature:
    """What made this report: version, scorer, model and lexicon revisions, parameters, checks
    (``aligner check`` signs its reports the same way)."""
    from aligner import __version__

    model = None
    if info.name == "marian":
        model = f"{info.model}@{info.detail.get('revision') or 'local'}"
        if info.detail.get("precision") not in (None, "", "none"):  # int8, fp32, float16
            model += f"+{info.detail['precision']}"
    elif info.name == "translation":
        model = info.model
    names = [score.param_name(params)] + [
        "semantic" if isinstance(v[2], SemanticParams) else score.param_name(v[2]) for v in also]
    changed = [f"{f.name}={getattr(thresholds, f.name)}" for f in fields(thresholds)
               if getattr(thresholds, f.name) != getattr(diverge.DEFAULT, f.name)]
    return Signature(aligner=__version__, scorer=info.name, model=model,
                     lexicon=f"{lex.src}-{lex.tgt}@{lex.revision()}" if lex else None,
                     params="+".join(dict.fromkeys(names)),
                     checks=",".join(changed) or "default",
                     decision=f"{'calibrated' if calibrated else 'checks'}"
                              f"@{decision.files_digest()}", encoder=encoder)


def parallelism(beads: Sequence[Bead], n: int, m: int) -> float:
    """Share of both sides' sentences in beads that align without a divergence, each weighted
    by its bead's score.

    Near 1 for a translation and its source; low for two articles on the same story: their
    sentences on the same facts do pair up, but with other numbers, names and lengths, so
    their beads are divergent, not translations.
    """
    if not n + m:
        return 0.0
    covered = sum(b.score * (len(b.source) + len(b.target)) for b in beads
                  if b.status == "aligned")
    return covered / (n + m)


#: Above this many DP cells, align coarse blocks first and run the fine DP in a band around
#: that path: time and memory then grow linearly with the documents.
FULL_DP_CELLS = 1_000_000
COARSE_BLOCK_MAX = 16


def align_sides(src: score.Side, tgt: score.Side, params: score.ScoreParams,
                also: Sequence[View] = ()) -> tuple[Bead, ...]:
    """The DP over the bead gains of two sides, with each bead's score attached.

    ``also``: more views of the same sentence pairs (the source against reverse translations
    of the target, the two texts model-free), averaged with this one (weight 1) by weight.
    """
    path, bead_scorer = _best_path([(src, tgt, params, 1.0), *also])
    return tuple(Bead(s, t, x) for (s, t), x in zip(path, bead_scorer.scores(path),
                                                     strict=True))


def _best_path(views: Sequence[View]) -> tuple[dp.Path, Scorer]:
    n, m = len(views[0][0].bags), len(views[0][1].bags)
    if n * m <= FULL_DP_CELLS:
        bead_scorer = combined(views)
        return dp.best_path(n, m, bead_scorer.gains, score.SHAPES), bead_scorer
    # Coarse units of k sentences, so that the coarse grid has about a quarter of the cells;
    # k stays small (the band's margin grows with it) and very long pairs recurse instead.
    k = min(COARSE_BLOCK_MAX, math.ceil(math.sqrt(n * m / (FULL_DP_CELLS / 4))))
    src_edges = [*range(0, n, k), n]
    tgt_edges = [*range(0, m, k), m]
    # Blocks always have a counterpart somewhere near: align them all, by content alone (their
    # numbers and names straddle block edges, so unmatched anchors mean nothing here).
    coarse, _ = _best_path([(a.merged(src_edges), b.merged(tgt_edges), _coarse(p), w)
                            for a, b, p, w in views])
    band = dp.band_around(coarse, src_edges, tgt_edges, n, m, margin=2 * k + 8)
    bead_scorer = combined(views, band)
    log.debug("banded DP: %d x %d sentences, blocks of %d, %d cells", n, m, k,
              int((band[1] - band[0] + 1).sum()))
    return dp.best_path(n, m, bead_scorer.gains, score.SHAPES, band), bead_scorer


def _coarse(params: score.ScoreParams | SemanticParams) -> score.ScoreParams | SemanticParams:
    """A view's parameters for the coarse pass, where every block is aligned."""
    if isinstance(params, SemanticParams):
        return replace(params, threshold=-1.0)
    return replace(params, threshold=-1.0, anchor_weight=0.0, boilerplate_penalty=0.0)


def _with_model_free(src: Document, tgt: Document, translated: list[tuple[score.Side, score.Side]],
                     lex: Lexicon | None) -> tuple[Sides, list[View]]:
    """The translation views, plus the model-free view of the two texts with its share."""
    weight = MODEL_FREE_SHARE / (1 - MODEL_FREE_SHARE) * len(translated)
    a, b, params = lexical_sides(src, tgt, lex)
    also: list[View] = [(x, y, score.TRANSLATION, 1.0) for x, y in translated[1:]]
    also.append((a, b, params, weight))
    return (*translated[0], score.TRANSLATION), also


Sides = tuple[score.Side, score.Side, score.ScoreParams]


def lexical_sides(src: Document, tgt: Document, lex: Lexicon | None) -> Sides:
    """The model-free view of a pair: both sides' feature bags and the parameters that fit
    them (``score.LEARNED`` with a learned lexicon ``lex``, oriented src -> tgt)."""
    if lex is None:
        return (score.lexical_side(src, tgt.lang), score.lexical_side(tgt, src.lang),
                score.lexical_params(src.lang, tgt.lang))
    return (score.lexical_side(src, tgt.lang, lex), score.lexical_side(tgt, src.lang,
                                                                      lex.reversed()),
            score.learned_params(src.lang, tgt.lang))


def _model_sides(src: Document, tgt: Document, scorer: ScorerName, model: str | None,
                 options: TranslateOptions, use_cache: bool, lex: Lexicon | None,
                 own_engine: Engine | None = None):
    """(Sides, ScorerInfo, forward translator or None, more views of the pair, the machine
    translations: of the source sentences, and of the target ones when the reverse model is
    here)."""
    if scorer == "lexical":
        return (lexical_sides(src, tgt, lex), lexical_info(lex), None, [],
                differences.NO_TRANSLATIONS)
    if scorer not in ("auto", "marian"):
        raise InputError(f"unknown scorer {scorer!r} (auto, lexical, marian)")
    from aligner.translate import CachedTranslator, engine

    try:
        translator = (CachedTranslator(own_engine, None, f"{src.lang}-{tgt.lang}")
                      if own_engine is not None else
                      engine(model, src.lang, tgt.lang, options, use_cache=use_cache))
        translations = translator.translate([s.text for s in src.sentences])
    except ModelError as exc:
        if scorer == "marian":
            raise
        fallback_warning(exc)
        info = lexical_info(lex)
        return (lexical_sides(src, tgt, lex),
                replace(info, detail={**info.detail, "fallback": str(exc)}), None, [],
                differences.NO_TRANSLATIONS)
    views = [(score.translated_side(src, translations, tgt.lang), score.lexical_side(tgt))]
    directions = ["forward"]
    back = None
    # The reverse model, when it is on this machine (never downloaded for this): the source
    # against translations of the target, averaged with the forward view. A given engine
    # translates one way only.
    if own_engine is None:
        try:
            reverse = engine(None, tgt.lang, src.lang, options, use_cache=use_cache)
            back = reverse.translate([s.text for s in tgt.sentences])
            views.append((score.lexical_side(src), score.translated_side(tgt, back, src.lang)))
            directions.append("reverse")
        except ModelError:
            pass
    described = translator.describe()
    info = ScorerInfo("marian", model=described.pop("name"), model_path=described.pop("path"),
                      detail={**described, "directions": directions})
    sides, also = _with_model_free(src, tgt, views, lex)
    return sides, info, translator, also, (translations, back)


def fallback_warning(exc: ModelError) -> None:
    """One short line that no model is here and the model-free scorer is used (the full reason
    with --debug); ``ALIGNER_NO_MODEL_WARNING=1`` silences it for those who know."""
    if os.environ.get("ALIGNER_NO_MODEL_WARNING", "") not in ("", "0"):
        log.debug("%s", exc)
        return
    reason = str(exc).split(";")[0]
    log.warning("%s: model-free scorer used (ALIGNER_NO_MODEL_WARNING=1 hides this)", reason)
    log.debug("%s", exc)


def lexical_info(lex: Lexicon | None) -> ScorerInfo:
    if lex is None:
        return ScorerInfo("lexical")
    return ScorerInfo("lexical", detail={"lexicon": lex.signature()})


def _document(value: object, lang: str, presegmented: bool, input_format: InputFormat
              ) -> Document:
    if isinstance(value, Document):
        return value
    if isinstance(value, (str, os.PathLike)):
        return load(value, lang, presegmented=presegmented, input_format=input_format)
    if isinstance(value, Sequence):
        return from_sentences([str(x) for x in value], lang)
    raise TypeError(f"cannot align a {type(value).__name__}: give a path, Document or sentences")

