"""Every shipped weight is written by `make fit`: the fits reproduce what ships.

The scorer's weights live in aligner/score_params.json, the decision model and the word model in
aligner/diverge/*.json; scripts/fit*.py write them. Each fit is deterministic, so rerunning it
on the dev data (../shared/eval, beside the repository) must give back the shipped file: a
pasted or hand-edited weight, or evidence that changed without `make fit`, fails here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aligner import score
from tests.conftest import EVAL

ROOT = Path(__file__).resolve().parents[1]
needs_eval = pytest.mark.skipif(not (EVAL / "ntrex-dev").is_dir(),
                                reason="the dev data (../shared/eval) is not beside the repository")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args, "--eval-dir", str(EVAL)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_the_scorer_reads_its_weights_from_the_file_fit_writes(tmp_path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import fit
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    path = tmp_path / "params.json"
    path.write_text(score.PARAMS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    changed = score.ScoreParams(threshold=0.05, unshared_weight=0.7)
    fit.write_params("learned", changed, "a test", path)
    assert score.read_params(path)["learned"] == changed
    assert score.read_params(path)["translation"] == score.TRANSLATION   # the others kept
    assert score.read_params()["learned"] == score.LEARNED
    assert score.FITTED_FOR[("de", "fr")] == score.read_params()["learned-de-fr"]


@needs_eval
@pytest.mark.parametrize("args", [
    ("scripts/fit.py", "--check", "learned"),
    ("scripts/fit.py", "--start", "learned", "--held-out", "--check", "learned-de-fr",
     "--train", "textberg-dev first", "textberg-dev second"),
    ("scripts/fit.py", "--mt", "--check", "translation"),
    ("scripts/fit_divergence.py", "--check"),
    ("scripts/fit_differences.py", "--check"),
], ids=["learned", "learned-de-fr", "translation", "divergence", "words"])
def test_a_fit_reproduces_what_ships(args: tuple[str, ...]) -> None:
    out = _run(*args)
    assert out.returncode == 0, out.stdout[-1500:] + out.stderr[-1500:]
    assert "reproduces" in out.stdout
