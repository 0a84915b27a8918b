"""What earlier builds learned about each seed, so a rebuild reads only what changed.

A pure cache: it holds, per seed file, the size and mtime it had when parsed,
and what ordering and reporting need (the entry's time and id, or that it was
rejected, and its diagnostics). Deleting it, or finding it corrupt, truncated
or written by another feedpub version, changes no output, only speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from feedpub import __version__
from feedpub.errors import Level

SCHEMA = "1"
#: How long a build waits for another one writing the same cache.
BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True, slots=True)
class SeedRecord:
    """What a build needs to know of one seed file without reading it again."""

    name: str
    """The file's name in the seeds folder."""
    size: int
    """Its size in bytes when it was parsed."""
    mtime_ns: int
    """Its modification time, in nanoseconds, when it was parsed."""
    published: float | None
    """The entry's UTC time as a POSIX timestamp; None when the seed gave no entry."""
    id: str
    """The entry's id; empty when the seed gave no entry."""
    rejected: bool
    """Whether the seed was rejected with an error."""
    diagnostics: tuple[tuple[int | None, Level, str], ...]
    """Its diagnostics as (line, level, message), in order."""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/feedpub``, else ``~/.cache/feedpub``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "feedpub"


def cache_file(cache_dir: Path, seeds: Path, authority: str) -> Path:
    """One database per seeds folder and id authority, so sites never mix."""
    key = hashlib.sha256(f"{seeds.resolve()}\0{authority}".encode()).hexdigest()[:20]
    return cache_dir / f"seeds-{key}.sqlite3"


class SeedCache:
    """The cache of one seeds folder. Raises :class:`sqlite3.DatabaseError` when corrupt."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._prepare()
        except BaseException:
            self._db.close()
            raise

    def _prepare(self) -> None:
        with self._transaction():
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            stamp = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
            if stamp != {"schema": SCHEMA, "version": __version__}:
                self._db.execute("DROP TABLE IF EXISTS seeds")
                self._db.execute("DELETE FROM meta")
                self._db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("schema", SCHEMA), ("version", __version__)],
                )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS seeds (name TEXT PRIMARY KEY, size INTEGER NOT NULL,"
                " mtime_ns INTEGER NOT NULL, published REAL, id TEXT NOT NULL,"
                " rejected INTEGER NOT NULL, diagnostics TEXT NOT NULL)"
            )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def load(self) -> dict[str, SeedRecord]:
        """Every record, by file name."""
        rows = self._db.execute(
            "SELECT name, size, mtime_ns, published, id, rejected, diagnostics FROM seeds"
        ).fetchall()
        return {
            row[0]: SeedRecord(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                bool(row[5]),
                tuple(map(tuple, json.loads(row[6]))) if row[6] != "[]" else (),
            )
            for row in rows
        }

    def update(self, records: Iterable[SeedRecord], gone: Iterable[str]) -> None:
        """Store new records and forget files that left the folder, in one transaction."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO seeds VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        record.name,
                        record.size,
                        record.mtime_ns,
                        record.published,
                        record.id,
                        int(record.rejected),
                        json.dumps(record.diagnostics),
                    )
                    for record in records
                ),
            )
            self._db.executemany("DELETE FROM seeds WHERE name = ?", ((name,) for name in gone))

    def close(self) -> None:
        self._db.close()


def remove(path: Path) -> None:
    """Delete a cache database and its journal files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
