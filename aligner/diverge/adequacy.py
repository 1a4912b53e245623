"""The adequacy check (with MarianMT): pairs the model finds much less likely than the
document's others. Document-level: it needs every bead's score first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aligner.data import Bead, Document, Flag
from aligner.diverge.context import Thresholds


def flag(beads: tuple[Bead, ...], adequacy: dict[int, float] | None, thresholds: Thresholds
         ) -> tuple[Bead, ...]:
    """``adequacy``: bead index -> the model's (dual conditional) cross-entropy of the pair;
    beads this far above the document's median (in median absolute deviations, and at least
    ``adequacy_min_nats``) get ``low-adequacy``. Too few scored beads give no median."""
    if not adequacy or len(adequacy) < 5:
        return beads
    values = sorted(adequacy.values())
    median = values[len(values) // 2]
    mad = sorted(abs(v - median) for v in values)[len(values) // 2] or 1e-9
    limit = median + max(thresholds.adequacy_mads * mad, thresholds.adequacy_min_nats)
    return tuple(_flag(b, adequacy.get(k), median, limit) for k, b in enumerate(beads))


def _flag(bead: Bead, value: float | None, median: float, limit: float) -> Bead:
    """A warning when the model finds this pair much less likely than the document's others."""
    if value is None:
        return bead
    if value >= limit:
        flag = Flag("low-adequacy", f"the translation model finds this pair unlikely: "
                    f"{value:.2f} nats/token against a median of {median:.2f}", "warning")
        return replace(bead, flags=(*bead.flags, flag))
    return bead


def cross_entropies(beads: Sequence[Bead], src: Document, tgt: Document, translator,
                    options, use_cache: bool, reverse: bool = True) -> dict[int, float]:
    """Dual conditional cross-entropy of each aligned bead (Junczys-Dowmunt, 2018): the
    forward model's cross-entropy of the target given the source and, when the reverse model is
    on this machine too, the reverse one; high or disagreeing values mean the two sides do not
    say the same thing."""
    from aligner.errors import ModelError
    from aligner.translate import engine

    pairs = [(k, src.join(b.source), tgt.join(b.target))
             for k, b in enumerate(beads) if not b.is_null]
    if not pairs:
        return {}
    forward = translator.cross_entropy([p[1] for p in pairs], [p[2] for p in pairs])
    backward = None
    if reverse:
        try:
            reverse_model = engine(None, tgt.lang, src.lang, options, use_cache=use_cache)
            backward = reverse_model.cross_entropy([p[2] for p in pairs], [p[1] for p in pairs])
        except ModelError:
            backward = None
    out = {}
    for n, (k, _, _) in enumerate(pairs):
        h1 = forward[n]
        out[k] = h1 if backward is None else abs(h1 - backward[n]) + (h1 + backward[n]) / 2
    return out
