"""The MarianMT engine on a checkpoint built here: loading, batching, splitting, cache, errors."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aligner import align
from aligner.errors import ModelError
from aligner.translate import (
    CachedTranslator,
    MarianTranslator,
    Options,
    engine,
    pick_device,
    split_to_fit,
)
from aligner.translate.cache import TranslationCache
from aligner.translate.registry import resolve

from .conftest import EN_002, IT_003, ROOT

SENTENCES = ["Il cloud vola nello spazio.", "", "Microsoft si allea con SpaceX.",
             "Il cloud vola nello spazio."]


def test_engine_is_kept_per_process(tiny_model: Path) -> None:
    a = engine(str(tiny_model), "it", "en", use_cache=False)
    assert engine(str(tiny_model), "it", "en", use_cache=False) is a   # a batch loads it once
    assert engine(str(tiny_model), "it", "en", Options(beams=2), use_cache=False) is not a


def test_loads_a_folder_and_translates_in_order(tiny_model: Path) -> None:
    translator = engine(str(tiny_model), "it", "en", use_cache=False)
    out = translator.translate(SENTENCES)
    assert len(out) == 4
    assert out[1] == ""                                    # empty in, empty out
    assert out[0] == out[3]                                # same input, same output
    assert all(isinstance(x, str) and x for x in (out[0], out[2]))
    assert translator.inner.device == "cpu"


def test_batch_size_and_output_limit(tiny_model: Path) -> None:
    one = engine(str(tiny_model), "it", "en", Options(batch_size=1), use_cache=False)
    many = engine(str(tiny_model), "it", "en", Options(batch_size=64), use_cache=False)
    texts = [s.strip() for s in IT_003.read_text(encoding="utf-8").split(".") if s.strip()][:12]
    a, b = one.translate(texts), many.translate(texts)
    assert len(a) == len(b) == 12 and all(a) and all(b)
    # A random model never stops by itself: each output is cut at 1.6x its input + 10 tokens,
    # whatever else is in its batch.
    tok = many.inner._tokenizer
    seen: list[int] = []
    real_decode = tok.batch_decode

    def spy(rows, **kw):
        seen.extend(len(r) for r in rows)
        return real_decode(rows, **kw)

    tok.batch_decode = spy
    many.translate(["Breve.", texts[1]])
    n_short = len(tok(["Breve."])["input_ids"][0])
    assert sorted(seen)[0] <= int(n_short * 1.6) + 11 < sorted(seen)[1]


def test_cache_second_run_translates_nothing(tiny_model: Path, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    first = engine(str(tiny_model), "it", "en", cache_path=path)
    out1 = first.translate(SENTENCES)
    assert first.stats.translated == 3 and first.stats.cached == 0
    engine.cache_clear()                      # as in a new process: nothing loaded yet
    second = engine(str(tiny_model), "it", "en", cache_path=path)
    out2 = second.translate(SENTENCES)
    assert out2 == out1
    assert second.stats.translated == 0 and second.stats.cached == 4
    assert second.inner._model is None                     # the model was never even loaded
    beam = engine(str(tiny_model), "it", "en", Options(beams=2), cache_path=path)
    beam.translate(SENTENCES[:1])
    assert beam.stats.translated == 1                      # decoding settings are in the key


def test_corrupt_cache_is_rebuilt_with_a_warning(tmp_path: Path, caplog) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level("WARNING"):
        cache = TranslationCache(path)
    assert "damaged" in caplog.text
    cache.put_many("m", "it-en", [("a", "b")])
    assert cache.get_many("m", "it-en", ["a", "z"]) == ["b", None]
    assert list(tmp_path.glob("cache.sqlite3.corrupt-*"))


def _writer(path: str, worker: int, rounds: int) -> None:
    cache = TranslationCache(Path(path))
    for r in range(rounds):
        cache.put_many("m", "it-en", [(f"s{worker}-{r}-{k}", f"t{worker}-{r}-{k}")
                                      for k in range(20)])
        cache.put_many("m", "it-en", [(f"shared-{k}", f"shared-{k}") for k in range(20)])


def test_cache_shared_by_processes_at_once(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    TranslationCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 15)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    cache = TranslationCache(path)
    keys = [f"s{w}-{r}-{k}" for w in range(3) for r in range(15) for k in range(20)]
    got = cache.get_many("m", "it-en", keys)
    assert got == [k.replace("s", "t", 1) for k in keys]
    assert cache.get_many("m", "it-en", ["shared-3"]) == ["shared-3"]


def test_split_to_fit_keeps_every_word() -> None:
    def count(text: str) -> int:
        return len(text.split())

    text = ("Primo pezzo, secondo pezzo; terzo pezzo molto più lungo degli altri: quarto "
            "pezzo — quinto pezzo con parole " + " ".join(f"w{k}" for k in range(30)))
    pieces = split_to_fit(text, 6, count)
    assert all(count(p) <= 6 for p in pieces)
    assert " ".join(pieces).split() == text.split()
    assert pieces[0] == "Primo pezzo, secondo pezzo;"  # cut at clause boundaries first


def test_sentence_longer_than_the_model_limit_is_split_not_truncated(tiny_model: Path) -> None:
    long = " ".join(["Microsoft vuole portare in orbita il suo cloud, e stringe un accordo"] * 12)
    translator = MarianTranslator(resolve(str(tiny_model), "it", "en"))
    assert len(translator._split(long)) > 1
    assert translator.max_input_tokens < translator._count(long)
    (out,) = translator.translate([long])
    assert out


def test_device_selection_on_cpu() -> None:
    import torch

    assert pick_device("cpu") == "cpu"
    mps = getattr(torch.backends, "mps", None)
    expected = ("cuda" if torch.cuda.is_available() else
                "mps" if mps is not None and mps.is_available() else "cpu")
    assert pick_device("auto") == expected
    if not torch.cuda.is_available():
        with pytest.raises(ModelError, match="no CUDA GPU"):
            pick_device("cuda")
    with pytest.raises(ModelError, match="unknown device"):
        pick_device("tpu")


def test_int8_runs_on_cpu(tiny_model: Path) -> None:
    translator = engine(str(tiny_model), "it", "en", Options(int8=True), use_cache=False)
    out = translator.translate(SENTENCES)
    assert len(out) == 4 and out[1] == "" and out[0] == out[3] and out[0]
    # the quantised model itself is checked in test_engines.py


def test_missing_model_fails_fast_offline() -> None:
    t0 = time.perf_counter()
    with pytest.raises(ModelError, match=r"opus-mt-it-en.*aligner models download"):
        resolve(None, "it", "en")
    assert time.perf_counter() - t0 < 10      # no hub retries (those take minutes)
    with pytest.raises(ModelError, match="no MarianMT model is registered for xx-yy"):
        resolve(None, "xx", "yy")


def test_hub_id_found_in_the_hugging_face_cache(tiny_model: Path, tmp_path: Path,
                                                monkeypatch) -> None:
    hub = tmp_path / "hf" / "hub" / "models--Helsinki-NLP--opus-mt-it-en"
    snapshot = hub / "snapshots" / "0123abcd"
    shutil.copytree(tiny_model, snapshot)
    (hub / "refs").mkdir()
    (hub / "refs" / "main").write_text("0123abcd")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    found = resolve(None, "it", "en")
    assert found.name == "Helsinki-NLP/opus-mt-it-en" and found.revision == "0123abcd"
    result = align(IT_003, EN_002)                  # auto: the model loads, so it is used
    assert result.scorer.name == "marian"
    assert result.scorer.model == "Helsinki-NLP/opus-mt-it-en"
    assert result.scorer.detail["revision"] == "0123abcd"


def test_models_dir_download_target_is_used(tiny_model: Path, tmp_path: Path,
                                            monkeypatch) -> None:
    shutil.copytree(tiny_model, tmp_path / "models" / "opus-mt-it-en")
    monkeypatch.setenv("ALIGNER_MODELS_DIR", str(tmp_path / "models"))
    assert resolve(None, "it", "en").path == (tmp_path / "models" / "opus-mt-it-en").resolve()


def test_reverse_model_on_the_machine_scores_both_directions(tiny_model: Path, tmp_path: Path,
                                                              monkeypatch) -> None:
    # The tiny model's vocabulary covers both languages: it can stand in for opus-mt-en-it.
    shutil.copytree(tiny_model, tmp_path / "models" / "opus-mt-it-en")
    monkeypatch.setenv("ALIGNER_MODELS_DIR", str(tmp_path / "models"))
    one = align(IT_003, EN_002, scorer="marian", use_cache=False)
    assert one.scorer.detail["directions"] == ["forward"]
    shutil.copytree(tiny_model, tmp_path / "models" / "opus-mt-en-it")
    both = align(IT_003, EN_002, scorer="marian", use_cache=False)
    assert both.scorer.detail["directions"] == ["forward", "reverse"]
    covered = sorted(i for b in both.beads for i in b.source)
    assert covered == list(range(len(both.source)))


def _foreign_checkpoint(folder: Path) -> Path:
    """A Marian folder made without our helper: one shared SentencePiece model for both sides,
    PyTorch (.bin) weights, no generation config, another shape."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True)
    corpus = folder / "corpus.txt"
    corpus.write_text(IT_003.read_text(encoding="utf-8") + EN_002.read_text(encoding="utf-8"),
                      encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(folder / "spm"),
                                   vocab_size=300, hard_vocab_limit=False, minloglevel=2,
                                   bos_id=-1, eos_id=-1, pad_id=-1)
    proc = spm.SentencePieceProcessor(model_file=str(folder / "spm.model"))
    vocab = {"</s>": 0, "<unk>": 1, "<pad>": 2}
    for i in range(proc.get_piece_size()):
        vocab.setdefault(proc.id_to_piece(i), len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    shutil.copy(folder / "spm.model", folder / "source.spm")
    shutil.copy(folder / "spm.model", folder / "target.spm")
    for f in ("corpus.txt", "spm.model", "spm.vocab"):
        (folder / f).unlink()
    config = MarianConfig(vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1,
                          encoder_attention_heads=4, decoder_attention_heads=4,
                          encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=256,
                          pad_token_id=2, eos_token_id=0, decoder_start_token_id=2)
    torch.manual_seed(1)
    config.save_pretrained(folder)
    torch.save(MarianMTModel(config).state_dict(), folder / "pytorch_model.bin")
    MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"),
                    str(folder / "vocab.json")).save_pretrained(folder)
    (folder / "generation_config.json").unlink(missing_ok=True)
    return folder


def test_checkpoint_made_elsewhere_aligns_through_the_cli(tmp_path: Path) -> None:
    folder = _foreign_checkpoint(tmp_path / "foreign")
    assert (folder / "pytorch_model.bin").exists()
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "aligner", "align", str(IT_003), str(EN_002),
                          "--scorer", "marian", "--model", str(folder), "-f", "json"],
                         capture_output=True, cwd=ROOT, env=env, timeout=300)
    assert out.returncode == 0, out.stderr.decode()
    data = json.loads(out.stdout)
    assert data["scorer"]["name"] == "marian"
    assert data["scorer"]["model_path"] == str(folder.resolve())
    src = sorted(i for b in data["beads"] for i in b["source"])
    tgt = sorted(j for b in data["beads"] for j in b["target"])
    assert src == list(range(len(data["source"]["sentences"])))
    assert tgt == list(range(len(data["target"]["sentences"])))


def test_scorer_marian_without_model_is_one_line_exit_2() -> None:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "aligner", "align", str(IT_003), str(EN_002),
                          "--scorer", "marian"], capture_output=True, cwd=ROOT,
                         env=dict(os.environ), timeout=120)
    assert time.perf_counter() - t0 < 30
    err = out.stderr.decode().strip().splitlines()
    assert out.returncode == 2 and len(err) == 1
    assert "opus-mt-it-en" in err[0] and "aligner models download" in err[0]


def test_translate_command_writes_one_line_per_line(tiny_model: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Prima riga.\n\nTerza riga.\n", encoding="utf-8")
    dest = tmp_path / "out.txt"
    out = subprocess.run([sys.executable, "-m", "aligner", "translate", str(src), "--model",
                          str(tiny_model), "-o", str(dest)], capture_output=True, cwd=ROOT,
                         env=dict(os.environ), timeout=300)
    assert out.returncode == 0, out.stderr.decode()
    lines = dest.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[3] == ""
    assert "translated 3 sentences (0 from the cache)" in out.stderr.decode()


def test_cached_translator_reports_stats(tiny_model: Path, tmp_path: Path) -> None:
    t = CachedTranslator(MarianTranslator(resolve(str(tiny_model), "it", "en")),
                         TranslationCache(tmp_path / "c.sqlite3"), "it-en")
    t.translate(["Uno.", "Due.", "Uno."])
    assert (t.stats.sentences, t.stats.translated, t.stats.cached) == (3, 2, 0)


def test_forced_decoding_cross_entropy_and_adequacy_flags(tiny_model: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    from aligner.data import Bead
    from aligner.diverge import check_all
    from aligner.pipeline import from_sentences

    t = engine(str(tiny_model), "it", "en", use_cache=False)
    values = t.cross_entropy(["Il cloud vola.", "Microsoft si allea con SpaceX."],
                             ["The cloud flies.", "Microsoft teams up with SpaceX."])
    assert len(values) == 2     # equal to the model's own loss: test_engines.py
    # the flag itself, on made-up cross-entropies: one pair far above the others
    src = from_sentences([f"Frase numero {k}." for k in range(6)], "it")
    tgt = from_sentences([f"Sentence number {k}." for k in range(6)], "en")
    beads = [Bead((k,), (k,), 0.9) for k in range(6)]
    adequacy = {0: 2.0, 1: 2.1, 2: 1.9, 3: 2.05, 4: 5.0, 5: 2.0}
    flagged = [b.flags for b in check_all(beads, src, tgt, adequacy_scores=adequacy)]
    assert [f.code for f in flagged[4]] == ["low-adequacy"]
    assert all(not f for k, f in enumerate(flagged) if k != 4)
    # with the model in the pipeline, every aligned bead gets a value and the run succeeds
    result = align(IT_003, EN_002, scorer="marian", model=str(tiny_model), use_cache=False)
    assert result.scorer.name == "marian"
