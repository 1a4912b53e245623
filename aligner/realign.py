"""Word associations learnt from a first alignment, for a second one (Hunalign's realign).

A pair of languages the project has no lexicon for shares only numbers, names and cognates.
But a long enough document teaches its own vocabulary: words that keep turning up in the two
halves of confident 1-1 beads (Gipfel / sommet) are very likely translations. They become
shared features of the sentences that hold them, and the document is aligned again. Short
documents (news articles) are left alone: a few dozen beads teach chance, not words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from aligner.data import Bead
from aligner.kinds import Kind
from aligner.score import Side

MIN_BEADS = 50            # confident 1-1 beads needed before anything is learnt
MAX_BEADS = 3000          # the most beads learnt from (long books: enough, and bounded)
MIN_SCORE = 0.7           # a bead this sure is taken as a translation pair
MIN_COUNT = 2             # a word pair must occur in at least this many beads ...
MIN_DICE = 0.3            # ... and its Dice coefficient reach this
WEIGHT = 2.0              # weight of a learnt association in the bags


def associations(src: Side, tgt: Side, beads: Sequence[Bead]) -> list[tuple[str, str]]:
    """Pairs of word features (``=word``) that co-occur in confident 1-1 beads, best first;
    empty when the document has too few such beads."""
    sure = [b for b in beads if len(b.source) == 1 and len(b.target) == 1
            and b.score >= MIN_SCORE]
    if len(sure) < MIN_BEADS:
        return []
    step = max(1, len(sure) // MAX_BEADS)
    count_src: Counter[str] = Counter()
    count_tgt: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    for bead in sure[::step]:
        u = {f for f in src.bags[bead.source[0]] if Kind.of(f) is Kind.WORD}
        v = {f for f in tgt.bags[bead.target[0]] if Kind.of(f) is Kind.WORD}
        count_src.update(u)
        count_tgt.update(v)
        both.update((a, b) for a in u for b in v if a != b)
    found = [(pair, c) for pair, c in both.items() if c >= MIN_COUNT
             and 2 * c / (count_src[pair[0]] + count_tgt[pair[1]]) >= MIN_DICE]
    found.sort(key=lambda x: (-x[1], x[0]))
    return [pair for pair, _ in found]


def with_associations(src: Side, tgt: Side, pairs: Sequence[tuple[str, str]]
                      ) -> tuple[Side, Side]:
    """Both sides with a shared feature ``%k`` for each association k their sentences hold."""
    by_src: dict[str, list[int]] = defaultdict(list)
    by_tgt: dict[str, list[int]] = defaultdict(list)
    for k, (a, b) in enumerate(pairs):
        by_src[a].append(k)
        by_tgt[b].append(k)

    def add(side: Side, index: dict[str, list[int]]) -> Side:
        bags = []
        for bag in side.bags:
            new = Counter(bag)
            for feature in bag:
                for k in index.get(feature, ()):
                    new[f"{Kind.ASSOCIATION}{k}"] += WEIGHT  # type: ignore[assignment]  # a Counter of float weights
            bags.append(new)
        return Side(bags, side.lengths, side.boilerplate)

    return add(src, by_src), add(tgt, by_tgt)
