"""Rendering: golden feeds for the bundled seeds and the fixture folder, and each
feedgen workaround.

Regenerate the golden feeds with
``FEEDPUB_REGENERATE=1 python -m pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from feedpub import __version__
from feedpub.build import build
from feedpub.config import Config
from feedpub.entry import Entry
from feedpub.feeds import FeedSpec
from feedpub.outputs import OUTPUTS
from feedpub.render import atom_instants, content_html
from tests.conftest import BUNDLED_SEEDS, DATA, GOLDEN, check_expected

ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
WHEN = datetime(2022, 5, 23, 17, 1, tzinfo=UTC)


def render(entries: list[Entry], config: Config, fmt: str) -> bytes:
    """The site's feed of ``entries`` in the output ``fmt``, as a build makes it."""
    spec = FeedSpec(
        folder="",
        id=config.base_url,
        title=config.title,
        description=config.feed_description,
        home=config.base_url,
        entries=tuple(entries),
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


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_golden_feeds_for_the_bundled_seeds(config: Config, name: str) -> None:
    build(seeds=BUNDLED_SEEDS, config=config)
    actual = (config.output / name).read_text(encoding="utf-8")
    check_expected(GOLDEN / name, actual)


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
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


def test_atom_instants_are_unique_stable_and_within_the_second() -> None:
    entries = [make_entry(key) for key in ("a", "b", "c")]
    instants = atom_instants(entries)
    assert len(set(instants.values())) == 3
    assert all(instant.replace(microsecond=0) == WHEN for instant in instants.values())
    more = atom_instants([*entries, make_entry("d")])
    assert {key: more[key] for key in instants} == instants


def test_an_empty_feed_is_dated_1970_not_now(config: Config) -> None:
    rss = etree.fromstring(render([], config, "rss"))
    assert rss.findtext("channel/lastBuildDate") == "Thu, 01 Jan 1970 00:00:00 +0000"
    assert rss.find("channel/item") is None
    atom = etree.fromstring(render([], config, "atom"))
    assert atom.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00+00:00"
