"""Every report says what made it: version, scorer, model, lexicon revision, parameters, checks."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest

from aligner import __version__, align, report
from aligner.data import Signature
from aligner.diverge import Thresholds

from .conftest import EN_002, IT_003


def test_signature_round_trips_through_json_and_text(seeds_alignment) -> None:
    sig = seeds_alignment.signature
    assert sig.aligner == __version__ and sig.scorer == "lexical" and sig.model is None
    assert sig.lexicon.startswith("it-en@") and len(sig.lexicon) == len("it-en@") + 12
    data = json.loads(seeds_alignment.to_json())["signature"]
    assert Signature(**{k: v for k, v in data.items() if k != "text"}) == sig
    assert Signature.parse(data["text"]) == sig


def test_what_changes_an_output_changes_the_signature(tmp_path) -> None:
    plain = align(IT_003, EN_002, scorer="lexical").signature
    checked = align(IT_003, EN_002, scorer="lexical",
                    thresholds=Thresholds(length_ratio=0.7)).signature
    assert plain.checks == "default" and checked.checks == "length_ratio=0.7"
    hand = align(IT_003, EN_002, scorer="lexical", lexicon=False).signature
    assert hand.lexicon is None and hand.params != plain.params
    mt = align(["Ciao."], ["Hello."], scorer="lexical", translations=["Hello."]).signature
    assert mt.scorer == "translation" and mt.model == "file"


def test_tmx_header_and_html_footer_carry_it(seeds_alignment) -> None:
    text = seeds_alignment.signature.text()
    buf = io.StringIO()
    report.write_tmx(seeds_alignment, buf)
    header = ET.fromstring(buf.getvalue()).find("header")
    assert header.find("prop[@type='x-aligner-signature']").text == text
    buf = io.StringIO()
    report.write_html(seeds_alignment, buf)
    assert f"<footer>made by {text}</footer>" in buf.getvalue()


@pytest.mark.parametrize("bad", ["", "aligner:1", "aligner:1|scorer:x|model:-|lexicon:-|"
                                 "params:p|checks:default|extra:1"])
def test_a_malformed_signature_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        Signature.parse(bad)
