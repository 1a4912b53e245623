"""The house's rules: stages in their rooms, a registry of checks, named feature kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.data import Bead, Document, Flag, Sentence
from aligner.diverge import decision, stage
from aligner.diverge.context import Context, Pair
from aligner.features import sentence_features
from aligner.kinds import Kind

PACKAGE = Path(__file__).resolve().parent.parent / "aligner"


def test_no_module_is_a_maze() -> None:
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert sizes and not {name: n for name, n in sizes.items() if n > 420}


def test_each_feature_has_a_named_kind() -> None:
    feats = sentence_features("Il 21 ottobre Mario ha pagato 1.500 euro", "it", "en")
    kinds = {Kind.of(f) for f in feats}
    assert {Kind.NUMBER, Kind.MONTH, Kind.NAME, Kind.WORD, Kind.GLOSS, None} <= kinds
    assert Kind.NUMBER + "1500" in feats and Kind.of("<pag") is None
    assert f"{Kind.ASSOCIATION}3" == "%3"


def _doc(text: str, lang: str) -> Document:
    return Document(lang=lang, sentences=(Sentence(text, 0, 0, len(text)),), text=text)


def test_the_stage_runs_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    src, tgt = _doc("Il treno parte alle otto.", "it"), _doc("The train leaves at eight.", "en")
    bead = Bead(source=(0,), target=(0,), score=0.9)
    assert stage.check(bead, src, tgt).flags == ()
    seen: list[Pair] = []

    def always(pair: Pair, ctx: Context) -> list[Flag]:
        seen.append(pair)
        return [Flag("house-rule", "a check of our own", "error")]

    monkeypatch.setattr(stage, "CHECKS", (*stage.CHECKS, ("house", always)))
    checked = stage.check(bead, src, tgt)
    assert [f.code for f in checked.flags] == ["house-rule"] and checked.status == "aligned"
    decided = decision.decide([checked], src, tgt)       # the decision sets the status
    assert decided[0].status == "divergent" and decided[0].divergence == 1.0
    assert seen == [Pair("Il treno parte alle otto.", "The train leaves at eight.", "it", "en")]


@pytest.mark.parametrize(("src", "tgt", "fires"), [
    ("Costa 1.500 euro.", "It costs 2,500 euros.", "number"),
    ("Premi {tasto} per continuare.", "Press to continue.", "placeholder"),
    ("Il treno parte alle otto e arriva a Roma nel pomeriggio con i passeggeri.",
     "Il treno parte alle otto e arriva a Roma nel pomeriggio con i passeggeri.",
     "untranslated"),
])
def test_each_check_answers_for_its_own_kind(src: str, tgt: str, fires: str) -> None:
    pair, ctx = Pair(src, tgt, "it", "en"), Context()
    fired = {name for name, run in stage.CHECKS if run(pair, ctx)}
    assert fired == {fires}
