"""The placeholder check: format placeholders, markup tags and man-page references that a
translation must keep, each as many times."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from aligner.data import Flag
from aligner.diverge.context import Context, Pair, one_side_only
from aligner.text import codes

#: What free text is searched for: the generic placeholders and markup tags.
GUESSED = (codes.TEXT, codes.TAGS)


def placeholders(text: str) -> list[str]:
    """The placeholders, tags and man-page references of free text, in order, tags by name
    only (``aligner.text.codes``: QA tools such as Xbench and Okapi CheckMate check the
    same). A translation must keep each one, as many times."""
    return codes.canon(codes.find(text, GUESSED))


def mask(text: str) -> str:
    """The text with its placeholders and tags blanked (offsets kept), for checks whose
    business is the words around them: ``{0}``'s digit is this check's, not the number
    check's."""
    return codes.blank(text, codes.find(text, GUESSED))


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """Placeholders, tags or references on one side only (or a different number of times)."""
    found = differ(placeholders(pair.src), placeholders(pair.tgt))
    return [found] if found is not None else []


def differ(a: Sequence[str], b: Sequence[str], what: str = "placeholders or markup"
           ) -> Flag | None:
    """The ``placeholder`` error for canonical codes on one side only (or a different number
    of times), None where both sides carry the same: the free-text check's and ``aligner
    check``'s, whose codes the file's format defines."""
    only_a, only_b = Counter(a) - Counter(b), Counter(b) - Counter(a)
    if not only_a and not only_b:
        return None
    shown_a, shown_b = tuple(sorted(only_a)), tuple(sorted(only_b))
    return Flag("placeholder", f"{what} differ: " + one_side_only(shown_a, shown_b), "error",
                shown_a, shown_b)
