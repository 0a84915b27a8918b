"""What the command line prints: one line per event, as text or as JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from feedpub.errors import Diagnostic, display, location

if TYPE_CHECKING:
    from feedpub.build import BuildResult

LogFormat = Literal["text", "json"]
_LEVEL_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def colour() -> bool | None:
    """Whether to colour levels: never with NO_COLOR set (no-color.org), else on a terminal.

    None leaves the choice to click, which strips styles from what is not a terminal.
    """
    return False if os.environ.get("NO_COLOR") else None


def styled_level(level: str) -> str:
    """``level`` in its colour, bold; click removes the styles where colour is off."""
    return click.style(level, fg=_LEVEL_COLOURS.get(level), bold=True)


class EventLog:
    """Diagnostics go to stderr as they happen; the summary goes to stdout at the end."""

    def __init__(self, fmt: LogFormat, *, quiet: bool) -> None:
        self.fmt = fmt
        self.quiet = quiet
        self.colour = colour()

    def diagnostic(self, diagnostic: Diagnostic) -> None:
        """One warning or error."""
        if self.fmt == "json":
            event = {
                "event": "diagnostic",
                "level": diagnostic.level,
                "path": None if diagnostic.path is None else display(diagnostic.path),
                "line": diagnostic.line,
                "message": diagnostic.message,
            }
            click.echo(json.dumps(event, ensure_ascii=False), err=True)
        else:
            where = location(diagnostic.path, diagnostic.line)
            text = f"{where}{styled_level(diagnostic.level)}: {diagnostic.message}"
            click.echo(text, err=True, color=self.colour)

    def settings(self, path: Path | None, *, given: bool) -> None:
        """Which settings file is used: named by ``--config`` (``given``), found, or none."""
        if self.fmt == "json":
            event = {"event": "settings", "path": None if path is None else display(path)}
            click.echo(json.dumps(event, ensure_ascii=False), err=True)
        elif path is None:
            click.echo(
                "settings: none found (no feedpub.toml, nor pyproject.toml with "
                "[tool.feedpub], here or in a parent folder); flags and defaults only",
                err=True,
            )
        else:
            click.echo(f"settings: {display(path)}{' (--config)' if given else ''}", err=True)

    def summary(self, result: BuildResult, *, check: bool) -> None:
        """The closing line, unless quiet."""
        if self.quiet:
            return
        if self.fmt == "json":
            event = {
                "event": "summary",
                "check": check,
                "seeds": result.seeds,
                "rejected": result.rejected,
                "warnings": result.warnings,
                "entries": result.published,
                "not_repeated": result.not_repeated,
                "out_of_date" if check else "written": [display(path) for path in result.written],
                "unchanged": [display(path) for path in result.unchanged],
                "removed": [display(path) for path in result.removed],
            }
            click.echo(json.dumps(event, ensure_ascii=False))
        else:
            click.echo(summary(result, check=check))


def summary(result: BuildResult, *, check: bool = False) -> str:
    """One line: what was read, what was published, which files changed."""

    def files(paths: tuple[Path, ...]) -> str:
        return ", ".join(display(path) for path in paths) or "none"

    entries = result.published
    held = result.not_repeated
    repeated = (
        f"; {held} {'diagnostic' if held == 1 else 'diagnostics'} reported before, "
        "not repeated (--all-diagnostics repeats them)"
        if held
        else ""
    )
    return (
        f"{entries} {'entry' if entries == 1 else 'entries'} published from "
        f"{result.seeds} {'seed' if result.seeds == 1 else 'seeds'} "
        f"({result.rejected} rejected{repeated}); "
        f"{'out of date' if check else 'written'}: {files(result.written)}; "
        f"unchanged: {files(result.unchanged)}"
        + (
            f"; {'to remove' if check else 'removed'}: {files(result.removed)}"
            if result.removed
            else ""
        )
    )
