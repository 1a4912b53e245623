"""Text out of HTML and Markdown exports, paragraphs kept; stray tag fragments dropped.

CMS exports arrive as HTML, Markdown, or plain text with leftovers (``br>``). Block elements
(paragraphs, headings, list items, table rows, line breaks) become line breaks or blank lines,
so the segmenter still sees headlines and paragraphs; scripts, styles and comments go; entities
are decoded. Sentence offsets then index the extracted text.
"""

from __future__ import annotations

import re
from html import unescape
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
# A leftover tag with its '<' lost (or its '>' lost) in plain text: "2021. br>", "<br".
_STRAY = re.compile(r"(?<![\w<])/?(?:" + "|".join(sorted(_TAG_NAMES, key=len, reverse=True))
                    + r")\s*/?>|</?(?:" + "|".join(sorted(_TAG_NAMES, key=len, reverse=True))
                    + r")\b[^<>\n]{0,200}?/?>|</?(?:br|p)\s*$", re.IGNORECASE | re.MULTILINE)


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
    and check, not markup to drop. ``auto`` reads HTML and Markdown, and drops the stray tag
    fragments of a sloppy export from what it takes for plain text."""
    if kind == "text":
        return text
    if kind == "auto":
        kind = detect(text)
    if kind == "html":
        text = html_to_text(text)
    elif kind == "markdown":
        text = markdown_to_text(text)
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


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^```.*?^```\s*$", re.MULTILINE | re.DOTALL), ""),       # code blocks
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                       # images: alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                        # links: their text
    (re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.MULTILINE), r"\n\1\n"),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),                      # quotes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE), ""),          # list markers
    (re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$", re.MULTILINE), ""),      # rules
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),                             # bold
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"`([^`]+)`"), r"\1"),                                    # inline code
)


def markdown_to_text(md: str) -> str:
    for pattern, repl in _MD_RULES:
        md = pattern.sub(repl, md)
    return _tidy(unescape(md))


def strip_fragments(text: str) -> str:
    """Drop leftover tags ("br>", "<p>", "</span>") from otherwise plain text; keep the words."""
    return _STRAY.sub("", text) if "<" in text or ">" in text else text


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\xa0", " ").split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"
