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


def _imports(path: Path) -> set[tuple[str, str]]:
    """(module, name) of every aligner import in a file, at any depth (lazy ones included)."""
    import ast

    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aligner"):
            found |= {(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {(alias.name, "") for alias in node.names
                      if alias.name.startswith("aligner")}
    return found


def _module(path: Path) -> str:
    return "aligner." + path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")


#: The stages after the DP, in the one order data flows through them: each may read those
#: before it, never one after it.
AFTER_DP = {
    "analysis": ("aligner.text",),
    "evidence": ("aligner.diverge.stage", "aligner.diverge.context", "aligner.diverge.numbers",
                 "aligner.diverge.names", "aligner.diverge.placeholders",
                 "aligner.diverge.untranslated", "aligner.diverge.length",
                 "aligner.diverge.negation", "aligner.diverge.extra",
                 "aligner.diverge.adequacy", "aligner.diverge.differences"),
    "decision": ("aligner.diverge.decision",),
    "report": ("aligner.report",),
}


def _stage(module: str) -> int | None:
    for k, prefixes in enumerate(AFTER_DP.values()):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return k
    return None


def test_the_stages_after_the_dp_run_one_way_and_share_no_private_names() -> None:
    backwards, private = [], []
    for path in PACKAGE.rglob("*.py"):
        mine = _module(path)
        for module, name in _imports(path):
            here, there = _stage(mine), _stage(module)
            if here is not None and there is not None and there > here:
                backwards.append(f"{mine} imports {module}")
            if name.startswith("_") and module != mine and not name.startswith("__"):
                private.append(f"{mine} imports {module}.{name}")
    assert not backwards and not private, backwards + private


def test_the_dp_knows_nothing_about_models() -> None:
    imported = {module for module, _ in _imports(PACKAGE / "dp.py")}
    assert not {m for m in imported if m.startswith(("aligner.translate", "aligner.lexicon",
                                                     "aligner.features", "aligner.diverge"))}
