"""The pipeline: read seeds, parse, order, render both feeds, validate, publish.

Whatever goes wrong, the published feeds are either left alone or replaced
whole by valid ones: see the README's "Running from cron".
"""

from __future__ import annotations

import fnmatch
import heapq
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from stat import S_ISREG

from feedpub import cache
from feedpub.cache import SeedCache, SeedRecord
from feedpub.config import Config
from feedpub.entry import Entry, newest_first
from feedpub.errors import (
    Diagnostic,
    DropRefusedError,
    InvalidOutputError,
    Level,
    NothingToPublishError,
    SeedError,
)
from feedpub.identity import authority
from feedpub.lock import output_lock
from feedpub.publish import (
    holds,
    published_entries,
    remove_stale_temporaries,
    write_if_changed,
)
from feedpub.render import FEED_FILES, render
from feedpub.seed import parse_seed
from feedpub.validate import validate

#: Names that are never seeds: hidden files, editor backups and swap files,
#: downloads and copies still in progress.
IGNORED = (".*", "*~", "*.swp", "*.tmp", "*.part")

Report = Callable[[Diagnostic], None]


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
    """The entries in the feeds, newest first."""
    warnings: int
    """How many warnings were reported."""
    written: tuple[Path, ...]
    """Feeds whose bytes changed and were replaced (with ``check``: would be)."""
    unchanged: tuple[Path, ...]
    """Feeds that already held exactly what the build made."""


def find_seeds(folder: Path, pattern: str) -> dict[str, tuple[int, int]]:
    """The seed files in ``folder`` matching ``pattern``, ignored names left out.

    Maps each file name, in name order, to its (size, mtime in ns).
    """
    wanted = re.compile(fnmatch.translate(pattern)).match
    ignored = re.compile("|".join(fnmatch.translate(name) for name in IGNORED)).match
    seeds: dict[str, tuple[int, int]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not wanted(name) or ignored(name):
                    continue
                try:
                    info = entry.stat()
                except FileNotFoundError:
                    continue  # removed while the folder was listed: no seed any more
                if S_ISREG(info.st_mode):
                    seeds[name] = (info.st_size, info.st_mtime_ns)
    except FileNotFoundError:
        raise NothingToPublishError("the seeds folder does not exist", path=folder) from None
    except OSError as error:
        raise NothingToPublishError(
            f"cannot read the seeds folder: {error.strerror}", path=folder
        ) from None
    return dict(sorted(seeds.items()))


def parse_record(path: Path, authority: str) -> tuple[SeedRecord, bool]:
    """Read and parse one seed; return its record and whether it may be cached.

    A seed that vanishes, changes while it is read, or cannot be read gets a
    record that is never cached, so the next build reads it again.
    """

    def record(
        line: int | None, level: Level, message: str, *, size: int = 0, mtime_ns: int = 0
    ) -> SeedRecord:
        rejected = level == "error"
        return SeedRecord(path.name, size, mtime_ns, None, "", rejected, ((line, level, message),))

    try:
        before = path.stat()
        data = path.read_bytes()
        after = path.stat()
    except FileNotFoundError:
        return record(None, "warning", "vanished while being read; skipped"), False
    except OSError as error:
        return record(None, "error", f"cannot read: {error.strerror}"), False
    stamp = (after.st_size, after.st_mtime_ns)
    if (before.st_size, before.st_mtime_ns) != stamp or len(data) != after.st_size:
        return record(None, "warning", "changed while being read; skipped"), False
    try:
        parsed = parse_seed(data, path, authority=authority)
    except SeedError as error:
        return record(error.line, "error", error.message, size=stamp[0], mtime_ns=stamp[1]), True
    diagnostics = tuple((w.line, w.level, w.message) for w in parsed.warnings)
    published = parsed.entry.published.timestamp()
    return SeedRecord(path.name, *stamp, published, parsed.entry.id, False, diagnostics), True


def _parse_chunk(paths: Sequence[Path], authority: str) -> list[tuple[SeedRecord, bool]]:
    return [parse_record(path, authority) for path in paths]


#: Below this many seeds to parse, starting worker processes costs more than it saves.
POOL_THRESHOLD = 400
CHUNK = 200

Progress = Callable[[int, int], None]


def _parse_all(
    paths: list[Path], authority: str, *, jobs: int, progress: Progress | None
) -> list[tuple[SeedRecord, bool]]:
    """Parse every path, on ``jobs`` processes when there are many; results in path order."""
    chunks = [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]
    results: list[tuple[SeedRecord, bool]] = []
    work = partial(_parse_chunk, authority=authority)
    if jobs > 1 and len(paths) >= POOL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk_results in pool.map(work, chunks):
                results.extend(chunk_results)
                if progress is not None:
                    progress(len(results), len(paths))
    else:
        for chunk in chunks:
            results.extend(work(chunk))
            if progress is not None:
                progress(len(results), len(paths))
    return results


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
) -> BuildResult:
    """Publish ``rss.xml`` and ``atom.xml`` from the seeds in ``seeds``.

    Every warning and rejected seed goes to ``report``, in file name order.
    With ``check``, nothing is written and no lock is taken: ``written`` lists
    the feeds that are missing or would change. ``cache_dir`` holds what
    earlier builds learned of each seed, so that only new and changed seeds are
    read; None reads them all. ``jobs`` processes parse the seeds; ``progress``
    hears (done, total) as they are parsed.

    The published feeds are left as they were, and an error raised, when the
    seeds folder is missing, unreadable or (unless ``allow_empty``) empty, or
    no seed gives an entry (:class:`NothingToPublishError`); when the new feeds
    would drop more than ``config.max_drop`` of the published entries, unless
    ``force`` (:class:`DropRefusedError`); when a new feed fails validation
    (:class:`InvalidOutputError`); or when another build holds the output
    folder for longer than ``config.lock_timeout`` (:class:`LockTimeoutError`).
    """
    found = find_seeds(seeds, config.pattern)
    if not found and not allow_empty:
        raise NothingToPublishError(
            f"no seed files ({config.pattern}) in the seeds folder; the feeds were left as they "
            "were (--allow-empty publishes empty feeds)",
            path=seeds,
        )
    host = authority(config.base_url)
    records = partial(_records, found, seeds, host, report, cache_dir, jobs, progress)
    run = partial(_build, found, seeds, host, config, report, force=force)
    if check:
        return run(records(), check=True)
    with output_lock(config.output, timeout=config.lock_timeout):
        for stale in remove_stale_temporaries(config.output):
            report(Diagnostic(stale, None, "warning", "removed, left by an interrupted build"))
        return run(records(), check=False)


def _build(
    found: dict[str, tuple[int, int]],
    seeds: Path,
    host: str,
    config: Config,
    report: Report,
    records: list[SeedRecord],
    *,
    check: bool,
    force: bool,
) -> BuildResult:
    rejected = warnings = 0
    keys: list[tuple[float, str, str]] = []
    for record in records:
        for line, level, message in record.diagnostics:
            report(Diagnostic(seeds / record.name, line, level, message))
            warnings += level == "warning"
        rejected += record.rejected
        if record.published is not None:
            keys.append((-record.published, record.id, record.name))
    if found and not keys:
        raise NothingToPublishError(
            f"no article to publish ({len(found)} seed files, {rejected} rejected)"
            "; the feeds were left as they were",
            path=seeds,
        )
    published = _newest_entries(keys, seeds, host, config.limit)
    feeds = {
        config.output / name: render(published, config, fmt) for fmt, name in FEED_FILES.items()
    }
    _validate_output(feeds)
    if not force and found:  # with no seed at all, --allow-empty asked for empty feeds
        _refuse_big_drop(feeds, len(published), config.max_drop)
    if check:
        written = tuple(path for path, data in feeds.items() if not holds(path, data))
    else:
        written = tuple(path for path, data in feeds.items() if write_if_changed(path, data))
    return BuildResult(
        seeds=len(found),
        rejected=rejected,
        entries=published,
        warnings=warnings,
        written=written,
        unchanged=tuple(path for path in feeds if path not in written),
    )


def _records(
    found: dict[str, tuple[int, int]],
    seeds: Path,
    host: str,
    report: Report,
    cache_dir: Path | None,
    jobs: int,
    progress: Progress | None,
) -> list[SeedRecord]:
    """One record per seed: from the cache when size and mtime match, else by parsing it."""
    store = None
    if cache_dir is not None:
        store = _open_cache(cache.cache_file(cache_dir, seeds, host), report)
    known: dict[str, SeedRecord] = {}
    if store is not None:
        try:
            known = store.load()
        except sqlite3.DatabaseError:
            store = _rebuild_cache(store.path, report, store)
    by_name = {
        name: record
        for name, stamp in found.items()
        if (record := known.get(name)) is not None and (record.size, record.mtime_ns) == stamp
    }
    stale = [seeds / name for name in found if name not in by_name]
    parsed = _parse_all(stale, host, jobs=jobs, progress=progress)
    by_name.update((record.name, record) for record, _ in parsed)
    if store is not None:
        try:
            store.update(
                (record for record, cacheable in parsed if cacheable),
                gone=[name for name in known if name not in found],
            )
        except sqlite3.DatabaseError as error:
            report(Diagnostic(store.path, None, "warning", f"cache not updated: {error}"))
        finally:
            store.close()
    return [by_name[name] for name in found if name in by_name]


def _open_cache(path: Path, report: Report) -> SeedCache | None:
    try:
        return SeedCache(path)
    except sqlite3.DatabaseError:
        return _rebuild_cache(path, report)
    except OSError as error:
        report(Diagnostic(path, None, "warning", f"cannot use the cache: {error.strerror}"))
        return None


def _rebuild_cache(path: Path, report: Report, store: SeedCache | None = None) -> SeedCache | None:
    """Replace a corrupt cache with an empty one; None when even that fails."""
    if store is not None:
        store.close()
    report(Diagnostic(path, None, "warning", "the cache was corrupt; rebuilding it"))
    cache.remove(path)
    try:
        return SeedCache(path)
    except (sqlite3.DatabaseError, OSError) as error:
        report(Diagnostic(path, None, "warning", f"cannot use the cache: {error}"))
        return None


def _newest_first(
    keys: list[tuple[float, str, str]], likely: int
) -> Iterator[tuple[float, str, str]]:
    """Keys in order, sorting all of them only when more than the ``likely`` first are needed."""
    first = heapq.nsmallest(likely, keys)
    yield from first
    if len(first) < len(keys):
        yield from sorted(keys)[len(first) :]


def _newest_entries(
    keys: list[tuple[float, str, str]], seeds: Path, host: str, limit: int
) -> tuple[Entry, ...]:
    """Parse again only the seeds that go into the feeds, newest first."""
    entries: list[Entry] = []
    for _, _, name in _newest_first(keys, 2 * limit):
        if len(entries) == limit:
            break
        path = seeds / name
        try:
            entries.append(parse_seed(path.read_bytes(), path, authority=host).entry)
        except (OSError, SeedError):
            continue  # changed since it was listed; the next build reports it
    return tuple(newest_first(entries))


def _validate_output(feeds: dict[Path, bytes]) -> None:
    """Refuse to publish feeds with errors, so a bug never replaces a good feed."""
    errors = tuple(
        Diagnostic(path, finding.line, "error", f"{finding.code}: {finding.message}")
        for path, data in feeds.items()
        for finding in validate(data)
        if finding.level == "error"
    )
    if errors:
        raise InvalidOutputError(
            f"the new feeds failed validation ({len(errors)} errors); "
            "the published feeds were left as they were",
            findings=errors,
        )


def _refuse_big_drop(feeds: dict[Path, bytes], entries: int, max_drop: float) -> None:
    """Refuse to replace feeds with ones that lost more than ``max_drop`` of their entries."""
    for path in feeds:
        before = published_entries(path)
        if before and (before - entries) / before > max_drop:
            raise DropRefusedError(
                f"the new feed would hold {entries} entries where the published one holds "
                f"{before}, a drop of more than {max_drop:.0%}; the feeds were left as they "
                "were (--force publishes anyway)",
                path=path,
            )
