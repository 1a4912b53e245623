"""Report writers: each takes an ``Alignment`` and a text file handle, nothing else.

``text`` is for people at a terminal (side by side, colours only when asked), ``json`` is the
stable machine format ``aligner/alignment/1`` documented in the README.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from html import escape
from typing import TextIO

from aligner.data import Alignment, Bead

_COLOURS = {"aligned": "\033[32m", "extra": "\033[33m", "divergent": "\033[31m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def write_json(result: Alignment, out: TextIO) -> None:
    out.write(result.to_json(indent=2))
    out.write("\n")


def write_text(result: Alignment, out: TextIO, *, color: bool = False, width: int = 120) -> None:
    """A side-by-side table: bead number, status and score, then the two sides wrapped."""
    width = max(width, 60)
    meta = 23                                   # "  12  divergent  0.93  "
    col = (width - meta - 3) // 2

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    src, tgt = result.source, result.target
    out.write(paint(_BOLD, f"{'#':>4}  {'status':<9} {'match':>5}  "
                           f"{_pad(_clip(src.path or src.lang, col), col)} │ "
                           f"{_clip(tgt.path or tgt.lang, col)}") + "\n")
    out.write("─" * width + "\n")
    for k, bead in enumerate(result.beads):
        # each sentence on its own lines, so that a merge (2-1, 1-3) shows as one
        left = [line for i in bead.source for line in _wrap(src.sentences[i].text, col)]
        right = [line for j in bead.target for line in _wrap(tgt.sentences[j].text, col)]
        rows = max(len(left), len(right))
        left += [""] * (rows - len(left))
        right += [""] * (rows - len(right))
        status = paint(_COLOURS[bead.status], f"{bead.status:<9}")
        score = f"{bead.score:5.2f}" if not bead.is_null else "    –"
        for r in range(rows):
            head = f"{k:>4}  {status} {score}  " if r == 0 else " " * meta
            out.write(f"{head}{_pad(left[r], col)} │ {right[r]}\n")
        for flag in bead.flags:
            note = f"{'':{meta}} ⚑ {flag.code}: {flag.message}"
            out.write(paint(_COLOURS["divergent"] if flag.severity == "error" else _DIM,
                            _clip(note, width)) + "\n")
        src_words, tgt_words = difference_words(result, bead)
        if src_words or tgt_words:
            parts = [f"{side}: {', '.join(words)}" for side, words in
                     (("source", src_words), ("target", tgt_words)) if words]
            out.write(paint(_DIM, _clip(f"{'':{meta}} ≠ no counterpart, {'; '.join(parts)}",
                                        width)) + "\n")
    out.write("─" * width + "\n")
    out.write(summary_line(result) + "\n")


def summary_line(result: Alignment) -> str:
    s = result.summary()
    scorer = _scorer_label(result)
    return (f"{s['beads']} beads: {s['aligned_beads']} aligned, {s['divergent_beads']} divergent; "
            f"extra content: {s['extra_source_sentences']} source and "
            f"{s['extra_target_sentences']} target sentences; scorer: {scorer}")


def _cells(text: str) -> int:
    """Terminal columns the text takes: Chinese, Japanese and Korean characters take two,
    combining marks none; so that the table's columns line up for any script."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` columns (at least one)."""
    used = 0
    for k, ch in enumerate(text):
        used += _cells(ch)
        if used > width:
            return max(k, 1)
    return len(text)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken between words, or inside a word (or a
    sentence written without spaces) that is wider than a line."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while _cells(word) > width:
            if line:
                lines.append(line)
                line = ""
            k = _fit(word, width)
            lines.append(word[:k])
            word = word[k:]
        if not word:
            continue
        if line and _cells(line) + 1 + _cells(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


def _clip(text: str, width: int) -> str:
    return text if _cells(text) <= width else text[:_fit(text, width - 1)] + "…"


def bead_text(result: Alignment, bead: Bead) -> tuple[str, str]:
    """The two sides of a bead as text (sentences joined by a space)."""
    return result.text(bead)


# ---- TSV -----------------------------------------------------------------------------------

TSV_COLUMNS = ("bead", "source_ids", "target_ids", "source", "target", "status", "score",
               "flags", "source_differences", "target_differences")


def difference_words(result: Alignment, bead: Bead) -> tuple[list[str], list[str]]:
    """The words of a bead without a counterpart on the other side, each side in order."""
    return ([result.source.text[a:b] for a, b, _ in bead.source_differences],
            [result.target.text[a:b] for a, b, _ in bead.target_differences])


def write_tsv(result: Alignment, out: TextIO) -> None:
    """One bead a line: ids are comma-separated 0-based indices, flags ``code:severity`` joined
    by ``;``, the words without a counterpart on each side joined by ``;``; tabs and newlines
    inside texts become spaces, so every line has 10 fields."""
    out.write("\t".join(TSV_COLUMNS) + "\n")
    for k, bead in enumerate(result.beads):
        src, tgt = bead_text(result, bead)
        src_words, tgt_words = difference_words(result, bead)
        fields = [str(k), ",".join(map(str, bead.source)), ",".join(map(str, bead.target)),
                  src, tgt, bead.status, f"{bead.score:.4f}",
                  ";".join(f"{f.code}:{f.severity}" for f in bead.flags),
                  ";".join(src_words), ";".join(tgt_words)]
        out.write("\t".join(_tsv_field(x) for x in fields) + "\n")


def _tsv_field(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


# ---- TMX -----------------------------------------------------------------------------------

def write_tmx(result: Alignment, out: TextIO) -> None:
    """TMX 1.4b: one translation unit per aligned bead (extra content left out).

    Divergent beads are kept, marked with a ``x-aligner-status`` property, so that a
    translation memory can filter them.
    """
    from xml.sax.saxutils import escape, quoteattr

    from aligner._version import __version__

    src_lang, tgt_lang = result.source.lang, result.target.lang
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
    out.write(f'  <header creationtool="aligner" creationtoolversion={quoteattr(__version__)} '
              f'segtype="sentence" o-tmf="aligner" adminlang="en" '
              f'srclang={quoteattr(src_lang)} datatype="plaintext">\n')
    if result.signature is not None:
        out.write(f'    <prop type="x-aligner-signature">{escape(result.signature.text())}'
                  '</prop>\n')
    out.write("  </header>\n  <body>\n")
    for k, bead in enumerate(result.beads):
        if bead.is_null:
            continue
        src, tgt = bead_text(result, bead)
        out.write(f'    <tu tuid="{k}">\n')
        out.write(f'      <prop type="x-aligner-status">{bead.status}</prop>\n')
        out.write(f'      <prop type="x-aligner-score">{bead.score:.4f}</prop>\n')
        for lang, text in ((src_lang, src), (tgt_lang, tgt)):
            out.write(f"      <tuv xml:lang={quoteattr(lang)}><seg>{escape(_xml_text(text))}"
                      "</seg></tuv>\n")
        out.write("    </tu>\n")
    out.write("  </body>\n</tmx>\n")


def _xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (control characters)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


# ---- HTML ----------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d1d1f;
background:#f6f6f4}
header{padding:18px 28px;background:#fff;border-bottom:1px solid #ddd}
footer{padding:10px 28px;color:#777;font:12px monospace}
h1{font-size:20px;margin:0 0 6px}
.meta{color:#555;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:12px}
.card{background:#f3f3f0;border-radius:8px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:20px}
.legend span{margin-right:14px;font-size:13px}
table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff}
th{position:sticky;top:0;background:#fafafa;text-align:left;font-size:13px;color:#444;
padding:8px;border-bottom:2px solid #ddd}
td{vertical-align:top;padding:8px;border-bottom:1px solid #eee}
.n{width:44px;color:#888;font-size:12px}
.st{width:130px;font-size:12px}
tr.aligned td.st{color:#1a7f37}
tr.divergent{background:#fff1f0}
tr.divergent td.st{color:#c62828;font-weight:600}
tr.extra{background:#fff8e1}
tr.extra td.st{color:#9a6700}
tr.boilerplate{background:#f4f4f4;color:#777}
td.empty{background:repeating-linear-gradient(45deg,#fafafa,#fafafa 6px,#f0f0f0 6px,
#f0f0f0 12px)}
.s{display:block}
.s + .s{margin-top:4px}
mark{background:#ffd54f;border-radius:3px;padding:0 2px}
ins.diff{text-decoration:none;border-bottom:2px solid #e57373;background:#fdecea}
.flag{display:block;font-size:12px;color:#c62828;margin-top:4px}
.flag.warning,.flag.info{color:#8a6d00}
.score{color:#888}
"""


def write_html(result: Alignment, out: TextIO) -> None:
    """A single self-contained page: summary on top, then both versions side by side."""
    s = result.summary()
    src, tgt = result.source, result.target
    title = f"aligner: {escape(src.path or src.lang)} ↔ {escape(tgt.path or tgt.lang)}"
    relation_text = {"translation": "translations of each other",
                     "comparable": "related texts, not translations",
                     "unrelated": "unrelated texts", None: "—"}[s["relation"]]
    cards = [
        ("parallelism", f"{s['parallelism']:.2f}" if s["parallelism"] is not None else "—",
         relation_text),
        ("source aligned", f"{s['source_aligned_share']:.0%}",
         f"{s['source_sentences']} sentences ({escape(src.lang)})"),
        ("target aligned", f"{s['target_aligned_share']:.0%}",
         f"{s['target_sentences']} sentences ({escape(tgt.lang)})"),
        ("divergent beads", str(s["divergent_beads"]),
         ", ".join(f"{escape(k)} {v}" for k, v in s["flags"].items()) or "no flags"),
        ("extra content", f"{s['extra_source_sentences']} + {s['extra_target_sentences']}",
         "source + target sentences"),
    ]
    out.write(f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              f"<title>{title}</title>\n<style>{_CSS}</style></head>\n<body>\n<header>\n"
              f"<h1>{title}</h1>\n<div class=\"meta\">scorer: {escape(_scorer_label(result))}"
              f" · {s['beads']} beads</div>\n<div class=\"cards\" id=\"summary\">\n")
    for name, value, note in cards:
        out.write(f"<div class=\"card\" data-key=\"{escape(name)}\">{escape(name)}<b>{value}</b>"
                  f"<span class=\"meta\">{note}</span></div>\n")
    out.write("</div>\n<p class=\"legend\"><span style=\"color:#1a7f37\">■ aligned</span>"
              "<span style=\"color:#c62828\">■ divergent</span>"
              "<span style=\"color:#9a6700\">■ extra (one side only)</span>"
              "<span style=\"color:#777\">■ site boilerplate</span></p>\n</header>\n")
    out.write(f"<table id=\"alignment\"><thead><tr><th class=\"n\">#</th><th class=\"st\">status"
              f"</th><th>{escape(src.lang)}</th><th>{escape(tgt.lang)}</th></tr></thead>"
              "<tbody>\n")
    for k, bead in enumerate(result.beads):
        boiler = any(f.code == "boilerplate" for f in bead.flags)
        classes = bead.status + (" boilerplate" if boiler else "")
        src_terms = {t for f in bead.flags for t in f.source_terms}
        tgt_terms = {t for f in bead.flags for t in f.target_terms}
        cells = []
        for doc, ids, terms in ((src, bead.source, src_terms), (tgt, bead.target, tgt_terms)):
            if not ids:
                cells.append("<td class=\"empty\"></td>")
                continue
            spans = bead.source_differences if doc is src else bead.target_differences
            body = "".join(f"<span class=\"s\" data-id=\"{i}\">"
                           f"{_highlight(doc.sentences[i].text, terms, _local(doc, i, spans))}"
                           "</span>" for i in ids)
            cells.append(f"<td>{body}</td>")
        flags = "".join(f"<span class=\"flag {f.severity}\">⚑ {escape(f.code)}: "
                        f"{escape(f.message)}</span>" for f in bead.flags)
        score = "" if bead.is_null else f"<br><span class=\"score\">{bead.score:.2f}</span>"
        out.write(f"<tr class=\"{classes}\" data-bead=\"{k}\"><td class=\"n\">{k}</td>"
                  f"<td class=\"st\">{bead.status}{score}{flags}</td>{cells[0]}{cells[1]}</tr>\n")
    out.write("</tbody></table>\n")
    if result.signature is not None:
        out.write(f"<footer>made by {escape(result.signature.text())}</footer>\n")
    out.write("</body></html>\n")


def _local(doc, i: int, spans) -> list[tuple[int, int, float]]:
    """A bead's difference spans inside sentence i, in the sentence text's own offsets (only
    where that text is the document's text there, as it is unless whitespace was folded)."""
    s = doc.sentences[i]
    if doc.text[s.start:s.end] != s.text:
        return []
    return [(a - s.start, b - s.start, w) for a, b, w in spans if s.start <= a and b <= s.end]


def _highlight(text: str, terms: set[str], spans: Sequence[tuple[int, int, float]] = ()
               ) -> str:
    """HTML-escape ``text``, wrap each occurrence of the differing terms (numbers, names) in
    <mark>, and each word without a counterpart in <ins> with its reason on hover."""
    marks = []
    if terms:
        pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len,
                                                                      reverse=True)))
        marks = [(m.start(), m.end(), "<mark>", "</mark>") for m in pattern.finditer(text)]
    for a, b, w in spans:
        if not any(x < b and a < y for x, y, _, _ in marks):
            marks.append((a, b, f"<ins class=\"diff\" title=\"no counterpart on the other side "
                                f"(weight {w:.2f})\">", "</ins>"))
    out, pos = [], 0
    for a, b, open_, close in sorted(marks):
        if a < pos:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"{open_}{escape(text[a:b])}{close}")
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def _scorer_label(result: Alignment) -> str:
    sc = result.scorer
    return sc.name + (f" ({sc.model})" if sc.model else "")


WRITERS: dict[str, Callable[..., None]] = {
    "text": write_text, "json": write_json, "tsv": write_tsv, "tmx": write_tmx,
    "html": write_html}
