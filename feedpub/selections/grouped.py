"""The feeds per category and per author: a feed for each name the entries give in
that field, in a folder named by the name's slug, when the settings have the field's
table (``[categories]``, ``[authors]``). :data:`CATEGORIES` and :data:`AUTHORS` are
the two selections.

Slugs come from python-slugify (ASCII, lower case, hyphens), so that a feed's URL is
plain whatever the name. Names that differ only in case are one group. A slug is
made deterministic where a name alone would not give a good one, and each such case
is noted on the newest entry of the group, so that it is reported with that seed:

* a name whose slug is empty (only punctuation or emoji) gets ``KIND-`` and eight
  hexadecimal digits of the name's SHA-256;
* a slug that is reserved (:data:`RESERVED`) or that another name made first, in the
  names' sorted order, gets ``-2``, ``-3`` and so on.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from slugify import slugify

from feedpub.entry import Entry, newest_first
from feedpub.feeds import FeedSpec

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.selections import EntryIndex

Field = Literal["categories", "authors"]

#: Slugs no group gets, kept for pages beside the feeds (an index of them).
RESERVED = frozenset({"index"})
#: The longest slug, before a suffix.
MAX_SLUG = 80

_WORDS: dict[Field, tuple[str, str]] = {
    "categories": ("category", "Articles in {name}"),
    "authors": ("author", "Articles by {name}"),
}


class Grouped:
    """The selection of a feed per name in one field of the entries."""

    #: The site's page lists the feeds per category and per author.
    LISTED = True

    def __init__(self, field: Field) -> None:
        self.NAME: str = field
        self.field: Field = field

    def select(self, index: EntryIndex, config: Config) -> list[FeedSpec]:
        """A feed for each name the entries give, in slug order."""
        return select(index, config, self.field)

    def namespace(self, config: Config) -> str | None:
        """The field's folder, in which each feed has the folder of its slug."""
        return config.group_folder(self.field)


CATEGORIES = Grouped("categories")
AUTHORS = Grouped("authors")


def select(index: EntryIndex, config: Config, field: Field) -> list[FeedSpec]:
    """A feed for each name the entries give in ``field``, in slug order; none when the
    settings have no table for ``field``."""
    settings, folder = getattr(config, field), config.group_folder(field)
    if settings is None or folder is None:
        return []
    limit = settings.limit or config.limit
    groups: dict[str, dict[str, tuple[Entry, ...]]] = {}
    for name, entries in index.newest_by(field, limit).items():
        groups.setdefault(_fold(name), {})[name] = entries
    word, describe = _WORDS[field]
    feeds = []
    for slug, spellings in sorted(_slugs(groups, word, index).items()):
        name = min(spellings)
        entries = _newest(spellings.values(), limit)
        home = f"{config.base_url}{folder}/{slug}/"
        feeds.append(
            FeedSpec(
                folder=f"{folder}/{slug}",
                id=home,
                title=f"{config.title}: {name}",
                description=describe.format(name=name),
                home=config.base_url,
                entries=entries,
            )
        )
    return feeds


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _newest(groups: Iterable[tuple[Entry, ...]], limit: int) -> tuple[Entry, ...]:
    """The ``limit`` newest of the entries of several spellings of one name."""
    merged = {entry.id: entry for entries in groups for entry in entries}
    return tuple(newest_first(list(merged.values()))[:limit])


def _slugs(
    groups: dict[str, dict[str, tuple[Entry, ...]]], word: str, index: EntryIndex
) -> dict[str, dict[str, tuple[Entry, ...]]]:
    """Each group's slug; what had to be changed is noted on the group's newest entry."""
    taken: dict[str, str] = {}
    slugs: dict[str, dict[str, tuple[Entry, ...]]] = {}
    for folded in sorted(groups):
        spellings = groups[folded]
        name = min(spellings)
        newest = _newest(spellings.values(), 1)[0]
        wanted = slugify(name, max_length=MAX_SLUG)
        base = wanted or f"{word}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        slug, number = base, 1
        while slug in taken or slug in RESERVED:
            number += 1
            slug = f"{base}-{number}"
        if not wanted:
            index.note(newest, f"{word} {name!r} gives no slug: its feed is in {slug!r}")
        elif slug != wanted:
            why = f"{taken[wanted]!r} has it" if wanted in taken else "it is reserved"
            message = f"{word} {name!r} gives the slug {wanted!r}, but {why}"
            index.note(newest, f"{message}: its feed is in {slug!r}")
        taken[slug] = name
        slugs[slug] = spellings
    return slugs
