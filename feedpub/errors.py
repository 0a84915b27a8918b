"""The one exception family, and the diagnostics it shares its format with.

Everything feedpub reports about its input reads ``path:line: level: message``.
Exceptions carry the same parts so that only the CLI decides how to print them
and which exit code they mean.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about an input file."""

    path: Path | None
    """The file the finding is about, or None when it concerns no file."""
    line: int | None
    """The 1-based line in that file, or None when no line applies."""
    level: Level
    """``error`` when the input was rejected, ``warning`` when feedpub fell back."""
    message: str
    """What was wrong and what was expected, without the location."""

    def __str__(self) -> str:
        return f"{location(self.path, self.line)}{self.level}: {self.message}"


def location(path: Path | None, line: int | None) -> str:
    """Render ``path:line: `` (or less, when parts are unknown)."""
    if path is None:
        return ""
    if line is None:
        return f"{display(path)}: "
    return f"{display(path)}:{line}: "


def display(path: Path | str) -> str:
    """A path as text any terminal or log takes: bytes of a name that are not UTF-8
    are shown as ``\\xNN`` escapes instead of failing to print."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class FeedpubError(Exception):
    """Base of every error feedpub raises on purpose.

    The CLI catches this family only, prints it as ``path:line: error: message``
    and maps the subclass to an exit code; anything else is a bug.
    """

    def __init__(self, message: str, *, path: Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return f"{location(self.path, self.line)}{self.message}"

    def diagnostic(self) -> Diagnostic:
        """The error as a diagnostic, for reports that list findings together."""
        return Diagnostic(self.path, self.line, "error", self.message)


class SeedError(FeedpubError):
    """A seed file cannot be trusted; it is skipped and the rest is published."""


class SeedReadError(SeedError):
    """A seed could not be read whole; ``level`` says whether that rejects it or skips it."""

    def __init__(self, level: Level, message: str, *, path: Path | None = None):
        super().__init__(message, path=path)
        self.level: Level = level


class ConfigError(FeedpubError):
    """A setting, from a file or a flag, is unknown or has a bad value."""


class ReadError(FeedpubError):
    """A file cannot be read, or is larger than feedpub will read."""


class InvalidOutputError(FeedpubError):
    """The feeds a build made failed validation; the published ones were kept."""

    def __init__(self, message: str, *, findings: tuple[Diagnostic, ...], path: Path | None = None):
        super().__init__(message, path=path)
        self.findings = findings


class OutputError(FeedpubError):
    """The output folder or a feed in it cannot be written; the published feeds were kept."""


class LockTimeoutError(FeedpubError):
    """Another build held the output folder's lock for longer than allowed."""


class DropRefusedError(FeedpubError):
    """The new feeds would hold far fewer entries than the published ones."""


class NothingToPublishError(FeedpubError):
    """No seed gave an entry, so no feed is written and the old ones stay."""


class IdChangeRefusedError(FeedpubError):
    """The new feeds would give many already-published articles other ids."""
