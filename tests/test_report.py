"""Report formats: TSV, TMX, HTML (escaped, structured; rendered by headless Chromium when
present), and the --fail-on gate."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from aligner import align
from aligner.report import write_html, write_tmx, write_tsv

from .conftest import EN_002, IT_003, ROOT

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_tsv_has_one_line_per_bead(seeds_alignment) -> None:
    buf = io.StringIO()
    write_tsv(seeds_alignment, buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue()), delimiter="\t",
                           quoting=csv.QUOTE_NONE))
    assert rows[0] == ["bead", "source_ids", "target_ids", "source", "target", "status",
                       "score", "flags", "source_differences", "target_differences",
                       "flag_messages"]
    assert len(rows) == len(seeds_alignment.beads) + 1
    assert all(len(r) == 11 for r in rows)
    # the seeds end with the two footer lines, each extra content on its own side
    assert rows[-2][3:5] == ["Fonte : Wired", ""] and rows[-2][5] == "extra"
    assert rows[-1][3:5] == ["", "Powered by Blogger."] and rows[-1][5] == "extra"


def test_tmx_parses_with_one_tu_per_aligned_bead(seeds_alignment) -> None:
    buf = io.StringIO()
    write_tmx(seeds_alignment, buf)
    root = ET.fromstring(buf.getvalue().encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "it"
    tus = root.findall("body/tu")
    assert len(tus) == sum(1 for b in seeds_alignment.beads if not b.is_null)
    langs = [[tuv.get(XML_LANG) for tuv in tu.findall("tuv")] for tu in tus]
    assert all(x == ["it", "en"] for x in langs)
    assert tus[0].find("tuv/seg").text.startswith("Il cloud vola nello spazio")


def test_html_escapes_everything() -> None:
    evil = '<script>alert("x")</script> & <b>bold</b>'
    result = align([f"Testo {evil} con 5 mele."], [f"Text {evil} with 7 apples."],
                   scorer="lexical")
    buf = io.StringIO()
    write_html(result, buf)
    page = buf.getvalue()
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;" in page
    assert "<mark>5</mark>" in page and "<mark>7</mark>" in page      # the differing numbers


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage"]


@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"),
                    reason="headless Chromium not installed (.ci/run installs it)")
def test_chromium_shows_the_words_without_counterpart(tmp_path: Path) -> None:
    chromium = _chromium()
    assert chromium, "CI must have Chromium (see .ci/run)"
    it, en, page = tmp_path / "a.it", tmp_path / "a.en", tmp_path / "r.html"
    # a bead the decision flags: the words it lacks are shown, each with the reason on hover
    it.write_text("Il servizio è stato avviato dal sistema all'accensione del computer.\n"
                  "Il registro contiene tutti i messaggi del servizio.\n"
                  "Il servizio ha scritto nel registro tutti i messaggi ricevuti durante "
                  "l'avvio, compresi quelli del kernel, degli altri servizi e delle applicazioni "
                  "dell'utente, prima di chiudersi.\n", encoding="utf-8")
    en.write_text("The service was started by the system when the computer was turned on.\n"
                  "The journal contains all the messages of the service.\n"
                  "The service wrote the messages to the journal.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "aligner", "align", str(it), str(en),
                          "--scorer", "lexical", "-o", str(page)], capture_output=True, cwd=ROOT,
                         env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    dom = subprocess.run([chromium, *CHROME_FLAGS, f"--user-data-dir={tmp_path / 'p'}",
                          "--dump-dom", page.as_uri()], capture_output=True, timeout=120,
                         text=True)
    assert dom.returncode == 0, dom.stderr[-2000:]
    marked = re.findall(r'<ins class="diff" title="([^"]*)">([^<]*)</ins>', dom.stdout)
    words = [w for _, w in marked]
    assert "kernel" in words and "avvio" in words and "computer" not in words
    assert all(t.startswith(("no counterpart on the other side", "in a passage that mostly"))
               for t, _ in marked)


@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"),
                    reason="headless Chromium not installed (.ci/run installs it)")
def test_html_report_renders_in_chromium(tmp_path: Path) -> None:
    chromium = _chromium()
    assert chromium, "CI must have Chromium (see .ci/run)"
    page = tmp_path / "report.html"
    out = subprocess.run([sys.executable, "-m", "aligner", "align", str(IT_003), str(EN_002),
                          "--scorer", "lexical", "-o", str(page)], capture_output=True, cwd=ROOT,
                         env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    profile = tmp_path / "profile"
    common = [chromium, *CHROME_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True,
                         timeout=120, text=True)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    expected = align(IT_003, EN_002, scorer="lexical")
    statuses = [b.status for b in expected.beads]
    assert 'id="summary"' in html and 'id="alignment"' in html
    assert html.count("<tr class=") == len(statuses)               # one row per bead
    assert html.count('<tr class="extra') == statuses.count("extra") == 3
    assert html.count('<tr class="aligned') == statuses.count("aligned")
    assert "Fonte : Wired" in html and "Powered by Blogger." in html
    png = tmp_path / "report.png"
    shot = subprocess.run([*common, f"--screenshot={png}", "--window-size=1400,2000",
                           page.as_uri()], capture_output=True, timeout=120, text=True)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.stat().st_size > 20_000
    if os.environ.get("ALIGNER_KEEP_SCREENSHOT"):
        shutil.copy(png, os.environ["ALIGNER_KEEP_SCREENSHOT"])


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True,
                          cwd=ROOT, env=dict(os.environ), timeout=120)


def test_fail_on_gate(tmp_path: Path) -> None:
    it, en = tmp_path / "it.txt", tmp_path / "en.txt"
    it.write_text("Il progetto costa 1.500 euro.\n", encoding="utf-8")
    en.write_text("The project costs 2,500 euros.\n", encoding="utf-8")
    assert _run("align", str(it), str(en), "--scorer", "lexical").returncode == 0
    assert _run("align", str(it), str(en), "--scorer", "lexical",
                "--fail-on", "divergent").returncode == 1
    # the seeds pair: no divergence, but extra content besides boilerplate (the title copy)
    seeds = ("align", str(IT_003), str(EN_002), "--scorer", "lexical", "-f", "json")
    assert _run(*seeds, "--fail-on", "divergent").returncode == 0
    assert _run(*seeds, "--fail-on", "extra").returncode == 1
    bad = _run(*seeds, "--check", "nope=1")
    assert bad.returncode == 2 and b"unknown check threshold" in bad.stderr


@pytest.mark.parametrize("fmt", ["html", "tmx", "tsv"])
def test_format_from_output_extension(tmp_path: Path, fmt: str) -> None:
    dest = tmp_path / f"report.{fmt}"
    out = _run("align", str(IT_003), str(EN_002), "--scorer", "lexical", "-o", str(dest))
    assert out.returncode == 0, out.stderr
    head = dest.read_text(encoding="utf-8")[:200]
    assert {"html": "<!DOCTYPE html>", "tmx": "<?xml", "tsv": "bead\tsource_ids"}[fmt] in head


def _cells(text: str) -> int:
    """Terminal columns: Chinese, Japanese and Korean characters take two."""
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_terminal_table_lines_up_for_wide_characters() -> None:
    from aligner.report import write_text

    result = align(["东京是日本的首都，也是世界上人口最多的大都市之一，每年吸引数以百万计的游客。"],
                   ["Tokyo is the capital of Japan and one of the most populous cities."],
                   src_lang="zh", tgt_lang="en", scorer="lexical")
    out = io.StringIO()
    write_text(result, out, width=80)
    rows = [line for line in out.getvalue().splitlines() if "│" in line]
    assert len(rows) > 2                                  # the Chinese side was wrapped
    # the separator sits in the same terminal column on every row, none wider than asked
    assert len({_cells(line.split("│")[0]) for line in rows}) == 1
    assert max(_cells(line) for line in rows) <= 80
    # nothing is lost in wrapping: the source column, from where its header starts
    start = rows[0].index(result.source.lang)
    left = "".join(line.split("│")[0][start:].strip() for line in rows[1:])
    assert left == result.source.sentences[0].text


def test_json_report_has_a_bead_per_line(seeds_alignment) -> None:
    """The report's JSON is the same value as plain ``json.dumps``, laid out with one sentence
    and one bead per line (what grep and diff read), and compact with ``indent=None``."""
    import json

    text = seeds_alignment.to_json()
    assert json.loads(text) == json.loads(json.dumps(seeds_alignment.to_dict()))
    lines = text.splitlines()
    beads = [json.loads(line.strip().rstrip(",")) for line in lines
             if line.startswith('    {"source": ')]
    assert [(b["source"], b["target"]) for b in beads] == [
        (list(b.source), list(b.target)) for b in seeds_alignment.beads]
    assert "\n" not in seeds_alignment.to_json(indent=None)
