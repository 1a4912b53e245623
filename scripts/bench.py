"""`make bench`: translation throughput, the naive way against `aligner translate`, same run.

The model is a random-weight MarianMT of the real opus-mt-it-en shape (d_model 512, 6+6 layers,
8 heads, ffn 2048, 80,035-entry vocabulary, the checkpoint's generation settings: beam 4, max
length 512), built once by models/build_test_model.py with SentencePiece trained on ntrex-dev so
sentences split into as many tokens as with the real model. Speed does not depend on weights,
but output length does: random weights never emit end-of-sentence, so every run below decodes
exactly the same number of tokens per sentence (1.6 x its input tokens + 10, aligner's own
limit), the naive way included. With a real model both stop at the end of the sentence.

Each configuration runs as its own process, whole process timed (imports and model loading
included), --repeat times; the table gives medians and the peak resident memory (max RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

NAIVE = r'''
# What transformers' translation pipeline did (transformers 5 removed it): one generate call
# per sentence, with the checkpoint's own generation settings (beam 4), no batching.
import sys
import torch
from transformers import MarianMTModel, MarianTokenizer
from transformers.utils import logging
logging.set_verbosity_error()
logging.disable_progress_bar()
model_dir, src = sys.argv[1], sys.argv[2]
tok = MarianTokenizer.from_pretrained(model_dir)
model = MarianMTModel.from_pretrained(model_dir).eval()
for line in open(src, encoding="utf-8"):
    enc = tok([line.strip()], return_tensors="pt")
    n = enc["input_ids"].shape[1]
    with torch.no_grad():
        out = model.generate(**enc, max_new_tokens=int(n * 1.6) + 10)
    tok.batch_decode(out, skip_special_tokens=True)
'''


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB and stderr of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    err = proc.stderr.read().decode() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024, err


def _output_tokens(model: Path, lines: list[str]) -> int:
    """Tokens every engine decodes for these sentences: 1.6 x input + 10 each (the input with
    its end token, as the engines count it), random weights never stopping earlier."""
    import sentencepiece as spm

    proc = spm.SentencePieceProcessor(model_file=str(model / "source.spm"))
    return sum(min(int((len(proc.encode(x)) + 1) * 1.6) + 10, 511) for x in lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--out", default=str(ROOT / "out" / "bench"))
    ap.add_argument("--sentences", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--naive-repeat", type=int, default=None)
    ap.add_argument("--json", default=None, help="also write the figures here")
    ap.add_argument("--engines-only", action="store_true",
                    help="only torch fp32, torch int8 and ct2 int8, side by side")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ntrex = Path(args.eval_dir) / "ntrex-dev"
    it_files = sorted(ntrex.glob("*.it"))
    if not it_files:
        print(f"bench: no ntrex-dev data in {ntrex}", file=sys.stderr)
        return 2
    model = out / "opus-mt-it-en-random"
    # Building and converting run in processes of their own: Linux keeps a process's peak
    # memory across exec, so a large bench process would inflate every measured child.
    if not (model / "model.safetensors").exists():
        print(f"building the full-shape random model in {model} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "models" / "build_test_model.py"), str(model),
                        "--size", "full", "--corpus", str(ntrex / "*.it"), str(ntrex / "*.en"),
                        "--spm-vocab", "8000"], check=True, stdout=subprocess.DEVNULL)
    lines = [x.strip() for f in it_files for x in f.read_text(encoding="utf-8").splitlines()
             if x.strip()][: args.sentences]
    src = out / "sentences.it.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    naive_py = out / "naive.py"
    naive_py.write_text(NAIVE, encoding="utf-8")

    aligner = [str(VENV_BIN / "aligner"), "--quiet"]
    torch = [*aligner, "translate", str(src), "--model", str(model), "--no-cache",
             "--mt-engine", "torch"]
    configs = {
        "naive: 1 sentence a call, beam 4": (
            [sys.executable, str(naive_py), str(model), str(src)], {}),
        "aligner translate (defaults)": (
            [*aligner, "translate", str(src), "--model", str(model), "--no-cache"], {}),
        "aligner translate (batch 32, greedy)": ([*torch, "--no-int8"], {}),
        "aligner translate --int8": ([*torch, "--int8"], {}),
        "aligner translate --beams 4": ([*torch, "--beams", "4"], {}),
    }
    from aligner.translate import ct2

    if ct2.available():
        if not (Path(f"{model}-ct2") / "model.bin").exists():      # once: model-ct2 beside it
            subprocess.run([*aligner, "models", "convert", str(model)], check=True,
                           stdout=subprocess.DEVNULL)
        configs["aligner translate --mt-engine ct2 (int8)"] = (
            [*aligner, "translate", str(src), "--model", str(model), "--no-cache",
             "--mt-engine", "ct2"], {})
    if args.engines_only:
        configs = {k: v for k, v in configs.items()
                   if k in ("aligner translate (batch 32, greedy)", "aligner translate --int8")
                   or "ct2" in k}
    results = {}
    for name, (cmd, env) in configs.items():
        reps = args.naive_repeat if name.startswith("naive") and args.naive_repeat else args.repeat
        walls, rss = [], []
        for _ in range(reps):
            wall, mib, _ = run(cmd, env)
            walls.append(wall)
            rss.append(mib)
            print(f"  {name}: {wall:.1f} s, {mib:.0f} MiB", file=sys.stderr)
        results[name] = {"wall_s": statistics.median(walls), "runs": walls,
                         "peak_mib": max(rss)}

    # The cache: a first run fills it, the second translates nothing.
    with tempfile.TemporaryDirectory() as cache_dir:
        cmd = [str(VENV_BIN / "aligner"), "translate", str(src), "--model", str(model)]
        env = {"ALIGNER_CACHE_DIR": cache_dir}
        run(cmd, env)
        cached = []
        for _ in range(args.repeat):
            wall, mib, err = run(cmd, env)
            m = re.search(r"translated (\d+) sentences \((\d+) from the cache\) in ([\d.]+) s", err)
            if not m or m.group(1) != m.group(2):
                raise SystemExit(f"bench: the cached run did not come from the cache: {err}")
            cached.append((wall, float(m.group(3)), mib))
    cache_wall = statistics.median(c[0] for c in cached)
    cache_translate = statistics.median(c[1] for c in cached)

    n = len(lines)
    tokens = _output_tokens(model, lines)
    engines = [(k, results[k]) for k in ("aligner translate (batch 32, greedy)",
                                         "aligner translate --int8",
                                         "aligner translate --mt-engine ct2 (int8)")
               if k in results]
    print(f"\nengines side by side, batch 32, greedy: {tokens} output tokens for {n} sentences "
          "(random weights decode to the output limit, the same in every engine)")
    print(f"| {'engine':<44} | {'wall s':>7} | {'out tok/s':>9} | {'peak MiB':>8} |")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 11}|{'-' * 10}|")
    for name, r in engines:
        print(f"| {name:<44} | {r['wall_s']:>7.1f} | {tokens / r['wall_s']:>9.1f} | "
              f"{r['peak_mib']:>8.0f} |")
    if args.engines_only:
        if args.json:
            Path(args.json).write_text(json.dumps({"sentences": n, "output_tokens": tokens,
                                                   "configs": results}, indent=2))
        return 0
    naive = results["naive: 1 sentence a call, beam 4"]["wall_s"]
    print(f"\n{n} ntrex-dev sentences, random full-shape opus-mt-it-en, "
          f"{os.cpu_count()} cores, medians of {args.repeat} runs, whole process timed\n")
    print(f"| {'configuration':<44} | {'wall s':>7} | {'sent/s':>7} | {'speed-up':>8} | "
          f"{'peak MiB':>8} |")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 10}|")
    for name, r in results.items():
        print(f"| {name:<44} | {r['wall_s']:>7.1f} | {n / r['wall_s']:>7.2f} | "
              f"{naive / r['wall_s']:>7.1f}x | {r['peak_mib']:>8.0f} |")
    print(f"\nsecond run with the cache on: {cache_translate:.3f} s of translation time "
          f"({cache_wall:.2f} s whole process; the model is not even loaded)")
    if args.json:
        Path(args.json).write_text(json.dumps({"sentences": n, "configs": results,
                                               "cache_translate_s": cache_translate,
                                               "cache_wall_s": cache_wall}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
