"""Why content stands on one side only: a second copy of a sentence of the same side, or site
furniture (credits, newsletters, footers)."""

from __future__ import annotations

from aligner.data import Bead, Document, Flag
from aligner.text.boilerplate import is_boilerplate
from aligner.text.words import fold


def texts(doc: Document) -> dict[tuple[str, ...], list[int]]:
    """Each sentence's folded words -> the sentences that have exactly them."""
    out: dict[tuple[str, ...], list[int]] = {}
    for k, s in enumerate(doc.sentences):
        out.setdefault(tuple(fold(s.text).split()), []).append(k)
    return out


def reasons(bead: Bead, source: Document, target: Document,
                   texts: dict[tuple[str, ...], list[int]]) -> tuple[Flag, ...]:
    """Why content may stand on one side only: a second copy of a sentence of the same side
    (a title repeated above the article), or site furniture."""
    side, doc, ids = ("source", source, bead.source) if bead.source else (
        "target", target, bead.target)
    text = doc.join(ids)
    other = "target" if side == "source" else "source"
    count = f"{len(ids)} sentence{'s' * (len(ids) > 1)}"
    boiler = is_boilerplate(text)
    flags = [Flag("extra", f"{side} only ({count}): no counterpart in the {other}",
                  "info" if boiler else "warning")]
    key = tuple(fold(text).split())
    if key:
        twin = next((k for k in texts.get(key, ()) if k not in ids), None)
        if twin is not None:
            flags.append(Flag("duplicate", f"duplicate of {side} {twin}", "info"))
    if boiler:
        flags.append(Flag("boilerplate", "site furniture (credit, newsletter, footer), not "
                          "article content", "info"))
    return tuple(flags)
