"""The placeholder check: format placeholders, markup tags and man-page references that a
translation must keep, each as many times."""

from __future__ import annotations

import re
from collections import Counter

from aligner.data import Flag
from aligner.diverge.context import Context, Pair, one_side_only

# What software strings carry through a translation unchanged: format placeholders ({0},
# {name}, %s, %1$d, ${x}, @NAME@), markup tags (<b>, </b>, <br/>) and man-page references
# (journald.conf(5)). A translation must keep each one, as many times: QA tools (Xbench, Okapi
# CheckMate) check the same.
_PLACEHOLDER = re.compile(r"""
    \{\{?[\w.:,-]*\}\}?                               # {0} {name} {{var}}
  | \$\{[^}\s]+\}                                     # ${x}
  | %(?:\d+\$)?[-+#0]?\d*(?:\.\d+)?[sdifuxXeEgGc@]\b  # %s %d %1$s %.2f %@
  | @[A-Za-z_][A-Za-z0-9_]*@                            # @NAME@
  | </?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>                   # <b> </b> <a href=...> <br/>
  | (?<![\w/])[\w.-]*\w\(\d[a-z]{0,3}\)                 # journald.conf(5)
""", re.VERBOSE)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")


def placeholders(text: str) -> list[str]:
    """The placeholders, tags and man-page references of a text, in order, tags by name only
    (attributes are translated: ``<a href="/it/">`` is ``<a>``)."""
    out = []
    for m in _PLACEHOLDER.finditer(text):
        token = m.group(0)
        if token.startswith("<"):
            name = _TAG_NAME.match(token)
            token = f"<{'/' if token.startswith('</') else ''}{name.group(1).lower()}>" \
                if name else token
        out.append(token)
    return out


def mask(text: str) -> str:
    """The text with its placeholders and tags blanked (offsets kept), for checks whose
    business is the words around them: ``{0}``'s digit is this check's, not the number
    check's."""
    return _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)


def check(pair: Pair, ctx: Context) -> list[Flag]:
    """Placeholders, tags or references on one side only (or a different number of times)."""
    a, b = Counter(placeholders(pair.src)), Counter(placeholders(pair.tgt))
    only_a, only_b = a - b, b - a
    if not only_a and not only_b:
        return []
    shown_a, shown_b = tuple(sorted(only_a)), tuple(sorted(only_b))
    return [Flag("placeholder", "placeholders or markup differ: " + one_side_only(
        shown_a, shown_b), "error", shown_a, shown_b)]
