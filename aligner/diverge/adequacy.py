"""The adequacy check (with MarianMT): pairs the model finds much less likely than the
document's others. Document-level: it needs every bead's score first."""

from __future__ import annotations

from dataclasses import replace

from aligner.data import Bead, Flag
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
