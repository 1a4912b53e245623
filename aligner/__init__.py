"""aligner: sentence-align two versions of an article and report where they diverge.

>>> from aligner import align
>>> result = align("article.it.txt", "article.en.txt", scorer="lexical")
>>> result.beads[0].source, result.beads[0].target

Importing this package is cheap: NLTK, torch and transformers load only when needed.
"""

from aligner._version import __version__
from aligner.data import Alignment, Bead, Document, Flag, ScorerInfo, Sentence
from aligner.errors import AlignerError, InputError, ModelError
from aligner.pipeline import align, from_sentences, load

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
