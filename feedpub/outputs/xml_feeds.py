"""What the XML outputs share: the validator, and counting entries in a published file.

Both import what they need when called, so that importing an output stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feedpub.feeds import Published
    from feedpub.validate.findings import Finding


def validate(data: bytes) -> list[Finding]:
    """feedpub's validator's findings for an RSS or Atom document."""
    from feedpub.validate import validate

    return validate(data)


def entry_counter(tag: str) -> Callable[[Path], int | None]:
    """A count of the ``tag`` elements of a published file; None when there is none."""

    def count_entries(path: Path) -> int | None:
        from feedpub.publish import count_elements

        return count_elements(path, tag)

    return count_entries


def published_reader(
    entry: str, fields: tuple[str, str, str], deleted: str | None = None
) -> Callable[[Path], Published | None]:
    """A reader of the ids and times of a published file's ``entry`` elements, from
    their children ``fields`` (id, published, updated: RFC 3339 or RFC 822 dates),
    and of its ``deleted`` elements' ``ref`` and ``when``; an entry without a readable
    id or date is left out."""

    def read_published(path: Path) -> Published | None:
        from feedpub.dates import timestamp
        from feedpub.feeds import Published
        from feedpub.publish import read_xml_entries

        found = read_xml_entries(path, entry, fields, deleted)
        if found is None:
            return None
        entries = []
        for id, published, updated in found[0]:
            times = [timestamp(text) for text in (published, updated or published)]
            if id and times[0] is not None and times[1] is not None:
                entries.append((id, times[0], times[1]))
        tombstones = []
        for ref, when in found[1]:
            time = timestamp(when)
            if ref and time is not None:
                tombstones.append((ref, time))
        return Published(tuple(entries), tuple(tombstones))

    return read_published
