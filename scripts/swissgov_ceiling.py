"""What the SwissGov-dev token Spearman can reach from the tool's own reports, and what our
word-level evidence adds to it: the figures behind the README's account of the issue's bar.

The benchmark (../shared/eval/swissgov.py) gives each token its bead's value (1 for extra
content, 1 - score, raised to 1 when the bead is divergent) plus the weight of a `differences`
span over it, and pools every labelled token of every page into one rank correlation. This
script reads the reports `make eval` wrote (out/eval/swissgov-dev) and scores, with the
benchmark's own `spearman`:

- oracles, which read the gold labels: every token valued at the gold mean of its sentence
  (our segmentation), of its bead's side (our beads), or at whether that sentence's gold mean
  exceeds 0.5 (a perfect yes/no per sentence). They bound what any report built on these
  sentences and beads can score;
- our extra-content decision alone (1 for content on one side only, 0 elsewhere);
- that decision plus a lift of aligned beads by the share of a side's words without a
  counterpart (the `differences` of weight >= 0.5), kept only above a threshold t. The best t is
  chosen on the same pages, so this is an upper bound on what that evidence adds.

    python scripts/swissgov_ceiling.py [--eval-dir ../shared/eval] [--reports out/eval/swissgov-dev]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

from aligner.text.words import WORD

THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def _benchmark(eval_dir: Path):
    """The benchmark's own module, so that its rank correlation is the one scored."""
    spec = importlib.util.spec_from_file_location("swissgov", eval_dir / "swissgov.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tokens(folder: Path, reports: Path) -> list[dict]:
    """Every labelled token with its gold label and what the report says of its sentence:
    its sentence and bead, whether the bead is extra content, and the share of that bead's
    side's words without a counterpart."""
    rows = []
    for labels_file in sorted(folder.glob("*.labels.json")):
        name = labels_file.name[: -len(".labels.json")]
        report = reports / f"{name}.json"
        if not report.exists():
            continue
        labels = json.loads(labels_file.read_text(encoding="utf-8"))
        data = json.loads(report.read_text(encoding="utf-8"))
        for side, key in (("it", "source"), ("en", "target")):
            sentences = data[key]["sentences"]
            bead_of: dict[int, tuple[int, bool, float]] = {}
            for k, bead in enumerate(data["beads"]):
                mine = [sentences[i] for i in bead[key]]
                words = sum(len(WORD.findall(s["text"])) for s in mine)
                missing = sum(kind == "no-counterpart" for s in mine
                              for kind in s.get("difference_kinds", ()))
                extra = not (bead["source"] and bead["target"])
                for i in bead[key]:
                    bead_of[i] = (k, extra, missing / words if words else 0.0)
            for start, end, label in labels[side]:
                if label < 0:
                    continue
                mid = (start + end) / 2
                i = next((i for i, s in enumerate(sentences) if s["start"] <= mid < s["end"]),
                         None)
                bead, extra, share = bead_of.get(i, (-1, True, 1.0))
                rows.append({"label": label, "sentence": (name, side, i),
                             "bead": (name, side, bead), "extra": extra, "share": share})
    return rows


def ceilings(eval_dir: Path, reports: Path) -> dict[str, float]:
    """The figures listed in the module docstring, each a token Spearman over all pages."""
    spearman = _benchmark(eval_dir).spearman
    rows = tokens(eval_dir / "swissgov-dev", reports)
    gold = [r["label"] for r in rows]

    def mean_by(key: str) -> list[float]:
        groups: dict[tuple, list[float]] = defaultdict(list)
        for r in rows:
            groups[r[key]].append(r["label"])
        means = {k: sum(v) / len(v) for k, v in groups.items()}
        return [means[r[key]] for r in rows]

    sentence_mean = mean_by("sentence")
    extra = [1.0 if r["extra"] else 0.0 for r in rows]
    lifted = {t: spearman(gold, [2.0 if r["extra"] else (r["share"] if r["share"] > t else 0.0)
                                 for r in rows]) for t in THRESHOLDS}
    best = max(lifted, key=lifted.get)
    return {"tokens": len(rows),
            "oracle_sentence_mean": spearman(gold, sentence_mean),
            "oracle_bead_mean": spearman(gold, mean_by("bead")),
            "oracle_sentence_yes_no": spearman(gold, [float(m > 0.5) for m in sentence_mean]),
            "extra_only": spearman(gold, extra),
            "extra_plus_share_best": lifted[best], "extra_plus_share_t": best,
            "extra_plus_share_all": lifted[THRESHOLDS[0]]}


def describe(c: dict[str, float]) -> str:
    """The oracles and the lifted figures (make eval prints the extra-only reference itself,
    scored through the benchmark's script)."""
    return (f"  what the format allows on these sentences (oracles reading the gold): gold "
            f"sentence means {c['oracle_sentence_mean']:.3f}, gold bead means "
            f"{c['oracle_bead_mean']:.3f}, a perfect yes/no per sentence "
            f"{c['oracle_sentence_yes_no']:.3f}\n"
            f"  the extra-content decision with aligned beads lifted "
            f"by their share of words without a counterpart: {c['extra_plus_share_all']:.3f} "
            f"(every bead), {c['extra_plus_share_best']:.3f} at best (share > "
            f"{c['extra_plus_share_t']}, chosen on these pages)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--reports", default="out/eval/swissgov-dev")
    args = ap.parse_args()
    reports = Path(args.reports)
    if not any(reports.glob("*.json")):
        print(f"swissgov_ceiling: no reports in {reports} (run make eval first)", file=sys.stderr)
        return 2
    c = ceilings(Path(args.eval_dir), reports)
    print(f"  our extra-content decision alone {c['extra_only']:.3f}")
    print(describe(c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
