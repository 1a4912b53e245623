"""The fitted logistic models of the divergence stage, read from and written to JSON.

``calibrate`` (one bead's divergence probability) and ``differences`` (a word's probability of
lying in a differing passage) each ship one: ``{"features": [...], "weights": [...], ...}``,
fitted by ``make fit``. A file whose features are not the ones the code computes is ignored,
so that a stale model never weighs the wrong evidence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def read(path: Path, features: Sequence[str] | None
         ) -> tuple[tuple[float, ...], dict[str, Any]] | None:
    """(weights, the whole file) of the model at ``path``, or None when it is missing,
    unreadable or fitted on other features than ``features`` (None: whatever it names)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if features is not None and tuple(data.get("features", ())) != tuple(features):
        return None
    return tuple(float(w) for w in data["weights"]), data


def write(path: Path, features: Sequence[str], weights: Sequence[float], **extra: Any) -> None:
    """Save a fitted model (weights rounded to 6 places) with its settings ``extra``."""
    path.write_text(json.dumps({"features": list(features),
                                "weights": [round(float(v), 6) for v in weights], **extra},
                               indent=2) + "\n", encoding="utf-8")


def probability(x: Sequence[float], weights: Sequence[float]) -> float:
    """The logistic of the weighted evidence (clipped, so that no input overflows)."""
    z = sum(a * b for a, b in zip(x, weights, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
