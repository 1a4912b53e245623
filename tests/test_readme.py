"""The README stays a user's page (under 250 lines) and its commands run as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from .conftest import EN_000, EN_002, IT_003, IT_004, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: Commands that need what this machine lacks (a MarianMT model, gold files): they must fail
#: with one clear line (exit 2), never a traceback.
NEEDS_MORE = ("translate", "evaluate")


def _use_block() -> list[str]:
    block = README.split("## Use", 1)[1].split("```", 2)[1]
    return [re.split(r"\s+#\s", line)[0].strip() for line in block.strip().splitlines()]


def test_readme_is_short_and_points_to_the_docs() -> None:
    assert len(README.splitlines()) < 250
    for doc in re.findall(r"\]\((docs/[\w.]+)\)", README):
        assert (ROOT / doc).is_file(), doc


def test_the_use_commands_run_as_written(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    for src, name in ((IT_003, "articles/a.it.txt"), (EN_002, "articles/a.en.txt"),
                      (IT_004, "articles/b.it.txt"), (EN_000, "articles/b.en.txt"),
                      (IT_003, "ARTICLE.it.txt"), (EN_002, "ARTICLE.en.txt"),
                      (IT_003, "IT"), (EN_002, "EN"), (IT_003, "ARTICLE.txt"),
                      ):
        shutil.copy(src, tmp_path / name)
    corpus = [("Il gatto dorme sul divano.", "The cat sleeps on the sofa."),
              ("Il cane dorme in giardino.", "The dog sleeps in the garden.")] * 20
    for k, suffix in ((0, "it"), (1, "en")):
        (tmp_path / f"CORPUS.{suffix}").write_text("".join(p[k] + "\n" for p in corpus),
                                                   encoding="utf-8")
    from aligner import load

    sentences = load(tmp_path / "IT", "it").sentences
    (tmp_path / "IT.mt.en.txt").write_text("".join(f"{s.text}\n" for s in sentences),
                                           encoding="utf-8")
    (tmp_path / "pairs.tsv").write_text("articles/a.it.txt\tarticles/a.en.txt\n",
                                        encoding="utf-8")
    (tmp_path / "SENTENCES.it.txt").write_text("Ciao.\n", encoding="utf-8")
    l10n = ROOT / "tests" / "data" / "l10n"
    shutil.copy(l10n / "django-auth.it.po", tmp_path / "messages.it.po")
    shutil.copy(l10n / "symfony-security.it.xlf", tmp_path / "app.it.xlf")
    bin_dir = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"
    env = {**os.environ, "ALIGNER_NO_MODEL_WARNING": "1",
           "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for line in _use_block():
        if line.startswith("cat "):
            continue                                    # a pipe: stdin is tested elsewhere
        args = shlex.split(line.replace("FOLDER_OR_FILES...", "articles"))
        assert args[0] == "aligner", line
        out = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env,
                             timeout=300)
        allowed = {0, 1, 2} if args[1] in NEEDS_MORE else {0, 1}
        assert out.returncode in allowed, (line, out.stderr)
        assert "Traceback" not in out.stderr and "internal error" not in out.stderr, line
