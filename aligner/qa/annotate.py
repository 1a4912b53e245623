"""``aligner check --annotate``: the findings written back into a copy of the file.

Only the flagged units change, by insertion alone, so every other byte of the file stays as it
was (a diff shows just the findings): a PO entry gets ``# aligner: CODE: message`` translator
comments above it; an XLIFF 1.2 unit a ``<note from="aligner">`` and its target the state
``needs-review-translation``; an XLIFF 2 unit a ``<note category="aligner">`` in its notes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from aligner.errors import InputError
from aligner.qa.units import FileCheck, UnitResult

#: The prefix of every comment or note this writes (what tells them from the translators').
TAG = "aligner"
#: A 1.2 target's state after annotating: what CAT tools show as "to review".
REVIEW_STATE = "needs-review-translation"


def flagged(result: UnitResult) -> bool:
    """The units worth a note: divergent ones and those with a warning."""
    return result.status == "divergent" or any(f.severity in ("error", "warning")
                                               for f in result.flags)


def annotate(result: FileCheck, output: str | os.PathLike[str]) -> int:
    """Write the annotated copy of ``result``'s file to ``output``; returns the units noted."""
    fmt, path = result.catalog.format, result.catalog.path
    if path is None or fmt not in ("po", "xliff"):
        raise InputError(f"--annotate writes PO and XLIFF files, not {fmt}")
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: --annotate needs a UTF-8 file") from None
    notes = [r for r in result if flagged(r)]
    out = _po(text, notes) if fmt == "po" else _xliff(text, result, notes)
    Path(output).write_bytes(out.encode("utf-8"))
    return len(notes)


def _messages(r: UnitResult) -> list[str]:
    return [f"{f.code}: {' '.join(f.message.split())}" for f in r.flags if f.severity != "info"]


def _po(text: str, notes: Sequence[UnitResult]) -> str:
    """Translator comments above each noted entry; its plural forms share the entry, and a
    finding of several forms is written once, naming them."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    by_line: dict[int, dict[str, list[str]]] = {}
    for r in notes:
        if r.unit.line is None:
            continue
        entry = by_line.setdefault(r.unit.line, {})
        for message in _messages(r) or [r.status]:
            entry.setdefault(message, []).append(r.unit.note or "")
    out = []
    for n, line in enumerate(lines, 1):
        for message, forms in by_line.get(n, {}).items():
            named = [f for f in forms if f]
            where = f" [{', '.join(named)}]" if named and len(named) < _forms(lines, n) else ""
            out.append(f"# {TAG}: {message}{where}{newline}")
        out.append(line)
    return "".join(out)


def _forms(lines: Sequence[str], start: int) -> int:
    """How many msgstr forms the entry starting at line ``start`` (1-based) has."""
    count = 0
    for line in lines[start - 1:]:
        if not line.strip():
            break
        count += line.startswith("msgstr")
    return max(count, 1)


_UNIT = {"1": re.compile(r"<(?:[\w-]+:)?trans-unit\b[^>]*>"),
         "2": re.compile(r"<(?:[\w-]+:)?unit\b[^>]*>")}
_ID = re.compile(r"""\bid\s*=\s*(["'])(.*?)\1""")


def _xliff(text: str, result: FileCheck, notes: Sequence[UnitResult]) -> str:
    """A note in each noted unit, found by its id in file order."""
    version = "2" if "urn:oasis:names:tc:xliff:document:2.0" in text[:4096] else "1"
    wanted: dict[str, list[UnitResult]] = {}
    for r in notes:
        wanted.setdefault(r.unit.id.split("#")[0], []).append(r)
    pieces, pos = [], 0
    end_tag = "trans-unit" if version == "1" else "unit"
    for m in _UNIT[version].finditer(text):
        found = _ID.search(m.group(0))
        ident = found.group(2) if found else None
        if ident is None or ident not in wanted:
            continue
        results = wanted.pop(ident)
        close = re.compile(rf"</(?:[\w-]+:)?{end_tag}\s*>").search(text, m.end())
        if close is None:
            continue
        body = text[m.end():close.start()]
        indent = _indent(text, close.start())
        messages = [msg for r in results for msg in _messages(r) or [r.status]]
        if version == "1":
            body = _review_state(body)
            note = "".join(f'  <note from="{TAG}">{escape(msg)}</note>\n{indent}'
                           for msg in messages)
            pieces += [text[pos:m.end()], body, note]
        else:
            note = "".join(f'<note category="{TAG}">{escape(msg)}</note>' for msg in messages)
            notes_at = re.search(r"</(?:[\w-]+:)?notes\s*>", body)
            if notes_at:
                body = body[:notes_at.start()] + note + body[notes_at.start():]
            else:
                body = f"<notes>{note}</notes>" + body
            pieces += [text[pos:m.end()], body]
        pos = close.start()
    pieces.append(text[pos:])
    return "".join(pieces)


def _review_state(body: str) -> str:
    """The unit's ``<target>`` with the state a reviewer filters on."""
    m = re.search(r"<(?:[\w-]+:)?target\b[^>]*>", body)
    if m is None:
        return body
    tag = m.group(0)
    if re.search(r"\bstate\s*=", tag):
        new = re.sub(r"""\bstate\s*=\s*(["']).*?\1""", f'state="{REVIEW_STATE}"', tag)
    else:
        new = tag[:-1].rstrip("/") + f' state="{REVIEW_STATE}"' + ("/>" if tag.endswith("/>")
                                                                   else ">")
    return body[:m.start()] + new + body[m.end():]


def _indent(text: str, at: int) -> str:
    start = text.rfind("\n", 0, at) + 1
    lead = text[start:at]
    return lead if not lead.strip() else ""
