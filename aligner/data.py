"""The data model that flows through the pipeline: documents, sentences, beads, flags.

Every stage takes and returns these frozen dataclasses, never dicts or tuples, so a result
always carries what produced it (the scorer and its model) and can be written by any report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from aligner import jsonout

Status = Literal["aligned", "extra", "divergent"]
Severity = Literal["info", "warning", "error"]

SCHEMA = "aligner/alignment/1"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document.

    ``start``/``end`` index the document's decoded text (``Document.text``), so
    ``doc.text[s.start:s.end]`` is the sentence as it stands in the input; ``text`` is that
    span with runs of whitespace folded to one space, which is what the scorers see.
    """

    text: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """One side of the pair: its language, where it came from, its text and its sentences."""

    lang: str
    sentences: tuple[Sentence, ...]
    text: str = ""
    path: str | None = None

    def __len__(self) -> int:
        return len(self.sentences)

    def join(self, ids: Sequence[int]) -> str:
        """The text of some of the sentences (one side of a bead), joined by spaces."""
        return " ".join(self.sentences[i].text for i in ids)


@dataclass(frozen=True, slots=True)
class Flag:
    """A reason to look at a bead: a stable ``code`` plus a message quoting the evidence.

    ``source_terms``/``target_terms``: the exact strings of each side that differ (numbers,
    names), so that reports can highlight them.
    """

    code: str
    message: str
    severity: Severity = "warning"
    source_terms: tuple[str, ...] = ()
    target_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The flag as JSON (the terms only where there are some)."""
        out: dict[str, Any] = {"code": self.code, "severity": self.severity,
                               "message": self.message}
        if self.source_terms:
            out["source_terms"] = list(self.source_terms)
        if self.target_terms:
            out["target_terms"] = list(self.target_terms)
        return out


class Mark(str, Enum):
    """What a marked word of a bead is, for a reader: the kind of a ``Span``."""

    NO_COUNTERPART = "no-counterpart"   # nothing on the other side stands for it
    IN_PASSAGE = "in-passage"           # it has a counterpart, among words that have none
    EXTRA = "extra"                     # a whole sentence that stands on one side only


#: A span this likely to differ is shown to a reader as a difference (the reports' lists,
#: ``Span.strong``); lighter ones are evidence a reader of the JSON may rank by.
STRONG = 0.5


class Span(NamedTuple):
    """A marked word (or sentence) of one side of a bead, in document character offsets.

    ``weight``: the probability that it differs from the other side, from the fitted word
    model (``aligner.diverge.differences.weigh``); before that stage it is the word's evidence
    (its rarity: an article weighs little, a content word 1). JSON: ``[start, end, weight]`` in
    a sentence's ``differences``, the kind at the same index of its ``difference_kinds``.
    """

    start: int
    end: int
    weight: float
    kind: Mark = Mark.NO_COUNTERPART

    @property
    def strong(self) -> bool:
        return self.weight >= STRONG


@dataclass(frozen=True, slots=True)
class Bead:
    """A monotonic alignment unit: source and target sentence indices (0-based, in order).

    One side empty means content that stands on the other side only. ``score`` in [0, 1] is
    how well the two sides match (0 for extra content).
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float = 0.0
    status: Status = "aligned"
    flags: tuple[Flag, ...] = ()
    # what differs, word by word, on each side (``Span``, aligner.diverge.differences); a
    # sentence of extra content is one span of weight 1
    source_differences: tuple[Span, ...] = ()
    target_differences: tuple[Span, ...] = ()
    #: How likely the two sides differ, on every bead: the calibrated model's probability on
    #: aligned beads (1.0 where hard evidence such as a changed number decides), 1.0 on content
    #: that stands on one side only; without a fitted model, 1.0 for divergent, else 0.0.
    divergence: float = 0.0
    #: With a sentence encoder (``--semantic``): how close the two sides are in meaning, the
    #: cosine of their vectors less that of their sentences' nearest neighbours (above 0: a
    #: translation's closeness); None without one, and on extra content.
    semantic: float | None = None

    @property
    def is_null(self) -> bool:
        return not self.source or not self.target

    @property
    def is_boilerplate(self) -> bool:
        """Extra content that is site furniture (a credit, a footer): no gate refuses it."""
        return any(f.code == "boilerplate" for f in self.flags)

    @property
    def kind(self) -> str:
        """The bead's shape, such as ``"2-1"``."""
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True, slots=True)
class ScorerInfo:
    """Which scorer produced an alignment, with the model (name and path or revision) if any."""

    name: str
    model: str | None = None
    model_path: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Signature:
    """What produced a report, as sacrebleu's signature says what produced a score: enough to
    reproduce it, or to know two reports are comparable. Its text form is one line,
    ``aligner:0.3.0|scorer:lexical|model:-|lexicon:it-en@0123456789ab|params:learned|checks:default|
    decision:calibrated@0123456789ab`` (``-`` for none; ``|encoder:use-m3@0.2.1`` follows where a
    sentence encoder was used), and ``Signature.parse`` reads it back (a signature of a version
    before ``decision`` was added reads it as None)."""

    aligner: str
    scorer: str
    model: str | None = None           # name@revision of the MarianMT model, or "file"
    lexicon: str | None = None         # pair@sha256 prefix of the learned lexicon
    params: str = ""                   # the scorer's parameter set
    checks: str = "default"            # divergence thresholds changed from their defaults
    # how statuses were decided (calibrated: the fitted model; checks: any error flag) and the
    # digest of the files the decision reads (its model, the word model, glosses, dictionary)
    decision: str | None = None
    encoder: str | None = None         # name@version of the sentence encoder, if one was used

    _KEYS = ("aligner", "scorer", "model", "lexicon", "params", "checks", "decision", "encoder")

    def text(self) -> str:
        keys = self._KEYS if self.encoder else self._KEYS[:-1]
        return "|".join(f"{k}:{getattr(self, k) or '-'}" for k in keys)

    @classmethod
    def parse(cls, text: str) -> Signature:
        """The signature whose text() is ``text``; ValueError when it is not one."""
        fields: dict[str, str | None] = {}
        for part in text.split("|"):
            key, sep, value = part.partition(":")
            if not sep or key not in cls._KEYS:
                raise ValueError(f"not an aligner signature: {text!r}")
            fields[key] = None if value == "-" else value
        if set(fields) | {"decision", "encoder"} != set(cls._KEYS):
            raise ValueError(f"not an aligner signature: {text!r}")
        return cls(**fields)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        return {**{k: getattr(self, k) for k in self._KEYS}, "text": self.text()}


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of aligning two documents: every sentence of each side in exactly one bead."""

    source: Document
    target: Document
    beads: tuple[Bead, ...]
    scorer: ScorerInfo
    parallelism: float | None = None
    #: How alike the two documents are before alignment (``features.document_similarity``):
    #: with the parallelism, what tells two articles on one story from unrelated ones. Only
    #: computed below the translation bar, where the relation needs it (None otherwise).
    similarity: float | None = None
    signature: Signature | None = None
    warnings: tuple[str, ...] = ()          # inputs that look wrong (languages), one line each

    @property
    def relation(self) -> str | None:
        """``translation``, ``comparable`` or ``unrelated`` (see ``relation``)."""
        return relation(self.parallelism, self.similarity)

    def text(self, bead: Bead) -> tuple[str, str]:
        """The bead's source and target as text (each side's sentences joined by a space;
        ``bead.source`` and ``bead.target`` are sentence numbers)."""
        return self.source.join(bead.source), self.target.join(bead.target)

    def summary(self) -> dict[str, Any]:
        """Counts a reader wants first: how much of each side aligned, how much is extra."""
        n_src, n_tgt = len(self.source), len(self.target)
        src_aligned = sum(len(b.source) for b in self.beads if not b.is_null)
        tgt_aligned = sum(len(b.target) for b in self.beads if not b.is_null)
        kinds: dict[str, int] = {}
        flags: dict[str, int] = {}
        for bead in self.beads:
            kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
            for flag in bead.flags:
                flags[flag.code] = flags.get(flag.code, 0) + 1
        return {
            "source_sentences": n_src,
            "target_sentences": n_tgt,
            "beads": len(self.beads),
            "aligned_beads": sum(1 for b in self.beads if b.status == "aligned"),
            "divergent_beads": sum(1 for b in self.beads if b.status == "divergent"),
            "extra_source_sentences": n_src - src_aligned,
            "extra_target_sentences": n_tgt - tgt_aligned,
            "source_aligned_share": round(src_aligned / n_src, 4) if n_src else 0.0,
            "target_aligned_share": round(tgt_aligned / n_tgt, 4) if n_tgt else 0.0,
            "bead_kinds": dict(sorted(kinds.items())),
            "flags": dict(sorted(flags.items())),
            "parallelism": None if self.parallelism is None else round(self.parallelism, 4),
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "relation": self.relation,
            "extra_blocks": self.extra_blocks(),
        }

    def extra_blocks(self) -> list[dict[str, Any]]:
        """Runs of consecutive extra beads on one side: content the other version lacks."""
        blocks: list[dict[str, Any]] = []
        for k, bead in enumerate(self.beads):
            if not bead.is_null:
                continue
            side = "source" if bead.source else "target"
            ids = list(bead.source or bead.target)
            boiler = bead.is_boilerplate
            last = blocks[-1] if blocks else None
            if last and last["side"] == side and last["beads"][-1] == k - 1:
                last["beads"].append(k)
                last["sentences"] += ids
                last["boilerplate"] = last["boilerplate"] and boiler
            else:
                blocks.append({"side": side, "beads": [k], "sentences": ids,
                               "boilerplate": boiler})
        return blocks

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``aligner/alignment/1`` (see README: its fields are stable)."""
        return {
            "schema": SCHEMA,
            "source": _document_dict(self.source, self._differences("source")),
            "target": _document_dict(self.target, self._differences("target")),
            "scorer": {
                "name": self.scorer.name,
                "model": self.scorer.model,
                "model_path": self.scorer.model_path,
                **({"detail": self.scorer.detail} if self.scorer.detail else {}),
            },
            "beads": [
                {
                    "source": list(b.source),
                    "target": list(b.target),
                    "score": round(b.score, 4),
                    "status": b.status,
                    "divergence": b.divergence,
                    "flags": [f.to_dict() for f in b.flags],
                    **({"semantic": round(b.semantic, 4)} if b.semantic is not None else {}),
                }
                for b in self.beads
            ],
            "summary": self.summary(),
            **({"signature": self.signature.to_dict()} if self.signature else {}),
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }

    def _differences(self, side: str) -> dict[int, list[Span]]:
        """Sentence index -> its marked words."""
        doc = self.source if side == "source" else self.target
        out: dict[int, list[Span]] = {}
        for bead in self.beads:
            spans = bead.source_differences if side == "source" else bead.target_differences
            ids = bead.source if side == "source" else bead.target
            if len(ids) == 1:
                if spans:
                    out.setdefault(ids[0], []).extend(spans)
                continue
            for span in spans:
                i = next((i for i in ids if doc.sentences[i].start <= span.start
                          < max(doc.sentences[i].end, doc.sentences[i].start + 1)), ids[0])
                out.setdefault(i, []).append(span)
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return jsonout.dumps(self.to_dict(), indent)


def relation(parallelism: float | None, similarity: float | None = None) -> str | None:
    """What the pair is: ``translation`` (of each other), ``comparable`` (the same story told
    twice) or ``unrelated``.

    ``parallelism`` is the share of both sides' sentences in beads aligned without a divergence,
    each weighted by how well its bead matches; translations score high. Below the translation
    bar, the documents' ``similarity`` (numbers, names, cognates) tells a second article on the
    same story from an unrelated one. Both bars are fitted on labelled dev pairs
    (``scripts/fit_relation.py``: aligner/relation_model.json). Without a similarity (an
    ``Alignment`` built by hand) only a parallelism of zero is called unrelated.
    """
    if parallelism is None:
        return None
    translation, comparable = relation_model()
    if parallelism >= translation:
        return "translation"
    if similarity is None:
        return "comparable" if parallelism > 0 else "unrelated"
    return "comparable" if similarity >= comparable else "unrelated"


@lru_cache(maxsize=1)
def relation_model() -> tuple[float, float]:
    """(the parallelism of a translation, the similarity of a comparable pair), as fitted."""
    data = json.loads(Path(__file__).with_name("relation_model.json").read_text("utf-8"))
    return float(data["translation_parallelism"]), float(data["comparable_similarity"])


def _document_dict(doc: Document, differences: dict[int, list[Span]]) -> dict[str, Any]:
    """A side as JSON: each sentence's marked words as ``differences`` (``[start, end,
    weight]``, the format readers have relied on since 0.1.0) and, index for index, their
    kinds as ``difference_kinds``."""
    return {
        "lang": doc.lang,
        "path": doc.path,
        "sentences": [
            {"text": s.text, "paragraph": s.paragraph, "start": s.start, "end": s.end,
             **({"differences": [list(x[:3]) for x in differences[k]],
                 "difference_kinds": [x[3].value for x in differences[k]]}
                if k in differences else {})}
            for k, s in enumerate(doc.sentences)
        ],
    }
