"""Fit what ``relation`` says of a pair (translation / comparable / unrelated) on labelled pairs.

Labelled pairs come from the dev sets: each document with its own translation (``translation``)
and with an unrelated one (ntrex-dev: document k against document k+2; books-dev: against the
next document of another book). Two features: the alignment's ``parallelism`` and the
documents' ``similarity`` (the cosine of their bags of numbers, names and cognates, as ``aligner
pair`` uses). The even k are fitted, the odd k held out and reported:

- ``translation`` at or above the parallelism that best separates true from unrelated pairs
  (the midpoint of the widest gap of the fit part's errors, balanced accuracy first);
- ``comparable`` below that, where the similarity exceeds what any unrelated pair of the fit
  part reached (nothing labels "same story, not a translation" in the dev data, so the bar is
  set so that unrelated pairs are never called comparable);
- ``unrelated`` otherwise.

``--write`` stores both thresholds in aligner/relation_model.json, which ``aligner.data``
reads. The seeds' same-story articles (004 against 000 and 001) are printed as a check.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from aligner import align, load
from aligner.features import document_similarity

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "aligner" / "relation_model.json"


def _pairs(eval_dir: Path) -> list[tuple[str, int, str, Path, Path]]:
    """(genre, k, label, source path, target path) of every labelled pair."""
    out = []
    for genre in ("ntrex-dev", "books-dev"):
        folder = eval_dir / genre
        names = sorted(p.stem for p in folder.glob("*.gold"))
        book = [n.rsplit("-", 1)[0] for n in names]
        for k, name in enumerate(names):
            out.append((genre, k, "translation", folder / f"{name}.it", folder / f"{name}.en"))
            if genre == "ntrex-dev":
                j = (k + 2) % len(names)
            else:
                j = next(i % len(names) for i in range(k + 1, k + len(names))
                         if book[i % len(names)] != book[k])
            out.append((genre, k, "unrelated", folder / f"{name}.it",
                        folder / f"{names[j]}.en"))
    return out


def measure(src: Path, tgt: Path) -> tuple[float, float]:
    a, b = load(src, "it"), load(tgt, "en")
    return align(a, b, scorer="lexical").parallelism or 0.0, document_similarity(a, b)


def fit(rows: list[dict]) -> tuple[float, float]:
    """(translation threshold on parallelism, comparable threshold on similarity)."""
    true = sorted(r["parallelism"] for r in rows if r["label"] == "translation")
    false = sorted(r["parallelism"] for r in rows if r["label"] == "unrelated")
    cuts = sorted(set(true + false))
    best = max((sum(x >= c for x in true) / len(true) + sum(x < c for x in false) / len(false),
                 c) for c in cuts)
    hi = best[1]
    lo = max((x for x in false + true if x < hi), default=0.0)
    translation = round((hi + lo) / 2, 3)
    comparable = round(max(r["similarity"] for r in rows if r["label"] == "unrelated") + 0.005,
                       3)
    return translation, comparable


def label(parallelism: float, similarity: float, t: float, c: float) -> str:
    if parallelism >= t:
        return "translation"
    return "comparable" if similarity >= c else "unrelated"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = []
    for genre, k, lab, src, tgt in _pairs(args.eval_dir):
        par, sim = measure(src, tgt)
        rows.append({"genre": genre, "k": k, "label": lab, "parallelism": par,
                     "similarity": sim})
    fitted = [r for r in rows if r["k"] % 2 == 0]
    held = [r for r in rows if r["k"] % 2 == 1]
    t, c = fit(fitted)
    print(f"fitted on the even documents ({len(fitted)} pairs): translation at parallelism "
          f">= {t}, comparable at similarity >= {c}")
    for name, part in (("fit (even)", fitted), ("held out (odd)", held)):
        for genre in ("ntrex-dev", "books-dev"):
            for lab in ("translation", "unrelated"):
                sel = [r for r in part if r["genre"] == genre and r["label"] == lab]
                said = [label(r["parallelism"], r["similarity"], t, c) for r in sel]
                right = sum(s == lab for s in said)
                pars = sorted(r["parallelism"] for r in sel)
                sims = sorted(r["similarity"] for r in sel)
                print(f"  {name:<15} {genre:<10} {lab:<12} {right}/{len(sel)} labelled so; "
                      f"parallelism {pars[0]:.3f}-{pars[-1]:.3f}, similarity "
                      f"{sims[0]:.3f}-{sims[-1]:.3f}; said: "
                      + ", ".join(f"{x} {said.count(x)}" for x in sorted(set(said))))
    seeds = ROOT / "seeds"
    for a, b in (("004", "000"), ("004", "001"), ("003", "002")):
        src = next(seeds.glob(f"{a}_*.txt"))
        tgt = next(seeds.glob(f"{b}_*.txt"))
        par, sim = measure(src, tgt)
        print(f"  seeds {a}/{b}: parallelism {par:.3f}, similarity {sim:.3f} -> "
              f"{label(par, sim, t, c)}")
    if args.write:
        MODEL.write_text(json.dumps({"translation_parallelism": t,
                                     "comparable_similarity": c,
                                     "fitted_on": "even documents of ntrex-dev and books-dev, "
                                                  "true and unrelated pairs "
                                                  "(scripts/fit_relation.py)"},
                                    indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
