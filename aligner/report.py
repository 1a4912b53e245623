"""Report writers: each takes an ``Alignment`` and a text file handle, nothing else.

``text`` is for people at a terminal (side by side, colours only when asked), ``json`` is the
stable machine format ``aligner/alignment/1`` documented in the README.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TextIO

from aligner.data import Alignment, Bead

_COLOURS = {"aligned": "\033[32m", "extra": "\033[33m", "divergent": "\033[31m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def write_json(result: Alignment, out: TextIO) -> None:
    out.write(result.to_json(indent=2))
    out.write("\n")


def write_text(result: Alignment, out: TextIO, *, color: bool = False, width: int = 120) -> None:
    """A side-by-side table: bead number, status and score, then the two sides wrapped."""
    width = max(width, 60)
    meta = 23                                   # "  12  divergent  0.93  "
    col = (width - meta - 3) // 2

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    src, tgt = result.source, result.target
    out.write(paint(_BOLD, f"{'#':>4}  {'status':<9} {'score':>5}  "
                           f"{_clip(src.path or src.lang, col):<{col}} │ "
                           f"{_clip(tgt.path or tgt.lang, col)}") + "\n")
    out.write("─" * width + "\n")
    for k, bead in enumerate(result.beads):
        left = _wrap(" ".join(src.sentences[i].text for i in bead.source), col)
        right = _wrap(" ".join(tgt.sentences[j].text for j in bead.target), col)
        rows = max(len(left), len(right))
        left += [""] * (rows - len(left))
        right += [""] * (rows - len(right))
        status = paint(_COLOURS[bead.status], f"{bead.status:<9}")
        score = f"{bead.score:5.2f}" if not bead.is_null else "    –"
        for r in range(rows):
            head = f"{k:>4}  {status} {score}  " if r == 0 else " " * meta
            out.write(f"{head}{left[r]:<{col}} │ {right[r]}\n")
        for flag in bead.flags:
            note = f"{'':{meta}} ⚑ {flag.code}: {flag.message}"
            out.write(paint(_COLOURS["divergent"] if flag.severity == "error" else _DIM,
                            _clip(note, width)) + "\n")
    out.write("─" * width + "\n")
    out.write(summary_line(result) + "\n")


def summary_line(result: Alignment) -> str:
    s = result.summary()
    scorer = result.scorer.name + (f" ({result.scorer.model})" if result.scorer.model else "")
    return (f"{s['beads']} beads: {s['aligned_beads']} aligned, {s['divergent_beads']} divergent; "
            f"extra content: {s['extra_source_sentences']} source and "
            f"{s['extra_target_sentences']} target sentences; scorer: {scorer}")


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


WRITERS: dict[str, Callable[..., None]] = {"text": write_text, "json": write_json}


def bead_text(result: Alignment, bead: Bead) -> tuple[str, str]:
    """The two sides of a bead as text (sentences joined by a space)."""
    return (" ".join(result.source.sentences[i].text for i in bead.source),
            " ".join(result.target.sentences[j].text for j in bead.target))
