"""The site's own feeds: the ``limit`` newest articles, at the root of the output."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from feedpub.feeds import FeedSpec

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.entry import Entry
    from feedpub.feeds import Deleted
    from feedpub.selections import EntryIndex

NAME = "newest"
LISTED = False
"""The site's feed is the page's own."""


def namespace(config: Config) -> str | None:
    """None: the site's feeds are at the root of the output."""
    return None


def select(index: EntryIndex, config: Config) -> list[FeedSpec]:
    """One feed of the site's newest ``config.limit`` articles, with the tombstones of
    articles gone for good in the last ``config.tombstone_days`` days; none with
    archives, whose selection makes the site's feed (:mod:`.archives`)."""
    if config.archive is not None:
        return []
    return [site_feed(index, config, index.newest(config.limit))]


def site_feed(
    index: EntryIndex, config: Config, entries: tuple[Entry, ...], **history: Any
) -> FeedSpec:
    """The site's own feed of ``entries``, at the root, with its tombstones (see
    :func:`kept`) and any ``history`` fields of :class:`FeedSpec` (links, complete)."""
    return FeedSpec(
        folder="",
        id=config.base_url,
        title=config.title,
        description=config.feed_description,
        home=config.base_url,
        entries=entries,
        deleted=kept(index.deleted(), entries, config.tombstone_days),
        **history,
    )


def kept(
    deleted: tuple[Deleted, ...], entries: tuple[Entry, ...], days: int
) -> tuple[Deleted, ...]:
    """The tombstones among ``deleted`` (newest first) at most ``days`` days older than the
    newest time the feed holds, its newest entry's or tombstone's: a count from the
    feed's own data, not from the clock."""
    if not deleted:
        return ()
    newest = max([deleted[0].when, *(entry.published for entry in entries[:1])])
    horizon = newest - timedelta(days=days)
    return tuple(tombstone for tombstone in deleted if tombstone.when >= horizon)
