"""Reading input files: decode whatever encoding a pipeline produced, refuse what is not text.

Why here and not in the segmenter: offsets of sentences index the decoded text, so decoding and
newline normalisation happen once, first, and every later stage sees the same string.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

from aligner.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes, name: str = "<input>") -> str:
    """Decode bytes to text: BOM first, then strict UTF-8, then cp1252, then Latin-1.

    UTF-16 without a BOM is recognised by its NUL bytes in every other position. Anything with
    NUL bytes left over, or mostly control characters, is binary and refused.
    """
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec, name)
            break
    if text is None and _looks_utf16(data):
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = _strict(data, codec, name)
    if text is None:
        if b"\x00" in data:
            raise InputError(f"{name}: binary file (NUL bytes), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    text = normalise(text)
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: binary file (control characters), not text")
    return text


def normalise(text: str) -> str:
    """NFC, Unix newlines, no-break and other odd spaces as plain spaces, no zero-width marks.

    Each replacement is one character for one character or removes a character that carries
    nothing, so the text stays readable as the user wrote it.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return text.translate(_spaces_table())


#: Control characters (Unicode's Cc) but newline, tab and form feed: many of them mean binary.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f]")
#: Zero-width marks and the soft hyphen: they carry nothing a reader sees.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


@lru_cache(maxsize=1)
def _spaces_table() -> dict[int, str | None]:
    """``str.translate``'s table: every space separator (Unicode's Zs: no-break, thin, ideographic
    spaces...) to a plain space, the invisible marks removed. Every Zs lies at or below the
    ideographic space U+3000 (U+00A0, U+1680, U+2000-U+200A, U+202F, U+205F, U+3000)."""
    table: dict[int, str | None] = {
        code: " " for code in range(0x3001)
        if unicodedata.category(chr(code)) == "Zs" and code != 0x20}
    table.update({ord(ch): None for ch in _INVISIBLE})
    return table


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a file (or standard input for ``-``) as text, with one-line errors naming the file."""
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{name}: no such file")
        if p.is_dir():
            raise InputError(f"{name}: is a folder, not a text file")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    text = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: empty (no text to align)")
    return text


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise InputError(f"{name}: not valid {codec.upper()} despite its byte-order mark") from None


def _looks_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a BOM: Latin-script text has a NUL in every other byte."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > 0.7 * half and min(even_nuls, odd_nuls) < 0.05 * half


def read_translations(path: str | os.PathLike[str], expected: int, role: str = "source"
                      ) -> list[str]:
    """One translation a line, line-aligned with the ``role`` side's sentences; a blank line is
    an empty translation."""
    lines = read_text(path).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != expected:
        raise InputError(f"{path}: {len(lines)} translations for {expected} {role} sentences "
                         f"(one translation a line, in {role} order)")
    return [line.strip() for line in lines]
