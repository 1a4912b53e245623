"""`make fit`, third part: the word model, each word's probability of differing (differences.py).

SwissGov-RSD's human labels mark passages that differ, not single words. Every page of
../shared/eval/swissgov-dev is aligned from raw text, model-free, as `make eval` aligns it; each
word of a sentence that holds words without a counterpart gets the evidence of
``differences.word_evidence`` (whether it has a counterpart and how rare it is, the share of its
neighbours and of its sentence that have none, the bead's divergence probability) and, as its
label, the gold label of the benchmark token it lies in. A logistic regression (soft labels,
Newton's method, a small L2 penalty) is fitted on the even pages; the odd pages are held out.
The token Spearman correlation of ../shared/eval/swissgov.py is printed for the even, the odd
and all pages, with the words' evidence alone and with the fitted probabilities. ``--write``
saves the weights to aligner/diverge/difference_model.json.

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
from fit_divergence import fit, no_word_model  # the divergence model's Newton fit (scripts/)

from aligner import align
from aligner.diverge import differences, logistic


def pages(folder: Path) -> list[tuple[str, object, dict]]:
    """(name, alignment with the words' evidence, gold labels) of each page, aligned as `make
    eval` aligns it."""
    out = []
    for it in sorted(folder.glob("*.it")):
        with no_word_model():
            result = align(it, it.with_suffix(".en"), src_lang="it", tgt_lang="en",
                           scorer="lexical")
        labels = json.loads((folder / f"{it.stem}.labels.json").read_text(encoding="utf-8"))
        out.append((it.stem, result, labels))
    return out


def samples(page) -> tuple[list[list[float]], list[float]]:
    """Word evidence and gold labels of the page's words in sentences that hold words without
    a counterpart."""
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
            for a, b, _, x in differences.word_evidence(doc, ids, spans, bead):
                mid = (a + b) / 2
                k = int(np.searchsorted(starts, mid, side="right")) - 1
                if k < 0 or not gold[k][0] <= mid < gold[k][1] or gold[k][2] < 0:
                    continue
                xs.append(x)
                ys.append(float(gold[k][2]))
    return xs, ys


def spearman(folder: Path, script: Path, chosen: list, fitted) -> float:
    """swissgov.py's token Spearman of these pages, with the word model ``fitted`` (None: the
    words without a counterpart with their evidence alone)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, result, _ in chosen:
            beads = result.beads
            if fitted is not None:
                beads = differences.weigh(beads, result.source, result.target, fitted)
            (Path(tmp) / f"{name}.json").write_text(replace(result, beads=beads).to_json(),
                                                   encoding="utf-8")
        proc = subprocess.run([sys.executable, str(script), "score", str(folder), tmp],
                              capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])["spearman"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless the fit reproduces the shipped model")
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
    fitted = tuple(float(v) for v in w)
    print("weights:", dict(zip(differences.WORD_FEATURES, np.round(w, 3).tolist(),
                               strict=True)), f"({len(ys)} words of the even pages)")
    print(f"{'pages':<18} {'evidence alone':>15} {'word model':>13}")
    for label, part in (("even (fitted)", even), ("odd (held out)", odd), ("all", docs)):
        print(f"{label:<18} {spearman(folder, script, part, None):>15.3f} "
              f"{spearman(folder, script, part, fitted):>13.3f}")
    if args.check:
        shipped = differences.word_model()
        same = shipped is not None and all(abs(a - b) < 1e-5
                                           for a, b in zip(shipped, w, strict=True))
        print(f"the fit {'reproduces' if same else 'does NOT reproduce'} {differences.WORD_MODEL}")
        return 0 if same else 1
    if args.write:
        logistic.write(differences.WORD_MODEL, differences.WORD_FEATURES, w,
                       fitted_on="even pages of swissgov-dev (scripts/fit_differences.py)")
        print(f"written {differences.WORD_MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
