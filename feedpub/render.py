"""The one wrapper around feedgen, which renders RSS 2.0 and Atom 1.0 for their outputs
(:mod:`feedpub.outputs.rss`, :mod:`feedpub.outputs.atom`).

feedgen has rough edges that would make output wrong or non-deterministic;
every workaround lives in this module, each marked, each tested:

* it stamps ``datetime.now()`` on the feed and on every entry: every date is
  set from the entries instead;
* ``add_entry`` prepends by default, reversing the order given: entries are
  appended;
* the RSS channel ``<link>`` is taken from the last ``link()`` call: the self
  link is set first, the site link last;
* RSS ``<author>`` keeps only names with an e-mail address: authors go into
  one ``dc:creator``, comma-separated, since readers show only the first or
  the last of several;
* ``generator()`` writes the name without the version into RSS: the RSS feed
  gets the version in its generator text;
* RSS keeps only the ``self`` link of the links given to ``link()``, and neither
  format knows feed history (RFC 5005) or tombstones (RFC 6721): a feedgen
  extension, :class:`_FurtherLinks`, writes a spec's further links and its
  ``fh:complete`` or ``fh:archive``, another, :class:`_Tombstones`, its
  ``at:deleted-entry`` elements (Atom alone); each is loaded only for a spec
  that needs it, so other feeds' bytes do not change.

Two choices serve validators and readers beyond what feedgen does:

* RSS plain-text elements write ``&``, ``<`` and ``>`` as hexadecimal character
  references, as the RSS Best Practices Profile recommends, because readers
  disagree on whether RSS titles hold HTML;
* Atom asks that no two entries share an ``updated`` instant, but seeds give
  times to the minute; each Atom time gets a fixed sub-second offset derived
  from the entry's id, so it never leaves the second the seed wrote and never
  changes between builds (:func:`feedpub.outputs.entries.instants`, which
  the JSON Feed shares).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedpub import __version__
from feedpub.config import Config
from feedpub.entry import Entry
from feedpub.feeds import FeedSpec
from feedpub.identity import article_url
from feedpub.outputs.entries import content_html, instants, summary_html

GENERATOR = "feedpub"
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)
ATOM = "http://www.w3.org/2005/Atom"
HISTORY = "http://purl.org/syndication/history/1.0"
TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"


def rss(spec: FeedSpec, config: Config, *, self_url: str, media_type: str, file_name: str) -> bytes:
    """The RSS feed of ``spec``, published at ``self_url``, as UTF-8 bytes.

    A feed without entries is dated :data:`EMPTY_FEED_DATE`, since no date may come
    from the clock.
    """
    times = {entry.id: entry.published for entry in spec.entries}
    # Workaround: RSS has only the generator's text, so it carries the version.
    generator = (f"{GENERATOR} {__version__}", None)
    feed = _feed(spec, config, self_url, media_type, file_name, times, generator=generator)
    return _styled(_hex_character_references(feed.rss_str(pretty=False)), config)


def atom(
    spec: FeedSpec, config: Config, *, self_url: str, media_type: str, file_name: str
) -> bytes:
    """The Atom feed of ``spec``, published at ``self_url``, as UTF-8 bytes; every time is
    an entry's own, moved within its second by :func:`~feedpub.outputs.entries.instants`."""
    times = instants(spec.entries)
    generator = (GENERATOR, __version__)
    feed = _feed(spec, config, self_url, media_type, file_name, times, generator=generator)
    return _styled(feed.atom_str(pretty=True), config)


def _styled(document: bytes, config: Config) -> bytes:
    """``document`` with the settings' ``<?xml-stylesheet?>`` instruction after its XML
    declaration, if they give one; feedgen writes none."""
    if not config.xml_stylesheet:
        return document
    declaration, rest = document.split(b"?>", 1)
    kind = "text/css" if config.xml_stylesheet.lower().endswith(".css") else "text/xsl"
    href = html.escape(config.xml_stylesheet, quote=True)
    instruction = f'\n<?xml-stylesheet type="{kind}" href="{href}"?>'.encode()
    return declaration + b"?>" + instruction + rest


def _feed(
    spec: FeedSpec,
    config: Config,
    self_url: str,
    media_type: str,
    file_name: str,
    times: dict[str, datetime],
    *,
    generator: tuple[str, str | None],
) -> Any:
    """feedgen's feed of ``spec``, each entry at its time in ``times``, its links to the
    site's feeds going to their files called ``file_name``; ``generator`` is the
    generator's name and its version (None: no version of its own)."""
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(spec.id)
    feed.title(spec.title)
    feed.description(spec.description)
    feed.language(config.language)
    feed.author({"name": config.feed_author})
    # Workaround: RSS <link> is the href of the last link() call.
    feed.link(href=self_url, rel="self", type=media_type)
    feed.link(href=spec.home, rel="alternate", type="text/html")
    # Workaround: RSS drops further links, and feedgen knows no history or tombstones.
    if spec.links or spec.complete or spec.archive:
        feed.register_extension("further", _FurtherLinks, atom=True, rss=True)
        feed.further.spec = spec
        feed.further.hrefs = [link.url(config.base_url, file_name) for link in spec.links]
    if spec.deleted:
        feed.register_extension("tombstones", _Tombstones, atom=True, rss=False)
        feed.tombstones.spec = spec
    # Workaround: feedgen stamps now() on these. The content last changed with the newest
    # entry or the newest correction (which moves no entry's publication time).
    newest = max(
        (times[entry.id] + (entry.updated - entry.published) for entry in spec.entries),
        default=EMPTY_FEED_DATE,
    )
    feed.updated(newest)
    feed.lastBuildDate(newest)
    feed.generator(generator[0], version=generator[1])
    for entry in spec.entries:
        _add_entry(feed, entry, config, times[entry.id])
    return feed


class _FurtherLinks(BaseExtension):  # type: ignore[misc]
    """A spec's further links and its history flag, in RSS and Atom. feedgen calls an
    extension before it adds the entries, so what it writes comes before them, where
    RFC 4287 puts a feed's own elements."""

    spec: FeedSpec
    hrefs: list[str]
    """Where each of the spec's links goes, in this format."""

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY} if self.spec.complete or self.spec.archive else {}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        # feedgen's Atom elements are in no namespace until written (an xmlns attribute).
        self._write(feed, link_tag="link")
        return feed

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        self._write(feed[0], link_tag=f"{{{ATOM}}}link")  # feed[0]: the <channel>
        return feed

    def _write(self, parent: etree._Element, *, link_tag: str) -> None:
        for link, href in zip(self.spec.links, self.hrefs, strict=True):
            etree.SubElement(parent, link_tag, href=href, rel=link.rel)
        if self.spec.complete:
            etree.SubElement(parent, f"{{{HISTORY}}}complete")
        if self.spec.archive:
            etree.SubElement(parent, f"{{{HISTORY}}}archive")


class _Tombstones(BaseExtension):  # type: ignore[misc]
    """A spec's deleted entries as ``at:deleted-entry`` elements, just before the
    entries (RFC 6721 §2 allows them wherever an entry may be), in Atom alone: RSS and
    JSON Feed readers know no tombstones."""

    spec: FeedSpec

    def extend_ns(self) -> dict[str, str]:
        return {"at": TOMBSTONES}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        for deleted in self.spec.deleted:
            when = deleted.when.astimezone(UTC).isoformat().replace("+00:00", "Z")
            etree.SubElement(feed, f"{{{TOMBSTONES}}}deleted-entry", ref=deleted.id, when=when)
        return feed


def _add_entry(feed: Any, entry: Entry, config: Config, instant: datetime) -> None:
    # Workaround: add_entry prepends unless told otherwise.
    item = feed.add_entry(order="append")
    item.id(entry.id)
    item.guid(entry.id, permalink=False)
    item.title(entry.title)
    item.link(
        href=article_url(config.base_url, config.article_path, key=entry.key, day=entry.date),
        rel="alternate",
        type="text/html",
    )
    # Workaround: FeedEntry stamps now() as updated.
    item.published(instant)
    item.updated(instant + (entry.updated - entry.published))
    if entry.authors:
        item.author([{"name": name} for name in entry.authors])
        # Workaround: RSS <author> drops names without e-mail. One dc:creator
        # lists them all, because newsboat shows only the last of several.
        item.dc.dc_creator(", ".join(entry.authors))
    for category in entry.categories:
        item.category(term=category)
    item.summary(summary_html(entry), type="html")
    item.content(content_html(entry), type="html")


# RSS elements whose text is HTML; every other leaf holds plain text.
_RSS_HTML = frozenset({"description", "{http://purl.org/rss/1.0/modules/content/}encoded"})
_CHARACTER_REFERENCES = {"&": "#x26", "<": "#x3C", ">": "#x3E"}
_REFERENCED = re.compile("([&<>])")


def _hex_character_references(document: bytes) -> bytes:
    """Rewrite ``&``, ``<``, ``>`` in RSS plain-text elements as hex character references."""
    root = etree.fromstring(document, etree.XMLParser(remove_blank_text=True))
    for element in root.iter("*"):
        text = element.text
        if len(element) or element.tag in _RSS_HTML or not text:
            continue
        if not any(character in text for character in _CHARACTER_REFERENCES):
            continue
        # Each piece is set once: adding to an lxml text a character at a time copies it
        # every time, which made a long title take quadratic time.
        first, *rest = _REFERENCED.split(text)
        element.text = first or None
        for character, piece in zip(rest[::2], rest[1::2], strict=True):
            reference = etree.Entity(_CHARACTER_REFERENCES[character])
            reference.tail = piece or None
            element.append(reference)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
