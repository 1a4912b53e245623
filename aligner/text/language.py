"""A small built-in language identifier: which language a text is in, from its function words.

Enough to catch the mistakes pipelines make (both files Italian, the files swapped, the wrong
export) without a download: every language writes its articles, prepositions and pronouns
constantly, and their lists barely overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.text.words import WORD

_PROFILES = {
    "it": "il lo la i gli le un una di da in con su per tra fra che non è sono della del dei "
          "delle nel nella al alla anche ma come più questo questa essere ha hanno sua suo",
    "en": "the of and to in is that for it with as was on are be by this have from or an "
          "which but not were has they their his her its will would been",
    "de": "der die das und ist nicht zu den von mit sich des auf für ein eine dem im auch "
          "als es an werden aus er hat dass sie nach wird bei",
    "fr": "le la les de des et est un une du en que qui dans pour pas sur au par ce plus "
          "il sont avec ne se aux cette ont été",
    "es": "el la los las de y en que del se por un una con para es su al lo como más pero "
          "sus le ya o fue ha este",
    "pt": "o a os as de e do da em que um uma para com não no na por mais dos como mas foi "
          "ao ele das tem seu sua ou",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als bij door "
          "maar om dan of wordt uit",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _PROFILES.items()}
KNOWN = frozenset(_PROFILES)


@dataclass(frozen=True, slots=True)
class Guess:
    """The most likely language, the share of tokens its profile explains, and the runner-up."""

    lang: str | None
    share: float
    second: str | None
    second_share: float
    tokens: int

    @property
    def confident(self) -> bool:
        return (self.lang is not None and self.tokens >= 20 and self.share >= 0.12
                and self.share >= 1.5 * self.second_share)


def identify(text: str) -> Guess:
    tokens = [t.lower() for t in WORD.findall(text[:100_000])]
    if not tokens:
        return Guess(None, 0.0, None, 0.0, 0)
    shares = sorted(((sum(t in words for t in tokens) / len(tokens), lang)
                     for lang, words in _WORDS.items()), reverse=True)
    (s1, l1), (s2, l2) = shares[0], shares[1]
    return Guess(l1 if s1 > 0 else None, s1, l2, s2, len(tokens))


def base(lang: str) -> str:
    """The language of a code without its region or script: pt-BR -> pt, en_GB -> en."""
    return lang.split("-")[0].split("_")[0].lower()


def function_words(text: str) -> dict[str, set[str]]:
    """For each known language, the distinct function words of it that the text uses."""
    tokens = {t.lower() for t in WORD.findall(text)}
    return {lang: tokens & words for lang, words in _WORDS.items()}


#: Language names for messages.
NAMES = {"it": "Italian", "en": "English", "de": "German", "fr": "French", "es": "Spanish",
         "pt": "Portuguese", "nl": "Dutch"}


def name(code: str | None) -> str:
    """``Italian (it)``; the code alone where the language has no name here."""
    if not code:
        return "an unknown language"
    full = NAMES.get(base(code))
    return f"{full} ({code})" if full else code


def mismatches(texts: tuple[str, str], declared: tuple[str, str], labels: tuple[str, str]
               ) -> list[str]:
    """Warnings for a pair of texts whose languages are not what was declared: one line when
    both look like the same language ("both files look Italian (it)"), else one per side."""
    guesses = [identify(t) for t in texts]
    wrong = [g.confident and base(d) in KNOWN and g.lang != base(d)
             for g, d in zip(guesses, declared, strict=True)]
    if any(wrong) and all(g.confident for g in guesses) and guesses[0].lang == guesses[1].lang:
        return [f"both files look {name(guesses[0].lang)}: {labels[0]} and {labels[1]}, declared "
                f"{name(declared[0])} and {name(declared[1])}"]
    if all(wrong) and (guesses[0].lang, guesses[1].lang) == (base(declared[1]),
                                                              base(declared[0])):
        return [f"the files look swapped: {labels[0]} looks {name(guesses[0].lang)} and "
                f"{labels[1]} {name(guesses[1].lang)}"]
    out = []
    for g, d, label, bad in zip(guesses, declared, labels, wrong, strict=True):
        if bad:
            out.append(f"{label} looks {name(g.lang)} ({g.share:.0%} of its words are "
                       f"{NAMES.get(g.lang or '', g.lang)} function words), not {name(d)}")
    return out


def mismatch(text: str, declared: str) -> str | None:
    """A one-line complaint when ``text`` confidently looks like another known language."""
    declared = base(declared)
    if declared not in KNOWN:
        return None
    guess = identify(text)
    if guess.confident and guess.lang != declared:
        return (f"looks like {guess.lang} ({guess.share:.0%} of its words are {guess.lang} "
                f"function words), not {declared}")
    return None
