"""The site's own feeds: the ``limit`` newest articles, at the root of the output."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedpub.feeds import FeedSpec

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.selections import EntryIndex

NAME = "newest"


def namespace(config: Config) -> str | None:
    """None: the site's feeds are at the root of the output."""
    return None


def select(index: EntryIndex, config: Config) -> list[FeedSpec]:
    """One feed of the site's newest ``config.limit`` articles."""
    return [
        FeedSpec(
            folder="",
            id=config.base_url,
            title=config.title,
            description=config.feed_description,
            home=config.base_url,
            entries=index.newest(config.limit),
        )
    ]
