"""`make fit`, third part: the weights of words in a differing passage (diverge/differences.py).

SwissGov-RSD's human labels mark passages that differ, not single words: the words of an added
clause that the lexicon happened to match (articles, common words) are labelled too. Every page
of ../shared/eval/swissgov-dev is aligned from raw text, model-free, as `make eval` aligns it;
each word that has a counterpart but stands in a sentence with words that have none gets the
context evidence of ``differences.context_evidence`` (the share of its neighbours and of its
sentence without a counterpart) and, as its label, the gold label of the benchmark token it
lies in. A logistic regression (soft labels, Newton's method, a small L2 penalty) is fitted on
the even pages; the odd pages are held out. The token Spearman correlation of
../shared/eval/swissgov.py is printed for the even, the odd and all pages, without and with
the fitted weights. ``--write`` saves them to aligner/diverge/difference_model.json.

    python scripts/fit_differences.py [--eval-dir ../shared/eval] [--write]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
from fit_divergence import fit  # the same Newton fit as the divergence model (scripts/)

from aligner import align
from aligner.diverge import differences, logistic


def pages(folder: Path) -> list[tuple[str, object, dict]]:
    """(name, alignment, gold labels) of each page, aligned as `make eval` aligns it."""
    out = []
    for it in sorted(folder.glob("*.it")):
        result = align(it, it.with_suffix(".en"), src_lang="it", tgt_lang="en",
                       scorer="lexical")
        labels = json.loads((folder / f"{it.stem}.labels.json").read_text(encoding="utf-8"))
        out.append((it.stem, result, labels))
    return out


def samples(page) -> tuple[list[list[float]], list[float]]:
    """Context features and gold labels of the page's words that have a counterpart but stand
    in a sentence with words that have none."""
    _, result, labels = page
    xs, ys = [], []
    for doc, side, key in ((result.source, "it", "source"), (result.target, "en", "target")):
        gold = sorted((a, b, lab) for a, b, lab in labels[side])
        starts = np.array([a for a, _, _ in gold])
        for bead in result.beads:
            if bead.is_null:
                continue
            spans = bead.source_differences if key == "source" else bead.target_differences
            ids = bead.source if key == "source" else bead.target
            for a, b, own, x in differences.context_evidence(doc, ids, spans):
                if own or not x[1]:
                    continue
                mid = (a + b) / 2
                k = int(np.searchsorted(starts, mid, side="right")) - 1
                if k < 0 or not gold[k][0] <= mid < gold[k][1] or gold[k][2] < 0:
                    continue
                xs.append(x)
                ys.append(float(gold[k][2]))
    return xs, ys


def spearman(folder: Path, script: Path, chosen: list, fitted) -> float:
    """swissgov.py's token Spearman of these pages, with the context weights ``fitted`` (None:
    the words without a counterpart alone)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, result, _ in chosen:
            own = differences.unmatched
            beads = tuple(replace(b, source_differences=own(b.source_differences),
                                  target_differences=own(b.target_differences))
                          for b in result.beads)
            if fitted is not None:
                beads = differences.in_context(beads, result.source, result.target, fitted)
            (Path(tmp) / f"{name}.json").write_text(replace(result, beads=beads).to_json(),
                                                   encoding="utf-8")
        proc = subprocess.run([sys.executable, str(script), "score", str(folder), tmp],
                              capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])["spearman"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    eval_dir = Path(args.eval_dir)
    folder, script = eval_dir / "swissgov-dev", eval_dir / "swissgov.py"
    docs = pages(folder)
    even, odd = docs[0::2], docs[1::2]
    xs, ys = [], []
    for page in even:
        x, y = samples(page)
        xs += x
        ys += y
    w = fit(np.array(xs), np.array(ys))
    fitted = (tuple(float(v) for v in w), differences.CONTEXT_CAP)
    print("weights:", dict(zip(differences.CONTEXT_FEATURES, np.round(w, 3).tolist(),
                               strict=True)), f"({len(ys)} words of the even pages)")
    print(f"{'pages':<18} {'own words only':>15} {'with context':>13}")
    for label, part in (("even (fitted)", even), ("odd (held out)", odd), ("all", docs)):
        print(f"{label:<18} {spearman(folder, script, part, None):>15.3f} "
              f"{spearman(folder, script, part, fitted):>13.3f}")
    if args.write:
        logistic.write(differences.CONTEXT_MODEL, differences.CONTEXT_FEATURES, w,
                       cap=differences.CONTEXT_CAP,
                       fitted_on="even pages of swissgov-dev (scripts/fit_differences.py)")
        print(f"written {differences.CONTEXT_MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
