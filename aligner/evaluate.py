"""Scoring predicted alignments against gold ones, as ../shared/eval/README.md defines it.

strict/lax precision and recall are computed exactly as Vecalign's ``score.py`` does (counts
pooled over all documents; precision over every predicted bead, null beads included; recall over
the non-null gold beads). Extra content is scored per sentence, divergence per bead.
"""

from __future__ import annotations

import ast
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from aligner.errors import InputError

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]
T = TypeVar("T")


@dataclass(slots=True)
class Counts:
    """Pooled counts; the scores are properties so that pooling stays exact."""

    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0
    rtp_strict: int = 0
    rfn_strict: int = 0
    rtp_lax: int = 0
    rfn_lax: int = 0
    extra_tp: int = 0
    extra_pred: int = 0
    extra_gold: int = 0
    div_pred: int = 0
    div_pred_hit: int = 0
    div_gold: int = 0
    div_gold_hit: int = 0
    div_by_kind: dict[str, list[int]] = field(default_factory=dict)
    documents: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__slots__:
            if name == "div_by_kind":
                for kind, (hit, total) in other.div_by_kind.items():
                    mine = self.div_by_kind.setdefault(kind, [0, 0])
                    mine[0] += hit
                    mine[1] += total
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float | int | dict[str, float]]:
        ps, rs = _ratio(self.tp_strict, self.fp_strict), _ratio(self.rtp_strict, self.rfn_strict)
        pl, rl = _ratio(self.tp_lax, self.fp_lax), _ratio(self.rtp_lax, self.rfn_lax)
        ep = self.extra_tp / self.extra_pred if self.extra_pred else 0.0
        er = self.extra_tp / self.extra_gold if self.extra_gold else 0.0
        dp = self.div_pred_hit / self.div_pred if self.div_pred else 0.0
        dr = self.div_gold_hit / self.div_gold if self.div_gold else 0.0
        return {
            "documents": self.documents,
            "strict_p": ps, "strict_r": rs, "strict_f1": _f1(ps, rs),
            "lax_p": pl, "lax_r": rl, "lax_f1": _f1(pl, rl),
            "extra_p": ep, "extra_r": er, "extra_f1": _f1(ep, er),
            "extra_gold": self.extra_gold,
            "div_p": dp, "div_r": dr, "div_f1": _f1(dp, dr), "div_gold": self.div_gold,
            "div_recall_by_kind": {k: (h / t if t else 0.0)
                                   for k, (h, t) in sorted(self.div_by_kind.items())},
        }


def score_document(gold: Beads, pred: Beads, gold_divergent: Sequence[dict] = (),
                   pred_divergent: Iterable[int] = ()) -> Counts:
    """Counts for one document. ``*_divergent``: gold entries ``{"bead", "kind"}`` and the
    indices of predicted beads whose status is ``divergent``."""
    c = Counts(documents=1)
    tps, fps, tpl, fpl = _precision(gold, pred)
    c.tp_strict, c.fp_strict, c.tp_lax, c.fp_lax = tps, fps, tpl, fpl
    gold_nn = [(s, t) for s, t in gold if s and t]
    pred_nn = [(s, t) for s, t in pred if s and t]
    rtps, rfns, rtpl, rfnl = _precision(pred_nn, gold_nn)
    c.rtp_strict, c.rfn_strict, c.rtp_lax, c.rfn_lax = rtps, rfns, rtpl, rfnl

    gold_extra = _extra_sentences(gold)
    pred_extra = _extra_sentences(pred)
    c.extra_gold, c.extra_pred = len(gold_extra), len(pred_extra)
    c.extra_tp = len(gold_extra & pred_extra)

    pred_div = [pred[k] for k in pred_divergent]
    gold_div = [(gold[d["bead"]], d.get("kind", "?")) for d in gold_divergent]
    c.div_pred = len(pred_div)
    c.div_pred_hit = sum(1 for b in pred_div if any(_share(b, g) for g, _ in gold_div))
    c.div_gold = len(gold_div)
    for g, kind in gold_div:
        hit = int(any(_share(b, g) for b in pred_div))
        c.div_gold_hit += hit
        entry = c.div_by_kind.setdefault(kind, [0, 0])
        entry[0] += hit
        entry[1] += 1
    return c


def _precision(gold: Beads, test: Beads) -> tuple[int, int, int, int]:
    """Vecalign's ``_precision``: strict and lax true/false positives of ``test`` against gold."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    test_set = {(tuple(s), tuple(t)) for s, t in test if s or t}
    links: dict[int, set[int]] = defaultdict(set)
    for gs, gt in gold_set:
        for i in gs:
            links[i].update(gt)
    tps = fps = tpl = fpl = 0
    for ts, tt in test_set:
        if (ts, tt) in gold_set:
            tps += 1
            tpl += 1
            continue
        fps += 1
        targets = set().union(*(links[i] for i in ts)) if ts else set()
        if targets & set(tt):
            tpl += 1
        else:
            fpl += 1
    return tps, fps, tpl, fpl


def _extra_sentences(beads: Beads) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for s, t in beads:
        if not t:
            out.update(("s", i) for i in s)
        if not s:
            out.update(("t", j) for j in t)
    return out


def _share(a: tuple[Sequence[int], Sequence[int]], b: tuple[Sequence[int], Sequence[int]]
           ) -> bool:
    return bool(set(a[0]) & set(b[0]) or set(a[1]) & set(b[1]))


def _ratio(tp: int, fp: int) -> float:
    return tp / (tp + fp) if tp + fp else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# ---- reading gold and predictions -------------------------------------------------------------

def parse_beads(text: str, name: str = "<beads>") -> Beads:
    """Vecalign's format: one bead a line, ``[0, 1]:[2]``; ``[]`` for an empty side."""
    beads: Beads = []
    for k, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            left, right = line.split(":")[:2]
            s, t = ast.literal_eval(left), ast.literal_eval(right)
            beads.append((tuple(int(x) for x in s), tuple(int(x) for x in t)))
        except (ValueError, SyntaxError) as exc:
            raise InputError(f"{name}:{k}: not a bead ({exc.__class__.__name__}): {line!r}"
                             ) from None
    return beads


def format_beads(beads: Iterable[tuple[Sequence[int], Sequence[int]]]) -> str:
    return "".join(f"{list(s)}:{list(t)}\n" for s, t in beads)


@dataclass(frozen=True, slots=True)
class GoldDoc:
    name: str
    beads: Beads
    divergent: tuple[dict, ...] = ()


def read_gold(folder: str | Path) -> list[GoldDoc]:
    """Every ``NAME.gold`` in the folder, with divergences from ``gold.jsonl`` when present."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{folder}: not a folder of gold alignments")
    divergent: dict[str, tuple[dict, ...]] = {}
    jsonl = root / "gold.jsonl"
    if jsonl.exists():
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                divergent[rec["doc"]] = tuple(rec.get("divergent", ()))
    docs = [GoldDoc(p.name[: -len(".gold")], parse_beads(p.read_text(encoding="utf-8"), str(p)),
                    divergent.get(p.name[: -len(".gold")], ()))
            for p in sorted(root.glob("*.gold"))]
    if not docs:
        raise InputError(f"{folder}: no *.gold files")
    return docs


def read_prediction(folder: str | Path, name: str) -> tuple[Beads, list[int]]:
    """``NAME.json`` (aligner's JSON, with statuses) or ``NAME.align`` (Vecalign's format)."""
    root = Path(folder)
    js = root / f"{name}.json"
    if js.exists():
        data = json.loads(js.read_text(encoding="utf-8"))
        beads = [(tuple(b["source"]), tuple(b["target"])) for b in data["beads"]]
        div = [k for k, b in enumerate(data["beads"]) if b.get("status") == "divergent"]
        return beads, div
    for ext in (".align", ".gold"):
        p = root / f"{name}{ext}"
        if p.exists():
            return parse_beads(p.read_text(encoding="utf-8"), str(p)), []
    raise InputError(f"{folder}: no prediction for {name} (NAME.json or NAME.align)")


def evaluate_folder(gold_dir: str | Path, pred_dir: str | Path,
                    names: Iterable[str] | None = None) -> Counts:
    """Pooled counts over every gold document (or those in ``names``)."""
    return pooled(document_counts(gold_dir, pred_dir, names))


# ---- which documents are held out, and how sure a figure is ------------------------------------

def held_out(index: int) -> bool:
    """Whether the document at ``index`` of its set (``read_gold``'s sorted order) is held out of
    every fit and every error analysis: the odd ones, in every dev set (probes-dev's documents
    follow the ntrex-dev or books-dev document they were made from)."""
    return index % 2 == 1


def bootstrap(parts: Sequence[T], statistic: Callable[[Sequence[T]], float],
              samples: int = 1000, seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """A percentile interval of ``statistic`` over documents drawn with replacement: the
    documents, not the beads, are the unit, since the beads of one document share its genre,
    its translator and its errors."""
    rng = random.Random(seed)
    n = len(parts)
    if not n:
        return (0.0, 0.0)
    drawn = (statistic([parts[rng.randrange(n)] for _ in range(n)]) for _ in range(samples))
    # a resample where the figure is undefined (NaN: no slip of a kind drawn) says nothing
    values = sorted(v for v in drawn if v == v)
    if not values:
        return (float("nan"), float("nan"))
    tail = (1 - level) / 2
    m = len(values)
    return values[int(tail * m)], values[min(m - 1, int((1 - tail) * m))]


def paired_bootstrap(before: Sequence[T], after: Sequence[T],
                     statistic: Callable[[Sequence[T]], float], samples: int = 1000,
                     seed: int = 0) -> tuple[float, float]:
    """(the change of ``statistic`` from ``before`` to ``after``, the share of resamples of
    the same documents where it is not positive): a change is kept where that share is under
    .05. ``before[k]`` and ``after[k]`` are one document's counts under the two systems."""
    if len(before) != len(after):
        raise ValueError("paired_bootstrap: the two systems must score the same documents")
    rng = random.Random(seed)
    n = len(before)
    worse = 0
    for _ in range(samples):
        pick = [rng.randrange(n) for _ in range(n)]
        worse += statistic([after[k] for k in pick]) - statistic([before[k] for k in pick]) <= 0
    return statistic(after) - statistic(before), worse / samples


def figure(key: str) -> Callable[[Sequence[Counts]], float]:
    """The statistic ``bootstrap`` and ``paired_bootstrap`` draw: figure ``key`` of
    ``Counts.scores`` (strict_f1, extra_f1, div_p...) over the documents pooled."""
    def statistic(parts: Sequence[Counts]) -> float:
        return float(pooled(parts).scores()[key])  # type: ignore[arg-type]
    return statistic


def pooled(parts: Iterable[Counts]) -> Counts:
    """The counts of these documents pooled into one."""
    total = Counts()
    for part in parts:
        total.add(part)
    return total


def document_counts(gold_dir: str | Path, pred_dir: str | Path,
                    names: Iterable[str] | None = None) -> list[Counts]:
    """One ``Counts`` per gold document (or those in ``names``), in ``read_gold``'s order: the
    parts ``bootstrap`` draws from."""
    wanted = set(names) if names is not None else None
    out = []
    for doc in read_gold(gold_dir):
        if wanted is None or doc.name in wanted:
            beads, div = read_prediction(pred_dir, doc.name)
            out.append(score_document(doc.beads, beads, doc.divergent, div))
    return out
