"""Site furniture: credits, newsletter calls, share buttons and footers that travel with
scraped articles. It is extra content by nature: the aligner lets it stand alone and says so."""

from __future__ import annotations

import re

# Site furniture that travels with scraped articles: credits, newsletters, share buttons,
# platform footers. Matched on a whole short sentence, in the languages we know.
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        (?:fonte|source|fonti|sources|foto|photo|credits?|crediti|via)\s*:.{0,60}
      | powered\s+by\b.{0,60}
      | (?:iscriviti|sign\s+up|subscribe|abbonati)\b.{0,120}
      | .{0,60}\bnewsletter\b.{0,60}
      | (?:condividi|share|tweet)(?:\s+(?:on|su|this|questo|l'articolo|articolo|article|story
          |via|facebook|twitter|whatsapp|linkedin|email))*
      | (?:related|advertisement|pubblicit[àa]|sponsored?)(?:\s+(?:content|articles|stories))?
      | (?:leggi\s+anche|read\s+more|read\s+also|continua\s+a\s+leggere|continue\s+reading)
          \b.{0,80}
      | (?:©|\(c\)|copyright|riproduzione\s+riservata|all\s+rights\s+reserved
          |tutti\s+i\s+diritti\s+riservati).{0,80}
      | (?:di|by)\s+(?-i:[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_boilerplate(sentence: str) -> bool:
    """A credit line, newsletter call, share button or footer rather than article content."""
    return len(sentence) <= 200 and bool(_BOILERPLATE.match(sentence.strip()))
