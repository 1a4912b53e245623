"""The command line as a user meets it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EN_002, IT_003, ROOT


def run(*args: str, stdin: bytes | None = None, env: dict | None = None
        ) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True,
                          input=stdin, cwd=ROOT, env=full_env, timeout=120)


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.decode().startswith("aligner ")


def test_align_text_report() -> None:
    out = run("align", str(IT_003), str(EN_002), "--scorer", "lexical")
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "Fonte : Wired" in text and "Powered by Blogger." in text
    assert "\033[" not in text                         # no colours when not a terminal
    assert "beads:" in text.splitlines()[-1]


def test_a_model_free_align_loads_no_heavy_module() -> None:
    """The start a user waits for: the CLI's model-free run imports no torch, transformers or
    huggingface_hub, nor all of NLTK (Punkt alone), nor pydantic (typer 0.29 validates every
    option through it: +0.15-0.2 s per command, README "Speed")."""
    heavy = ("torch", "transformers", "huggingface_hub", "pydantic", "nltk.corpus", "scipy")
    code = ("import sys\n"
            "from aligner.cli import main\n"
            f"sys.argv = ['aligner', 'align', '-q', '--scorer', 'lexical', {str(IT_003)!r}, "
            f"{str(EN_002)!r}]\n"
            "try:\n    main()\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "HF_HUB_OFFLINE": "1", "NO_COLOR": "1"},
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "beads:" in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[]"


def test_align_json_to_file(tmp_path: Path) -> None:
    dest = tmp_path / "report.json"
    out = run("align", str(IT_003), str(EN_002), "--scorer", "lexical", "-o", str(dest))
    assert out.returncode == 0, out.stderr
    assert json.loads(dest.read_text(encoding="utf-8"))["schema"] == "aligner/alignment/1"


def test_auto_falls_back_with_one_warning() -> None:
    out = run("align", str(IT_003), str(EN_002), "-f", "json")
    assert out.returncode == 0
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "model-free scorer used" in lines[0]
    assert json.loads(out.stdout)["scorer"]["name"] == "lexical"


def test_stdin_source() -> None:
    out = run("align", "-", str(EN_002), "--scorer", "lexical", "-f", "json",
              stdin=IT_003.read_bytes())
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["source"]["sentences"]) == 14


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.txt").write_bytes(b"\n  \n")
    (tmp / "bin.txt").write_bytes(b"\x89PNG\x00\x00\x01" * 50)
    (tmp / "dir").mkdir()
    return {"missing": tmp / "nope.txt", "folder": tmp / "dir", "empty": tmp / "empty.txt",
            "whitespace": tmp / "blank.txt", "binary": tmp / "bin.txt"}


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "whitespace", "binary"])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, case: str) -> None:
    path = _bad_inputs(tmp_path)[case]
    out = run("align", str(path), str(EN_002), "--scorer", "lexical")
    err = out.stderr.decode().strip()
    assert out.returncode == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(path) in err


@pytest.mark.parametrize("option", ["--translations", "--reverse-translations"])
def test_translations_with_wrong_line_count_is_one_line_exit_2(tmp_path: Path, option: str
                                                               ) -> None:
    lines = tmp_path / "mt.txt"
    lines.write_text("one line\n", encoding="utf-8")
    out = run("align", str(IT_003), str(EN_002), option, str(lines))
    err = out.stderr.decode().strip()
    assert out.returncode == 2
    assert len(err.splitlines()) == 1 and "1 translations for 14" in err


def test_usage_errors_exit_2() -> None:
    assert run("align", str(IT_003)).returncode == 2
    bad_lang = run("align", str(IT_003), str(EN_002), "--src-lang", "ital1an!")
    assert bad_lang.returncode == 2 and b"language code" in bad_lang.stderr
    assert run("align", str(IT_003), str(EN_002), "--scorer", "nope").returncode == 2


def test_legacy_encodings_and_crlf(tmp_path: Path) -> None:
    text = IT_003.read_text(encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(text.replace("’", "'").replace("\n", "\r\n")
                                         .encode("latin-1"))
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    for name in ("latin.txt", "u16.txt"):
        out = run("align", str(tmp_path / name), str(EN_002), "--scorer", "lexical", "-f", "json")
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert len(data["source"]["sentences"]) == 14
        assert any("società" in s["text"] for s in data["source"]["sentences"])


def test_segment_command() -> None:
    out = run("segment", str(IT_003), "--lang", "it")
    assert out.returncode == 0
    lines = out.stdout.decode().splitlines()
    assert lines[2] == "Un’antenna per ricevere comunicazioni dallo spazio (Getty Images)"
    assert len(lines) == 14


def test_presegmented_round_trip(tmp_path: Path) -> None:
    it = tmp_path / "it.txt"
    it.write_bytes(run("segment", str(IT_003), "--lang", "it").stdout)
    out = run("align", str(it), str(EN_002), "--presegmented", "--scorer", "lexical", "-f", "json")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["source"]["sentences"]) == 14


def test_evaluate_command(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    (gold / "d.gold").write_text("[0]:[0]\n[1, 2]:[1]\n[]:[2]\n")
    (pred / "d.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n[]:[2]\n")
    out = run("evaluate", str(gold), str(pred), "-f", "json")
    assert out.returncode == 0, out.stderr
    scores = json.loads(out.stdout)
    assert scores["strict_p"] == pytest.approx(2 / 4)
    assert scores["strict_r"] == pytest.approx(1 / 2)
    missing = run("evaluate", str(gold), str(tmp_path / "nowhere"))
    assert missing.returncode == 2
