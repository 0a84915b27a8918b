"""Round trips through real feed readers: what each shows must be what the seeds say.

The folder ``tests/data/seeds`` (every variation of the seed format, broken
files included) is built once; then feedparser (Python), newsboat (C++, from
Debian) and feedsmith (JavaScript) read both feeds, and every good article must
come back with the title, authors, UTC time (to the second), categories, link
and paragraphs recorded in its fixture.

Authors are compared as a reader shows them, joined by ", ": RSS carries them
in one ``dc:creator`` and Atom in one ``author`` each.
"""

from __future__ import annotations

import calendar
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

from feedpub.build import build
from feedpub.config import Config
from tests.conftest import DATA, require

JS_READER = Path(__file__).resolve().parent / "js"
SEEDS = DATA / "seeds"


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


def read_javascript(path: Path, tmp_path: Path) -> list[Item]:
    require("node", shutil.which("node") is not None)
    require("the JavaScript reader", (JS_READER / "node_modules").is_dir())
    output = subprocess.run(
        ["node", str(JS_READER / "read.mjs"), str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
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
    "javascript": read_javascript,
}


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("public")
    config = Config(base_url="https://example.com/", title="Reader test", limit=1000, output=output)
    result = build(seeds=SEEDS, config=config)
    assert result.rejected > 0, "the folder should hold broken seeds too"
    return output


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("reader", READERS)
def test_reader_shows_every_good_article(
    feeds: Path, tmp_path: Path, reader: str, fmt: str
) -> None:
    items = READERS[reader](feeds / f"{fmt}.xml", tmp_path)
    expected = expected_items()
    assert sorted(item.id for item in items) == sorted(expected)
    for item in items:
        want = expected[item.id]
        assert item.title == want.title
        assert ", ".join(item.authors) == ", ".join(want.authors)
        assert utc_second(item.published) == utc_second(want.published)
        if item.categories is not None:
            assert item.categories == want.categories
        assert item.link == want.link
        assert item.paragraphs == want.paragraphs
