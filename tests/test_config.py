"""Settings from files and flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from feedpub.config import (
    DEFAULT_LIMIT,
    Config,
    checked,
    key_line,
    load_config,
    section,
)
from feedpub.errors import ConfigError
from feedpub.settings_file import find_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_feedpub_toml_in_the_current_folder(tmp_path: Path) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://news.example.org"\nlimit = 5\n')
    config = load_config(None, {}, cwd=tmp_path)
    assert config == Config(
        base_url="https://news.example.org/",
        limit=5,
        seeds=tmp_path / "seeds",
        output=tmp_path / "public",
    )


def test_tool_table_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.feedpub]\ntitle = "T"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.title == "T"


def test_pyproject_without_a_tool_table_is_not_ours(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.title == "feedpub"


def test_feedpub_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.feedpub]\ntitle = "From pyproject"\n')
    write(tmp_path / "feedpub.toml", 'title = "From feedpub.toml"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.title == "From feedpub.toml"


def test_settings_are_found_in_a_parent_folder(tmp_path: Path) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://news.example.org"\n')
    below = tmp_path / "seeds" / "2022"
    below.mkdir(parents=True)
    write(below.parent / "pyproject.toml", '[project]\nname = "not ours"\n')
    assert find_settings(below) == below / ".." / ".." / "feedpub.toml"
    config = load_config(None, {}, cwd=below)
    assert config.base_url == "https://news.example.org/"
    # The default folders are beside the file found, not in the current folder.
    assert config.seeds.resolve() == tmp_path / "seeds"
    assert config.output.resolve() == tmp_path / "public"


def test_the_nearest_settings_file_wins(tmp_path: Path) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://far.example.org"\n')
    near = tmp_path / "site"
    near.mkdir()
    write(near / "pyproject.toml", '[tool.feedpub]\nbase_url = "https://near.example.org"\n')
    (near / "articles").mkdir()
    assert find_settings(near) == near / "pyproject.toml"
    assert find_settings(near / "articles") == near / "articles" / ".." / "pyproject.toml"
    assert load_config(None, {}, cwd=near).base_url == "https://near.example.org/"


def test_a_relative_folder_gives_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://news.example.org"\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert find_settings(Path()) == Path("../../feedpub.toml")
    assert load_config(None, {}, cwd=Path()).seeds == Path("../../seeds")


def test_no_settings_file_anywhere_up(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 99\n")
    if any((folder / "feedpub.toml").exists() for folder in tmp_path.parents):
        pytest.skip("a feedpub.toml above the temporary folder")
    assert find_settings(tmp_path) is None


def test_flags_override_the_file(tmp_path: Path) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://a.example/"\ntitle = "File"\n')
    config = load_config(None, {"title": "Flag", "limit": None}, cwd=tmp_path)
    assert (config.title, config.base_url, config.limit) == ("Flag", "https://a.example/", 50)


def test_paths_in_a_file_are_relative_to_the_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    config_file = write(site / "feedpub.toml", 'base_url = "https://e.example/"\noutput = "out"\n')
    config = load_config(config_file, {}, cwd=tmp_path)
    assert config.output == site / "out"
    assert config.seeds == site / "seeds"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'limit = "ten"\n',
            "feedpub.toml:2: limit: expected a whole number of at least 1, got 'ten'",
        ),
        (
            "limit = true\n",
            "feedpub.toml:2: limit: expected a whole number of at least 1, got True",
        ),
        ('language = "English"\n', "feedpub.toml:2: language: expected a language tag such as"),
        ("title = 3\n", "feedpub.toml:2: title: expected a string, got 3"),
        ('article_path = "/a/{key}"\n', "feedpub.toml:2: article_path: expected a relative path"),
        ('article_path = "a.html"\n', "feedpub.toml:2: article_path: expected a relative path"),
        ('article_path = "{key}/{slug}"\n', "feedpub.toml:2: article_path: expected only {key}"),
        (
            "[feeds]\nx = 1\n",
            "feedpub.toml:2: feeds: unknown setting (did you mean 'seeds'? expected one of: ",
        ),
        ("colour = 1\n", "feedpub.toml:2: colour: unknown setting (expected one of: "),
        (
            'base_ur = "https://example.com/"\n',
            "feedpub.toml:2: base_ur: unknown setting (did you mean 'base_url'? expected one of: ",
        ),
        ("limt = 5\n", "feedpub.toml:2: limt: unknown setting (did you mean 'limit'? expected "),
        ("title = \n", "feedpub.toml: not valid TOML: "),
        (
            'title = "a\\u000bb"\n',
            "feedpub.toml:2: title: expected text without control characters, got U+000B",
        ),
        (
            'description = "\\u0085"\n',
            "feedpub.toml:2: description: expected text without control characters, got U+0085",
        ),
        ('author = "\\u0000"\n', "feedpub.toml:2: author: expected text without control"),
        ('article_path = "{key}/{key.__class__}"\n', "feedpub.toml:2: article_path: expected only"),
        ('article_path = "{key}/{key!r}.html"\n', "feedpub.toml:2: article_path: expected only"),
        ('article_path = "{key}{key:>999999999}"\n', "feedpub.toml:2: article_path: expected only"),
        ('article_path = "{key}{"\n', "feedpub.toml:2: article_path: expected only"),
        (
            'article_path = "a b/{key}.html"\n',
            "feedpub.toml:2: article_path: character ' ' is not allowed in an IRI",
        ),
        ('output = "a\\u0000b"\n', "feedpub.toml:2: output: expected a folder's path"),
        ('seeds = " "\n', "feedpub.toml:2: seeds: expected a folder's path"),
        ("max_seed_size = 0\n", "feedpub.toml:2: max_seed_size: expected a number of bytes"),
        (
            "max_seed_size = 1900001\n",
            "feedpub.toml:2: max_seed_size: expected a number of bytes from 1 to 1,900,000",
        ),
        (
            'xml_stylesheet = "feed.html"\n',
            "feedpub.toml:2: xml_stylesheet: expected the URL of an .xsl or .css file",
        ),
        (
            'xml_stylesheet = "a b.xsl"\n',
            "feedpub.toml:2: xml_stylesheet: expected the URL of an .xsl or .css file",
        ),
        (
            'formats = "rss"\n',
            "feedpub.toml:2: formats: expected a list of formats such as "
            '["rss", "atom", "json", "html", "head"]',
        ),
        ("formats = []\n", "feedpub.toml:2: formats: expected a list of formats such as"),
        (
            'formats = ["rss", "jsonfeed"]\n',
            "feedpub.toml:2: formats: unknown format 'jsonfeed' (did you mean 'json'? "
            "expected one of: rss, atom, json, html, head)",
        ),
        ("formats = [1]\n", "feedpub.toml:2: formats: unknown format 1 (expected one of: "),
        (
            'formats = [["rss"]]\n',
            "feedpub.toml:2: formats: unknown format ['rss'] (expected one of: ",
        ),
        ('formats = ["atom", "atom"]\n', "feedpub.toml:2: formats: 'atom' is given twice"),
        (
            'file_names = "feed.xml"\n',
            'feedpub.toml:2: file_names: expected a table such as [file_names] rss = "feed.xml"',
        ),
        (
            '[file_names]\nrss = "feed.xml"\natomm = "atom.xml"\n',
            "feedpub.toml:4: file_names.atomm: unknown format 'atomm' (did you mean 'atom'?",
        ),
        (
            '[file_names]\nrss = "feeds/rss.xml"\n',
            "feedpub.toml:3: file_names.rss: expected a file name such as 'feed.xml'",
        ),
        ('[file_names]\nrss = ".rss"\n', "feedpub.toml:3: file_names.rss: expected a file name"),
        ('[file_names]\nrss = ".."\n', "feedpub.toml:3: file_names.rss: expected a file name"),
        ("[file_names]\nrss = 1\n", "feedpub.toml:3: file_names.rss: expected a file name"),
        (
            '[file_names]\nrss = "atom.xml"\n',
            "feedpub.toml:2: file_names: rss and atom would both write 'atom.xml'",
        ),
    ],
)
def test_bad_settings_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://example.com/"\n' + text)
    with pytest.raises(ConfigError) as caught:
        load_config(None, {}, cwd=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}/{message}")


def test_formats_and_file_names(tmp_path: Path) -> None:
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert [output.NAME for output in config.outputs] == ["rss", "atom", "json", "html", "head"]
    assert config.file_name("rss") == "rss.xml"
    write(
        tmp_path / "feedpub.toml",
        'base_url = "https://example.com/"\nformats = ["json", "atom"]\n'
        '[file_names]\natom = "feed.xml"\nrss = "atom.xml"\n',
    )
    config = load_config(None, {}, cwd=tmp_path)
    # The registry's order; a name for a format not written collides with none.
    assert [output.NAME for output in config.outputs] == ["atom", "json"]
    assert [config.file_name(name) for name in ("rss", "atom", "json")] == [
        "atom.xml",
        "feed.xml",
        "feed.json",
    ]


def test_article_path_placeholders(tmp_path: Path) -> None:
    config = load_config(
        None,
        {"base_url": "https://example.com/blog", "article_path": None},
        cwd=tmp_path,
    )
    assert config.base_url == "https://example.com/blog/"
    write(tmp_path / "feedpub.toml", 'article_path = "{year}/{month}/{day}/{key}/"\n')
    config = load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert config.article_path == "{year}/{month}/{day}/{key}/"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://exa mple.com/", "expected a host name of ASCII letters"),
        ("https://example.com:99999/", "expected an absolute http(s) URL"),
        ("https://example.com:0/", "expected a host name of ASCII letters"),
        ("https://[::1]/", "expected a host name of ASCII letters"),
        ("https://[::1/", "expected an absolute http(s) URL"),
        ("https://exämple.com/", "expected a host name of ASCII letters, digits, hyphens and"),
        ("https://user:secret@example.com/", "expected no user name or password"),
        ("https://example.com/a b/", "character ' ' is not allowed in an IRI"),
        ("https://example.com/100%/", "'%' must start a %XX escape"),
    ],
)
def test_a_base_url_no_feed_can_hold_names_the_line(tmp_path: Path, url: str, message: str) -> None:
    write(tmp_path / "feedpub.toml", f'title = "t"\nbase_url = "{url}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(None, {}, cwd=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}/feedpub.toml:2: base_url: {message}")


def test_a_settings_file_that_is_a_fifo_is_an_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feedpub.toml")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "feedpub.toml", {}, cwd=tmp_path)
    assert str(caught.value) == f"{tmp_path}/feedpub.toml: not a regular file"


@pytest.mark.parametrize(
    ("text", "path", "line"),
    [
        ('base_url = "x"\nlimti = 5\n', ("limti",), 2),
        # A quoted key, a dotted key, and a key after a multi-line string that mentions it.
        ('"limti" = 5\n', ("limti",), 1),
        ('a = """\nlimti = 5\n"""\nlimti = 6\n', ("limti",), 4),
        ("zones.XST = '+01:00'\n", ("zones", "XST"), 1),
        # A key in a table given twice as a header, and a key inside a multi-line array.
        ('[zones]\nIST = "+05:30"\n\n[zones2]\n', ("zones", "IST"), 2),
        ("x = [\n  1,\n  2,\n]\n\n[tool.feedpub]\nlimti = 1\n", ("tool", "feedpub", "limti"), 7),
        ("[tool.other]\nlimti = 1\n[tool.feedpub]\nlimti = 2\n", ("tool", "feedpub", "limti"), 4),
        ('zones = { IST = "+05:30" }\n', ("zones", "IST"), 1),
        ('base_url = "x"\n', ("limti",), None),
    ],
)
def test_the_line_of_a_key_is_the_toml_parsers(
    text: str, path: tuple[str, ...], line: int | None
) -> None:
    assert key_line(text, path) == line


def test_a_bad_key_after_a_string_that_mentions_it_is_found_on_its_own_line(
    tmp_path: Path,
) -> None:
    write(tmp_path / "feedpub.toml", 'description = """\nlimit = 5\n"""\nlimit = 0\n')
    with pytest.raises(ConfigError) as raised:
        load_config(None, {"base_url": "https://example.com/"}, cwd=tmp_path)
    assert raised.value.line == 4


def test_finding_a_line_in_a_huge_file_gives_up_rather_than_take_long() -> None:
    text = 'a = """\n' + "x\n" * 400_000 + '"""\nlimti = 1\n'
    assert key_line(text, ("limti",)) is None


def positive(key: str, value: object, source: Any, base: Path) -> object:
    """A setting's check, as a section's fields declare them: a whole number above 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise source.error(key, f"expected a whole number of at least 1, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class TermFeeds:
    limit: int = field(default=10, metadata=checked(positive))
    depth: int = field(default=1, metadata=checked(positive))


@dataclass(frozen=True, slots=True)
class Feeds:
    category: TermFeeds = field(default=TermFeeds(), metadata=checked(section(TermFeeds)))


@dataclass(frozen=True, slots=True)
class SiteWithSections(Config):
    """Settings with nested tables, as [pages] and [feeds.category] would be declared."""

    pages: TermFeeds = field(default=TermFeeds(), metadata=checked(section(TermFeeds)))
    feeds: Feeds = field(default=Feeds(), metadata=checked(section(Feeds)))


def test_nested_tables_are_read_and_checked_as_declared(tmp_path: Path) -> None:
    write(
        tmp_path / "feedpub.toml",
        'base_url = "https://example.com/"\n[pages]\nlimit = 3\n[feeds.category]\ndepth = 2\n',
    )
    config = load_config(None, {}, cwd=tmp_path, schema=SiteWithSections)
    assert isinstance(config, SiteWithSections)
    assert config.pages == TermFeeds(limit=3)
    assert config.feeds == Feeds(category=TermFeeds(depth=2))
    assert config.limit == DEFAULT_LIMIT


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[feeds.category]\ndepth = 2\nlimt = 5\n",
            "feedpub.toml:4: feeds.category.limt: unknown setting (did you mean 'limit'? "
            "expected one of: limit, depth)",
        ),
        ("[pages]\nlimit = 0\n", "feedpub.toml:3: pages.limit: expected a whole number"),
        ('pages = "all"\n', "feedpub.toml:2: pages: expected a table of settings, [pages]"),
        ("[feeds]\ncategory = 3\n", "feedpub.toml:3: feeds.category: expected a table"),
    ],
)
def test_a_bad_nested_setting_names_its_tables_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    write(tmp_path / "feedpub.toml", 'base_url = "https://example.com/"\n' + text)
    with pytest.raises(ConfigError) as raised:
        load_config(None, {}, cwd=tmp_path, schema=SiteWithSections)
    assert str(raised.value).startswith(
        message.replace("feedpub.toml", str(tmp_path / "feedpub.toml"))
    )


def test_a_nested_table_in_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.feedpub]\nbase_url = "https://example.com/"\n\n[tool.feedpub.pages]\nlimt = 1\n',
    )
    with pytest.raises(ConfigError) as raised:
        load_config(None, {}, cwd=tmp_path, schema=SiteWithSections)
    assert (raised.value.line, raised.value.message.split(":")[0]) == (5, "pages.limt")
