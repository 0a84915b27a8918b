"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1), as ``feed.json``.

Each item carries what the Atom entry carries: the same id (the Atom ``id`` and the RSS
``guid``), the same escaped HTML, the same instants. Members without a value are left
out rather than written as null or as an empty array; ``items`` alone is always there,
as the format requires. Every item names its authors: an article without a byline has
the feed's author, as Atom's entries inherit it. A hub link becomes a WebSub ``hubs`` member and a
``prev-archive`` link ``next_url``, the older page.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub.identity import article_url
from feedpub.outputs.entries import content_html, instants

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.entry import Entry
    from feedpub.feeds import FeedSpec, Published
    from feedpub.validate.findings import Finding

NAME = "json"
FILE_NAME = "feed.json"
MEDIA_TYPE = "application/feed+json"
VERSION = "https://jsonfeed.org/version/1.1"


def render(spec: FeedSpec, config: Config) -> bytes:
    """The JSON Feed of ``spec``: UTF-8, members in the specification's order, indented."""
    times = instants(spec.entries)
    own = config.file_name(NAME)
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": spec.title,
        "home_page_url": spec.home,
        "feed_url": spec.url(config.base_url, own),
        "description": spec.description,
    }
    older = [link.url(config.base_url, own) for link in spec.links if link.rel == "prev-archive"]
    if older:
        feed["next_url"] = older[0]
    feed["authors"] = [{"name": config.feed_author}]
    feed["language"] = config.language
    hubs = [{"type": "WebSub", "url": link.href} for link in spec.links if link.rel == "hub"]
    if hubs:
        feed["hubs"] = hubs
    feed["items"] = [_item(entry, config, times[entry.id]) for entry in spec.entries]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item(entry: Entry, config: Config, instant: datetime) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "url": article_url(config.base_url, config.article_path, key=entry.key, day=entry.date),
        "title": entry.title,
        "content_html": content_html(entry),
    }
    if entry.summary:
        item["summary"] = entry.summary
    item["date_published"] = _rfc3339(instant)
    item["date_modified"] = _rfc3339(instant + (entry.updated - entry.published))
    # An entry without a byline has the feed's author, as in Atom, where it is inherited.
    item["authors"] = [{"name": name} for name in entry.authors or (config.feed_author,)]
    if entry.categories:
        item["tags"] = list(entry.categories)
    return item


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def validate(data: bytes) -> list[Finding]:
    """feedpub's validator's findings for a JSON Feed document."""
    from feedpub.validate import validate

    return validate(data)


def count_entries(path: Path) -> int | None:
    """How many items the published file holds; None when there is none to read."""
    from feedpub.publish import count_listed

    return count_listed(path, "items")


def read_published(path: Path) -> Published | None:
    """The ids and times of the published file's items."""
    from feedpub.dates import timestamp
    from feedpub.feeds import Published
    from feedpub.publish import read_json

    document = read_json(path)
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return None
    entries = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        published = item.get("date_published")
        modified = item.get("date_modified", published)
        times = [timestamp(text) for text in (published, modified)]
        if times[0] is not None and times[1] is not None:
            entries.append((item["id"], times[0], times[1]))
    return Published(tuple(entries))
