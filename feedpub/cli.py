"""The ``feedpub`` command: argument parsing, messages and exit codes only.

Each command imports what it needs when it runs, so that ``feedpub validate``
on one file, as pre-commit and CI loops call it, does not pay for the build
pipeline and feedgen.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

import click

from feedpub import __version__
from feedpub.errors import (
    ConfigError,
    Diagnostic,
    DropRefusedError,
    FeedpubError,
    IdChangeRefusedError,
    InvalidOutputError,
    LockTimeoutError,
    NothingToPublishError,
    OutputError,
)

if TYPE_CHECKING:
    from feedpub.log import LogFormat
    from feedpub.ping import Topic
    from feedpub.validate import Finding
    from feedpub.validate.report import Format
    from feedpub.validate.selection import RuleSelection

#: Exit codes, documented in the README.
EXIT_OK = 0
EXIT_OUT_OF_DATE = 1
EXIT_USAGE = 2
EXIT_NOTHING_PUBLISHED = 3
EXIT_INVALID_OUTPUT = 4
EXIT_LOCKED = 5
EXIT_DROP_REFUSED = 6
EXIT_OUTPUT_FAILED = 7
#: Published, but some seeds were rejected: not 1, which Python itself exits with when
#: it fails before feedpub runs, so that a service manager may count this one a success.
EXIT_SEEDS_REJECTED = 8
#: Exit code of ``feedpub ping`` when a hub did not take a notification.
EXIT_PING_FAILED = 9
#: Left as they were: the build would change the ids of many published articles.
EXIT_ID_CHANGE_REFUSED = 10
#: A bug: an exception no part of feedpub expected (EX_SOFTWARE in sysexits.h).
EXIT_INTERNAL_ERROR = 70
#: Exit codes of ``feedpub validate``.
EXIT_VALID = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
DEFAULT_MAX_SIZE = 64 * 1024 * 1024


class _Commands(click.Group):
    """The command group, which turns an unexpected exception into exit 70.

    Every error feedpub expects is a :class:`FeedpubError`, handled by its
    command. Anything else is a bug: it gets one line on stderr and exit 70, so
    cron and CI can tell a crash from rejected seeds; ``--debug`` adds the
    traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if ctx.meta.get(_DEBUG):
                traceback.print_exc(file=sys.stderr)
            summary = f"{type(error).__name__}: {error}"
            hint = "" if ctx.meta.get(_DEBUG) else " (--debug shows the traceback)"
            click.echo(f"error: feedpub failed unexpectedly, a bug: {summary}{hint}", err=True)
            raise SystemExit(EXIT_INTERNAL_ERROR) from None


_DEBUG = "feedpub.debug"


def _set_debug(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_DEBUG] = True


def _debug_option(command: Any) -> Any:
    """``--debug``, on the group and on each command: print a crash's traceback."""
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_debug,
        help="On a crash (exit 70), print the traceback.",
    )(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedpub")
@_debug_option
def main() -> None:
    """Publish a folder of seed articles as RSS 2.0 and Atom 1.0 feeds."""


@main.command(name="build")
@_debug_option
@click.argument("seeds_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the feeds.  [default: public]",
)
@click.option("--base-url", help="Absolute URL of the site; entry ids use its host.")
@click.option("--title", help="The feeds' title.")
@click.option(
    "--limit", type=int, help="How many of the newest articles to publish.  [default: 50]"
)
@click.option("--pattern", help="Which file names are seeds.  [default: *.txt]")
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Settings file.  [default: the nearest feedpub.toml, or pyproject.toml with "
    "[tool.feedpub], here or in a parent folder]",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 naming each feed that is missing, would change or would go.",
)
@click.option(
    "--lock-timeout",
    type=float,
    help="Seconds to wait for another build of the same output.  [default: 60]",
)
@click.option(
    "--max-drop",
    type=float,
    help="Largest share of published entries a build may drop.  [default: 0.5]",
)
@click.option("--force", is_flag=True, help="Publish even when more entries would drop.")
@click.option(
    "--allow-id-change",
    is_flag=True,
    help="Publish even when more published articles would change their ids.",
)
@click.option("--allow-empty", is_flag=True, help="Publish empty feeds from an empty folder.")
@click.option(
    "--rejected-ok",
    is_flag=True,
    help="Exit 0, not 8, when seeds were rejected: for hooks that ask if the feeds are current.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to keep what earlier builds learned of each seed.  "
    "[default: $XDG_CACHE_HOME/feedpub or ~/.cache/feedpub]",
)
@click.option("--no-cache", is_flag=True, help="Read and parse every seed; use no cache.")
@click.option(
    "--all-diagnostics",
    is_flag=True,
    help="Report every seed's problems, not only those new or changed since the last build.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes that parse seeds.  [default: the number of cores]",
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints one JSON object per event.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print nothing on success; problems still go to stderr."
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say on stderr which settings file was used."
)
def build_command(
    seeds_dir: Path | None,
    config_file: Path | None,
    check: bool,
    force: bool,
    allow_id_change: bool,
    allow_empty: bool,
    rejected_ok: bool,
    cache_dir: Path | None,
    no_cache: bool,
    all_diagnostics: bool,
    jobs: int | None,
    log_format: LogFormat,
    quiet: bool,
    verbose: bool,
    **overrides: object,
) -> None:
    """Write the feeds, in every format, from the seeds in SEEDS_DIR  [default: ./seeds].

    A seed that cannot be trusted is reported as path:line: error: message and
    skipped; the feeds are still written from the others. A seed's problems are
    reported when they are new or changed since the last build of the output
    (--all-diagnostics and --check report them all). The new feeds are
    validated before they replace the old ones, and replace them atomically.
    Exit codes are listed in the README; with 3 to 6 the published feeds are
    left as they were.
    """
    from feedpub.build import build
    from feedpub.cache import default_cache_dir
    from feedpub.config import load_config
    from feedpub.log import EventLog
    from feedpub.settings_file import find_settings

    log = EventLog(log_format, quiet=quiet)
    show_progress = not quiet and log_format == "text" and sys.stderr.isatty()
    try:
        if verbose:  # looks for the file as load_config does, only to say which it is
            log.settings(config_file or find_settings(Path()), given=config_file is not None)
        config = load_config(config_file, overrides, cwd=Path())
        source_date = _source_date_epoch()
        with ProgressBar(enabled=show_progress) as progress:

            def report(diagnostic: Diagnostic) -> None:
                progress.finish()
                log.diagnostic(diagnostic)

            result = build(
                seeds=seeds_dir or config.seeds,
                config=config,
                report=report,
                check=check,
                allow_empty=allow_empty,
                force=force,
                allow_id_change=allow_id_change,
                source_date=source_date,
                cache_dir=None if no_cache else cache_dir or default_cache_dir(),
                jobs=jobs or os.cpu_count() or 1,
                progress=progress.update if show_progress else None,
                state_dir=cache_dir or default_cache_dir(),
                all_diagnostics=all_diagnostics,
            )
    except InvalidOutputError as error:
        for finding in error.findings:
            log.diagnostic(finding)
        log.diagnostic(error.diagnostic())
        raise SystemExit(EXIT_INVALID_OUTPUT) from None
    except FeedpubError as error:
        log.diagnostic(error.diagnostic())
        raise SystemExit(_EXIT_CODES.get(type(error), EXIT_USAGE)) from None
    if check:
        for path in result.written:
            message = "would change" if path.exists() else "missing"
            log.diagnostic(Diagnostic(path, None, "error", message))
        for path in result.removed:
            log.diagnostic(Diagnostic(path, None, "error", "would be removed"))
    log.summary(result, check=check)
    if check and (result.written or result.removed):
        raise SystemExit(EXIT_OUT_OF_DATE)
    raise SystemExit(EXIT_SEEDS_REJECTED if result.rejected and not rejected_ok else EXIT_OK)


def _rule_selection(
    config_file: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    warn_as_error: tuple[str, ...],
) -> RuleSelection:
    """The settings' [validate] table, each flag given replacing its key; a bad setting
    or an unknown rule is a usage error (exit 2)."""
    from feedpub.log import EventLog
    from feedpub.settings_file import find_settings, table
    from feedpub.validate.selection import RuleSelection, codes_named, split_names

    try:
        path = config_file if config_file is not None else find_settings(Path())
        # The settings' checks are imported only for a file with the table.
        settings = RuleSelection()
        if path is not None and table(path, "validate") is not None:
            from feedpub.config import load_validate_settings

            found = load_validate_settings(path)
            settings = RuleSelection(found.select, found.ignore, found.warn_as_error)
    except ConfigError as error:
        EventLog("text", quiet=False).diagnostic(error.diagnostic())
        raise SystemExit(EXIT_UNREADABLE) from None
    flags = {"--select": select, "--ignore": ignore, "--warn-as-error": warn_as_error}
    named = {flag: split_names(values) for flag, values in flags.items() if values}
    for flag, names in named.items():
        for name in names:
            try:
                codes_named(name)
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint=f"'{flag}'") from None
    return RuleSelection(
        select=named.get("--select", settings.select),
        ignore=named.get("--ignore", settings.ignore),
        warn_as_error=named.get("--warn-as-error", settings.warn_as_error),
    )


def _source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org), when set: the time a build gives
    what it finds changed; a value that is not a whole number of seconds is an error."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise ConfigError(f"SOURCE_DATE_EPOCH: expected a whole number of seconds, got {value!r}")
    return int(value)


@main.command(name="validate")
@_debug_option
# Not click.Path: a URL is one too, and a Path would fold its "//".
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif", "junit"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for workflow annotations, sarif for code "
    "scanning, junit for CI test reports.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--feeds-only",
    is_flag=True,
    help="Pass over named files that are not feeds (by root element), as in a folder.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_SIZE,
    show_default=True,
    help="Largest file to read, in bytes.",
)
@click.option(
    "--previous",
    help="The feed's previous edition: report entries it has under other ids (id-changed).",
)
@click.option(
    "--max-id-change",
    type=click.FloatRange(0, 1),
    default=0.01,
    show_default=True,
    help="With --previous, the share of its entries that may change ids.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Report only these rules (codes or prefixes such as rss, comma-separated).",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Do not report these rules.")
@click.option(
    "--warn-as-error",
    multiple=True,
    metavar="CODES",
    help="Report these rules' warnings as errors.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file whose [validate] table to use.  [default: feedpub.toml, found upward]",
)
def validate_command(
    paths: tuple[str, ...],
    fmt: Format,
    strict: bool,
    max_size: int,
    previous: str | None,
    max_id_change: float,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    warn_as_error: tuple[str, ...],
    config_file: Path | None,
    feeds_only: bool,
) -> None:
    """Check RSS 2.0, Atom 1.0 and JSON Feed 1.1 files, from any producer, offline.

    Each finding has a rule code, a level, a line and column, and the
    specification it comes from. With --previous OLD, the one PATH is also
    compared with OLD, as a build compares with its ledger. --select, --ignore
    and --warn-as-error override the [validate] table of the settings. Exit
    codes: 0 no errors, 1 errors (or warnings with --strict), 2 a file could not
    be read, a setting is wrong or the command was misused.
    """
    from feedpub.log import colour
    from feedpub.validate import validate
    from feedpub.validate.findings import in_order
    from feedpub.validate.inputs import gather
    from feedpub.validate.report import render_report

    if previous is not None and len(paths) != 1:
        raise click.UsageError("--previous compares one feed with its previous edition")
    rules = _rule_selection(config_file, select, ignore, warn_as_error)
    results: list[tuple[str, list[Finding]]] = []
    unreadable = False
    earlier = None
    if previous is not None:
        [before] = gather((previous,), max_size)
        if before.problem is not None:
            results.append((before.name, [before.problem]))
            unreadable = True
        earlier = before.data
    for source in gather(paths, max_size, feeds_only=feeds_only):
        if source.problem is not None or source.data is None:
            results.append((source.name, [source.problem] if source.problem else []))
            unreadable = True
            continue
        findings = validate(source.data) + source.exchange
        if earlier is not None:
            from feedpub.validate.previous import changed_ids

            moved = changed_ids(earlier, source.data, max_share=max_id_change)
            findings = [*findings, *moved]
        results.append((source.name, rules.apply(in_order(findings))))
    click.echo(render_report(results, fmt, styled=True, strict=strict), nl=False, color=colour())
    levels = {finding.level for _, findings in results for finding in findings}
    if unreadable:
        raise SystemExit(EXIT_UNREADABLE)
    failing = "error" in levels or (strict and "warning" in levels)
    raise SystemExit(EXIT_FINDINGS if failing else EXIT_VALID)


@main.command(name="ping")
@_debug_option
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Further attempts when a hub cannot take a notification (no answer, 429, 5xx).",
)
@click.option(
    "--backoff",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds before the first retry; each further one waits twice as long.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to wait for a hub's answer.",
)
def ping_command(folder: Path | None, retries: int, backoff: float, timeout: float) -> None:
    """Tell the WebSub hubs of each feed in FOLDER  [default: ./public] that it changed.

    Run it after deploying: each feed that names its hubs, and whose bytes
    changed since the last ping, is notified to each of them once. Exits 0
    when every hub took every notification (or nothing changed), 9 when one
    did not; those are sent again by the next ping.
    """
    from feedpub.cache import default_cache_dir
    from feedpub.ping import ping, state_file, topics

    folder = folder or Path("public")
    if not folder.is_dir():
        click.echo(f"{folder}: error: no such folder; run feedpub build first", err=True)
        raise SystemExit(EXIT_USAGE)
    state = state_file(default_cache_dir(), folder)
    result = ping(topics(folder), state, retries=retries, backoff=backoff, timeout=timeout)
    for failure in result.failures:
        message = f"{failure.hub} did not take it: {failure.why}"
        click.echo(f"{failure.topic.path}: error: {message}", err=True)
    if not result.kept:
        warning = "cannot keep what was pinged; the next ping repeats it"
        click.echo(f"{state}: warning: {warning}", err=True)

    def paths(found: tuple[Topic, ...]) -> str:
        return ", ".join(str(topic.path) for topic in found) or "none"

    click.echo(f"notified: {paths(result.notified)}; unchanged: {paths(result.unchanged)}")
    raise SystemExit(EXIT_PING_FAILED if result.failures else EXIT_OK)


@main.command(name="serve")
@_debug_option
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--bind",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on, IPv4 or IPv6 (::1); 127.0.0.1 keeps the preview on this machine.",
)
def serve_command(folder: Path | None, port: int, bind: str) -> None:
    """Serve FOLDER  [default: ./public] for a feed reader to subscribe to.

    Feeds go out with their formats' media types, ETag and
    Last-Modified, and conditional requests get 304 Not Modified.
    Stop it with Ctrl-C.
    """
    from feedpub.outputs import file_names
    from feedpub.serve import make_server

    folder = folder or Path("public")
    if not folder.is_dir():
        click.echo(f"{folder}: error: no such folder; run feedpub build first", err=True)
        raise SystemExit(EXIT_USAGE)
    bind = bind.removeprefix("[").removesuffix("]")  # [::1], as in a URL, is ::1
    host = f"[{bind}]" if ":" in bind else bind
    try:
        server = make_server(folder, bind=bind, port=port)
    except OSError as error:
        click.echo(f"error: cannot listen on {host}:{port}: {error.strerror}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    url = f"http://{host}:{server.server_address[1]}/"
    click.echo(f"Serving {folder} at {url} ({file_names()}); Ctrl-C stops.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class ProgressBar:
    """Click's progress bar on stderr for the seeds being parsed, when asked for.

    The bar ends its line when parsing is done, and before any diagnostic printed
    while it is shown, so that each diagnostic starts a line of its own.
    """

    def __init__(self, *, enabled: bool, file: TextIO | None = None) -> None:
        self.enabled = enabled
        self._file = file
        self._bar: Any = None  # click's bar, made once the total is known
        self._done = 0

    def __enter__(self) -> ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        """Move the bar to ``done`` of ``total``; at ``total``, end its line."""
        if not self.enabled or total < 1000:
            return
        if self._bar is None:
            file = self._file or sys.stderr
            self._bar = click.progressbar(length=total, label="Parsing seeds", file=file)
            self._bar.__enter__()
            self._done = 0
        self._bar.update(done - self._done)
        self._done = done
        if done >= total:
            self.finish()

    def finish(self) -> None:
        """End the bar's line, if one is shown."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()


_EXIT_CODES: dict[type[FeedpubError], int] = {
    ConfigError: EXIT_USAGE,
    NothingToPublishError: EXIT_NOTHING_PUBLISHED,
    LockTimeoutError: EXIT_LOCKED,
    DropRefusedError: EXIT_DROP_REFUSED,
    IdChangeRefusedError: EXIT_ID_CHANGE_REFUSED,
    OutputError: EXIT_OUTPUT_FAILED,
}
