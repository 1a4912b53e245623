"""The calibrated divergence probability: on every aligned bead, higher where the sides differ."""

from __future__ import annotations

import json

from aligner import align, calibrate

CONTEXT_IT = ["Il servizio è stato avviato dal sistema all'accensione del computer.",
              "Il registro contiene tutti i messaggi del servizio."]
CONTEXT_EN = ["The service was started by the system when the computer was turned on.",
              "The journal contains all the messages of the service."]


def test_the_shipped_model_matches_the_features() -> None:
    fitted = calibrate.model()
    assert fitted is not None
    weights, threshold = fitted
    assert len(weights) == len(calibrate.FEATURES) and 0 < threshold < 1


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
    assert all("divergence" not in b for b in data["beads"] if not b["target"])


def test_calibrated_decision_follows_the_threshold() -> None:
    src = [*CONTEXT_IT, "Il progetto costa 1.500 euro."]
    tgt = [*CONTEXT_EN, "The project costs 2,500 euros."]
    checks = align(src, tgt, scorer="lexical")
    model = align(src, tgt, scorer="lexical", calibrated=True)
    _, threshold = calibrate.model()
    for bead in model.beads:
        if bead.divergence is not None:
            assert (bead.status == "divergent") == (bead.divergence >= threshold)
    # the checks' own decision is the default: a changed number is divergent
    assert any(b.status == "divergent" for b in checks.beads)
