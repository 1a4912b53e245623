"""Word translations for the model-free scorer and the checks.

``table``: a learned lexicon (``Lexicon``), its file format, which one serves a language pair;
``learn``: IBM Model 1 by EM on parallel text, dictionary priors, corpus and TMX readers;
``hand``: the small hand-written Italian-English gloss list the learned lexicon builds on.
The names below are the public API (``aligner.lexicon.load``, ``aligner.lexicon.train``...).
"""

from aligner.lexicon.learn import (
    Settings,
    dictionary,
    merge,
    read_dictionary,
    read_pairs,
    read_tmx,
    train,
)
from aligner.lexicon.table import (
    FORMAT,
    PREFIX,
    SHIPPED_DIRS,
    Lexicon,
    for_pair,
    load,
    save,
    shipped,
    token,
    tokens,
)

__all__ = ["FORMAT", "PREFIX", "SHIPPED_DIRS", "Lexicon", "Settings", "dictionary", "for_pair",
           "load", "merge", "read_dictionary", "read_pairs", "read_tmx", "save", "shipped",
           "token", "tokens", "train"]
