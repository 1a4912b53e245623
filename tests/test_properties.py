"""Property tests (hypothesis): the output is always a monotonic partition of both sides,
deterministic, and a text aligned with itself gives 1-1 beads; reader and segmenter never crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner import align
from aligner.errors import InputError
from aligner.text.read import decode
from aligner.text.segment import segment

WORDS = ["il", "cloud", "Microsoft", "satelliti", "1.500", "3,5", "spazio", "the", "space",
         "orbita", "Amazon", "2021", "vola", "nuovo", "accordo", "Elon", "Musk", "è", "«sì»"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(
    lambda ws: " ".join(ws) + ".")
sentences = st.lists(sentence, min_size=0, max_size=25)
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _partition(result) -> None:
    src = [i for b in result.beads for i in b.source]
    tgt = [j for b in result.beads for j in b.target]
    assert src == list(range(len(result.source)))
    assert tgt == list(range(len(result.target)))
    assert all(b.source or b.target for b in result.beads)
    assert all(0.0 <= b.score <= 1.0 for b in result.beads)


@FAST
@given(sentences, sentences)
def test_any_two_lists_partition(a: list[str], b: list[str]) -> None:
    _partition(align(a, b, scorer="lexical"))


@FAST
@given(sentences, st.integers(1, 6))
def test_one_side_much_longer_and_repeated(a: list[str], times: int) -> None:
    _partition(align(a, a * times, scorer="lexical"))
    _partition(align(a * times, a[:1], scorer="lexical"))


@FAST
@given(sentences)
def test_deterministic(a: list[str]) -> None:
    b = list(reversed(a))
    first = align(a, b, scorer="lexical")
    second = align(a, b, scorer="lexical")
    assert [(x.source, x.target, x.score) for x in first.beads] == [
        (x.source, x.target, x.score) for x in second.beads]


@FAST
@given(st.lists(sentence, min_size=1, max_size=25, unique=True))
def test_text_aligned_with_itself_is_all_one_to_one(a: list[str]) -> None:
    result = align(a, a, scorer="lexical", src_lang="it", tgt_lang="it")
    assert [(b.source, b.target) for b in result.beads] == [((i,), (i,)) for i in range(len(a))]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_reader_never_crashes(data: bytes) -> None:
    try:
        text = decode(data)
    except InputError:
        return
    assert isinstance(text, str) and "\r" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_segmenter_never_crashes_and_offsets_hold(text: str) -> None:
    for lang in ("it", "en"):
        doc = segment(text, lang)
        for s in doc.sentences:
            assert s.text and doc.text[s.start:s.end].split() == s.text.split()
