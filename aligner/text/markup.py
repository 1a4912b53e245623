"""Text out of HTML and Markdown exports, paragraphs kept; stray tag fragments dropped.

CMS exports arrive as HTML, Markdown, or plain text with leftovers (``br>``). Block elements
(paragraphs, headings, list items, table rows, line breaks) become line breaks or blank lines,
so the segmenter still sees headlines and paragraphs; scripts, styles and comments go; entities
are decoded. Sentence offsets then index the extracted text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "section", "article", "header", "footer", "aside", "main", "blockquote",
           "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "figure", "figcaption",
           "pre", "form", "nav", "dl"}
_LINES = {"br", "li", "tr", "dt", "dd", "hr", "td", "th", "caption", "title"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}
_TAG_NAMES = _BLOCKS | _LINES | {"span", "b", "i", "em", "strong", "a", "u", "small", "sup",
                                 "sub", "font", "img", "html", "body"}

_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|body|p|div|br|h[1-6]|article|span|a\s)[^>]*>",
                        re.IGNORECASE)
_MD_HINT = re.compile(r"^(?:#{1,6}\s|\s*[-*+]\s|\s*\d+\.\s|>\s|```)|\[[^\]]+\]\([^)]+\)|"
                      r"\*\*[^*\n]+\*\*", re.MULTILINE)
# A leftover tag in plain text: with its '<' lost (or its '>' lost): "2021. br>", "<br", or a
# whole block tag of an export (<p>, </div>). A whole inline tag (Premi <b>OK</b>) in plain
# text is content, a software string's markup, which the placeholder check compares across
# the two versions; only the text of an HTML or Markdown export drops those (_TAGS).
_BLOCK_NAMES = sorted(_BLOCKS | _LINES, key=len, reverse=True)
_STRAY = re.compile(r"(?<![\w</])/?(?:" + "|".join(sorted(_TAG_NAMES, key=len, reverse=True))
                    + r")\s*/?>|</?(?:" + "|".join(_BLOCK_NAMES) + r")\b[^<>\n]{0,200}?/?>"
                    r"|</?(?:br|p)\s*$", re.IGNORECASE | re.MULTILINE)
_TAGS = re.compile(r"</?(?:" + "|".join(sorted(_TAG_NAMES, key=len, reverse=True))
                   + r")\b[^<>\n]{0,200}?/?>", re.IGNORECASE)


def detect(text: str) -> str:
    """``html``, ``markdown`` or ``text``, from what the text looks like."""
    head = text[:20000]
    if len(_HTML_HINT.findall(head)) >= 2 or head.lstrip().lower().startswith(("<!doctype",
                                                                               "<html")):
        return "html"
    if len(_MD_HINT.findall(head)) >= 3:
        return "markdown"
    return "text"


def to_text(text: str, kind: str = "auto") -> str:
    """Plain text with paragraphs as blank lines, whatever ``kind`` of input it was.

    ``text`` is taken as it is: a software string's ``<b>`` or ``<br>`` is content to align
    and check, not markup to drop. ``auto`` reads HTML and Markdown; in what it takes for
    plain text it keeps whole inline tags (``Premi <b>OK</b>``: the placeholder check
    compares them) and drops the debris of a sloppy export (``br>``, ``<p>``)."""
    if kind == "text":
        return text
    if kind == "auto":
        kind = detect(text)
    if kind == "html":
        return strip_fragments(_TAGS.sub("", html_to_text(text)))
    if kind == "markdown":
        return strip_fragments(_TAGS.sub("", markdown_to_text(text)))
    return strip_fragments(text)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag in _LINES:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _LINES or tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    return _tidy("".join(parser.parts))


def markdown_to_text(md: str) -> str:
    """The prose of a Markdown document, parsed as CommonMark (with tables) by markdown-it-py:
    headings and paragraphs as paragraphs, items of a tight list as lines, a table row as a
    paragraph of its cells, one a line,
    link text without its address, images by their alt text; code blocks are left out (code is
    not translated prose), inline code is kept, HTML blocks are read as HTML."""
    from markdown_it import MarkdownIt

    parts: list[str] = []
    tight = False
    for tok in MarkdownIt("commonmark").enable("table").parse(md):
        if tok.type == "paragraph_open":
            tight = tok.hidden
        elif tok.type == "inline":
            parts.append(_inline_text(tok.children or []))
            parts.append("\n" if tight else "\n\n")
        elif tok.type in ("th_open", "td_open"):
            tight = True
        elif tok.type == "tr_close":
            parts.append("\n")
        elif tok.type == "html_block":
            parts.append(html_to_text(tok.content) + "\n\n")
        elif tok.type in ("bullet_list_close", "ordered_list_close", "table_close"):
            parts.append("\n")
            tight = False
    return _tidy("".join(parts))


def _inline_text(children) -> str:
    """The text of an inline token's children: emphasis and links unwrapped, breaks as line
    breaks, images by their alt text, inline HTML as written (the fragments pass drops tags)."""
    out = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out)


def strip_fragments(text: str) -> str:
    """Drop leftover tags ("br>", "<p>", "</div>") from otherwise plain text; keep the words
    and the whole inline tags ("<b>OK</b>")."""
    return _STRAY.sub("", text) if "<" in text or ">" in text else text


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\xa0", " ").split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"
