"""`make dictionary`: the shipped Italian-English word dictionary, from ../shared/dictionaries.

Both resources (English Wiktionary's translation tables and the Open Multilingual Wordnet) are
read, their one-word-to-one-word pairs kept, each word folded to the lexicon's token (its first
5 letters, lower case, no accents: the dictionaries list no inflected forms, and a prefix
matches most of them), and the distinct token pairs written, sorted, to
models/dictionaries/it-en.tsv.gz with a header that names the sources and the licence
(CC BY-SA 3.0, as Wiktionary's; attribution "Wiktionary contributors", MultiWordNet,
ItalWordNet, Princeton WordNet, CILI). The file is rebuilt byte for byte (gzip mtime 0).

    python scripts/build_dictionary.py [--dictionaries ../shared/dictionaries]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

from aligner.lexicon import token

OUT = Path(__file__).resolve().parent.parent / "models" / "dictionaries" / "it-en.tsv.gz"
SOURCES = ("wiktionary.it-en.tsv.gz", "omw.it-en.tsv.gz")
WORD = re.compile(r"^[^\W\d_]+(?:['’][^\W\d_]+)?$")
HEADER = """\
# aligner dictionary it-en: Italian and English word tokens (first 5 folded letters) that translate
# made by scripts/build_dictionary.py (make dictionary) from ../shared/dictionaries/it-en
# sources: English Wiktionary translation tables and glosses (Wiktionary contributors, via the
#   open-dsl-dict/wiktionary-dict repository; CC BY-SA 3.0 and GFDL); Open Multilingual Wordnet
#   Italian (MultiWordNet CC BY 3.0, ItalWordNet ODC-BY 1.0, Wiktionary wordnet CC BY-SA) joined
#   to Princeton/English WordNet through the Collaborative Interlingual Index (CC BY 4.0)
# licence of this file: CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/)
"""


def pairs(folder: Path) -> set[tuple[str, str]]:
    out = set()
    for name in SOURCES:
        with gzip.open(folder / name, "rt", encoding="utf-8") as f:
            for line in f:
                it, _, en = line.rstrip("\n").partition("\t")
                it, en = it.strip(), en.strip()
                if WORD.match(it) and WORD.match(en) and len(it) >= 3 and len(en) >= 3:
                    out.add((token(it), token(en)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dictionaries", default="../shared/dictionaries")
    args = ap.parse_args()
    folder = Path(args.dictionaries) / "it-en"
    if not folder.is_dir():
        print(f"make dictionary: {folder} not found", file=sys.stderr)
        return 2
    found = sorted(pairs(folder))
    body = HEADER + "".join(f"{a}\t{b}\n" for a, b in found)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                               filename="") as gz:
        gz.write(body.encode("utf-8"))
    print(f"written {OUT}: {len(found)} token pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
