"""Render entries as RSS 2.0 and Atom 1.0 with feedgen.

feedgen has rough edges that would make output wrong or non-deterministic;
every workaround lives in this module, each marked, each tested:

* it stamps ``datetime.now()`` on the feed and on every entry: every date is
  set from the entries instead;
* ``add_entry`` prepends by default, reversing the order given: entries are
  appended;
* the RSS channel ``<link>`` is taken from the last ``link()`` call: the self
  link is set first, the site link last;
* RSS ``<author>`` keeps only names with an e-mail address: authors go into
  ``dc:creator`` instead;
* ``generator()`` writes the name without the version into RSS: the RSS feed
  gets the version in its generator text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Literal

from feedgen.feed import FeedGenerator

from feedpub import __version__
from feedpub.config import Config
from feedpub.entry import Entry
from feedpub.identity import article_url

Format = Literal["rss", "atom"]

#: Output file name for each format, below the output folder and the base URL.
FEED_FILES: dict[Format, str] = {"rss": "rss.xml", "atom": "atom.xml"}
MEDIA_TYPES: dict[Format, str] = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
GENERATOR = "feedpub"


def render(entries: Sequence[Entry], config: Config, fmt: Format) -> bytes:
    """The feed in ``fmt`` for ``entries``, newest first as given, as UTF-8 bytes.

    ``entries`` must be non-empty and already ordered and limited.
    """
    if not entries:
        raise ValueError("a feed needs at least one entry")
    feed = _feed(entries, config, fmt)
    for entry in entries:
        _add_entry(feed, entry, config)
    if fmt == "rss":
        return feed.rss_str(pretty=True)  # type: ignore[no-any-return]
    return feed.atom_str(pretty=True)  # type: ignore[no-any-return]


def content_html(entry: Entry) -> str:
    """The article as HTML: each paragraph escaped in a ``<p>``, the credit last and marked."""
    parts = [f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in entry.paragraphs]
    if entry.credit is not None:
        parts.append(
            f'<p class="credit"><small>{html.escape(entry.credit, quote=False)}</small></p>'
        )
    return "\n".join(parts)


def summary_html(entry: Entry) -> str:
    """The summary as escaped HTML, since RSS readers treat descriptions as HTML."""
    return html.escape(entry.summary, quote=False)


def _feed(entries: Sequence[Entry], config: Config, fmt: Format) -> Any:
    newest = max(entry.updated for entry in entries)
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(config.base_url)
    feed.title(config.title)
    feed.description(config.feed_description)
    feed.language(config.language)
    feed.author({"name": config.feed_author})
    # Workaround: RSS <link> is the href of the last link() call.
    feed.link(href=config.base_url + FEED_FILES[fmt], rel="self", type=MEDIA_TYPES[fmt])
    feed.link(href=config.base_url, rel="alternate", type="text/html")
    # Workaround: feedgen stamps now() on these.
    feed.updated(newest)
    feed.lastBuildDate(newest)
    if fmt == "rss":
        # Workaround: RSS has only the generator's text, so it carries the version.
        feed.generator(f"{GENERATOR} {__version__}")
    else:
        feed.generator(GENERATOR, version=__version__)
    return feed


def _add_entry(feed: Any, entry: Entry, config: Config) -> None:
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
    item.published(entry.published)
    item.updated(entry.updated)
    if entry.authors:
        item.author([{"name": name} for name in entry.authors])
        # Workaround: RSS <author> drops names without e-mail.
        item.dc.dc_creator(list(entry.authors))
    for category in entry.categories:
        item.category(term=category)
    item.summary(summary_html(entry), type="html")
    item.content(content_html(entry), type="html")
