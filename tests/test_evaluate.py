"""The scorer of ../shared/eval/README.md (Vecalign's rules), on cases worked out by hand."""

from __future__ import annotations

import pytest

from aligner.evaluate import Counts, format_beads, parse_beads, score_document

from .conftest import load_script

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3, 4))]


def test_perfect_prediction() -> None:
    s = score_document(GOLD, GOLD).scores()
    assert s["strict_f1"] == s["lax_f1"] == s["extra_f1"] == 1.0


def test_strict_lax_and_null_beads() -> None:
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (3,)), ((), (4,))]
    s = score_document(GOLD, pred).scores()
    # precision over all 6 predicted beads: 2 strict hits ((0)-(0) and the null (2)).
    assert s["strict_p"] == pytest.approx(2 / 6)
    # lax: (1)-(1) and (3)-(3) overlap gold links; wrong null beads are never lax hits.
    assert s["lax_p"] == pytest.approx(4 / 6)
    # recall over the 3 non-null gold beads: only (0)-(0) exact; lax: all three touched.
    assert s["strict_r"] == pytest.approx(1 / 3)
    assert s["lax_r"] == pytest.approx(1.0)
    # extra content per sentence: gold {t2}; predicted {s2, t2, t4}.
    assert s["extra_p"] == pytest.approx(1 / 3) and s["extra_r"] == 1.0


def test_divergence_scoring() -> None:
    gold_div = [{"bead": 3, "side": "target", "kind": "number"}]
    pred = list(GOLD)
    s = score_document(GOLD, pred, gold_div, pred_divergent=[3, 0]).scores()
    assert s["div_r"] == 1.0 and s["div_p"] == 0.5
    assert s["div_recall_by_kind"] == {"number": 1.0}


def test_counts_pool_over_documents() -> None:
    total = Counts()
    total.add(score_document(GOLD, GOLD))
    total.add(score_document(GOLD, [((0, 1, 2, 3), (0, 1, 2, 3, 4))]))
    s = total.scores()
    assert s["documents"] == 2
    assert s["strict_p"] == pytest.approx(4 / 5)


def test_bead_format_round_trip() -> None:
    assert parse_beads(format_beads(GOLD)) == GOLD


def test_bootstrap_interval_holds_the_value_and_narrows_with_more_documents():
    from aligner.evaluate import bootstrap

    def share(parts):
        return sum(parts) / len(parts)

    few = [1, 0, 1, 1, 0, 1, 0, 1]
    lo, hi = bootstrap(few, share)
    assert lo <= share(few) <= hi and hi - lo > 0.2
    lo2, hi2 = bootstrap(few * 50, share)
    assert lo2 <= share(few) <= hi2 and hi2 - lo2 < (hi - lo) / 3
    assert bootstrap([1, 1, 1], share) == (1.0, 1.0)


def test_paired_bootstrap_tells_a_real_gain_from_noise():
    from aligner.evaluate import paired_bootstrap

    def share(parts):
        return sum(parts) / len(parts)

    before = [0, 1] * 40
    better = [1, 1] * 40                      # every wrong document put right
    gain, p = paired_bootstrap(before, better, share)
    assert gain == 0.5 and p < 0.05
    shuffled = [1, 0] * 40                    # as many right, other documents
    gain, p = paired_bootstrap(before, shuffled, share)
    assert gain == 0.0 and p > 0.3


def test_held_out_is_every_other_document():
    from aligner.evaluate import held_out

    assert [held_out(k) for k in range(4)] == [False, True, False, True]


def test_compare_eval_reads_the_held_out_half_of_two_runs(tmp_path) -> None:
    """scripts/compare_eval.py: a prediction that mends the held-out document's bead shows as
    a gain there; the fitted document's change counts on all documents only."""
    module = load_script("scripts/compare_eval.py")
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("a", "b"):          # a: fitted (index 0), b: held out (index 1)
        (gold / f"{name}.gold").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, b_beads in ((old, "[0, 1]:[0, 1]\n"), (new, "[0]:[0]\n[1]:[1]\n")):
        folder.mkdir()
        (folder / "a.align").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
        (folder / "b.align").write_text(b_beads, encoding="utf-8")
    strict = next(line for line in module.compare(gold, old, new) if "strict_f1" in line)
    assert "held out 0.000 -> 1.000 (+1.000, not better in 0.0% of resamples)" in strict
    assert "all 0.571 -> 1.000" in strict     # P 2/3, R 2/4 before
