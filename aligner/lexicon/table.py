"""Learned word-translation lexicons: what one holds, its file format, which one serves a pair.

Words are case-folded, accent-free prefixes of ``PREFIX`` characters (``ferito``/``ferite`` ->
``ferit``): on 20,000 training pairs the inflected forms of a word would otherwise each be rare.

File format (``aligner-lexicon/1``): gzip-compressed UTF-8 text; header lines ``# key: value``
(``format``, ``src``, ``tgt``, ``kind`` = ``learned`` or ``dictionary``, ``source``,
``pairs``, ``settings``, ``licence``), then one tab-separated line per entry:
``direction  word  translation  probability  count`` where ``direction`` is ``s2t``
(P(target word | source word)) or ``t2s``, and ``count`` is how often ``word`` occurred in the
training text (0 for dictionary entries). Files are written byte-for-byte reproducibly.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import math
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from aligner.errors import InputError
from aligner.kinds import Kind
from aligner.text.language import base
from aligner.text.words import WORD

FORMAT = "aligner-lexicon/1"
PREFIX = 5                # words are compared by their first PREFIX folded letters
RARITY_SCALE = 4.0        # log(pairs / count) at which a word weighs fully (1 in 55 pairs)

_GLOSS = Kind.GLOSS.value

#: One direction of a table: word -> ((translation, probability), ...), best first.
Table = dict[str, tuple[tuple[str, float], ...]]


@lru_cache(maxsize=300_000)
def token(word: str) -> str:
    """The form a word takes in a lexicon: lower case, no accents, its first PREFIX letters."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:PREFIX]


def tokens(text: str) -> list[str]:
    """A text's words as lexicon tokens (digits and punctuation are not words here)."""
    return [token(w) for w in WORD.findall(text)]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Translation probabilities in both directions between two languages."""

    src: str
    tgt: str
    forward: Table                                  # source token -> target tokens
    backward: Table                                 # target token -> source tokens
    src_counts: dict[str, int] = field(default_factory=dict)
    tgt_counts: dict[str, int] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    # what is derived from the tables once and kept with them (rarity, the reversed view,
    # per-word features): not part of the lexicon's value
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once for this lexicon and kept in ``memo``."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "learned")

    def revision(self) -> str:
        """The first 12 hex digits of the file's SHA-256 (of the table's entries when it was
        never saved): which lexicon, exactly, scored a report."""
        digest = self.meta.get("sha256")
        if not digest:
            h = hashlib.sha256()
            for table in (self.forward, self.backward):
                for word, entries in table.items():
                    h.update(f"{word}\t{entries}\n".encode())
            digest = h.hexdigest()
        return digest[:12]

    def signature(self) -> str:
        """A short description for reports: languages, kind, size, where it came from."""
        return (f"{self.src}-{self.tgt} {self.kind} {len(self.forward)}+{len(self.backward)} "
                f"words ({self.meta.get('source') or '?'}) sha256:{self.revision()}")

    def rarity(self) -> tuple[dict[str, float], dict[str, float]]:
        """(source, target) word -> weight in [0, 1] from its frequency in the training text:
        ``log(pairs / count) / RARITY_SCALE``, capped at 1; words of the commonest kind (the,
        il, of) weigh almost nothing, content words 1. Cached."""
        def build() -> tuple[dict[str, float], dict[str, float]]:
            pairs = float(self.meta.get("pairs") or 0) or max(
                [*self.src_counts.values(), *self.tgt_counts.values(), 1])

            def weights(counts: dict[str, int]) -> dict[str, float]:
                return {w: min(1.0, max(0.0, math.log(pairs / c)) / RARITY_SCALE)
                        for w, c in counts.items() if c > 0}

            return weights(self.src_counts), weights(self.tgt_counts)

        return self.cached("rarity", build)

    def reversed(self) -> Lexicon:
        """The same lexicon seen from the other language (the same object each time, so that
        what is cached for it is computed once)."""
        def build() -> Lexicon:
            rev = Lexicon(self.tgt, self.src, self.backward, self.forward, self.tgt_counts,
                          self.src_counts, self.meta)
            rev.memo["reversed"] = self
            return rev

        return self.cached("reversed", build)

    def features(self, word_token: str) -> tuple[tuple[str, float], ...]:
        """The scorer's features of a word (``~L:word``, its own, and its translations
        ``~M:t`` weighed by probability), each weighed by rarity; () for a word the lexicon
        does not know. Memoised per word: a short document asks for few of them."""
        memo = self.cached("features", dict)
        found = memo.get(word_token)
        if found is None:
            entries = self.forward.get(word_token)
            if entries:
                own, other = self.rarity()
                found = ((f"{_GLOSS}{self.src}:{word_token}", own.get(word_token, 1.0)),
                         *((f"{_GLOSS}{self.tgt}:{t}", p * other.get(t, 1.0))
                           for t, p in entries))
            else:
                found = ()
            memo[word_token] = found
        return found

# --- files --------------------------------------------------------------------------------

def save(lexicon: Lexicon, path: str | os.PathLike[str]) -> None:
    """Write ``lexicon`` as gzip TSV, byte-for-byte the same for the same lexicon."""
    buf = io.StringIO()
    for key in ("format", "src", "tgt", "kind", "source", "pairs", "settings", "licence"):
        value = FORMAT if key == "format" else {"src": lexicon.src, "tgt": lexicon.tgt}.get(
            key, lexicon.meta.get(key, ""))
        if value:
            buf.write(f"# {key}: {value}\n")
    buf.write("# columns: direction\tword\ttranslation\tprobability\tcount\n")
    for direction, table, counts in (("s2t", lexicon.forward, lexicon.src_counts),
                                     ("t2s", lexicon.backward, lexicon.tgt_counts)):
        for word, entries in table.items():
            n = counts.get(word, 0)
            for t, p in entries:
                buf.write(f"{direction}\t{word}\t{t}\t{p:.4f}\t{n}\n")
    data = buf.getvalue().encode("utf-8")
    path = Path(path)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=9) as gz:
        gz.write(data)


def load(path: str | os.PathLike[str]) -> Lexicon:
    """Read a lexicon file; a file that is not one raises InputError naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such lexicon file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the lexicon: {exc}") from None
    digest = hashlib.sha256(raw).hexdigest()
    compiled = _compiled(digest)
    if compiled is not None:
        return compiled
    try:
        text = gzip.decompress(raw).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: not an aligner lexicon (gzip TSV): {exc}") from None
    meta: dict[str, str] = {}
    lines = text.split("\n")
    k = 0
    while k < len(lines) and lines[k].startswith("#"):
        key, _, value = lines[k][1:].partition(":")
        meta[key.strip()] = value.strip()
        k += 1
    if meta.get("format") != FORMAT:
        raise InputError(f"{path}: not an aligner lexicon (expected '# format: {FORMAT}')")
    if not meta.get("src") or not meta.get("tgt"):
        raise InputError(f"{path}: lexicon header names no src/tgt language")
    try:
        tables, counts = _parse_entries(lines, k)
    except (ValueError, KeyError):
        n = next(n for n, line in enumerate(lines[k:], start=k + 1) if line and not _valid(line))
        raise InputError(f"{path}:{n}: malformed lexicon line (want direction, word, "
                         "translation, probability, count)") from None
    meta["sha256"] = digest
    lexicon = Lexicon(meta["src"], meta["tgt"], tables["s2t"], tables["t2s"], counts["s2t"],
                      counts["t2s"], meta)
    _compile(digest, lexicon)
    return lexicon


def _compiled_path(digest: str) -> Path:
    from aligner.translate.cache import default_path

    return default_path().parent / "lexicons" / f"{digest[:32]}.marshal"


def _compiled(digest: str) -> Lexicon | None:
    """The lexicon of this exact file (by its SHA-256) from the compiled cache: marshal of
    plain dicts and tuples loads in a fraction of the time the TSV takes to parse (and, unlike
    pickle, cannot run code)."""
    import marshal

    try:
        data = marshal.loads(_compiled_path(digest).read_bytes())
        src, tgt, forward, backward, src_counts, tgt_counts, meta = data
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if meta.get("sha256") != digest:
        return None
    return Lexicon(src, tgt, forward, backward, src_counts, tgt_counts, meta)


def _compile(digest: str, lex: Lexicon) -> None:
    """Write the compiled form for the next process; a cache that cannot be written is
    skipped silently (it only saves time)."""
    import marshal

    target = _compiled_path(digest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.part")
        tmp.write_bytes(marshal.dumps((lex.src, lex.tgt, lex.forward, lex.backward,
                                       lex.src_counts, lex.tgt_counts, lex.meta)))
        os.replace(tmp, target)
    except (OSError, ValueError):
        pass


def _parse_entries(lines: list[str], start: int) -> tuple[dict[str, Table], dict[str, dict]]:
    """The entry lines, grouped as written (one word's translations follow each other): a
    tight loop, so that a lexicon of 100,000 entries loads in a few tens of milliseconds."""
    tables: dict[str, Table] = {"s2t": {}, "t2s": {}}
    counts: dict[str, dict[str, int]] = {"s2t": {}, "t2s": {}}
    key: tuple[str, str] | None = None
    entries: list[tuple[str, float]] = []

    def flush() -> None:
        if key is not None:
            tables[key[0]][key[1]] = tuple(entries)

    for line in lines[start:]:
        if not line:
            continue
        direction, word, translation, prob, count = line.split("\t")
        if (direction, word) != key:
            flush()
            if direction not in tables:
                raise KeyError(direction)
            key, entries = (direction, word), []
            if count != "0":
                counts[direction][word] = int(count)
        entries.append((translation, float(prob)))
    flush()
    return tables, counts


def _valid(line: str) -> bool:
    parts = line.split("\t")
    if len(parts) != 5 or parts[0] not in ("s2t", "t2s"):
        return False
    try:
        float(parts[3])
        int(parts[4])
    except ValueError:
        return False
    return True


# --- which lexicon serves a pair ----------------------------------------------------------

_PACKAGE = Path(__file__).resolve().parent.parent     # the aligner package
#: Where the shipped lexicons are: inside a wheel, then the repository's models/lexicons.
SHIPPED_DIRS = (_PACKAGE / "shipped_lexicons", _PACKAGE.parent / "models" / "lexicons")


def shipped(src: str, tgt: str) -> Path | None:
    """The project's lexicon file for a pair (either direction), if it ships one."""
    return pair_file(SHIPPED_DIRS, src, tgt)


def pair_file(folders: Sequence[Path], src: str, tgt: str) -> Path | None:
    """The first ``SRC-TGT.tsv.gz`` (or ``TGT-SRC``) in these folders: where the project's
    lexicons and dictionaries are found."""
    a, b = base(src), base(tgt)
    for folder in folders:
        for name in (f"{a}-{b}.tsv.gz", f"{b}-{a}.tsv.gz"):
            if (folder / name).is_file():
                return folder / name
    return None


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Lexicon:
    return load(path)


def for_pair(src: str, tgt: str, spec: str | os.PathLike[str] | Lexicon | bool | None = None
             ) -> Lexicon | None:
    """The lexicon to score ``src`` against ``tgt`` with, oriented src -> tgt: ``spec`` (a file
    or a Lexicon) when given, None (or True) for the shipped one for the pair if any, False for
    none at all. A lexicon for another pair is an InputError."""
    if spec is False:
        return None
    if spec is None or spec is True:
        path = shipped(src, tgt)
        if path is None:
            return None
        lex = _load_cached(str(path), path.stat().st_mtime)
    elif isinstance(spec, Lexicon):
        lex = spec
    else:
        p = Path(spec)
        if not p.is_file():
            raise InputError(f"{p}: no such lexicon file")
        lex = _load_cached(str(p.resolve()), p.stat().st_mtime)
    pair = (base(lex.src), base(lex.tgt))
    if pair == (base(src), base(tgt)):
        return lex
    if pair == (base(tgt), base(src)):
        return lex.reversed()
    raise InputError(f"lexicon {lex.meta.get('source') or ''} is for {lex.src}-{lex.tgt}, "
                     f"not {src}-{tgt}".replace("lexicon  is", "lexicon is"))
