"""Readers of translation files: XLIFF 1.2 and 2.x, gettext PO, TMX, two-column TSV/CSV.

Each returns a ``Catalog``: the file's units in file order, with each side's codes as the
format defines them (``aligner.text.codes``), the file's own languages and each unit's state.
XML is read with lxml (streamed, entities never resolved, no network), PO with polib; both
keep line numbers, which the reports print and ``--annotate`` uses. A file that cannot be read
is an ``InputError``: one line, naming the file and, where the parser knows, the line.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from aligner.errors import InputError
from aligner.qa.units import Catalog, State, Text, Unit
from aligner.text import codes
from aligner.text.codes import Code
from aligner.text.language import base

#: File extensions and the reader of each.
FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".po": "po",
           ".pot": "po", ".tmx": "tmx", ".tsv": "tsv", ".tab": "tsv", ".csv": "csv"}
#: The language of a PO file's msgids when its header does not say (gettext's convention).
PO_SOURCE_LANG = "en"
_ICU_LIKE = re.compile(r"\{\s*\w+\s*,\s*(?:plural|select|selectordinal)\s*,")


def read(path: str | os.PathLike[str], src_lang: str | None = None,
         tgt_lang: str | None = None, fmt: str | None = None) -> Catalog:
    """The units of a translation file. ``src_lang``/``tgt_lang``: what the user says the
    pair is; a file that names other languages is refused (a wrong pair), one that names none
    takes them. ``fmt``: the format, else from the extension (or the content for XML)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: {'is a folder' if p.is_dir() else 'no such file'}")
    fmt = fmt or FORMATS.get(p.suffix.lower()) or _sniff(p)
    readers: dict[str, Callable[..., Catalog]] = {
        "xliff": _xliff, "po": _po, "tmx": _tmx, "tsv": _table, "csv": _table}
    if fmt not in readers:
        raise InputError(f"{path}: not a translation file aligner reads (.xlf, .po, .tmx, "
                         ".tsv, .csv)")
    catalog = readers[fmt](p, src_lang, tgt_lang, fmt)
    if not catalog.units:
        raise InputError(f"{path}: no translation units")
    return catalog


def _sniff(p: Path) -> str:
    head = p.read_bytes()[:2048].decode("utf-8", "replace")
    if "<xliff" in head:
        return "xliff"
    if "<tmx" in head:
        return "tmx"
    if re.search(r'^msgid\s+"', head, re.M):
        return "po"
    return ""


def _languages(path: Path, declared: tuple[str | None, str | None],
               given: tuple[str | None, str | None],
               defaults: tuple[str | None, str | None] = (None, None)) -> tuple[str, str]:
    """The pair: what the file declares, checked against what the user gave."""
    out = []
    for role, mine, theirs, default in (("source", declared[0], given[0], defaults[0]),
                                        ("target", declared[1], given[1], defaults[1])):
        if mine and theirs and base(mine) != base(theirs):
            raise InputError(f"{path}: the file's {role} language is {mine}, not {theirs} "
                             f"(drop --{role[:3] if role == 'source' else 'tgt'}-lang or "
                             "check the file)")
        lang = theirs or mine or default
        if not lang:
            raise InputError(f"{path}: the file does not say its {role} language "
                             f"(give --{'src' if role == 'source' else 'tgt'}-lang)")
        out.append(lang)
    return out[0], out[1]


# -- gettext PO ---------------------------------------------------------------------------

#: A PO entry's format flag -> the placeholder syntax it declares.
PO_FLAGS = {"c-format": codes.PRINTF, "objc-format": codes.PRINTF, "php-format": codes.PRINTF,
            "javascript-format": codes.PRINTF, "sh-format": codes.TEXT,
            "python-format": codes.PYTHON, "python-brace-format": codes.BRACE,
            "java-format": codes.BRACE, "csharp-format": codes.BRACE,
            "icu-format": codes.ICU}


def po_syntaxes(flags: Sequence[str], text: str) -> tuple[str, ...]:
    """The syntaxes of a PO entry: those its flags declare (with none, the generic guess);
    markup beyond doubt, never a lone ``<opzioni>`` (a word its translator translates); ICU
    wherever the text reads as an ICU message."""
    declared = [PO_FLAGS[f] for f in flags if f in PO_FLAGS]
    denied = {PO_FLAGS.get(f[3:]) for f in flags if f.startswith("no-")}
    found = tuple(dict.fromkeys(declared)) or tuple(
        s for s in (codes.TEXT,) if s not in denied)
    return ((codes.ICU,) if _ICU_LIKE.search(text) else ()) + found + (codes.MARKUP,)


def _po(path: Path, src_lang: str | None, tgt_lang: str | None, fmt: str) -> Catalog:
    import polib

    try:
        catalog = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a PO file aligner can read ({_one_line(exc)})"
                         ) from None
    meta = catalog.metadata
    src, tgt = _languages(path, (meta.get("X-Source-Language") or None,
                                 meta.get("Language") or None), (src_lang, tgt_lang),
                          (PO_SOURCE_LANG, None))
    units: list[Unit] = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        fuzzy = "fuzzy" in entry.flags
        forms = ([(0, entry.msgid, entry.msgstr)] if not entry.msgid_plural else
                 [(n, entry.msgid if n == 0 else entry.msgid_plural, text)
                  for n, text in sorted(entry.msgstr_plural.items())])
        for n, source, target in forms:
            syntaxes = po_syntaxes(entry.flags, source)
            units.append(Unit(
                id=key if not entry.msgid_plural else f"{key}[{n}]",
                source=Text(source, tuple(codes.find(source, syntaxes))),
                target=Text(target, tuple(codes.find(target, syntaxes))),
                line=entry.linenum, state=_state(target, fuzzy), context=entry.msgctxt,
                note=f"plural form {n}" if entry.msgid_plural else None))
    return Catalog(str(path), "po", src, tgt, tuple(units))


def read_po_pair(source: str | os.PathLike[str], target: str | os.PathLike[str],
                 src_lang: str | None = None, tgt_lang: str | None = None) -> Catalog:
    """Two PO catalogues whose msgids are keys (``app.title``), not source text: the units are
    the source file's msgstrs against the target file's, paired by msgctxt and msgid, each
    file's language its ``Language`` header. A key only the target has is left out (nothing
    to compare it with); one only the source has is an untranslated unit."""
    first = read(source, tgt_lang=src_lang, fmt="po")      # its msgstrs: the source language
    second = read(target, tgt_lang=tgt_lang, fmt="po")
    src, tgt = first.tgt_lang, second.tgt_lang
    theirs = {u.id: u for u in second.units}
    units = []
    for unit in first.units:
        if unit.state == "untranslated":
            continue
        other = theirs.get(unit.id)
        units.append(Unit(unit.id, unit.target, other.target if other else Text(""),
                          other.line if other else None,
                          other.state if other else "untranslated", unit.context, unit.note))
    if not units:
        raise InputError(f"{source}: no translated units to use as sources")
    return Catalog(str(target), "po", src, tgt, tuple(units))


def _state(target: str, fuzzy: bool) -> State:
    if not target.strip():
        return "untranslated"
    return "fuzzy" if fuzzy else "translated"


# -- XLIFF --------------------------------------------------------------------------------

_XLIFF1 = "urn:oasis:names:tc:xliff:document:1.2"
_XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
#: XLIFF 1.2 target states that mean "not final": reported as fuzzy, never as errors.
_DRAFT_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n",
                 "needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
#: Inline elements: those that stand for a code (their content, if any, is the code's own
#: native data) and those that wrap translatable text (their start and end are codes).
_EMPTY_CODES = {"x", "bx", "ex", "ph", "bpt", "ept", "it", "sc", "ec", "sub", "ut"}
_PAIRED_CODES = {"g", "pc"}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_events(path: Path, tags: Sequence[str]) -> Iterator[Any]:
    """lxml's streamed parse of ``path``: each element of ``tags`` (any namespace) at its end,
    then freed; XML errors become one line."""
    from lxml import etree

    try:
        for _, elem in etree.iterparse(str(path), events=("end",), resolve_entities=False,
                                       no_network=True, remove_comments=True):
            if _local(elem.tag) in tags:
                yield elem
                elem.clear(keep_tail=True)
                while elem.getprevious() is not None:    # the units already read
                    del elem.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: malformed XML ({_one_line(exc)})") from None


def _inline(elem: Any, syntaxes: Sequence[str]) -> Text:
    """An XLIFF or TMX segment as text: inline codes written compactly in place (``<x
    id="1"/>``, ``<g id="2">``...``</g>``), each a code named by its element and id, and the
    text between them searched for the placeholders of ``syntaxes``."""
    parts: list[str] = []
    found: list[Code] = []
    pos = 0

    def add(text: str | None) -> None:
        nonlocal pos
        if text:
            for c in codes.find(text, syntaxes):
                found.append(Code(pos + c.start, pos + c.end, c.canon))
            parts.append(text)
            pos += len(text)

    def code(shown: str, canon: str) -> None:
        nonlocal pos
        found.append(Code(pos, pos + len(shown), canon))
        parts.append(shown)
        pos += len(shown)

    def walk(node: Any) -> None:
        add(node.text)
        for child in node:
            name = _local(child.tag)
            ident = (child.get("id") or child.get("i") or child.get("x") or child.get("rid")
                     or child.get("startRef") or "")
            if name in _EMPTY_CODES:
                native = "".join(child.itertext()).strip()
                shown = native or f'<{name}{f" id={ident!r}" if ident else ""}/>'
                code(shown.replace("'", '"'), f"{name}:{ident}")
            elif name in _PAIRED_CODES:
                code(f'<{name} id="{ident}">', f"{name}:{ident}")
                walk(child)
                code(f"</{name}>", f"/{name}:{ident}")
            elif name == "cp":                              # XLIFF 2: a character by code
                add(chr(int(child.get("hex", "20"), 16)))
            else:                                           # mrk, hi, sub text: annotations
                walk(child)
            add(child.tail)

    walk(elem)
    return Text("".join(parts), tuple(found))


def _text_syntaxes(sample: str, datatype: str | None) -> tuple[str, ...]:
    """Placeholders in the text of an XLIFF or TMX segment: the generic guess, tags unless
    the file says its text is plain, ICU where the text reads as ICU."""
    out: tuple[str, ...] = (codes.TEXT,) + (() if datatype == "plaintext" else (codes.TAGS,))
    return ((codes.ICU,) if _ICU_LIKE.search(sample) else ()) + out


def _xliff(path: Path, src_lang: str | None, tgt_lang: str | None, fmt: str) -> Catalog:
    head = path.read_bytes()[:4096].decode("utf-8", "replace")
    version2 = _XLIFF2 in head or re.search(r'<xliff[^>]*version="2', head) is not None
    units: list[Unit] = []
    langs: tuple[str | None, str | None] = (None, None)
    datatype: str | None = None
    if version2:
        m = re.search(r'<xliff[^>]*', head)
        tag = m.group(0) if m else ""
        langs = (_attr(tag, "srcLang"), _attr(tag, "trgLang"))
        for unit in _xml_events(path, ("unit",)):
            if unit.get("translate") == "no":
                continue
            segments = [s for s in unit if _local(s.tag) == "segment"]
            for k, seg in enumerate(segments):
                source = next((c for c in seg if _local(c.tag) == "source"), None)
                target = next((c for c in seg if _local(c.tag) == "target"), None)
                if source is None:
                    continue
                sample = "".join(source.itertext())
                syntaxes = _text_syntaxes(sample, None)
                src_text = _inline(source, syntaxes)
                tgt_text = _inline(target, syntaxes) if target is not None else Text("")
                state: State = _state(tgt_text.text, seg.get("state") == "initial")
                ident = unit.get("id", str(len(units) + 1))
                if len(segments) > 1:
                    ident += f"#{seg.get('id') or k + 1}"
                units.append(Unit(ident, src_text, tgt_text, seg.sourceline or unit.sourceline,
                                  state))
    else:
        for elem in _xml_events(path, ("trans-unit",)):
            file = elem.getparent()
            while file is not None and _local(file.tag) != "file":
                file = file.getparent()
            if file is not None:
                langs = (file.get("source-language"), file.get("target-language"))
                datatype = file.get("datatype")
            if elem.get("translate") == "no":
                continue
            source = next((c for c in elem if _local(c.tag) == "source"), None)
            target = next((c for c in elem if _local(c.tag) == "target"), None)
            if source is None:
                continue
            syntaxes = _text_syntaxes("".join(source.itertext()),
                                      elem.get("datatype") or datatype)
            src_text = _inline(source, syntaxes)
            tgt_text = _inline(target, syntaxes) if target is not None else Text("")
            draft = target is not None and target.get("state") in _DRAFT_STATES
            units.append(Unit(elem.get("id", str(len(units) + 1)), src_text, tgt_text,
                              elem.sourceline, _state(tgt_text.text, draft),
                              note=elem.get("resname")))
    src, tgt = _languages(path, langs, (src_lang, tgt_lang))
    return Catalog(str(path), "xliff", src, tgt, tuple(units))


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\b{name}="([^"]*)"', tag)
    return m.group(1) if m else None


# -- TMX ----------------------------------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tmx(path: Path, src_lang: str | None, tgt_lang: str | None, fmt: str) -> Catalog:
    head = path.read_bytes()[:4096].decode("utf-8", "replace")
    m = re.search(r"<header[^>]*", head)
    declared = _attr(m.group(0), "srclang") if m else None
    if declared == "*all*":
        declared = None
    src = src_lang or declared
    units: list[Unit] = []
    seen_langs: set[str] = set()
    for k, tu in enumerate(_xml_events(path, ("tu",))):
        variants = {}
        for tuv in tu:
            if _local(tuv.tag) != "tuv":
                continue
            lang = tuv.get(_XML_LANG) or tuv.get("lang") or ""
            seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
            if seg is not None and lang:
                variants[base(lang)] = (lang, seg)
                seen_langs.add(base(lang))
        if src is None and variants:
            src = next(iter(variants.values()))[0]
        if src is None or base(src) not in variants:
            continue
        others = [v for b, v in variants.items() if b != base(src)]
        if tgt_lang is not None:
            others = [v for b, v in variants.items() if b == base(tgt_lang)]
        elif len(others) > 1:
            raise InputError(f"{path}: units in {len(variants)} languages "
                             f"({', '.join(sorted(variants))}): give --tgt-lang")
        source_seg = variants[base(src)][1]
        syntaxes = _text_syntaxes("".join(source_seg.itertext()), None)
        src_text = _inline(source_seg, syntaxes)
        tgt_text = _inline(others[0][1], syntaxes) if others else Text("")
        if tgt_lang is None and others:
            tgt_lang = others[0][0]
        units.append(Unit(tu.get("tuid") or str(k + 1), src_text, tgt_text, tu.sourceline,
                          _state(tgt_text.text, False)))
    if src is None or tgt_lang is None:
        raise InputError(f"{path}: no unit has two languages to compare")
    if src_lang and declared and base(declared) != base(src_lang):
        raise InputError(f"{path}: the file's source language is {declared}, not {src_lang}")
    return Catalog(str(path), "tmx", src, tgt_lang, tuple(units))


# -- TSV / CSV ----------------------------------------------------------------------------

#: A table's pair when neither a header nor the user names one: the project's default pair.
TABLE_LANGS = ("it", "en")
_HEADER = {"source", "target", "src", "tgt", "original", "translation"}


def _table(path: Path, src_lang: str | None, tgt_lang: str | None, fmt: str) -> Catalog:
    """Two columns, source then target (more are ignored); a first row of language codes or
    of ``source``/``target`` is a header (its codes name the languages)."""
    from aligner.text.read import read_text

    text = read_text(path)
    if fmt == "csv":
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = csv.reader(io.StringIO(text), dialect)
    else:
        rows = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    units: list[Unit] = []
    declared: tuple[str | None, str | None] = (None, None)
    syntaxes = (codes.TEXT, codes.TAGS)
    try:
        for k, row in enumerate(rows):
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if k == 0 and len(row) >= 2 and _is_header(row[0], row[1]):
                codes_given = [c.strip() for c in row[:2]]
                if all(c.lower() not in _HEADER for c in codes_given):
                    declared = (codes_given[0], codes_given[1])
                continue
            if len(row) < 2:
                raise InputError(f"{path}:{line}: one column; a table needs the source and "
                                 "the target, separated by a tab (or a comma in CSV)")
            source, target = row[0], row[1]
            units.append(Unit(str(line), Text(source, tuple(codes.find(source, syntaxes))),
                              Text(target, tuple(codes.find(target, syntaxes))), line,
                              _state(target, False)))
    except csv.Error as exc:
        raise InputError(f"{path}: not a {fmt.upper()} file aligner can read "
                         f"({_one_line(exc)})") from None
    src, tgt = _languages(path, declared, (src_lang, tgt_lang), TABLE_LANGS)
    return Catalog(str(path), fmt, src, tgt, tuple(units))


def _is_header(a: str, b: str) -> bool:
    lang = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")
    return all(c.strip().lower() in _HEADER or lang.match(c.strip()) for c in (a, b))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
