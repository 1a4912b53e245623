"""`make eval`: align the dev/test sets with each scorer and print the scores beside published ones.

Predictions go to out/eval/SET-SCORER/NAME.json and are scored by `aligner.evaluate`, the same code
as `aligner evaluate GOLD_DIR PRED_DIR`. Wall time covers reading, aligning and writing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from swissgov_ceiling import ceilings, describe  # the SwissGov oracles (scripts/)

from aligner import align
from aligner.evaluate import bootstrap, document_counts, figure, held_out, pooled

# Published strict/lax F1 (../shared/eval/README.md), scored with null beads counted.
PUBLISHED = {
    "textberg-test": "Hunalign .747/.869, Gale-Church .678/.796, Bleualign-MT .747/.873, "
                     "Vecalign .902/.986, Bertalign .936/.989 (as published; Bleualign's leave its "
                     "unaligned sentences out, Vecalign's scorer counts them as ours does)",
    "ntrex-dev": "Hunalign .877/.934, extra-content F1 .512",
    "books-dev": "model-free aligner before the learned lexicon .940 strict, .786 extra-content",
}


def sets(eval_dir: Path) -> dict[str, dict]:
    tb = eval_dir / "textberg"
    return {
        "ntrex-dev": dict(dir=eval_dir / "ntrex-dev", src="it", tgt="en",
                          names=sorted(p.stem for p in (eval_dir / "ntrex-dev").glob("*.gold")),
                          mt=None),
        "books-dev": dict(dir=eval_dir / "books-dev", src="it", tgt="en",
                          names=sorted(p.stem for p in (eval_dir / "books-dev").glob("*.gold")),
                          mt=None),
        "textberg-test": dict(dir=tb, src="de", tgt="fr", names=[f"test{k}" for k in range(7)],
                              mt=".de.mt"),
        "textberg-dev": dict(dir=tb, src="de", tgt="fr", names=["dev"], mt=".de.mt"),
    }


#: What each row of the table runs: the scorer, and whether the learned lexicon is used
#: ("hand": the hand-written glosses, cognates, numbers and names alone).
SCORERS = {"hand": ("lexical", False, "off"), "learned": ("lexical", None, "off"),
           "mt+hand": ("mt", False, "off"), "mt+learn": ("mt", None, "off"),
           # with the sentence encoder (USE, aligner.semantic): beside the learned lexicon, beside
           # the published MT and the lexicon, and alone (no lexicon: numbers, names, length)
           "use": ("lexical", None, "use"), "mt+use": ("mt", None, "use"),
           "use-only": ("lexical", False, "use")}


def run(name: str, spec: dict, scorer: str, out: Path) -> dict:
    pred = out / f"{name}-{scorer}"
    pred.mkdir(parents=True, exist_ok=True)
    kind, lexicon, semantic = SCORERS[scorer]
    t0 = time.perf_counter()
    for doc in spec["names"]:
        d = spec["dir"]
        kwargs = {}
        if kind == "mt":
            kwargs["translations"] = d / f"{doc}{spec['mt']}"
        result = align(d / f"{doc}.{spec['src']}", d / f"{doc}.{spec['tgt']}",
                       src_lang=spec["src"], tgt_lang=spec["tgt"], presegmented=True,
                       scorer="lexical", lexicon=lexicon, semantic=semantic, **kwargs)
        (pred / f"{doc}.json").write_text(result.to_json(indent=None), encoding="utf-8")
    wall = time.perf_counter() - t0
    parts = document_counts(spec["dir"], pred, spec["names"])
    scores = pooled(parts).scores()
    scores["wall_s"] = wall
    # 95% bootstrap intervals over documents, for the whole set and its held-out half (the odd
    # documents, aligner.evaluate.held_out); a set of one document has none
    held = [c for k, c in enumerate(parts) if held_out(k)]
    for key in FIGURES:
        scores[key + "_ci"] = bootstrap(parts, figure(key)) if len(parts) > 1 else None
        if len(held) > 1 and name.endswith("-dev") and name != "textberg-dev":
            scores[key + "_held"] = (figure(key)(held), *bootstrap(held, figure(key)))
    return scores


#: The figures that get intervals.
FIGURES = ("strict_f1", "extra_f1", "div_p", "div_r")


def held(s: dict, key: str) -> str:
    """The held-out half's figure with its interval."""
    value, low, high = s[key + "_held"]
    return f"{value:.3f} [{low:.3f}-{high:.3f}]"


def interval(s: dict, key: str) -> str:
    ci = s.get(key + "_ci")
    return f"{s[key]:.3f}" + (f" [{ci[0]:.3f}-{ci[1]:.3f}]" if ci else "")


def concatenate(order: list, units: int = 0) -> tuple[list[str], list[str], list]:
    """Documents ``(folder, gold document)`` joined into one pair of texts, their gold beads
    shifted to match; with ``units``, ``order`` is gone through again and again until each side
    has that many lines (and no further)."""
    gold, src, tgt = [], [], []
    while True:
        for folder, doc in order:
            s = (folder / f"{doc.name}.it").read_text(encoding="utf-8").splitlines()
            t = (folder / f"{doc.name}.en").read_text(encoding="utf-8").splitlines()
            gold += [(tuple(i + len(src) for i in a), tuple(j + len(tgt) for j in b))
                     for a, b in doc.beads]
            src += s
            tgt += t
            if units and min(len(src), len(tgt)) >= units:
                return src, tgt, gold
        if not units:
            return src, tgt, gold


def long_document(eval_dir: Path, repeats: int) -> dict:
    """Every ntrex-dev document concatenated, ``repeats`` times, aligned as one pair of texts."""
    import resource

    from aligner.evaluate import read_gold, score_document

    folder = eval_dir / "ntrex-dev"
    src, tgt, gold = concatenate([(folder, d) for d in read_gold(folder)] * repeats)
    t0 = time.perf_counter()
    result = align(src, tgt, src_lang="it", tgt_lang="en", scorer="lexical")
    wall = time.perf_counter() - t0
    scores = score_document(gold, [(b.source, b.target) for b in result.beads]).scores()
    return {**scores, "wall_s": wall, "sentences": (len(src), len(tgt)),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def swissgov(eval_dir: Path, out: Path, semantic: str = "off") -> dict | None:
    """SwissGov-RSD dev: real Italian/English page pairs with human token-level difference
    labels. Each page is aligned from raw text (the tool's own segmentation), model-free, its
    JSON report written, and ../shared/eval/swissgov.py scores the reports (token Spearman)."""
    folder = eval_dir / "swissgov-dev"
    script = eval_dir / "swissgov.py"
    if not folder.is_dir() or not script.exists():
        return None
    pred = out / ("swissgov-dev" if semantic == "off" else f"swissgov-dev-{semantic}")
    pred.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for it in sorted(folder.glob("*.it")):
        en = it.with_suffix(".en")
        result = align(it, en, src_lang="it", tgt_lang="en", scorer="lexical",
                       semantic=semantic)
        (pred / f"{it.stem}.json").write_text(result.to_json(indent=None), encoding="utf-8")
    wall = time.perf_counter() - t0
    proc = subprocess.run([sys.executable, str(script), "score", str(folder), str(pred)],
                          capture_output=True, text=True, check=True)
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "wall_s": wall}


def swissgov_extra_only(eval_dir: Path, out: Path) -> dict:
    """A reference for the SwissGov figure: the reports of ``swissgov`` cut down to their
    extra-content decision (every aligned bead score 1, status aligned, no word spans), scored
    the same way. The benchmark pools every token of every page into one rank correlation, and
    most tokens are labelled 0: any spread of values over aligned tokens counts in full, so
    evidence ranks above this reference only where it orders aligned tokens well."""
    folder, pred = eval_dir / "swissgov-dev", out / "swissgov-dev"
    cut = out / "swissgov-dev-extra-only"
    cut.mkdir(parents=True, exist_ok=True)
    for report in sorted(pred.glob("*.json")):
        data = json.loads(report.read_text(encoding="utf-8"))
        for bead in data["beads"]:
            if bead["source"] and bead["target"]:
                bead.update(score=1.0, status="aligned")
        for side in ("source", "target"):
            for sentence in data[side]["sentences"]:
                sentence.pop("differences", None)
        (cut / report.name).write_text(json.dumps(data), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(eval_dir / "swissgov.py"), "score", str(folder),
                           str(cut)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def mt_word_evidence(eval_dir: Path) -> dict[str, float]:
    """What the machine translation adds to the word-level evidence, on Text+Berg test with
    its published MT (German to French only): the share of each side's words marked without a
    counterpart in the beads that match the gold exactly, with the MT and, on the same beads,
    with the lexicon alone. No dev set has both an MT and divergence labels."""
    from aligner.diverge import differences
    from aligner.evaluate import read_gold
    from aligner.lexicon import for_pair

    tb = eval_dir / "textberg"
    lex = for_pair("de", "fr", None)
    counts = {k: 0 for k in ("words_src", "words_tgt", "mt_src", "mt_tgt", "lex_src",
                             "lex_tgt")}
    for doc in read_gold(tb):
        if not doc.name.startswith("test"):
            continue
        result = align(tb / f"{doc.name}.de", tb / f"{doc.name}.fr", src_lang="de",
                       tgt_lang="fr", presegmented=True, scorer="lexical",
                       translations=tb / f"{doc.name}.de.mt")
        gold = {(tuple(a), tuple(b)) for a, b in doc.beads}
        right = [b for b in result.beads if not b.is_null and (b.source, b.target) in gold]
        alone = differences.mark(right, result.source, result.target, lex)
        for with_mt, without in zip(right, alone, strict=True):
            for side, doc_side, ids in (("src", result.source, with_mt.source),
                                        ("tgt", result.target, with_mt.target)):
                counts[f"words_{side}"] += sum(len(doc_side.sentences[i].text.split())
                                               for i in ids)
                for key, bead in (("mt", with_mt), ("lex", without)):
                    spans = bead.source_differences if side == "src" else bead.target_differences
                    counts[f"{key}_{side}"] += len(differences.unmatched(spans))
    return {f"{key}_{side}": counts[f"{key}_{side}"] / max(1, counts[f"words_{side}"])
            for key in ("mt", "lex") for side in ("src", "tgt")}


def batch_check(eval_dir: Path, out: Path) -> str:
    """The 123 ntrex-dev pairs as one batch: all cores, then again (no work), then on Dask."""
    import shutil

    from aligner.batch import Job, Settings, run_batch

    folder = eval_dir / "ntrex-dev"
    jobs = [Job(str(folder / f"{p.stem}.it"), str(folder / f"{p.stem}.en"), p.stem)
            for p in sorted(folder.glob("*.gold"))]
    local, dask = out / "batch-local", out / "batch-dask"
    for d in (local, dask):
        shutil.rmtree(d, ignore_errors=True)
    opts = {"presegmented": True}
    t0 = time.perf_counter()
    first = run_batch(jobs, Settings(str(local), align_options=opts))
    t1 = time.perf_counter()
    second = run_batch(jobs, Settings(str(local), align_options=opts))
    t2 = time.perf_counter()
    try:
        run_batch(jobs, Settings(str(dask), align_options=opts), engine="dask")
        same = all((local / f"{j.name}.json").read_bytes() == (dask / f"{j.name}.json")
                   .read_bytes() for j in jobs)
        dask_text = f"Dask local cluster: {'identical' if same else 'DIFFERENT'} reports"
    except Exception as exc:  # reported, not fatal: Dask is an optional extra
        dask_text = f"Dask: not run ({exc})"
    done = sum(x["status"] == "done" for x in first)
    redone = sum(x["status"] == "done" for x in second)
    reports = len(list(local.glob("*.json")))
    return (f"batch: {len(jobs)} ntrex-dev pairs on {os.cpu_count()} cores: {done} aligned, "
            f"{reports} reports + summary.jsonl in {t1 - t0:.1f} s; second run aligned {redone} "
            f"in {t2 - t1:.2f} s; {dask_text}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--out", default="out/eval")
    ap.add_argument("--sets", nargs="*", default=None)
    ap.add_argument("--json", default=None, help="also write the figures here")
    ap.add_argument("--long", type=int, default=3, metavar="REPEATS",
                    help="also align ntrex-dev concatenated REPEATS times as one pair (0: skip)")
    ap.add_argument("--long-only", action="store_true",
                    help="only the long-document run, as JSON (make bench uses x27: 50,000 "
                         "sentences a side)")
    args = ap.parse_args()
    eval_dir = Path(args.eval_dir)
    if args.long_only:
        print(json.dumps(long_document(eval_dir, args.long)))
        return 0
    if not eval_dir.is_dir():
        print(f"make eval: {eval_dir} not found (set EVAL_DIR)", file=sys.stderr)
        return 2
    rows = []
    for name, spec in sets(eval_dir).items():
        if args.sets and name not in args.sets:
            continue
        with_mt = ("hand", "learned", "mt+hand", "mt+learn", "use", "mt+use", "use-only")
        for scorer in with_mt if spec["mt"] else ("hand", "learned", "use"):
            s = run(name, spec, scorer, Path(args.out))
            rows.append((name, scorer, s))
    head = (f"{'set':<14} {'scorer':<8} {'docs':>4} {'strict P/R/F1':>20} {'lax P/R/F1':>20} "
            f"{'extra P/R/F1':>20} {'wall s':>7}")
    print(head)
    print("-" * len(head))
    for name, scorer, s in rows:
        def trio(k: str, s=s) -> str:
            return f"{s[k + '_p']:.3f}/{s[k + '_r']:.3f}/{s[k + '_f1']:.3f}"
        print(f"{name:<14} {scorer:<8} {s['documents']:>4} {trio('strict'):>20} {trio('lax'):>20} "
              f"{trio('extra'):>20} {s['wall_s']:>7.2f}")
    print("\n95% bootstrap intervals over documents (strict F1, extra-content F1; the held-out "
          "half is the odd documents, kept out of every fit and error analysis):")
    for name, scorer, s in rows:
        line = (f"  {name:<14} {scorer:<8} strict {interval(s, 'strict_f1')}  extra "
                f"{interval(s, 'extra_f1')}")
        if "strict_f1_held" in s:
            line += f"  | held out: strict {held(s, 'strict_f1')} extra {held(s, 'extra_f1')}"
        print(line)
    for name, scorer, s in rows:
        if s.get("div_gold"):
            kinds = ", ".join(f"{k} {v:.2f}" for k, v in s["div_recall_by_kind"].items())
            line = (f"divergences {name} {scorer}: P {interval(s, 'div_p')} R "
                    f"{interval(s, 'div_r')} F1 {s['div_f1']:.3f} ({s['div_gold']} gold; "
                    f"recall by kind: {kinds})")
            if "div_p_held" in s:
                line += f"; held out P {held(s, 'div_p')} R {held(s, 'div_r')}"
            print(line)
    if not args.sets or "swissgov-dev" in args.sets:
        sg = swissgov(eval_dir, Path(args.out))
        if sg is not None:
            print(f"swissgov-dev (raw text, model-free): token Spearman {sg['spearman']:.3f} "
                  f"(it {sg['it']:.3f}, en {sg['en']:.3f}; {sg['tokens']} tokens, "
                  f"{sg['wall_s']:.1f} s)")
            rows.append(("swissgov-dev", "learned", sg))
            with_use = swissgov(eval_dir, Path(args.out), "use")
            if with_use is not None:
                print(f"  with --semantic use: {with_use['spearman']:.3f} (it "
                      f"{with_use['it']:.3f}, en {with_use['en']:.3f})")
            ref = swissgov_extra_only(eval_dir, Path(args.out))
            print(f"  reference, the same reports cut down to their extra content (aligned beads "
                  f"score 1, no flags, no word spans): {ref['spearman']:.3f} (it {ref['it']:.3f}, "
                  f"en {ref['en']:.3f})")
            print(describe(ceilings(eval_dir, Path(args.out) / "swissgov-dev")))
    if not args.sets or "textberg-test" in args.sets:
        w = mt_word_evidence(eval_dir)
        print(f"word-level evidence on textberg-test's exactly aligned beads, share of words "
              f"without a counterpart: French {w['lex_tgt']:.3f} with the lexicon alone, "
              f"{w['mt_tgt']:.3f} with the published MT of the German; German {w['lex_src']:.3f} "
              f"/ {w['mt_src']:.3f} (no reverse MT)")
    if not args.sets:
        print(batch_check(eval_dir, Path(args.out)))
    if args.long:
        # Its own process, so that its peak memory is its own.
        out = subprocess.run([sys.executable, __file__, "--eval-dir", str(eval_dir), "--long",
                              str(args.long), "--long-only"], capture_output=True, text=True,
                             check=True)
        s = json.loads(out.stdout)
        n, m = s["sentences"]
        print(f"\nlong document: ntrex-dev concatenated x{args.long} = {n} x {m} sentences, "
              f"lexical: strict F1 {s['strict_f1']:.3f}, extra F1 {s['extra_f1']:.3f}, "
              f"{s['wall_s']:.1f} s, peak {s['peak_mib']:.0f} MiB")
        rows.append((f"ntrex-dev-x{args.long}", "lexical", s))
    print()
    for name, text in PUBLISHED.items():
        print(f"published {name}: {text}")
    if args.json:
        Path(args.json).write_text(json.dumps([{"set": n, "scorer": sc, **s} for n, sc, s in rows],
                                              indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
