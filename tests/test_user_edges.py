"""What a new user meets (issue 17): each case failed before its fix."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from aligner import align
from aligner.batch import Job, Settings, run_batch

from .conftest import EN_002, IT_003, ROOT
from .test_cli import run

# A short faithful context, so that the document's length ratio is about 1.
CONTEXT_IT = ["Il servizio è stato avviato dal sistema all'accensione del computer.",
              "Il registro contiene tutti i messaggi del servizio."]
CONTEXT_EN = ["The service was started by the system when the computer was turned on.",
              "The journal contains all the messages of the service."]


def bead_for(src: str, tgt: str):
    result = align([*CONTEXT_IT, src], [*CONTEXT_EN, tgt], scorer="lexical")
    return next(b for b in result.beads if len(CONTEXT_IT) in b.source)


def codes(bead) -> list[str]:
    return [f.code for f in bead.flags]


# 1. a changed number with the same unit on both sides, however close
@pytest.mark.parametrize(("src", "tgt"), [
    ("Il percorso è lungo 16,5 chilometri.", "The route is 18.5 kilometres long."),
    ("La strada è lunga 16 km.", "The road is 18 km long."),
    ("Il ponte misura 300 metri.", "The bridge measures 330 metres."),
])
def test_a_changed_number_in_the_same_unit_is_flagged(src: str, tgt: str) -> None:
    assert "number-mismatch" in codes(bead_for(src, tgt))


def test_a_converted_number_still_matches_its_conversion() -> None:
    assert "number-mismatch" not in codes(bead_for("Il ponte misura 300 metri.",
                                                   "The bridge measures 984 feet."))


# 2. placeholders and markup
@pytest.mark.parametrize(("src", "tgt", "terms"), [
    ("La fase di avvio è @JOB_RESULT@.", "The job identifier is @JOB_ID@.",
     (("@JOB_RESULT@",), ("@JOB_ID@",))),
    ("Il file {0} è stato copiato in {1}.", "The file {0} was copied.", (("{1}",), ())),
    ("Trovati %d elementi.", "Found %s items.", (("%d",), ("%s",))),
    ("Premi <b>Invio</b> per continuare.", "Press Enter to continue.", (("</b>", "<b>"), ())),
])
def test_placeholders_must_match(src: str, tgt: str, terms) -> None:
    bead = bead_for(src, tgt)
    flag = next(f for f in bead.flags if f.code == "placeholder")
    assert (flag.source_terms, flag.target_terms) == terms
    assert bead.status == "divergent"


def test_matching_placeholders_are_not_flagged() -> None:
    bead = bead_for("Il file {0} di %s è in <b>${HOME}</b> (@UNIT@).",
                    "The file {0} of %s is in <b>${HOME}</b> (@UNIT@).")
    assert "placeholder" not in codes(bead)


# 3. real-text false alarms
def test_a_terse_string_and_its_wordier_translation_are_not_an_addition() -> None:
    # English usually runs shorter than Italian: here the document's ratio is about 0.85
    context_it = ["Il servizio di registrazione è stato avviato automaticamente dal sistema "
                  "operativo durante l'accensione del computer.",
                  "Il registro di sistema contiene tutti quanti i messaggi del servizio."]
    context_en = ["The logging service was started automatically by the operating system "
                  "when the computer booted.", "The system journal holds all the messages "
                  "of the service."]
    result = align([*context_it, "L'unità @UNIT@ è fallita."],
                   [*context_en, "A start job for unit @UNIT@ has finished with a failure."],
                   scorer="lexical")
    bead = next(b for b in result.beads if 2 in b.source)
    assert bead.target == (2,)
    assert "addition" not in codes(bead) and "omission" not in codes(bead)


def test_a_real_omission_is_still_flagged() -> None:
    bead = bead_for("Il servizio ha scritto nel registro tutti i messaggi ricevuti durante "
                    "l'avvio, compresi quelli del kernel, degli altri servizi e delle "
                    "applicazioni dell'utente, prima di chiudersi.",
                    "The service wrote the messages to the journal.")
    assert "omission" in codes(bead)


def test_man_page_sections_are_references_not_numbers() -> None:
    same = bead_for("Guardare journald.conf(5) per i dettagli.",
                    "See journald.conf(5) for details.")
    assert not same.flags
    bead = bead_for("Vedi journald.conf(5) per maggiori informazioni.",
                    "See journald.conf(5) and systemd.exec(5) for details.")
    assert "number-mismatch" not in codes(bead)
    flag = next(f for f in bead.flags if f.code == "placeholder")
    assert flag.target_terms == ("systemd.exec(5)",)


# 4. the gate says why it refused
def test_fail_on_prints_why_it_refused(tmp_path: Path) -> None:
    it, en = tmp_path / "a.it", tmp_path / "a.en"
    it.write_text("\n".join([*CONTEXT_IT, "Il progetto costa 1.500 euro."]), encoding="utf-8")
    en.write_text("\n".join([*CONTEXT_EN, "The project costs 2,500 euros."]), encoding="utf-8")
    out = run("align", str(it), str(en), "--presegmented", "--scorer", "lexical",
              "--fail-on", "divergent", "-o", str(tmp_path / "r.json"), "-q")
    err = out.stderr.decode().strip()
    assert out.returncode == 1
    assert err == ("aligner: refused by --fail-on divergent: 1 divergent bead "
                   "(number-mismatch) at bead 2")
    passed = run("align", str(IT_003), str(EN_002), "--scorer", "lexical", "--fail-on",
                 "divergent", "-o", str(tmp_path / "s.json"), "-q")
    assert passed.returncode == 0 and passed.stderr == b""


# 6, 7. batch: a resumed run keeps the first run's counts; reports follow the umask
def _jobs(tmp_path: Path) -> list[Job]:
    return [Job(str(IT_003), str(EN_002), "seeds")]


def test_a_resumed_batch_keeps_the_first_runs_counts(tmp_path: Path) -> None:
    settings = Settings(str(tmp_path / "out"))
    first = run_batch(_jobs(tmp_path), settings)
    second = run_batch(_jobs(tmp_path), settings)
    assert first[0]["status"] == "done" and second[0]["status"] == "skipped"
    for key in ("beads", "divergent_beads", "parallelism", "relation"):
        assert second[0][key] == first[0][key]
    lines = (tmp_path / "out" / "summary.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["beads"] == first[0]["beads"]


def test_batch_reports_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        run_batch(_jobs(tmp_path), Settings(str(tmp_path / "out")))
    finally:
        os.umask(old)
    for name in ("seeds.json", "summary.jsonl"):
        mode = stat.S_IMODE((tmp_path / "out" / name).stat().st_mode)
        assert mode == 0o644, (name, oct(mode))


# 8. report extensions
def test_an_unknown_report_extension_is_refused(tmp_path: Path) -> None:
    out = run("align", str(IT_003), str(EN_002), "--scorer", "lexical", "-o",
              str(tmp_path / "report.pdf"))
    err = out.stderr.decode().strip()
    assert out.returncode == 2 and len(err.splitlines()) == 1
    assert "unknown report extension .pdf" in err and ".html" in err
    assert not (tmp_path / "report.pdf").exists()
    ok = run("align", str(IT_003), str(EN_002), "--scorer", "lexical", "-o",
             str(tmp_path / "report.htm"))
    assert ok.returncode == 0
    assert (tmp_path / "report.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# The confusing parts
def test_text_table_shows_each_sentence_of_a_merge_on_its_own_line() -> None:
    out = run("align", str(IT_003), str(EN_002), "--scorer", "lexical")
    lines = out.stdout.decode().splitlines()
    start = next(k for k, line in enumerate(lines) if "Un’antenna per ricevere" in line)
    block = []
    for line in lines[start:]:
        if block and line[:5].strip():
            break
        block.append(line.split("│")[0])
    column = lines[start].index("Un’antenna")
    joined = [line[column:].strip() for line in block]
    assert any(line.startswith("Microsoft vuole portare") for line in joined), joined
    assert "match" in lines[0] and "duplicate of target 0" in out.stdout.decode()


def test_help_and_usage_read_plainly() -> None:
    out = run("align", "--help", env={"COLUMNS": "80"})
    text = out.stdout.decode()
    assert "Usage: aligner align [OPTIONS] SOURCE TARGET" in text
    assert "<bool>" not in text and "{" not in text and "…" not in text
    assert "--presegmented " in text and "--no-presegmented" not in text
    assert "--src-lang LANG" in text


def test_usage_errors_are_one_line() -> None:
    for args in (("align",), ("align", "a", "b", "--bogus"), ("align", "a", "b", "--beams",
                                                            "x")):
        out = run(*args)
        err = out.stderr.decode().strip()
        assert out.returncode == 2 and len(err.splitlines()) == 1, err
        assert err.startswith("aligner: error: ")


def test_quiet_works_after_the_subcommand(tmp_path: Path) -> None:
    loud = run("align", str(IT_003), str(EN_002), "--scorer", "lexical", "-o",
               str(tmp_path / "a.json"))
    quiet = run("align", str(IT_003), str(EN_002), "--scorer", "lexical", "-o",
                str(tmp_path / "b.json"), "-q")
    assert loud.stderr and quiet.returncode == 0 and quiet.stderr == b""


def test_text_input_format_keeps_markup_as_text(tmp_path: Path) -> None:
    it, en = tmp_path / "a.it", tmp_path / "a.en"
    it.write_text("Premi <b>Invio</b>.<br> <script>x()</script>", encoding="utf-8")
    en.write_text("Press <b>Enter</b>.<br> <script>x()</script>", encoding="utf-8")
    result = align(it, en, scorer="lexical", input_format="text")
    assert result.source.text == it.read_text(encoding="utf-8")
    assert "<b>Invio</b>" in result.text(result.beads[0])[0]


def test_result_text_gives_a_beads_sentences() -> None:
    result = align(["Ciao.", "Il gatto dorme."], ["Hello.", "The cat sleeps."],
                   scorer="lexical")
    assert result.text(result.beads[1]) == ("Il gatto dorme.", "The cat sleeps.")


def test_segment_detects_the_language(tmp_path: Path) -> None:
    en = tmp_path / "a.txt"
    en.write_text("It was signed by Sens. Warren and Sanders yesterday. They left.\n",
                  encoding="utf-8")
    out = run("segment", str(en))
    assert out.stdout.decode().splitlines() == [
        "It was signed by Sens. Warren and Sanders yesterday.", "They left."]
    it = tmp_path / "b.txt"
    it.write_text("Il sig. Rossi è arrivato ieri con il treno. Poi è partito.\n",
                  encoding="utf-8")
    assert run("segment", str(it)).stdout.decode().splitlines()[0] == (
        "Il sig. Rossi è arrivato ieri con il treno.")


def test_auto_scorer_looks_for_a_cached_model_without_huggingface_hub(tmp_path: Path) -> None:
    code = ("import sys; from aligner import align; "
            f"r = align({str(IT_003)!r}, {str(EN_002)!r}); "
            "print(r.scorer.name, 'huggingface_hub' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT,
                         timeout=120, env={**os.environ, "HF_HOME": str(tmp_path / "hf")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().split() == ["lexical", "False", "False"]


def test_a_model_in_the_hub_cache_layout_is_found(tmp_path: Path, monkeypatch) -> None:
    from aligner.translate.registry import REQUIRED_FILES, resolve

    snapshot = tmp_path / "hub" / "models--Helsinki-NLP--opus-mt-it-en" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    for name in REQUIRED_FILES:
        (snapshot / name).write_text("{}", encoding="utf-8")
    refs = snapshot.parents[1] / "refs"
    refs.mkdir()
    (refs / "main").write_text("abc123", encoding="utf-8")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    found = resolve(None, "it", "en")
    assert found.path == snapshot.resolve() and found.revision == "abc123"


# issue 16: a warning that names the language found, and a gate for it
def test_same_language_files_get_one_warning_naming_it(tmp_path: Path) -> None:
    copy = tmp_path / "copy.en.txt"
    copy.write_bytes(IT_003.read_bytes())
    report = tmp_path / "r.json"
    out = run("align", str(IT_003), str(copy), "--scorer", "lexical", "-o", str(report))
    err = [line for line in out.stderr.decode().splitlines() if "warning" in line]
    assert out.returncode == 0 and report.exists()
    assert len(err) == 1 and "both files look Italian (it)" in err[0]
    assert json.loads(report.read_text(encoding="utf-8"))["warnings"] == [
        err[0].split("warning: ", 1)[1]]
    gated = run("align", str(IT_003), str(copy), "--scorer", "lexical", "-o", str(report),
                "--fail-on", "language", "-q")
    lines = gated.stderr.decode().strip().splitlines()
    assert gated.returncode == 1 and len(lines) == 1
    assert lines[0].startswith("aligner: refused by --fail-on language: both files look Italian")


def test_swapped_files_are_named_as_such() -> None:
    result = align(EN_002, IT_003, scorer="lexical")
    assert len(result.warnings) == 1 and "the files look swapped" in result.warnings[0]
    assert not align(IT_003, EN_002, scorer="lexical").warnings
