"""`make bench`, `aligner check` part: a PO catalogue of 10,000 (and 40,000) units, model-free.

The catalogue is made of the real units of tests/data/l10n's PO files, repeated with a running
number in each msgid and msgstr (so every entry is its own) until it has N units. Each size runs
in a fresh process, which reports its wall time (reading, checking, writing the JSON report) and
its peak memory; the medians of ``--repeat`` runs are printed.

    python scripts/bench_check.py [--units 10000 40000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_RUN = r"""
import io, json, resource, sys, time
t = time.perf_counter()
from aligner.qa.check import check
from aligner.qa.report import write_json
result = check(sys.argv[1])
write_json([result], io.StringIO())
print(json.dumps({"seconds": time.perf_counter() - t, "units": len(result),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def catalogue(n: int, out: Path) -> None:
    import polib

    entries = []
    for path in sorted((ROOT / "tests" / "data" / "l10n").glob("*.po")):
        entries += [e for e in polib.pofile(str(path), wrapwidth=0)
                    if e.msgid and e.msgstr and not e.obsolete and not e.msgid_plural]
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "it"}
    k = 0
    while len(po) < n:
        e = entries[k % len(entries)]
        po.append(polib.POEntry(msgid=f"{e.msgid} ({k})", msgstr=f"{e.msgstr} ({k})",
                                flags=list(e.flags)))
        k += 1
    po.save(str(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, nargs="+", default=[10_000, 40_000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "aligner")],
                   check=True)
    print("aligner check, model-free, a PO catalogue of real units repeated (medians of "
          f"{args.repeat} fresh processes)")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.units:
            path = Path(tmp) / f"big-{n}.po"
            catalogue(n, path)
            runs = [json.loads(subprocess.run([sys.executable, "-c", _RUN, str(path)],
                                              check=True, capture_output=True, text=True,
                                              cwd=ROOT).stdout)
                    for _ in range(args.repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            peak = statistics.median(r["peak_mib"] for r in runs)
            print(f"{n:>7,} units: {seconds:6.2f} s ({n / seconds:,.0f} units/s), "
                  f"peak {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
