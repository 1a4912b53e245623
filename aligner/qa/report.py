"""Reports of ``aligner check``: a text table, JSON, TSV, a self-contained HTML page, JUnit XML.

Every report names each unit by its id in the file and its line, so a reviewer can go straight
to it; JSON is ``aligner/check/1`` (docs/formats.md), JUnit one test case a unit so that a CI
system lists each failing unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TextIO
from xml.sax.saxutils import quoteattr

from aligner import jsonout
from aligner.qa.units import FileCheck, Unit, UnitResult
from aligner.report import CSS

TSV_COLUMNS = ("file", "id", "line", "status", "divergence", "flag_codes", "flag_messages",
               "source", "target")


def shown(result: FileCheck, every: bool = False) -> list[UnitResult]:
    """The units a report lists: all with ``every``, else those not ``ok`` or with a
    warning (``inconsistent-target`` on an ok unit is worth a look)."""
    return [r for r in result if every or r.status != "ok"
            or any(f.severity != "info" for f in r.flags)]


def summary_line(result: FileCheck) -> str:
    s = result.summary()
    name = result.catalog.path or "units"
    return (f"{name}: {s['units']} units, {s['divergent']} divergent, {s['untranslated']} "
            f"untranslated, {s['fuzzy']} fuzzy ({result.catalog.src_lang} -> "
            f"{result.catalog.tgt_lang})")


def write_text(results: Sequence[FileCheck], out: TextIO, *, color: bool = False,
               every: bool = False) -> None:
    """One block a listed unit: where it is, its status and divergence, both sides, its flags;
    then each file's summary and the signature."""
    for result in results:
        _text(result, out, color, every)
    if results and results[-1].signature is not None:
        out.write(f"signature: {results[-1].signature.text()}\n")


def _text(result: FileCheck, out: TextIO, color: bool, every: bool) -> None:
    styles = {"divergent": "\x1b[31;1m", "untranslated": "\x1b[33m", "fuzzy": "\x1b[36m",
              "ok": "\x1b[32m"}
    reset = "\x1b[0m" if color else ""
    path = result.catalog.path or "units"
    for r in shown(result, every):
        u = r.unit
        where = f"{path}:{u.line}" if u.line else path
        status = f"{styles[r.status] if color else ''}{r.status}{reset}"
        label = f"  [{_one_line(_label(u), 70)}]" if _label(u) else ""
        out.write(f"{where}{label}  {status}  {r.divergence:.2f}\n")
        out.write(f"  source: {_one_line(u.source.text)}\n")
        out.write(f"  target: {_one_line(u.target.text)}\n")
        for f in r.flags:
            out.write(f"  - {f.severity} {f.code}: {f.message}\n")
        out.write("\n")
    out.write(summary_line(result) + "\n")


def _label(unit: Unit) -> str:
    """A unit's id where it says more than its source (a PO msgid is the source itself)."""
    return "" if unit.id == unit.source.text else unit.id


def _one_line(text: str, limit: int | None = None) -> str:
    text = " ".join(text.replace("\x04", " | ").split())
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def write_json(results: Sequence[FileCheck], out: TextIO) -> None:
    """One file: its ``aligner/check/1`` document; several: a JSON array of them."""
    if len(results) == 1:
        out.write(results[0].to_json(indent=2))
    else:
        out.write(jsonout.dumps([r.to_dict() for r in results]))
    out.write("\n")


def write_tsv(results: Sequence[FileCheck], out: TextIO) -> None:
    """Every unit, a row; tabs and newlines inside a field are written as spaces."""
    out.write("\t".join(TSV_COLUMNS) + "\n")
    for result in results:
        for r in result:
            _tsv_row(result.catalog.path or "", r, out)


def _tsv_row(path: str, r: UnitResult, out: TextIO) -> None:
    u = r.unit
    row = [path, u.id, "" if u.line is None else str(u.line), r.status, f"{r.divergence:.4f}",
           ",".join(f.code for f in r.flags), " | ".join(f.message for f in r.flags),
           u.source.text, u.target.text]
    out.write("\t".join(_one_line(x) for x in row) + "\n")


def write_junit(results: Sequence[FileCheck], out: TextIO) -> None:
    """JUnit XML: each file a test suite, each unit a test case (classname: the file, name:
    the unit's id and line); divergent units fail, untranslated and fuzzy ones are skipped
    with the reason."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
    for result in results:
        _suite(result, out)
    out.write("</testsuites>\n")


def _suite(result: FileCheck, out: TextIO) -> None:
    s = result.summary()
    path = result.catalog.path or "units"
    out.write(f"  <testsuite name={quoteattr('aligner check ' + path)} tests=\"{s['units']}\" "
              f"failures=\"{s['divergent']}\" errors=\"0\" "
              f"skipped=\"{s['untranslated'] + s['fuzzy']}\">\n")
    for r in result:
        u = r.unit
        name = quoteattr(_one_line(u.id, 200) + (f" (line {u.line})" if u.line else ""))
        out.write(f"    <testcase classname={quoteattr(path)} name={name}>")
        message = "; ".join(f"{f.code}: {f.message}" for f in r.flags if f.severity != "info")
        if r.status == "divergent":
            body = (f"{path}:{u.line or ''}\nsource: {u.source.text}\ntarget: {u.target.text}"
                    f"\n{message}")
            out.write(f"\n      <failure message={quoteattr(message or 'divergent')} "
                      f"type=\"divergent\">{escape(body, quote=False)}</failure>\n    ")
        elif r.status in ("untranslated", "fuzzy"):
            out.write(f"\n      <skipped message={quoteattr(r.status)}/>\n    ")
        out.write("</testcase>\n")
    out.write("  </testsuite>\n")


def write_html(results: Sequence[FileCheck], out: TextIO, *, every: bool = False) -> None:
    """A self-contained page: for each file its counts, then a table of the listed units."""
    sections = "".join(_section(r, every) for r in results)
    signature = escape(results[-1].signature.text()) if results and results[-1].signature \
        else ""
    title = escape(", ".join(r.catalog.path or "units" for r in results))
    out.write(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>aligner check: {title}</title>
<style>{CSS}</style></head><body>
{sections}<footer>{signature}</footer></body></html>
""")


def _section(result: FileCheck, every: bool) -> str:
    s = result.summary()
    path = escape(result.catalog.path or "units")
    cards = "".join(f'<div class="card"><b>{s[k]}</b>{k}</div>'
                    for k in ("units", "divergent", "untranslated", "fuzzy"))
    rows = []
    for r in shown(result, every):
        u = r.unit
        flags = "".join(f'<span class="flag {escape(f.severity)}">{escape(f.code)}: '
                        f"{escape(f.message)}</span>" for f in r.flags)
        css_class = "divergent" if r.status == "divergent" else (
            "extra" if r.status in ("untranslated", "fuzzy") else "aligned")
        rows.append(f'<tr class="{css_class}"><td class="n">{u.line or ""}</td>'
                    f'<td class="st">{escape(r.status)}<br><span class="score">'
                    f"{r.divergence:.2f}</span></td><td>{escape(_one_line(_label(u), 120))}</td>"
                    f"<td>{escape(u.source.text)}</td><td>{escape(u.target.text)}{flags}</td>"
                    "</tr>")
    return (f"""<header><h1>aligner check: {path}</h1>
<div class="meta">{escape(result.catalog.format)}, {escape(result.catalog.src_lang)} →
{escape(result.catalog.tgt_lang)}</div><div class="cards">{cards}</div></header>
<table><thead><tr><th class="n">line</th><th class="st">status</th><th>id</th><th>source</th>
<th>target</th></tr></thead><tbody>
{"".join(rows) or '<tr><td colspan="5">every unit is ok</td></tr>'}
</tbody></table>
""")


WRITERS = {"text": write_text, "json": write_json, "tsv": write_tsv, "junit": write_junit,
           "html": write_html}
