"""The pipeline: read seeds, parse, order, render both feeds, publish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from feedpub.config import Config
from feedpub.entry import Entry, newest_first
from feedpub.errors import Diagnostic, NothingToPublishError, SeedError
from feedpub.identity import authority
from feedpub.publish import write_if_changed
from feedpub.render import FEED_FILES, render
from feedpub.seed import parse_seed

SEED_PATTERN = "*.txt"


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did."""

    seeds: int
    """How many seed files were read."""
    rejected: int
    """How many of them were skipped for an error."""
    entries: tuple[Entry, ...]
    """The entries in the feeds, newest first."""
    diagnostics: tuple[Diagnostic, ...]
    """Every warning and error, by file then line."""
    written: tuple[Path, ...]
    """Feeds whose bytes changed and were replaced."""
    unchanged: tuple[Path, ...]
    """Feeds that already held exactly what the build made."""


def find_seeds(folder: Path) -> list[Path]:
    """The seed files in ``folder``, in name order; hidden files are not seeds."""
    if not folder.is_dir():
        raise NothingToPublishError("the seeds folder does not exist", path=folder)
    return sorted(
        path
        for path in folder.glob(SEED_PATTERN)
        if path.is_file() and not path.name.startswith(".")
    )


def collect(paths: list[Path], *, authority: str) -> tuple[list[Entry], list[Diagnostic], int]:
    """Parse every seed; return the entries, the diagnostics and how many seeds were rejected."""
    entries: list[Entry] = []
    diagnostics: list[Diagnostic] = []
    rejected = 0
    for path in paths:
        try:
            parsed = parse_seed(path.read_bytes(), path, authority=authority)
        except SeedError as error:
            diagnostics.append(error.diagnostic())
            rejected += 1
            continue
        except OSError as error:
            diagnostics.append(Diagnostic(path, None, "error", f"cannot read: {error.strerror}"))
            rejected += 1
            continue
        entries.append(parsed.entry)
        diagnostics.extend(parsed.warnings)
    return entries, diagnostics, rejected


def build(*, seeds: Path, config: Config) -> BuildResult:
    """Publish ``rss.xml`` and ``atom.xml`` from the seeds in ``seeds``.

    Raises :class:`NothingToPublishError`, leaving any published feeds alone,
    when the folder is missing or no seed gives an entry.
    """
    paths = find_seeds(seeds)
    entries, diagnostics, rejected = collect(paths, authority=authority(config.base_url))
    if not entries:
        raise NothingToPublishError(
            f"no article to publish ({len(paths)} seed files, {rejected} rejected)"
            "; the feeds were left as they were",
            path=seeds,
        )
    published = tuple(newest_first(entries)[: config.limit])
    feeds = {
        config.output / name: render(published, config, fmt) for fmt, name in FEED_FILES.items()
    }
    written = tuple(path for path, data in feeds.items() if write_if_changed(path, data))
    return BuildResult(
        seeds=len(paths),
        rejected=rejected,
        entries=published,
        diagnostics=tuple(diagnostics),
        written=written,
        unchanged=tuple(path for path in feeds if path not in written),
    )
