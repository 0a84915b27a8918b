"""RSS 2.0, as ``rss.xml``; feedgen renders it (see :mod:`feedpub.render`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedpub.outputs import xml_feeds

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.feeds import FeedSpec

NAME = "rss"
FILE_NAME = "rss.xml"
MEDIA_TYPE = "application/rss+xml"


def render(spec: FeedSpec, config: Config) -> bytes:
    """The RSS feed of ``spec``."""
    from feedpub import render

    return render.rss(
        spec,
        config,
        self_url=spec.url(config.base_url, config.file_name(NAME)),
        media_type=MEDIA_TYPE,
        file_name=config.file_name(NAME),
    )


validate = xml_feeds.validate
count_entries = xml_feeds.entry_counter("item")
"""How many ``<item>`` elements the published file holds."""
read_published = xml_feeds.published_reader("item", ("guid", "pubDate", "pubDate"))
"""The guids and times of its items (RSS has no update time)."""
