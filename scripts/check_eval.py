"""`make eval`, `aligner check` part: real translation files as they are, and with slips injected.

The files are published Italian translations of Django, Sphinx and Symfony (tests/data/l10n,
each with its licence). As they are, a unit flagged divergent is a false alarm (the files are
what their translators ship): the figure is the share of translated units flagged, with a 95%
bootstrap interval over units. Then, kind by kind, a copy of each file gets one slip in every
unit where the kind applies, written into the file itself (so the reader is part of what is
measured), and the figure is the share of those units flagged divergent (the slips of a kind are
spread over ``ROUNDS`` copies, so that each copy has a few):

- ``placeholder``: one of the target's placeholders or inline codes removed;
- ``conversion``: a ``%d`` (or ``%(name)d``) of the target turned into ``%s``;
- ``number``: a number of the target changed (7 -> 8);
- ``name``: a name written alike on both sides (Django, IBAN) changed in the target (Modena).

    python scripts/check_eval.py [--files tests/data/l10n] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.evaluate import bootstrap  # noqa: E402
from aligner.qa.check import check  # noqa: E402
from aligner.qa.units import Unit  # noqa: E402

#: A target's number outside its placeholders, and a name both sides write alike.
_NUMBER = re.compile(r"(?<![\w%.,])\d+(?![\w.,]*\w)")
_NAME = re.compile(r"\b[A-Z][a-zA-Z]{2,}\b")
_CONVERSION = re.compile(r"(%(?:\(\w+\)|\d+\$)?)d")
NEW_NAME = "Modena"
#: Each kind's slips go into this many copies of a file, every ROUNDS-th eligible unit in each:
#: a slip stays the exception in its file, as in a real one (a name the file keeps in its other
#: units is evidence the check reads).
ROUNDS = 4


def _drop_code(unit: Unit) -> str | None:
    kept = [c for c in unit.target.codes if c.canon]
    if not kept:
        return None
    c = kept[len(kept) // 2]
    return unit.target.text[:c.start] + unit.target.text[c.end:]


def _conversion(unit: Unit) -> str | None:
    for c in unit.target.codes:
        piece = unit.target.text[c.start:c.end]
        if c.canon.endswith("d") and piece.endswith("d") and piece.startswith("%"):
            return unit.target.text[:c.end - 1] + "s" + unit.target.text[c.end:]
    return None


def _number(unit: Unit) -> str | None:
    plain = unit.target.plain
    m = _NUMBER.search(plain)
    if m is None:
        return None
    changed = str(int(m.group(0)) + 1)
    return unit.target.text[:m.start()] + changed + unit.target.text[m.end():]


def _name(unit: Unit) -> str | None:
    source = set(_NAME.findall(unit.source.plain))
    for m in _NAME.finditer(unit.target.plain):
        if m.group(0) in source and m.start() > 0 and m.group(0) not in ("True", "False",
                                                                        "None", "URL", "OK"):
            return unit.target.text[:m.start()] + NEW_NAME + unit.target.text[m.end():]
    return None


SLIPS: dict[str, Callable[[Unit], str | None]] = {
    "placeholder": _drop_code, "conversion": _conversion, "number": _number, "name": _name}


def _write_with(path: Path, fmt: str, edits: dict[int, str], units: list[Unit], out: Path
                ) -> None:
    """A copy of ``path`` where unit k's target is ``edits[k]``."""
    if fmt == "po":
        import polib

        po = polib.pofile(str(path), wrapwidth=0)
        by_key = {}
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None \
                else entry.msgid
            by_key[key] = entry
        for k, text in edits.items():
            unit = units[k]
            key, _, form = unit.id.rpartition("[") if unit.note else (unit.id, "", "")
            entry = by_key[key]
            if unit.note:
                entry.msgstr_plural[int(form.rstrip("]"))] = text
            else:
                entry.msgstr = text
        po.save(str(out))
        return
    raw = path.read_text("utf-8")
    for k, text in edits.items():
        unit = units[k]
        start = raw.find(f'id="{unit.id}"')
        t0 = raw.find("<target", start)
        t1 = raw.find(">", t0) + 1
        t2 = raw.find("</target>", t1)
        raw = raw[:t1] + _xml(text) + raw[t2:]
    out.write_text(raw, "utf-8")


def _xml(text: str) -> str:
    """An XLIFF target's text (the fixtures' targets have no inline elements)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _interval(flags: list[int]) -> tuple[float, float, float]:
    if not flags:
        return (float("nan"), 0.0, 0.0)
    lo, hi = bootstrap(flags, lambda xs: sum(xs) / len(xs))
    return (sum(flags) / len(flags), lo, hi)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", default=str(ROOT / "tests" / "data" / "l10n"))
    ap.add_argument("--json", default=None)
    ap.add_argument("--calibrated", action="store_true",
                    help="decide by the divergence model fitted on articles (check's "
                         "--calibrated), not by the checks' error flags (its default)")
    args = ap.parse_args()
    decide = {"calibrated": args.calibrated}
    files = sorted(p for p in Path(args.files).iterdir() if p.suffix in (".po", ".xlf"))
    alarms: list[int] = []
    found: dict[str, list[int]] = {kind: [] for kind in SLIPS}
    rows = []
    seconds = 0.0
    for path in files:
        t = time.perf_counter()
        result = check(path, **decide)
        seconds += time.perf_counter() - t
        judged = [r for r in result if r.status in ("ok", "divergent")]
        flagged = [int(r.status == "divergent") for r in judged]
        alarms += flagged
        rows.append((path.name, len(result), len(judged), sum(flagged)))
        units = list(result.catalog.units)
        with tempfile.TemporaryDirectory() as tmp:
            for kind, slip in SLIPS.items():
                edits = {k: text for k, u in enumerate(units) if u.state == "translated"
                         and (text := slip(u)) is not None and text != u.target.text}
                eligible = sorted(edits)
                for part in range(ROUNDS):
                    mine = {k: edits[k] for k in eligible[part::ROUNDS]}
                    if not mine:
                        continue
                    copy = Path(tmp) / f"{kind}-{part}{path.suffix}"
                    _write_with(path, result.catalog.format, mine, units, copy)
                    # ids are unique in a file
                    by_id = {r.unit.id: r for r in check(copy, **decide)}
                    found[kind] += [int(by_id[units[k].id].status == "divergent") for k in mine]
    print("aligner check on real translation files (tests/data/l10n), model-free, decided by "
          f"{'the calibrated model' if args.calibrated else 'the error flags'}; 95% bootstrap "
          "intervals over units")
    print(f"{'file':28} {'units':>6} {'translated':>10} {'divergent':>9}")
    for name, n, judged_n, div in rows:
        print(f"{name:28} {n:6d} {judged_n:10d} {div:9d}")
    rate, lo, hi = _interval(alarms)
    print(f"false alarms: {rate:.3f} [{lo:.3f}-{hi:.3f}] of {len(alarms)} translated units "
          f"(bar <= .02); checked in {seconds:.1f} s")
    figures = {"false_alarms": rate, "false_alarms_interval": [lo, hi],
               "translated_units": len(alarms), "seconds": seconds, "recall": {}}
    every: list[int] = []
    for kind, hits in found.items():
        r, lo, hi = _interval(hits)
        every += hits
        figures["recall"][kind] = {"recall": r, "interval": [lo, hi], "slips": len(hits)}
        print(f"slips found, {kind:12} {r:.3f} [{lo:.3f}-{hi:.3f}] of {len(hits)}")
    r, lo, hi = _interval(every)
    figures["recall"]["all"] = {"recall": r, "interval": [lo, hi], "slips": len(every)}
    print(f"slips found, {'all':12} {r:.3f} [{lo:.3f}-{hi:.3f}] of {len(every)} (bar >= .95)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
