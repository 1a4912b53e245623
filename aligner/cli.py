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
from typer.core import TyperCommand

try:                                # typer >= 0.29 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:                 # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

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
    rich_markup_mode=None,          # plain click help: nothing cut off at 80 columns
    context_settings={"help_option_names": ["-h", "--help"]},
)
log = logging.getLogger("aligner")


class _Command(TyperCommand):
    """A command whose usage line names arguments plainly (``align SOURCE TARGET``), not as
    typer writes required ones (``{SOURCE}``)."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [re.sub(r"^\{(.*)\}((?:\.\.\.)?)$", r"\1\2", piece)
                for piece in super().collect_usage_pieces(ctx)]

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


class MTChoice(str, Enum):
    auto = "auto"
    torch = "torch"
    ct2 = "ct2"


class EngineChoice(str, Enum):
    local = "local"
    dask = "dask"


class PlainFormat(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    divergent = "divergent"
    extra = "extra"
    language = "language"
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


#: Report formats by file extension (-o); any other extension needs --format.
EXTENSIONS = {"txt": "text", "text": "text", "json": "json", "html": "html", "htm": "html",
              "tmx": "tmx", "tsv": "tsv", "tab": "tsv"}


def _pick_format(fmt: Format, output: Path | None) -> str:
    """--format, else from -o's extension; an extension that names no format is refused
    rather than given a text table under a misleading name (report.pdf)."""
    if fmt is not Format.auto:
        return fmt.value
    if output is None or str(output) == "-":
        return "text"
    suffix = output.suffix.lower().lstrip(".")
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if not suffix:
        return "text"
    raise AlignerError(f"{output}: unknown report extension .{suffix} (use .txt, .json, "
                       ".html, .tmx or .tsv, or give --format)")


def _color(out: TextIO) -> bool:
    return out.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


SrcLangOpt = Annotated[str, typer.Option(metavar="LANG", help="Source language code.",
                                         callback=_lang)]
TgtLangOpt = Annotated[str, typer.Option(metavar="LANG", help="Target language code.",
                                         callback=_lang)]
DeviceOpt = Annotated[str, typer.Option(metavar="DEVICE", help="auto, cpu, cuda (fp16) or mps.")]
BeamsOpt = Annotated[int, typer.Option(metavar="N", min=1, max=16,
                                       help="Beam width (1: greedy, fastest).")]
BatchOpt = Annotated[int, typer.Option(metavar="N", min=1, max=1024, help="Sentences per batch.")]
Int8Opt = Annotated[bool, typer.Option("--int8", help="Dynamic int8 quantisation (CPU).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Skip the translation cache.")]
MTEngine = Annotated[MTChoice | None, typer.Option(
    "--mt-engine", help="Translation engine: torch, ct2 (CTranslate2, after `aligner models "
                        "convert`), auto: ct2 when a conversion is here and installed.")]
LexiconOpt = Annotated[Path | None, typer.Option(metavar="FILE",
    help="Word-translation lexicon (from `aligner lexicon train`) instead of the shipped one.")]


def _options(device: str, beams: int, batch_size: int, int8: bool,
             engine: MTEngine = None):  # -> translate.Options
    from aligner.translate import Options

    return Options(device=device, beams=beams, batch_size=batch_size, int8=int8,
                   progress=log.level <= logging.INFO,
                   engine=engine.value if engine is not None else "auto")


@app.command(cls=_Command)
def align(
    source: Annotated[Path, typer.Argument(
        metavar="SOURCE", help="Source text (Italian by default); - for stdin.")],
    target: Annotated[Path, typer.Argument(
        metavar="TARGET", help="Target text (English by default).")],
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
    int8: Int8Opt = False,
    no_cache: NoCacheOpt = False,
    fail_on: Annotated[list[FailOn] | None, typer.Option(
        help="A QA gate, repeatable: exit 1 when a bead is divergent (divergent), or divergent "
             "or extra content other than boilerplate (extra), or a file does not look like "
             "its language (language).")] = None,
    input_format: Annotated[InputFormatChoice, typer.Option(
        help="How to read the files: auto recognises HTML and Markdown.")
    ] = InputFormatChoice.auto,
    strict: Annotated[bool, typer.Option(
        "--strict", help="A side that does not look like its language is an error, not a warning.")
    ] = False,
    check: Annotated[list[str] | None, typer.Option(metavar="NAME=VALUE",
        help="Divergence threshold NAME=VALUE (repeatable): low_similarity, length_ratio, "
             "length_min_chars, tail_length_ratio, tail_min_words, untranslated_min_chars, "
             "untranslated_min_words, conversion_tolerance, adequacy_mads, "
             "adequacy_min_nats.")] = None,
    lexicon: LexiconOpt = None,
    mt_engine: MTEngine = None,
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
        kind = _pick_format(fmt, output)
        result = run_align(source, target, src_lang=src_lang, tgt_lang=tgt_lang,
                           presegmented=presegmented, scorer=scorer.value, model=model,
                           translations=translations,
                           reverse_translations=reverse_translations, use_cache=not no_cache,
                           translate_options=_options(device, beams, batch_size, int8,
                                                      mt_engine),
                           thresholds=thresholds, input_format=input_format.value,
                           strict=strict, lexicon=lexicon)
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


def gate(result: Alignment, fail_on: FailOn | list[FailOn] | None) -> int:
    """The exit code of ``--fail-on``: 1 when the report holds what the gate refuses, with one
    line on stderr saying what and where (even with --quiet: it is the reason for the exit)."""
    wanted = {fail_on} if isinstance(fail_on, FailOn) else set(fail_on or ())
    wanted.discard(FailOn.never)
    if not wanted:
        return 0
    divergent = [k for k, b in enumerate(result.beads) if b.status == "divergent"]
    extra = [k for k, b in enumerate(result.beads) if b.status == "extra"
             and not any(f.code == "boilerplate" for f in b.flags)]
    if not wanted & {FailOn.divergent, FailOn.extra}:
        divergent = []
    if FailOn.extra not in wanted:
        extra = []
    languages = list(result.warnings) if FailOn.language in wanted else []
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


@app.command(cls=_Command)
def segment(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Text to split; - for stdin.")],
    lang: Annotated[str | None, typer.Option(metavar="LANG",
        help="Language code (default: the language the text is written in).",
        callback=lambda v: None if v is None else _lang(v))] = None,
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


@app.command(cls=_Command)
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(
        metavar="GOLD_DIR", help="Folder of NAME.gold files (Vecalign format).")],
    pred_dir: Annotated[Path, typer.Argument(metavar="PRED_DIR",
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


@app.command(cls=_Command)
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
    int8: Int8Opt = False,
    no_cache: NoCacheOpt = False,
    mt_engine: MTEngine = None,
) -> None:
    """Translate FILE line by line (the input of align --translations)."""
    from aligner.text.read import read_text
    from aligner.translate import engine

    def work() -> None:
        lines = read_text(file).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        translator = engine(model, src_lang, tgt_lang,
                            _options(device, beams, batch_size, int8, mt_engine),
                            use_cache=not no_cache)
        done = translator.translate([line.strip() for line in lines])
        with _output(output) as out:
            for line in done:
                out.write(line.replace("\n", " ") + "\n")

    _run(work)


@app.command("pair", cls=_Command)
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
        with _output(output) as out:
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

    _run(work)


@app.command("batch", cls=_Command)
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
    from aligner.batch import Settings, jobs_from_folder, progress_bar, read_manifest, run_batch

    def work() -> int:
        if (manifest is None) == (pair_folder is None):
            raise AlignerError("give a MANIFEST or --pair FOLDER (one of them)")
        jobs = (read_manifest(manifest) if manifest is not None
                else jobs_from_folder(pair_folder, src_lang, tgt_lang))
        kind = "json" if fmt is Format.auto else fmt.value
        settings = Settings(str(out_dir), kind, src_lang, tgt_lang, scorer.value, model,
                            {"presegmented": presegmented,
                             **({"lexicon": str(lexicon)} if lexicon else {})})
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


@models_app.command("list", cls=_Command)
def models_list() -> None:
    """The registry: name, direction, hub id, and whether it is on this machine."""
    from aligner.errors import ModelError
    from aligner.translate.registry import registry, resolve

    for entry in registry():
        try:
            where = str(resolve(entry.hub_id, entry.src, entry.tgt).path)
        except ModelError:
            where = "not downloaded"
        typer.echo(f"{entry.name:<16} {entry.src}->{entry.tgt}  {entry.hub_id:<28} {where}")


@models_app.command("download", cls=_Command)
def models_download(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="Registry name (opus-mt-it-en) or hub id.")],
    to: Annotated[Path | None, typer.Option(metavar="DIR",
        help="Folder to put it in (for example models/opus-mt-it-en); "
             "default: the Hugging Face cache.")] = None,
) -> None:
    """Download a model for offline use later (the only command that uses the network)."""
    from aligner.translate.registry import download

    _run(lambda: typer.echo(str(download(name, to))))


@models_app.command("convert", cls=_Command)
def models_convert(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="Registry name, hub id or folder of a MarianMT model on this "
                             "machine.")],
    to: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Where to write it (default: NAME-ct2 beside a folder, else "
                            "models/NAME-ct2).")] = None,
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
    float32: Annotated[bool, typer.Option(
        "--float32", help="Keep float32 weights (default: stored as int8, a quarter of the "
                          "size and of the loading memory).")] = False,
) -> None:
    """Convert a downloaded model for CTranslate2 (--mt-engine ct2; picked by auto)."""
    from aligner.translate import ct2
    from aligner.translate.registry import resolve

    _run(lambda: typer.echo(str(ct2.convert(resolve(name, src_lang, tgt_lang), to,
                                            quantization=None if float32 else "int8"))))


@models_app.command("path", cls=_Command)
def models_path(
    name: Annotated[str | None, typer.Argument(
        metavar="NAME", help="Registry name, hub id or folder.")] = None,
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
) -> None:
    """Print the local folder of a model (exit 2 when it is not on this machine)."""
    from aligner.translate.registry import resolve

    _run(lambda: typer.echo(str(resolve(name, src_lang, tgt_lang).path)))


lexicon_app = typer.Typer(help="Word-translation lexicons for the model-free scorer: train, "
                                "inspect.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("train", cls=_Command)
def lexicon_train(
    src_file: Annotated[Path | None, typer.Argument(metavar="SRC_FILE",
        help="Source side: one sentence a line, line-aligned with TGT_FILE.")] = None,
    tgt_file: Annotated[Path | None, typer.Argument(
        metavar="TGT_FILE", help="Target side, line by line.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The lexicon file to write "
                                         "(gzip TSV, .tsv.gz).")] = Path("lexicon.tsv.gz"),
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
    tmx: Annotated[list[Path] | None, typer.Option(metavar="FILE",
        help="A TMX translation memory to learn from (repeatable), instead of or besides the "
             "two files.")] = None,
    dictionary: Annotated[list[Path] | None, typer.Option(metavar="FILE",
        help="A bilingual dictionary (source<TAB>target a line, plain or .gz; repeatable): a "
             "prior for words the corpus has seen rarely or never.")] = None,
    source: Annotated[str, typer.Option(metavar="TEXT",
                                        help="What the corpus is, for the file's header.")
                      ] = "",
    licence: Annotated[str, typer.Option(metavar="TEXT",
                                         help="The licence of the data, for the header.")
                       ] = "",
    iterations: Annotated[int, typer.Option(metavar="N", min=1, max=50, help="EM iterations.")] = 6,
    min_count: Annotated[int, typer.Option(metavar="N", min=1, help="Words seen fewer times get no "
                                           "entries.")] = 2,
) -> None:
    """Learn word-translation probabilities (IBM Model 1, both directions) from parallel text."""
    from aligner import lexicon

    def work() -> None:
        pairs: list[tuple[str, str]] = []
        if (src_file is None) != (tgt_file is None):
            raise AlignerError("give both SRC_FILE and TGT_FILE, or --tmx")
        if src_file is not None and tgt_file is not None:
            pairs += lexicon.read_pairs(src_file, tgt_file)
        for memory in tmx or []:
            pairs += lexicon.read_tmx(memory, src_lang, tgt_lang)
        if not pairs:
            raise AlignerError("nothing to learn from: give SRC_FILE TGT_FILE or --tmx FILE")
        names = [m.name for m in tmx or []]
        if src_file is not None and tgt_file is not None:
            names.insert(0, f"{src_file.name}/{tgt_file.name}")
        described = source or " + ".join(names)
        settings = lexicon.Settings(iterations=iterations, min_count=min_count)
        with _bar("EM", log.level <= logging.INFO) as bar:
            lex = lexicon.train(pairs, src_lang, tgt_lang, settings, described, progress=bar)
        if dictionary:
            entries = [e for d in dictionary for e in lexicon.read_dictionary(d)]
            prior = lexicon.dictionary(entries, src_lang, tgt_lang,
                                      " + ".join(d.name for d in dictionary))
            lex = lexicon.merge(lex, [prior])
        if licence:
            lex.meta["licence"] = licence
        try:
            lexicon.save(lex, output)
        except OSError as exc:
            raise AlignerError(f"{output}: cannot write ({exc.strerror or exc})") from None
        log.info("%s: %d %s words, %d %s words from %d sentence pairs", output,
                 len(lex.forward), src_lang, len(lex.backward), tgt_lang, len(pairs))

    _run(work)


@lexicon_app.command("show", cls=_Command)
def lexicon_show(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A lexicon file.")],
    words: Annotated[list[str] | None, typer.Argument(metavar="WORD",
                                                      help="Words to look up (either "
                                                      "language).")] = None,
) -> None:
    """Print a lexicon's header, or the translations of some words."""
    from aligner import lexicon

    def work() -> None:
        lex = lexicon.load(file)
        if not words:
            for key, value in lex.meta.items():
                typer.echo(f"{key}: {value}")
            typer.echo(f"entries: {len(lex.forward)} {lex.src} words, {len(lex.backward)} "
                       f"{lex.tgt} words")
            return
        for word in words:
            t = lexicon.token(word)
            for table, arrow in ((lex.forward, f"{lex.src}->{lex.tgt}"),
                                 (lex.backward, f"{lex.tgt}->{lex.src}")):
                if t in table:
                    shown = ", ".join(f"{w} {p:.2f}" for w, p in table[t])
                    typer.echo(f"{word} ({t}) {arrow}: {shown}")

    _run(work)


@contextmanager
def _bar(label: str, enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr (rich, only on a terminal): ``bar(stage, done, total)``."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"{label} {stage}", total=total)
            progress.update(tasks[stage], completed=done)

        yield update


#: click >= 8.2 raises this for a bare `aligner`: the help, not an error line.
_NO_ARGS = getattr(click_errors, "NoArgsIsHelpError", ())
#: Global options, accepted anywhere on the line (aligner align A B -q).
_GLOBAL_FLAGS = ("-q", "--quiet", "--debug")
def _global_flags_first(args: list[str]) -> list[str]:
    """Move -q / --debug given after the subcommand to the front, where click reads them."""
    cut = args.index("--") if "--" in args else len(args)
    moved = [a for a in args[:cut] if a in _GLOBAL_FLAGS]
    return moved + [a for a in args[:cut] if a not in _GLOBAL_FLAGS] + args[cut:]


def main() -> None:
    """Entry point of the ``aligner`` script: usage errors are one line and exit code 2."""
    from aligner.text import segment

    segment.LIGHT_IMPORT = True
    command = typer.main.get_command(app)
    try:
        code = command.main(_global_flags_first(sys.argv[1:]), prog_name="aligner",
                            standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except _NO_ARGS as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click_errors.ClickException as exc:
        hint = ""
        if isinstance(exc, click_errors.UsageError) and exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        typer.echo(f"aligner: error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aligner: aborted", err=True)
        sys.exit(1)
    except BrokenPipeError:
        # The reader went away (``aligner align ... | head``): not an error worth a word.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
