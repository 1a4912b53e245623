"""aligner: sentence-align two versions of an article and report where they diverge.

>>> from aligner import align
>>> result = align("article.it.txt", "article.en.txt", scorer="lexical")
>>> result.beads[0].source, result.beads[0].target

Importing this package is cheap: numpy, NLTK, torch and transformers load only when needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aligner._lazy import exports
from aligner._version import __version__
from aligner.data import Alignment, Bead, Document, Flag, ScorerInfo, Sentence
from aligner.errors import AlignerError, InputError, ModelError

if TYPE_CHECKING:
    from aligner.pipeline import align, from_sentences, load

# The pipeline (numpy, the scorer, the checks) is imported on first use, so that
# ``import aligner`` and the CLI's start stay light.
__getattr__ = exports("aligner", dict.fromkeys(("align", "from_sentences", "load"), "pipeline"))

__all__ = [
    "AlignerError",
    "Alignment",
    "Bead",
    "Document",
    "Flag",
    "InputError",
    "ModelError",
    "ScorerInfo",
    "Sentence",
    "__version__",
    "align",
    "from_sentences",
    "load",
]
