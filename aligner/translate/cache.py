"""A translation cache in SQLite, so that re-aligning an article translates nothing twice.

Keyed by the model (name and revision), the direction and a hash of the text. SQLite in WAL
mode with a busy timeout lets two processes read and write at once; each insert is one short
transaction. A file that is not a database (or a broken one) is moved aside and rebuilt, with
a warning: a cache is never worth failing for.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL,
    direction TEXT NOT NULL,
    digest TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (model, direction, digest)
) WITHOUT ROWID
"""


def default_path() -> Path:
    """$ALIGNER_CACHE_DIR, else the user cache folder ($XDG_CACHE_HOME or ~/.cache)/aligner."""
    root = os.environ.get("ALIGNER_CACHE_DIR")
    if root:
        return Path(root) / "translations.sqlite3"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aligner" / "translations.sqlite3"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class TranslationCache:
    """get_many / put_many over one SQLite file; safe to share between processes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            try:
                db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
                db.execute("PRAGMA busy_timeout = 30000")
                db.execute("PRAGMA journal_mode = WAL")
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM translations LIMIT 1").fetchone()
                return db
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or (isinstance(exc, sqlite3.OperationalError) and "locked" in str(
                        exc)):
                    raise
                aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
                log.warning("translation cache %s is damaged (%s): moved to %s, starting afresh",
                            self.path, exc, aside.name)
                for suffix in ("", "-wal", "-shm"):
                    p = Path(str(self.path) + suffix)
                    if p.exists():
                        p.replace(Path(str(aside) + suffix))
        raise AssertionError("unreachable")

    def get_many(self, model: str, direction: str, texts: Sequence[str]) -> list[str | None]:
        """The cached translation of each text, or None."""
        digests = [_digest(t) for t in texts]
        found: dict[str, str] = {}
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT digest, translation FROM translations WHERE model = ? AND direction = ? "
                f"AND digest IN ({marks})", (model, direction, *chunk))
            found.update(rows.fetchall())
        return [found.get(d) for d in digests]

    def put_many(self, model: str, direction: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(model, direction, _digest(src), out) for src, out in pairs]
        if not rows:
            return
        with self._db:   # one transaction; concurrent writers wait on the busy timeout
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()
