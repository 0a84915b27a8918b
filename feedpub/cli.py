"""The ``feedpub`` command: argument parsing, messages and exit codes only."""

from __future__ import annotations

from pathlib import Path

import click

from feedpub import __version__
from feedpub.build import BuildResult, build
from feedpub.config import load_config
from feedpub.errors import (
    ConfigError,
    Diagnostic,
    FeedpubError,
    InvalidOutputError,
    NothingToPublishError,
    ReadError,
)
from feedpub.publish import read_capped
from feedpub.validate import Finding, validate
from feedpub.validate.report import Format, render_report

#: Exit codes, documented in the README.
EXIT_OK = 0
EXIT_SEEDS_REJECTED = 1
EXIT_USAGE = 2
EXIT_NOTHING_PUBLISHED = 3
EXIT_INVALID_OUTPUT = 4
#: Exit codes of ``feedpub validate``.
EXIT_VALID = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
DEFAULT_MAX_SIZE = 64 * 1024 * 1024


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedpub")
def main() -> None:
    """Publish a folder of seed articles as RSS 2.0 and Atom 1.0 feeds."""


@main.command(name="build")
@click.argument("seeds_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for rss.xml and atom.xml.  [default: public]",
)
@click.option("--base-url", help="Absolute URL of the site; entry ids use its host.")
@click.option("--title", help="The feeds' title.")
@click.option(
    "--limit", type=int, help="How many of the newest articles to publish.  [default: 50]"
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Settings file.  [default: ./feedpub.toml, else [tool.feedpub] in ./pyproject.toml]",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 naming each feed that is missing or would change.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print no summary; warnings and errors still go to stderr."
)
def build_command(
    seeds_dir: Path | None,
    output: Path | None,
    base_url: str | None,
    title: str | None,
    limit: int | None,
    config_file: Path | None,
    check: bool,
    quiet: bool,
) -> None:
    """Write rss.xml and atom.xml from the seeds in SEEDS_DIR  [default: ./seeds].

    A seed that cannot be trusted is reported as path:line: error: message and
    skipped; the feeds are still written from the others. The new feeds are
    validated before they replace the old ones. Exit codes: 0 all good, 1 some
    seeds rejected (or, with --check, feeds out of date), 2 usage or
    configuration error, 3 nothing to publish, 4 the new feeds failed
    validation; with 3 and 4 the published feeds are left as they were.
    """
    overrides = {"output": output, "base_url": base_url, "title": title, "limit": limit}
    try:
        config = load_config(config_file, overrides, cwd=Path())
        result = build(seeds=seeds_dir or config.seeds, config=config, report=_print, check=check)
    except InvalidOutputError as error:
        for finding in error.findings:
            _print(finding)
        _print(error.diagnostic())
        raise SystemExit(EXIT_INVALID_OUTPUT) from None
    except FeedpubError as error:
        _print(error.diagnostic())
        raise SystemExit(_exit_code(error)) from None
    if check:
        for path in result.written:
            click.echo(f"{path}: would change" if path.exists() else f"{path}: missing", err=True)
        if not quiet:
            click.echo(summary(result, check=True))
        raise SystemExit(EXIT_SEEDS_REJECTED if result.written or result.rejected else EXIT_OK)
    if not quiet:
        click.echo(summary(result))
    raise SystemExit(EXIT_SEEDS_REJECTED if result.rejected else EXIT_OK)


@main.command(name="validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_SIZE,
    show_default=True,
    help="Largest file to read, in bytes.",
)
def validate_command(paths: tuple[Path, ...], fmt: Format, strict: bool, max_size: int) -> None:
    """Check RSS 2.0 and Atom 1.0 files, from any producer, offline.

    Each finding has a rule code, a level, a line and column, and the
    specification it comes from. Exit codes: 0 no errors, 1 errors (or
    warnings with --strict), 2 a file could not be read or the command was
    misused.
    """
    results: list[tuple[Path, list[Finding]]] = []
    unreadable = False
    for path in paths:
        try:
            data = read_capped(path, max_size)
        except ReadError as error:
            _print(error.diagnostic())
            unreadable = True
            continue
        results.append((path, validate(data)))
    click.echo(render_report(results, fmt), nl=False)
    levels = {finding.level for _, findings in results for finding in findings}
    if unreadable:
        raise SystemExit(EXIT_UNREADABLE)
    failing = "error" in levels or (strict and "warning" in levels)
    raise SystemExit(EXIT_FINDINGS if failing else EXIT_VALID)


def _print(diagnostic: Diagnostic) -> None:
    click.echo(str(diagnostic), err=True)


def _exit_code(error: FeedpubError) -> int:
    if isinstance(error, ConfigError):
        return EXIT_USAGE
    if isinstance(error, NothingToPublishError):
        return EXIT_NOTHING_PUBLISHED
    return EXIT_SEEDS_REJECTED


def summary(result: BuildResult, *, check: bool = False) -> str:
    """One line: what was read, what was published, which files changed."""

    def files(paths: tuple[Path, ...]) -> str:
        return ", ".join(str(path) for path in paths) or "none"

    entries = len(result.entries)
    return (
        f"{entries} {'entry' if entries == 1 else 'entries'} published from "
        f"{result.seeds} {'seed' if result.seeds == 1 else 'seeds'} "
        f"({result.rejected} rejected); "
        f"{'out of date' if check else 'written'}: {files(result.written)}; "
        f"unchanged: {files(result.unchanged)}"
    )
