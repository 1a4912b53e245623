"""`make bench`, first part: the learned lexicon and the model-free start-up.

- `aligner lexicon train` on each corpus of ../shared/corpus (it-en, de-fr): wall time and peak
  memory of the whole process, median of --repeat runs;
- loading a shipped lexicon: median of --repeat fresh processes, the load alone timed;
- `aligner align` on the seeds pair, model-free, whole process: median of 10 runs, with the
  package's bytecode cached (as installed) and compiled at every start.

This machine's speed is erratic: every figure is a median of runs made in the same session.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent / "aligner"
SEEDS = (ROOT / "seeds" / "003_0d1d48a6166cc69a.txt", ROOT / "seeds" / "002_7a5f0831c8a7dd75.txt")

LOAD = """
import sys, time
from aligner.lexicon import load
t0 = time.perf_counter()
lex = load(sys.argv[1])
print(time.perf_counter() - t0)
"""


def output(cmd: list[str]) -> str:
    """The stdout of one process; it must succeed."""
    proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, text=True)
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    return proc.stdout


def timed_rss(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one process, through wait4."""
    environ = {**os.environ, **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                            env=environ)
    err = proc.stderr.read().decode() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-dir", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    corpus = Path(args.corpus_dir)
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for a, b in (("it", "en"), ("de", "fr")):
            folder = corpus / f"{a}-{b}"
            if not folder.is_dir():
                print(f"{folder}: not found, lexicon training not measured", file=sys.stderr)
                continue
            runs = [timed_rss([str(BIN), "-q", "lexicon", "train", str(folder / f"train.{a}"),
                               str(folder / f"train.{b}"), "--src-lang", a, "--tgt-lang", b,
                               "-o", str(Path(tmp) / f"{a}-{b}.tsv.gz")])
                    for _ in range(args.repeat)]
            pairs = len((folder / f"train.{a}").read_text(encoding="utf-8").splitlines())
            figures[f"train {a}-{b}"] = {
                "pairs": pairs, "wall_s": statistics.median(w for w, _ in runs),
                "peak_mib": max(r for _, r in runs), "runs": [round(w, 2) for w, _ in runs]}
    for name in ("it-en", "de-fr"):
        path = ROOT / "models" / "lexicons" / f"{name}.tsv.gz"
        loads = [float(output([sys.executable, "-c", LOAD, str(path)]))
                 for _ in range(args.repeat * 3)]
        figures[f"load {name}"] = {"median_ms": 1000 * statistics.median(loads),
                                   "bytes": path.stat().st_size}
    # As installed: pip byte-compiles a wheel's modules, and a plain `python` caches its
    # bytecode on first import; with PYTHONDONTWRITEBYTECODE (set in some shells and CI) an
    # editable checkout is compiled again at every start. Both are measured, alternately.
    align = [str(BIN), "align", str(SEEDS[0]), str(SEEDS[1]), "--scorer", "auto"]
    starts: dict[str, list[float]] = {"bytecode cached": [], "package compiled each start": [],
                                      "bytecode cached, --semantic use, no cache": []}
    for _ in range(args.starts):
        for cache in list((ROOT / "aligner").rglob("__pycache__")):
            shutil.rmtree(cache, ignore_errors=True)
        starts["package compiled each start"].append(
            timed_rss(align, {"PYTHONDONTWRITEBYTECODE": "1"})[0])
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "aligner")],
                       check=True)
        starts["bytecode cached"].append(timed_rss(align)[0])
        # the sentence encoder from a cold start: its weights and vocabulary loaded, every
        # sentence encoded (no translation cache)
        starts["bytecode cached, --semantic use, no cache"].append(
            timed_rss([*align, "--semantic", "use", "--no-cache"])[0])
    for kind, runs in starts.items():
        label = "with the encoder" if "semantic" in kind else "model-free"
        figures[f"align seeds ({label}, cold, {kind})"] = {
            "median_s": statistics.median(runs), "min_s": min(runs), "max_s": max(runs)}
    for name, f in figures.items():
        if name.startswith("train"):
            print(f"aligner lexicon train {name[6:]} ({f['pairs']:,} pairs): "
                  f"{f['wall_s']:.1f} s wall (median of {len(f['runs'])}: {f['runs']}), "
                  f"peak {f['peak_mib']:.0f} MiB")
        elif name.startswith("load"):
            print(f"load the shipped {name[5:]} lexicon ({f['bytes'] / 1e6:.2f} MB): "
                  f"{f['median_ms']:.0f} ms (median)")
        else:
            print(f"{name}: median {f['median_s']:.3f} s of {args.starts} "
                  f"(min {f['min_s']:.3f}, max {f['max_s']:.3f})")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
