"""What earlier builds learned about each seed, so a rebuild reads only what changed.

A pure cache: it holds, per seed file, the size and mtime it had when parsed,
and what ordering and reporting need (the entry's time and id, or that it was
rejected, and its diagnostics). Deleting it, or finding it corrupt, truncated
or written by another feedpub version, changes no output, only speed.

Builds without a cache use the same store in memory, so both take one path:
SQLite orders the entries and finds the seeds with diagnostics either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, get_type_hints

from feedpub import __version__
from feedpub.errors import Level

#: How long a build waits for another one using the same cache.
BUSY_TIMEOUT_MS = 30_000
#: SQLite's page cache: enough to insert 100,000 records without spilling to disk.
PAGE_CACHE_KIB = 64 * 1024

Diagnostics = tuple[tuple[int | None, Level, str], ...]
Row = Sequence[object]
"""A record as the database holds it: its columns' values, in its fields' order."""


@dataclass(frozen=True, slots=True)
class Column:
    """The column that keeps a field of :class:`SeedRecord`: its SQL type, and how its
    value goes into the database and comes back (as it is, when None)."""

    sql: str
    encode: Callable[[Any], object] | None = None
    decode: Callable[[Any], Any] | None = None


def _encode_diagnostics(diagnostics: Diagnostics) -> str | None:
    return json.dumps(diagnostics) if diagnostics else None


#: Between names in a column: a control character, which no seed's text keeps.
_NAME_SEPARATOR = "\x1f"


def _encode_names(names: tuple[str, ...]) -> str | None:
    return _NAME_SEPARATOR.join(names) if names else None


def _decode_names(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(_NAME_SEPARATOR)) if text else ()


class SeedRecord(NamedTuple):
    """What a build keeps of one seed file, so as not to read it again: the cache's one
    record type. The table, its statements and the conversions are derived from these
    fields' :class:`Column` annotations, so that caching one more fact is adding one
    field here. (A named tuple: a cold build makes one for every seed.)"""

    name: Annotated[str, Column("BLOB PRIMARY KEY", os.fsencode, os.fsdecode)]
    """The file's name in the seeds folder; any name fits, as its bytes."""
    size: Annotated[int, Column("INTEGER NOT NULL")]
    """Its size in bytes when it was parsed."""
    mtime_ns: Annotated[int, Column("INTEGER NOT NULL")]
    """Its modification time, in nanoseconds, when it was parsed."""
    published: Annotated[float | None, Column("REAL")]
    """The entry's UTC time as a POSIX timestamp; None when the seed gave no entry."""
    id: Annotated[str, Column("TEXT NOT NULL")]
    """The entry's id; empty when the seed gave no entry."""
    rejected: Annotated[bool, Column("INTEGER NOT NULL", int, bool)]
    """Whether the seed was rejected with an error."""
    categories: Annotated[tuple[str, ...], Column("TEXT", _encode_names, _decode_names)]
    """The entry's categories, for selections by category."""
    authors: Annotated[tuple[str, ...], Column("TEXT", _encode_names, _decode_names)]
    """The entry's authors, for selections by author."""
    digest: Annotated[str, Column("TEXT NOT NULL")]
    """The fingerprint of the entry's title and body (:func:`~feedpub.seed.content_digest`);
    empty when the seed gave no entry."""
    diagnostics: Annotated[Diagnostics, Column("TEXT", _encode_diagnostics)]
    """Its diagnostics as (line, level, message), in order; read back checked, by
    :meth:`SeedCache.noted`."""

    @property
    def warnings(self) -> int:
        """How many of its diagnostics are warnings: a column of its own (see
        :data:`_DERIVED`), which the totals add up."""
        diagnostics = self.diagnostics
        return sum(level == "warning" for _, level, _ in diagnostics) if diagnostics else 0

    def row(self) -> Row:
        """The record as the database holds it."""
        values: list[object] = list(self)
        for index, encode in _ENCODED:
            values[index] = encode(values[index])
        values.append(self.warnings)
        return values

    @classmethod
    def from_row(cls, row: Row) -> SeedRecord:
        """The record of a row of the database; its diagnostics are not read back."""
        values = list(row[: len(cls._fields)])
        for index, decode in _DECODED:
            values[index] = decode(values[index])
        values[_DIAGNOSTICS] = ()
        return cls._make(values)


_FIELDS: dict[str, Column] = {
    name: hint.__metadata__[0]
    for name, hint in get_type_hints(SeedRecord, include_extras=True).items()
}
#: Columns kept beside the fields, each derived from the record by the property of its name.
_DERIVED = {"warnings": "INTEGER NOT NULL"}
_COLUMN_NAMES = (*_FIELDS, *_DERIVED)
_ENCODED = tuple(
    (index, column.encode) for index, column in enumerate(_FIELDS.values()) if column.encode
)
_DECODED = tuple(
    (index, column.decode) for index, column in enumerate(_FIELDS.values()) if column.decode
)
_DIAGNOSTICS = SeedRecord._fields.index("diagnostics")
_CREATE_SEEDS = (
    "CREATE TABLE seeds ("
    + ", ".join(
        [f"{name} {column.sql}" for name, column in _FIELDS.items()]
        + [f"{name} {sql}" for name, sql in _DERIVED.items()]
    )
    + ") WITHOUT ROWID"
)
_INSERT_SEED = f"INSERT OR REPLACE INTO seeds VALUES ({', '.join('?' * len(_COLUMN_NAMES))})"
_SELECT_SEED = f"SELECT {', '.join(_COLUMN_NAMES)} FROM seeds"
#: The layout's own fingerprint: a cache of any other layout is rebuilt.
SCHEMA = hashlib.sha256(_CREATE_SEEDS.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Totals:
    """Counts over every seed in the store."""

    seeds: int
    rejected: int
    warnings: int
    entries: int

    def encode(self) -> str:
        """The totals as the cache keeps them."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def decode(cls, text: str) -> Totals:
        """The totals :meth:`encode` gave ``text``; ValueError for text it cannot give."""
        values = json.loads(text)
        if not isinstance(values, dict) or set(values) != {f.name for f in fields(cls)}:
            raise ValueError("not the totals' fields")
        if not all(type(value) is int for value in values.values()):
            raise ValueError("a count that is not an integer")
        return cls(**values)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/feedpub``, else ``~/.cache/feedpub``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "feedpub"


def cache_file(cache_dir: Path, seeds: Path, authority: str, settings: str = "") -> Path:
    """One database per seeds folder, id authority and other ``settings`` that parsing
    depends on, so sites never mix."""
    suffix = f"\0{settings}" if settings else ""
    key = hashlib.sha256(f"{seeds.resolve()}\0{authority}{suffix}".encode()).hexdigest()[:20]
    return cache_dir / f"seeds-{key}.sqlite3"


class DamagedCache(sqlite3.DatabaseError):
    """What the cache gave back cannot be right: the file is damaged, whatever SQLite says."""


def is_corrupt(error: sqlite3.Error) -> bool:
    """Whether an error says the database file is damaged or not a database at all."""
    if isinstance(error, DamagedCache):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class SeedCache:
    """The records of one seeds folder, in a file or (``path`` None) in memory.

    Raises :class:`sqlite3.DatabaseError` when the file is corrupt or busy.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(
            ":memory:" if path is None else path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
        self._db.text_factory = _text
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            # A cache may lose its last transaction in a power cut, never its consistency.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
            self._prepare()
        except BaseException:
            self._db.close()
            raise

    def _prepare(self) -> None:
        with self.session():
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            stamp = dict(
                self._db.execute(
                    "SELECT key, value FROM meta WHERE key IN ('schema', 'version')"
                ).fetchall()
            )
            if stamp == {"schema": SCHEMA, "version": __version__}:
                return
            self._db.execute("DROP TABLE IF EXISTS seeds")
            self._db.execute("DELETE FROM meta")
            self._db.executemany(
                "INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA), ("version", __version__)]
            )
            self._db.execute(_CREATE_SEEDS)
            self._create_indexes()

    def _create_indexes(self) -> None:
        self._db.execute(
            "CREATE INDEX seeds_newest ON seeds (published DESC, id, name)"
            " WHERE published IS NOT NULL"
        )
        self._db.execute("CREATE INDEX seeds_noted ON seeds (name) WHERE diagnostics IS NOT NULL")

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """One transaction that other builds using the cache wait for."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def listing(self) -> tuple[bytes, Totals] | None:
        """The encoded folder listing that the records match exactly, and their totals.

        Raises :class:`DamagedCache` when the totals cannot be read or do not add up: a
        build trusts them as they are. The rejections and warnings they count are
        checked against the diagnostics (:func:`check_noted`); counting the records
        too would read every page of the table, the largest cost of a no-op rebuild.
        """
        rows = dict(
            self._db.execute("SELECT key, value FROM meta WHERE key IN ('listing', 'totals')")
        )
        if len(rows) != 2:
            return None
        listing, counts = rows["listing"], rows["totals"]
        if not isinstance(listing, bytes) or not isinstance(counts, str):
            raise DamagedCache("its listing or totals are not what it stores")
        try:
            totals = Totals.decode(counts)
        except ValueError:
            raise DamagedCache("its totals cannot be read") from None
        # Every record stored either gave an entry or was rejected.
        values = (totals.seeds, totals.rejected, totals.warnings, totals.entries)
        if min(values) < 0 or totals.rejected != totals.seeds - totals.entries:
            raise DamagedCache("its totals do not add up")
        return listing, totals

    def set_listing(self, listing: bytes | None, totals: Totals) -> None:
        """Record that the records, whose :meth:`totals` are ``totals``, match the encoded
        ``listing`` exactly (None: unknown)."""
        self._db.execute("DELETE FROM meta WHERE key IN ('listing', 'totals')")
        if listing is not None:
            self._db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("listing", listing), ("totals", totals.encode())],
            )

    def stamps(self) -> dict[str, tuple[int, int]]:
        """The (size, mtime in ns) of every seed with a record, by name."""
        fsdecode = os.fsdecode
        return {
            fsdecode(name): (size, mtime_ns)
            for name, size, mtime_ns in self._db.execute("SELECT name, size, mtime_ns FROM seeds")
        }

    def store(self, records: Iterable[SeedRecord]) -> None:
        """Add or replace records."""
        self._db.executemany(_INSERT_SEED, (record.row() for record in records))

    @contextlib.contextmanager
    def loading(self, many: bool) -> Iterator[None]:
        """Store ``many`` records at once: index them after, which is quicker than during."""
        if many:
            self._db.execute("DROP INDEX seeds_newest")
            self._db.execute("DROP INDEX seeds_noted")
        yield
        if many:
            self._create_indexes()

    def clear(self) -> None:
        """Drop every record, and the listing they matched."""
        self._db.execute("DELETE FROM seeds")
        self.set_listing(None, Totals(0, 0, 0, 0))

    def forget(self, names: Iterable[str]) -> None:
        """Drop the records of seeds that left the folder."""
        self._db.executemany(
            "DELETE FROM seeds WHERE name = ?", ((os.fsencode(name),) for name in names)
        )

    def totals(self) -> Totals:
        row = self._db.execute(
            "SELECT count(*), total(rejected), total(warnings), count(published) FROM seeds"
        ).fetchone()
        return Totals(*map(int, row))

    def noted(self) -> Iterator[tuple[str, Diagnostics]]:
        """Each seed with diagnostics, and them, in no particular order.

        Raises :class:`DamagedCache` for diagnostics that are not as they were stored.
        """
        for name, diagnostics in self._db.execute(
            "SELECT name, diagnostics FROM seeds WHERE diagnostics IS NOT NULL"
        ):
            yield os.fsdecode(name), _diagnostics(diagnostics, name)

    def newest(self) -> Generator[SeedRecord]:
        """The records of seeds that gave entries, newest first, then by id and name;
        without their diagnostics, which :meth:`noted` gives."""
        for row in self._db.execute(
            f"{_SELECT_SEED} WHERE published IS NOT NULL ORDER BY published DESC, id, name"
        ):
            yield SeedRecord.from_row(row)

    def newest_with(
        self, field: Literal["categories", "authors"]
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        """The seeds that gave entries and name someone or something in ``field``, newest
        first as :meth:`newest` orders them, each with those names: a pass over every
        record that reads two columns of each."""
        if field not in ("categories", "authors"):  # a column's name, not a value
            raise ValueError(f"no such field: {field!r}")
        for name, names in self._db.execute(
            f"SELECT name, {field} FROM seeds WHERE published IS NOT NULL "
            f"AND {field} IS NOT NULL ORDER BY published DESC, id, name"
        ):
            yield os.fsdecode(name), _decode_names(names)

    def found(self) -> Iterator[tuple[str, str, float, str, int]]:
        """Each seed that gave an entry, in no particular order: its name, the entry's id,
        time and fingerprint, and the seed's mtime in nanoseconds."""
        for name, id, published, digest, mtime_ns in self._db.execute(
            "SELECT name, id, published, digest, mtime_ns FROM seeds WHERE published IS NOT NULL"
        ):
            yield os.fsdecode(name), id, published, digest, mtime_ns

    def record(self, name: str) -> SeedRecord | None:
        """The record of the seed ``name``, without its diagnostics; None when none."""
        row = self._db.execute(f"{_SELECT_SEED} WHERE name = ?", (os.fsencode(name),)).fetchone()
        return None if row is None else SeedRecord.from_row(row)

    def with_entries(self, names: Iterable[str]) -> set[str]:
        """Which of ``names`` have records of seeds that gave entries."""
        return {
            name
            for name in names
            if self._db.execute(
                "SELECT 1 FROM seeds WHERE name = ? AND published IS NOT NULL",
                (os.fsencode(name),),
            ).fetchone()
        }

    def close(self) -> None:
        self._db.close()


def check_noted(noted: list[tuple[str, Diagnostics]], totals: Totals) -> None:
    """Raise :class:`DamagedCache` unless the stored records' diagnostics, ``noted``, hold
    the rejections and warnings ``totals`` counts: every rejected record holds its error."""
    rejected = sum(any(level == "error" for _, level, _ in found) for _, found in noted)
    warnings = sum(level == "warning" for _, found in noted for _, level, _ in found)
    if (rejected, warnings) != (totals.rejected, totals.warnings):
        raise DamagedCache("its diagnostics do not match its totals")


def _text(data: bytes) -> str:
    """SQLite text as a string; text that is not UTF-8 was not written by feedpub."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise DamagedCache("it holds text that is not UTF-8") from None


def _diagnostics(text: str, name: bytes | str) -> Diagnostics:
    """Diagnostics as a record stored them, checked; :class:`DamagedCache` if not."""
    try:
        items = json.loads(text)
        checked = tuple((line, level, message) for line, level, message in items)
    except (ValueError, TypeError):
        checked = ()
    if not checked or not all(
        (line is None or (isinstance(line, int) and line > 0))
        and level in ("error", "warning")
        and isinstance(message, str)
        for line, level, message in checked
    ):
        raise DamagedCache(f"its diagnostics of {os.fsdecode(name)!r} cannot be read")
    return checked


def remove(path: Path) -> None:
    """Delete a cache database and its journal files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
