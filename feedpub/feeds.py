"""A feed to publish, in no format yet: what a selection gives and every output renders."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple, overload

from feedpub.entry import Entry

#: The relations a feed's further links may have: RFC 5005's archive links and WebSub's hub.
LINK_RELATIONS = frozenset({"prev-archive", "next-archive", "current", "hub"})


@dataclass(frozen=True, slots=True)
class Link:
    """A link of a feed besides its own (``self``) and its page (``alternate``): to a
    URL (a hub), or to another feed of the site, whose file in each format is the
    link of the file in that format."""

    rel: str
    """One of :data:`LINK_RELATIONS`."""
    href: str = ""
    """Absolute URL; empty for a link to a feed of the site."""
    folder: str | None = None
    """The folder of the site's feed it links to (see :attr:`FeedSpec.folder`), or None."""

    def __post_init__(self) -> None:
        if self.rel not in LINK_RELATIONS:
            raise ValueError(f"a feed link has no relation {self.rel!r}")
        if bool(self.href) == (self.folder is not None):
            raise ValueError("a feed link has an href or a folder, not both or none")

    def url(self, base_url: str, file_name: str) -> str:
        """Where the link goes from a file called ``file_name`` (its format's file)."""
        if self.folder is None:
            return self.href
        return f"{base_url}{self.folder}/{file_name}" if self.folder else base_url + file_name


@dataclass(frozen=True, slots=True)
class Deleted:
    """An entry gone for good, which readers are told to remove (an RFC 6721 tombstone)."""

    id: str
    """The id the entry was published with."""
    when: datetime
    """When it was deleted, timezone-aware: from data, never from the clock."""


@dataclass(frozen=True, slots=True)
class Listed:
    """Another feed of the site, which a page of this one lists."""

    folder: str
    """The other feed's folder (see :attr:`FeedSpec.folder`)."""
    title: str


class EntryStamp(NamedTuple):
    """An entry as the survey knows it, without parsing its seed: enough to choose and
    order entries, and to tell whether a feed of them changed."""

    seed: str
    """The seed's file name."""
    id: str
    key: str
    """The key its id ends with (:func:`feedpub.identity.encode_key`)."""
    published: datetime
    updated: datetime
    """With its correction, if the ledger has one."""
    size: int
    mtime_ns: int
    """The seed's size and mtime when it was read."""


class Deferred(Sequence[Entry]):
    """A feed's entries, parsed only when first read: those of a document that a build
    may find it need not render again (see :attr:`FeedSpec.memo`). Until then it knows
    them by their :class:`EntryStamp`."""

    def __init__(
        self, stamps: tuple[EntryStamp, ...], load: Callable[[], tuple[Entry, ...]]
    ) -> None:
        self.stamps = stamps
        self._load = load
        self._entries: tuple[Entry, ...] | None = None

    @property
    def loaded(self) -> bool:
        return self._entries is not None

    def load(self) -> tuple[Entry, ...]:
        """The entries, parsed now if they were not (fewer, if seeds were lost since)."""
        if self._entries is None:
            self._entries = self._load()
        return self._entries

    def __len__(self) -> int:
        return len(self.stamps) if self._entries is None else len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        return self.load()[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.load())


@dataclass(frozen=True, slots=True)
class Published:
    """What a published feed file tells of its entries, read back to rebuild the ledger
    (:mod:`feedpub.ledger`): times are POSIX seconds."""

    entries: tuple[tuple[str, float, float], ...]
    """Each entry's id, publication time and update time, in the file's order."""
    deleted: tuple[tuple[str, float], ...] = ()
    """Each tombstone's id and time."""


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed: which entries, under which name, with which title and links.

    Each output writes it as ``<output folder>/<folder>/<its file name>``, published at
    ``<base URL><folder>/<its file name>``.
    """

    folder: str
    """Where the feed's files go below the output folder and the base URL, as a URL path
    without leading or trailing slash; empty for the site's own feeds."""
    id: str
    """The feed's permanent id (Atom ``id``)."""
    title: str
    description: str
    """RSS ``description`` and Atom ``subtitle``."""
    home: str
    """The page the feed stands for (the ``alternate`` link): absolute URL."""
    entries: Sequence[Entry]
    """Newest first, as they go into the feed: a tuple, or :class:`Deferred`."""
    links: tuple[Link, ...] = ()
    """Further links, in the order they are written."""
    complete: bool = False
    """The feed holds every entry there is, so readers may drop the ones it no longer
    holds (RFC 5005 §2, ``fh:complete``)."""
    archive: bool = False
    """The feed is an archive document, whose entries never change (RFC 5005 §4,
    ``fh:archive``)."""
    deleted: tuple[Deleted, ...] = ()
    """Entries to tell readers to remove, for the formats that can (Atom)."""
    listed: tuple[Listed, ...] = ()
    """The site's other feeds, for the formats that list them (the HTML page): the
    site's own feed lists every other one."""
    memo: str = ""
    """A fingerprint of everything the feed's files are made of but the settings (its
    entries' seeds as listed, their corrections, its links), when the selection can
    give one: a build whose settings and files are as when it last published a feed of
    this memo keeps the files without parsing or rendering anything. Empty: none."""

    def __post_init__(self) -> None:
        if self.complete and self.archive:
            raise ValueError("a complete feed has no archives, and is none")
        if self.complete and any(link.rel != "hub" for link in self.links):
            raise ValueError("a complete feed has no archive links")

    def path(self, output: Path, file_name: str) -> Path:
        """Where the file ``file_name`` of this feed goes below the output folder ``output``."""
        return output / self.folder / file_name if self.folder else output / file_name

    def url(self, base_url: str, file_name: str) -> str:
        """Where the file ``file_name`` of this feed is published (its ``self`` link)."""
        return f"{base_url}{self.folder}/{file_name}" if self.folder else base_url + file_name
