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
    FailOn,
    Format,
    LexiconOpt,
    PairFormat,
    ScorerChoice,
    SrcLangOpt,
    TgtLangOpt,
    app,
    log,
    output_to,
    refuse_overwrite,
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
        refuse_overwrite(output, paths)
        found = pair(paths, src_lang, tgt_lang, lexicon=lexicon)
        pairs = [p for p in found if p.label != "unmatched"]
        files = len(pairs) * 2 + len(found) - len(pairs)
        log.info("%d file%s: %d pair%s, %d unmatched", files, "s" * (files != 1), len(pairs),
                 "s" * (len(pairs) != 1), len(found) - len(pairs))
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
    pair_paths: Annotated[list[Path] | None, typer.Option(
        "--pair", metavar="PATH",
        help="Instead of a manifest: pair these files or folders (and their subfolders, such "
             "as it/ and en/) first; repeatable.")] = None,
    out_dir: Annotated[Path, typer.Option("--output", "-o", metavar="DIR",
                                          help="Folder for the reports and summary.jsonl.")
                       ] = Path("aligned"),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")
                   ] = Format.json,
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
    presegmented: Annotated[bool, typer.Option("--presegmented",
                                               help="Inputs are one sentence a line.")
                            ] = False,
    scorer: Annotated[ScorerChoice, typer.Option(
        help="As for align: auto uses MarianMT when the model is on this machine.")
    ] = ScorerChoice.auto,
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
    force: Annotated[bool, typer.Option(
        "--force", help="Align every pair again, even those done with the same inputs.")
    ] = False,
    fail_on: Annotated[list[FailOn] | None, typer.Option(
        metavar="<divergent|extra|language|unrelated|never>",
        help="As for align, over every pair: exit 1 and name the pairs that hold it.")
    ] = None,
) -> None:
    """Align many pairs: one report each plus summary.jsonl; a second run redoes only pairs
    whose inputs or settings changed."""
    from aligner.batch import (
        STATUSES,
        SUMMARY,
        Settings,
        check_out_dir,
        jobs_from_folders,
        read_manifest,
        run_batch,
    )

    def work() -> int:
        if (manifest is None) == (not pair_paths):
            raise AlignerError("give a MANIFEST or --pair PATH (one of them)")
        check_out_dir(out_dir)                  # before pairing, which may take a while
        left: list = []
        if manifest is not None:
            jobs = read_manifest(manifest, src_lang)
        else:
            with stage_bar("pair", log.level <= 20) as bar:
                jobs, left = jobs_from_folders(pair_paths or [], src_lang, tgt_lang,
                                               exclude=out_dir, progress=bar)
        kind = "json" if fmt is Format.auto else fmt.value
        settings = Settings(str(out_dir), kind, src_lang, tgt_lang,
                            _scorer(scorer, model, src_lang, tgt_lang), model,
                            {"presegmented": presegmented,
                             **({"lexicon": str(lexicon)} if lexicon else {})})
        for job in jobs:
            refuse_overwrite(settings.output(job), (Path(job.source), Path(job.target)))
        if left:
            log.warning("%d file%s left unmatched (listed in summary.jsonl): %s", len(left),
                        "s" * (len(left) > 1), ", ".join(Path(u.path).name for u in left[:5])
                        + (" ..." if len(left) > 5 else ""))
        with stage_bar("aligning", log.level <= logging.INFO) as bar:
            lines = run_batch(jobs, settings, engine.value, workers, scheduler,
                              lambda done, total: bar("pairs", done, total), force=force,
                              unmatched=left)
        counts = {s: sum(1 for x in lines if x["status"] == s) for s in STATUSES}
        log.info("%d pairs: %d aligned, %d unchanged since the last run, %d failed; "
                 "%d files unmatched; summary in %s", len(jobs), counts["done"],
                 counts["skipped"], counts["failed"], counts["unmatched"],
                 Path(out_dir) / SUMMARY)
        for x in lines:
            if x["status"] == "failed":
                log.error("%s: %s", x["name"], x.get("error", "failed"))
        return max(1 if counts["failed"] else 0, batch_gate(lines, fail_on))

    raise typer.Exit(run(work))


def _scorer(choice: ScorerChoice, model: str | None, src_lang: str, tgt_lang: str) -> str:
    """``auto`` settled once for the whole batch: MarianMT when the model is on this machine,
    else the model-free scorer with one warning (not one a pair)."""
    if choice is not ScorerChoice.auto:
        return choice.value
    from aligner.errors import ModelError
    from aligner.translate.registry import resolve

    try:
        resolve(model, src_lang, tgt_lang)
    except ModelError as exc:
        from aligner.pipeline import fallback_warning

        fallback_warning(exc)
        return "lexical"
    return "marian"


def batch_gate(lines: list[dict], fail_on: list[FailOn] | None) -> int:
    """``--fail-on`` over a batch: 1 when some pair holds what the gate refuses, with one
    stderr line naming those pairs."""
    from aligner.batch import FINISHED

    wanted = set(fail_on or ()) - {FailOn.never}
    hits: list[str] = []
    for x in lines:
        if x["status"] not in FINISHED:
            continue
        why = []
        if wanted & {FailOn.divergent, FailOn.extra} and x.get("divergent_beads"):
            why.append(f"{x['divergent_beads']} divergent")
        if FailOn.extra in wanted and x.get("extra_beads"):
            why.append(f"{x['extra_beads']} extra")
        if FailOn.language in wanted and x.get("warnings"):
            why.append("language")
        if FailOn.unrelated in wanted and x.get("relation") == "unrelated":
            why.append("unrelated")
        if why:
            hits.append(f"{x['name']} ({', '.join(why)})")
    if not hits:
        return 0
    names = ",".join(sorted(w.value for w in wanted))
    shown = ", ".join(hits[:10]) + (f" and {len(hits) - 10} more" if len(hits) > 10 else "")
    typer.echo(f"aligner: refused by --fail-on {names}: {len(hits)} pair"
               f"{'s' * (len(hits) > 1)}: {shown}", err=True)
    return 1
