"""`aligner check`: translation files already paired (XLIFF 1.2 / 2.x, PO, TMX, TSV/CSV)."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from aligner.qa import readers
from aligner.qa.annotate import annotate
from aligner.qa.check import check
from aligner.qa.units import Text, Unit
from aligner.text import codes

REAL = Path(__file__).parent / "data" / "l10n"

PO = r'''# A catalogue for the tests.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: it\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#, c-format
msgid "Deleted %d files in %s."
msgstr "Eliminati %d file in %s."

#, c-format
msgid "Copied %d files to %s."
msgstr "Copiati %s file in %s."

#, c-format
msgid "Moved %s to %s."
msgstr "Spostato %s."

msgid "usage: git <command> [<options>]"
msgstr "uso: git <comando> [<opzioni>]"

#, c-format
msgid "%s and %d more"
msgstr "%2$d altri e %1$s"

#, fuzzy
msgid "Open the file"
msgstr "Apri il documento"

msgid "Save the file"
msgstr ""

msgctxt "menu"
msgid "Close"
msgstr "Chiudi"

#, python-format
msgid "%(count)d file"
msgid_plural "%(count)d files"
msgstr[0] "un file"
msgstr[1] "%(count)d file"

#, python-brace-format
msgid "Hello {name}, you have {count} new messages."
msgstr "Ciao {nome}, hai {count} nuovi messaggi."

msgid "Click <b>Save</b> to keep the changes."
msgstr "Fai clic su Salva per mantenere le modifiche."
'''

XLIFF1 = '''<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" target-language="it" datatype="html" original="app">
    <body>
      <trans-unit id="save">
        <source>Press <x id="1"/> to save <g id="2">now</g>.</source>
        <target>Premi <x id="1"/> per salvare <g id="2">subito</g>.</target>
      </trans-unit>
      <trans-unit id="lost">
        <source>Press <x id="1"/> then <x id="2"/>.</source>
        <target>Premi <x id="1"/>.</target>
      </trans-unit>
      <trans-unit id="draft">
        <source>Open the settings.</source>
        <target state="needs-review-translation">Apri le impostazioni.</target>
      </trans-unit>
      <trans-unit id="icu">
        <source>{count, plural, one {# file} other {# files}} in {folder}</source>
        <target>{count, plural, one {# file} many {# file} other {# file}} in {cartella}</target>
      </trans-unit>
      <trans-unit id="price">
        <source>The plan costs 12 euros a month for 3 users.</source>
        <target>Il piano costa 15 euro al mese per 3 utenti.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
'''

XLIFF2 = '''<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="it">
  <file id="f1">
    <unit id="u1">
      <segment state="translated">
        <source>Click <pc id="1">here</pc> to <ph id="2"/> continue.</source>
        <target>Fai clic <pc id="1">qui</pc> per <ph id="2"/> continuare.</target>
      </segment>
    </unit>
    <unit id="u2">
      <segment state="initial">
        <source>Sign in</source>
        <target>Accedi</target>
      </segment>
    </unit>
    <unit id="u3">
      <segment>
        <source>Delete <ph id="1"/> items.</source>
        <target>Elimina gli elementi.</target>
      </segment>
    </unit>
  </file>
</xliff>
'''

TMX = '''<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="it" datatype="plaintext" segtype="sentence" o-tmf="x"
adminlang="en" creationtool="t" creationtoolversion="1"/>
<body>
<tu tuid="a"><tuv xml:lang="it"><seg>Premi <ph x="1"/> per continuare.</seg></tuv>
<tuv xml:lang="en"><seg>Press <ph x="1"/> to continue.</seg></tuv></tu>
<tu tuid="b"><tuv xml:lang="it"><seg>Il treno parte alle 8 da Bologna.</seg></tuv>
<tuv xml:lang="en"><seg>The train leaves Bologna at 9.</seg></tuv></tu>
</body></tmx>
'''


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _by_id(result) -> dict:
    return {r.unit.id: r for r in result}


# -- placeholders as each format defines them -------------------------------------------

def test_printf_directives_compare_by_position_and_conversion() -> None:
    reordered = codes.canon(codes.find("%2$d altri e %1$s", [codes.PRINTF]))
    assert sorted(reordered) == sorted(codes.canon(codes.find("%s and %d more",
                                                              [codes.PRINTF])))
    assert codes.canon(codes.find("%d files", [codes.PRINTF])) != codes.canon(
        codes.find("%s files", [codes.PRINTF]))
    assert codes.canon(codes.find("100%% done", [codes.PRINTF])) == []


def test_python_brace_and_icu_codes() -> None:
    assert codes.canon(codes.find("%(count)d of %(total)s", [codes.PYTHON])) == [
        "%(count)d", "%(total)s"]
    assert codes.canon(codes.find("Hi {name!r}, {} and {{x}}", [codes.BRACE])) == [
        "{name!r}", "{0}"]
    icu = "{count, plural, one {# file} other {# files}} in {dir}"
    assert codes.canon(codes.find(icu, [codes.ICU])) == ["{count,plural}", "{dir}"]
    # the variants are words to translate: they stay in the text the checks read
    assert "files" in codes.blank(icu, codes.find(icu, [codes.ICU]))
    select = "{g, select, male {he} female {she} other {they}}"
    assert codes.canon(codes.find(select, [codes.ICU])) == ["{g,select:female|male|other}"]


def test_markup_beyond_doubt_but_not_a_translated_metavariable() -> None:
    assert codes.canon(codes.find("uso: git <comando> [<opzioni>]", [codes.MARKUP])) == []
    assert codes.canon(codes.find('Premi <b>OK</b> o <a href="/x">qui</a><br>',
                                  [codes.MARKUP])) == ["<b>", "</b>", "<a>", "</a>", "<br>"]


# -- PO ---------------------------------------------------------------------------------

def test_po_units_states_ids_and_lines(tmp_path: Path) -> None:
    catalog = readers.read(_write(tmp_path, "app.po", PO))
    assert (catalog.format, catalog.src_lang, catalog.tgt_lang) == ("po", "en", "it")
    units = {u.id: u for u in catalog.units}
    assert units["menu\x04Close"].context == "menu"
    assert units["Open the file"].state == "fuzzy"
    assert units["Save the file"].state == "untranslated"
    assert units["%(count)d file[0]"].source.text == "%(count)d file"
    assert units["%(count)d file[1]"].source.text == "%(count)d files"
    line = PO.splitlines().index('#, c-format') + 1
    assert units["Deleted %d files in %s."].line == line


def test_po_checks_follow_the_entry_flags(tmp_path: Path) -> None:
    result = _by_id(check(_write(tmp_path, "app.po", PO)))
    assert result["Deleted %d files in %s."].status == "ok"
    assert result["Copied %d files to %s."].status == "divergent"            # %d -> %s
    assert any(f.code == "placeholder" for f in result["Copied %d files to %s."].flags)
    assert result["Moved %s to %s."].status == "divergent"                    # one %s lost
    assert result["%s and %d more"].status == "ok"                            # reordered
    # a translated metavariable is no tag, markup beyond doubt is
    assert result["usage: git <command> [<options>]"].status == "ok"
    assert result["Click <b>Save</b> to keep the changes."].status == "divergent"
    assert result["Hello {name}, you have {count} new messages."].status == "divergent"
    assert result["Open the file"].status == "fuzzy"
    assert result["Save the file"].status == "untranslated"
    # the singular may say "one" without the count (msgfmt --check allows it): a warning
    singular = result["%(count)d file[0]"]
    assert singular.status == "ok" and [f.code for f in singular.flags] == ["plural-count"]
    assert result["%(count)d file[1]"].status == "ok"


# -- XLIFF ------------------------------------------------------------------------------

def test_xliff12_inline_codes_states_icu_and_numbers(tmp_path: Path) -> None:
    result = check(_write(tmp_path, "app.xlf", XLIFF1))
    assert (result.catalog.src_lang, result.catalog.tgt_lang) == ("en", "it")
    units = _by_id(result)
    assert units["save"].status == "ok"
    assert units["save"].unit.source.text == 'Press <x id="1"/> to save <g id="2">now</g>.'
    assert units["lost"].status == "divergent"
    assert "x:2" in units["lost"].flags[0].source_terms
    assert units["draft"].status == "fuzzy"
    # Italian's extra plural category is no error; a renamed argument is
    assert units["icu"].status == "divergent"
    assert [f.source_terms for f in units["icu"].flags if f.code == "placeholder"] == [
        ("{folder}",)]
    assert units["price"].status == "divergent"
    assert any(f.code == "number-mismatch" for f in units["price"].flags)


def test_xliff2_units_and_segment_state(tmp_path: Path) -> None:
    units = _by_id(check(_write(tmp_path, "app.xlf", XLIFF2)))
    assert units["u1"].status == "ok"
    assert units["u2"].status == "fuzzy"                 # state="initial"
    assert units["u3"].status == "divergent"


def test_tmx_and_tables(tmp_path: Path) -> None:
    units = _by_id(check(_write(tmp_path, "mem.tmx", TMX)))
    assert units["a"].status == "ok" and units["b"].status == "divergent"
    table = _write(tmp_path, "pairs.tsv", "it\ten\nPremi {0} per uscire.\tPress {1} to exit.\n"
                   "Il treno parte alle 8.\tThe train leaves at 8.\n")
    result = check(table)
    assert (result.catalog.src_lang, result.catalog.tgt_lang) == ("it", "en")
    assert [r.status for r in result] == ["divergent", "ok"]
    assert [r.unit.line for r in result] == [2, 3]
    csv_file = _write(tmp_path, "pairs.csv", 'source,target\n"Uno, due",One and two\n')
    assert [r.unit.target.text for r in check(csv_file)] == ["One and two"]


def test_a_unit_of_several_sentences_is_aligned_inside_itself() -> None:
    unit = Unit("1", Text("Il treno parte alle otto da Bologna. Arriva a Roma alle undici. "
                          "Il biglietto costa venti euro."),
                Text("The train leaves Bologna at eight. The ticket costs twenty euros."))
    result = check([unit], src_lang="it", tgt_lang="en").results[0]
    assert result.status == "divergent"
    assert any(f.code == "omission" for f in result.flags)


# -- across the file --------------------------------------------------------------------

def test_consistency_and_terms(tmp_path: Path) -> None:
    units = [Unit("1", Text("Save the file"), Text("Salva il file")),
             Unit("2", Text("Save the file"), Text("Salva il documento")),
             Unit("3", Text("Delete the file"), Text("Elimina il file")),
             Unit("4", Text("Remove the file"), Text("Elimina il file")),
             Unit("5", Text("Open the folder"), Text("Apri la directory"))]
    result = check(units, src_lang="en", tgt_lang="it",
                   terms={"folder": ["cartella"], "file": ["file", "documento"]})
    flags = {r.unit.id: {f.code for f in r.flags} for r in result}
    assert "inconsistent-target" in flags["1"] and "inconsistent-target" in flags["2"]
    assert "inconsistent-source" in flags["3"] and "inconsistent-source" in flags["4"]
    assert flags["5"] == {"term"} and result.results[4].status == "divergent"
    assert all(r.status == "ok" for r in result.results[:4])


# -- reports ----------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True,
                          text=True, timeout=120)


def test_json_schema_and_junit(tmp_path: Path) -> None:
    po = _write(tmp_path, "app.po", PO)
    out = _cli("check", str(po), "-f", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema"] == "aligner/check/1"
    assert data["file"] == {"path": str(po), "format": "po", "source_lang": "en",
                            "target_lang": "it"}
    unit = next(u for u in data["units"] if u["id"] == "menu\x04Close")
    assert set(unit) >= {"id", "line", "source", "target", "status", "divergence", "flags"}
    assert data["summary"]["divergent"] == sum(u["status"] == "divergent"
                                               for u in data["units"])
    assert data["signature"]["text"].startswith("aligner:")
    page = tmp_path / "report.html"
    assert _cli("check", str(po), "-o", str(page), "-q").returncode == 0
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Copied %d files to %s." in html
    assert html.count('<tr class="divergent">') == data["summary"]["divergent"]
    junit = _cli("check", str(po), "-f", "junit", "--fail-on", "divergent")
    assert junit.returncode == 1 and "refused by --fail-on" in junit.stderr
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == len(data["units"])
    assert int(suite.get("failures", "-1")) == sum(c.find("failure") is not None for c in cases)
    assert int(suite.get("failures", "-1")) == data["summary"]["divergent"]


def test_annotate_po_changes_only_the_flagged_entries(tmp_path: Path) -> None:
    po = _write(tmp_path, "app.po", PO)
    result = check(po)
    out = tmp_path / "out.po"
    noted = annotate(result, out)
    before, after = PO.splitlines(), out.read_text("utf-8").splitlines()
    added = [line for line in after if line.startswith("# aligner: ")]
    assert noted >= 4 and len(added) >= noted
    assert [line for line in after if not line.startswith("# aligner: ")] == before
    again = _by_id(check(out))          # still a PO file, with the same units
    assert set(again) == set(_by_id(result))


def test_annotate_xliff_adds_notes_and_review_state(tmp_path: Path) -> None:
    xlf = _write(tmp_path, "app.xlf", XLIFF1)
    out = tmp_path / "out.xlf"
    annotate(check(xlf), out)
    text = out.read_text("utf-8")
    ET.fromstring(text.encode())                       # well-formed
    assert text.count('<note from="aligner">') >= 3
    lost = text[text.index('id="lost"'):text.index('id="draft"')]
    assert 'state="needs-review-translation"' in lost and "placeholder" in lost
    # an unflagged unit is byte for byte as it was
    save = XLIFF1[XLIFF1.index('<trans-unit id="save">'):XLIFF1.index('<trans-unit id="lost">')]
    assert save in text


def test_cli_annotate_and_bad_input(tmp_path: Path) -> None:
    xlf = _write(tmp_path, "app.xlf", XLIFF1)
    out = _cli("check", str(xlf), "--annotate", str(tmp_path / "noted.xlf"), "-q")
    assert out.returncode == 0 and (tmp_path / "noted.xlf").exists()
    assert _cli("check", str(xlf), "--annotate", str(xlf)).returncode == 2
    broken = _write(tmp_path, "broken.xlf", XLIFF1.replace("</body>", ""))
    bad = _cli("check", str(broken))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "malformed XML" in bad.stderr
    empty = _write(tmp_path, "empty.po", 'msgid ""\nmsgstr ""\n"Language: it\\n"\n')
    bad = _cli("check", str(empty))
    assert bad.returncode == 2 and "no translation units" in bad.stderr
    wrong = _cli("check", str(xlf), "--src-lang", "it", "--tgt-lang", "en")
    assert wrong.returncode == 2 and "source language is en, not it" in wrong.stderr
    garbage = _write(tmp_path, "garbage.po", 'msgid "a\nmsgstr "b"\n')
    bad = _cli("check", str(garbage))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# -- real files -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["django.it.po", "symfony-validator.it.xlf"])
def test_real_files_as_published_are_mostly_ok(name: str) -> None:
    """Published translations: few units come out divergent (make eval has the figures)."""
    result = check(REAL / name)
    judged = [r for r in result if r.status in ("ok", "divergent")]
    assert len(judged) > 100
    assert sum(r.status == "divergent" for r in judged) <= 0.02 * len(judged)


def test_a_name_swapped_at_the_start_of_a_label() -> None:
    """In a label the name is often the first word: one the file keeps elsewhere, or an
    acronym, put for another is a divergence."""
    units = [Unit("1", Text("Django administration"), Text("Amministrazione Modena")),
             Unit("2", Text("Welcome to Django"), Text("Benvenuto in Django")),
             Unit("3", Text("Powered by Django"), Text("Realizzato con Django")),
             Unit("4", Text("CSRF verification failed."), Text("Verifica Modena fallita.")),
             Unit("5", Text("Reset my password"), Text("Reimposta la mia password")),
             Unit("6", Text("This value is not a valid MAC address."),
                  Text("Questo valore non è un indirizzo Modena valido.")),
             Unit("7", Text("This value is not a valid IBAN."),
                  Text("Questo valore non è un IBAN valido."))]
    status = [r.status for r in check(units, src_lang="en", tgt_lang="it")]
    assert status == ["divergent", "ok", "ok", "divergent", "ok", "divergent", "ok"]


def test_po_files_keyed_by_id_are_paired_by_key(tmp_path: Path) -> None:
    """POT-less catalogues (msgids are keys): the source language's msgstrs are the sources."""
    head = 'msgid ""\nmsgstr ""\n"Language: {}\\n"\n\n'
    en = _write(tmp_path, "en.po", head.format("en") + 'msgid "app.save"\nmsgstr "Save %s"\n\n'
                'msgid "app.count"\nmsgstr "3 files"\n\nmsgid "app.new"\nmsgstr "New"\n')
    it = _write(tmp_path, "it.po", head.format("it") + 'msgid "app.save"\nmsgstr "Salva %s"\n\n'
                'msgid "app.count"\nmsgstr "4 file"\n\nmsgid "app.old"\nmsgstr "Vecchio"\n')
    result = check(it, source_po=en)
    assert (result.catalog.src_lang, result.catalog.tgt_lang) == ("en", "it")
    units = _by_id(result)
    assert set(units) == {"app.save", "app.count", "app.new"}
    assert units["app.save"].unit.source.text == "Save %s" and units["app.save"].status == "ok"
    assert units["app.count"].status == "divergent"
    assert units["app.new"].status == "untranslated"
    out = _cli("check", str(it), "--source-po", str(en), "-f", "json")
    assert out.returncode == 0 and json.loads(out.stdout)["summary"]["units"] == 3
