"""Word translations for the model-free scorer and the checks.

``table``: a learned lexicon (``Lexicon``), its file format, which one serves a language pair;
``learn``: IBM Model 1 by EM on parallel text, dictionary priors, corpus and TMX readers;
``hand``: the small hand-written Italian-English gloss list the learned lexicon builds on.
The names below are the public API (``aligner.lexicon.load``, ``aligner.lexicon.train``...).
"""

from __future__ import annotations

from aligner._lazy import exports

#: name -> the module that defines it, imported on first use: aligning needs the table, not
#: the trainer.
_HOMES = {**dict.fromkeys(("FORMAT", "PREFIX", "SHIPPED_DIRS", "Lexicon", "for_pair", "load",
                           "save", "shipped", "token", "tokens"), "table"),
          **dict.fromkeys(("Settings", "dictionary", "merge", "read_dictionary", "read_pairs",
                           "read_tmx", "train"), "learn")}


__getattr__ = exports("aligner.lexicon", _HOMES)


__all__ = sorted(_HOMES)
