"""The command on translation files already paired: check (XLIFF, PO, TMX, TSV, CSV)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aligner.cli.common import (
    Command,
    LexiconOpt,
    app,
    lang_code,
    log,
    output_to,
    refuse_overwrite,
    run,
    stage_bar,
    use_color,
)
from aligner.errors import AlignerError

if TYPE_CHECKING:
    from aligner.qa.units import FileCheck


class CheckFormat(str, Enum):
    auto = "auto"
    text = "text"
    json = "json"
    tsv = "tsv"
    html = "html"
    junit = "junit"


class CheckGate(str, Enum):
    divergent = "divergent"
    untranslated = "untranslated"
    fuzzy = "fuzzy"
    warning = "warning"
    never = "never"


_EXTENSIONS = {".txt": "text", ".json": "json", ".tsv": "tsv", ".html": "html",
               ".htm": "html", ".xml": "junit"}


def _lang(value: str | None) -> str | None:
    return None if value is None else lang_code(value)


@app.command(cls=Command)
def check(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="XLIFF (.xlf, 1.2 or 2.x), PO, TMX, TSV or CSV files.")],
    src_lang: Annotated[str | None, typer.Option(
        metavar="LANG", callback=_lang,
        help="Source language (default: the file's; PO msgids are English unless its header "
             "says otherwise; a table without a header: it).")] = None,
    tgt_lang: Annotated[str | None, typer.Option(
        metavar="LANG", callback=_lang,
        help="Target language (default: the file's; a table without a header: en).")] = None,
    fmt: Annotated[CheckFormat, typer.Option(
        "--format", "-f", help="Report format (auto: from -o's extension; .xml is JUnit).")
    ] = CheckFormat.auto,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the report here.")] = None,
    source_po: Annotated[Path | None, typer.Option(
        metavar="FILE", help="PO files keyed by id (msgid app.title): the source language's "
                             "catalogue, whose msgstrs are the sources of each FILE's units.")
    ] = None,
    terms: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Term list, source<TAB>target a line (target|other for "
                             "alternatives): a unit using the source term must use one of "
                             "the targets.")] = None,
    fail_on: Annotated[list[CheckGate] | None, typer.Option(
        metavar="<divergent|untranslated|fuzzy|warning|never>",
        help="A QA gate, repeatable: exit 1 when a unit is divergent, untranslated, fuzzy, or "
             "carries a warning (warning: any of them).")] = None,
    annotate: Annotated[Path | None, typer.Option(
        metavar="OUT", help="Write a copy of the (PO or XLIFF) file with the findings: PO "
                            "translator comments, XLIFF notes and a review state; nothing "
                            "else of the file changes. Several FILEs: a folder.")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Text and HTML reports: list every unit, not only those to look at.")
    ] = False,
    check_: Annotated[list[str] | None, typer.Option(
        "--check", metavar="NAME=VALUE",
        help="Divergence threshold NAME=VALUE, as in `aligner align --help`.")] = None,
    lexicon: LexiconOpt = None,
    calibrated: Annotated[bool, typer.Option(
        help="Status from the divergence model fitted on articles; default: divergent "
             "wherever a check flags an error (on real PO and XLIFF files it finds more slips "
             "with fewer false alarms: make eval). The divergence is the model's either way.")
    ] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="A file whose text does not read as its languages is an error.")
    ] = False,
) -> None:
    """Check translation files whose units are already paired: placeholders and inline codes as
    the format defines them, numbers, names, omissions, untranslated and fuzzy units,
    consistency across the file and a term list.

    Each unit is checked as a bead, without aligning; a unit of several sentences is aligned
    inside itself, so a sentence left out is found."""
    from aligner.diverge import Thresholds
    from aligner.qa import annotate as annotating
    from aligner.qa import report
    from aligner.qa.check import check as run_check
    from aligner.qa.check import read_terms

    try:
        thresholds = Thresholds.parse(check_ or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--check") from None

    def work() -> int:
        kind = fmt.value if fmt is not CheckFormat.auto else (
            _EXTENSIONS.get(output.suffix.lower(), "text") if output is not None
            and str(output) != "-" else "text")
        refuse_overwrite(output, [*files, terms, lexicon, source_po])
        refuse_overwrite(annotate, [*files, terms, lexicon, output])
        if annotate is not None and len(files) > 1 and not annotate.is_dir():
            raise AlignerError(f"{annotate}: with several files, --annotate names a folder")
        term_list = read_terms(terms) if terms is not None else None
        results: list[FileCheck] = []
        with stage_bar("check", log.level <= 20) as bar:
            for path in files:
                results.append(run_check(path, src_lang=src_lang, tgt_lang=tgt_lang,
                                         terms=term_list, thresholds=thresholds,
                                         lexicon=lexicon, calibrated=calibrated,
                                         strict=strict, source_po=source_po,
                                         progress=bar))
        if annotate is not None:
            for result, path in zip(results, files, strict=True):
                target = annotate / path.name if len(files) > 1 else annotate
                refuse_overwrite(target, files)
                noted = annotating.annotate(result, target)
                log.info("%s: %d unit%s annotated", target, noted, "s" * (noted != 1))
        with output_to(output) as out:
            if kind == "text":
                report.write_text(results, out, color=use_color(out), every=every)
            elif kind == "html":
                report.write_html(results, out, every=every)
            else:
                report.WRITERS[kind](results, out)
        if output is not None:
            for result in results:
                log.info(report.summary_line(result))
        return _gate(results, fail_on)

    raise typer.Exit(run(work))


def _gate(results: list[FileCheck], fail_on: list[CheckGate] | None) -> int:
    """Exit 1 when a unit holds what ``--fail-on`` refuses, with one stderr line saying what."""
    wanted = {g.value for g in fail_on or ()} - {"never"}
    if not wanted:
        return 0
    hits: list[str] = []
    for result in results:
        for r in result:
            warned = any(f.severity != "info" for f in r.flags)
            if r.status in wanted or ("warning" in wanted and (warned or r.status != "ok")):
                where = f"{result.catalog.path}:{r.unit.line}" if r.unit.line else \
                    str(result.catalog.path)
                hits.append(f"{where} ({r.status})")
    if not hits:
        return 0
    shown = ", ".join(hits[:5]) + (f" and {len(hits) - 5} more" if len(hits) > 5 else "")
    typer.echo(f"aligner: refused by --fail-on {','.join(sorted(wanted))}: {len(hits)} "
               f"unit{'s' * (len(hits) > 1)}: {shown}", err=True)
    return 1
