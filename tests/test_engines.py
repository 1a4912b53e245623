"""The engine interface: a fake engine drives an alignment; cache keys hold exactly what changes
an output; CTranslate2 behind the same interface gives torch's greedy outputs."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from aligner import align
from aligner.errors import ModelError
from aligner.translate import MarianTranslator, Options, engine, marian
from aligner.translate.registry import resolve

from .conftest import ROOT, load_script

SENTENCES = ["Il cloud vola nello spazio.", "Microsoft si allea con SpaceX.",
             "La partnership include altre società."]


class FakeEngine:
    """Translates by a dictionary of whole sentences; counts what it was asked."""

    engine = "fake"
    key = "fake@1"
    load_seconds = 0.0
    progress = False

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.asked: list[str] = []

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.asked += list(sentences)
        return [self.table.get(s, "") for s in sentences]

    def cross_entropy(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        return [0.5 if self.table.get(s) == t else 4.0 for s, t in zip(sources, targets,
                                                                       strict=True)]

    def describe(self) -> dict[str, Any]:
        return {"engine": "fake", "name": "fake-it-en", "revision": "1", "path": "-",
                "device": "cpu", "precision": "none"}


def test_a_fake_engine_drives_a_whole_alignment() -> None:
    src = ["Il gatto dorme sul divano.", "Oggi piove su Roma.", "Domani ci sarà il sole.",
           "Il treno parte alle otto."]
    tgt = ["The cat sleeps on the sofa.", "Tomorrow there will be sun.",
           "The train leaves at eight."]
    fake = FakeEngine({src[0]: tgt[0], src[2]: tgt[1], src[3]: tgt[2],
                       src[1]: "Today it is raining on Rome."})
    result = align(src, tgt, scorer="marian", engine=fake)
    assert sorted(fake.asked) == sorted(src)              # every source sentence, once
    pairs = [(b.source, b.target) for b in result.beads]
    assert pairs == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    assert result.scorer.name == "marian" and result.scorer.detail["engine"] == "fake"
    assert result.scorer.model == "fake-it-en"
    assert result.signature.model == "fake-it-en@1"


def test_the_engines_translations_reach_the_word_level_evidence() -> None:
    # "squisita" / "mouthwatering" is a pair neither the lexicon nor the dictionary knows;
    # the engine's translation has the word, so the target's "mouthwatering" is no difference
    src, tgt = ["Abbiamo mangiato una pizza squisita."], ["We ate a mouthwatering pizza."]
    fake = FakeEngine({src[0]: "We ate a mouthwatering pizza."})
    result = align(src, tgt, scorer="marian", engine=fake)
    alone = align(src, tgt, scorer="lexical")

    def target_words(r) -> list[str]:
        return [r.target.text[x.start:x.end] for bead in r.beads
                for x in bead.target_differences if x.kind.value == "no-counterpart"]

    assert "mouthwatering" in target_words(alone) and "mouthwatering" not in target_words(result)


def test_output_changing_options_change_the_key(tiny_model: Path, monkeypatch) -> None:
    resolved = resolve(str(tiny_model), "it", "en")
    base = MarianTranslator(resolved, Options()).key
    changed = {
        "beams": Options(beams=4), "fp32": Options(int8=False),
        "input limit": Options(max_input_tokens=32), "device": Options(device="cuda"),
    }
    keys = {name: MarianTranslator(resolved, opts).key for name, opts in changed.items()}
    assert base not in keys.values() and len(set(keys.values())) == len(keys)
    assert "|int8|" in base and "|fp32|" in keys["fp32"]     # int8 is the CPU default
    assert MarianTranslator(resolved, Options(int8=True)).key == base
    # display only and how sentences are batched: the same outputs, the same key
    for opts in (Options(progress=True), Options(batch_size=4)):
        assert MarianTranslator(resolved, opts).key == base
    # --int8 means nothing on CUDA (fp16 there): the key says fp16 with or without it
    monkeypatch.setattr(marian, "expected_device", lambda requested: "cuda")
    assert (MarianTranslator(resolved, Options(int8=True)).key
            == MarianTranslator(resolved, Options(int8=False)).key)
    assert "|fp16|" in MarianTranslator(resolved, Options(int8=True)).key


def test_a_display_option_does_not_reload_the_model(tiny_model: Path) -> None:
    quiet = engine(str(tiny_model), "it", "en", Options(), use_cache=False)
    quiet.translate(SENTENCES[:1])
    model = quiet.inner._model
    loud = engine(str(tiny_model), "it", "en", Options(progress=True), use_cache=False)
    assert loud is quiet and loud.inner._model is model and loud.inner.progress is True


def test_cross_entropy_is_the_models_own_loss(tiny_model: Path) -> None:
    import torch

    t = MarianTranslator(resolve(str(tiny_model), "it", "en"), Options(int8=False))
    sources, targets = SENTENCES[:2], ["The cloud flies into space.", "Microsoft teams up."]
    ours = t.cross_entropy(sources, targets)
    for s, tg, value in zip(sources, targets, ours, strict=True):
        enc = t._tokenizer([s], text_target=[tg], return_tensors="pt")
        with torch.no_grad():
            loss = t._model(**enc).loss.item()          # mean NLL per target token
        assert value == pytest.approx(loss, rel=1e-4)


def test_int8_quantises_the_linear_layers(tiny_model: Path) -> None:
    import torch

    t = MarianTranslator(resolve(str(tiny_model), "it", "en"), Options(int8=True))
    t.load()
    kinds = {type(m) for m in t._model.modules()}
    assert torch.ao.nn.quantized.dynamic.Linear in kinds
    assert torch.nn.Linear not in kinds - {torch.ao.nn.quantized.dynamic.Linear}


needs_ct2 = pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None,
                               reason="ctranslate2 not installed (pip install 'aligner[ct2]')")


@pytest.fixture(scope="module")
def stopping_model(tmp_path_factory) -> Path:
    """A tiny checkpoint that ends its sentences (an end-of-sentence bias), so that neither
    engine stops at the output limit, where only torch forces an end token."""
    build = load_script("models/build_test_model.py").build
    return build(tmp_path_factory.mktemp("stopping") / "m", "tiny", seed=3, eos_bias=0.3)


@needs_ct2
def test_ct2_float32_gives_torch_greedy_outputs(stopping_model: Path) -> None:
    from aligner.translate import ct2

    resolved = resolve(str(stopping_model), "it", "en")
    folder = ct2.convert(resolved, quantization=None)      # float32 weights, as torch's
    assert folder == Path(f"{stopping_model}-ct2") and ct2.converted_folder(resolved) == folder
    texts = [*SENTENCES, "", "Un'antenna per ricevere comunicazioni dallo spazio (Getty Images)."]
    torch_out = MarianTranslator(resolved).translate(texts)
    ct2_float = ct2.CT2Translator(folder, Options(compute_type="float32"))
    assert ct2_float.translate(texts) == torch_out
    assert any(torch_out) and torch_out[3] == ""
    ce_torch = MarianTranslator(resolved).cross_entropy(SENTENCES, SENTENCES)
    ce_ct2 = ct2_float.cross_entropy(SENTENCES, SENTENCES)
    assert ce_ct2 == pytest.approx(ce_torch, rel=1e-3)


@needs_ct2
def test_auto_picks_the_conversion_int8_on_cpu(tiny_model: Path, tmp_path: Path) -> None:
    import shutil

    from aligner.translate import ct2

    folder = tmp_path / "m"
    shutil.copytree(tiny_model, folder)
    before = engine(str(folder), "it", "en", Options(), use_cache=False)
    assert before.inner.engine == "torch"
    with pytest.raises(ModelError, match="aligner models convert"):
        engine(str(folder), "it", "en", Options(engine="ct2"), use_cache=False)
    ct2.convert(resolve(str(folder), "it", "en"))
    engine.cache_clear()
    auto = engine(str(folder), "it", "en", Options(), use_cache=False)
    assert auto.inner.engine == "ct2" and auto.describe()["precision"] == "int8"
    out = auto.translate(SENTENCES)
    assert len(out) == 3 and all(out)
    assert "|ct2|int8>int8|" in auto.key and auto.key != before.key
    forced = engine(str(folder), "it", "en", replace(Options(), engine="torch"),
                    use_cache=False)
    assert forced.inner.engine == "torch"
    result = align(ROOT / "seeds" / "003_0d1d48a6166cc69a.txt",
                   ROOT / "seeds" / "002_7a5f0831c8a7dd75.txt", scorer="marian",
                   model=str(folder), use_cache=False)
    assert result.scorer.detail["engine"] == "ct2"
