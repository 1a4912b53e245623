"""The translation-engine interface, and the engine the pipeline gets for a language pair.

Everything the pipeline asks of machine translation goes through ``Engine``: the torch engine
(``aligner.translate.marian``), CTranslate2 (``aligner.translate.ct2``) and the tests' fake one
plug in behind it. ``engine()`` picks one, puts the SQLite cache in front of it, and keeps it
per process, keyed on what changes its output.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from aligner.errors import ModelError
from aligner.translate.cache import TranslationCache

log = logging.getLogger(__name__)


class Engine(Protocol):
    """What the pipeline needs of a translation engine, and all it may use: the torch engine
    (``marian.MarianTranslator``), CTranslate2 (``ct2.CT2Translator``) and the tests' fake one
    plug in here.

    ``key``: everything that changes an output (model and revision, engine, precision,
    decoding settings, input limit), nothing that does not: the translation cache's key.
    """

    engine: str
    key: str
    load_seconds: float
    progress: bool

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translations of the sentences, in order; empty in, empty out."""
        ...

    def cross_entropy(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Per pair, mean negative log-probability (nats per token) of the target given the
        source, by forced decoding."""
        ...

    def describe(self) -> dict[str, Any]:
        """engine, name, revision, path, device, precision: for reports."""
        ...


@dataclass(frozen=True, slots=True)
class Options:
    """Decoding and runtime settings. Those that change the output are part of the cache key."""

    device: str = "auto"            # auto | cpu | cuda | mps
    beams: int = 1                  # 1 = greedy
    batch_size: int = 32
    #: dynamic int8 quantisation of the Linear layers (torch on CPU): None, the default, turns
    #: it on there (the fastest torch path, which `make bench` measures); False keeps fp32
    int8: bool | None = None
    max_input_tokens: int | None = None   # default: the model's own limit
    progress: bool = False          # display only: not in the cache keys
    engine: str = "auto"            # auto (ct2 when converted and installed) | torch | ct2
    compute_type: str | None = None  # ct2: default int8 on CPU, float16 on CUDA


#: The name ``aligner`` exports it under (beside the other parameters of ``align()``).
TranslateOptions = Options


@dataclass(frozen=True, slots=True)
class Stats:
    """What the last ``translate`` call did, for reports and benchmarks."""

    sentences: int = 0
    cached: int = 0
    translated: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0


class Progress:
    """A progress bar on stderr (rich), only on a terminal and for more than a few sentences."""

    def __init__(self, total: int, enabled: bool, label: str = "translating") -> None:
        self._bar: Any = None
        if enabled and total >= 8 and sys.stderr.isatty():
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)

    def step(self, n: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class CachedTranslator:
    """An engine behind the SQLite cache: only sentences not seen before reach the model."""

    def __init__(self, inner: Engine, cache: TranslationCache | None, direction: str) -> None:
        self.inner = inner
        self.cache = cache
        self.direction = direction
        self.stats = Stats()

    @property
    def key(self) -> str:
        return self.inner.key

    def describe(self) -> dict[str, Any]:
        """The engine's description and what the last ``translate`` call did."""
        return {**self.inner.describe(), "key": self.key,
                "translated": self.stats.translated, "cached": self.stats.cached,
                "translate_seconds": round(self.stats.seconds, 3)}

    def cross_entropy(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Forced-decoding scores, cached like translations (keyed by the model, the direction
        and the pair), so that a fully cached run never loads the model."""
        if self.cache is None:
            return self.inner.cross_entropy(sources, targets)
        direction = f"{self.direction}|cross-entropy"
        keys = [f"{len(s)}:{s}{t}" for s, t in zip(sources, targets, strict=True)]
        cached = self.cache.get_many(self.key, direction, keys)
        todo = sorted({(s, t) for s, t, c in zip(sources, targets, cached, strict=True)
                       if c is None})
        fresh: dict[str, str] = {}
        if todo:
            scores = self.inner.cross_entropy([s for s, _ in todo], [t for _, t in todo])
            fresh = {f"{len(s)}:{s}{t}": repr(float(x))
                     for (s, t), x in zip(todo, scores, strict=True)}
            self.cache.put_many(self.key, direction, fresh.items())
        return [float(c if c is not None else fresh[k]) for k, c in zip(keys, cached, strict=True)]

    def translate(self, sentences: Sequence[str]) -> list[str]:
        t0 = time.perf_counter()
        cached = (self.cache.get_many(self.key, self.direction, sentences)
                  if self.cache is not None else [None] * len(sentences))
        todo = sorted({s for s, c in zip(sentences, cached, strict=False) if c is None})
        fresh = dict(zip(todo, self.inner.translate(todo), strict=False)) if todo else {}
        if self.cache is not None and fresh:
            self.cache.put_many(self.key, self.direction, fresh.items())
        out = [c if c is not None else fresh[s] for s, c in zip(sentences, cached, strict=False)]
        self.stats = Stats(len(sentences), len(sentences) - sum(c is None for c in cached),
                           len(todo), time.perf_counter() - t0, self.inner.load_seconds)
        log.info("translated %d sentences (%d from the cache) in %.2f s",
                 self.stats.sentences, self.stats.cached, self.stats.seconds)
        return out


def engine(model: str | None, src_lang: str, tgt_lang: str, options: Options = Options(),
           use_cache: bool = True, cache_path: Path | None = None) -> CachedTranslator:
    """The translator for a language pair (or ``model``), found locally; raises ModelError.

    Kept per process, keyed on what changes its output: a batch of many pairs loads each model
    once, and a display option (the progress bar) does not load it again.
    """
    translator = _engine(model, src_lang, tgt_lang, replace(options, progress=False),
                         use_cache, cache_path)
    translator.inner.progress = options.progress
    return translator


@lru_cache(maxsize=8)
def _engine(model: str | None, src_lang: str, tgt_lang: str, options: Options,
            use_cache: bool, cache_path: Path | None) -> CachedTranslator:
    from aligner.translate import ct2
    from aligner.translate.marian import MarianTranslator
    from aligner.translate.registry import resolve

    resolved = resolve(model, src_lang, tgt_lang)
    inner: Engine
    if options.engine not in ("auto", "torch", "ct2"):
        raise ModelError(f"unknown engine {options.engine!r} (auto, torch, ct2)")
    converted = ct2.converted_folder(resolved) if options.engine != "torch" else None
    if options.engine == "ct2" and converted is None:
        raise ModelError(f"no CTranslate2 conversion of {resolved.name} here; make one with "
                         f"'aligner models convert {model or resolved.name}'")
    if converted is not None and (options.engine == "ct2" or ct2.available()):
        inner = ct2.CT2Translator(converted, options)
    else:
        inner = MarianTranslator(resolved, options)
    cache = TranslationCache(cache_path) if use_cache else None
    return CachedTranslator(inner, cache, f"{src_lang}-{tgt_lang}")


engine.cache_clear = _engine.cache_clear  # type: ignore[attr-defined]
