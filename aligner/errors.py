"""The library's own exception types; the CLI turns them into one line and exit code 2."""

from __future__ import annotations


class AlignerError(Exception):
    """Base class: a problem the user can fix, described in one line."""


class InputError(AlignerError):
    """An input file that cannot be used (missing, a folder, empty, binary, wrong line count)."""


class ModelError(AlignerError):
    """A translation model that cannot be found or loaded."""
