"""Reading inputs: encodings are decoded, what is not text is refused with one line."""

from __future__ import annotations

import pytest

from aligner.errors import InputError
from aligner.text.read import decode, read_text

TEXT = "Perché la città è così — «bella»?\nSì.\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),                    # with BOM
        TEXT.encode("utf-16-le"),                 # no BOM: recognised by its NUL bytes
        TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
        TEXT.replace("—", "-").encode("latin-1"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1252", "latin1", "crlf"],
)
def test_decodes_common_encodings(data: bytes) -> None:
    text = decode(data)
    assert text.replace("-", "—") == TEXT


def test_latin1_fallback_where_cp1252_has_no_character() -> None:
    # 0x8d is undefined in cp1252: only Latin-1 decodes this file (its other bytes alike)
    data = "Perché la città \x8d è bella?\n".encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp1252")
    assert decode(data) == "Perché la città \x8d è bella?\n"


def test_normalises_odd_spaces_and_newlines() -> None:
    assert decode("a\u00a0b\u200bc\rd".encode()) == "a bc\nd"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"  \n\t\n ", "empty"), (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary"),
     (bytes(range(0, 32)) * 40, "binary")],
    ids=["empty", "whitespace", "nul-bytes", "control-chars"],
)
def test_refuses_unusable_files(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_text(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="folder"):
        read_text(tmp_path)


def test_every_space_separator_becomes_a_plain_space() -> None:
    """normalise's table covers Unicode's whole Zs category (looked up below U+3001: the test
    reads every code point, so a new space separator further up would show here)."""
    import unicodedata

    from aligner.text.read import normalise

    spaces = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Zs"]
    assert normalise("a" + "a".join(spaces) + "a") == "a" + "a".join(" " * len(spaces)) + "a"
    assert normalise("in\u00adfor\u200bma\ufefftion\r\nnext") == "information\nnext"
