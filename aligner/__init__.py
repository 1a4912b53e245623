"""aligner: sentence-align two versions of an article and report where they diverge.

>>> from aligner import align
>>> result = align("article.it.txt", "article.en.txt", scorer="lexical")
>>> for bead in result.beads:
...     if bead.divergence > 0.5:                  # every bead has one; extra content: 1.0
...         print(bead.status, result.text(bead), [f.code for f in bead.flags])

``aligner.check("messages.it.po")`` checks a translation file already paired (XLIFF, PO, TMX,
TSV): each unit's status, divergence and flags.

Importing this package is cheap: numpy, NLTK, torch and transformers load only when needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aligner._lazy import exports
from aligner._version import __version__
from aligner.data import Alignment, Bead, Document, Flag, ScorerInfo, Sentence
from aligner.errors import AlignerError, InputError, ModelError

if TYPE_CHECKING:
    from aligner.diverge.context import Thresholds
    from aligner.lexicon.table import Lexicon
    from aligner.pipeline import align, from_sentences, load
    from aligner.qa.check import check
    from aligner.translate.engines import Engine, TranslateOptions

# The pipeline (numpy, the scorer, the checks) and the types align()'s parameters take are
# imported on first use, so that ``import aligner`` and the CLI's start stay light.
__getattr__ = exports("aligner", {
    **dict.fromkeys(("align", "from_sentences", "load"), "pipeline"),
    "check": "qa.check", "Thresholds": "diverge.context", "Lexicon": "lexicon.table",
    "Engine": "translate.engines", "TranslateOptions": "translate.engines"})

__all__ = [
    "AlignerError",
    "Alignment",
    "Bead",
    "Document",
    "Engine",
    "Flag",
    "InputError",
    "Lexicon",
    "ModelError",
    "ScorerInfo",
    "Sentence",
    "Thresholds",
    "TranslateOptions",
    "__version__",
    "align",
    "check",
    "from_sentences",
    "load",
]
