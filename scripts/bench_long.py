"""`make bench`, long documents: books-dev and ntrex-dev interleaved (literary paragraphs and
news sentences in one text) up to 5,000, 20,000 and 50,000 units a side, each aligned by the
whole CLI (`aligner align --presegmented --scorer lexical -f json`) in its own process: wall
time, peak memory (max RSS) and strict F1 against the concatenated gold, so that growth with
the size is visible.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def build(eval_dir: Path, units: int, folder: Path) -> tuple[Path, Path, list]:
    """The two files of a mixed document of at least ``units`` lines a side, and its gold."""
    from eval import concatenate

    from aligner.evaluate import read_gold

    news = [(eval_dir / "ntrex-dev", d) for d in read_gold(eval_dir / "ntrex-dev")]
    books = [(eval_dir / "books-dev", d) for d in read_gold(eval_dir / "books-dev")]
    order = []
    for k in range(max(len(news), len(books))):
        order += news[k:k + 1] + books[k:k + 1]
    src, tgt, gold = concatenate(order, units)
    a, b = folder / f"mixed-{units}.it", folder / f"mixed-{units}.en"
    a.write_text("\n".join(src) + "\n", encoding="utf-8")
    b.write_text("\n".join(tgt) + "\n", encoding="utf-8")
    return a, b, gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 50000])
    ap.add_argument("--json", default=None)
    ap.add_argument("--semantic", default="off",
                    help="also align each size with this sentence encoder (its cache empty: "
                         "every sentence is encoded), beside the model-free run")
    args = ap.parse_args()
    from bench_lexicon import timed_rss

    from aligner.evaluate import score_document

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for units in args.sizes:
            a, b, gold = build(Path(args.eval_dir), units, Path(tmp))
            report = Path(tmp) / f"mixed-{units}.json"
            n = len(a.read_text(encoding="utf-8").splitlines())
            m = len(b.read_text(encoding="utf-8").splitlines())
            for semantic in dict.fromkeys(("off", args.semantic)):
                cmd = [str(Path(sys.executable).parent / "aligner"), "-q", "align", str(a),
                       str(b), "--presegmented", "--scorer", "lexical", "-f", "json", "-o",
                       str(report), "--semantic", semantic]
                cache = Path(tmp) / f"cache-{units}-{semantic}"
                wall, peak = timed_rss(cmd, {**os.environ, "ALIGNER_CACHE_DIR": str(cache)})
                beads = json.loads(report.read_text(encoding="utf-8"))["beads"]
                scores = score_document(gold, [(tuple(x["source"]), tuple(x["target"]))
                                               for x in beads]).scores()
                r = {"units": (n, m), "semantic": semantic, "wall_s": wall, "peak_mib": peak,
                     "strict_f1": scores["strict_f1"], "extra_f1": scores["extra_f1"]}
                if semantic == "off":
                    rows.append(r)
                print(f"mixed books-dev + ntrex-dev, {n:,} x {m:,} units"
                      f"{'' if semantic == 'off' else ', encoder ' + semantic}: {wall:.1f} s, "
                      f"{r['peak_mib']:.0f} MiB peak, strict F1 {r['strict_f1']:.3f}, extra F1 "
                      f"{r['extra_f1']:.3f}", flush=True)
    if len(rows) > 1:
        print(f"growth: {rows[-1]['units'][0] / rows[0]['units'][0]:.1f}x the units, "
              f"{rows[-1]['wall_s'] / rows[0]['wall_s']:.1f}x the time")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
