"""What every command shares: the typer app, option types, error handling, output and bars."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO, TypeVar

import typer
from typer.core import TyperCommand

from aligner._version import __version__
from aligner.errors import AlignerError

EPILOG = """Exit codes: 0 done; 1 a --fail-on gate refused the report (or a batch pair failed);
2 bad input or usage (one line on stderr, nothing written).

\b
Examples:
  aligner align article.it.txt article.en.txt
  aligner align article.it.txt article.en.txt -o report.html --fail-on divergent
  cat article.en.txt | aligner align article.it.txt -
  aligner batch --pair articles/ -o reports/

Run 'aligner COMMAND --help' for a command's options. ALIGNER_NO_MODEL_WARNING=1 silences
the warning that no MarianMT model is on this machine."""

app = typer.Typer(
    name="aligner",
    help="Sentence-align two versions of an article (Italian and English by default) and report "
         "where they diverge and what stands on one side only.",
    epilog=EPILOG,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,          # plain click help: nothing cut off at 80 columns
    context_settings={"help_option_names": ["-h", "--help"]},
)
log = logging.getLogger("aligner")


class Command(TyperCommand):
    """A command whose usage line names arguments plainly (``align SOURCE TARGET``), not as
    typer writes required ones (``{SOURCE}``)."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            for piece in param.get_usage_pieces(ctx):
                piece = re.sub(r"^\{(.*)\}((?:\.\.\.)?)$", r"\1\2", piece)
                # an argument that takes several values says so (pair PATH...)
                if (param.param_type_name == "argument" and param.nargs == -1
                        and not piece.endswith("...")):
                    piece += "..."
                pieces.append(piece)
        return pieces

    def get_short_help_str(self, limit: int = 45) -> str:
        """The command list's line: the help's first sentence, whole (click cuts it at 45
        characters with "..." at any width)."""
        return self.short_help or _first_sentence(self.help or "")


def _first_sentence(text: str) -> str:
    first = " ".join(text.strip().split("\n\n")[0].split())
    return re.split(r"(?<=\.)\s", first)[0].rstrip(".")

T = TypeVar("T")
_DEBUG = False


class ScorerChoice(str, Enum):
    auto = "auto"
    lexical = "lexical"
    marian = "marian"


class SemanticChoice(str, Enum):
    auto = "auto"
    off = "off"
    use = "use"
    e5 = "e5"
    hashed = "hashed"


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


class Differences(str, Enum):
    none = "none"
    strong = "strong"
    all = "all"


#: What --fail-on's values mean, for every command that has it.
FAIL_ON_HELP = ("A QA gate, repeatable: exit 1 when a bead is divergent (divergent), or divergent "
                "or extra content other than boilerplate (extra), or a file does not look like "
                "its language (language), or the two texts look unrelated (unrelated); never: "
                "no gate (for scripts that always pass the option).")


class FailOn(str, Enum):
    divergent = "divergent"
    extra = "extra"
    language = "language"
    unrelated = "unrelated"
    never = "never"


_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def lang_code(value: str) -> str:
    """A language code as given; one the tool has no data for (no segmenter rules, no language
    profile, no lexicon) is a warning, since it aligns only on numbers, names and length."""
    if not _LANG.match(value):
        raise typer.BadParameter(f"{value!r} is not a language code (such as it, en, de, pt-BR)")
    from aligner.text.language import KNOWN, base

    if base(value) not in KNOWN:
        log.warning("language %r is not one aligner knows (%s): it aligns on numbers, names "
                    "and length only", value, ", ".join(sorted(KNOWN)))
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def maintranslate_options(
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


def run(fn: Callable[[], T]) -> T:
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


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (a link or another spelling included)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def refuse_overwrite(output: Path | None, inputs: Iterable[Path | None]) -> None:
    """Refuse an output that is one of the inputs: the report would replace what the user gave
    (``aligner align A.it.txt A.en.txt -o A.it.txt``), and nothing could bring it back."""
    if output is None or str(output) == "-":
        return
    for given in inputs:
        if given is not None and str(given) != "-" and same_file(output, given):
            raise AlignerError(f"{output}: is an input; writing there would replace it "
                               "(choose another -o)")


@contextmanager
def output_to(path: Path | None) -> Iterator[TextIO]:
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


def pick_format(fmt: Format, output: Path | None) -> str:
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


def use_color(out: TextIO) -> bool:
    return out.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


SrcLangOpt = Annotated[str, typer.Option(metavar="LANG", help="Source language code.",
                                         callback=lang_code)]
TgtLangOpt = Annotated[str, typer.Option(metavar="LANG", help="Target language code.",
                                         callback=lang_code)]
DeviceOpt = Annotated[str, typer.Option(metavar="DEVICE", help="auto, cpu, cuda (fp16) or mps.")]
BeamsOpt = Annotated[int, typer.Option(metavar="N", min=1, max=16,
                                       help="Beam width (1: greedy, fastest).")]
BatchOpt = Annotated[int, typer.Option(metavar="N", min=1, max=1024, help="Sentences per batch.")]
Int8Opt = Annotated[bool | None, typer.Option(
    "--int8/--no-int8", help="Dynamic int8 quantisation of the torch engine on CPU (default: on; "
                             "--no-int8 for fp32). The report's signature names the precision.",
    show_default=False)]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Skip the translation cache.")]
MTEngine = Annotated[MTChoice | None, typer.Option(
    "--mt-engine", help="Translation engine: torch, ct2 (CTranslate2, after `aligner models "
                        "convert`), auto: ct2 when a conversion is here and installed.")]
LexiconOpt = Annotated[Path | None, typer.Option(metavar="FILE",
    help="Word-translation lexicon (from `aligner lexicon train`) instead of the shipped one.")]


def translate_options(device: str, beams: int, batch_size: int, int8: bool | None,
             engine: MTEngine = None):  # -> translate.Options
    from aligner.translate import Options

    return Options(device=device, beams=beams, batch_size=batch_size, int8=int8,
                   progress=log.level <= logging.INFO,
                   engine=engine.value if engine is not None else "auto")


@contextmanager
def stage_bar(label: str, enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr (rich, only on a terminal): ``bar(stage, done, total)``."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        tasks: dict = {}                 # stage -> rich's TaskID

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"{label} {stage}", total=total)
            progress.update(tasks[stage], completed=done)

        yield update
