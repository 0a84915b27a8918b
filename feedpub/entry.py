"""The normalized entry model that every output format renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Entry:
    """One article, independent of any feed format."""

    id: str
    """A permanent ``tag:`` URI (RFC 4151); never changes when the article is edited."""
    key: str
    """The seed file's stem, which names the article in ids and links."""
    date: date
    """The article's own date: the dateline's, else the byline's local date."""
    title: str
    """The headline as plain text."""
    authors: tuple[str, ...]
    """Author names in byline order; empty when the seed has no byline."""
    published: datetime
    """When the article was published, timezone-aware, in UTC."""
    updated: datetime
    """When the article last changed, timezone-aware, in UTC."""
    categories: tuple[str, ...]
    """Categories from the dateline, in their order, without duplicates."""
    paragraphs: tuple[str, ...]
    """Body paragraphs as plain text; alt-text and credit lines are not among them."""
    summary: str
    """A short plain-text summary: the first body paragraph."""
    credit: str | None
    """The image credit line, or None when the seed has none."""
    source: Path
    """The seed file the entry was parsed from."""


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Order entries newest first, equal times by id, so output never depends on input order."""
    by_id = sorted(entries, key=lambda entry: entry.id)
    return sorted(by_id, key=lambda entry: entry.published, reverse=True)
