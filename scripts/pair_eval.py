"""`make eval`, pairing part: one folder of every ntrex-dev and books-dev document, each as an
Italian and an English file under names that say nothing (a shuffled number), paired by
``aligner.pair``: recall of the true pairs (news and books apart), precision, time.

    python scripts/pair_eval.py [--eval-dir ../shared/eval]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.pair import pair  # noqa: E402


def folder(eval_dir: Path, out: Path) -> dict[str, tuple[str, str]]:
    """The dev documents as files ``out/NNNN.txt`` (a shuffled number each, either language),
    and the truth: source file -> (target file, genre)."""
    docs = [(eval_dir / genre, p.stem, genre.split("-")[0]) for genre in ("ntrex-dev",
                                                                          "books-dev")
            for p in sorted((eval_dir / genre).glob("*.gold"))]
    numbers = list(range(2 * len(docs)))
    random.Random(0).shuffle(numbers)
    truth = {}
    for k, (d, name, genre) in enumerate(docs):
        it, en = out / f"{numbers[2 * k]:04d}.txt", out / f"{numbers[2 * k + 1]:04d}.txt"
        it.write_text((d / f"{name}.it").read_text("utf-8"), "utf-8")
        en.write_text((d / f"{name}.en").read_text("utf-8"), "utf-8")
        truth[str(it)] = (str(en), genre)
    return truth


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        truth = folder(Path(args.eval_dir), Path(tmp))
        t0 = time.perf_counter()
        found = pair([tmp])
        wall = time.perf_counter() - t0
    pairs = [(p.source, p.target, p.label) for p in found if p.source and p.target]
    right = [p for p in pairs if truth.get(p[0], ("",))[0] == p[1]]
    print(f"pairing the dev folder ({len(truth)} Italian + {len(truth)} English files, "
          f"model-free): {wall:.1f} s")
    for genre in ("ntrex", "books"):
        total = sum(1 for _, g in truth.values() if g == genre)
        hit = sum(1 for s, _, _ in right if truth[s][1] == genre)
        print(f"  {genre:6} recall {hit / total:.3f} ({hit} of {total})")
    print(f"  all    recall {len(right) / len(truth):.3f}, precision "
          f"{len(right) / max(len(pairs), 1):.3f} ({len(pairs)} pairs, "
          f"{sum(1 for *_, lab in pairs if lab == 'comparable')} comparable); bars .95 / .98, "
          "books .90")
    return 0


if __name__ == "__main__":
    sys.exit(main())
