"""Build a MarianMT checkpoint offline: real tokenizer files, random weights.

The hub cannot be reached from CI or from this machine, yet the loading code must be the one
users run. This script makes a folder with the same files as a Helsinki-NLP opus-mt checkpoint
(``source.spm``, ``target.spm``, ``vocab.json``, ``config.json``, ``model.safetensors``, the
tokenizer and generation configs), so ``aligner`` loads it through its ordinary path.

- ``--size tiny`` (the tests): SentencePiece models trained on the Italian and English seed
  articles, a 2-layer model of width 32. Its translations are noise; its shape is right.
- ``--size full`` (the speed benchmark): the real opus-mt-it-en shape, d_model 512, 6+6
  layers, 8 heads, ffn 2048, a vocabulary of about 80k and the checkpoint's generation
  settings (beam 4, max length 512). Speed does not depend on the weights.

    python models/build_test_model.py OUT_DIR [--size tiny|full] [--seed 0]
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
IT_SEEDS = ("003_0d1d48a6166cc69a.txt", "004_4ba90b0ed3cbab0e.txt")
EN_SEEDS = ("000_bb00db67a145eeba.txt", "001_6461e7fa54551a87.txt", "002_7a5f0831c8a7dd75.txt")
FULL_VOCAB = 80035            # opus-mt-it-en's vocabulary size


def _train_spm(text: str, prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write(text)
        corpus = fh.name
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=str(prefix), vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, hard_vocab_limit=False, bos_id=-1, eos_id=-1, unk_id=0,
        pad_id=-1, minloglevel=2, num_threads=1)
    Path(corpus).unlink()


def build(out: Path, size: str = "tiny", seed: int = 0, eos_bias: float = 0.0,
          corpus: tuple[list[Path], list[Path]] | None = None, spm_vocab: int = 400) -> Path:
    """Write the checkpoint folder ``out`` and return it.

    ``eos_bias`` is added to the end-of-sentence logit: random weights never choose to stop, so
    a benchmark sets it to make translations about as long as real ones. ``corpus`` (Italian
    files, English files) replaces the seeds for training SentencePiece, with ``spm_vocab``
    pieces: a larger vocabulary cuts sentences into as many tokens as the real models do.
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    it_files, en_files = corpus or ([SEEDS / f for f in IT_SEEDS], [SEEDS / f for f in EN_SEEDS])
    it_text = "\n".join(p.read_text(encoding="utf-8") for p in it_files)
    en_text = "\n".join(p.read_text(encoding="utf-8") for p in en_files)
    _train_spm(it_text, out / "source", spm_vocab)
    _train_spm(en_text, out / "target", spm_vocab)
    (out / "source.model").rename(out / "source.spm")
    (out / "target.model").rename(out / "target.spm")
    for f in ("source.vocab", "target.vocab"):
        (out / f).unlink()

    import sentencepiece as spm

    pieces: list[str] = []
    for name in ("source.spm", "target.spm"):
        proc = spm.SentencePieceProcessor(model_file=str(out / name))
        pieces += [proc.id_to_piece(i) for i in range(proc.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        if piece not in vocab and piece != "<unk>":
            vocab[piece] = len(vocab)
    target_size = FULL_VOCAB if size == "full" else len(vocab) + 1
    while len(vocab) < target_size - 1:                 # filler entries, as large as the real one
        vocab[f"▁filler{len(vocab)}"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    shape = (dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
                  decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
                  max_position_embeddings=512)
             if size == "full" else
             dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                  decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                  max_position_embeddings=64))
    pad = vocab["<pad>"]
    config = MarianConfig(vocab_size=len(vocab), pad_token_id=pad, eos_token_id=0,
                          decoder_start_token_id=pad, forced_eos_token_id=0,
                          activation_function="swish", scale_embedding=True,
                          share_encoder_decoder_embeddings=True, **shape)
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    if eos_bias:
        with torch.no_grad():
            model.final_logits_bias[0, 0] += eos_bias
    model.generation_config = GenerationConfig(
        num_beams=4, max_length=512, bad_words_ids=[[pad]], pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer = MarianTokenizer(str(out / "source.spm"), str(out / "target.spm"),
                                str(out / "vocab.json"), source_lang="it", target_lang="en",
                                model_max_length=shape["max_position_embeddings"])
    tokenizer.save_pretrained(out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--size", choices=("tiny", "full"), default="tiny")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eos-bias", type=float, default=0.0)
    ap.add_argument("--corpus", nargs=2, metavar=("IT_GLOB", "EN_GLOB"),
                    help="train SentencePiece on these files instead of the seeds")
    ap.add_argument("--spm-vocab", type=int, default=400)
    args = ap.parse_args(argv)
    corpus = None
    if args.corpus:
        corpus = tuple(sorted(Path(p) for p in glob.glob(g)) for g in args.corpus)
    print(build(args.out, args.size, args.seed, args.eos_bias, corpus, args.spm_vocab))
    return 0


if __name__ == "__main__":
    sys.exit(main())
