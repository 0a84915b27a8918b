"""The pipeline: read seeds, parse, order, render both feeds, validate, publish.

Whatever goes wrong, the published feeds are either left alone or replaced
whole by valid ones: see the README's "Running from cron".
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feedpub.config import Config
from feedpub.entry import Entry, newest_first
from feedpub.errors import (
    Diagnostic,
    DropRefusedError,
    InvalidOutputError,
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


def find_seeds(folder: Path, pattern: str) -> list[Path]:
    """The seed files in ``folder`` matching ``pattern``, in name order, ignored names left out."""
    try:
        names = sorted(child.name for child in folder.iterdir())
    except FileNotFoundError:
        raise NothingToPublishError("the seeds folder does not exist", path=folder) from None
    except OSError as error:
        raise NothingToPublishError(
            f"cannot read the seeds folder: {error.strerror}", path=folder
        ) from None
    return [
        folder / name
        for name in names
        if fnmatch.fnmatchcase(name, pattern)
        and not any(fnmatch.fnmatchcase(name, ignored) for ignored in IGNORED)
        and (folder / name).is_file()
    ]


def collect(paths: list[Path], *, authority: str, report: Report) -> tuple[list[Entry], int, int]:
    """Parse every seed, reporting as it goes; return the entries, rejections and warnings."""
    entries: list[Entry] = []
    rejected = warnings = 0
    for path in paths:
        try:
            data = _read_steady(path)
            if data is None:
                report(Diagnostic(path, None, "warning", "changed while being read; skipped"))
                warnings += 1
                continue
            parsed = parse_seed(data, path, authority=authority)
        except FileNotFoundError:
            report(Diagnostic(path, None, "warning", "vanished while being read; skipped"))
            warnings += 1
            continue
        except SeedError as error:
            report(error.diagnostic())
            rejected += 1
            continue
        except OSError as error:
            report(Diagnostic(path, None, "error", f"cannot read: {error.strerror}"))
            rejected += 1
            continue
        entries.append(parsed.entry)
        for warning in parsed.warnings:
            report(warning)
        warnings += len(parsed.warnings)
    return entries, rejected, warnings


def _read_steady(path: Path) -> bytes | None:
    """The file's bytes, or None when it changed while being read (a write in progress)."""
    before = path.stat()
    data = path.read_bytes()
    after = path.stat()
    steady = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
    return data if steady and len(data) == after.st_size else None


def build(
    *,
    seeds: Path,
    config: Config,
    report: Report = _ignore,
    check: bool = False,
    allow_empty: bool = False,
    force: bool = False,
) -> BuildResult:
    """Publish ``rss.xml`` and ``atom.xml`` from the seeds in ``seeds``.

    Every warning and rejected seed goes to ``report`` as soon as it is found.
    With ``check``, nothing is written and no lock is taken: ``written`` lists
    the feeds that are missing or would change.

    The published feeds are left as they were, and an error raised, when the
    seeds folder is missing, unreadable or (unless ``allow_empty``) empty, or
    no seed gives an entry (:class:`NothingToPublishError`); when the new feeds
    would drop more than ``config.max_drop`` of the published entries, unless
    ``force`` (:class:`DropRefusedError`); when a new feed fails validation
    (:class:`InvalidOutputError`); or when another build holds the output
    folder for longer than ``config.lock_timeout`` (:class:`LockTimeoutError`).
    """
    paths = find_seeds(seeds, config.pattern)
    if not paths and not allow_empty:
        raise NothingToPublishError(
            f"no seed files ({config.pattern}) in the seeds folder; the feeds were left as they "
            "were (--allow-empty publishes empty feeds)",
            path=seeds,
        )
    if check:
        return _build(paths, seeds, config, report, check=True, force=force)
    with output_lock(config.output, timeout=config.lock_timeout):
        for stale in remove_stale_temporaries(config.output):
            report(Diagnostic(stale, None, "warning", "removed, left by an interrupted build"))
        return _build(paths, seeds, config, report, check=False, force=force)


def _build(
    paths: list[Path], seeds: Path, config: Config, report: Report, *, check: bool, force: bool
) -> BuildResult:
    entries, rejected, warnings = collect(
        paths, authority=authority(config.base_url), report=report
    )
    if paths and not entries:
        raise NothingToPublishError(
            f"no article to publish ({len(paths)} seed files, {rejected} rejected)"
            "; the feeds were left as they were",
            path=seeds,
        )
    published = tuple(newest_first(entries)[: config.limit])
    feeds = {
        config.output / name: render(published, config, fmt) for fmt, name in FEED_FILES.items()
    }
    _validate_output(feeds)
    if not force and paths:  # with no seed at all, --allow-empty asked for empty feeds
        _refuse_big_drop(feeds, len(published), config.max_drop)
    if check:
        written = tuple(path for path, data in feeds.items() if not holds(path, data))
    else:
        written = tuple(path for path, data in feeds.items() if write_if_changed(path, data))
    return BuildResult(
        seeds=len(paths),
        rejected=rejected,
        entries=published,
        warnings=warnings,
        written=written,
        unchanged=tuple(path for path in feeds if path not in written),
    )


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
