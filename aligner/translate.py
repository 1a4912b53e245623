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
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from aligner.cache import TranslationCache
from aligner.errors import ModelError
from aligner.models import Resolved

log = logging.getLogger(__name__)


class Engine(Protocol):
    """What the pipeline needs of a translation engine, and all it may use: the torch engine
    (``MarianTranslator``), CTranslate2 (``aligner.ct2.CT2Translator``) and the tests' fake
    one plug in here.

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
    int8: bool = False              # dynamic int8 quantisation of Linear layers (CPU, torch)
    max_input_tokens: int | None = None   # default: the model's own limit
    progress: bool = False          # display only: not in the cache keys
    engine: str = "auto"            # auto (ct2 when converted and installed) | torch | ct2
    compute_type: str | None = None  # ct2: default int8 on CPU, float16 on CUDA


@dataclass(frozen=True, slots=True)
class Stats:
    """What the last ``translate`` call did, for reports and benchmarks."""

    sentences: int = 0
    cached: int = 0
    translated: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0


def expected_device(requested: str) -> str:
    """The device ``auto`` will give, without importing torch (a cached run must not pay for
    it): CUDA when the machine has an NVIDIA device, MPS on Apple silicon, else CPU. The
    engine still checks at load time (``pick_device``)."""
    import platform

    if requested != "auto":
        return requested
    if any(Path("/dev").glob("nvidia[0-9]*")):
        return "cuda"
    if platform.system() == "Darwin" and platform.machine() == "arm64":
        return "mps"
    return "cpu"


_THREADS: list[int] = []


def thread_count() -> int:
    """Threads this process's engine may use: ``$ALIGNER_THREADS`` (set by ``aligner batch``
    for each of its workers, so that they share the cores instead of each taking them all),
    else every core."""
    if not _THREADS:
        env = os.environ.get("ALIGNER_THREADS", "")
        _THREADS.append(max(1, int(env)) if env.isdigit() else max(1, os.cpu_count() or 1))
    return _THREADS[0]


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


def _known_harmless(record: logging.LogRecord) -> bool:
    """False for transformers' notice that max_new_tokens overrides the checkpoint's
    max_length: that is what the engine asks for, on every batch."""
    return "max_new_tokens" not in record.getMessage()


class MarianTranslator:
    """A MarianMT checkpoint folder on torch, loaded on first use, translating in sorted
    batches (the torch Engine)."""

    engine = "torch"

    def __init__(self, resolved: Resolved, options: Options = Options()) -> None:
        self.resolved = resolved
        self.options = options
        self.progress = options.progress
        self._model: Any = None
        self._tokenizer: Any = None
        self.device: str | None = None
        self.load_seconds = 0.0
        self.revision = resolved.revision or folder_fingerprint(resolved.path)
        device = expected_device(options.device)
        # int8 is CPU only: on CUDA the model runs in fp16, whatever --int8 says
        self.precision = ("fp16" if device == "cuda" else
                          "int8" if options.int8 and device == "cpu" else "fp32")
        self.key = (f"{resolved.name}@{self.revision}|torch|{self.precision}"
                    f"|beams={options.beams}|max_in={options.max_input_tokens or 'model'}")

    def describe(self) -> dict[str, Any]:
        return {"engine": "torch", "name": self.resolved.name, "revision": self.revision,
                "path": str(self.resolved.path), "device": self.device
                or expected_device(self.options.device), "precision": self.precision}

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
        # Progress bars are ours; transformers' warnings stay on (its "weights not
        # initialised" is how a mismatched checkpoint shows), bar the ones known harmless.
        hf_logging.disable_progress_bar()
        logging.getLogger("transformers.generation.utils").addFilter(_known_harmless)
        device = pick_device(self.options.device)
        if torch.get_num_threads() != thread_count():
            torch.set_num_threads(thread_count())
        path = str(self.resolved.path)
        try:
            with warnings.catch_warnings():
                # MarianTokenizer asks for sacremoses, which its tokenisation does not use
                warnings.filterwarnings("ignore", message=".*sacremoses.*")
                tokenizer = MarianTokenizer.from_pretrained(path, local_files_only=True)
                model = MarianMTModel.from_pretrained(path, local_files_only=True)
        except Exception as exc:
            raise ModelError(f"cannot load MarianMT model {self.resolved.name} from {path}: "
                             f"{type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        model.eval()
        if self.options.int8 and device == "cpu":
            with warnings.catch_warnings():
                # torch 2.10+ deprecates the eager-mode API in favour of torchao, which is not
                # a dependency here; the kernels themselves are unchanged
                warnings.filterwarnings("ignore", category=DeprecationWarning,
                                        message=".*quantize_dynamic.*|.*torch.ao.quantization.*")
                warnings.filterwarnings("ignore", category=UserWarning,
                                        message=".*quantized tensor creation functions.*")
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
        bar = Progress(len(pieces), self.progress)
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
            bar.step(len(idx))
        bar.close()
        return out


    def cross_entropy(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Per pair, the model's mean negative log-probability (nats per token) of the target
        given the source, by forced decoding: how well the target translates the source in
        the model's eyes. A source or target longer than the model's limit is cut to it: the
        figure then scores the pair's beginning. Only the target tokens' log-probabilities
        are computed (a log-sum-exp per position), not a full-vocabulary log-softmax, and the
        model is not asked for a loss."""
        import torch

        self.load()
        limit = self.max_input_tokens
        out = [0.0] * len(sources)
        order = sorted(range(len(sources)), key=lambda k: len(sources[k]) + len(targets[k]))
        batch = max(1, self.options.batch_size)
        pad = self._tokenizer.pad_token_id
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            enc = self._tokenizer([sources[k] for k in idx], text_target=[targets[k] for k in idx],
                                  return_tensors="pt", padding=True, truncation=True,
                                  max_length=limit + 1).to(self.device)
            labels = enc.pop("labels")[:, : self._max_positions - 1].contiguous()
            decoder_input = self._model.prepare_decoder_input_ids_from_labels(labels=labels)
            with torch.inference_mode():
                logits = self._model(**enc, decoder_input_ids=decoder_input).logits
            mask = labels != pad
            safe = labels.clamp(min=0)
            picked = logits.gather(-1, safe.unsqueeze(-1)).squeeze(-1).float()
            norm = torch.logsumexp(logits.float(), dim=-1)
            nll = -((picked - norm) * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
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
    from aligner import ct2
    from aligner.models import resolve

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
