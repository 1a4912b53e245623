"""The version names one set of shipped models, and the CHANGELOG says what it changed."""

from __future__ import annotations

from aligner._version import MODELS_DIGEST, __version__

from .conftest import ROOT, load_script


def test_a_change_of_the_shipped_models_changes_the_version() -> None:
    assert load_script("scripts/models_digest.py").digest() == MODELS_DIGEST, (
        "the shipped models changed: bump __version__ in aligner/_version.py, add a "
        "CHANGELOG.md entry, then run python scripts/models_digest.py --write")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {__version__}\n" in changelog
