"""The selections: each decides which entries go into which feeds.

A selection is a module of this package with the members of :class:`Selection`,
listed in :data:`SELECTIONS`. It reads the seeds' index and gives format-neutral
:class:`~feedpub.feeds.FeedSpec` values, which every output then renders; it knows
nothing of formats, files or the cache.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal, Protocol

from feedpub.feeds import Link, Listed
from feedpub.selections import archives, grouped, newest

if TYPE_CHECKING:
    from collections.abc import Sequence

    from feedpub.config import Config
    from feedpub.entry import Entry
    from feedpub.feeds import Deferred, Deleted, EntryStamp, FeedSpec


class EntryIndex(Protocol):
    """The publishable entries of a build, newest first, parsed in full only when asked."""

    def newest(self, count: int) -> tuple[Entry, ...]:
        """The ``count`` newest entries (fewer when there are fewer), newest first."""
        ...

    def newest_by(
        self, field: Literal["categories", "authors"], count: int
    ) -> dict[str, tuple[Entry, ...]]:
        """Each name the entries give in ``field``, with its ``count`` newest entries,
        newest first."""
        ...

    def deleted(self) -> tuple[Deleted, ...]:
        """The articles gone for good (RFC 6721 tombstones), newest first."""
        ...

    def stamps(self) -> list[EntryStamp]:
        """Every entry, newest first, as its seed was found: nothing parsed."""
        ...

    def deferred(self, stamps: Sequence[EntryStamp]) -> Deferred:
        """The entries of ``stamps``, parsed when first read."""
        ...

    def note(self, entry: Entry, message: str) -> None:
        """Report a warning about how ``entry``'s feeds were made, with its seed."""
        ...


class Selection(Protocol):
    """One way of choosing entries for feeds."""

    NAME: str
    LISTED: bool
    """Whether the site's page lists this selection's feeds as feeds to subscribe to."""

    def select(self, index: EntryIndex, config: Config) -> list[FeedSpec]:
        """The feeds this selection publishes, each with its entries."""
        ...

    def namespace(self, config: Config) -> str | None:
        """The folder in which each of this selection's feeds has a folder of its own, so
        that a folder there without one held a feed no longer made; None when there is
        no such folder."""
        ...


#: Every selection, by name, in the order their feeds are written and reported.
SELECTIONS: dict[str, Selection] = {
    newest.NAME: newest,
    archives.NAME: archives,
    grouped.CATEGORIES.NAME: grouped.CATEGORIES,
    grouped.AUTHORS.NAME: grouped.AUTHORS,
}


def namespaces(config: Config) -> list[str]:
    """The folders in which the selections make a folder per feed (see
    :meth:`Selection.namespace`)."""
    found = (selection.namespace(config) for selection in SELECTIONS.values())
    return [folder for folder in found if folder is not None]


def counted_with(folder: str, config: Config) -> str | None:
    """The namespace whose feeds the drop guard counts together with the feed in
    ``folder``: its own, or for the site's feed with archives, the archives', into
    which its entries move when a period closes; None: the feed is counted alone."""
    if not folder:
        return archives.namespace(config)
    return next((name for name in namespaces(config) if folder.startswith(f"{name}/")), None)


def select_feeds(index: EntryIndex, config: Config) -> list[FeedSpec]:
    """Every feed of every selection, each naming the settings' WebSub hubs, the site's
    own feed listing the others that are listed; no two may share a folder."""
    chosen = [
        (selection, spec)
        for selection in SELECTIONS.values()
        for spec in selection.select(index, config)
    ]
    feeds = [spec for _, spec in chosen]
    folders = [spec.folder for spec in feeds]
    if len(set(folders)) != len(folders):
        raise ValueError(f"two feeds in one folder: {folders}")
    others = tuple(
        Listed(spec.folder, spec.title)
        for selection, spec in chosen
        if spec.folder and selection.LISTED
    )
    hubs = tuple(Link("hub", hub) for hub in config.hubs)
    return [
        dataclasses.replace(spec, links=spec.links + hubs, listed=() if spec.folder else others)
        for spec in feeds
    ]
