"""The shipped word dictionary (Wiktionary and the Open Multilingual Wordnet): which words of
one language translate which words of the other, by lexicon token (``table.token``).

The learned lexicon knows the words of 20,000 sentence pairs; the dictionary knows 128,000
word pairs, rare words included (cateratta / cataract, rondone / swift), but not how likely
each is, and it lists broad senses. So the checks read it as evidence that a word has a
counterpart, and as a sign that a capitalised word is an ordinary word that translations
translate (Giustizia / Justice), not a name they copy. Built by ``make dictionary``
(scripts/build_dictionary.py); its licence is CC BY-SA 3.0, as Wiktionary's
(models/dictionaries/SOURCES.md).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from aligner.lexicon.table import SHIPPED_DIRS, pair_file
from aligner.text.language import base

#: Where the shipped dictionaries are: inside a wheel, then the repository's models/.
DIRS = tuple(folder.parent / folder.name.replace("lexicons", "dictionaries")
             for folder in SHIPPED_DIRS)

Translations = dict[str, frozenset[str]]


@lru_cache(maxsize=4)
def _read(path: str) -> tuple[Translations, Translations]:
    forward: dict[str, set[str]] = {}
    backward: dict[str, set[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            a, _, b = line.rstrip("\n").partition("\t")
            forward.setdefault(a, set()).add(b)
            backward.setdefault(b, set()).add(a)
    return ({k: frozenset(v) for k, v in forward.items()},
            {k: frozenset(v) for k, v in backward.items()})


def path_for(src: str, tgt: str) -> Path | None:
    """The dictionary file for a pair (either direction), if the project ships one."""
    return pair_file(DIRS, src, tgt)


def for_pair(src: str, tgt: str) -> tuple[Translations, Translations] | None:
    """(src token -> tgt tokens, tgt token -> src tokens), or None without a dictionary."""
    return _for_pair(base(src), base(tgt))


@lru_cache(maxsize=16)
def _for_pair(src: str, tgt: str) -> tuple[Translations, Translations] | None:
    path = path_for(src, tgt)
    if path is None:
        return None
    forward, backward = _read(str(path))
    return (forward, backward) if path.name.startswith(f"{base(src)}-") else (backward, forward)
