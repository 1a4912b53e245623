"""aligner models: the registry, downloads, CTranslate2 conversion, where a model is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.common import (
    Command,
    SrcLangOpt,
    TgtLangOpt,
    app,
    run,
)

models_app = typer.Typer(help="MarianMT models: which exist for which pair; download, convert.",
                         no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list", cls=Command)
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


@models_app.command("download", cls=Command)
def models_download(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="Registry name (opus-mt-it-en) or hub id.")],
    to: Annotated[Path | None, typer.Option(metavar="DIR",
        help="Folder to put it in (for example models/opus-mt-it-en); "
             "default: the Hugging Face cache.")] = None,
) -> None:
    """Download a model for offline use later (the only command that uses the network)."""
    from aligner.translate.registry import download

    run(lambda: typer.echo(str(download(name, to))))


@models_app.command("convert", cls=Command)
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

    run(lambda: typer.echo(str(ct2.convert(resolve(name, src_lang, tgt_lang), to,
                                            quantization=None if float32 else "int8"))))


@models_app.command("path", cls=Command)
def models_path(
    name: Annotated[str | None, typer.Argument(
        metavar="NAME", help="Registry name, hub id or folder.")] = None,
    src_lang: SrcLangOpt = "it",
    tgt_lang: TgtLangOpt = "en",
) -> None:
    """Print the local folder of a model (exit 2 when it is not on this machine)."""
    from aligner.translate.registry import resolve

    run(lambda: typer.echo(str(resolve(name, src_lang, tgt_lang).path)))
