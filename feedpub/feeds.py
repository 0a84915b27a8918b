"""A feed to publish, in no format yet: what a selection gives and every output renders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from feedpub.entry import Entry


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
    entries: tuple[Entry, ...]
    """Newest first, as they go into the feed."""

    def path(self, output: Path, file_name: str) -> Path:
        """Where the file ``file_name`` of this feed goes below the output folder ``output``."""
        return output / self.folder / file_name if self.folder else output / file_name

    def url(self, base_url: str, file_name: str) -> str:
        """Where the file ``file_name`` of this feed is published (its ``self`` link)."""
        return f"{base_url}{self.folder}/{file_name}" if self.folder else base_url + file_name
