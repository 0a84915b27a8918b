"""The selections: each decides which entries go into which feeds.

A selection is a module of this package with the members of :class:`Selection`,
listed in :data:`SELECTIONS`. It reads the seeds' index and gives format-neutral
:class:`~feedpub.feeds.FeedSpec` values, which every output then renders; it knows
nothing of formats, files or the cache.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from feedpub.selections import newest

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.entry import Entry
    from feedpub.feeds import FeedSpec


class EntryIndex(Protocol):
    """The publishable entries of a build, newest first, parsed in full only when asked."""

    def newest(self, count: int) -> tuple[Entry, ...]:
        """The ``count`` newest entries (fewer when there are fewer), newest first."""
        ...


class Selection(Protocol):
    """One way of choosing entries for feeds."""

    NAME: str

    def select(self, index: EntryIndex, config: Config) -> list[FeedSpec]:
        """The feeds this selection publishes, each with its entries."""
        ...


#: Every selection, by name, in the order their feeds are written and reported.
SELECTIONS: dict[str, Selection] = {newest.NAME: newest}


def select_feeds(index: EntryIndex, config: Config) -> list[FeedSpec]:
    """Every feed of every selection; no two may share a folder."""
    feeds = [spec for selection in SELECTIONS.values() for spec in selection.select(index, config)]
    folders = [spec.folder for spec in feeds]
    if len(set(folders)) != len(folders):
        raise ValueError(f"two feeds in one folder: {folders}")
    return feeds
