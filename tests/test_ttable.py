"""Learned lexicons: EM recovers a dictionary, files round-trip, bad files fail in one line."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from aligner import InputError, align, lexicon

from .test_cli import run

# A toy language pair: each source word has one translation; words share no letters with their
# translations, so only co-occurrence can teach them.
TOY = {"blorf": "zug", "mip": "kwat", "trel": "yoss", "vandu": "pez", "gorm": "hix",
       "slee": "fub", "narp": "cojo", "quim": "dabe"}


def toy_corpus(n: int = 300, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = sorted(TOY)
    pairs = []
    for _ in range(n):
        chosen = rng.sample(words, rng.randint(2, 4))
        target = [TOY[w] for w in chosen]
        rng.shuffle(target)
        pairs.append((" ".join(chosen), " ".join(target)))
    return pairs


@pytest.fixture(scope="module")
def toy() -> lexicon.Lexicon:
    return lexicon.train(toy_corpus(), "xa", "xb", source="toy")


def test_em_recovers_the_dictionary_both_ways(toy: lexicon.Lexicon) -> None:
    for word, translation in TOY.items():
        best, p = toy.forward[word][0]
        assert best == translation and p > 0.5, (word, toy.forward[word])
        back, q = toy.backward[translation][0]
        assert back == word and q > 0.5


def test_plain_model1_also_recovers_it() -> None:
    lex = lexicon.train(toy_corpus(), "xa", "xb", lexicon.Settings(diagonal=0.0))
    assert all(lex.forward[w][0][0] == t for w, t in TOY.items())


def test_training_is_deterministic_and_round_trips(tmp_path: Path, toy: lexicon.Lexicon) -> None:
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    lexicon.save(toy, first)
    lexicon.save(lexicon.train(toy_corpus(), "xa", "xb", source="toy"), second)
    assert first.read_bytes() == second.read_bytes()
    loaded = lexicon.load(first)
    assert loaded.forward == toy.forward and loaded.backward == toy.backward
    assert loaded.src_counts == toy.src_counts
    assert (loaded.src, loaded.tgt, loaded.kind) == ("xa", "xb", "learned")
    assert "iterations=6" in loaded.meta["settings"]
    lexicon.save(loaded, second)
    assert first.read_bytes() == second.read_bytes()


def test_tokens_fold_case_accents_and_cut_to_a_prefix() -> None:
    assert lexicon.tokens("Città FERITE, 12 ferito") == ["citta", "ferit", "ferit"]


def test_dictionary_prior_decides_for_unseen_words(toy: lexicon.Lexicon) -> None:
    prior = lexicon.dictionary([("blorf", "zug"), ("wibble", "grunt"), ("wibble", "snort"),
                               ("wibble", "grunt")], "xa", "xb")
    merged = lexicon.merge(toy, [prior])
    assert merged.forward["wibbl"][0] == ("grunt", pytest.approx(2 / 3, abs=1e-3))
    assert merged.forward["blorf"][0][0] == "zug"           # the corpus still decides here
    assert merged.backward["grunt"][0][0] == "wibbl"


@pytest.mark.parametrize("content, message", [
    (b"not gzip at all", "not an aligner lexicon"),
    (gzip.compress(b"# format: something-else\n"), "expected '# format"),
    (gzip.compress(b"# format: aligner-lexicon/1\n# src: it\n# tgt: en\ns2t\tgatto\n"),
     "malformed lexicon line"),
    (gzip.compress(b"# format: aligner-lexicon/1\n# src: it\n# tgt: en\n"
                   b"s2t\tgatto\tcat\tlots\t3\n"), "malformed lexicon line"),
    (gzip.compress(b"# format: aligner-lexicon/1\n"), "no src/tgt"),
])
def test_malformed_files_are_input_errors(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message):
        lexicon.load(bad)


def test_a_lexicon_for_another_pair_is_refused(tmp_path: Path, toy: lexicon.Lexicon) -> None:
    path = tmp_path / "toy.tsv.gz"
    lexicon.save(toy, path)
    with pytest.raises(InputError, match="for xa-xb, not it-en"):
        align(["a b c"], ["d e f"], src_lang="it", tgt_lang="en", scorer="lexical",
              lexicon=path)
    # the other direction is the same lexicon reversed
    assert lexicon.for_pair("xb", "xa", path).forward["zug"][0][0] == "blorf"


def test_the_shipped_lexicon_serves_italian_english() -> None:
    lex = lexicon.for_pair("it_IT", "en")
    assert lex is not None and lex.forward["gatto"][0][0] == "cat"
    assert lexicon.for_pair("en", "it").forward["cat"][0][0] == "gatto"


def _toy_documents() -> tuple[list[str], list[str]]:
    # Source sentence 2 has no counterpart; the sentences are of equal length, so that only
    # the lexicon can tell which one is missing.
    src = ["blorf mip trel", "vandu gorm slee", "narp quim blorf", "mip trel gorm"]
    tgt = [" ".join(TOY[w] for w in s.split()) for s in src]
    del tgt[1]
    return src, tgt


def test_library_lexicon_changes_the_alignment(toy: lexicon.Lexicon) -> None:
    src, tgt = _toy_documents()
    result = align(src, tgt, src_lang="xa", tgt_lang="xb", scorer="lexical", lexicon=toy)
    pairs = [(b.source, b.target) for b in result.beads]
    assert ((0,), (0,)) in pairs and ((2,), (1,)) in pairs and ((3,), (2,)) in pairs
    assert ((1,), ()) in pairs
    assert "xa-xb learned" in result.scorer.detail["lexicon"]


def test_cli_train_then_align_with_it(tmp_path: Path) -> None:
    src_file, tgt_file = tmp_path / "c.xa", tmp_path / "c.xb"
    corpus = toy_corpus()
    src_file.write_text("\n".join(a for a, _ in corpus) + "\n", encoding="utf-8")
    tgt_file.write_text("\n".join(b for _, b in corpus) + "\n", encoding="utf-8")
    lex_file = tmp_path / "toy.tsv.gz"
    out = run("lexicon", "train", str(src_file), str(tgt_file), "--src-lang", "xa",
              "--tgt-lang", "xb", "-o", str(lex_file))
    assert out.returncode == 0, out.stderr
    assert lexicon.load(lex_file).forward["blorf"][0][0] == "zug"
    doc_s, doc_t = tmp_path / "d.xa", tmp_path / "d.xb"
    src, tgt = _toy_documents()
    doc_s.write_text("\n".join(src) + "\n", encoding="utf-8")
    doc_t.write_text("\n".join(tgt) + "\n", encoding="utf-8")
    out = run("align", str(doc_s), str(doc_t), "--src-lang", "xa", "--tgt-lang", "xb",
              "--presegmented", "--scorer", "lexical", "--lexicon", str(lex_file), "-f", "tsv")
    assert out.returncode == 0, out.stderr
    rows = [line.split("\t") for line in out.stdout.decode().splitlines()[1:]]
    assert [(r[1], r[2]) for r in rows] == [("0", "0"), ("1", ""), ("2", "1"), ("3", "2")]


def test_cli_train_from_tmx(tmp_path: Path) -> None:
    units = "".join(f'<tu><tuv xml:lang="xa-XA"><seg>{a}</seg></tuv>'
                    f'<tuv xml:lang="xb"><seg>{b}</seg></tuv></tu>' for a, b in toy_corpus())
    memory = tmp_path / "memory.tmx"
    memory.write_text(f'<?xml version="1.0"?><tmx version="1.4"><header/><body>{units}'
                      '</body></tmx>', encoding="utf-8")
    lex_file = tmp_path / "tmx.tsv.gz"
    out = run("lexicon", "train", "--tmx", str(memory), "--src-lang", "xa", "--tgt-lang", "xb",
              "-o", str(lex_file))
    assert out.returncode == 0, out.stderr
    assert lexicon.load(lex_file).forward["mip"][0][0] == "kwat"


@pytest.mark.parametrize("args, message", [
    (["lexicon", "train", "README.md"], "give both SRC_FILE and TGT_FILE"),
    (["lexicon", "train", "README.md", "Makefile"], "line-aligned"),
    (["lexicon", "train", "--tmx", "README.md"], "not a TMX file"),
    (["align", "seeds/003_0d1d48a6166cc69a.txt", "seeds/002_7a5f0831c8a7dd75.txt",
      "--scorer", "lexical", "--lexicon", "README.md"], "not an aligner lexicon"),
    (["align", "seeds/003_0d1d48a6166cc69a.txt", "seeds/002_7a5f0831c8a7dd75.txt",
      "--scorer", "lexical", "--lexicon", "models/lexicons/de-fr.tsv.gz"], "not it-en"),
])
def test_cli_bad_lexicon_input_is_one_line_exit_2(args: list[str], message: str) -> None:
    out = run(*args)
    err = out.stderr.decode().strip()
    assert out.returncode == 2, err
    assert message in err and len(err.splitlines()) == 1, err


def test_a_compiled_copy_speeds_the_next_load_and_is_tied_to_the_file(tmp_path: Path,
                                                                       toy: lexicon.Lexicon
                                                                       ) -> None:
    path = tmp_path / "toy.tsv.gz"
    lexicon.save(toy, path)
    first = lexicon.load(path)
    compiled = list((tmp_path / "aligner-cache").rglob("*.marshal"))
    assert len(compiled) == 1
    again = lexicon.load(path)
    assert (again.forward, again.backward, again.meta) == (first.forward, first.backward,
                                                           first.meta)
    compiled[0].write_bytes(b"garbage")                   # a damaged copy is ignored
    assert lexicon.load(path).forward == toy.forward
    other = lexicon.train(toy_corpus(seed=9), "xa", "xb")   # another file: another copy
    lexicon.save(other, path)
    assert lexicon.load(path).revision() != first.revision()
