"""Settings: ``feedpub.toml`` or ``[tool.feedpub]`` in ``pyproject.toml``, then flags.

Every value, from a file or a flag, goes through the same checks, so an unknown
key or a bad value is reported the same way wherever it came from.
"""

from __future__ import annotations

import difflib
import os
import re
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from feedpub.errors import ConfigError
from feedpub.identity import article_url
from feedpub.settings_file import PYPROJECT, find_settings
from feedpub.settings_file import parse as _parse
from feedpub.validate.values import iri

if TYPE_CHECKING:
    from feedpub.outputs import Output

DEFAULT_LIMIT = 50
DEFAULT_LOCK_TIMEOUT = 60.0
DEFAULT_MAX_SEED_SIZE = 1024 * 1024
#: The largest max_seed_size: HTML-escaped, a seed's text can grow fivefold ("&" is
#: "&amp;"), and XML parsers (libxml2, under lxml and many readers) take at most
#: 10,000,000 bytes in one text node; this leaves room for the markup around it.
MAX_SEED_SIZE_CEILING = 1_900_000

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# What XML 1.0 forbids, and C1 controls, which no reader shows: never in a setting's text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Entry ids are tag: URIs (RFC 4151), whose authority is a DNS name.
_DNS_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")
_ARTICLE_FIELDS = frozenset({"key", "year", "month", "day"})
# A feed's file name: one URL-safe path segment, not hidden (serve hides dotfiles, and a
# build's temporary files begin with a dot).
_FILE_NAME = re.compile(r"^(?!\.)[A-Za-z0-9._-]{1,100}$")
#: A settings file larger than this is not one.
T = TypeVar("T")


Check = Callable[[str, object, "_Source", Path], object]
"""How a setting is checked: its key, its value, where it came from and the folder
relative paths start from; it returns the value as :class:`Config` holds it."""


def checked(check: Check) -> dict[str, Check]:
    """The metadata of a setting's field, in :class:`Config` or in a :func:`section` of
    it: the check of its value."""
    return {"check": check}


def _whole_number(key: str, value: object, source: _Source, base: Path) -> object:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise source.error(key, f"expected a whole number of at least 1, got {value!r}")
    return value


def _seed_size(key: str, value: object, source: _Source, base: Path) -> object:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_SEED_SIZE_CEILING
    ):
        raise source.error(
            key, f"expected a number of bytes from 1 to {MAX_SEED_SIZE_CEILING:,}, got {value!r}"
        )
    return value


def _number(upper: float, expected: str) -> Check:
    def check(key: str, value: object, source: _Source, base: Path) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= upper:
            raise source.error(key, f"expected {expected}, got {value!r}")
        return float(value)

    return check


def _folder(key: str, value: object, source: _Source, base: Path) -> object:
    if not isinstance(value, str | Path):
        raise source.error(key, f"expected a string, got {value!r}")
    if "\0" in str(value) or not str(value).strip():
        raise source.error(key, f"expected a folder's path, got {value!r}")
    return base / value


def _file(key: str, value: object, source: _Source, base: Path) -> object:
    if not isinstance(value, str | Path):
        raise source.error(key, f"expected a string, got {value!r}")
    if "\0" in str(value) or not str(value).strip() or str(value).endswith(("/", os.sep)):
        raise source.error(key, f"expected a file's path, got {value!r}")
    return base / value


def _text(then: Callable[[str, str, _Source], object] | None = None) -> Check:
    """A string without control characters, stripped; ``then`` checks it further."""

    def check(key: str, value: object, source: _Source, base: Path) -> object:
        if not isinstance(value, str):
            raise source.error(key, f"expected a string, got {value!r}")
        control = _CONTROL.search(value)
        if control is not None:
            raise source.error(
                key, f"expected text without control characters, got U+{ord(control[0]):04X}"
            )
        return value.strip() if then is None else then(key, value, source)

    return check


def _language(key: str, value: str, source: _Source) -> object:
    if not _LANGUAGE.match(value):
        raise source.error(key, f"expected a language tag such as 'en' or 'en-US', got {value!r}")
    return value.strip()


def _title(key: str, value: str, source: _Source) -> object:
    if not value.strip():
        raise source.error(key, "expected a non-empty title")
    return value.strip()


def _pattern(key: str, value: str, source: _Source) -> object:
    if not value.strip() or "/" in value:
        raise source.error(key, f"expected a file name pattern such as '*.txt', got {value!r}")
    return value.strip()


def _base_url(key: str, value: str, source: _Source) -> object:
    return _check_base_url(value, source)


def _timezone(key: str, value: str, source: _Source) -> object:
    return _check_timezone(value.strip(), source)


def _hubs(key: str, value: object, source: _Source, base: Path) -> object:
    if not isinstance(value, list | tuple) or not all(isinstance(hub, str) for hub in value):
        raise source.error(
            key, f'expected a list of hub URLs such as ["https://hub.example.com/"], got {value!r}'
        )
    hubs = [hub.strip() for hub in value]
    for hub in hubs:
        scheme = urlsplit(hub).scheme if iri(hub, absolute=True) is None else ""
        if scheme not in ("http", "https"):
            raise source.error(key, f"expected an absolute http(s) URL, got {hub!r}")
    return _once(key, hubs, source)


def _once(key: str, values: list[str], source: _Source) -> tuple[str, ...]:
    """``values``, refused when one of them is given twice."""
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise source.error(key, f"{repeated[0]!r} is given twice")
    return tuple(values)


def _stylesheet(key: str, value: str, source: _Source) -> object:
    href = value.strip()
    problem = iri(href, absolute=False) if href else None
    if problem is not None or not href.lower().endswith((".xsl", ".xslt", ".css")):
        raise source.error(
            key, f"expected the URL of an .xsl or .css file, such as 'feed.xsl', got {value!r}"
        )
    return href


def _zones(key: str, value: object, source: _Source, base: Path) -> object:
    return _check_zones(value, source)


def _outputs() -> dict[str, Output]:
    """The outputs' registry, imported when a setting needs it: ``feedpub validate``
    reads its settings table without paying for the outputs."""
    from feedpub.outputs import OUTPUTS

    return OUTPUTS


def _unknown_format(name: object) -> str:
    OUTPUTS = _outputs()  # noqa: N806 - the registry, by its name
    close = difflib.get_close_matches(name, OUTPUTS, n=1) if isinstance(name, str) else []
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown format {name!r} ({hint}expected one of: {', '.join(OUTPUTS)})"


def _formats(key: str, value: object, source: _Source, base: Path) -> object:
    OUTPUTS = _outputs()  # noqa: N806 - the registry, by its name
    example = "[" + ", ".join(f'"{name}"' for name in OUTPUTS) + "]"
    if not isinstance(value, list | tuple) or not value:
        raise source.error(key, f"expected a list of formats such as {example}, got {value!r}")
    for name in value:
        if not isinstance(name, str) or name not in OUTPUTS:
            raise source.error(key, _unknown_format(name))
    given = _once(key, list(value), source)
    return tuple(name for name in OUTPUTS if name in given)


def _file_names(key: str, value: object, source: _Source, base: Path) -> object:
    OUTPUTS = _outputs()  # noqa: N806 - the registry, by its name
    if not isinstance(value, dict):
        raise source.error(key, f'expected a table such as [{key}] rss = "feed.xml", got {value!r}')
    for name, file_name in value.items():
        if name not in OUTPUTS:
            raise source.entry_error(key, name, _unknown_format(name))
        if not isinstance(file_name, str) or not _FILE_NAME.match(file_name):
            raise source.entry_error(
                key,
                name,
                "expected a file name such as 'feed.xml' (letters, digits, '.', '_' and '-', "
                f"not beginning with '.'), got {file_name!r}",
            )
    return tuple(sorted(value.items()))


def _settings_of(schema: type) -> dict[str, Check]:
    """The settings a dataclass declares, by name, each with its check."""
    return {setting.name: setting.metadata["check"] for setting in fields(schema)}


def section(schema: type[T]) -> Check:
    """The check of a setting that is a table of settings of its own, such as
    ``[categories]``: a dataclass ``schema`` declares them as
    :class:`Config` declares its own (fields with :func:`checked` metadata), and each is
    checked by its own check, where it stands in the file."""
    settings = _settings_of(schema)

    def check(key: str, value: object, source: _Source, base: Path) -> object:
        if not isinstance(value, dict):
            raise source.error(key, f"expected a table of settings, [{key}], got {value!r}")
        inner = source.within(key)
        _refuse_unknown(value, settings, inner)
        return schema(
            **{name: settings[name](name, item, inner, base) for name, item in value.items()}
        )

    return check


def _refuse_unknown(
    table: Mapping[str, object], settings: Mapping[str, Check], source: _Source
) -> None:
    """A :class:`ConfigError` for the first key of ``table`` that is not a setting, with
    the setting most like it."""
    for key in table:
        if key not in settings:
            close = difflib.get_close_matches(key, settings, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            expected = ", ".join(settings)
            raise source.error(key, f"unknown setting ({hint}expected one of: {expected})")


# A folder below the output: URL-safe segments, none of them hidden, "." or "..".
_FOLDER = re.compile(r"^(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/(?!\.)[A-Za-z0-9._-]+)*$")


def _feed_folder(key: str, value: str, source: _Source) -> object:
    folder = value.strip()
    if not _FOLDER.match(folder):
        raise source.error(
            key,
            "expected a folder below the output such as 'categories' (letters, digits, '.', "
            f"'_' and '-' in segments joined by '/', none beginning with '.'), got {value!r}",
        )
    return folder


@dataclass(frozen=True, slots=True)
class GroupFeeds:
    """The settings of a feed per category (``[categories]``) or per author
    (``[authors]``); the table's presence turns them on."""

    folder: str = field(default="", metadata=checked(_text(_feed_folder)))
    """Where the feeds go below the output folder, one folder per slug; empty: the
    table's own name."""
    limit: int | None = field(default=None, metadata=checked(_whole_number))
    """How many of the newest articles each feed holds; None: the site's ``limit``."""


def _rule_names(key: str, value: object, source: _Source, base: Path) -> object:
    from feedpub.validate.selection import codes_named

    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise source.error(key, f"expected a list of rule codes, got {value!r}")
    for name in value:
        try:
            codes_named(name)
        except ValueError as error:
            raise source.error(key, str(error)) from None
    return tuple(name.strip() for name in value)


@dataclass(frozen=True, slots=True)
class ValidateSettings:
    """What ``feedpub validate`` reports (``[validate]``): see
    :class:`feedpub.validate.selection.RuleSelection`, whose flags override these."""

    select: tuple[str, ...] | None = field(default=None, metadata=checked(_rule_names))
    """The rules to report, by code or prefix; None: every one."""
    ignore: tuple[str, ...] = field(default=(), metadata=checked(_rule_names))
    """Rules not to report."""
    warn_as_error: tuple[str, ...] = field(default=(), metadata=checked(_rule_names))
    """Rules whose warnings are errors."""


#: How archive documents split the entries: by the UTC year, month, ISO week or day.
PERIODS = ("year", "month", "week", "day")


def _period(key: str, value: str, source: _Source) -> object:
    period = value.strip()
    if period not in PERIODS:
        raise source.error(key, f"expected one of {', '.join(PERIODS)}, got {value!r}")
    return period


@dataclass(frozen=True, slots=True)
class ArchiveFeeds:
    """The settings of RFC 5005 archived feeds (``[archive]``); the table's presence
    turns them on."""

    folder: str = field(default="archive", metadata=checked(_text(_feed_folder)))
    """Where the archive documents go below the output folder, one folder per period."""
    period: str = field(default="month", metadata=checked(_text(_period)))
    """What one archive document holds: a ``year``, ``month``, ISO ``week`` or ``day``
    of the entries' UTC publication times."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a build needs besides the seeds: the settings, each declared once here,
    with the check its value gets wherever it comes from (a file or a flag)."""

    base_url: str = field(metadata=checked(_text(_base_url)))
    """Absolute http(s) URL of the site, ending in ``/``; feeds live at its root."""
    title: str = field(default="feedpub", metadata=checked(_text(_title)))
    """The feed's title."""
    description: str = field(default="", metadata=checked(_text()))
    """RSS description and Atom subtitle; the title when empty."""
    language: str = field(default="en", metadata=checked(_text(_language)))
    """Language tag of the articles, such as ``en`` or ``en-US``."""
    author: str = field(default="", metadata=checked(_text()))
    """Atom feed-level author for articles without a byline; the title when empty."""
    limit: int = field(default=DEFAULT_LIMIT, metadata=checked(_whole_number))
    """How many of the newest articles go into the feeds."""
    article_path: str = field(default="articles/{key}.html", metadata=checked(_text()))
    """Path of an article's page below ``base_url``; see :func:`article_url`."""
    seeds: Path = field(default=Path("seeds"), metadata=checked(_folder))
    """The seeds folder used when the command line names none."""
    output: Path = field(default=Path("public"), metadata=checked(_folder))
    """Where the feeds are written."""
    pattern: str = field(default="*.txt", metadata=checked(_text(_pattern)))
    """Which file names in the seeds folder are seeds (a glob)."""
    max_drop: float = field(default=0.5, metadata=checked(_number(1, "a share from 0 to 1")))
    """The largest share of published entries a build may drop without ``--force``."""
    max_id_change: float = field(default=0.01, metadata=checked(_number(1, "a share from 0 to 1")))
    """The largest share of published articles whose ids a build may change without
    ``--allow-id-change``."""
    ledger: Path | None = field(default=None, metadata=checked(_file))
    """The id ledger's file; None: beside the output folder (see
    :func:`feedpub.ledger.ledger_file`)."""
    tombstone_days: int = field(default=30, metadata=checked(_whole_number))
    """How many days a deleted article's tombstone stays in the Atom feed, counted back
    from the newest time the feed holds."""
    lock_timeout: float = field(
        default=DEFAULT_LOCK_TIMEOUT,
        metadata=checked(_number(float("inf"), "a number of seconds")),
    )
    """How long, in seconds, a build waits for another one to finish."""
    max_seed_size: int = field(default=DEFAULT_MAX_SEED_SIZE, metadata=checked(_seed_size))
    """The largest seed file read, in bytes; a larger one is rejected."""
    zones: tuple[tuple[str, int], ...] = field(default=(), metadata=checked(_zones))
    """The site's time zone abbreviations (upper case) and their offsets in minutes,
    added to the built-in table or overriding it."""
    timezone: str = field(default="", metadata=checked(_text(_timezone)))
    """The IANA zone of bylines that name none; empty: such a byline is an error."""
    formats: tuple[str, ...] | None = field(default=None, metadata=checked(_formats))
    """The outputs a build writes, by name, in the registry's order; None: every one."""
    file_names: tuple[tuple[str, str], ...] = field(default=(), metadata=checked(_file_names))
    """Output names and the file each writes instead of its own, such as ``index.xml``."""
    hubs: tuple[str, ...] = field(default=(), metadata=checked(_hubs))
    """WebSub hubs that every feed names, in every format, for readers to subscribe to
    for pushed updates."""
    xml_stylesheet: str = field(default="", metadata=checked(_text(_stylesheet)))
    """An ``<?xml-stylesheet?>`` for the RSS and Atom feeds, such as ``feed.xsl``, for
    browsers that open a feed; empty: none."""
    categories: GroupFeeds | None = field(default=None, metadata=checked(section(GroupFeeds)))
    """A feed per category, when set."""
    authors: GroupFeeds | None = field(default=None, metadata=checked(section(GroupFeeds)))
    """A feed per author, when set."""
    validate: ValidateSettings = field(
        default=ValidateSettings(), metadata=checked(section(ValidateSettings))
    )
    """What ``feedpub validate`` reports (it reads this table alone; see
    :func:`load_validate_settings`)."""
    archive: ArchiveFeeds | None = field(default=None, metadata=checked(section(ArchiveFeeds)))
    """RFC 5005 archived feeds, when set: the site's feed holds the newest period's
    entries, and archive documents the others."""

    @property
    def feed_description(self) -> str:
        """The description actually published."""
        return self.description or self.title

    @property
    def feed_author(self) -> str:
        """The feed-level author actually published."""
        return self.author or self.title

    @property
    def outputs(self) -> tuple[Output, ...]:
        """The outputs a build writes, in the order it writes and reports them."""
        if self.formats is None:
            return tuple(_outputs().values())
        return tuple(_outputs()[name] for name in self.formats)

    def group_folder(self, kind: str) -> str | None:
        """Where the feeds per ``kind`` (``categories`` or ``authors``) go below the
        output folder; None when there are none."""
        settings: GroupFeeds | None = getattr(self, kind)
        return None if settings is None else settings.folder or kind

    def file_name(self, output: str) -> str:
        """The file the output named ``output`` writes for each feed."""
        return dict(self.file_names).get(output, _outputs()[output].FILE_NAME)


_ABBREVIATION = re.compile(r"^[A-Za-z]{1,10}$")


@dataclass(frozen=True, slots=True)
class _Source:
    """Where a value came from, for error messages."""

    path: Path | None
    text: str
    table: str | None
    prefix: str = ""
    """What messages put before a key: the tables it is in, within the settings."""

    def within(self, table: str) -> _Source:
        """Where the settings of the sub-table ``table`` came from."""
        inner = f"{self.table}.{table}" if self.table else table
        return _Source(self.path, self.text, inner, f"{self.prefix}{table}.")

    def line_of(self, key: str) -> int | None:
        """The line that defines ``key`` in the settings' table, as the TOML parser reads
        the file (:func:`key_line`)."""
        if self.path is None:
            return None
        return key_line(self.text, (*self.table.split("."), key) if self.table else (key,))

    def error(self, key: str, message: str) -> ConfigError:
        if self.path is None:
            return ConfigError(f"--{key.replace('_', '-')}: {message}")
        return ConfigError(f"{self.prefix}{key}: {message}", path=self.path, line=self.line_of(key))

    def entry_error(self, table: str, entry: str, message: str) -> ConfigError:
        """An error about ``entry`` in the settings' sub-table ``table``."""
        inner = self.within(table)
        line = inner.line_of(entry) if self.path is not None else None
        return ConfigError(
            f"{inner.prefix}{entry}: {message}", path=self.path, line=line or self.line_of(table)
        )


_NO_FILE = _Source(None, "", None)

#: How much text :func:`key_line` parses in all, at most, so that a huge file costs little.
_KEY_LINE_BUDGET = 4_000_000


def key_line(text: str, path: tuple[str, ...]) -> int | None:
    """The line of the TOML document ``text`` where the key at ``path`` (table names, then
    the key) is defined; None when it cannot be told.

    tomllib keeps no positions, so the parser itself is asked: the key's line ends the
    shortest run of the document's first lines that parses and holds the key (searched
    by halving), and it starts after the longest shorter run that parses. A run cut
    inside a construct of several lines (a multi-line string or array) does not parse,
    so each run is taken back to the last one that does.
    """
    lines = text.splitlines(keepends=True)
    budget = _KEY_LINE_BUDGET

    def parsed(count: int) -> tuple[int, dict[str, object]]:
        """The longest run of at most ``count`` first lines that parses, and its document."""
        nonlocal budget
        while count > 0 and budget > 0:
            run = "".join(lines[:count])
            budget -= len(run) + 1
            try:
                return count, tomllib.loads(run)
            except tomllib.TOMLDecodeError:
                count -= 1
        return 0, {}

    def holds(document: object) -> bool:
        for name in path:
            if isinstance(document, list):  # an array of tables: the last one is being read
                document = document[-1] if document else {}
            if not isinstance(document, dict) or name not in document:
                return False
            document = document[name]
        return True

    low, high = 1, len(lines)
    if not holds(parsed(high)[1]):
        return None
    while low < high:  # the shortest run of first lines that holds the key
        middle = (low + high) // 2
        if holds(parsed(middle)[1]):
            high = middle
        else:
            low = middle + 1
    start = parsed(low - 1)[0] + 1
    return start if budget > 0 else None


def load_config(
    config_file: Path | None,
    overrides: Mapping[str, object],
    *,
    cwd: Path,
    schema: type[Config] | None = None,
) -> Config:
    """Read settings from ``config_file`` (or the one :func:`find_settings` finds from
    ``cwd``), then apply ``overrides``.

    ``overrides`` maps setting names to flag values; None means the flag was not given.
    Relative paths stay relative, so messages name files as the user would. ``schema``
    is :class:`Config`, or a dataclass derived from it that declares more settings.
    """
    schema = schema or Config
    settings = _settings_of(schema)
    path = config_file if config_file is not None else find_settings(cwd)
    file_values, source = _read_file(path, settings) if path is not None else ({}, _NO_FILE)
    # Paths in a settings file, and the default folders, are relative to the file.
    base = source.path.parent if source.path else cwd
    values: dict[str, object] = {"seeds": base / "seeds", "output": base / "public"}
    for key, value in file_values.items():
        values[key] = settings[key](key, value, source, base)
    for key, value in overrides.items():
        if value is not None:
            values[key] = settings[key](key, value, _NO_FILE, cwd)
    if "base_url" not in values:
        raise ConfigError(
            "no base URL: set base_url in feedpub.toml or pass --base-url", path=source.path
        )
    config = schema(**values)  # type: ignore[arg-type]
    _check_article_path(config, source if "article_path" in file_values else _NO_FILE)
    _check_file_names(config, source)
    _check_group_folders(config, source)
    return config


def load_validate_settings(path: Path) -> ValidateSettings:
    """The ``[validate]`` table of the settings file ``path``, checked; the defaults
    when there is none. The file's other settings are not needed, so a file without
    ``base_url`` will do."""
    settings = _settings_of(Config)
    values, source = _read_file(path, settings)
    if "validate" not in values:
        return ValidateSettings()
    checked_value = settings["validate"]("validate", values["validate"], source, path.parent)
    assert isinstance(checked_value, ValidateSettings)
    return checked_value


def _read_file(path: Path, settings: Mapping[str, Check]) -> tuple[dict[str, object], _Source]:
    data, text = _parse(path)
    table = "tool.feedpub" if path.name == PYPROJECT else None
    if table is not None:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "feedpub" not in tool:
            raise ConfigError("expected a [tool.feedpub] table", path=path)
        data = tool["feedpub"]
    source = _Source(path, text, table)
    if not isinstance(data, dict):
        raise ConfigError("expected a table of settings", path=path)
    _refuse_unknown(data, settings, source)
    return data, source


def _check_zones(value: object, source: _Source) -> tuple[tuple[str, int], ...]:
    """A ``[zones]`` table: abbreviations and the offsets the site means by them."""
    if not isinstance(value, dict):
        raise source.error(
            "zones", f'expected a table such as [zones] IST = "+05:30", got {value!r}'
        )
    from feedpub.zones import ZoneError, format_offset, offset_minutes

    zones: dict[str, int] = {}
    for name, offset in value.items():
        if not _ABBREVIATION.match(name):
            raise source.entry_error(
                "zones", name, "expected an abbreviation of up to 10 ASCII letters"
            )
        try:
            minutes = offset_minutes(offset) if isinstance(offset, str) else None
        except ZoneError as error:
            raise source.entry_error("zones", name, str(error)) from None
        if minutes is None:
            raise source.entry_error(
                "zones", name, f'expected an offset such as "+05:30" or "-03:00", got {offset!r}'
            )
        if zones.get(name.upper(), minutes) != minutes:
            raise source.entry_error(
                "zones",
                name,
                f"given twice, as {format_offset(zones[name.upper()])} and "
                f"{format_offset(minutes)} (abbreviations are read in any case)",
            )
        zones[name.upper()] = minutes
    return tuple(sorted(zones.items()))


def _check_timezone(value: str, source: _Source) -> str:
    from feedpub.zones import iana_names, iana_zone

    if iana_zone(value) is not None:
        return value
    close = difflib.get_close_matches(value, iana_names(), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise source.error(
        "timezone", f"unknown IANA time zone {value!r} ({hint}expected one such as 'Asia/Kolkata')"
    )


def _check_base_url(value: str, source: _Source) -> str:
    expected = f"expected an absolute http(s) URL such as https://example.com/, got {value!r}"
    try:
        parts = urlsplit(value.strip())
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise source.error("base_url", expected) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise source.error("base_url", expected)
    if parts.username is not None or parts.password is not None:
        raise source.error("base_url", "expected no user name or password: feeds are public")
    if not port_ok or not _DNS_NAME.match(parts.hostname):
        raise source.error(
            "base_url",
            "expected a host name of ASCII letters, digits, hyphens and dots (punycode for "
            f"others) and a port from 1 to 65535, got {value!r}: entry ids are tag: URIs "
            "under the host",
        )
    url = parts.geturl()
    url = url if url.endswith("/") else url + "/"
    problem = iri(url, absolute=True)
    if problem is not None:
        raise source.error("base_url", problem)
    return url


def _check_group_folders(config: Config, source: _Source) -> None:
    """The per-category and per-author feeds and the archives each need a folder of
    their own."""
    folders = {
        "categories": config.group_folder("categories"),
        "authors": config.group_folder("authors"),
        "archive": None if config.archive is None else config.archive.folder,
    }
    files = {config.file_name(output.NAME) for output in config.outputs}
    for kind, folder in folders.items():
        first = None if folder is None else folder.split("/")[0]
        if first in files:
            raise source.error(kind, f"{folder!r} is in {first!r}, a file the build writes")
    named = [(kind, folder) for kind, folder in folders.items() if folder is not None]
    nouns = {"categories": "per category", "authors": "per author", "archive": "of the archive"}
    for index, (kind, folder) in enumerate(named):
        for other, theirs in named[:index]:
            if (folder + "/").startswith(theirs + "/") or (theirs + "/").startswith(folder + "/"):
                raise source.error(
                    kind,
                    f"the feeds {nouns[kind]} ({folder!r}) and {nouns[other]} ({theirs!r}) "
                    "need folders apart: neither may be in the other",
                )


def _check_file_names(config: Config, source: _Source) -> None:
    """Two outputs a build writes must not write the same file."""
    writers: dict[str, str] = {}
    for output in config.outputs:
        name = config.file_name(output.NAME)
        if name in writers:
            raise source.error(
                "file_names",
                f"{writers[name]} and {output.NAME} would both write {name!r}"
                ": give one of them another name",
            )
        writers[name] = output.NAME


def _check_article_path(config: Config, source: _Source) -> None:
    pattern = config.article_path
    if pattern.startswith("/") or "://" in pattern or "{key}" not in pattern:
        raise source.error(
            "article_path", f"expected a relative path containing {{key}}, got {pattern!r}"
        )
    only = f"expected only {{key}}, {{year}}, {{month}} and {{day}} in {pattern!r}"
    try:
        fields = list(string.Formatter().parse(pattern))
    except ValueError:
        raise source.error("article_path", only) from None
    for _, name, spec, conversion in fields:
        # Nothing but a plain field: "{key.__class__}" or "{key:>99999999}" would let the
        # path reach into Python's objects or memory.
        if name is not None and (name not in _ARTICLE_FIELDS or spec or conversion):
            raise source.error("article_path", only)
    url = article_url(config.base_url, pattern, key="k", day=date(2000, 1, 1))
    problem = iri(url, absolute=True)
    if problem is not None:
        raise source.error("article_path", problem)
