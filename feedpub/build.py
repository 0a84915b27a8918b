"""The pipeline: read seeds, parse, order, render both feeds, publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feedpub.config import Config
from feedpub.entry import Entry, newest_first
from feedpub.errors import Diagnostic, InvalidOutputError, NothingToPublishError, SeedError
from feedpub.identity import authority
from feedpub.publish import holds, write_if_changed
from feedpub.render import FEED_FILES, render
from feedpub.seed import parse_seed
from feedpub.validate import validate

SEED_PATTERN = "*.txt"

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


def collect(paths: list[Path], *, authority: str, report: Report) -> tuple[list[Entry], int, int]:
    """Parse every seed, reporting as it goes; return the entries, rejections and warnings."""
    entries: list[Entry] = []
    rejected = warnings = 0
    for path in paths:
        try:
            parsed = parse_seed(path.read_bytes(), path, authority=authority)
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


def build(
    *, seeds: Path, config: Config, report: Report = _ignore, check: bool = False
) -> BuildResult:
    """Publish ``rss.xml`` and ``atom.xml`` from the seeds in ``seeds``.

    Every warning and rejected seed goes to ``report`` as soon as it is found.
    With ``check``, nothing is written: ``written`` lists the feeds that are
    missing or would change.

    Raises :class:`NothingToPublishError` when the folder is missing or no seed
    gives an entry, and :class:`InvalidOutputError` when a feed fails
    validation; either way the published feeds are left as they were.
    """
    paths = find_seeds(seeds)
    entries, rejected, warnings = collect(
        paths, authority=authority(config.base_url), report=report
    )
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
    _validate_output(feeds)
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
