"""The ``feedpub`` command: argument parsing, messages and exit codes only."""

from __future__ import annotations

from pathlib import Path

import click

from feedpub import __version__
from feedpub.build import BuildResult, build
from feedpub.config import load_config
from feedpub.errors import ConfigError, Diagnostic, FeedpubError, NothingToPublishError

#: Exit codes, documented in the README.
EXIT_OK = 0
EXIT_SEEDS_REJECTED = 1
EXIT_USAGE = 2
EXIT_NOTHING_PUBLISHED = 3


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
    "-q", "--quiet", is_flag=True, help="Print no summary; warnings and errors still go to stderr."
)
def build_command(
    seeds_dir: Path | None,
    output: Path | None,
    base_url: str | None,
    title: str | None,
    limit: int | None,
    config_file: Path | None,
    quiet: bool,
) -> None:
    """Write rss.xml and atom.xml from the seeds in SEEDS_DIR  [default: ./seeds].

    A seed that cannot be trusted is reported as path:line: error: message and
    skipped; the feeds are still written from the others. Exit codes: 0 all
    good, 1 some seeds rejected, 2 usage or configuration error, 3 nothing to
    publish (the feeds are left as they were).
    """
    overrides = {"output": output, "base_url": base_url, "title": title, "limit": limit}
    try:
        config = load_config(config_file, overrides, cwd=Path())
        result = build(seeds=seeds_dir or config.seeds, config=config, report=_print)
    except FeedpubError as error:
        _print(error.diagnostic())
        raise SystemExit(_exit_code(error)) from None
    if not quiet:
        click.echo(summary(result))
    raise SystemExit(EXIT_SEEDS_REJECTED if result.rejected else EXIT_OK)


def _print(diagnostic: Diagnostic) -> None:
    click.echo(str(diagnostic), err=True)


def _exit_code(error: FeedpubError) -> int:
    if isinstance(error, ConfigError):
        return EXIT_USAGE
    if isinstance(error, NothingToPublishError):
        return EXIT_NOTHING_PUBLISHED
    return EXIT_SEEDS_REJECTED


def summary(result: BuildResult) -> str:
    """One line: what was read, what was published, which files changed."""

    def files(paths: tuple[Path, ...]) -> str:
        return ", ".join(str(path) for path in paths) or "none"

    entries = len(result.entries)
    return (
        f"{entries} {'entry' if entries == 1 else 'entries'} published from "
        f"{result.seeds} {'seed' if result.seeds == 1 else 'seeds'} "
        f"({result.rejected} rejected); "
        f"written: {files(result.written)}; unchanged: {files(result.unchanged)}"
    )
