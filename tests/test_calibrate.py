"""The calibrated divergence probability: on every aligned bead, higher where the sides differ."""

from __future__ import annotations

import json

from aligner import align
from aligner.diverge import calibrate

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
    assert all(b["divergence"] == 1.0 for b in data["beads"] if not b["target"])


def test_the_status_follows_the_probability_and_hard_evidence_decides() -> None:
    src = [*CONTEXT_IT, "Il progetto costa 1.500 euro.", "Il treno è partito in ritardo."]
    tgt = [*CONTEXT_EN, "The project costs 2,500 euros.",
           "The train left late because of a long strike by the drivers of the city."]
    model = align(src, tgt, scorer="lexical")                    # calibrated by default
    _, threshold = calibrate.model()
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
    assert calibrate.evidence(mixed, src, tgt, 1.0)[calibrate.FEATURES.index("name_both")] == 1
    x_one = calibrate.evidence(one, src, tgt, 1.0)
    x_both = calibrate.evidence(both, src, tgt, 1.0)
    k = calibrate.FEATURES.index("name_both")
    assert x_one[k] == 0.0 and x_both[k] == 1.0
    weights, _ = calibrate.model()
    assert calibrate.probability(x_both, weights) > calibrate.probability(x_one, weights)
