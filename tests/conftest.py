"""Shared fixtures: paths of the sample articles and of the optional evaluation data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
IT_003 = SEEDS / "003_0d1d48a6166cc69a.txt"
EN_002 = SEEDS / "002_7a5f0831c8a7dd75.txt"
IT_004 = SEEDS / "004_4ba90b0ed3cbab0e.txt"
EN_000 = SEEDS / "000_bb00db67a145eeba.txt"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def seeds_alignment():
    from aligner import align

    return align(IT_003, EN_002, scorer="lexical")
