"""The pipeline: list and survey the seeds, select feeds, render every output, check, publish.

Whatever goes wrong, the published feeds are either left alone or replaced
whole by valid ones: see the README's "Running from cron".
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import os
import sqlite3
import stat
import unicodedata
from array import array
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from feedpub import __version__, cache, reported
from feedpub.cache import Diagnostics, SeedCache, SeedRecord, Totals
from feedpub.config import Config
from feedpub.entry import Entry, newest_first
from feedpub.errors import (
    Diagnostic,
    DropRefusedError,
    IdChangeRefusedError,
    InvalidOutputError,
    NothingToPublishError,
    OutputError,
    SeedError,
    SeedReadError,
    display,
)
from feedpub.feeds import Deferred, Deleted, EntryStamp, FeedSpec
from feedpub.identity import authority, encode_key
from feedpub.ledger import (
    Changes,
    Found,
    Ledger,
    LedgerDamaged,
    article_key,
    ledger_file,
    reconcile,
    recovered,
)
from feedpub.listing import (
    Listing,
    Stamp,
    find_seeds,
    key_collisions,
    list_seeds,
    unreadable_folder,
)
from feedpub.lock import output_lock, remove_legacy_lock
from feedpub.outputs import OUTPUTS, Output
from feedpub.publish import holds, publish, remove_stale_temporaries
from feedpub.records import ParsedChunk, Progress, parse_all, read_at
from feedpub.seed import parse_seed
from feedpub.selections import counted_with, namespaces, select_feeds
from feedpub.workers import Workers
from feedpub.zones import Zones

Report = Callable[[Diagnostic], None]
Parse = Callable[[Sequence[str] | Sequence[Stamp]], Iterator[ParsedChunk]]
"""parse_all with the folder and workers given: seeds, by name or stamped, to chunks."""

#: From this many seeds to parse on, the cache is indexed after storing them rather than
#: while: the default of ``build``'s ``bulk_load``.
BULK_LOAD = 10_000


def _ignore(diagnostic: Diagnostic) -> None:
    """The default report: drop diagnostics."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did."""

    seeds: int
    """How many seed files were read."""
    rejected: int
    """How many of them were skipped for an error."""
    entries: tuple[Entry, ...]
    """The entries in the feeds that were rendered, newest first: every entry, but
    those of archive documents kept as they were."""
    warnings: int
    """How many warnings were reported."""
    written: tuple[Path, ...]
    """Feeds whose bytes changed and were replaced (with ``check``: would be)."""
    unchanged: tuple[Path, ...]
    """Feeds that already held exactly what the build made."""
    removed: tuple[Path, ...] = ()
    """Feeds of categories or authors the entries no longer give, removed (with
    ``check``: to be)."""
    not_repeated: int = 0
    """How many diagnostics of seeds were not reported, since an earlier build did."""
    published: int = 0
    """How many entries the feeds hold, each counted once."""


def build(
    *,
    seeds: Path,
    config: Config,
    report: Report = _ignore,
    check: bool = False,
    allow_empty: bool = False,
    force: bool = False,
    cache_dir: Path | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    state_dir: Path | None = None,
    all_diagnostics: bool = False,
    bulk_load: int = BULK_LOAD,
    allow_id_change: bool = False,
    source_date: int | None = None,
) -> BuildResult:
    """Publish every feed of every selection, in every output, from the seeds in ``seeds``.

    Every warning and rejected seed goes to ``report``, in file name order.
    With ``check``, nothing is written and no lock is taken: ``written`` lists
    the files that are missing or would change. ``cache_dir`` holds what
    earlier builds learned of each seed, so that only new and changed seeds are
    read; None reads them all. ``jobs`` processes parse the seeds; ``progress``
    hears (done, total) as they are parsed. From ``bulk_load`` seeds to parse on, the
    cache is indexed after storing them, which is quicker than while.

    ``state_dir`` keeps what each build of an output reported: a seed's
    diagnostics are reported again only when they changed since the last build
    that published (or found up to date) that output, unless ``all_diagnostics``
    or ``check``. None reports them all and remembers nothing.

    The published feeds are left as they were, and an error raised, when the
    seeds folder is missing, unreadable or (unless ``allow_empty``) empty, or
    no seed gives an entry (:class:`NothingToPublishError`); when the new feeds
    would drop more than ``config.max_drop`` of the published entries, unless
    ``force`` (:class:`DropRefusedError`); when a new feed fails validation
    (:class:`InvalidOutputError`); when the build would change the ids of more than
    ``config.max_id_change`` of the articles the ledger knows, unless ``allow_id_change``
    (:class:`IdChangeRefusedError`); or when another build holds the output folder for
    longer than ``config.lock_timeout`` (:class:`LockTimeoutError`).

    The id ledger (:mod:`feedpub.ledger`) is brought up to date with the seeds and
    committed once the feeds are published (with ``check``: never). ``source_date``
    (``SOURCE_DATE_EPOCH``) dates what the build finds changed: corrections, first
    publications, deletions; None dates them by the seeds' mtimes (for deletions, the
    seeds folder's).
    """
    host = authority(config.base_url)
    zones = Zones(dict(config.zones), config.timezone)
    # Parsed times depend on the zone settings: other settings, another cache.
    cache_path = (
        None if cache_dir is None else cache.cache_file(cache_dir, seeds, host, zones.fingerprint())
    )
    memory = (
        None if state_dir is None else reported.reported_file(state_dir, config.output, seeds, host)
    )
    with _open_folder(seeds) as folder_fd, Workers(jobs) as workers:
        folder = _Folder(seeds, folder_fd, config.max_seed_size, zones)
        # The one choice between a cold build and an incremental one: with no cache to
        # compare with, every seed is read, and its stamps come from that reading.
        # (os.path.exists never raises: a cache that cannot be looked at is reported later.)
        cold = cache_path is None or not os.path.exists(cache_path)  # noqa: PTH110
        found = (
            list_seeds(seeds, config.pattern)
            if cold
            else find_seeds(seeds, config.pattern, workers)
        )
        if not found and not allow_empty:
            raise NothingToPublishError(
                f"no seed files ({config.pattern}) in the seeds folder; the feeds were left as "
                "they were (--allow-empty publishes empty feeds)",
                path=seeds,
            )
        dates = _Dates(
            build=source_date,
            deleted=source_date if source_date is not None else int(os.fstat(folder_fd).st_mtime),
        )

        def run(book: Ledger) -> _Run:
            return _Run(
                folder=folder,
                host=host,
                config=config,
                report=report,
                workers=workers,
                progress=progress,
                ledger=book,
                dates=dates,
                allow_id_change=allow_id_change,
                bulk_load=bulk_load,
            )

        if check:  # no lock, nothing written, every diagnostic reported
            with _open_ledger(config, report, copy=True) as book:
                checking = run(book)
                survey = checking.survey(found, cache_path=cache_path)
                return checking.publish(
                    survey, seeds=len(found), check=True, force=force, memory=None, repeat=True
                )
        with output_lock(config.output, timeout=config.lock_timeout):
            _tidy_output(config.output, report)
            with _open_ledger(config, report, copy=False) as book:
                building = run(book)
                survey = building.survey(found, cache_path=cache_path)
                return building.publish(
                    survey,
                    seeds=len(found),
                    check=False,
                    force=force,
                    memory=memory,
                    repeat=all_diagnostics,
                )


@contextlib.contextmanager
def _open_folder(seeds: Path) -> Iterator[int]:
    """A descriptor of the seeds folder, held for the whole build, so that a folder
    renamed away meanwhile is still read."""
    try:
        fd = os.open(seeds, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise unreadable_folder(seeds, error) from None
    try:
        yield fd
    finally:
        os.close(fd)


@contextlib.contextmanager
def _open_ledger(config: Config, report: Report, *, copy: bool) -> Iterator[Ledger]:
    """The output's ledger, closed at the end (dropping what was not committed). A
    missing one, while feeds are published, and a damaged one (kept aside as
    ``*.damaged``, but with ``copy``) are rebuilt from the published feeds, with a
    warning: history is never reset in silence."""
    path = ledger_file(config.output, config.ledger)
    damage = None
    try:
        if not copy:
            if config.ledger is None:
                path.parent.mkdir(exist_ok=True)
            _check_writable(path)
        book = Ledger(path, copy=copy)
    except sqlite3.DatabaseError as error:
        if not (isinstance(error, LedgerDamaged) or cache.is_corrupt(error)):
            raise OutputError(f"cannot use the ledger: {error}", path=path) from None
        damage = str(error)
        try:
            if copy:
                book = Ledger(None)
            else:
                path.replace(path.with_name(f"{path.name}.damaged"))
                book = Ledger(path)
        except (OSError, sqlite3.Error) as failure:
            raise OutputError(f"cannot replace the damaged ledger: {failure}", path=path) from None
    except OSError as error:
        raise OutputError(
            f"cannot open the ledger: {error.strerror}; set `ledger` to a writable place",
            path=path,
        ) from None
    try:
        if book.created:
            _recover(book, config, report, path, damage)
        yield book
    finally:
        book.close()


def _check_writable(path: Path) -> None:
    """Raise :class:`PermissionError` unless the ledger ``path`` and its folder (for
    SQLite's journal) can be written, before any feed is."""
    for where in (path.parent, path) if path.exists() else (path.parent,):
        if where.exists() and not os.access(where, os.W_OK):
            raise PermissionError(13, "Permission denied", str(where))


def _recover(book: Ledger, config: Config, report: Report, path: Path, damage: str | None) -> None:
    """Fill a new ledger from the site's published feeds, in every format, and say so
    when there were feeds to read or the ledger was damaged."""
    entries: list[tuple[str, float, float]] = []
    tombstones: list[tuple[str, float]] = []
    for output in config.outputs:
        published = output.read_published(config.output / config.file_name(output.NAME))
        if published is not None:
            entries += published.entries
            tombstones += published.deleted
    rows, deleted = recovered(entries, tombstones)
    if damage is None and not rows and not deleted:
        return  # a first build: nothing was published, so no history is lost
    book.write(Changes(rows=rows, deleted=deleted))
    why = f"was damaged ({damage}); kept aside and" if damage is not None else "was missing;"
    articles = f"{len(rows)} article{'s' * (len(rows) != 1)}"
    kept = f"{len(deleted)} tombstone{'s' * (len(deleted) != 1)}"
    message = f"the ledger {why} rebuilt from the published feeds: {articles}, {kept}"
    report(Diagnostic(path, None, "warning", message))


def _tidy_output(output: Path, report: Report) -> None:
    """Remove what interrupted builds and older versions left in the output folder."""
    for stale in remove_stale_temporaries(output):
        report(Diagnostic(stale, None, "warning", "removed, left by an interrupted build"))
    legacy = remove_legacy_lock(output)
    if legacy is not None:
        why = "removed: the lock is now on the output folder itself, so deploys miss it"
        report(Diagnostic(legacy, None, "warning", why))


@dataclass(frozen=True, slots=True)
class _Folder:
    """The seeds folder a build reads: its path, a descriptor held open, the size cap,
    and the time zones its seeds' bylines may name."""

    path: Path
    fd: int
    max_size: int
    zones: Zones

    @property
    def identity(self) -> tuple[int, int]:
        """(device, inode), which a worker opening the path again must find."""
        info = os.fstat(self.fd)
        return info.st_dev, info.st_ino


@dataclass(frozen=True, slots=True)
class _Dates:
    """When a build takes what it finds changed to have changed: never from the clock."""

    build: int | None
    """SOURCE_DATE_EPOCH; None: each seed's mtime."""
    deleted: int
    """When seeds gone from the folder went: SOURCE_DATE_EPOCH, else the folder's mtime."""


@dataclass(frozen=True, slots=True)
class _Delta:
    """Which seeds changed since the listing the store matched before this build."""

    before: str | None
    """The :func:`_fingerprint` of that listing; None when there was none."""
    after: str | None
    """The fingerprint of the listing the store matches now; None when it matches none."""
    changed: list[str] | None = None
    """The seeds new or changed since, by name; None: every seed may have."""
    gone: list[str] | None = None
    """The seeds gone since, by name; None: not known."""


@dataclass(frozen=True, slots=True)
class _Moved:
    """The published articles whose ids a build would change."""

    ids: list[tuple[str, str, str]]
    """(key, old id, new id) of each."""
    published: int
    """How many articles the ledger knew."""
    names: dict[str, str]
    """The seed of each key, by name."""


def _documents(
    config: Config, files: list[_File], memos: dict[str, str]
) -> dict[str, tuple[str, list[tuple[str, int, int]]]]:
    """The memo of each feed published with one, and its files' paths below the output
    folder with their sizes and mtimes now, for :meth:`_Run._keep_unchanged`."""
    documents: dict[str, tuple[str, list[tuple[str, int, int]]]] = {}
    for file in files:
        memo = memos.get(file.spec.folder)
        if memo is None:
            continue
        info = file.path.lstat()
        path = str(file.path.relative_to(config.output))
        entry = documents.setdefault(file.spec.folder, (memo, []))
        entry[1].append((path, info.st_size, info.st_mtime_ns))
    return documents


def _as_listed(config: Config, files: list[tuple[str, int, int]]) -> bool:
    """Whether each of ``files`` (a path below the output folder, a size and an mtime)
    is there, a regular file of that size and mtime, and they are every file the
    settings' outputs write for the feed."""
    if len(files) != len(config.outputs):
        return False
    for path, size, mtime_ns in files:
        try:
            info = (config.output / path).lstat()
        except OSError:
            return False
        if not stat.S_ISREG(info.st_mode) or (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
            return False
    return True


def _found(record: SeedRecord) -> Found:
    """What the ledger compares of a seed that gave an entry."""
    assert record.published is not None
    return Found(record.id, record.published, record.digest, record.mtime_ns // 1_000_000_000)


def _fingerprint(listing: bytes) -> str:
    return hashlib.sha256(listing).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class _Survey:
    """What a build learned of the seeds: counts, diagnostics and the feeds to publish."""

    totals: Totals
    noted: list[tuple[str, Diagnostics]]
    """Each seed with diagnostics, by name."""
    feeds: list[FeedSpec]
    kept: frozenset[str] = frozenset()
    """The folders of feeds whose files already hold what they would be rendered to."""
    memos: dict[str, str] = dataclasses.field(default_factory=dict)
    """The memo of each feed that has one, with the settings."""


@dataclass(frozen=True, slots=True)
class _File:
    """One file a build makes: a feed in one output, and its bytes; None for a file
    kept as it is (see :meth:`_Run._keep_unchanged`)."""

    path: Path
    output: Output
    spec: FeedSpec
    data: bytes | None


@dataclass(frozen=True, slots=True)
class _Run:
    """One build's seeds folder, settings and helpers: it surveys the seeds, then
    publishes the feeds of what it found."""

    folder: _Folder
    host: str
    config: Config
    report: Report
    workers: Workers
    progress: Progress | None
    ledger: Ledger
    dates: _Dates
    allow_id_change: bool = False
    bulk_load: int = BULK_LOAD

    def survey(self, found: Listing | list[str], *, cache_path: Path | None) -> _Survey:
        """Survey the seeds with the cache file when there is one, else with a store in
        memory: a cache that cannot be used costs time, never a feed.

        ``found`` is the folder's listing for an incremental build, or only its seeds'
        names for a cold one, which reads every seed.
        """
        if cache_path is not None:
            survey = self._survey_cached(cache_path, found)
            if survey is not None:
                return survey
        with contextlib.closing(SeedCache(None)) as memory:
            return self._survey_with(memory, found)

    def _survey_cached(self, path: Path, found: Listing | list[str]) -> _Survey | None:
        """The survey with the cache file ``path``; None, with a warning, when the cache
        cannot be used. A corrupt cache is removed and rebuilt, once."""
        for rebuilding in (False, True):
            try:
                store = SeedCache(path)
            except OSError as error:  # its folder cannot be made or written
                self._warn(path, f"cannot use the cache: {error.strerror}")
                return None
            except sqlite3.DatabaseError as error:
                failure = error
            else:
                try:
                    with contextlib.closing(store):
                        return self._survey_with(store, found)
                except sqlite3.DatabaseError as error:  # only the store speaks SQL
                    failure = error
            if rebuilding or not cache.is_corrupt(failure):
                self._warn(path, f"cache not used: {failure}")
                return None
            why = f" ({failure})" if isinstance(failure, cache.DamagedCache) else ""
            self._warn(path, f"the cache was corrupt{why}; rebuilding it")
            cache.remove(path)
        return None

    def _warn(self, path: Path, message: str) -> None:
        self.report(Diagnostic(path, None, "warning", message))

    def _survey_with(self, store: SeedCache, found: Listing | list[str]) -> _Survey:
        """Bring the store up to date with the folder, then count, report and select feeds."""
        folder = self.folder

        def parse(seeds: Sequence[str] | Sequence[Stamp]) -> Iterator[ParsedChunk]:
            return parse_all(
                folder.path,
                seeds,
                self.host,
                identity=folder.identity,
                max_size=folder.max_size,
                zones=folder.zones,
                workers=self.workers,
                progress=self.progress,
            )

        names = found.names if isinstance(found, Listing) else found
        with store.session():
            if isinstance(found, Listing):
                stored, unstored, delta = _refresh(store, found, parse, bulk_load=self.bulk_load)
            else:
                stored, unstored, delta = _load(store, found, parse, bulk_load=self.bulk_load)
            # Each seed listed has a record or was not read whole: a record gone missing
            # from the store shows here whenever its totals are counted anew.
            if stored.seeds + len(unstored) != len(found):
                raise cache.DamagedCache("its records do not match the folder")
            stored_noted = list(store.noted())
            cache.check_noted(stored_noted, stored)
            collided = _collided(key_collisions(names, self.config.pattern), folder.path)
            barred = store.with_entries(name for name, _ in collided)
            moved = self._sync(store, names, delta, barred)
            index = _Index(store, folder, self.host, barred=barred, ledger=self.ledger)
            with contextlib.closing(index):
                feeds = select_feeds(index, self.config)
                if moved:
                    index.confirm(moved)
                    self._refuse_id_change(moved)
                self._record_published(index, feeds)
                kept, memos = self._keep_unchanged(feeds)
            lost, body_warnings, notes = index.lost, index.body_warnings, index.notes
            if lost:
                # Their records no longer hold: the next build reads them again.
                store.forget(name for name, _ in lost)
                store.set_listing(None, stored)
            # A seed barred for its key, or lost since the survey, is rejected: count it so.
            dropped = len(lost) + len(barred)
            totals = Totals(
                seeds=len(found),
                rejected=stored.rejected + sum(record.rejected for record in unstored) + dropped,
                warnings=stored.warnings
                + sum(level == "warning" for r in unstored for _, level, _ in r.diagnostics)
                + sum(len(diagnostics) for _, diagnostics in body_warnings)
                + len(notes),
                entries=stored.entries - dropped,
            )
            # By name alone: a seed may be noted twice, and lines may be None.
            noted = sorted(
                [
                    *stored_noted,
                    *((r.name, r.diagnostics) for r in unstored),
                    *lost,
                    *collided,
                    *body_warnings,
                    *notes,
                ],
                key=lambda noted: noted[0],
            )
        return _Survey(totals, noted, feeds, kept, memos)

    def _sync(
        self, store: SeedCache, names: list[str], delta: _Delta, barred: set[str]
    ) -> _Moved | None:
        """Stage what changed of the articles the ledger holds (those that feeds have
        published), with the store, whose seeds are ``names`` but the ``barred``: for
        the seeds ``delta`` names when the ledger was up to date with the store's listing
        before, else for every one. Returns what ids would change, unless
        ``allow_id_change``, for :meth:`_refuse_id_change`. The articles the feeds
        publish for the first time are added after the selections
        (:meth:`_record_published`)."""
        book = self.ledger
        if (
            delta.before is not None
            and book.synced == delta.before
            and delta.changed is not None
            and delta.gone is not None
        ):
            if not delta.changed and not delta.gone:
                book.stage(Changes(), delta.after)
                return None
            keys = {name: article_key(name) for name in delta.changed}
            gone = {article_key(name) for name in delta.gone}
            if gone:
                gone -= {article_key(name) for name in names}
            known = book.articles({*keys.values(), *gone})
        else:
            known = book.articles()
            # A first build has nothing to compare: it need not key 100,000 names.
            keys = {name: article_key(name) for name in names} if known else {}
            gone = known.keys() - keys.values()
        buried: dict[str, set[str]] = {}  # the ids of each key that has tombstones
        for tombstone in book.tombstones():
            buried.setdefault(tombstone.key, set()).add(tombstone.id)
        if buried and not keys:
            keys = {name: article_key(name) for name in names}
        found: dict[str, Found] = {}
        back: list[str] = []
        for name, key in keys.items():
            if (key not in known and key not in buried) or name in barred:
                continue
            record = store.record(name)
            if record is None or record.published is None:
                continue
            if key in known:
                found[key] = _found(record)
            elif record.id in buried[key]:
                back.append(record.id)  # a seed put back: readers may keep it
        changes = reconcile(
            known,
            found,
            gone,
            tombstoned=book.tombstoned(seed.id for seed in found.values()),
            build_time=self.dates.build,
            deleted_at=self.dates.deleted,
        )
        changes.restored.extend(back)
        book.stage(changes, delta.after)
        if not changes.moved or self.allow_id_change:
            return None
        seeds = {key: name for name, key in keys.items() if key in found}
        return _Moved(changes.moved, len(book), seeds)

    def _record_published(self, index: _Index, feeds: list[FeedSpec]) -> None:
        """Stage, besides what :meth:`_sync` staged, the articles that ``feeds`` publish
        for the first time (taking back their tombstones, if they had some)."""
        book = self.ledger
        seeds: dict[str, str] = {}  # the seed of each entry, by key
        for spec in feeds:
            if isinstance(spec.entries, Deferred) and not spec.entries.loaded:
                seeds.update((stamp.key, stamp.seed) for stamp in spec.entries.stamps)
            else:
                seeds.update((encode_key(e.key), index.seed_of(e)) for e in spec.entries)
        new = seeds.keys() - book.staged.rows.keys()
        new -= book.articles(new).keys()
        if not new:
            return
        found: dict[str, Found] = {}
        for key in sorted(new):
            record = index.record(seeds[key])
            if record is not None and record.published is not None:
                found[key] = _found(record)
        added = reconcile(
            {},
            found,
            (),
            tombstoned=book.tombstoned(seed.id for seed in found.values()),
            build_time=self.dates.build,
            deleted_at=self.dates.deleted,
        )
        book.stage_also(added)

    def _keep_unchanged(self, feeds: list[FeedSpec]) -> tuple[frozenset[str], dict[str, str]]:
        """The folders of the feeds with memos whose files are as the last build that
        published them left them, for the same memo and settings: those are not
        rendered again. The others' deferred entries are parsed now, while the survey
        can still report a seed lost since it was listed."""
        settings = hashlib.sha256(f"{__version__}\0{self.config!r}".encode()).hexdigest()
        published = self.ledger.documents()
        kept: set[str] = set()
        memos: dict[str, str] = {}
        for spec in feeds:
            if not spec.memo:
                continue
            memo = hashlib.sha256(f"{settings}\0{spec.memo}".encode()).hexdigest()
            memos[spec.folder] = memo
            before = published.get(spec.folder)
            if before is not None and before[0] == memo and _as_listed(self.config, before[1]):
                kept.add(spec.folder)
            elif isinstance(spec.entries, Deferred):
                spec.entries.load()
        return frozenset(kept), memos

    def _refuse_id_change(self, moved: _Moved) -> None:
        """Raise :class:`IdChangeRefusedError` when more than the settings allow of the
        published articles would change their ids."""
        share, published = self.config.max_id_change, moved.published
        if not published or len(moved.ids) / published <= share:
            return
        moved_ids = moved.ids
        examples = "; ".join(f"{key}: {old} -> {new}" for key, old, new in moved_ids[:3])
        count = len(moved_ids)
        raise IdChangeRefusedError(
            f"{count} of the {published} published articles would change their ids "
            f"({count / published:.1%}, more than max_id_change {share:.0%}), so readers "
            f"would show them again as new: {examples}; the feeds were left as they were "
            "(--allow-id-change publishes anyway)",
            path=self.folder.path,
        )

    def publish(
        self,
        survey: _Survey,
        *,
        seeds: int,
        check: bool,
        force: bool,
        memory: Path | None,
        repeat: bool,
    ) -> BuildResult:
        """Report what is new, render every feed in every output, check the files and
        publish them (with ``check``: compare them); ``seeds`` is how many were found."""
        config, folder = self.config, self.folder.path
        earlier = {} if memory is None or repeat else reported.load(memory)
        digests: dict[str, str] = {}
        not_repeated = 0
        for name, group in itertools.groupby(survey.noted, key=lambda noted: noted[0]):
            diagnostics = tuple(item for _, found in group for item in found)
            digests[name] = reported.digest(diagnostics)
            if earlier.get(name) == digests[name]:
                not_repeated += len(diagnostics)
                continue
            for line, level, message in diagnostics:
                self.report(Diagnostic(folder / name, line, level, message))
        totals = survey.totals
        if seeds and not totals.entries:
            raise NothingToPublishError(
                f"no article to publish ({seeds} seed files, {totals.rejected} rejected)"
                "; the feeds were left as they were",
                path=folder,
            )
        files = [
            _File(
                spec.path(config.output, config.file_name(output.NAME)),
                output,
                spec,
                None if spec.folder in survey.kept else output.render(spec, config),
            )
            for spec in survey.feeds
            for output in config.outputs
        ]
        # A file that already holds its new bytes is not written, and was checked when it
        # was: only the others are validated, which is most of a no-op rebuild's work.
        fresh = [
            file for file in files if file.data is not None and not holds(file.path, file.data)
        ]
        _validate_output(fresh)
        if not force and seeds:  # with no seed at all, --allow-empty asked for empty feeds
            _refuse_big_drop(files, fresh, config)
        removed = _gone(config, survey.feeds)
        if check:
            written = tuple(file.path for file in fresh)
        else:
            written = publish(
                {file.path: file.data for file in fresh if file.data is not None}, removed
            )
            self.ledger.stage_documents(_documents(config, files, survey.memos))
            try:
                self.ledger.commit()
            except sqlite3.Error as error:  # a full disk, say: the feeds are published
                self._warn(
                    ledger_file(config.output, config.ledger),
                    f"cannot keep the ledger's changes: {error}; the next build makes them again",
                )
            if memory is not None:
                try:
                    reported.save(memory, digests)
                except OSError as error:
                    self._warn(
                        memory,
                        f"cannot keep what was reported: {error.strerror}; "
                        "the next build repeats it",
                    )
        published: dict[str, Entry | None] = {}
        for spec in survey.feeds:
            if isinstance(spec.entries, Deferred) and not spec.entries.loaded:
                published.update(
                    (stamp.id, published.get(stamp.id)) for stamp in spec.entries.stamps
                )
            else:
                published.update((entry.id, entry) for entry in spec.entries)
        return BuildResult(
            seeds=seeds,
            rejected=totals.rejected,
            entries=tuple(newest_first([e for e in published.values() if e is not None])),
            published=len(published),
            warnings=totals.warnings,
            written=written,
            unchanged=tuple(file.path for file in files if file.path not in written),
            removed=removed,
            not_repeated=not_repeated,
        )


def _refresh(
    store: SeedCache, found: Listing, parse: Parse, *, bulk_load: int
) -> tuple[Totals, list[SeedRecord], _Delta]:
    """Parse only the seeds new or changed since the store's records; their totals after,
    the records of seeds that could not be read whole, and which seeds changed."""
    snapshot = found.encode()
    known = store.listing()
    if known is not None and known[0] == snapshot:
        if known[1].seeds != len(found):
            raise cache.DamagedCache("its totals do not count the seeds it lists")
        unchanged = _fingerprint(snapshot)
        return known[1], [], _Delta(unchanged, unchanged, [], [])
    # Without a listing, the records are of a build that could not read every seed.
    try:
        earlier = Listing.decode(known[0]) if known else Listing.from_stamps(store.stamps())
    except ValueError as error:
        raise cache.DamagedCache(f"its listing cannot be read ({error})") from None
    changed, gone = found.changes_since(earlier)
    store.forget(gone)
    unstored: list[SeedRecord] = []
    moved = 0
    with store.loading(many=len(changed) >= bulk_load):
        for chunk in parse(changed):
            store.store(chunk.records)
            unstored += chunk.unstored
            moved += chunk.moved
    # The next build trusts every record, comparing none, when the listing is the same.
    stored = store.totals()
    matched = not moved and not unstored
    store.set_listing(snapshot if matched else None, stored)
    delta = _Delta(
        _fingerprint(known[0]) if known else None,
        _fingerprint(snapshot) if matched else None,
        [stamp.name for stamp in changed],
        gone,
    )
    return stored, unstored, delta


def _load(
    store: SeedCache, names: list[str], parse: Parse, *, bulk_load: int
) -> tuple[Totals, list[SeedRecord], _Delta]:
    """Parse every seed into an emptied store; the listing it then matches is the names
    with the size and mtime each was read at."""
    store.clear()
    unstored: list[SeedRecord] = []
    sizes, mtimes = array("q"), array("q")
    with store.loading(many=len(names) >= bulk_load):
        for chunk in parse(names):
            store.store(chunk.records)
            unstored += chunk.unstored
            sizes.extend(record.size for record in chunk.records)
            mtimes.extend(record.mtime_ns for record in chunk.records)
    stored = store.totals()
    listing = None if unstored else Listing(names, sizes, mtimes).encode()
    store.set_listing(listing, stored)
    return stored, unstored, _Delta(None, None if listing is None else _fingerprint(listing))


def _collided(groups: list[tuple[str, ...]], folder: Path) -> list[tuple[str, Diagnostics]]:
    """The error of each seed that shares its key with others, naming them."""
    noted: list[tuple[str, Diagnostics]] = []
    for group in groups:
        key = unicodedata.normalize("NFC", Path(group[0]).stem)
        for name in group:
            others = ", ".join(display(folder / other) for other in group if other != name)
            message = (
                f"the key {display(key)!r} is also that of {others}: seeds with one key "
                "would share an entry id and a link, so none of them is published until "
                "all but one are renamed"
            )
            noted.append((name, ((None, "error", message),)))
    return noted


class _Index:
    """The entries of the seeds in the store, newest first, each parsed in full when a
    selection first asks for it.

    A seed that gave an entry when surveyed but cannot be published now is kept in
    :attr:`lost`, with why: it is reported and counted as rejected, never dropped in
    silence, and the next newest takes its place. The ``barred`` seeds are left out.
    A record that disagrees with its unchanged seed means the cache cannot be
    trusted: :class:`cache.DamagedCache`. Use it inside the store's session.
    """

    def __init__(
        self, store: SeedCache, folder: _Folder, host: str, *, barred: set[str], ledger: Ledger
    ):
        self._store = store
        self._ledger = ledger
        self._folder = folder
        self._host = host
        self._barred = barred
        self._records: Generator[SeedRecord] = store.newest()
        self._entries: list[Entry] = []
        self._parsed: dict[str, Entry | None] = {}
        """Each seed parsed so far, by name: its entry, or None when it was lost."""
        self._names: dict[str, str] = {}
        """The seed of each entry parsed, by entry id."""
        self.lost: list[tuple[str, Diagnostics]] = []
        self.body_warnings: list[tuple[str, Diagnostics]] = []
        """The warnings about the bodies of the entries parsed, which only a full parse finds."""
        self.notes: list[tuple[str, Diagnostics]] = []
        """The selections' warnings, by seed."""

    def newest(self, count: int) -> tuple[Entry, ...]:
        """The ``count`` newest publishable entries, newest first."""
        while len(self._entries) < count:
            entry = self._next()
            if entry is None:
                break
            self._entries.append(entry)
        return tuple(newest_first(self._entries[:count]))

    def newest_by(
        self, field: Literal["categories", "authors"], count: int
    ) -> dict[str, tuple[Entry, ...]]:
        """Each name the records give in ``field``, with its ``count`` newest publishable
        entries, newest first: one pass over every record, then a parse of those chosen."""
        chosen: dict[str, list[str]] = {}
        for seed, names in self._store.newest_with(field):
            if seed in self._barred:
                continue
            for name in names:
                seeds = chosen.setdefault(name, [])
                if len(seeds) < count:
                    seeds.append(seed)
        groups: dict[str, tuple[Entry, ...]] = {}
        for name, seeds in chosen.items():
            records = (self._store.record(seed) for seed in seeds)
            found = (self._entry(record) for record in records if record is not None)
            entries = [entry for entry in found if entry is not None]
            if entries:
                groups[name] = tuple(newest_first(entries))
        return groups

    def confirm(self, moved: _Moved, *, most: int = 20) -> None:
        """Read again the seeds of (the first ``most``) articles whose ids would change:
        a record that disagrees with its unchanged seed raises
        :class:`cache.DamagedCache`, so that a damaged cache is rebuilt instead of being
        taken for changed ids."""
        for key, _, _ in moved.ids[:most]:
            record = self._store.record(moved.names[key])
            if record is not None:
                self._entry(record)

    def stamps(self) -> list[EntryStamp]:
        """Every publishable entry, newest first (as :meth:`newest` orders them), as the
        survey found its seed, corrections included: nothing is parsed."""
        corrections = self._ledger.corrections()
        found: list[EntryStamp] = []
        for record in self._store.newest():
            if record.name in self._barred or record.published is None:
                continue
            key = article_key(record.name)
            published = datetime.fromtimestamp(record.published, UTC)
            changed = corrections.get(key)
            updated = (
                datetime.fromtimestamp(changed, UTC)
                if changed is not None and changed > record.published
                else published
            )
            found.append(
                EntryStamp(
                    record.name, record.id, key, published, updated, record.size, record.mtime_ns
                )
            )
        return found

    def deferred(self, stamps: Sequence[EntryStamp]) -> Deferred:
        """The entries of ``stamps``, parsed when first read (during the survey: see
        :meth:`_Run._keep_unchanged`); a seed lost since is left out and reported."""
        chosen = tuple(stamps)

        def load() -> tuple[Entry, ...]:
            records = (self._store.record(stamp.seed) for stamp in chosen)
            entries = (self._entry(record) for record in records if record is not None)
            return tuple(newest_first([entry for entry in entries if entry is not None]))

        return Deferred(chosen, load)

    def seed_of(self, entry: Entry) -> str:
        """The seed file of ``entry``, an entry this index gave."""
        return self._names[entry.id]

    def record(self, seed: str) -> SeedRecord | None:
        """The store's record of the seed file ``seed``."""
        return self._store.record(seed)

    def deleted(self) -> tuple[Deleted, ...]:
        """The articles gone for good that the ledger knows, newest first."""
        return tuple(
            Deleted(tombstone.id, datetime.fromtimestamp(tombstone.at, UTC))
            for tombstone in self._ledger.tombstones()
        )

    def note(self, entry: Entry, message: str) -> None:
        """A warning about ``entry``'s feeds, reported with its seed."""
        self.notes.append((self._names[entry.id], ((None, "warning", message),)))

    def close(self) -> None:
        """Stop reading the store's records, before the store is written to."""
        self._records.close()

    def _next(self) -> Entry | None:
        """The next newest entry that can be published; None when there is none."""
        for record in self._records:
            if record.name in self._barred:
                continue
            entry = self._entry(record)
            if entry is not None:
                return entry
        return None

    def _entry(self, record: SeedRecord) -> Entry | None:
        """The entry of the seed ``record`` is of, parsed once however often it is asked
        for; None when it was lost."""
        if record.name in self._parsed:
            return self._parsed[record.name]
        parsed = self._parse(record.name)
        if parsed is None:
            self._parsed[record.name] = None
            return None
        entry, size, mtime_ns = parsed
        unchanged = (size, mtime_ns) == (record.size, record.mtime_ns)
        recorded = (entry.id, entry.published.timestamp()) == (record.id, record.published)
        if unchanged and not recorded and self._store.path is not None:
            raise cache.DamagedCache(f"its record of {record.name!r} does not match the seed")
        changed = self._ledger.changed(article_key(record.name))
        if changed is not None and changed > entry.published.timestamp():
            entry = dataclasses.replace(entry, updated=datetime.fromtimestamp(changed, UTC))
        self._parsed[record.name] = entry
        self._names[entry.id] = record.name
        return entry

    def _parse(self, name: str) -> tuple[Entry, int, int] | None:
        """The seed's entry, and the size and mtime it was read at; None, noted as lost,
        when it no longer gives one."""
        folder = self._folder
        try:
            data, size, mtime_ns = read_at(folder.fd, name, folder.max_size)
            parsed = parse_seed(data, folder.path / name, authority=self._host, zones=folder.zones)
        except SeedReadError as problem:
            reason = problem.message.removesuffix("; skipped")  # it is not skipped: it is lost
            message = f"{reason} since the build listed it; not published"
            self.lost.append((name, ((None, "error", message),)))
            return None
        except SeedError as error:
            message = f"{error.message} (changed since the build listed it; not published)"
            self.lost.append((name, ((error.line, "error", message),)))
            return None
        if parsed.body_warnings:
            warnings = tuple((w.line, w.level, w.message) for w in parsed.body_warnings)
            self.body_warnings.append((name, warnings))
        return parsed.entry, size, mtime_ns


def _gone(config: Config, feeds: list[FeedSpec]) -> tuple[Path, ...]:
    """The files of feeds no longer made: in each selection's namespace, every output's
    file in a folder that no feed of this build is in, under the name the settings give it
    or its own. Only those names are removed; anything else in such a folder stays, and
    so does the folder."""
    made = {spec.folder for spec in feeds}
    names = sorted(
        {config.file_name(name) for name in OUTPUTS} | {o.FILE_NAME for o in OUTPUTS.values()}
    )
    gone: list[Path] = []
    for namespace in namespaces(config):
        try:
            with os.scandir(config.output / namespace) as listed:
                folders = sorted(
                    entry.name
                    for entry in listed
                    if entry.is_dir(follow_symlinks=False)
                    and f"{namespace}/{entry.name}" not in made
                )
        except (FileNotFoundError, NotADirectoryError):
            continue
        for folder in folders:
            for name in names:
                path = config.output / namespace / folder / name
                if path.is_file() and not path.is_symlink():
                    gone.append(path)
    return tuple(gone)


def _validate_output(files: list[_File]) -> None:
    """Refuse to publish files with errors, so a bug never replaces a good feed."""
    errors = tuple(
        Diagnostic(file.path, finding.line, "error", f"{finding.code}: {finding.message}")
        for file in files
        if file.data is not None
        for finding in file.output.validate(file.data)
        if finding.level == "error"
    )
    if errors:
        raise InvalidOutputError(
            f"the new feeds failed validation ({len(errors)} errors); "
            "the published feeds were left as they were",
            findings=errors,
        )


def _refuse_big_drop(files: list[_File], fresh: list[_File], config: Config) -> None:
    """Refuse to replace feeds with ones that lost more than ``config.max_drop`` of their
    entries: each of the site's feeds on its own, the feeds in a namespace (per
    category, per author, the archives with the site's feed) together, in each format,
    since one category may rightly lose most of its few entries. A feed no longer made
    is not counted: its name is gone, not its entries. A file not among the ``fresh``
    ones already holds its new bytes, so it loses nothing, and is not read."""
    max_drop, output = config.max_drop, config.output
    changing = {file.path for file in fresh}
    together: dict[tuple[str, str], list[_File]] = {}
    for file in files:
        namespace = counted_with(file.spec.folder, config)
        key = (file.output.NAME, str(file.path) if namespace is None else namespace)
        together.setdefault(key, []).append(file)
    for (_, where), group in together.items():
        before = entries = 0
        for file in group:
            known = file.path not in changing  # it holds exactly the new entries
            count = len(file.spec.entries) if known else file.output.count_entries(file.path)
            if count is not None:  # a feed new in this build has no entries to lose
                before += count
                entries += len(file.spec.entries)
        if before and (before - entries) / before > max_drop:
            one = len(group) == 1 and where == str(group[0].path)
            raise DropRefusedError(
                f"the new {'feed' if one else 'feeds'} would hold {entries} entries where the "
                f"published {'one holds' if one else 'ones hold'} {before}, a drop of more "
                f"than {max_drop:.0%}; the feeds were left as they were (--force publishes "
                "anyway)",
                path=group[0].path if one else output / where,
            )
