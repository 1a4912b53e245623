"""The CTranslate2 engine: a converted MarianMT checkpoint, int8 on CPU, behind the same
interface, cache and batching as the torch engine.

Why: OPUS-MT recommends CTranslate2 for serving. Its int8 CPU kernels decode faster than torch's
dynamic quantisation and the process needs a fraction of torch's memory (no torch, no
transformers imported), which matters when ``aligner batch`` runs one model per worker.

``aligner models convert NAME`` writes ``NAME-ct2`` beside the model folder (or ``--to``) with
ctranslate2's own converter, copies the SentencePiece models and notes what it was converted
from (``aligner-source.json``: name, revision, so the cache keys stay those of the model).
Tokenisation is MarianTokenizer's: source SentencePiece pieces, pieces outside the vocabulary as
``<unk>``, then ``</s>``; outputs are decoded with the target SentencePiece model.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligner.errors import ModelError
from aligner.translate.registry import Resolved

log = logging.getLogger(__name__)

MARKER = "aligner-source.json"
SPECIAL = frozenset({"</s>", "<pad>", "<unk>"})


def converted_folder(resolved: Resolved) -> Path | None:
    """The CTranslate2 conversion of a model when it exists: ``FOLDER-ct2`` beside the model,
    or ``models/NAME-ct2`` (the ``aligner models convert`` targets)."""
    from aligner.translate.registry import models_dir

    short = resolved.name.rstrip("/").rsplit("/", 1)[-1]
    for folder in (Path(f"{resolved.path}-ct2"), models_dir() / f"{short}-ct2"):
        if (folder / "model.bin").is_file() and (folder / MARKER).is_file():
            return folder
    return None


def available() -> bool:
    """Whether the ctranslate2 package can be imported (``pip install 'bead-aligner[ct2]'``)."""
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


def convert(resolved: Resolved, to: Path | None = None, force: bool = False,
            quantization: str | None = "int8") -> Path:
    """Convert a MarianMT folder with ctranslate2's converter and return the new folder.

    ``quantization``: how the weights are stored; int8 (the default) keeps the file and the
    loading process small (a float32 file is read whole before it is quantised), None keeps
    float32 weights (for float32 decoding that matches torch)."""
    if not available():
        raise ModelError("converting needs CTranslate2: pip install 'bead-aligner[ct2]'")
    from ctranslate2.converters import TransformersConverter

    from aligner.translate.registry import models_dir

    if to is None:
        short = resolved.name.rstrip("/").rsplit("/", 1)[-1]
        to = (Path(f"{resolved.path}-ct2") if Path(resolved.name).exists()
              else models_dir() / f"{short}-ct2")
    if to.exists() and not force:
        if (to / "model.bin").is_file():
            return to
        raise ModelError(f"{to}: exists and is not a converted model (remove it first)")
    try:
        TransformersConverter(str(resolved.path)).convert(str(to), quantization=quantization,
                                                           force=True)
    except Exception as exc:
        raise ModelError(f"cannot convert {resolved.name}: {type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    for name in ("source.spm", "target.spm"):
        shutil.copy2(resolved.path / name, to / name)
    from aligner.translate import folder_fingerprint

    hf_config = json.loads((resolved.path / "config.json").read_text(encoding="utf-8"))
    (to / MARKER).write_text(json.dumps({
        "name": resolved.name, "revision": resolved.revision or folder_fingerprint(resolved.path),
        "max_position_embeddings": hf_config.get("max_position_embeddings", 512),
        "quantization": quantization or "float32",
    }), encoding="utf-8")
    return to


class CT2Translator:
    """A converted model, loaded on first use (the Engine of ``aligner.translate``)."""

    engine = "ct2"

    def __init__(self, folder: Path, options: Any) -> None:
        from aligner.translate import expected_device

        self.folder = folder
        self.options = options
        source = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        self.name, self.revision = source["name"], source["revision"]
        self.max_positions = int(source.get("max_position_embeddings", 512))
        self.stored = source.get("quantization", "float32")
        self.device = expected_device(options.device)
        if self.device not in ("cpu", "cuda"):
            self.device = "cpu"
        self.precision = options.compute_type or ("int8" if self.device == "cpu" else "float16")
        self.key = (f"{self.name}@{self.revision}|ct2|{self.stored}>{self.precision}"
                    f"|beams={options.beams}"
                    f"|max_in={options.max_input_tokens or 'model'}")
        self.load_seconds = 0.0
        self.progress = options.progress
        self._model: Any = None
        self._spm: tuple[Any, Any] | None = None

    @property
    def path(self) -> Path:
        return self.folder

    def load(self) -> None:
        if self._model is not None:
            return
        t0 = time.perf_counter()
        try:
            import ctranslate2
            import sentencepiece as spm
        except ImportError as exc:
            raise ModelError(f"--mt-engine ct2 needs CTranslate2 and sentencepiece "
                             f"(pip install 'bead-aligner[ct2]'): {exc}") from None
        from aligner.translate import thread_count

        try:
            self._model = ctranslate2.Translator(
                str(self.folder), device=self.device, compute_type=self.precision,
                intra_threads=thread_count() if self.device == "cpu" else 0)
        except Exception as exc:
            raise ModelError(f"cannot load the CTranslate2 model {self.folder}: "
                             f"{type(exc).__name__}: {exc}") from None
        self._spm = (spm.SentencePieceProcessor(model_file=str(self.folder / "source.spm")),
                     spm.SentencePieceProcessor(model_file=str(self.folder / "target.spm")))
        self.load_seconds = time.perf_counter() - t0
        log.debug("loaded %s (CTranslate2, %s, %s) in %.1f s", self.folder, self.device,
                  self.precision, self.load_seconds)

    @property
    def max_input_tokens(self) -> int:
        limit = self.options.max_input_tokens or self.max_positions
        return max(8, int(limit) - 1)

    @property
    def _pieces_model(self) -> tuple[Any, Any]:
        """The source and target SentencePiece models (loaded first)."""
        self.load()
        assert self._spm is not None
        return self._spm

    def _pieces(self, text: str) -> list[str]:
        self.load()
        return list(self._pieces_model[0].encode(text, out_type=str))

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate in order; empty strings stay empty; long sentences are cut and rejoined."""
        from aligner.translate import Progress, split_to_fit

        if not sentences:
            return []
        self.load()
        limit = self.max_input_tokens
        pieces: list[list[str]] = []
        owner: list[int] = []
        for k, text in enumerate(sentences):
            text = text.strip()
            if not text:
                continue
            parts = ([text] if len(self._pieces(text)) <= limit else
                     split_to_fit(text, limit, lambda t: len(self._pieces(t))))
            for part in parts:
                pieces.append([*self._pieces(part), "</s>"])
                owner.append(k)
        order = sorted(range(len(pieces)), key=lambda k: len(pieces[k]))
        done = [""] * len(pieces)
        max_pos = self.max_positions
        batch = max(1, self.options.batch_size)
        bar = Progress(len(pieces), self.progress)
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            tokens = [pieces[k] for k in idx]
            # the torch engine's output limit: 1.6x the input + 10, per sentence
            limits = [min(int(len(t) * 1.6) + 10, max_pos - 1) for t in tokens]
            results = self._model.translate_batch(
                tokens, beam_size=self.options.beams, max_decoding_length=max(limits),
                min_decoding_length=0, max_batch_size=batch)
            for k, res, lim in zip(idx, results, limits, strict=True):
                out = [t for t in res.hypotheses[0][:lim] if t not in SPECIAL]
                # as MarianTokenizer decodes: pieces the target model lacks keep their ▁
                done[k] = (self._pieces_model[1].decode_pieces(out).replace("\u2581", " ").strip()
                           if out else "")
            bar.step(len(idx))
        bar.close()
        joined: list[list[str]] = [[] for _ in sentences]
        for k, text in zip(owner, done, strict=True):
            if text:
                joined[k].append(text)
        return [" ".join(parts) for parts in joined]

    def cross_entropy(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Mean negative log-probability (nats per token) of each target given its source, by
        forced decoding; inputs longer than the model's limit are cut to it (the score of the
        beginning of the pair), as the torch engine does."""
        self.load()
        limit = self.max_input_tokens
        src = [[*self._pieces(s)[:limit], "</s>"] for s in sources]
        tgt = [list(self._pieces_model[1].encode(t, out_type=str))[:limit] for t in targets]
        results = self._model.score_batch(src, tgt, max_batch_size=max(1,
                                                                       self.options.batch_size))
        return [-sum(r.log_probs) / max(1, len(r.log_probs)) for r in results]

    def describe(self) -> dict[str, Any]:
        return {"engine": "ct2", "name": self.name, "revision": self.revision,
                "path": str(self.folder), "device": self.device, "precision": self.precision}
