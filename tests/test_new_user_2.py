"""Issue 27, what a new user met in the second round: each test failed before its fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from aligner.batch import Settings, jobs_from_folders, read_manifest, report_name, run_batch

from .conftest import EN_000, EN_002, IT_003, IT_004, ROOT, SEEDS


def cli(*args: str | Path, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=dict(os.environ),
                          timeout=timeout)


# 1. A report is never written over an input.

@pytest.mark.parametrize("command", [
    ["align", "{it}", "{en}", "-o", "{it}"],
    ["align", "{it}", "{en}", "-o", "{en}", "-f", "json"],
    ["segment", "{it}", "-o", "{it}"],
    ["translate", "{it}", "-o", "{it}", "--scorer-free"],
    ["lexicon", "train", "{it}", "{en}", "-o", "{en}"],
])
def test_an_output_that_is_an_input_is_refused(tmp_path: Path, command: list[str]) -> None:
    it, en = tmp_path / "a.it.txt", tmp_path / "a.en.txt"
    shutil.copy(IT_003, it)
    shutil.copy(EN_002, en)
    before = it.read_bytes(), en.read_bytes()
    args = [a.format(it=it, en=en) for a in command if a != "--scorer-free"]
    out = cli(*args, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "is an input" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert (it.read_bytes(), en.read_bytes()) == before


def test_batch_refuses_reports_that_would_replace_its_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "art2"
    folder.mkdir()
    shutil.copy(IT_003, folder / "story.it.txt")
    shutil.copy(EN_002, folder / "story.txt")      # the report of story.it.txt in -f text
    before = (folder / "story.txt").read_bytes()
    manifest = folder / "pairs.tsv"
    manifest.write_text("story.it.txt\tstory.txt\n", encoding="utf-8")
    out = cli("batch", manifest, "-o", folder, "-f", "text")
    assert out.returncode == 2 and "is an input" in out.stderr
    assert (folder / "story.txt").read_bytes() == before


# 2. Batch re-runs follow the content; records stream; failures are records.

def _articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(IT_003, folder / "article-01.it.txt")
    shutil.copy(EN_002, folder / "article-01.en.txt")
    shutil.copy(IT_004, folder / "article-02.it.txt")
    shutil.copy(EN_000, folder / "article-02.en.txt")
    return folder


def test_batch_realigns_a_pair_whose_input_changed(tmp_path: Path) -> None:
    folder = _articles(tmp_path)
    out = tmp_path / "OUT"
    jobs, left = jobs_from_folders([folder], "it", "en")
    assert [j.name for j in jobs] == ["article-01", "article-02"] and not left
    settings = Settings(str(out), "json")
    first = run_batch(jobs, settings, workers=1)
    assert [x["status"] for x in first] == ["done", "done"]
    assert first[0]["source"] == "article-01.it.txt" and first[0]["output"] == "article-01.json"
    again = run_batch(jobs, settings, workers=1)
    assert [x["status"] for x in again] == ["skipped", "skipped"]
    assert again[0]["beads"] == first[0]["beads"]            # counts kept on a resume
    with (folder / "article-01.en.txt").open("a", encoding="utf-8") as fh:
        fh.write("hello\n")
    changed = run_batch(jobs, settings, workers=1)
    assert [x["status"] for x in changed] == ["done", "skipped"]
    assert changed[0]["key"] != first[0]["key"]
    forced = run_batch(jobs, settings, workers=1, force=True)
    assert [x["status"] for x in forced] == ["done", "done"]


def test_batch_appends_each_record_as_it_finishes(tmp_path: Path, monkeypatch) -> None:
    """An interrupted batch leaves the records of the pairs it finished."""
    import aligner.batch as batch

    jobs, _ = jobs_from_folders([_articles(tmp_path)], "it", "en")
    settings = Settings(str(tmp_path / "OUT"), "json")
    real = batch.run_job
    calls = []

    def dies_on_second(job, settings, key=""):
        calls.append(job.name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(job, settings, key)

    monkeypatch.setattr(batch, "run_job", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        run_batch(jobs, settings, workers=1)
    lines = (tmp_path / "OUT" / "summary.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["name"] for x in lines] == ["article-01"]
    monkeypatch.setattr(batch, "run_job", real)
    resumed = run_batch(jobs, settings, workers=1)
    assert [x["status"] for x in resumed] == ["skipped", "done"]
    assert resumed[0]["beads"] > 0


def test_one_pair_that_raises_is_a_failed_record(tmp_path: Path, monkeypatch) -> None:
    import aligner.pipeline as pipeline

    jobs, _ = jobs_from_folders([_articles(tmp_path)], "it", "en")
    real = pipeline.align

    def buggy(source, *a, **k):
        if "article-02" in str(source):
            raise ZeroDivisionError("division by zero")
        return real(source, *a, **k)

    monkeypatch.setattr(pipeline, "align", buggy)
    lines = run_batch(jobs, Settings(str(tmp_path / "OUT"), "json"), workers=1)
    assert [x["status"] for x in lines] == ["done", "failed"]
    assert "ZeroDivisionError" in lines[1]["error"]


def test_batch_command_gate_header_existing_file_and_names(tmp_path: Path) -> None:
    folder = _articles(tmp_path)
    manifest = folder / "pairs.tsv"
    manifest.write_text("source\ttarget\narticle-01.it.txt\tarticle-01.en.txt\n"
                        "article-02.it.txt\tarticle-02.en.txt\n", encoding="utf-8")
    assert [j.name for j in read_manifest(manifest)] == ["article-01", "article-02"]
    out = cli("batch", manifest, "-o", tmp_path / "OUT", "--fail-on", "divergent")
    assert out.returncode == 1, out.stderr
    refused = [x for x in out.stderr.splitlines() if "refused by --fail-on" in x]
    assert len(refused) == 1 and "article-02" in refused[0]
    assert sorted(p.name for p in (tmp_path / "OUT").iterdir()) == [
        "article-01.json", "article-02.json", "summary.jsonl"]
    a_file = tmp_path / "report.txt"
    a_file.write_text("x", encoding="utf-8")
    taken = cli("batch", manifest, "-o", a_file)
    assert taken.returncode == 2 and taken.stderr.count("\n") == 1
    assert "internal error" not in taken.stderr


def test_report_names_lose_the_language_suffix() -> None:
    assert report_name("a/article-01.it.txt", "it") == "article-01"
    assert report_name("article_it.txt", "it_IT") == "article"
    assert report_name("it.txt", "it") == "it"
    assert report_name("italy.txt", "it") == "italy"


# 3. Pairing says what it found.

def test_batch_lists_unmatched_files(tmp_path: Path) -> None:
    out = cli("batch", "--pair", SEEDS, "-o", tmp_path / "OUTS")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in
             (tmp_path / "OUTS" / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    unmatched = [x for x in lines if x["status"] == "unmatched"]
    assert len(unmatched) == 1 and unmatched[0]["source"][:3] in {"000", "001"}
    assert "1 file left unmatched" in out.stderr and "1 files unmatched" in out.stderr


def test_language_subfolders_are_paired(tmp_path: Path) -> None:
    lay = tmp_path / "lay"
    (lay / "it").mkdir(parents=True)
    (lay / "en").mkdir()
    shutil.copy(IT_003, lay / "it" / "story.txt")
    shutil.copy(EN_002, lay / "en" / "story.txt")
    out = cli("pair", lay, "-f", "json")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert [p["label"] for p in found] == ["translation"]
    assert "2 files: 1 pair, 0 unmatched" in out.stderr
    both = cli("batch", "--pair", lay / "it", "--pair", lay / "en", "-o", tmp_path / "O")
    assert both.returncode == 0, both.stderr
    assert (tmp_path / "O" / "story.json").is_file()


def test_no_files_to_pair_gives_a_hint(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = cli("pair", tmp_path / "empty")
    assert out.returncode == 2 and "subfolders are searched" in out.stderr


# 5. The table shows its findings first.

def _table(result, **kw) -> str:
    import io

    from aligner import report

    buf = io.StringIO()
    report.write_text(result, buf, **kw)
    return buf.getvalue()


def test_faithful_beads_list_no_words_by_default(seeds_alignment) -> None:
    assert "≠ no counterpart" not in _table(seeds_alignment)
    assert _table(seeds_alignment, differences="all").count("≠ no counterpart") >= 5
    assert "≠ no counterpart" not in _table(seeds_alignment, differences="none")


def test_placeholder_and_markup_debris_is_never_a_word() -> None:
    from aligner import align
    from aligner.report import difference_words

    result = align(["Premi %d volte <b>OK</b> alle 5 p.m. per {nome} &amp; altro."],
                   ["Press OK %d times at 5 p.m. for {name} &amp; more."], scorer="lexical")
    words = difference_words(result, result.beads[0])
    assert not {"d", "b", "m", "p", "amp", "nome", "name"} & set(words[0] + words[1])


def test_flag_messages_wrap_and_flagged_terms_are_highlighted() -> None:
    from aligner import align

    result = align(["Il biglietto costa 16,5 euro e il treno parte alle otto del mattino."],
                   ["The ticket costs 18.5 euros and the train leaves at eight in the morning."],
                   scorer="lexical")
    plain = _table(result, width=60)
    flag = [line for line in plain.splitlines() if "number-mismatch" in line]
    assert flag and all(len(line) <= 60 for line in plain.splitlines()[:-1])
    assert "18.5" in plain.split("number-mismatch", 1)[1] and "…" not in plain
    coloured = _table(result, width=100, color=True)
    assert "\x1b[1;31m16,5" in coloured and "\x1b[1;31m18.5" in coloured


# 9. The library: every bead has a number; extra content carries a flag.

def test_every_bead_has_a_divergence_and_extra_beads_a_flag(seeds_alignment) -> None:
    assert all(isinstance(b.divergence, float) for b in seeds_alignment.beads)
    assert [b for b in seeds_alignment.beads if b.divergence > 0.5]       # no TypeError
    extra = [b for b in seeds_alignment.beads if b.status == "extra"]
    assert extra and all(b.divergence == 1.0 for b in extra)
    assert all(any(f.code == "extra" for f in b.flags) for b in extra)
    from aligner.diverge.stage import check_all

    # the checks gather evidence and leave the aligned beads' status and divergence to the
    # decision (aligner.diverge.decision), which sets both on every one of them
    plain = [replace(b, divergence=0.5, status="aligned") for b in seeds_alignment.beads]
    checked = check_all(plain, seeds_alignment.source, seeds_alignment.target)
    assert all((b.status, b.divergence) == ("aligned", 0.5) for b in checked if not b.is_null)


def test_the_library_exports_what_align_takes_and_is_typed() -> None:
    import aligner
    from aligner import Engine, Lexicon, Thresholds, TranslateOptions
    from aligner.pipeline import align

    assert {"Thresholds", "Lexicon", "Engine", "TranslateOptions"} <= set(aligner.__all__)
    assert Thresholds().low_similarity > 0 and TranslateOptions().beams >= 1
    assert Lexicon and Engine
    assert (Path(aligner.__file__).parent / "py.typed").is_file()
    doc = align.__doc__ or ""
    assert "aligner.calibrate`" not in doc and "aligner.diverge.decision" in doc


# 6. Each message names what differs, once.

@pytest.mark.parametrize(("it", "en", "expected"), [
    ("Il biglietto costa 1.000 euro per tutti.", "The ticket costs 1.000 euros for all.", None),
    ("Il progetto costa tre milioni di euro.", "The project costs 3 billion euros.",
     "source only: tre milioni (= 3 000 000); target only: 3 (= 3 000 000 000)"),
    ("La riunione si terrà a marzo a Roma.", "The meeting will be held in May in Rome.",
     "source only: marzo; target only: May"),
    ("Costa 15 miliardi di euro.", "It costs 15 million euros.",
     "source only: 15 (= 15 000 000 000); target only: 15 (= 15 000 000)"),
])
def test_number_messages_say_what_differs(it: str, en: str, expected: str | None) -> None:
    from aligner import align

    flags = [f for f in align([it], [en], scorer="lexical").beads[0].flags
             if f.code == "number-mismatch"]
    assert [f.message for f in flags] == ([expected] if expected else [])


def test_a_placeholder_is_flagged_once() -> None:
    from aligner import align

    flags = align(["Il file {0} non esiste."], ["The file {1} does not exist."],
                  scorer="lexical").beads[0].flags
    assert [f.code for f in flags] == ["placeholder"]


def test_tsv_carries_messages_and_html_cards_their_own_codes(seeds_alignment) -> None:
    import io

    from aligner import report

    buf = io.StringIO()
    report.write_tsv(seeds_alignment, buf)
    rows = [line.split("\t") for line in buf.getvalue().splitlines()]
    assert rows[0][-1] == "flag_messages" and all(len(r) == 11 for r in rows)
    assert any("duplicate of" in r[-1] for r in rows[1:])
    buf = io.StringIO()
    report.write_html(seeds_alignment, buf)
    page = buf.getvalue()
    card = page.split('data-key="divergent beads"', 1)[1].split("</div>", 1)[0]
    assert "boilerplate" not in card and "duplicate" not in card and "none flagged" in card


def test_both_sides_on_stdin_and_unknown_languages_are_said(tmp_path: Path) -> None:
    both = subprocess.run([sys.executable, "-m", "aligner", "align", "-", "-"], input="x",
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert both.returncode == 2 and "cannot both be -" in both.stderr
    unknown = cli("align", IT_003, EN_002, "--src-lang", "xx", "--scorer", "lexical",
                  "-o", tmp_path / "r.json")
    assert unknown.returncode == 0 and "'xx' is not one aligner knows" in unknown.stderr


# 11. --help says what each command takes, whole.

def test_help_lists_whole_summaries_several_arguments_and_exit_codes() -> None:
    from dataclasses import fields

    from aligner.diverge.context import Thresholds

    top = subprocess.run([sys.executable, "-m", "aligner", "--help"], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "200"}, timeout=60)
    commands = top.stdout.split("Commands:", 1)[1].split("Exit codes", 1)[0]
    assert "..." not in commands and "batch" in commands
    assert "Exit codes: 0" in top.stdout and "aligner align article.it.txt" in top.stdout
    assert "Usage: aligner pair [OPTIONS] PATH..." in cli("pair", "--help").stdout
    assert "FILE [WORD]..." in cli("lexicon", "show", "--help").stdout
    align_help = " ".join(cli("align", "--help").stdout.split())
    assert all(f.name in align_help for f in fields(Thresholds))
    assert "never: no gate" in align_help and "- for stdin" in align_help.split("TARGET", 2)[2]
    for command in ("segment", "evaluate"):
        assert "--output" in cli(command, "--help").stdout


def test_the_model_fallback_warning_is_one_short_line_and_can_be_silenced(tmp_path) -> None:
    args = ("align", IT_003, EN_002, "-o", tmp_path / "r.json", "--model", "no-such-model")
    loud = cli(*args)
    assert loud.returncode == 0, loud.stderr
    lines = [x for x in loud.stderr.splitlines() if "model-free scorer used" in x]
    assert len(lines) == 1 and len(lines[0]) <= 130, loud.stderr
    quiet = subprocess.run([sys.executable, "-m", "aligner", *map(str, args)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120,
                           env={**os.environ, "ALIGNER_NO_MODEL_WARNING": "1"})
    assert quiet.returncode == 0 and "model-free" not in quiet.stderr


# 4. Unrelated documents are called so.

UNRELATED_EN = """The village bakery reopened on Saturday after a two-year renovation.

Its owner, who learned the trade from her grandmother, now bakes rye bread in a wood-fired oven \
built by local masons.

Customers queued along the high street before dawn, and the first loaves sold out within an hour.

The council says the project brought three new jobs to the valley, and a weekly market will \
follow in the spring.

Next month the bakery will start evening classes for children who want to learn to knead dough.
"""


def test_unrelated_texts_are_labelled_warned_and_gated(tmp_path: Path) -> None:
    from aligner import align

    other = tmp_path / "bakery.en.txt"
    other.write_text(UNRELATED_EN, encoding="utf-8")
    result = align(IT_003, other, scorer="lexical")
    assert result.summary()["relation"] == "unrelated"
    assert align(IT_004, EN_002, scorer="lexical").summary()["relation"] == "comparable"
    assert align(IT_003, EN_002, scorer="lexical").summary()["relation"] == "translation"
    out = cli("align", IT_003, other, "--scorer", "lexical", "--fail-on", "unrelated")
    assert out.returncode == 1 and "look unrelated" in out.stderr
    assert "unrelated (parallelism" in out.stdout.splitlines()[-1]
    plain = cli("align", IT_003, EN_002, "--scorer", "lexical", "--fail-on", "unrelated")
    assert plain.returncode == 0 and "translation (parallelism" in plain.stdout


def test_the_relation_bars_come_from_the_fitted_file() -> None:
    from aligner.data import relation, relation_model

    translation, comparable = relation_model()
    assert 0 < comparable < 1 and 0 < translation < 1
    assert relation(translation, 0.0) == "translation"
    assert relation(translation - 0.01, comparable) == "comparable"
    assert relation(translation - 0.01, comparable - 0.01) == "unrelated"


# 7. A fully cached MarianMT run does not load the model.

def test_a_fully_cached_marian_run_imports_no_torch(tiny_model: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from aligner import align\n"
        f"r = align({str(IT_003)!r}, {str(EN_002)!r}, scorer='marian', model={str(tiny_model)!r})\n"
        "print(r.scorer.name, 'torch' in sys.modules, 'transformers' in sys.modules)\n")
    env = {**os.environ, "ALIGNER_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           cwd=ROOT, env=env, timeout=600)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["marian", "True", "True"]
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           cwd=ROOT, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == ["marian", "False", "False"]


def test_a_batch_worker_does_not_fork_again(monkeypatch) -> None:
    from aligner import parallel
    from aligner.batch import _one_thread

    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.delenv("ALIGNER_THREADS", raising=False)
    can = parallel.can_fork(10_000)
    for name in ("ALIGNER_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                 "MKL_NUM_THREADS"):                     # restored after the test
        monkeypatch.setenv(name, os.environ.get(name, "4"))
    _one_thread()
    assert not parallel.can_fork(10_000)
    assert can or "torch" in sys.modules                 # a plain process may fork
