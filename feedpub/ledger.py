"""The id ledger: what has been published of each article, kept with the published feeds.

For each article a feed has published, by its key (its seed's stem, NFC,
percent-encoded), the ledger holds the id it was published with, when it was
first published, a fingerprint of its title and body, and when that last
changed; for each article gone for good, its old id and when it went (the
tombstones an Atom feed carries, RFC 6721); and for each feed published with a
memo (the archive documents), the memo and its files' sizes and mtimes. A build
compares what it found of the seeds with it (:func:`reconcile`), which tells a
correction from a rebuild and an id that changed from one that did not. An
article no feed has held was seen by no reader, so it has no history to keep:
the ledger is the size of what was published, not of the seeds folder.

No time in it comes from the clock: a build's time is ``SOURCE_DATE_EPOCH`` when
set, else the seed's own mtime (for a deletion, the seeds folder's, which the
removal set). Unlike the seeds cache, the ledger is history, which no seed
holds: it is not kept in the cache folder but beside the output folder (see
:func:`ledger_file`), and a missing or corrupt one is rebuilt, with a warning,
from the published feeds (:func:`recovered`).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.identity import encode_key, key_of

#: The layout of the tables below; a ledger of another layout is rebuilt.
SCHEMA = "1"
_CREATE = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE articles (key TEXT PRIMARY KEY, id TEXT NOT NULL, first INTEGER NOT NULL,"
    " digest TEXT NOT NULL, changed INTEGER) WITHOUT ROWID",
    "CREATE TABLE deleted (id TEXT PRIMARY KEY, key TEXT NOT NULL, at INTEGER NOT NULL)"
    " WITHOUT ROWID",
    "CREATE TABLE documents (folder TEXT PRIMARY KEY, memo TEXT NOT NULL, files TEXT NOT NULL)"
    " WITHOUT ROWID",
)
#: How many keys one query looks up.
_BATCH = 500
#: How long a build waits for another process reading the ledger.
BUSY_TIMEOUT_MS = 30_000


def ledger_file(output: Path, setting: Path | None = None) -> Path:
    """Where the ledger of the output folder ``output`` is: ``setting`` when given, else
    ``ledger.sqlite`` in a folder beside it, ``<folder>.ledger/``, so that deploying the
    output deploys no state, the ledger lives and goes with the feeds, and a service
    allowed to write those two folders (for the file and SQLite's journal) may write
    nothing else."""
    if setting is not None:
        return setting
    folder = output.resolve()
    return folder.with_name(f"{folder.name}.ledger") / "ledger.sqlite"


def article_key(name: str) -> str:
    """The key of the article of the seed file ``name`` (a name in a folder, without
    one of its own), as its id ends with: its stem (as :attr:`Path.stem` gives it, which
    is slow for 100,000 names), NFC, percent-encoded (:func:`~feedpub.identity.encode_key`)."""
    dot = name.rfind(".")
    return encode_key(name[:dot] if 0 < dot < len(name) - 1 else name)


@dataclass(frozen=True, slots=True)
class Article:
    """What the ledger holds of a published article."""

    id: str
    first: int
    """When it was first published: a build's time, POSIX seconds."""
    digest: str
    """Its :func:`~feedpub.seed.content_digest`; empty when not known (a rebuilt ledger)."""
    changed: int | None
    """When its title or body last changed, POSIX seconds; None: never since first."""


@dataclass(frozen=True, slots=True)
class Found:
    """What a build found of an article's seed."""

    id: str
    published: float
    """The entry's time, POSIX seconds."""
    digest: str
    mtime: int
    """The seed's mtime, POSIX seconds: the time of an edit without SOURCE_DATE_EPOCH."""


@dataclass(frozen=True, slots=True)
class Tombstone:
    """An article gone for good: the id it had, its key, and when it went."""

    id: str
    key: str
    at: int
    """POSIX seconds."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What a build changes in the ledger (:func:`reconcile`)."""

    rows: dict[str, Article] = field(default_factory=dict)
    """The new row of each article added, edited or given another id, by key."""
    moved: list[tuple[str, str, str]] = field(default_factory=list)
    """(key, old id, new id) of each published article whose id changes."""
    deleted: list[Tombstone] = field(default_factory=list)
    """Articles gone: their rows go, their tombstones come (with the old ids of moved ones)."""
    restored: list[str] = field(default_factory=list)
    """Ids published again, whose tombstones go."""

    def __bool__(self) -> bool:
        return bool(self.rows or self.deleted or self.restored)

    def merged(self, other: Changes) -> Changes:
        """These changes, then ``other``."""
        return Changes(
            rows={**self.rows, **other.rows},
            moved=[*self.moved, *other.moved],
            deleted=[*self.deleted, *other.deleted],
            restored=[*self.restored, *other.restored],
        )


def reconcile(
    known: Mapping[str, Article],
    found: Mapping[str, Found],
    gone: Iterable[str],
    *,
    tombstoned: set[str],
    build_time: int | None,
    deleted_at: int,
) -> Changes:
    """What changes in the ledger, which holds ``known`` of the articles concerned,
    when a build finds ``found`` of their seeds and none of the articles ``gone``.

    ``tombstoned`` are the ids with tombstones; ``build_time`` is SOURCE_DATE_EPOCH
    (None: each seed's mtime); ``deleted_at`` when the articles gone went. An
    article's change of title or body is dated when it was first built, never
    before it was published.
    """
    changes = Changes()
    for key, seed in sorted(found.items()):
        now = seed.mtime if build_time is None else build_time
        before = known.get(key)
        if seed.id in tombstoned:
            changes.restored.append(seed.id)
        if before is None:
            changes.rows[key] = Article(seed.id, now, seed.digest, None)
            continue
        if before.id != seed.id:
            changes.moved.append((key, before.id, seed.id))
            changes.deleted.append(Tombstone(before.id, key, now))
        edited = bool(before.digest) and before.digest != seed.digest
        changed = max(now, math.ceil(seed.published)) if edited else before.changed
        row = Article(seed.id, before.first, seed.digest, changed)
        if row != before:
            changes.rows[key] = row
    for key in sorted(gone):
        before = known.get(key)
        if before is not None:
            changes.deleted.append(Tombstone(before.id, key, deleted_at))
    return changes


def recovered(
    entries: Iterable[tuple[str, float, float]], tombstones: Iterable[tuple[str, float]]
) -> tuple[dict[str, Article], list[Tombstone]]:
    """The ledger's rows as far as published feeds tell them: from their entries' (id,
    published, updated) and their tombstones' (id, when), POSIX seconds.

    The fingerprints are not known (empty), so the next build's edits are taken as
    they are, not as corrections; a correction already published keeps its time (the
    latest any format gives: RSS gives none), and a first publication is dated by
    the entry's own time.
    """
    rows: dict[str, Article] = {}
    for id, published, updated in entries:
        key = key_of(id)
        if key is None:
            continue
        first = math.ceil(published)
        changed = math.floor(updated) if math.floor(updated) > first else None
        before = rows.get(key)
        if before is not None and before.id == id:  # the same entry in another format,
            changed = max(before.changed or 0, changed or 0) or None  # which may lack times
        rows[key] = Article(id, first, "", changed)
    deleted: dict[str, Tombstone] = {}
    for id, when in tombstones:
        key = key_of(id)
        if key is not None:
            deleted.setdefault(id, Tombstone(id, key, math.floor(when)))
    return rows, list(deleted.values())


class LedgerDamaged(sqlite3.DatabaseError):
    """The ledger file is not one feedpub can read: another layout, or damaged."""


class Ledger:
    """The ledger in the file ``path``, or (None) in memory.

    A build reads it, then stages (:meth:`stage`) what it changes, which the reads that
    follow (:meth:`changed`, :meth:`tombstones`) see; :meth:`commit`, once the feeds
    are published, writes it in one transaction. Nothing is written before, so a
    full disk fails the feeds first, and a build that fails leaves the ledger as it
    was. With ``copy``, the file is read into memory and never written: ``--check``.

    Raises :class:`sqlite3.DatabaseError` (:class:`LedgerDamaged` among them) for a
    file that is not a ledger, :class:`OSError` for one that cannot be opened.
    """

    def __init__(self, path: Path | None, *, copy: bool = False) -> None:
        self.path = path
        self.created = path is None or not path.exists()
        if path is not None and not copy and not path.parent.is_dir():
            raise FileNotFoundError(2, "No such file or directory", str(path.parent))
        self._open = True
        self._staged = Changes()
        self._documents: dict[str, tuple[str, list[tuple[str, int, int]]]] | None = None
        self._synced: tuple[str | None] | None = None
        """The fingerprint staged, in a tuple; None when none is."""
        self._db = sqlite3.connect(
            ":memory:" if path is None or copy else path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
        try:
            if copy and path is not None and not self.created:
                source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
                try:
                    source.backup(self._db)
                finally:
                    source.close()
            # Durable once committed, as the feeds are once renamed.
            self._db.execute("PRAGMA synchronous = FULL")
            self._prepare()
        except BaseException:
            self._db.close()
            raise

    def _prepare(self) -> None:
        tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master")}
        if not tables:
            self.created = True
            return
        schema = None
        if "meta" in tables:
            schema = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if schema != (SCHEMA,) or not {"articles", "deleted", "documents"} <= tables:
            raise LedgerDamaged("not a ledger of this feedpub")

    def _tables(self) -> bool:
        """Whether the file has the ledger's tables yet (a new one has none until written)."""
        return not self.created or self._written

    _written = False

    @property
    def synced(self) -> str | None:
        """The fingerprint of the seeds listing the ledger was last brought up to date
        with; None when not known."""
        if not self._tables():
            return None
        row = self._db.execute("SELECT value FROM meta WHERE name = 'synced'").fetchone()
        return None if row is None else str(row[0])

    def __len__(self) -> int:
        """How many articles it holds (what is staged aside)."""
        if not self._tables():
            return 0
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def articles(self, keys: Iterable[str] | None = None) -> dict[str, Article]:
        """The rows of the articles ``keys`` (None: of every one) that it holds (what is
        staged aside)."""
        if not self._tables():
            return {}
        select = "SELECT key, id, first, digest, changed FROM articles"
        if keys is None:
            return {key: Article(*rest) for key, *rest in self._db.execute(select)}
        found: dict[str, Article] = {}
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            for key, *rest in self._db.execute(f"{select} WHERE key IN ({marks})", batch):
                found[key] = Article(*rest)
        return found

    def tombstoned(self, ids: Iterable[str] | None = None) -> set[str]:
        """Which of ``ids`` (None: every id) have tombstones (what is staged aside)."""
        if not self._tables():
            return set()
        if ids is None:
            return {id for (id,) in self._db.execute("SELECT id FROM deleted")}
        return {
            id
            for id in ids
            if self._db.execute("SELECT 1 FROM deleted WHERE id = ?", (id,)).fetchone()
        }

    def tombstones(self) -> list[Tombstone]:
        """Every article gone, with what is staged, newest first, then by id."""
        staged = self._staged
        kept: dict[str, Tombstone] = {}
        if self._tables():
            for row in self._db.execute("SELECT id, key, at FROM deleted"):
                kept[row[0]] = Tombstone(*row)
        for tombstone in staged.deleted:
            kept[tombstone.id] = tombstone
        for id in staged.restored:
            kept.pop(id, None)
        return sorted(kept.values(), key=lambda t: (-t.at, t.id))

    def corrections(self) -> dict[str, int]:
        """When each corrected article last changed, by key, with what is staged."""
        found: dict[str, int] = {}
        if self._tables():
            rows = self._db.execute("SELECT key, changed FROM articles WHERE changed IS NOT NULL")
            found.update(rows)
        for key, row in self._staged.rows.items():
            if row.changed is None:
                found.pop(key, None)
            else:
                found[key] = row.changed
        return found

    def documents(self) -> dict[str, tuple[str, list[tuple[str, int, int]]]]:
        """The memo (:attr:`~feedpub.feeds.FeedSpec.memo`, with the settings) of each
        feed folder last published with one, and its files' paths below the output
        folder with their sizes and mtimes then."""
        if not self._tables():
            return {}
        found: dict[str, tuple[str, list[tuple[str, int, int]]]] = {}
        for folder, memo, files in self._db.execute("SELECT folder, memo, files FROM documents"):
            try:
                listed = [
                    (str(path), int(size), int(mtime)) for path, size, mtime in json.loads(files)
                ]
            except (ValueError, TypeError):
                continue  # not what a build wrote: the feed is rendered again
            found[folder] = (memo, listed)
        return found

    def stage_documents(self, documents: dict[str, tuple[str, list[tuple[str, int, int]]]]) -> None:
        """What :meth:`commit` is to write of the feeds published with memos: every one."""
        self._documents = documents

    def changed(self, key: str) -> int | None:
        """When the article ``key``'s title or body last changed, with what is staged;
        None: never, or no such article."""
        if key in self._staged.rows:
            return self._staged.rows[key].changed
        if not self._tables():
            return None
        row = self._db.execute("SELECT changed FROM articles WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    @property
    def staged(self) -> Changes:
        """What :meth:`commit` is to write."""
        return self._staged

    def stage(self, changes: Changes, synced: str | None) -> None:
        """What :meth:`commit` is to write: ``changes``, and that the ledger is then up to
        date with the seeds listing of fingerprint ``synced``; it replaces what was
        staged before."""
        self._staged = changes
        self._synced = (synced,)

    def stage_also(self, changes: Changes) -> None:
        """Stage ``changes`` after what is staged."""
        self._staged = self._staged.merged(changes)

    def write(self, changes: Changes) -> None:
        """Write ``changes`` now, in a transaction of their own: what a rebuilt ledger
        knows from the published feeds, which no failure of this build makes untrue."""
        self._transaction(changes, None, None)

    def commit(self) -> None:
        """Write what is staged, in one transaction; the ledger is then closed."""
        if self._staged or self._synced is not None or self._documents is not None:
            self._transaction(self._staged, self._synced, self._documents)
        self.close()

    def _transaction(
        self,
        changes: Changes,
        synced: tuple[str | None] | None,
        documents: dict[str, tuple[str, list[tuple[str, int, int]]]] | None,
    ) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            if not self._tables():
                for statement in _CREATE:
                    db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
            db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                ((key, a.id, a.first, a.digest, a.changed) for key, a in changes.rows.items()),
            )
            gone = {t.key for t in changes.deleted} - set(changes.rows)
            db.executemany("DELETE FROM articles WHERE key = ?", ((key,) for key in sorted(gone)))
            db.executemany(
                "INSERT OR REPLACE INTO deleted VALUES (?, ?, ?)",
                ((t.id, t.key, t.at) for t in changes.deleted),
            )
            db.executemany("DELETE FROM deleted WHERE id = ?", ((id,) for id in changes.restored))
            if documents is not None:
                db.execute("DELETE FROM documents")
                db.executemany(
                    "INSERT INTO documents VALUES (?, ?, ?)",
                    (
                        (folder, memo, json.dumps(files))
                        for folder, (memo, files) in sorted(documents.items())
                    ),
                )
            if synced is not None:
                if synced[0] is None:
                    db.execute("DELETE FROM meta WHERE name = 'synced'")
                else:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('synced', ?)", synced)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._written = True

    def close(self) -> None:
        """Close it, dropping what was not committed; once closed, it stays closed."""
        if self._open:
            self._open = False
            self._db.close()
