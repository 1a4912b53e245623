"""Placeholders and inline codes: what a translation must carry through unchanged.

A text's codes depend on what the text is. Free text (an article, a TSV of segments) gets the
generic guess of ``TEXT``: ``{0}``, ``{{ name }}``, ``%s``, ``${x}``, ``@NAME@``, man-page
references, and with ``TAGS`` markup tags. A translation file says exactly which syntax a unit
uses: a PO entry's ``c-format`` flag means C's printf directives (``PRINTF``, positional
``%1$s`` included), ``python-format`` Python's ``%(name)s`` (``PYTHON``),
``python-brace-format`` ``str.format``'s fields (``BRACE``); ICU messages (``ICU``) carry
``{count, plural, ...}`` whose variants are text to translate. Tags that are markup beyond
doubt (``MARKUP``) count in every unit; a lone ``<opzioni>`` in a PO unit is a word the
translator translated, not a tag.

Each code has a canonical form that compares across languages: ``%s %d`` and ``%2$d %1$s`` are
the same directives reordered (``%1$s``, ``%2$d`` both), a tag is its name (``<a href=...>``
is ``<a>``), an ICU plural is its argument (the languages' plural categories differ).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Code(NamedTuple):
    """One placeholder or inline code: where it stands in the text and its canonical form."""

    start: int
    end: int
    canon: str


TEXT = "text"
TAGS = "tags"
MARKUP = "markup"
PRINTF = "printf"
PYTHON = "python"
BRACE = "brace"
ICU = "icu"
SYNTAXES = (TEXT, TAGS, MARKUP, PRINTF, PYTHON, BRACE, ICU)

_TEXT = re.compile(r"""
    \{\{\s*[\w.:,|-]+(?:\s*\|\s*\w+)*\s*\}\}             # {{var}} {{ name }} {{ x|upper }}
  | \{[\w.:,-]*\}                                     # {0} {name}
  | \$\{[^}\s]+\}                                     # ${x}
  | %(?:\d+\$)?[-+#0]?\d*(?:\.\d+)?[sdifuxXeEgGc@]\b  # %s %d %1$s %.2f %@
  | %[A-Za-z_][A-Za-z0-9_]*%                            # %name% (Symfony)
  | @[A-Za-z_][A-Za-z0-9_]*@                            # @NAME@
  | (?<![\w/])[\w.-]*\w\(\d[a-z]{0,3}\)                 # journald.conf(5)
""", re.VERBOSE)
_TAG = re.compile(r"</?([A-Za-z][\w:-]*)(?:\s[^<>]*)?/?>")
_PRINTF = re.compile(r"%(?:(\d+)\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
                     r"(hh|h|ll|l|L|q|j|z|Z|t|I64|I32)?([diouxXeEfFgGaAcspn%])")
_PYTHON = re.compile(r"%(?:\((\w+)\))?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?"
                     r"([diouxXeEfFgGcrsa%])")
_BRACE = re.compile(r"\{\{|\}\}|\{([^{}!:]*)(![rsa])?(?::([^{}]*))?\}")
_ICU_HEAD = re.compile(r"\{\s*(\w+)\s*(?:,\s*(\w+)\s*(?:,\s*)?)?")


def find(text: str, syntaxes: Iterable[str]) -> list[Code]:
    """The codes of ``text`` under the given syntaxes, in text order (overlaps go to the
    syntax named first)."""
    found: list[Code] = []
    taken: list[tuple[int, int]] = []
    for syntax in syntaxes:
        for code in _FINDERS[syntax](text):
            if not any(code.start < e and s < code.end for s, e in taken):
                found.append(code)
                taken.append((code.start, code.end))
    return sorted(found)


def blank(text: str, codes: Sequence[Code]) -> str:
    """The text with its codes replaced by spaces (offsets kept), for checks whose business is
    the words around them."""
    chars = list(text)
    for code in codes:
        chars[code.start:code.end] = " " * (code.end - code.start)
    return "".join(chars)


def _text(text: str) -> list[Code]:
    out = []
    for m in _TEXT.finditer(text):
        token = m.group(0)
        if token.startswith("{{"):
            token = "{{" + "".join(token[2:-2].split()) + "}}"
        out.append(Code(m.start(), m.end(), token))
    return out


def _tags(text: str) -> list[Code]:
    """Markup tags by name: attributes are translated (``<a href="/it/">`` is ``<a>``)."""
    return [Code(m.start(), m.end(),
                 f"<{'/' if m.group(0).startswith('</') else ''}{m.group(1).lower()}>")
            for m in _TAG.finditer(text)]


_ATTRIBUTE = re.compile(r"\s[\w:-]+\s*=")
#: HTML elements that have no end tag.
_VOID = {"br", "hr", "img", "wbr", "input", "meta", "link", "col", "area", "source"}


def _markup(text: str) -> list[Code]:
    """Tags that are markup beyond doubt: with attributes, self-closing, void (``<br>``), or
    opened and closed in the same text. A lone ``<opzioni>`` (gettext catalogues' translated
    metavariables, git's ``<path>``) is a word, not a tag."""
    tags = list(_TAG.finditer(text))
    closed = {m.group(1).lower() for m in tags if m.group(0).startswith("</")}
    opened = {m.group(1).lower() for m in tags if not m.group(0).startswith("</")}
    keep = []
    for m in tags:
        token, name = m.group(0), m.group(1).lower()
        if (_ATTRIBUTE.search(token) or token.endswith("/>") or name in _VOID
                or (name in closed and name in opened)):
            keep.append(m)
    return [c for c, m in zip(_tags(text), tags, strict=True) if m in keep]


def _printf(text: str) -> list[Code]:
    """C printf directives; unnumbered ones take positions 1, 2... as C does, so a translation
    may reorder them with ``%2$d %1$s``. ``%%`` is a literal percent sign."""
    out, k = [], 0
    for m in _PRINTF.finditer(text):
        if m.group(3) == "%":
            continue
        k += 1
        position = m.group(1) or str(k)
        conversion = "d" if m.group(3) == "i" else m.group(3)
        out.append(Code(m.start(), m.end(), f"%{position}${m.group(2) or ''}{conversion}"))
    return out


def _python(text: str) -> list[Code]:
    """Python's %-formatting: ``%(name)s`` by name, bare ``%s`` by position."""
    out, k = [], 0
    for m in _PYTHON.finditer(text):
        if m.group(2) == "%":
            continue
        conversion = "d" if m.group(2) == "i" else m.group(2)
        if m.group(1):
            canon = f"%({m.group(1)}){conversion}"
        else:
            k += 1
            canon = f"%{k}${conversion}"
        out.append(Code(m.start(), m.end(), canon))
    return out


def _brace(text: str) -> list[Code]:
    """``str.format`` fields: ``{name!r:>10}``; ``{}`` takes the next position; ``{{`` and
    ``}}`` are literal braces."""
    out, k = [], 0
    for m in _BRACE.finditer(text):
        if m.group(0) in ("{{", "}}"):
            continue
        name = m.group(1).strip()
        if not name:
            name, k = str(k), k + 1
        out.append(Code(m.start(), m.end(),
                        "{" + name + (m.group(2) or "") + (":" + m.group(3) if m.group(3)
                                                          else "") + "}"))
    return out


def _icu(text: str) -> list[Code]:
    """ICU MessageFormat: ``{name}``, ``{n, number}``, and ``{n, plural|select|selectordinal,
    key {text} ...}``, whose variant texts are words to translate (so they stay text). Each
    argument is one code; a select keeps its keys (a translation must offer the same cases), a
    plural does not (Italian and English have different categories). The syntax around the
    variants (``{n, plural, one {`` and the closing braces) is blanked with the code."""
    out: list[Code] = []
    _icu_at(text, 0, len(text), out)
    return out


def _icu_at(text: str, start: int, end: int, out: list[Code]) -> None:
    i = start
    while i < end:
        if text[i] == "'" and i + 1 < end and text[i + 1] in "{}'":   # ICU's quoting
            quote_end = text.find("'", i + 1)
            i = quote_end + 1 if quote_end != -1 else end
            continue
        if text[i] != "{":
            i += 1
            continue
        head = _ICU_HEAD.match(text, i)
        close = _matching(text, i, end)
        if head is None or close is None:
            i += 1
            continue
        name, kind = head.group(1), (head.group(2) or "").lower()
        if kind in ("plural", "select", "selectordinal"):
            keys = []
            j = head.end()
            while j < close:
                key = re.compile(r"\s*(=?[\w-]+)\s*\{").match(text, j, close)
                if key is None:
                    break
                inner_close = _matching(text, key.end() - 1, close)
                if inner_close is None:
                    break
                keys.append(key.group(1))
                out.append(Code(j, key.end(), ""))                      # "one {" (blanked)
                _icu_at(text, key.end(), inner_close, out)
                out.append(Code(inner_close, inner_close + 1, ""))     # "}" (blanked)
                j = inner_close + 1
            canon = f"{{{name},{kind}}}" if kind != "select" else \
                f"{{{name},select:{'|'.join(sorted(keys))}}}"
            out.append(Code(i, head.end(), canon))
            out.append(Code(close, close + 1, ""))
        else:
            inner = text[head.end():close].strip().rstrip(",").strip()
            canon = f"{{{name}{',' + kind if kind else ''}{',' + inner if inner else ''}}}"
            out.append(Code(i, close + 1, canon))
        i = close + 1


def _matching(text: str, open_at: int, end: int) -> int | None:
    """The index of the brace closing the one at ``open_at``, or None."""
    depth = 0
    for k in range(open_at, end):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return None


_FINDERS = {TEXT: _text, TAGS: _tags, MARKUP: _markup, PRINTF: _printf, PYTHON: _python,
            BRACE: _brace, ICU: _icu}


def canon(codes: Iterable[Code]) -> list[str]:
    """The codes that a translation must keep (syntax-only pieces such as ICU's ``one {``
    have an empty canonical form and do not count)."""
    return [c.canon for c in codes if c.canon]
