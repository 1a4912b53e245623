"""The command line: a thin typer layer over the library; errors are one line and exit code 2.

``common``: the app, shared options and error handling; the commands by what they work on:
``align`` (one pair: align, segment, evaluate, translate), ``batch`` (pair, batch),
``check`` (translation files already paired),
``models``, ``lexicon``.
"""

from __future__ import annotations

import os
import sys

import typer

from aligner.cli import align, batch, check, lexicon, models  # noqa: F401  (they register commands)
from aligner.cli.common import app

try:                                # typer >= 0.29 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:                 # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

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
