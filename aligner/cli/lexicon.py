"""aligner lexicon: train a word-translation lexicon, show what one holds."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.common import (
    Command,
    SrcLangOpt,
    TgtLangOpt,
    app,
    log,
    refuse_overwrite,
    run,
    stage_bar,
)
from aligner.errors import AlignerError

lexicon_app = typer.Typer(help="Train and inspect word-translation lexicons.",
                          no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("train", cls=Command)
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
        refuse_overwrite(output, (src_file, tgt_file, *(tmx or []), *(dictionary or [])))
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
        with stage_bar("EM", log.level <= logging.INFO) as bar:
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

    run(work)


@lexicon_app.command("show", cls=Command)
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

    run(work)
