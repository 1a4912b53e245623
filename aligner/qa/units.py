"""The data model of ``aligner check``: translation units as a file pairs them, and their verdicts.

A reader (``aligner.qa.readers``) turns a file into a ``Catalog`` of ``Unit``s; the check
(``aligner.qa.check``) gives each a ``UnitResult``; the report writers
(``aligner.qa.report``) and ``--annotate`` (``aligner.qa.annotate``) read those.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from aligner import jsonout
from aligner.data import Flag, Signature
from aligner.text.codes import Code, blank

#: How the file itself marks a unit: translated, fuzzy (PO's ``fuzzy`` flag, XLIFF's
#: ``needs-review-*`` states: a translator's draft), or not translated yet.
State = Literal["translated", "fuzzy", "untranslated"]
#: A unit's verdict: ``ok``, ``divergent`` (the two sides differ), ``untranslated`` (empty,
#: or the source copied), ``fuzzy`` (the file says it awaits review: reported, not judged).
UnitStatus = Literal["ok", "divergent", "untranslated", "fuzzy"]
STATUSES: tuple[UnitStatus, ...] = ("ok", "divergent", "untranslated", "fuzzy")

SCHEMA = "aligner/check/1"


@dataclass(frozen=True, slots=True)
class Text:
    """One side of a unit: its text (inline codes written as in the file) and its codes, as
    the file's format defines them (``aligner.text.codes``)."""

    text: str
    codes: tuple[Code, ...] = ()

    @property
    def plain(self) -> str:
        """The text with its codes blanked: what the word, number and name checks read."""
        return blank(self.text, self.codes) if self.codes else self.text


@dataclass(frozen=True, slots=True)
class Unit:
    """A source segment and its translation, as the file pairs them.

    ``id``: the file's own (XLIFF ``id``; PO msgid, prefixed by msgctxt and ``\\x04`` as
    gettext keys it, with ``[n]`` for plural form n; TMX ``tuid`` or the unit's position; a
    table's row number). ``line``: where it starts in the file. ``context``: what tells two
    units of one source apart on purpose (PO msgctxt), for the consistency check.
    """

    id: str
    source: Text
    target: Text
    line: int | None = None
    state: State = "translated"
    context: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Catalog:
    """A translation file's units and what the file says of itself."""

    path: str | None
    format: str                      # xliff, po, tmx, tsv, csv, or "units" (given directly)
    src_lang: str
    tgt_lang: str
    units: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class UnitResult:
    """A unit's verdict: its status, how likely its sides differ (the decision model's
    probability; 1.0 where hard evidence decides) and the flags that say why."""

    unit: Unit
    status: UnitStatus
    divergence: float
    flags: tuple[Flag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        u = self.unit
        return {"id": u.id, "line": u.line, "source": u.source.text, "target": u.target.text,
                "status": self.status, "divergence": self.divergence,
                "flags": [f.to_dict() for f in self.flags],
                **({"context": u.context} if u.context is not None else {}),
                **({"note": u.note} if u.note else {})}


@dataclass(frozen=True, slots=True)
class FileCheck:
    """``aligner check``'s result for one file: every unit of the file with its verdict."""

    catalog: Catalog
    results: tuple[UnitResult, ...]
    signature: Signature | None = None
    warnings: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[UnitResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        flags: dict[str, int] = {}
        for r in self.results:
            counts[r.status] += 1
            for f in r.flags:
                flags[f.code] = flags.get(f.code, 0) + 1
        return {"units": len(self.results), **counts, "flags": dict(sorted(flags.items()))}

    def to_dict(self) -> dict[str, Any]:
        """The JSON document ``aligner/check/1`` (docs/formats.md: its fields are stable)."""
        c = self.catalog
        return {"schema": SCHEMA,
                "file": {"path": c.path, "format": c.format, "source_lang": c.src_lang,
                         "target_lang": c.tgt_lang},
                "units": [r.to_dict() for r in self.results],
                "summary": self.summary(),
                **({"signature": self.signature.to_dict()} if self.signature else {}),
                **({"warnings": list(self.warnings)} if self.warnings else {})}

    def to_json(self, indent: int | None = 2) -> str:
        return jsonout.dumps(self.to_dict(), indent)
