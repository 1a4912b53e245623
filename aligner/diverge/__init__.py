"""The checks: where two aligned versions diverge, with the evidence a QA reviewer acts on.

``stage``: the divergence stage (``check_all``) and its registry of checks (``CHECKS``), each in
its own module with one signature (``context.Check``): ``untranslated``, ``placeholders``,
``numbers``, ``names`` (missing names, and words of the other language put in), ``length``,
``negation``; then ``extra`` (why content stands alone), ``adequacy`` (with MarianMT),
``differences`` (the words of a bead without a counterpart) and ``decision`` (one logistic
model over all that evidence: each bead's divergence probability and its status; ``logistic``
reads and writes the fitted models). Thresholds live in
``context.Thresholds``, all settable from the CLI with ``--check NAME=VALUE``.
"""

from typing import TYPE_CHECKING

from aligner._lazy import exports
from aligner.diverge.context import DEFAULT, Context, Pair, Thresholds

if TYPE_CHECKING:
    from aligner.diverge.stage import CHECKS, check, check_all

# The checks (numbers, names, ...) load on first use: the CLI's start reads only the thresholds.
__getattr__ = exports("aligner.diverge", dict.fromkeys(("CHECKS", "check", "check_all"), "stage"))

__all__ = ["CHECKS", "DEFAULT", "Context", "Pair", "Thresholds", "check", "check_all"]
