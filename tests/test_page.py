"""The HTML page and head snippet: what they show, checked against the Atom feed, by the
Nu Html Checker, and in a real browser (headless Chromium) loading them from serve."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from feedpub.build import build
from feedpub.config import Config, GroupFeeds
from feedpub.validate import validate
from tests.conftest import BUNDLED_SEEDS, DATA, require

ATOM = "{http://www.w3.org/2005/Atom}"
VNU = (
    Path(__file__).resolve().parent
    / "js"
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)
FEED_TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # root in CI has no user namespace to sandbox in
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium keeps calling out to Google, which a closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def with_groups(config: Config) -> Config:
    return dataclasses.replace(config, categories=GroupFeeds(), authors=GroupFeeds())


@pytest.fixture
def built(config: Config) -> Config:
    """The fixture folder, with a feed per category and per author."""
    config = with_groups(dataclasses.replace(config, limit=100))
    build(seeds=DATA / "seeds", config=config)
    return config


def page_of(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(path.read_text(encoding="utf-8"))


def alternates(page: lxml_html.HtmlElement) -> list[tuple[str, str, str]]:
    return [
        (link.get("type", ""), link.get("title", ""), link.get("href", ""))
        for link in page.iter("link")
        if link.get("rel") == "alternate"
    ]


def shown(page: lxml_html.HtmlElement) -> list[tuple[str, str, str, datetime, str]]:
    """Each article on the page: title, link, authors, time and summary, as a person
    reads them (the time from its text; its datetime attribute must agree)."""
    rows = []
    for article in page.iter("article"):
        [link] = article.iterfind("h3/a")
        [meta] = article.iterfind("p[@class='meta']")
        [time] = meta.iterfind("time")
        when = datetime.strptime(time.text or "", "%B %d, %Y, %H:%M UTC").replace(tzinfo=UTC)
        assert datetime.fromisoformat(time.get("datetime", "")).replace(second=0) == when
        byline = (meta.text or "").removesuffix(" · ")
        rows.append(
            (
                link.text_content(),
                link.get("href", ""),
                byline.removeprefix("By "),
                when,
                article.findtext("p[2]") or "",
            )
        )
    return rows


def from_atom(path: Path) -> list[tuple[str, str, str, datetime, str]]:
    """The same, as the Atom feed has each entry (to the minute, as the page shows it)."""
    rows = []
    for entry in etree.parse(path).getroot().iterfind(f"{ATOM}entry"):
        names = ", ".join(name.text or "" for name in entry.iterfind(f"{ATOM}author/{ATOM}name"))
        published = datetime.fromisoformat(entry.findtext(f"{ATOM}published") or "")
        summary = entry.findtext(f"{ATOM}summary") or ""  # HTML
        rows.append(
            (
                entry.findtext(f"{ATOM}title") or "",
                next(link.get("href", "") for link in entry.iterfind(f"{ATOM}link")),
                names,
                published.replace(second=0, microsecond=0),
                lxml_html.fragment_fromstring(summary, create_parent="p").text_content(),
            )
        )
    return rows


def test_the_page_shows_what_the_atom_feed_holds(built: Config) -> None:
    page = page_of(built.output / "index.html")
    assert page.findtext("head/title") == "feedpub example"
    assert page.findtext("body/header/h1") == "feedpub example"
    assert shown(page) == from_atom(built.output / "atom.xml")
    assert len(shown(page)) == 39


def test_the_page_points_to_every_feed_and_lists_the_others(built: Config) -> None:
    page = page_of(built.output / "index.html")
    urls = [f"https://example.com/{name}" for name in ("rss.xml", "atom.xml", "feed.json")]
    names = ["RSS", "Atom", "JSON Feed"]
    assert alternates(page) == [
        (kind, f"feedpub example ({name})", url)
        for kind, name, url in zip(FEED_TYPES, names, urls, strict=True)
    ]
    subscribe = page.get_element_by_id("subscribe")
    assert [link.get("href") for link in subscribe.iterfind("ul/li/a")] == urls
    assert [code.text for code in subscribe.iterfind("ul/li/a/code")] == urls  # to copy
    more = page.get_element_by_id("more")
    listed = [(link.get("href"), link.text) for link in more.iterfind("ul/li/a")]
    folders = sorted(
        str(path.parent.relative_to(built.output)) for path in built.output.glob("*/*/index.html")
    )
    assert sorted(href for href, _ in listed) == sorted(
        f"https://example.com/{f}/" for f in folders
    )
    assert ("https://example.com/categories/phones/", "feedpub example: Phones") in listed
    phones = page_of(built.output / "categories" / "phones" / "index.html")
    assert [href for _, _, href in alternates(phones)] == [
        f"https://example.com/categories/phones/{name}"
        for name in ("rss.xml", "atom.xml", "feed.json")
    ]
    assert shown(phones) == from_atom(built.output / "categories" / "phones" / "atom.xml")


def test_the_head_snippet_is_the_pages_feed_links(built: Config) -> None:
    for folder in (built.output, built.output / "authors" / "ana-lopez"):
        snippet = (folder / "head.html").read_text(encoding="utf-8")
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert snippet.count("\n") == 3
        assert snippet in page.split("</head>")[0]  # the page's own links
        [shown_snippet] = page_of(folder / "index.html").iterfind(".//details/pre/code")
        assert shown_snippet.text_content() == snippet  # shown to copy, as text
        assert validate(snippet.encode()) == []


def test_markup_in_a_title_stays_text_on_the_page(built: Config) -> None:
    page = page_of(built.output / "index.html")
    assert [element.tag for element in page.iter("script")] == []
    titles = [title for title, *_ in shown(page)]
    assert any("</script>" in title for title in titles)


def test_every_page_is_valid_html5_by_the_nu_html_checker(built: Config, tmp_path: Path) -> None:
    require("java", shutil.which("java") is not None)
    require("the Nu Html Checker", VNU.is_file())
    bundled = dataclasses.replace(built, output=tmp_path / "bundled")
    build(seeds=BUNDLED_SEEDS, config=bundled)
    pages = sorted([*built.output.rglob("index.html"), *bundled.output.rglob("index.html")])
    ran = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--also-check-css", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(ran.stderr)["messages"] == []  # no error, no warning, no info
    assert ran.returncode == 0
    assert len(pages) > 10


def dump_dom(url: str) -> lxml_html.HtmlElement:
    """The page at ``url`` as headless Chromium builds its DOM."""
    chromium = shutil.which("chromium")
    require("chromium", chromium is not None)
    assert chromium is not None
    with tempfile.TemporaryDirectory() as profile:
        ran = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert ran.returncode == 0, ran.stderr[-2000:]
    return lxml_html.document_fromstring(ran.stdout)


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("Content-Type", ""), response.read()


def test_a_browser_shows_the_page_and_its_feed_links_resolve(config: Config) -> None:
    """Served by the feedpub serve command, loaded by headless Chromium: the DOM holds
    every article, and every autodiscovery link fetches the feed that names itself so."""
    config.output.mkdir(parents=True)
    command = [sys.executable, "-m", "feedpub", "serve", str(config.output), "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        try:
            assert process.stdout is not None
            site = process.stdout.readline().split(" at ")[1].split(" ")[0]  # Serving DIR at URL
            served = with_groups(dataclasses.replace(config, base_url=site, limit=100))
            build(seeds=DATA / "seeds", config=served)
            for folder in ("", "categories/phones/", "authors/ana-lopez/"):
                dom = dump_dom(site + folder)
                assert shown(dom) == from_atom(served.output / folder / "atom.xml")
                links = alternates(dom)
                assert [kind for kind, _, _ in links] == FEED_TYPES
                for kind, _, href in links:
                    media_type, body = fetch(href)
                    assert media_type.split(";")[0] == kind
                    if kind == "application/feed+json":
                        assert json.loads(body)["feed_url"] == href
                    else:
                        parsed = feedparser.parse(body)
                        assert not parsed.bozo
                        [self_link] = [x.href for x in parsed.feed.links if x.rel == "self"]
                        assert self_link == href
        finally:
            process.terminate()
            process.wait(timeout=10)
