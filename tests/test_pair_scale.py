"""Document pairing at scale: candidates by a matrix product, one-to-one assignment, labels."""

from __future__ import annotations

import random
from pathlib import Path

from aligner import pair as pairing
from aligner.lexicon import for_pair
from aligner.pipeline import from_sentences

from .conftest import SEEDS

IT = ["Il treno per Bologna parte alle {0}.", "Il museo apre {0} giorni alla settimana.",
      "La biblioteca ha comprato {0} libri nuovi.", "Al concerto c'erano {0} persone."]
EN = ["The train to Bologna leaves at {0}.", "The museum opens {0} days a week.",
      "The library bought {0} new books.", "There were {0} people at the concert."]


def _collection(n: int) -> tuple[list, list]:
    """n Italian and n English documents of three sentences, document k translating k and
    sharing its sentence patterns with every other one (only the numbers and the order tell
    them apart)."""
    rng = random.Random(0)
    src, tgt = [], []
    for _ in range(n):
        picks = [(rng.randrange(4), rng.randrange(1, 10_000)) for _ in range(3)]
        src.append(from_sentences([IT[i].format(v) for i, v in picks], "it"))
        tgt.append(from_sentences([EN[i].format(v) for i, v in picks], "en"))
    return src, tgt


def test_the_true_counterpart_is_among_the_top_candidates() -> None:
    src, tgt = _collection(300)
    order = list(range(300))
    random.Random(1).shuffle(order)
    shuffled = [tgt[k] for k in order]
    ranked = pairing.candidates(src, shuffled, for_pair("it", "en", None))
    kept = {(s, order[t]) for _, s, t in ranked}
    assert all((k, k) in kept for k in range(300))
    assert len(ranked) <= 2 * pairing.TOP_K * 300            # never all the pairs


def test_no_document_is_claimed_twice(tmp_path: Path) -> None:
    """Two Italian copies of one story (not identical) and one English translation: one pair,
    the other copy unmatched."""
    text = (SEEDS / "003_0d1d48a6166cc69a.txt").read_text("utf-8")
    (tmp_path / "a.txt").write_text(text, "utf-8")
    (tmp_path / "b.txt").write_text(text.replace("Bologna", "Bologna, oggi,", 1), "utf-8")
    (tmp_path / "c.txt").write_text((SEEDS / "002_7a5f0831c8a7dd75.txt").read_text("utf-8"),
                                    "utf-8")
    found = pairing.pair([tmp_path])
    paired = [p for p in found if p.source and p.target]
    assert len(paired) == 1 and paired[0].target.endswith("c.txt")
    assert sum(p.label == "unmatched" for p in found) == 1


def test_every_file_is_listed_with_its_reason(tmp_path: Path) -> None:
    for name in ("003_0d1d48a6166cc69a.txt", "002_7a5f0831c8a7dd75.txt"):
        (tmp_path / name).write_text((SEEDS / name).read_text("utf-8"), "utf-8")
    (tmp_path / "copy.txt").write_text((SEEDS / "002_7a5f0831c8a7dd75.txt").read_text("utf-8"),
                                       "utf-8")
    (tmp_path / "empty.txt").write_text("  \n", "utf-8")
    (tmp_path / "de.txt").write_text("Der Hund und die Katze sind nicht im Haus, aber er hat es "
                                     "mit ihr auf dem Dach gesehen, und sie war sehr froh.\n",
                                     "utf-8")
    found = {Path(p.path).name: p for p in pairing.pair([tmp_path])}
    assert set(found) == {"003_0d1d48a6166cc69a.txt", "copy.txt", "empty.txt", "de.txt"}
    assert found["003_0d1d48a6166cc69a.txt"].label == "translation"
    assert "the same text as" in found["copy.txt"].reason
    assert "unreadable" in found["empty.txt"].reason
    assert "written in de" in found["de.txt"].reason


def test_unrelated_documents_stay_unmatched(tmp_path: Path) -> None:
    (tmp_path / "it.txt").write_text((SEEDS / "003_0d1d48a6166cc69a.txt").read_text("utf-8"),
                                     "utf-8")
    (tmp_path / "en.txt").write_text(
        "The committee approved the new budget for the city's schools on Tuesday. Teachers "
        "will receive a raise next year, and three new buildings are planned. The mayor said "
        "the plan was the largest investment in education in a decade.\n", "utf-8")
    found = pairing.pair([tmp_path])
    assert [p.label for p in found] == ["unmatched", "unmatched"]


def test_a_phrase_book_page_is_read_as_its_language() -> None:
    """Ten short questions: their function words can look Portuguese to the identifier, their
    vocabulary cannot."""
    text = ("Posso fare qualsiasi cosa? Posso bere alcool? Posso mangiare il mio pranzo qui? "
            "Posso prenderti qualcosa? Posso tornare indietro ora?")
    lang, known = pairing.by_vocabulary(text, for_pair("it", "en", None))
    assert lang == "it" and known >= pairing.VOCABULARY_SURE
