"""probes-dev: real documents with one translator's slip of a known kind in some sentences.

Each ../shared/eval/probes-dev document is aligned model-free (``--presegmented``, the lexical
scorer), its JSON report written to OUT/probes-dev/, and scored two ways: by
../shared/eval/probes.py (the set's own scorer, on every document), and here, document by
document, with the same counts, so that each figure gets a bootstrap interval over documents
and the held-out half (``aligner.evaluate.held_out``: the documents made from an odd ntrex-dev
or books-dev document) is reported apart from the half fits and error analyses may look at.
The two scorers must agree on the whole set; the script fails if they do not.

    python scripts/probes_eval.py [--eval-dir ../shared/eval] [--out out/eval]
                                  [--compare OLD_PRED_DIR]

``--compare``: a paired bootstrap, on the held-out half, of the reports in OLD_PRED_DIR (an
earlier run's OUT/probes-dev, kept aside) against this run's.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from aligner import align
from aligner.evaluate import bootstrap, held_out, paired_bootstrap, read_gold

SIDES = ("source", "target")


def split(eval_dir: Path) -> dict[str, bool]:
    """Probe document -> held out: as the ntrex-dev or books-dev document it was made from."""
    out = {}
    for name in ("ntrex-dev", "books-dev"):
        for k, doc in enumerate(read_gold(eval_dir / name)):
            out[f"probe-{doc.name}"] = held_out(k)
    return out


def gold(eval_dir: Path) -> list[dict]:
    path = eval_dir / "probes-dev" / "gold.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run(eval_dir: Path, pred: Path) -> float:
    """Align every probe document into ``pred``; the wall time."""
    pred.mkdir(parents=True, exist_ok=True)
    folder = eval_dir / "probes-dev"
    t0 = time.perf_counter()
    for g in gold(eval_dir):
        result = align(folder / f"{g['doc']}.it", folder / f"{g['doc']}.en", src_lang="it",
                       tgt_lang="en", presegmented=True, scorer="lexical")
        (pred / f"{g['doc']}.json").write_text(result.to_json(indent=None), encoding="utf-8")
    return time.perf_counter() - t0


def counts(g: dict, pred: Path) -> dict:
    """One document's counts, as ../shared/eval/probes.py counts them."""
    rep = json.loads((pred / f"{g['doc']}.json").read_text(encoding="utf-8"))
    edits = {d["bead"]: d["kind"] for d in g["divergent"]}
    bad = {t for b in rep["beads"] if b.get("status") == "divergent" for t in b["target"]}
    c: dict = {"flagged": 0, "right": 0, "hit": {}, "tot": {},
               "marked": dict.fromkeys(SIDES, 0), "words": dict.fromkeys(SIDES, 0)}
    for b, k in edits.items():
        c["tot"][k] = c["tot"].get(k, 0) + 1
        c["hit"][k] = c["hit"].get(k, 0) + (b in bad)
    for b in rep["beads"]:
        if b.get("status") == "divergent":
            c["flagged"] += 1
            c["right"] += any(t in edits for t in b["target"])
        if not (b["source"] and b["target"]) or any(t in edits for t in b["target"]):
            continue
        for side in SIDES:
            for i in b[side]:
                s = rep[side]["sentences"][i]
                c["words"][side] += len(re.findall(r"\w+", s["text"]))
                c["marked"][side] += sum(1 for d in s.get("differences", []) if d[2] >= 0.5)
    return c


def precision(parts: Sequence[dict]) -> float:
    flagged = sum(p["flagged"] for p in parts)
    return sum(p["right"] for p in parts) / flagged if flagged else 0.0


def recall(kind: str):
    def stat(parts: Sequence[dict]) -> float:
        tot = sum(p["tot"].get(kind, 0) for p in parts)
        return sum(p["hit"].get(kind, 0) for p in parts) / tot if tot else float("nan")
    return stat


def noise(side: str):
    def stat(parts: Sequence[dict]) -> float:
        return (sum(p["marked"][side] for p in parts)
                / max(1, sum(p["words"][side] for p in parts)))
    return stat


def statistics(kinds: Sequence[str]) -> dict:
    """Every figure probes.py prints, by name."""
    return {"precision": precision, **{f"recall {k}": recall(k) for k in kinds},
            **{f"word_noise {s}": noise(s) for s in SIDES}}


def table(parts: Sequence[dict], kinds: Sequence[str]) -> dict[str, tuple[float, float, float]]:
    """Figure -> (value, interval low, interval high)."""
    return {name: (stat(parts), *bootstrap(parts, stat))
            for name, stat in statistics(kinds).items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--out", default="out/eval")
    ap.add_argument("--compare", default=None, metavar="OLD_PRED_DIR")
    ap.add_argument("--no-align", action="store_true", help="score the reports already there")
    args = ap.parse_args()
    eval_dir, pred = Path(args.eval_dir), Path(args.out) / "probes-dev"
    if not (eval_dir / "probes-dev").is_dir():
        print(f"probes-dev: {eval_dir / 'probes-dev'} not found", file=sys.stderr)
        return 2
    wall = 0.0 if args.no_align else run(eval_dir, pred)
    docs = gold(eval_dir)
    held = split(eval_dir)
    parts = [counts(g, pred) for g in docs]
    kinds = sorted({k for p in parts for k in p["tot"]})
    official = json.loads(subprocess.run(
        [sys.executable, str(eval_dir / "probes.py"), str(eval_dir / "probes-dev" / "gold.jsonl"),
         str(pred)], capture_output=True, text=True, check=True).stdout)
    mine = table(parts, kinds)
    if (round(mine["precision"][0], 3) != official["precision"]
            or any(round(mine[f"recall {k}"][0], 3) != official["recall"][k] for k in kinds)):
        print(f"probes-dev: this script's counts differ from probes.py's: {official}",
              file=sys.stderr)
        return 1
    halves = {"all": parts, "fit half": [p for g, p in zip(docs, parts, strict=True)
                                         if not held[g["doc"]]],
              "held out": [p for g, p in zip(docs, parts, strict=True) if held[g["doc"]]]}
    tables = {name: table(ps, kinds) for name, ps in halves.items()}
    print(f"probes-dev (model-free, {len(docs)} documents, {wall:.1f} s; probes.py: "
          f"precision {official['precision']} of {official['flagged']} flagged, slips "
          f"{official['slips']}); 95% bootstrap intervals over documents")
    print(f"{'figure':<22}" + "".join(f"{name:>22}" for name in halves))
    for figure in mine:
        print(f"{figure:<22}" + "".join(
            f"{t[figure][0]:>10.3f} [{t[figure][1]:.2f}-{t[figure][2]:.2f}]"
            for t in tables.values()))
    if args.compare:
        old = [counts(g, Path(args.compare)) for g in docs]
        pick = [k for k, g in enumerate(docs) if held[g["doc"]]]
        print(f"paired bootstrap on the held-out half, {args.compare} -> {pred}:")
        for figure, stat in statistics(kinds).items():
            sign = -1 if figure.startswith("word_noise") else 1     # lower noise is better
            change, p = paired_bootstrap([old[k] for k in pick], [parts[k] for k in pick],
                                         lambda ps, stat=stat, sign=sign: sign * stat(ps))
            print(f"  {figure:<22} {sign * change:+.3f} (not better in {p:.1%} of resamples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
