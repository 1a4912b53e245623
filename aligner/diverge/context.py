"""What every check sees: the two sides of a bead, what the documents say, the thresholds.

A check is a function ``(Pair, Context) -> list[Flag]`` (``Check``); the divergence stage
(``aligner.diverge.stage``) runs the registry of them on every aligned bead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from aligner.data import Flag


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where each check fires (see docs/design.md, "Divergence checks"; the
    figures for both dev genres are in ``make eval``).

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
    foreign_min_count: a capitalised word the learned lexicon's training text uses this often
        in the other language, and never in its own, is a word of the other language
        (``foreign-word``).
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
    foreign_min_count: int = 5

    @classmethod
    def describe(cls) -> dict[str, str]:
        """Each threshold's description, from this docstring (``NAME[, NAME]: text``)."""
        out: dict[str, str] = {}
        names: list[str] = []
        known = {f.name for f in fields(cls)}
        for line in (cls.__doc__ or "").splitlines()[2:]:
            head, sep, text = line.strip().partition(": ")
            heads = [h.strip() for h in head.split(",")]
            if sep and heads and all(h in known for h in heads):
                names = heads
                for name in names:
                    out[name] = text
            elif names and line.strip():
                for name in names:
                    out[name] += " " + line.strip()
        return out

    @classmethod
    def parse(cls, items: Sequence[str]) -> Thresholds:
        """``["length_ratio=0.7", ...]`` from the command line; raises ValueError when wrong."""
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for item in items:
            name, _, raw = item.partition("=")
            name = name.strip().replace("-", "_")
            if name not in known or not raw:
                raise ValueError(f"unknown check threshold {item!r} "
                                 f"(known: {', '.join(sorted(known))})")
            values[name] = int(raw) if known[name] in ("int", int) else float(raw)
        return cls(**values)


DEFAULT = Thresholds()


@dataclass(frozen=True, slots=True)
class Pair:
    """The two sides of an aligned bead, as text, and their languages."""

    src: str
    tgt: str
    src_lang: str
    tgt_lang: str


@dataclass(frozen=True, slots=True)
class Context:
    """What the documents as a whole tell the checks, and where the checks fire."""

    thresholds: Thresholds = DEFAULT
    ratio: float = 1.0                 # target characters per source character
    # name -> beads where the other side keeps it, misses it, and where it stands mid-sentence
    src_names: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    tgt_names: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    src_texts: dict[tuple[str, ...], list[int]] | None = None   # folded words -> sentences
    tgt_texts: dict[tuple[str, ...], list[int]] | None = None
    # how often the learned lexicon's training text uses each word (lexicon token) in the
    # source language and in the target language, when there is a lexicon for the pair
    vocabulary: tuple[Mapping[str, int], Mapping[str, int]] | None = None
    # registry checks not to run: a translation file that defines its own placeholders
    # (``aligner check``) compares them itself, so the free-text guess stays quiet
    skip: frozenset[str] = frozenset()
    # the beads are a translation file's units (``aligner check``): labels and messages of a
    # user interface, whose first word may well be a name, not sentences of an article
    units: bool = False


#: The one signature of a check.
Check = Callable[[Pair, Context], list[Flag]]


def one_side_only(a: Sequence[str], b: Sequence[str]) -> str:
    """``source only: x, y; target only: z``: what stands on one side only, for a message."""
    parts = []
    if a:
        parts.append("source only: " + ", ".join(a))
    if b:
        parts.append("target only: " + ", ".join(b))
    return "; ".join(parts)
