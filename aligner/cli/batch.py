"""The commands on many documents: pair (which is the version of which) and batch."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.common import (
    Command,
    EngineChoice,
    Format,
    LexiconOpt,
    PairFormat,
    ScorerChoice,
    SrcLangOpt,
    TgtLangOpt,
    app,
    log,
    output_to,
    run,
    stage_bar,
)
from aligner.errors import AlignerError


@app.command("pair", cls=Command)
def pair_command(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH", help="Files, or folders of files, to pair.")],
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
    fmt: Annotated[PairFormat, typer.Option("--format", "-f", help="text, json or tsv.")
                   ] = PairFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write here.")] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Find which document is the version of which: every file is listed, as translation,
    comparable (the same story) or unmatched (with the reason)."""
    from aligner.pair import pair

    def work() -> None:
        found = pair(paths, src_lang, tgt_lang, lexicon=lexicon)
        with output_to(output) as out:
            if fmt is PairFormat.json:
                out.write(json.dumps([p.to_dict() for p in found], indent=2) + "\n")
            elif fmt is PairFormat.tsv:
                out.write("source\ttarget\tlabel\tsimilarity\tparallelism\treason\n")
                for p in found:
                    d = p.to_dict()
                    fields = [d["source"], d["target"], d["label"], d["similarity"],
                              d["parallelism"], d.get("reason")]
                    out.write("\t".join("" if x is None else str(x) for x in fields) + "\n")
            else:
                for p in found:
                    if p.label == "unmatched":
                        out.write(f"{p.path}  unmatched  ({p.reason})\n")
                        continue
                    par = "" if p.parallelism is None else f"  parallelism {p.parallelism:.2f}"
                    out.write(f"{p.source}  ->  {p.target}  {p.label}"
                              f"  similarity {p.similarity:.2f}{par}\n")

    run(work)


@app.command("batch", cls=Command)
def batch_command(
    manifest: Annotated[Path | None, typer.Argument(metavar="MANIFEST",
        help="TSV: source, target, optional report name; relative to the manifest.")] = None,
    pair_folder: Annotated[Path | None, typer.Option(
        "--pair", metavar="DIR",
        help="Instead of a manifest: pair the documents of this folder first.")] = None,
    out_dir: Annotated[Path, typer.Option("--output", "-o", metavar="DIR",
                                          help="Folder for the reports.")
                       ] = Path("aligned"),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")
                   ] = Format.json,
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
    presegmented: Annotated[bool, typer.Option("--presegmented",
                                               help="Inputs are one sentence a line.")
                            ] = False,
    scorer: Annotated[ScorerChoice, typer.Option(help="As for align.")] = ScorerChoice.lexical,
    model: Annotated[str | None, typer.Option(metavar="NAME_OR_PATH",
                                              help="MarianMT model, as for align.")] = None,
    engine: Annotated[EngineChoice, typer.Option(
        help="local: a process pool on this machine; dask: a Dask cluster.")
    ] = EngineChoice.local,
    workers: Annotated[int | None, typer.Option(metavar="N", min=1,
                                                help="Parallel workers (default: "
                                                "all cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(metavar="ADDRESS",
        help="With --engine dask: the address of a running scheduler (default: a local "
             "cluster).")] = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Align many pairs; one report each plus summary.jsonl; a second run skips finished pairs."""
    from aligner.batch import Settings, jobs_from_folder, read_manifest, run_batch

    def work() -> int:
        if (manifest is None) == (pair_folder is None):
            raise AlignerError("give a MANIFEST or --pair FOLDER (one of them)")
        jobs = (read_manifest(manifest) if manifest is not None
                else jobs_from_folder(pair_folder, src_lang, tgt_lang))
        kind = "json" if fmt is Format.auto else fmt.value
        settings = Settings(str(out_dir), kind, src_lang, tgt_lang, scorer.value, model,
                            {"presegmented": presegmented,
                             **({"lexicon": str(lexicon)} if lexicon else {})})
        with stage_bar("aligning", log.level <= logging.INFO) as bar:
            lines = run_batch(jobs, settings, engine.value, workers, scheduler,
                              lambda done, total: bar("pairs", done, total))
        counts = {s: sum(1 for x in lines if x["status"] == s)
                  for s in ("done", "skipped", "error")}
        log.info("%d pairs: %d aligned, %d already done, %d failed; summary in %s",
                 len(lines), counts["done"], counts["skipped"], counts["error"],
                 Path(out_dir) / "summary.jsonl")
        return 1 if counts["error"] else 0

    raise typer.Exit(run(work))
