"""`make fit`, second part: the divergence decision model (aligner/diverge/decision.py).

Every document of ntrex-dev, books-dev and probes-dev is aligned model-free; each aligned bead's
evidence (its flag codes and aligner.diverge.decision.MEASURES) is labelled 1 when it shares a
sentence with a gold divergent bead. A logistic regression (Newton's method, a small L2 penalty)
is fitted on the even documents of the three sets (aligner.evaluate.held_out; a probe document
follows the document it was made from), on the beads without evidence that decides by itself
(decision.HARD), its threshold the lowest within .01 of the best mean plus worst-set divergence
F1 there (the objective is flat over a wide range; the lowest favours recall and does not swing
with small changes of the evidence); the odd documents are held out: their divergence
precision and recall are printed beside the checks' own decision. ``--write`` saves the model
to aligner/diverge/divergence_model.json; ``--cross-genre`` also fits news alone and literary
text alone and scores each on the other.

    python scripts/fit_divergence.py [--eval-dir ../shared/eval] [--write] [--cross-genre]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

import numpy as np

from aligner import align
from aligner.diverge import decision, differences, logistic
from aligner.evaluate import Counts, GoldDoc, held_out, read_gold, score_document

SETS = ("ntrex-dev", "books-dev", "probes-dev")


@contextlib.contextmanager
def no_word_model():
    """Align without the word model (``differences.weigh``), so that each bead keeps the word
    evidence the decision reads (the model's features are computed before the words are
    weighed, and the word model reads the decision: fitted the other way round, each fit would
    move the other)."""
    original = differences.weigh
    differences.weigh = lambda beads, *_args, **_kw: tuple(beads)  # type: ignore[assignment]
    try:
        yield
    finally:
        differences.weigh = original


def documents(eval_dir: Path, semantic: str = "off") -> list[tuple[str, bool, GoldDoc, object]]:
    """(set, held out, gold document, alignment with the checks' flags and the word
    evidence; with ``semantic``, each bead's encoder match too)."""
    with no_word_model():
        return _documents(eval_dir, semantic)


def _documents(eval_dir: Path, semantic: str) -> list[tuple[str, bool, GoldDoc, object]]:
    out = []
    held = {}
    for name in SETS[:2]:
        folder = eval_dir / name
        for k, gold in enumerate(read_gold(folder)):
            held[gold.name] = held_out(k)
            result = align(folder / f"{gold.name}.it", folder / f"{gold.name}.en",
                           presegmented=True, scorer="lexical", calibrated=False,
                           semantic=semantic)
            out.append((name, held_out(k), gold, result))
    folder = eval_dir / "probes-dev"
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        gold = GoldDoc(rec["doc"], [(tuple(a), tuple(b)) for a, b in rec["beads"]],
                       tuple(rec["divergent"]))
        result = align(folder / f"{gold.name}.it", folder / f"{gold.name}.en",
                       presegmented=True, scorer="lexical", calibrated=False,
                       semantic=semantic)
        out.append(("probes-dev", held[gold.name[len("probe-"):]], gold, result))
    return out


def codes(docs: list) -> list[str]:
    """The flag codes the fit weighs: those on aligned beads of the documents, except the
    ones that decide by themselves."""
    seen = {c for d in docs for b in d[3].beads if not b.is_null
            for c in decision.codes_of(b)}
    return sorted(seen - set(decision.HARD))


def labelled(doc, features: list[str]
             ) -> tuple[list[list[float]], list[int], list[int], list[bool]]:
    """Features, labels, bead indices and hard evidence of a document's aligned beads."""
    _, _, gold, result = doc
    gold_div = [gold.beads[d["bead"]] for d in gold.divergent]
    ratio = decision.document_ratio(result.beads, result.source, result.target)
    median = decision.semantic_median(result.beads)
    xs, ys, idx, hard = [], [], [], []
    for k, b in enumerate(result.beads):
        if b.is_null:
            continue
        xs.append(decision.evidence(b, result.source, result.target, ratio, features, median))
        ys.append(int(any(set(b.source) & set(g[0]) or set(b.target) & set(g[1])
                          for g in gold_div)))
        idx.append(k)
        hard.append(bool(decision.codes_of(b) & set(decision.HARD)))
    return xs, ys, idx, hard


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method (the bias unpenalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -40, 40)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def measure(docs, decide) -> dict:
    """Divergence P/R of these documents, as make eval scores them, with ``decide(doc)`` the
    predicted divergent bead indices."""
    counts = {}
    for name in SETS:
        c = Counts()
        for doc in docs:
            if doc[0] != name:
                continue
            gold, result = doc[2], doc[3]
            c.add(score_document(gold.beads, [(b.source, b.target) for b in result.beads],
                                 gold.divergent, decide(doc)))
        s = c.scores()
        counts[name] = (s["div_p"], s["div_r"])
    return counts


def fitted(train: list, data: dict) -> tuple[np.ndarray, float, float]:
    """The model fitted on ``train``'s beads without hard evidence, and its threshold: the
    lowest within .01 of the best mean plus worst-genre divergence F1 over the genres in
    ``train`` (the objective is flat over a wide range, precision traded for recall; the lowest
    favours recall, since a missed divergence costs a reviewer more than a false alarm, and
    does not swing with a small change of the evidence). Returns (weights, threshold, best)."""
    rows = [(f, v) for d in train
            for f, v, h in zip(data[id(d)][0], data[id(d)][1], data[id(d)][3], strict=True)
            if not h]                                      # hard evidence decides by itself
    w = fit(np.array([f for f, _ in rows]), np.array([v for _, v in rows], dtype=float))
    genres = sorted({d[0] for d in train})

    def objective(threshold: float) -> float:
        f1 = [2 * p * r / (p + r) if p + r else 0.0
              for name, (p, r) in measure(train, chosen(data, w, threshold)).items()
              if name in genres]
        return sum(f1) / len(f1) + min(f1)     # every genre, the worse one counted twice

    grid = [t / 100 for t in range(5, 96)]
    values = {t: objective(t) for t in grid}
    best = max(values.values())
    return w, min(t for t in grid if values[t] >= best - 0.01), best


def chosen(data: dict, w: np.ndarray, threshold: float):
    """The decision of the model ``w`` at ``threshold``, as ``measure`` takes it."""
    def decide(doc):
        xs, _, idx, hard = data[id(doc)]
        return [k for f, k, h in zip(xs, idx, hard, strict=True)
                if h or logistic.probability(f, w) >= threshold]
    return decide


def cross_genre(docs: list, data: dict, w_both: np.ndarray, t_both: float) -> None:
    """Each genre's documents fitted alone and the model scored on the other genre, beside
    the model fitted on the even documents of both (``w_both`` at ``t_both``): how far the fit
    carries to a genre it has not seen (the held-out text the project is measured on is of
    other kinds)."""
    print(f"{'fitted on':<12} {'scored on':<10} {'threshold':>9} {'P/R':>12} "
          f"{'both-genre fit P/R':>20}")
    for fit_on, score_on in (("ntrex-dev", "books-dev"), ("books-dev", "ntrex-dev")):
        w, t, _ = fitted([d for d in docs if d[0] == fit_on], data)
        other = [d for d in docs if d[0] == score_on]
        p, r = measure(other, chosen(data, w, t))[score_on]
        pb, rb = measure(other, chosen(data, w_both, t_both))[score_on]
        print(f"{fit_on:<12} {score_on:<10} {t:>9.2f} {p:>6.3f}/{r:.3f} {pb:>14.3f}/{rb:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless the fit reproduces the shipped model")
    ap.add_argument("--cross-genre", action="store_true",
                    help="also fit each genre alone and score the other one")
    ap.add_argument("--semantic", default="off",
                    help="align with this sentence encoder and weigh its semantic_deficit: the "
                         "model of aligner/diverge/divergence_model.semantic.json")
    args = ap.parse_args()
    docs = documents(Path(args.eval_dir), args.semantic)
    train = [d for d in docs if not d[1]]
    held = [d for d in docs if d[1]]
    with_encoder = args.semantic != "off"
    features = [*codes(train), *decision.MEASURES,
                *(["semantic_deficit"] if with_encoder else []), "bias"]
    target = decision.MODEL_SEMANTIC if with_encoder else decision.MODEL
    data = {id(d): labelled(d, features) for d in docs}
    w, threshold, best = fitted(train, data)

    def checks(doc):
        return [k for k, b in enumerate(doc[3].beads) if b.status == "divergent"]

    print("weights:", dict(zip(features, np.round(w, 3).tolist(), strict=True)))
    print(f"threshold {threshold:.2f} (the lowest within .01 of the best mean plus worst-genre F1 "
          f"on the even documents, {best:.4f})")
    print(f"{'part':<22} {'checks P/R':>14} {'calibrated P/R':>16}")
    for label, part in (("even (fitted)", train), ("odd (held out)", held), ("all", docs)):
        a, b = measure(part, checks), measure(part, chosen(data, w, threshold))
        for name in SETS:
            print(f"{name + ' ' + label:<32} {a[name][0]:.3f}/{a[name][1]:.3f} "
                  f"{b[name][0]:>10.3f}/{b[name][1]:.3f}")
    if args.cross_genre:
        cross_genre(docs, data, w, threshold)
    if args.check:
        shipped = decision.read_model(target)
        same = (shipped is not None and list(shipped.features) == features
                and shipped.threshold == threshold
                and all(abs(a - b) < 1e-5 for a, b in zip(shipped.weights, w, strict=True)))
        print(f"the fit {'reproduces' if same else 'does NOT reproduce'} {target}")
        return 0 if same else 1
    if args.write:
        logistic.write(target, features, w, threshold=threshold,
                       fitted_on="even documents of ntrex-dev, books-dev and probes-dev "
                                 "(scripts/fit_divergence.py"
                                 + (f" --semantic {args.semantic})" if with_encoder else ")"))
        print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
