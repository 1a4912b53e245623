"""The one decision: each aligned bead's divergence probability and status, from all evidence."""

from __future__ import annotations

import json

from aligner import align
from aligner.diverge import decision

CONTEXT_IT = ["Il servizio è stato avviato dal sistema all'accensione del computer.",
              "Il registro contiene tutti i messaggi del servizio."]
CONTEXT_EN = ["The service was started by the system when the computer was turned on.",
              "The journal contains all the messages of the service."]


def test_the_shipped_model_weighs_measures_the_code_computes() -> None:
    fitted = decision.model()
    assert fitted is not None
    assert len(fitted.weights) == len(fitted.features) and 0 < fitted.threshold < 1
    assert fitted.features[-1] == "bias" and set(decision.MEASURES) <= set(fitted.features)
    # the evidence that decides by itself is never weighed
    assert not set(decision.HARD) & set(fitted.features)


def test_every_aligned_bead_gets_a_probability_that_orders_them() -> None:
    src = [*CONTEXT_IT, "Il progetto costa 1.500 euro e sarà pronto a giugno.",
           "Il governo ha approvato la legge sul lavoro, che entrerà in vigore dopo il voto "
           "del parlamento e la firma del presidente della repubblica."]
    tgt = [*CONTEXT_EN, "The project costs 2,500 euros and will be ready in June.",
           "The government approved the labour law."]
    result = align(src, tgt, scorer="lexical")
    data = json.loads(result.to_json())
    probs = {tuple(b["source"]): b["divergence"] for b in data["beads"] if b["target"]}
    assert all(0.0 <= p <= 1.0 for p in probs.values())
    faithful = probs[(0,)]
    assert probs[(2,)] > faithful and probs[(3,)] > faithful
    assert all(b["divergence"] == 1.0 for b in data["beads"] if not b["target"])


def test_the_status_follows_the_probability_and_hard_evidence_decides() -> None:
    src = [*CONTEXT_IT, "Il progetto costa 1.500 euro.", "Il treno è partito in ritardo."]
    tgt = [*CONTEXT_EN, "The project costs 2,500 euros.",
           "The train left late because of a long strike by the drivers of the city."]
    model = align(src, tgt, scorer="lexical")                    # calibrated by default
    threshold = decision.model().threshold
    for bead in model.beads:
        if not bead.is_null:
            assert (bead.status == "divergent") == (bead.divergence >= threshold)
    number = next(b for b in model.beads if 2 in b.source)
    assert number.divergence == 1.0 and number.status == "divergent"
    checks = align(src, tgt, scorer="lexical", calibrated=False)
    for bead in checks.beads:                                    # the checks' own rule
        if not bead.is_null:
            assert (bead.status == "divergent") == any(f.severity == "error"
                                                       for f in bead.flags)


def test_a_name_missing_on_both_sides_is_evidence_of_a_swap() -> None:
    # A name swapped for another leaves one missing on each side; a name a free translation
    # left out leaves one missing on one side. The first is the stronger evidence.
    from aligner.data import Bead, Flag
    from aligner.pipeline import from_sentences

    src = from_sentences(["Truly e Holly parlano."], "it")
    tgt = from_sentences(["Holly and Truly talk."], "en")
    one = Bead((0,), (0,), 0.8, flags=(Flag("name-mismatch", "", "error", ("Truly",)),))
    both = Bead((0,), (0,), 0.8, flags=(Flag("name-mismatch", "", "error", ("Truly",),
                                              ("Holly",)),))
    mixed = Bead((0,), (0,), 0.8, flags=(Flag("name-mismatch", "", "error", ("Truly",)),
                                         Flag("foreign-word", "", "error", (), ("Holly",))))
    assert decision.NAME_SWAP in decision.codes_of(mixed)
    assert decision.NAME_SWAP not in decision.codes_of(one)
    fitted = decision.model()
    p_one, p_both = (fitted.probability(decision.evidence(b, src, tgt, 1.0, fitted.features))
                     for b in (one, both))
    assert p_both > p_one


def test_a_check_added_to_the_registry_changes_the_decision(monkeypatch) -> None:
    # A check of the user's own, which the fitted model has no weight for: its error flag
    # decides by itself, calibrated or not; a warning of its own is shown, not weighed.
    from aligner.data import Flag
    from aligner.diverge import stage

    src = [*CONTEXT_IT, "Il treno parte alle otto."]
    tgt = [*CONTEXT_EN, "The train leaves at eight."]
    before = align(src, tgt, scorer="lexical")
    assert all(b.status == "aligned" for b in before.beads)

    def house(pair, ctx):
        return [Flag("house-style", "our own rule", "error")] if "train" in pair.tgt else []

    monkeypatch.setattr(stage, "CHECKS", (*stage.CHECKS, ("house", house)))
    for calibrated in (True, False):
        after = align(src, tgt, scorer="lexical", calibrated=calibrated)
        flagged = [b for b in after.beads if b.status == "divergent"]
        assert [b.source for b in flagged] == [(2,)]
        assert flagged[0].divergence == 1.0

    def note(pair, ctx):
        return [Flag("house-note", "a remark", "warning")]

    monkeypatch.setattr(stage, "CHECKS", (*stage.CHECKS[:-1], ("note", note)))
    noted = align(src, tgt, scorer="lexical")
    assert all(b.status == "aligned" for b in noted.beads)
    assert [b.divergence for b in noted.beads] == [b.divergence for b in before.beads]


def test_an_inline_tag_of_plain_text_is_checked_on_the_default_read_path(tmp_path) -> None:
    # "Premi <b>OK</b> per continuare." / "Press OK to continue.": a file read as plain text
    # keeps its inline tags, and the placeholder check sees the one the translation lost
    it, en = tmp_path / "a.it", tmp_path / "a.en"
    it.write_text("Premi <b>OK</b> per continuare.\n", encoding="utf-8")
    en.write_text("Press OK to continue.\n", encoding="utf-8")
    for presegmented in (False, True):
        result = align(it, en, scorer="lexical", presegmented=presegmented)
        assert result.source.sentences[0].text == "Premi <b>OK</b> per continuare."
        bead = result.beads[0]
        assert bead.status == "divergent" and "placeholder" in [f.code for f in bead.flags]
    page = tmp_path / "a.html"          # an HTML export is read as the text it shows
    page.write_text("<html><body><p>Premi <b>OK</b> per continuare.</p></body></html>",
                    encoding="utf-8")
    assert align(page, en, scorer="lexical").source.sentences[0].text == \
        "Premi OK per continuare."


def test_the_signature_names_the_decision_and_its_files(tmp_path, monkeypatch) -> None:
    from aligner.data import Signature

    calibrated = align(CONTEXT_IT, CONTEXT_EN, scorer="lexical").signature
    checks = align(CONTEXT_IT, CONTEXT_EN, scorer="lexical", calibrated=False).signature
    assert calibrated.decision.startswith("calibrated@") and checks.decision.startswith("checks@")
    assert calibrated.decision.split("@")[1] == checks.decision.split("@")[1]
    assert Signature.parse(calibrated.text()) == calibrated
    # another model file is another digest
    other = tmp_path / "model.json"
    other.write_text(decision.MODEL.read_text(encoding="utf-8").replace("0.", "0.0", 1),
                     encoding="utf-8")
    monkeypatch.setattr(decision, "MODEL", other)
    decision.files_digest.cache_clear()
    try:
        assert decision.files_digest() != calibrated.decision.split("@")[1]
    finally:
        decision.files_digest.cache_clear()


def test_moving_a_check_threshold_warns_that_the_model_no_longer_fits(caplog) -> None:
    import logging

    from aligner.diverge import Thresholds

    with caplog.at_level(logging.WARNING, logger="aligner"):
        align(CONTEXT_IT, CONTEXT_EN, scorer="lexical",
              thresholds=Thresholds.parse(["length_ratio=0.7"]))
    assert "length_ratio=0.7" in caplog.text and "no longer calibrated" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="aligner"):
        align(CONTEXT_IT, CONTEXT_EN, scorer="lexical", calibrated=False,
              thresholds=Thresholds.parse(["length_ratio=0.7"]))
    assert "no longer calibrated" not in caplog.text
    assert all(Thresholds.describe()[name] for name in Thresholds.describe())
