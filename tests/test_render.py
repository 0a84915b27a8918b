"""Rendering: golden feeds for the bundled seeds and the fixture folder, and each
feedgen workaround.

Regenerate the golden feeds with
``FEEDPUB_REGENERATE=1 python -m pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree

from feedpub import __version__
from feedpub.build import build
from feedpub.config import Config
from feedpub.entry import Entry
from feedpub.feeds import Deleted, FeedSpec, Link
from feedpub.outputs import OUTPUTS
from feedpub.outputs.entries import content_html, instants
from feedpub.validate import validate
from tests.conftest import BUNDLED_SEEDS, DATA, GOLDEN, check_expected

ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
WHEN = datetime(2022, 5, 23, 17, 1, tzinfo=UTC)


def render(entries: list[Entry], config: Config, fmt: str, **further: Any) -> bytes:
    """The site's feed of ``entries`` in the output ``fmt``, as a build makes it, with
    the spec's ``further`` fields (links, flags, tombstones)."""
    spec = FeedSpec(
        folder="",
        id=config.base_url,
        title=config.title,
        description=config.feed_description,
        home=config.base_url,
        entries=tuple(entries),
        **further,
    )
    return OUTPUTS[fmt].render(spec, config)


def make_entry(key: str, published: datetime = WHEN, **changes: object) -> Entry:
    entry = Entry(
        id=f"tag:example.com,2022-05-23:{key}",
        key=key,
        date=date(2022, 5, 23),
        title=f"Title {key}",
        authors=("Ana López", "Tim Sweezy"),
        published=published,
        updated=published,
        categories=("Phones",),
        paragraphs=("First.", "Second."),
        summary="First.",
        credit=None,
        source=Path(f"{key}.txt"),
    )
    return dataclasses.replace(entry, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", [output.FILE_NAME for output in OUTPUTS.values()])
def test_golden_feeds_for_the_bundled_seeds(config: Config, name: str) -> None:
    build(seeds=BUNDLED_SEEDS, config=config)
    actual = (config.output / name).read_text(encoding="utf-8")
    check_expected(GOLDEN / name, actual)


@pytest.mark.parametrize("name", [output.FILE_NAME for output in OUTPUTS.values()])
def test_golden_feeds_for_the_fixture_folder(config: Config, name: str) -> None:
    """Every variation of the seed format, broken seeds left out, in each feed."""
    build(seeds=DATA / "seeds", config=config)
    actual = (config.output / name).read_text(encoding="utf-8")
    check_expected(GOLDEN / "fixtures" / name, actual)


def test_no_date_comes_from_the_clock(config: Config) -> None:
    """feedgen stamps now() on the feed and on each entry unless told otherwise."""
    entries = [make_entry("a", datetime(2001, 2, 3, 4, 5, tzinfo=UTC))]
    rss = etree.fromstring(render(entries, config, "rss"))
    assert rss.findtext("channel/lastBuildDate") == "Sat, 03 Feb 2001 04:05:00 +0000"
    assert rss.findtext("channel/item/pubDate") == "Sat, 03 Feb 2001 04:05:00 +0000"
    atom = etree.fromstring(render(entries, config, "atom"))
    entry_updated = atom.findtext(f"{ATOM}entry/{ATOM}updated")
    assert entry_updated is not None
    assert entry_updated.startswith("2001-02-03T04:05:00.")
    assert atom.findtext(f"{ATOM}updated") == entry_updated
    assert atom.findtext(f"{ATOM}entry/{ATOM}published") == entry_updated


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_entries_keep_the_order_given(config: Config, fmt: str) -> None:
    """feedgen's add_entry prepends by default, which would reverse the feed."""
    entries = [make_entry(key) for key in ("c", "a", "b")]
    root = etree.fromstring(render(entries, config, fmt))
    ids = root.xpath("//item/guid/text() | //*[local-name()='entry']/*[local-name()='id']/text()")
    assert ids == [entry.id for entry in entries]


def test_rss_channel_link_is_the_site_and_self_link_is_the_rss_file(config: Config) -> None:
    """feedgen takes the RSS <link> from whichever link() call came last."""
    channel = etree.fromstring(render([make_entry("a")], config, "rss")).find("channel")
    assert channel is not None
    assert channel.findtext("link") == "https://example.com/"
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None
    attributes = {name: self_link.get(name) for name in ("href", "rel", "type")}
    assert attributes == {
        "href": "https://example.com/rss.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert len(self_link.attrib) == 3


def test_atom_links_point_at_the_site_and_at_the_atom_file(config: Config) -> None:
    atom = etree.fromstring(render([make_entry("a")], config, "atom"))
    links = {link.get("rel"): link.get("href") for link in atom.findall(f"{ATOM}link")}
    assert links == {"self": "https://example.com/atom.xml", "alternate": "https://example.com/"}
    assert atom.findtext(f"{ATOM}id") == "https://example.com/"


def test_rss_authors_are_dc_creators(config: Config) -> None:
    """feedgen drops RSS <author> names without an e-mail address."""
    item = etree.fromstring(render([make_entry("a")], config, "rss")).find("channel/item")
    assert item is not None
    assert [creator.text for creator in item.findall(DC_CREATOR)] == ["Ana López, Tim Sweezy"]
    assert item.find("author") is None


def test_generator_names_feedpub_and_its_version(config: Config) -> None:
    rss = etree.fromstring(render([make_entry("a")], config, "rss"))
    assert rss.findtext("channel/generator") == f"feedpub {__version__}"
    atom = etree.fromstring(render([make_entry("a")], config, "atom"))
    generator = atom.find(f"{ATOM}generator")
    assert generator is not None
    assert (generator.text, generator.get("version")) == ("feedpub", __version__)


def test_rss_plain_text_uses_hex_character_references(config: Config) -> None:
    entry = make_entry("a", title="AT&T <b>bold</b> > less")
    data = render([entry], config, "rss")
    assert b"<title>AT&#x26;T &#x3C;b&#x3E;bold&#x3C;/b&#x3E; &#x3E; less</title>" in data
    assert etree.fromstring(data).findtext("channel/item/title") == entry.title


def test_markup_in_text_stays_text(config: Config) -> None:
    entry = make_entry("a", paragraphs=("Run <script>alert(1)</script> & see.",))
    assert content_html(entry) == "<p>Run &lt;script&gt;alert(1)&lt;/script&gt; &amp; see.</p>"
    for fmt in OUTPUTS:
        assert b"<script" not in render([entry], config, fmt)


def test_credit_is_the_last_marked_paragraph() -> None:
    entry = make_entry("a", credit="Top Image Courtesy of <Xiaomi>")
    assert content_html(entry).splitlines()[-1] == (
        '<p class="credit"><small>Top Image Courtesy of &lt;Xiaomi&gt;</small></p>'
    )


def test_instants_are_unique_stable_and_within_the_second() -> None:
    entries = [make_entry(key) for key in ("a", "b", "c")]
    times = instants(entries)
    assert len(set(times.values())) == 3
    assert all(instant.replace(microsecond=0) == WHEN for instant in times.values())
    more = instants([*entries, make_entry("d")])
    assert {key: more[key] for key in times} == times


def test_an_empty_feed_is_dated_1970_not_now(config: Config) -> None:
    rss = etree.fromstring(render([], config, "rss"))
    assert rss.findtext("channel/lastBuildDate") == "Thu, 01 Jan 1970 00:00:00 +0000"
    assert rss.find("channel/item") is None
    atom = etree.fromstring(render([], config, "atom"))
    assert atom.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00+00:00"


HISTORY = "{http://purl.org/syndication/history/1.0}"
TOMBSTONES = "{http://purl.org/atompub/tombstones/1.0}"
ARCHIVE_LINKS = (
    Link("current", "https://example.com/atom.xml"),
    Link("prev-archive", "https://example.com/2021/atom.xml"),
    Link("next-archive", "https://example.com/2023/atom.xml"),
    Link("hub", "https://hub.example.net/"),
)
GONE = (
    Deleted("tag:example.com,2020-01-01:gone", datetime(2022, 6, 1, 12, 30, tzinfo=UTC)),
    Deleted("tag:example.com,2020-01-02:also-gone", datetime(2022, 6, 2, tzinfo=UTC)),
)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_further_links_and_the_archive_flag_come_before_the_entries(
    config: Config, fmt: str
) -> None:
    """feedgen drops all but the self link from RSS and knows no RFC 5005 elements."""
    entries = [make_entry("a"), make_entry("b")]
    data = render(entries, config, fmt, links=ARCHIVE_LINKS, archive=True)
    assert validate(data) == []
    root = etree.fromstring(data)
    parent = root if fmt == "atom" else root[0]
    tags = [child.tag for child in parent]
    entry_tag = f"{ATOM}entry" if fmt == "atom" else "item"
    further = [
        (child.get("rel"), child.get("href"))
        for child in parent
        if child.tag == f"{ATOM}link" and child.get("rel") not in ("self", "alternate")
    ]
    assert further == [(link.rel, link.href) for link in ARCHIVE_LINKS]
    assert tags.count(f"{HISTORY}archive") == 1
    assert tags.index(f"{HISTORY}archive") < tags.index(entry_tag)
    assert max(i for i, tag in enumerate(tags) if tag == f"{ATOM}link") < tags.index(entry_tag)
    assert tags.count(entry_tag) == 2
    read = feedparser.parse(data)
    assert not read.bozo
    assert {(link.rel, link.href) for link in read.feed.links} >= set(further)
    assert [entry.title for entry in read.entries] == ["Title a", "Title b"]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_complete_feed_says_so(config: Config, fmt: str) -> None:
    data = render([make_entry("a")], config, fmt, complete=True)
    assert validate(data) == []
    assert len(etree.fromstring(data).findall(f".//{HISTORY}complete")) == 1
    assert etree.fromstring(data).findall(f".//{HISTORY}archive") == []


def test_a_feed_without_history_declares_no_history_namespace(config: Config) -> None:
    for fmt in ("rss", "atom"):
        data = render([make_entry("a")], config, fmt, links=ARCHIVE_LINKS[3:])
        assert b"purl.org/syndication/history" not in data
        assert b"tombstones" not in data


def test_deleted_entries_are_rfc_6721_tombstones_in_atom_alone(config: Config) -> None:
    entries = [make_entry("a")]
    atom = render(entries, config, "atom", deleted=GONE)
    assert validate(atom) == []
    root = etree.fromstring(atom)
    tombstones = root.findall(f"{TOMBSTONES}deleted-entry")
    # RFC 6721 §2: ref is the entry's id, when an RFC 3339 date-time.
    assert [(t.get("ref"), t.get("when")) for t in tombstones] == [
        ("tag:example.com,2020-01-01:gone", "2022-06-01T12:30:00Z"),
        ("tag:example.com,2020-01-02:also-gone", "2022-06-02T00:00:00Z"),
    ]
    assert [child.tag for child in root][-3:] == [f"{TOMBSTONES}deleted-entry"] * 2 + [
        f"{ATOM}entry"
    ]
    read = feedparser.parse(atom)
    assert not read.bozo
    assert [entry.id for entry in read.entries] == [entries[0].id]
    rss = render(entries, config, "rss", deleted=GONE)
    assert b"deleted-entry" not in rss
    assert b"tombstones" not in rss
    assert rss == render(entries, config, "rss")


def test_links_to_the_sites_feeds_go_to_the_file_of_each_format(config: Config) -> None:
    """An archive's neighbours are the same format's files: RSS links to rss.xml."""
    links = (Link("prev-archive", folder="archive/2022-04"), Link("current", folder=""))
    expected = {
        "rss": ["https://example.com/archive/2022-04/rss.xml", "https://example.com/rss.xml"],
        "atom": ["https://example.com/archive/2022-04/atom.xml", "https://example.com/atom.xml"],
    }
    for fmt, hrefs in expected.items():
        root = etree.fromstring(render([make_entry("a")], config, fmt, links=links))
        parent = root if fmt == "atom" else root[0]
        found = [
            link.get("href")
            for link in parent.iterfind(f"{ATOM}link")
            if link.get("rel") in ("prev-archive", "current")
        ]
        assert found == hrefs
    data = json.loads(render([make_entry("a")], config, "json", links=links))
    assert data["next_url"] == "https://example.com/archive/2022-04/feed.json"
    with pytest.raises(ValueError, match="href or a folder"):
        Link("current", "https://example.com/atom.xml", folder="")
    with pytest.raises(ValueError, match="href or a folder"):
        Link("current")


def test_a_spec_refuses_history_that_contradicts_itself() -> None:
    fields: dict[str, Any] = {
        "folder": "", "id": "x", "title": "t", "description": "d", "home": "h", "entries": ()
    }  # fmt: skip
    with pytest.raises(ValueError, match="complete"):
        FeedSpec(**fields, complete=True, archive=True)
    with pytest.raises(ValueError, match="archive links"):
        FeedSpec(**fields, complete=True, links=ARCHIVE_LINKS[1:2])
    FeedSpec(**fields, complete=True, links=ARCHIVE_LINKS[3:])  # a hub is not paging
    with pytest.raises(ValueError, match="relation"):
        Link("next", "https://example.com/")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize(
    ("href", "kind"), [("/style/feed.xsl", "text/xsl"), ("https://cdn.example/f.css", "text/css")]
)
def test_a_stylesheet_instruction_only_when_the_settings_ask(
    config: Config, fmt: str, href: str, kind: str
) -> None:
    entries = [make_entry("a")]
    assert b"xml-stylesheet" not in render(entries, config, fmt)
    data = render(entries, dataclasses.replace(config, xml_stylesheet=href), fmt)
    assert data.splitlines()[1] == f'<?xml-stylesheet type="{kind}" href="{href}"?>'.encode()
    assert validate(data) == []
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert [entry.title for entry in parsed.entries] == ["Title a"]
