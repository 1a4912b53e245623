"""Bad, odd and huge input: markup, wrong languages, endless lines. Nothing lost, no crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligner import align, load
from aligner.text.language import identify, mismatch
from aligner.text.markup import detect, html_to_text, markdown_to_text, strip_fragments, to_text
from aligner.text.segment import MAX_SENTENCE_CHARS, segment

from .conftest import EN_000, EN_002, IT_003, IT_004, ROOT

HTML = """<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style>
<script>var x = "<p>not text</p>";</script></head><body>
<h1>Il cloud vola nello spazio</h1>
<p>Microsoft vuole portare in orbita il suo cloud.<br>Una seconda riga&nbsp;qui &amp; là.</p>
<ul><li>Primo punto</li><li>Secondo punto</li></ul>
<p>Fine dell&#8217;articolo.</p></body></html>"""

MARKDOWN = """# Il cloud vola nello spazio

Microsoft vuole portare in orbita il suo **cloud** e stringe un [accordo](http://x.it).

- Primo punto
- Secondo punto

> Una citazione.
"""


def test_html_to_text_keeps_paragraphs_and_decodes_entities() -> None:
    assert detect(HTML) == "html"
    text = html_to_text(HTML)
    assert "not text" not in text and "color" not in text
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert paragraphs[0] == "Il cloud vola nello spazio"       # <head> (title, css) left out
    assert "Microsoft vuole portare in orbita il suo cloud.\nUna seconda riga qui & là." in text
    assert "Primo punto\nSecondo punto" in text and "Fine dell’articolo." in text


def test_markdown_to_text() -> None:
    assert detect(MARKDOWN) == "markdown"
    text = markdown_to_text(MARKDOWN)
    assert "#" not in text and "**" not in text and "http" not in text and "- " not in text
    assert "il suo cloud e stringe un accordo." in text
    assert "Una citazione." in text


def test_markdown_is_parsed_not_pattern_matched() -> None:
    # what regexes got wrong: escaped asterisks, markup inside inline code; and a code block
    # with a heading inside, a table, a loose list, an image, an HTML block, entities
    md = ("Prezzo \\*scontato\\* e `**` in riga.\n\n```\n# not a heading\nx = 1\n```\n\n"
          "| Città | Abitanti |\n|---|---|\n| Roma | 2,8 milioni |\n\n"
          "1. Primo punto.\n\n2. Secondo punto.\n\n![Una foto del porto](porto.jpg)\n\n"
          "<div>Un blocco <b>HTML</b></div>\n\nTom &amp; Jerry, `codice` in riga.\n")
    text = markdown_to_text(md)
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    assert paragraphs == ["Prezzo *scontato* e ** in riga.", "Città\nAbitanti",
                          "Roma\n2,8 milioni",
                          "Primo punto.", "Secondo punto.", "Una foto del porto",
                          "Un blocco HTML", "Tom & Jerry, codice in riga."]


def test_stray_fragments_are_dropped_words_kept() -> None:
    text = "oltre 1.500 satelliti entro il 2021. br>\nIn sostanza <p>Microsoft</p> vince."
    assert strip_fragments(text) == "oltre 1.500 satelliti entro il 2021. \nIn sostanza " \
                                    "Microsoft vince."
    assert strip_fragments("a < b and c > d") == "a < b and c > d"
    assert to_text("plain text, no markup\n") == "plain text, no markup\n"


def test_html_file_aligns_like_its_text(tmp_path: Path) -> None:
    page = tmp_path / "it.html"
    paragraphs = IT_003.read_text(encoding="utf-8").split("\n\n")
    page.write_text("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs)
                    + "</body></html>", encoding="utf-8")
    html_doc = load(page, "it")
    text_doc = load(IT_003, "it")
    assert [s.text for s in html_doc.sentences] == [s.text for s in text_doc.sentences]
    for s in html_doc.sentences:
        assert html_doc.text[s.start:s.end].split() == s.text.split()


@pytest.mark.parametrize(("path", "lang"), [(IT_003, "it"), (IT_004, "it"), (EN_000, "en"),
                                            (EN_002, "en")])
def test_identify_the_seeds(path: Path, lang: str) -> None:
    guess = identify(path.read_text(encoding="utf-8"))
    assert guess.lang == lang and guess.confident


def test_identify_other_languages() -> None:
    assert identify("Der Hund ist nicht in dem Haus, und die Katze ist auf dem Dach. " * 3
                    ).lang == "de"
    assert identify("Le chien est dans la maison et le chat est sur le toit avec les "
                    "enfants qui ne sont pas là. " * 3).lang == "fr"
    assert mismatch("Il cloud è nel cielo e la nuvola non è per noi. " * 5, "en") is not None
    assert mismatch("Il cloud è nel cielo e la nuvola non è per noi. " * 5, "it") is None
    assert mismatch("anything at all", "ja") is None          # unknown languages: no opinion


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True,
                          cwd=ROOT, env=dict(os.environ), timeout=120)


def test_both_italian_warns_and_strict_refuses() -> None:
    out = _run("align", str(IT_003), str(IT_004), "--scorer", "lexical", "-f", "json")
    assert out.returncode == 0
    assert b"both files look Italian (it)" in out.stderr
    swapped = _run("align", str(EN_002), str(IT_003), "--scorer", "lexical", "--strict")
    err = swapped.stderr.decode().strip().splitlines()
    assert swapped.returncode == 2 and len(err) == 1 and "the files look swapped" in err[0]
    assert err[0].endswith("(--strict)")


def test_endless_line_is_cut_and_nothing_is_lost(tmp_path: Path) -> None:
    words = [f"parola{k % 977}" for k in range(30_000)]          # ~ 250 KB, no punctuation
    line = " ".join(words)
    doc = segment(line, "it")
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in doc.sentences)
    assert " ".join(s.text for s in doc.sentences).split() == words
    big = tmp_path / "big.txt"
    big.write_text(line + "\n", encoding="utf-8")
    result = align(big, EN_002, scorer="lexical")
    assert sorted(i for b in result.beads for i in b.source) == list(range(len(doc.sentences)))
