"""Shared fixtures: paths of the sample articles and of the optional evaluation data."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
IT_003 = SEEDS / "003_0d1d48a6166cc69a.txt"
EN_002 = SEEDS / "002_7a5f0831c8a7dd75.txt"
IT_004 = SEEDS / "004_4ba90b0ed3cbab0e.txt"
EN_000 = SEEDS / "000_bb00db67a145eeba.txt"
EVAL = ROOT.parent / "shared" / "eval"


def load_script(relative: str) -> ModuleType:
    """A script of the repository (models/, scripts/) imported from its file: they are not
    part of the package."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seeds_alignment():
    from aligner import align

    return align(IT_003, EN_002, scorer="lexical")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A MarianMT folder built by models/build_test_model.py (random weights, real files)."""
    return load_script("models/build_test_model.py").build(tmp_path_factory.mktemp("tiny-marian"),
                                                           "tiny")


@pytest.fixture(autouse=True)
def _isolated_caches(tmp_path, monkeypatch):
    """No test reads or writes the user's caches or reaches the hub."""
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "aligner-cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ALIGNER_MODELS_DIR", str(tmp_path / "no-models"))
