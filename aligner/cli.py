"""The command line: typer options over library calls, errors as one line and exit code 2."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO, TypeVar

import typer

from aligner._version import __version__
from aligner.errors import AlignerError

if TYPE_CHECKING:
    from aligner.data import Alignment

app = typer.Typer(
    name="aligner",
    help="Sentence-align two versions of an article (Italian and English by default) and report "
         "where they diverge and what stands on one side only.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
log = logging.getLogger("aligner")
T = TypeVar("T")
_DEBUG = False


class ScorerChoice(str, Enum):
    auto = "auto"
    lexical = "lexical"
    marian = "marian"


class Format(str, Enum):
    auto = "auto"
    text = "text"
    json = "json"
    html = "html"
    tmx = "tmx"
    tsv = "tsv"


class InputFormatChoice(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"
    markdown = "markdown"


class PairFormat(str, Enum):
    text = "text"
    json = "json"
    tsv = "tsv"


class EngineChoice(str, Enum):
    local = "local"
    dask = "dask"


class PlainFormat(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    divergent = "divergent"
    extra = "extra"
    never = "never"


_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def _lang(value: str) -> str:
    if not _LANG.match(value):
        raise typer.BadParameter(f"{value!r} is not a language code (such as it, en, de, pt-BR)")
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    global _DEBUG
    _DEBUG = debug
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format("aligner: %(levelname)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.ERROR if quiet else logging.DEBUG if debug else logging.INFO)
    log.propagate = False


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.levelname = record.levelname.lower()
        return super().format(record)


def _run(fn: Callable[[], T]) -> T:
    """Library errors become one line on stderr and exit code 2 (1 for our own bugs)."""
    try:
        return fn()
    except AlignerError as exc:
        if _DEBUG:
            raise
        typer.echo(f"aligner: error: {exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("aligner: interrupted", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, BrokenPipeError):
        raise
    except Exception as exc:
        if _DEBUG:
            raise
        typer.echo(f"aligner: internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for the traceback)", err=True)
        raise typer.Exit(1) from None


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    try:
        fh = path.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise AlignerError(f"{path}: cannot write ({exc.strerror or exc})") from None
    with fh:
        yield fh


def _pick_format(fmt: Format, output: Path | None) -> str:
    if fmt is not Format.auto:
        return fmt.value
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in {f.value for f in Format} - {"auto"} else "text"


def _color(out: TextIO) -> bool:
    return out.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


DeviceOpt = Annotated[str, typer.Option(help="auto, cpu, cuda (fp16) or mps.")]
BeamsOpt = Annotated[int, typer.Option(min=1, max=16, help="Beam width (1: greedy, fastest).")]
BatchOpt = Annotated[int, typer.Option(min=1, max=1024, help="Sentences per batch.")]
Int8Opt = Annotated[bool, typer.Option("--int8", help="Dynamic int8 quantisation (CPU).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Skip the translation cache.")]


def _options(device: str, beams: int, batch_size: int, int8: bool):  # -> translate.Options
    from aligner.translate import Options

    return Options(device=device, beams=beams, batch_size=batch_size, int8=int8,
                   progress=log.level <= logging.INFO)


@app.command()
def align(
    source: Annotated[Path, typer.Argument(help="Source text (Italian by default); - for stdin.")],
    target: Annotated[Path, typer.Argument(help="Target text (English by default).")],
    src_lang: Annotated[str, typer.Option(help="Source language code.", callback=_lang)] = "it",
    tgt_lang: Annotated[str, typer.Option(help="Target language code.", callback=_lang)] = "en",
    presegmented: Annotated[bool, typer.Option(
        help="Inputs are one sentence a line (blank lines ignored).")] = False,
    scorer: Annotated[ScorerChoice, typer.Option(
        help="auto: MarianMT when a model loads, else the model-free scorer with a warning.")
    ] = ScorerChoice.auto,
    model: Annotated[str | None, typer.Option(
        help="MarianMT model: hub id or local folder (default: from the language pair).")
    ] = None,
    translations: Annotated[Path | None, typer.Option(
        help="One translation of each source sentence a line, into the target language; "
             "used instead of a model.")] = None,
    reverse_translations: Annotated[Path | None, typer.Option(
        help="One translation of each target sentence a line, into the source language; "
             "alone or with --translations (both directions are averaged).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f",
                                        help="Report format (auto: from -o's extension).")
                   ] = Format.auto,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report here.")] = None,
    device: DeviceOpt = "auto",
    beams: BeamsOpt = 1,
    batch_size: BatchOpt = 32,
    int8: Int8Opt = False,
    no_cache: NoCacheOpt = False,
    fail_on: Annotated[FailOn, typer.Option(
        help="Exit 1 when a bead is divergent (divergent), or divergent or extra content "
             "other than boilerplate (extra): a QA gate.")] = FailOn.never,
    input_format: Annotated[InputFormatChoice, typer.Option(
        help="How to read the files: auto recognises HTML and Markdown.")
    ] = InputFormatChoice.auto,
    strict: Annotated[bool, typer.Option(
        help="A side that does not look like its language is an error, not a warning.")
    ] = False,
    check: Annotated[list[str] | None, typer.Option(
        help="Divergence threshold NAME=VALUE (repeatable): low_similarity, length_ratio, "
             "length_min_chars, tail_length_ratio, tail_min_words, untranslated_min_chars, "
             "untranslated_min_words, conversion_tolerance, adequacy_mads, "
             "adequacy_min_nats.")] = None,
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
        result = run_align(source, target, src_lang=src_lang, tgt_lang=tgt_lang,
                           presegmented=presegmented, scorer=scorer.value, model=model,
                           translations=translations,
                           reverse_translations=reverse_translations, use_cache=not no_cache,
                           translate_options=_options(device, beams, batch_size, int8),
                           thresholds=thresholds, input_format=input_format.value,
                           strict=strict)
        kind = _pick_format(fmt, output)
        with _output(output) as out:
            if kind == "text":
                report.write_text(result, out, color=_color(out),
                                  width=shutil.get_terminal_size((120, 24)).columns)
            else:
                report.WRITERS[kind](result, out)
        if output is not None:
            log.info(report.summary_line(result))
        return gate(result, fail_on)

    raise typer.Exit(_run(work))


def gate(result: Alignment, fail_on: FailOn) -> int:
    """The exit code of ``--fail-on``: 1 when the report holds what the gate refuses."""
    if fail_on is FailOn.never:
        return 0
    if any(b.status == "divergent" for b in result.beads):
        return 1
    if fail_on is FailOn.extra and any(
            b.status == "extra" and not any(f.code == "boilerplate" for f in b.flags)
            for b in result.beads):
        return 1
    return 0


@app.command()
def segment(
    file: Annotated[Path, typer.Argument(help="Text to split; - for stdin.")],
    lang: Annotated[str, typer.Option(help="Language code.", callback=_lang)] = "it",
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f", help="text: one sentence a line; "
                                             "json: sentences with paragraph and offsets.")
                   ] = PlainFormat.text,
) -> None:
    """Split FILE into sentences (one a line: the input format of --presegmented)."""
    from aligner.pipeline import load

    def work() -> None:
        doc = load(file, lang)
        if fmt is PlainFormat.json:
            typer.echo(json.dumps([{"text": s.text, "paragraph": s.paragraph, "start": s.start,
                                    "end": s.end} for s in doc.sentences],
                                  ensure_ascii=False, indent=2))
        else:
            for s in doc.sentences:
                typer.echo(s.text)

    _run(work)


@app.command()
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of NAME.gold files (Vecalign format).")],
    pred_dir: Annotated[Path, typer.Argument(
        help="Folder of predictions: NAME.json (aligner's JSON) or NAME.align.")],
    fmt: Annotated[PlainFormat, typer.Option("--format", "-f", help="text or json.")
                   ] = PlainFormat.text,
) -> None:
    """Score predicted alignments: strict/lax P/R/F1, extra content, divergences."""
    from aligner.evaluate import evaluate_folder

    def work() -> None:
        s = evaluate_folder(gold_dir, pred_dir).scores()
        if fmt is PlainFormat.json:
            typer.echo(json.dumps(s, indent=2))
            return
        typer.echo(f"documents       {s['documents']}")
        for key, label in (("strict", "strict"), ("lax", "lax"), ("extra", "extra content"),
                           ("div", "divergence")):
            typer.echo(f"{label:<15} P {s[key + '_p']:.3f}  R {s[key + '_r']:.3f}  "
                       f"F1 {s[key + '_f1']:.3f}")

    _run(work)


@app.command()
def translate(
    file: Annotated[Path, typer.Argument(help="One sentence a line; - for stdin.")],
    src_lang: Annotated[str, typer.Option(help="Source language code.", callback=_lang)] = "it",
    tgt_lang: Annotated[str, typer.Option(help="Target language code.", callback=_lang)] = "en",
    model: Annotated[str | None, typer.Option(
        help="MarianMT model: registry name, hub id or local folder.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    device: DeviceOpt = "auto",
    beams: BeamsOpt = 1,
    batch_size: BatchOpt = 32,
    int8: Int8Opt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Translate FILE line by line (the input of align --translations)."""
    from aligner.read import read_text
    from aligner.translate import engine

    def work() -> None:
        lines = read_text(file).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        translator = engine(model, src_lang, tgt_lang,
                            _options(device, beams, batch_size, int8), use_cache=not no_cache)
        done = translator.translate([line.strip() for line in lines])
        with _output(output) as out:
            for line in done:
                out.write(line.replace("\n", " ") + "\n")

    _run(work)


@app.command("pair")
def pair_command(
    paths: Annotated[list[Path], typer.Argument(help="Files, or folders of files, to pair.")],
    src_lang: Annotated[str, typer.Option(help="Source language code.", callback=_lang)] = "it",
    tgt_lang: Annotated[str, typer.Option(help="Target language code.", callback=_lang)] = "en",
    fmt: Annotated[PairFormat, typer.Option("--format", "-f", help="text, json or tsv.")
                   ] = PairFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
) -> None:
    """Find which document is the version of which: translation, same-story, or unmatched."""
    from aligner.pair import pair

    def work() -> None:
        found = pair(paths, src_lang, tgt_lang)
        with _output(output) as out:
            if fmt is PairFormat.json:
                out.write(json.dumps([p.to_dict() for p in found], indent=2) + "\n")
            elif fmt is PairFormat.tsv:
                out.write("source\ttarget\tlabel\tsimilarity\tparallelism\n")
                for p in found:
                    d = p.to_dict()
                    fields = [d["source"], d["target"], d["label"], d["similarity"],
                              d["parallelism"]]
                    out.write("\t".join("" if x is None else str(x) for x in fields) + "\n")
            else:
                for p in found:
                    par = "" if p.parallelism is None else f"  parallelism {p.parallelism:.2f}"
                    out.write(f"{p.source}  ->  {p.target or '-'}  {p.label}"
                              f"  similarity {p.similarity:.2f}{par}\n")

    _run(work)


@app.command("batch")
def batch_command(
    manifest: Annotated[Path | None, typer.Argument(
        help="TSV: source, target, optional report name; relative to the manifest.")] = None,
    pair_folder: Annotated[Path | None, typer.Option(
        "--pair", help="Instead of a manifest: pair the documents of this folder first.")] = None,
    out_dir: Annotated[Path, typer.Option("--output", "-o", help="Folder for the reports.")
                       ] = Path("aligned"),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")
                   ] = Format.json,
    src_lang: Annotated[str, typer.Option(help="Source language code.", callback=_lang)] = "it",
    tgt_lang: Annotated[str, typer.Option(help="Target language code.", callback=_lang)] = "en",
    presegmented: Annotated[bool, typer.Option(help="Inputs are one sentence a line.")
                            ] = False,
    scorer: Annotated[ScorerChoice, typer.Option(help="As for align.")] = ScorerChoice.lexical,
    model: Annotated[str | None, typer.Option(help="MarianMT model, as for align.")] = None,
    engine: Annotated[EngineChoice, typer.Option(
        help="local: a process pool on this machine; dask: a Dask cluster.")
    ] = EngineChoice.local,
    workers: Annotated[int | None, typer.Option(min=1, help="Parallel workers (default: "
                                                "all cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="With --engine dask: the address of a running scheduler (default: a local "
             "cluster).")] = None,
) -> None:
    """Align many pairs; one report each plus summary.jsonl; a second run skips finished pairs."""
    from aligner.batch import Settings, jobs_from_folder, progress_bar, read_manifest, run_batch

    def work() -> int:
        if (manifest is None) == (pair_folder is None):
            raise AlignerError("give a MANIFEST or --pair FOLDER (one of them)")
        jobs = (read_manifest(manifest) if manifest is not None
                else jobs_from_folder(pair_folder, src_lang, tgt_lang))
        kind = "json" if fmt is Format.auto else fmt.value
        settings = Settings(str(out_dir), kind, src_lang, tgt_lang, scorer.value, model,
                            {"presegmented": presegmented})
        lines = run_batch(jobs, settings, engine.value, workers, scheduler,
                          progress_bar(log.level <= logging.INFO))
        counts = {s: sum(1 for x in lines if x["status"] == s)
                  for s in ("done", "skipped", "error")}
        log.info("%d pairs: %d aligned, %d already done, %d failed; summary in %s",
                 len(lines), counts["done"], counts["skipped"], counts["error"],
                 Path(out_dir) / "summary.jsonl")
        return 1 if counts["error"] else 0

    raise typer.Exit(_run(work))


models_app = typer.Typer(help="MarianMT models: which exist for which pair, download, where.",
                         no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list() -> None:
    """The registry: name, direction, hub id, and whether it is on this machine."""
    from aligner.errors import ModelError
    from aligner.models import registry, resolve

    for entry in registry():
        try:
            where = str(resolve(entry.hub_id, entry.src, entry.tgt).path)
        except ModelError:
            where = "not downloaded"
        typer.echo(f"{entry.name:<16} {entry.src}->{entry.tgt}  {entry.hub_id:<28} {where}")


@models_app.command("download")
def models_download(
    name: Annotated[str, typer.Argument(help="Registry name (opus-mt-it-en) or hub id.")],
    to: Annotated[Path | None, typer.Option(
        help="Folder to put it in (for example models/opus-mt-it-en); "
             "default: the Hugging Face cache.")] = None,
) -> None:
    """Download a model for offline use later (the only command that uses the network)."""
    from aligner.models import download

    _run(lambda: typer.echo(str(download(name, to))))


@models_app.command("path")
def models_path(
    name: Annotated[str | None, typer.Argument(help="Registry name, hub id or folder.")] = None,
    src_lang: Annotated[str, typer.Option(help="Source language code.", callback=_lang)] = "it",
    tgt_lang: Annotated[str, typer.Option(help="Target language code.", callback=_lang)] = "en",
) -> None:
    """Print the local folder of a model (exit 2 when it is not on this machine)."""
    from aligner.models import resolve

    _run(lambda: typer.echo(str(resolve(name, src_lang, tgt_lang).path)))


def main() -> None:
    """Entry point of the ``aligner`` script."""
    from aligner import segment

    segment.LIGHT_IMPORT = True
    try:
        app()
    except BrokenPipeError:
        # The reader went away (``aligner align ... | head``): not an error worth a word.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
