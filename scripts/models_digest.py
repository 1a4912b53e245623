"""The digest of every model file the package ships, recorded beside the version.

A report's signature names the aligner's version; that is only honest if the version changes
whenever a shipped model does (a lexicon, the dictionary, the divergence model, the word model,
the glosses, the registry). ``tests/test_version.py`` recomputes this digest and fails when it
differs from ``aligner/_version.py``'s MODELS_DIGEST: bump ``__version__``, add a CHANGELOG.md
entry, then run ``python scripts/models_digest.py --write``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The shipped model files, relative to the repository.
SHIPPED = ("models/lexicons/it-en.tsv.gz", "models/lexicons/de-fr.tsv.gz",
           "models/registry.json", "aligner/diverge/divergence_model.json",
           "aligner/diverge/difference_model.json", "aligner/relation_model.json",
           "aligner/lexicon/hand_data/it-en.txt", "models/dictionaries/it-en.tsv.gz",
           "aligner/score_params.json", "aligner/semantic/params.json")


def digest(root: Path = ROOT) -> str:
    h = hashlib.sha256()
    for name in SHIPPED:
        h.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record it in aligner/_version.py")
    args = parser.parse_args()
    value = digest()
    if args.write:
        path = ROOT / "aligner" / "_version.py"
        text = re.sub(r'MODELS_DIGEST = "[0-9a-f]*"', f'MODELS_DIGEST = "{value}"',
                      path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    print(value)


if __name__ == "__main__":
    main()
