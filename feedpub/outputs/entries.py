"""What every output writes the same way of an entry: its HTML and its instant.

Atom, RSS and JSON Feed carry the same escaped HTML, so every reader shows the same
paragraphs; Atom and JSON Feed carry the same instants, so readers of either order
entries alike.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from datetime import datetime, timedelta

from feedpub.entry import Entry


def instants(entries: Sequence[Entry]) -> dict[str, datetime]:
    """Each entry's time in Atom and JSON Feed: its own, plus a sub-second offset fixed by
    its id.

    The offset keeps entries written in the same minute from sharing an
    instant; should two offsets collide, the later id moves on by a microsecond.
    """
    taken: set[datetime] = set()
    found: dict[str, datetime] = {}
    for entry in sorted(entries, key=lambda entry: entry.id):
        instant = entry.published
        if instant.microsecond == 0:
            digest = hashlib.sha256(entry.id.encode("utf-8")).digest()
            instant += timedelta(microseconds=int.from_bytes(digest[:4], "big") % 1_000_000)
        while instant in taken:
            instant += timedelta(microseconds=1)
        taken.add(instant)
        found[entry.id] = instant
    return found


def content_html(entry: Entry) -> str:
    """The article as HTML: each paragraph escaped in a ``<p>``, the credit last and marked."""
    parts = [f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in entry.paragraphs]
    if entry.credit is not None:
        parts.append(
            f'<p class="credit"><small>{html.escape(entry.credit, quote=False)}</small></p>'
        )
    return "\n".join(parts)


def summary_html(entry: Entry) -> str:
    """The summary as escaped HTML, since RSS readers treat descriptions as HTML."""
    return html.escape(entry.summary, quote=False)
