"""`make bench`, pairing part: 2,000 documents a side made from ../shared/corpus (10 consecutive
it-en sentence pairs a document) plus every ntrex-dev and books-dev document, under shuffled
names, paired by the whole CLI (`aligner pair FOLDER -f json`) in its own process: wall time,
peak memory, recall and precision of the true pairs.

    python scripts/bench_pair.py [--eval-dir ../shared/eval] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_lexicon import timed_rss  # noqa: E402
from pair_eval import folder  # noqa: E402


def corpus_documents(corpus: Path, out: Path, count: int, first: int) -> dict[str, str]:
    """``count`` documents a side of 10 consecutive sentence pairs, numbered from ``first``."""
    it = (corpus / "it-en" / "train.it").read_text("utf-8").splitlines()
    en = (corpus / "it-en" / "train.en").read_text("utf-8").splitlines()
    numbers = list(range(first, first + 2 * count))
    random.Random(1).shuffle(numbers)
    truth = {}
    for k in range(count):
        a, b = out / f"{numbers[2 * k]:05d}.txt", out / f"{numbers[2 * k + 1]:05d}.txt"
        a.write_text("\n".join(it[10 * k:10 * k + 10]) + "\n", "utf-8")
        b.write_text("\n".join(en[10 * k:10 * k + 10]) + "\n", "utf-8")
        truth[str(a)] = str(b)
    return truth


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--documents", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        truth = {s: t for s, (t, _) in folder(Path(args.eval_dir), docs).items()}
        truth.update(corpus_documents(Path(args.corpus), docs, args.documents, 10_000))
        report = Path(tmp) / "pairs.json"
        cmd = [str(Path(sys.executable).parent / "aligner"), "-q", "pair", str(docs), "-f",
               "json", "-o", str(report)]
        wall, peak = timed_rss(cmd)
        found = json.loads(report.read_text("utf-8"))
    pairs = [(p["source"], p["target"]) for p in found if p["source"] and p["target"]]
    right = sum(1 for s, t in pairs if truth.get(s) == t)
    print(f"aligner pair, {len(truth):,} Italian + {len(truth):,} English documents "
          f"({args.documents:,} a side from the corpus, the rest dev documents): {wall:.1f} s, "
          f"peak {peak:,.0f} MiB; recall {right / len(truth):.3f}, precision "
          f"{right / max(len(pairs), 1):.3f} (bars: under 120 s and 2 GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
