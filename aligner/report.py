"""Report writers: each takes an ``Alignment`` and a text file handle, nothing else.

``text`` is for people at a terminal (side by side, colours only when asked), ``json`` is the
stable machine format ``aligner/alignment/1`` documented in the README.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape
from typing import TextIO

from aligner.data import STRONG, Alignment, Bead, Document, Mark, Span
from aligner.diverge.differences import shown


def write_json(result: Alignment, out: TextIO) -> None:
    out.write(result.to_json(indent=2))
    out.write("\n")


_STATUS_STYLE = {"aligned": "green", "extra": "yellow", "divergent": "red"}


#: Which words the text table lists below a bead: ``strong``, on the beads a reviewer is sent
#: to anyway (divergent, or with a warning), the words likely to differ (``Span.strong``);
#: ``all``, on every aligned bead, every word the evidence found no counterpart for, however
#: unlikely to differ (in faithful pairs most are free renderings); ``none``, no word.
DIFFERENCES = ("none", "strong", "all")


def shows_differences(bead: Bead, differences: str) -> bool:
    """Whether the text table lists this bead's words without a counterpart."""
    if differences == "all":
        return True
    return differences == "strong" and (bead.status == "divergent" or any(
        f.severity != "info" for f in bead.flags))


def write_text(result: Alignment, out: TextIO, *, color: bool = False, width: int = 120,
               differences: str = "strong") -> None:
    """A side-by-side table: bead number, status and match score, then the two sides, each
    sentence on its own lines (so that a merge shows as one), the bead's flags (wrapped, never
    cut) and, per ``differences`` (see DIFFERENCES), the words without a counterpart below.
    With ``color``, statuses and flags are coloured, the numbers, names and placeholders a flag
    names are shown in bold red, and the words without a counterpart underlined.

    rich wraps the text (by terminal cells: wide characters take two, a word longer than the
    column is folded) and renders the styles; the columns are laid out here, line by line,
    because rich's own tables cost about a millisecond a bead, seconds on a long document."""
    from rich.console import Console
    from rich.text import Text

    width = max(width, 60)
    console = Console(file=out, width=width, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, markup=False,
                      emoji=False, legacy_windows=False)
    meta = 23                                   # "  12  divergent  0.93  "
    col = (width - meta - 3) // 2
    src, tgt = result.source, result.target

    def cell(text: Text) -> Text:
        text = text.copy()
        text.truncate(col, overflow="ellipsis", pad=True)
        return text

    every = differences == "all"

    def wrapped(doc: Document, ids: Sequence[int], spans: Sequence[Span],
                terms: Sequence[str]) -> list[Text]:
        spans = _listed(doc.text, spans, every)
        return [line for i in ids for line in
                _sentence(doc, i, spans, terms, color).wrap(console, col, overflow="fold")]

    def note(text: str, style: str) -> list[Text]:
        indent = " " * (meta + 3)
        body = Text(text[3:], style).wrap(console, width - len(indent), overflow="fold")
        return [Text.assemble((f"{'':{meta}}{text[:3]}", style), line) if n == 0
                else Text.assemble(indent, line) for n, line in enumerate(body)]

    lines = [Text.assemble((f"{'#':>4}  {'status':<9} {'match':>5}  ", "bold"),
                           (cell(Text(src.path or src.lang, "bold"))), " │ ",
                           Text(tgt.path or tgt.lang, "bold")),
             Text("─" * width)]
    for k, bead in enumerate(result.beads):
        listed = not bead.is_null and shows_differences(bead, differences)
        left = wrapped(src, bead.source, bead.source_differences if listed else (),
                       [t for f in bead.flags for t in f.source_terms])
        right = wrapped(tgt, bead.target, bead.target_differences if listed else (),
                        [t for f in bead.flags for t in f.target_terms])
        score = "–" if bead.is_null else f"{bead.score:.2f}"
        for r in range(max(len(left), len(right))):
            head = (Text.assemble(f"{k:>4}  ", (f"{bead.status:<9}", _STATUS_STYLE[bead.status]),
                                  f" {score:>5}  ") if r == 0 else Text(" " * meta))
            lines.append(Text.assemble(head, cell(left[r] if r < len(left) else Text()), " │ ",
                                       right[r] if r < len(right) else Text()))
        for f in bead.flags:
            lines += note(f" ⚑ {f.code}: {f.message}", "red" if f.severity == "error" else "dim")
        src_words, tgt_words = difference_words(result, bead, every) if listed else ([], [])
        if src_words or tgt_words:
            parts = [f"{side}: {', '.join(words)}" for side, words in
                     (("source", src_words), ("target", tgt_words)) if words]
            lines += note(f" ≠ no counterpart, {'; '.join(parts)}", "dim")
    lines.append(Text("─" * width))
    if color:
        with console.capture() as captured:
            console.print(Text("\n").join(lines), no_wrap=True, crop=False, soft_wrap=True)
        rendered = captured.get().splitlines()
    else:
        rendered = [line.plain for line in lines]
    out.write("".join(line.rstrip(" ") + "\n" for line in rendered))
    out.write(summary_line(result) + "\n")


def _listed(text: str, spans: Sequence[Span], every: bool = False) -> tuple[Span, ...]:
    """The words a report lists as differences: those likely to differ (``Span.strong``), or
    with ``every`` each word without a counterpart however likely; never the debris of a
    placeholder or a tag, nor a whole sentence of extra content."""
    return shown(text, [x for x in spans if x.kind is not Mark.EXTRA and (
        x.kind is Mark.NO_COUNTERPART if every else x.strong)])


def _sentence(doc: Document, index: int, differences: Sequence[Span],
              terms: Sequence[str], color: bool):  # -> rich.text.Text
    """One sentence as rich text; in colour, its words without a counterpart underlined and
    the terms its bead's flags name (a number, a name, a placeholder) in bold red."""
    import re

    from rich.text import Text

    s = doc.sentences[index]
    text = Text(s.text)
    if not color:
        return text
    if doc.text and doc.text[s.start:s.end] == s.text:
        for x in differences:
            if s.start <= x.start and x.end <= s.end:
                text.stylize("underline yellow", x.start - s.start, x.end - s.start)
    for term in {t for t in terms if t.strip()}:
        for m in re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", s.text):
            text.stylize("bold red", m.start(), m.end())
    return text


def summary_line(result: Alignment) -> str:
    s = result.summary()
    scorer = _scorer_label(result)
    relation = ("" if s["parallelism"] is None else
                f"; {s['relation']} (parallelism {s['parallelism']:.2f})")
    return (f"{s['beads']} beads: {s['aligned_beads']} aligned, {s['divergent_beads']} divergent; "
            f"extra content: {s['extra_source_sentences']} source and "
            f"{s['extra_target_sentences']} target sentences{relation}; scorer: {scorer}")


def bead_text(result: Alignment, bead: Bead) -> tuple[str, str]:
    """The two sides of a bead as text (sentences joined by a space)."""
    return result.text(bead)


# ---- TSV -----------------------------------------------------------------------------------

TSV_COLUMNS = ("bead", "source_ids", "target_ids", "source", "target", "status", "score",
               "flags", "source_differences", "target_differences", "flag_messages")


def difference_words(result: Alignment, bead: Bead, every: bool = False
                     ) -> tuple[list[str], list[str]]:
    """The words of an aligned bead likely to differ from the other side (``every``: each word
    without a counterpart), each side in order (an extra bead's status says it all; its words
    are not listed again)."""
    if bead.is_null:
        return [], []
    src, tgt = result.source.text, result.target.text
    return ([src[x.start:x.end] for x in _listed(src, bead.source_differences, every)],
            [tgt[x.start:x.end] for x in _listed(tgt, bead.target_differences, every)])


def _codes(result: Alignment, status: str) -> dict[str, int]:
    """How often each flag code stands on the beads of one status (the HTML cards' captions:
    the divergent card names what made beads divergent, not the extra beads' notes)."""
    out: dict[str, int] = {}
    for bead in result.beads:
        if bead.status == status:
            for f in bead.flags:
                out[f.code] = out.get(f.code, 0) + 1
    return dict(sorted(out.items()))


def write_tsv(result: Alignment, out: TextIO) -> None:
    """One bead a line: ids are comma-separated 0-based indices, flags ``code:severity`` joined
    by ``;``, the words without a counterpart on each side joined by ``;``, then the flags'
    messages in the same order joined by `` | ``; tabs and newlines inside texts become
    spaces, so every line has 11 fields."""
    out.write("\t".join(TSV_COLUMNS) + "\n")
    for k, bead in enumerate(result.beads):
        src, tgt = bead_text(result, bead)
        src_words, tgt_words = difference_words(result, bead)
        fields = [str(k), ",".join(map(str, bead.source)), ",".join(map(str, bead.target)),
                  src, tgt, bead.status, f"{bead.score:.4f}",
                  ";".join(f"{f.code}:{f.severity}" for f in bead.flags),
                  ";".join(src_words), ";".join(tgt_words),
                  " | ".join(f.message for f in bead.flags)]
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

CSS = """
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
ins.ctx{text-decoration:none}
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
         ", ".join(f"{escape(k)} {v}" for k, v in _codes(result, "divergent").items())
         or "none flagged"),
        ("extra content", f"{s['extra_source_sentences']} + {s['extra_target_sentences']}",
         "source + target sentences" + "".join(
             f", {escape(k)} {v}" for k, v in _codes(result, "extra").items() if k != "extra")),
    ]
    out.write(f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              f"<title>{title}</title>\n<style>{CSS}</style></head>\n<body>\n<header>\n"
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
        boiler = bead.is_boilerplate
        classes = bead.status + (" boilerplate" if boiler else "")
        src_terms = {t for f in bead.flags for t in f.source_terms}
        tgt_terms = {t for f in bead.flags for t in f.target_terms}
        cells = []
        for doc, ids, terms in ((src, bead.source, src_terms), (tgt, bead.target, tgt_terms)):
            if not ids:
                cells.append("<td class=\"empty\"></td>")
                continue
            spans = shown(doc.text, () if bead.is_null else bead.source_differences
                          if doc is src else bead.target_differences)
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


def _local(doc, i: int, spans: Sequence[Span]) -> list[Span]:
    """A bead's difference spans inside sentence i, in the sentence text's own offsets (only
    where that text is the document's text there, as it is unless whitespace was folded)."""
    s = doc.sentences[i]
    if doc.text[s.start:s.end] != s.text:
        return []
    return [x._replace(start=x.start - s.start, end=x.end - s.start) for x in spans
            if s.start <= x.start and x.end <= s.end]


def _highlight(text: str, terms: set[str], spans: Sequence[Span] = ()) -> str:
    """HTML-escape ``text``, wrap each occurrence of the differing terms (numbers, names) in
    <mark>, and each word without a counterpart in <ins class="diff">, each word of a passage
    that mostly has none in a lighter <ins class="ctx">, with the reason on hover."""
    marks = []
    if terms:
        pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len,
                                                                      reverse=True)))
        marks = [(m.start(), m.end(), "<mark>", "</mark>") for m in pattern.finditer(text)]
    for a, b, w, kind in spans:
        if not any(x < b and a < y for x, y, _, _ in marks):
            why = ("no counterpart on the other side" if kind is Mark.NO_COUNTERPART
                   else "in a passage that mostly has no counterpart")
            if w >= STRONG:
                open_ = f"<ins class=\"diff\" title=\"{why}"
            else:               # shaded by weight: a word unlikely to differ fades
                open_ = (f"<ins class=\"ctx\" style=\"background:rgba(229,115,115,{w * 0.6:.2f})\""
                         f" title=\"{why}")
            marks.append((a, b, f"{open_} (probability {w:.2f})\">", "</ins>"))
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
