"""Round trips through real feed readers: what each shows must be what the seeds say.

The folder ``tests/data/seeds`` (every variation of the seed format, broken
files included) is built once; then feedparser (Python), newsboat (C++, from
Debian) and feedsmith (JavaScript) read the RSS and Atom feeds, reader (Python)
and feedsmith the JSON Feed, and every good article must come back with the
title, authors, UTC time (to the second), categories, link and paragraphs
recorded in its fixture. The JSON Feed must also pass the published JSON Feed 1.1
JSON Schema, and carry exactly what the Atom feed carries.

Authors are compared as a reader shows them, joined by ", ": RSS carries them
in one ``dc:creator``, Atom in one ``author`` each, JSON Feed in one ``authors``
member each; an article without a byline has the feed's author there.
"""

from __future__ import annotations

import calendar
import html
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from reader import make_reader

from feedpub.build import build
from feedpub.config import Config
from tests.conftest import BUNDLED_SEEDS, DATA, require

JS_READER = Path(__file__).resolve().parent / "js"
SEEDS = DATA / "seeds"
TITLE = "Reader test"
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class Item:
    """An entry as a reader shows it."""

    id: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    categories: tuple[str, ...] | None  # None: the reader does not keep categories
    link: str
    paragraphs: tuple[str, ...]


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._open = True
            self.paragraphs.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.paragraphs[-1] += data


def paragraphs(content: str) -> tuple[str, ...]:
    parser = _Paragraphs()
    parser.feed(content)
    parser.close()
    return tuple(parser.paragraphs)


def utc_second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def expected_items() -> dict[str, Item]:
    items = {}
    for path in sorted(SEEDS.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if "error" in case:
            continue
        credit = (case["credit"],) if case["credit"] else ()
        items[case["id"]] = Item(
            id=case["id"],
            title=case["title"],
            authors=tuple(case["authors"]),
            published=datetime.fromisoformat(case["published"]),
            categories=tuple(case["categories"]),
            link=f"https://example.com/articles/{case['key']}.html",
            paragraphs=tuple(case["paragraphs"]) + credit,
        )
    return items


def read_feedparser(path: Path, tmp_path: Path) -> list[Item]:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return [
        Item(
            id=entry.id,
            title=entry.title,
            authors=tuple(author.name for author in entry.get("authors", [])),
            published=datetime.fromtimestamp(calendar.timegm(entry.published_parsed), UTC),
            categories=tuple(tag.term for tag in entry.get("tags", [])),
            link=entry.link,
            paragraphs=paragraphs(entry.content[0].value),
        )
        for entry in feed.entries
    ]


def read_newsboat(path: Path, tmp_path: Path) -> list[Item]:
    require("newsboat", shutil.which("newsboat") is not None)
    urls, cache = tmp_path / "urls", tmp_path / "cache.db"
    urls.write_text(path.as_uri() + "\n", encoding="utf-8")
    subprocess.run(
        ["newsboat", "-u", str(urls), "-c", str(cache), "-x", "reload"],
        check=True,
        env={**os.environ, "HOME": str(tmp_path)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    with sqlite3.connect(cache) as db:
        rows = db.execute(
            "SELECT guid, title, author, pubDate, url, content FROM rss_item"
        ).fetchall()
    return [
        Item(
            id=guid,
            title=title,
            authors=tuple(author.split(", ")) if author else (),
            published=datetime.fromtimestamp(published, UTC),
            categories=None,
            link=url,
            paragraphs=paragraphs(content),
        )
        for guid, title, author, published, url, content in rows
    ]


def read_reader(path: Path, tmp_path: Path) -> list[Item]:
    """What the reader library shows, reading the file as a feed of its own; it keeps no
    categories of a JSON Feed item."""
    with make_reader(":memory:", feed_root=str(path.parent)) as library:
        library.add_feed(path.name)
        library.update_feeds()
        [feed] = library.get_feeds()
        assert feed.last_exception is None, feed.last_exception
        assert feed.version == "json11"
        return [
            Item(
                id=entry.id,
                title=entry.title or "",
                authors=tuple(author.name for author in entry.authors if author.name),
                published=entry.published or datetime.min.replace(tzinfo=UTC),
                categories=None,
                link=entry.link or "",
                paragraphs=paragraphs(entry.content[0].value),
            )
            for entry in library.get_entries()
        ]


def node(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one of the JavaScript tools in tests/js."""
    require("node", shutil.which("node") is not None)
    require("the JavaScript reader", (JS_READER / "node_modules").is_dir())
    return subprocess.run(
        ["node", str(JS_READER / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_javascript(path: Path, tmp_path: Path) -> list[Item]:
    ran = node("read.mjs", str(path))
    assert ran.returncode == 0, ran.stderr
    output = ran.stdout
    return [
        Item(
            id=item["id"],
            title=item["title"],
            authors=tuple(item["authors"]),
            published=datetime.fromisoformat(item["published"]),
            categories=tuple(item["categories"]),
            link=item["url"],
            paragraphs=paragraphs(item["content"]),
        )
        for item in json.loads(output)["items"]
    ]


READERS: dict[str, Callable[[Path, Path], list[Item]]] = {
    "feedparser": read_feedparser,
    "newsboat": read_newsboat,
    "reader": read_reader,
    "javascript": read_javascript,
}
#: Which readers read which file: feedparser 6 and newsboat 2.21 read no JSON Feed.
READS = [
    *[
        (reader, name)
        for name in ("rss.xml", "atom.xml")
        for reader in READERS
        if reader != "reader"
    ],
    *[(reader, "feed.json") for reader in ("reader", "javascript")],
]


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("public")
    config = Config(base_url="https://example.com/", title=TITLE, limit=1000, output=output)
    result = build(seeds=SEEDS, config=config)
    assert result.rejected > 0, "the folder should hold broken seeds too"
    return output


@pytest.mark.parametrize(("reader", "name"), READS)
def test_reader_shows_every_good_article(
    feeds: Path, tmp_path: Path, reader: str, name: str
) -> None:
    items = READERS[reader](feeds / name, tmp_path)
    expected = expected_items()
    assert sorted(item.id for item in items) == sorted(expected)
    for item in items:
        want = expected[item.id]
        assert item.title == want.title
        authors = want.authors or ((TITLE,) if name == "feed.json" else ())
        assert ", ".join(item.authors) == ", ".join(authors)
        assert utc_second(item.published) == utc_second(want.published)
        if item.categories is not None:
            assert item.categories == want.categories
        assert item.link == want.link
        assert item.paragraphs == want.paragraphs


def values_in(value: object) -> list[object]:
    """Every value in a JSON document, the containers too."""
    inner: list[object] = []
    if isinstance(value, dict):
        inner = list(value.values())
    elif isinstance(value, list):
        inner = list(value)
    return [value, *(found for item in inner for found in values_in(item))]


def alternate(element: etree._Element) -> str | None:
    """The href of an Atom feed's or entry's alternate link (rel left out, or given)."""
    for link in element.iterfind(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return link.get("href")
    return None


def test_the_json_feed_carries_exactly_what_the_atom_feed_carries(feeds: Path) -> None:
    """Same ids, titles, links, instants (to the microsecond), authors, categories,
    summaries and escaped HTML, entry by entry in the same order."""
    atom = etree.parse(feeds / "atom.xml").getroot()
    document = json.loads((feeds / "feed.json").read_bytes())
    assert document["title"] == atom.findtext(f"{ATOM}title")
    assert document["home_page_url"] == alternate(atom)
    assert [author["name"] for author in document["authors"]] == [
        name.text for name in atom.iterfind(f"{ATOM}author/{ATOM}name")
    ]
    entries = atom.findall(f"{ATOM}entry")
    assert len(document["items"]) == len(entries) == len(expected_items())
    assert next(iter(document)) == "version"
    assert not [value for value in values_in(document) if value is None or value in ([], {})]
    for item, entry in zip(document["items"], entries, strict=True):
        assert item["id"] == entry.findtext(f"{ATOM}id")
        assert item["title"] == entry.findtext(f"{ATOM}title")
        assert item["url"] == alternate(entry)
        for member, element in (("date_published", "published"), ("date_modified", "updated")):
            instant = datetime.fromisoformat(item[member])
            assert instant == datetime.fromisoformat(entry.findtext(f"{ATOM}{element}"))
            assert item[member].endswith("Z")
        names = [name.text for name in entry.iterfind(f"{ATOM}author/{ATOM}name")]
        assert [author["name"] for author in item["authors"]] == (names or [TITLE])
        terms = [category.get("term") for category in entry.iterfind(f"{ATOM}category")]
        assert item.get("tags", []) == terms
        summary = entry.find(f"{ATOM}summary")  # HTML there; plain text in JSON Feed
        assert summary is not None
        assert summary.get("type") == "html"
        assert item["summary"] == html.unescape(summary.text or "")
        assert item["content_html"] == entry.findtext(f"{ATOM}content")


@pytest.mark.parametrize("where", ["fixtures", "bundled"])
def test_the_json_feed_passes_the_published_json_schema(
    feeds: Path, tmp_path: Path, where: str
) -> None:
    if where == "bundled":
        config = Config(base_url="https://example.com/", output=tmp_path / "public")
        build(seeds=BUNDLED_SEEDS, config=config)
        feeds = config.output
    ran = node("schema.mjs", "jsonfeed", str(feeds / "feed.json"))
    assert (ran.returncode, json.loads(ran.stdout)) == (0, {str(feeds / "feed.json"): []})


def test_the_schema_check_rejects_what_the_schema_forbids() -> None:
    """The check is live: a date without a zone and a relative URL fail it, with formats."""
    invalid = Path(__file__).resolve().parent / "feeds" / "invalid"
    paths = [
        str(invalid / "jsonfeed-date--no-zone.json"),
        str(invalid / "jsonfeed-url--relative-item-url.json"),
    ]
    ran = node("schema.mjs", "jsonfeed", *paths)
    assert ran.returncode == 1
    errors = json.loads(ran.stdout)
    assert [[error["params"]["format"] for error in errors[path]] for path in paths] == [
        ["date-time"],
        ["uri"],
    ]
