"""The torch engine: MarianMT on transformers, batched, offline-first.

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
import re
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aligner.errors import ModelError
from aligner.translate.device import expected_device, pick_device, thread_count
from aligner.translate.engines import Options, Progress
from aligner.translate.registry import Resolved

log = logging.getLogger(__name__)


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
                          "int8" if options.int8 is not False and device == "cpu" else "fp32")
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
                             f"(pip install 'bead-aligner[marian]'): {exc}") from None
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
        if self.options.int8 is not False and device == "cpu":
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
        model.to(device)  # type: ignore[arg-type]  # transformers' stubs
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
