"""Two runs of `make eval`'s alignment part compared on the held-out half, as the project keeps
a change: a paired bootstrap over the odd documents of each dev set (``aligner.evaluate``).

Run ``scripts/eval.py --out OLD`` on the tree before a change and ``--out NEW`` after it (add
``--sets ntrex-dev books-dev --long 0`` to save time), then:

    python scripts/compare_eval.py OLD NEW [--eval-dir ../shared/eval] [--scorer learned]

For every report folder the two runs share (``SET-SCORER``), each figure prints its value
before and after, on all documents and on the held-out half, with the share of resamples of
the held-out documents where the change is not an improvement (keep a change only where that
share is under .05 and no figure is worse as often).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.evaluate import document_counts, figure, held_out, paired_bootstrap  # noqa: E402

FIGURES = ("strict_f1", "extra_f1", "div_p", "div_r", "div_f1")
#: The dev sets with a held-out half (textberg dev is one document; textberg test is a test set).
SETS = ("ntrex-dev", "books-dev")


def compare(gold: Path, old: Path, new: Path) -> list[str]:
    """One line per figure: all documents and the held-out half, before -> after."""
    before, after = document_counts(gold, old), document_counts(gold, new)
    hb = [c for k, c in enumerate(before) if held_out(k)]
    ha = [c for k, c in enumerate(after) if held_out(k)]
    lines = []
    for key in FIGURES:
        stat = figure(key)
        change, worse = paired_bootstrap(hb, ha, stat)
        lines.append(f"  {key:<10} all {stat(before):.3f} -> {stat(after):.3f}   held out "
                     f"{stat(hb):.3f} -> {stat(ha):.3f} ({change:+.3f}, not better in "
                     f"{worse:.1%} of resamples)")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--scorer", default=None, help="only this scorer's folders (learned, use...)")
    args = ap.parse_args()
    found = 0
    for name in SETS:
        for folder in sorted(args.old.glob(f"{name}-*")):
            scorer = folder.name[len(name) + 1:]
            if (args.scorer and scorer != args.scorer) or not (args.new / folder.name).is_dir():
                continue
            found += 1
            print(f"{name} {scorer}:")
            print("\n".join(compare(args.eval_dir / name, folder, args.new / folder.name)))
    if not found:
        print(f"compare_eval: no report folder shared by {args.old} and {args.new}",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
