"""Atom 1.0, as ``atom.xml``; feedgen renders it (see :mod:`feedpub.render`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedpub.outputs import xml_feeds

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.feeds import FeedSpec

NAME = "atom"
FILE_NAME = "atom.xml"
MEDIA_TYPE = "application/atom+xml"
_ATOM = "{http://www.w3.org/2005/Atom}"
_ENTRY = f"{_ATOM}entry"


def render(spec: FeedSpec, config: Config) -> bytes:
    """The Atom feed of ``spec``."""
    from feedpub import render

    return render.atom(
        spec,
        config,
        self_url=spec.url(config.base_url, config.file_name(NAME)),
        media_type=MEDIA_TYPE,
        file_name=config.file_name(NAME),
    )


validate = xml_feeds.validate
count_entries = xml_feeds.entry_counter(_ENTRY)
"""How many ``<entry>`` elements the published file holds."""
read_published = xml_feeds.published_reader(
    _ENTRY,
    (f"{_ATOM}id", f"{_ATOM}published", f"{_ATOM}updated"),
    "{http://purl.org/atompub/tombstones/1.0}deleted-entry",
)
"""The ids and times of its entries, and its tombstones."""
