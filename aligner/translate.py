"""The translation engine: MarianMT on transformers, batched, cached, offline-first.

Why it is built this way:
- torch and transformers cost seconds to import, so nothing here imports them until a sentence
  actually needs the model; a fully cached run never loads it.
- Throughput on a CPU comes from batching (sentences sorted by length, so padding is small),
  greedy decoding (the checkpoints' own beam 4 costs ~3x for little gain in alignment), an
  output limit derived from the input length, ``inference_mode`` and every core; optional
  dynamic int8 quantisation of the linear layers roughly doubles that again on CPU.
- A sentence longer than the model's input limit is cut at clause boundaries and the pieces'
  translations joined: never truncated silently.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from aligner.cache import TranslationCache
from aligner.errors import ModelError
from aligner.models import Resolved

log = logging.getLogger(__name__)


class Translator(Protocol):
    """Anything that turns source sentences into target-language sentences, in order."""

    @property
    def key(self) -> str: ...

    def translate(self, sentences: Sequence[str]) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Options:
    """Decoding and runtime settings. Those that change the output are part of the cache key."""

    device: str = "auto"            # auto | cpu | cuda | mps
    beams: int = 1                  # 1 = greedy
    batch_size: int = 32
    int8: bool = False              # dynamic int8 quantisation of Linear layers (CPU)
    max_input_tokens: int | None = None   # default: the model's own limit
    progress: bool = False


@dataclass(frozen=True, slots=True)
class Stats:
    """What the last ``translate`` call did, for reports and benchmarks."""

    sentences: int = 0
    cached: int = 0
    translated: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0


def pick_device(requested: str) -> str:
    """``auto``: CUDA if present, else Apple's MPS, else CPU. Asking for a missing one fails."""
    import torch

    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise ModelError("--device cuda: no CUDA GPU is available to torch here")
    if requested == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise ModelError("--device mps: Apple's MPS backend is not available here")
    if requested not in {"cpu", "cuda", "mps"}:
        raise ModelError(f"unknown device {requested!r} (auto, cpu, cuda, mps)")
    return requested


def folder_fingerprint(path: Path) -> str:
    """A short id of a model folder's content, for cache keys when there is no hub revision."""
    h = hashlib.blake2b(digest_size=8)
    for name in ("config.json", "vocab.json"):
        p = path / name
        if p.exists():
            h.update(p.read_bytes())
    for name in ("model.safetensors", "pytorch_model.bin"):
        p = path / name
        if p.exists():
            st = p.stat()
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


class MarianTranslator:
    """A MarianMT checkpoint folder, loaded on first use, translating in sorted batches."""

    def __init__(self, resolved: Resolved, options: Options = Options()) -> None:
        self.resolved = resolved
        self.options = options
        self._model: Any = None
        self._tokenizer: Any = None
        self.device: str | None = None
        self.load_seconds = 0.0
        revision = resolved.revision or folder_fingerprint(resolved.path)
        precision = "int8" if options.int8 else "auto"
        self.key = f"{resolved.name}@{revision}|beams={options.beams}|{precision}"

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        if self._model is not None:
            return
        t0 = time.perf_counter()
        try:
            import torch
            from transformers import MarianMTModel, MarianTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelError(f"MarianMT needs torch, transformers and sentencepiece "
                             f"(pip install 'aligner[marian]'): {exc}") from None
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        device = pick_device(self.options.device)
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        path = str(self.resolved.path)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tokenizer = MarianTokenizer.from_pretrained(path, local_files_only=True)
                model = MarianMTModel.from_pretrained(path, local_files_only=True)
        except Exception as exc:
            raise ModelError(f"cannot load MarianMT model {self.resolved.name} from {path}: "
                             f"{type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        model.eval()
        if self.options.int8 and device == "cpu":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(
                    model, {torch.nn.Linear}, dtype=torch.qint8)
        elif device == "cuda":
            model = model.half()
        model.to(device)
        self._model, self._tokenizer, self.device = model, tokenizer, device
        self.load_seconds = time.perf_counter() - t0
        log.debug("loaded %s on %s in %.1f s", self.resolved.name, device, self.load_seconds)

    @property
    def _max_positions(self) -> int:
        return int(getattr(self._model.config, "max_position_embeddings", 512) or 512)

    @property
    def max_input_tokens(self) -> int:
        self.load()
        limit = self.options.max_input_tokens
        if limit is None:
            cfg = self._model.config
            limit = min(getattr(cfg, "max_position_embeddings", 512) or 512,
                        self._tokenizer.model_max_length or 512)
        return max(8, int(limit) - 1)          # room for </s>

    # -- translating --------------------------------------------------------------------------
    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate in order. Empty strings stay empty; long sentences are cut and rejoined."""
        if not sentences:
            return []
        self.load()
        pieces: list[str] = []
        owner: list[int] = []
        for k, text in enumerate(sentences):
            for piece in self._split(text):
                pieces.append(piece)
                owner.append(k)
        done = self._translate_pieces(pieces)
        out: list[list[str]] = [[] for _ in sentences]
        for k, text in zip(owner, done, strict=False):
            if text:
                out[k].append(text)
        return [" ".join(parts) for parts in out]

    def _split(self, text: str) -> list[str]:
        text = text.strip()
        if not text:
            return []
        limit = self.max_input_tokens
        if self._count(text) <= limit:
            return [text]
        return split_to_fit(text, limit, self._count)

    def _count(self, text: str) -> int:
        return len(self._tokenizer.spm_source.encode(text))

    def _translate_pieces(self, pieces: list[str]) -> list[str]:
        import torch

        order = sorted(range(len(pieces)), key=lambda k: len(pieces[k]))
        out = [""] * len(pieces)
        batch = max(1, self.options.batch_size)
        bar = _progress(len(pieces), self.options.progress)
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            texts = [pieces[k] for k in idx]
            enc = self._tokenizer(texts, return_tensors="pt", padding=True, truncation=True,
                                  max_length=self.max_input_tokens + 1).to(self.device)
            lengths = enc["attention_mask"].sum(dim=1).tolist()
            # Translations run about as long as their source: 1.6x + 10 tokens stops a looping
            # decoder early, within the decoder's own position limit; each row is then cut to
            # its own limit, so a sentence's output does not depend on its batch-mates.
            limits = [min(int(n * 1.6) + 10, self._max_positions - 1) for n in lengths]
            with torch.inference_mode():
                generated = self._model.generate(
                    **enc, num_beams=self.options.beams, do_sample=False,
                    max_new_tokens=max(limits), num_return_sequences=1)
            rows = [row[:limit + 1] for row, limit in zip(generated.tolist(), limits, strict=False)]
            decoded = self._tokenizer.batch_decode(rows, skip_special_tokens=True)
            for k, text in zip(idx, decoded, strict=False):
                out[k] = text.strip()
            bar(len(idx))
        bar(0, done=True)
        return out


    def cross_entropy(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Per pair, the model's mean negative log-probability (nats per token) of the target
        given the source, by forced decoding: how well the target translates the source in
        the model's eyes. Pairs whose source is too long are cut like translations are."""
        import torch

        self.load()
        limit = self.max_input_tokens
        out = [0.0] * len(sources)
        order = sorted(range(len(sources)), key=lambda k: len(sources[k]) + len(targets[k]))
        batch = max(1, self.options.batch_size)
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            enc = self._tokenizer([sources[k] for k in idx], text_target=[targets[k] for k in idx],
                                  return_tensors="pt", padding=True, truncation=True,
                                  max_length=limit + 1).to(self.device)
            labels = enc.pop("labels")
            labels = labels[:, : self._max_positions - 1].contiguous()
            pad = self._tokenizer.pad_token_id
            with torch.inference_mode():
                logits = self._model(**enc, labels=labels).logits.float()
            logp = torch.log_softmax(logits, dim=-1)
            mask = labels != pad
            picked = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
            nll = -(picked * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
            for k, value in zip(idx, nll.tolist(), strict=True):
                out[k] = float(value)
        return out


_CLAUSE = re.compile(r"(?<=[;:,])\s+|\s+(?=[—–-]\s)|(?<=[.!?])\s+")


def split_to_fit(text: str, limit: int, count: Callable[[str], int]) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` tokens: at clause boundaries when possible,
    else between words, and only as a last resort inside a word. Joined with spaces, the pieces
    give back the text's words in order."""
    clauses = [c for c in _CLAUSE.split(text) if c.strip()]
    pieces: list[str] = []

    def pack(units: list[str]) -> None:
        current = ""
        for unit in units:
            candidate = f"{current} {unit}" if current else unit
            if current and count(candidate) > limit:
                pieces.append(current)
                current = unit
            else:
                current = candidate
        if current:
            pieces.append(current)

    run: list[str] = []                 # clauses that fit, packed together
    for clause in clauses:
        if count(clause) <= limit:
            run.append(clause)
            continue
        pack(run)
        run = []
        words: list[str] = []           # an over-long clause: its words, packed on their own
        for word in clause.split():
            if count(word) <= limit:
                words.append(word)
            else:                       # a 'word' longer than the limit: cut by characters
                step = max(1, len(word) * limit // max(1, count(word)))
                words.extend(word[i:i + step] for i in range(0, len(word), step))
        pack(words)
    pack(run)
    return pieces


def _progress(total: int, enabled: bool) -> Callable[..., None]:
    """A small progress bar on stderr, only on a terminal and for more than a few sentences."""
    if not enabled or total < 8 or not sys.stderr.isatty():
        return lambda n, done=False: None
    seen = 0
    t0 = time.perf_counter()

    def step(n: int, done: bool = False) -> None:
        nonlocal seen
        seen += n
        width = 30
        filled = width * seen // max(total, 1)
        rate = seen / max(time.perf_counter() - t0, 1e-9)
        sys.stderr.write(f"\rtranslating [{'#' * filled}{'.' * (width - filled)}] "
                         f"{seen}/{total} {rate:.1f}/s")
        if done:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return step


class CachedTranslator:
    """A translator behind the SQLite cache: only sentences not seen before reach the model."""

    def __init__(self, inner: MarianTranslator, cache: TranslationCache | None,
                 direction: str) -> None:
        self.inner = inner
        self.cache = cache
        self.direction = direction
        self.stats = Stats()

    @property
    def key(self) -> str:
        return self.inner.key

    def cross_entropy(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        return self.inner.cross_entropy(sources, targets)

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


@lru_cache(maxsize=8)
def engine(model: str | None, src_lang: str, tgt_lang: str, options: Options = Options(),
           use_cache: bool = True, cache_path: Path | None = None) -> CachedTranslator:
    """The translator for a language pair (or ``model``), found locally; raises ModelError.

    Kept per process: a batch of many pairs loads each model once.
    """
    from aligner.models import resolve

    resolved = resolve(model, src_lang, tgt_lang)
    cache = TranslationCache(cache_path) if use_cache else None
    return CachedTranslator(MarianTranslator(resolved, options), cache, f"{src_lang}-{tgt_lang}")
