"""The site's feed as an RFC 5005 archived feed, when the settings have ``[archive]``.

The entries are split by the period of their own UTC publication time (a year, a
month, an ISO week or a day). The newest entry's period is open; every earlier one is
closed, whatever the clock says. Each period with entries is an archive document in
``<folder>/<period>/`` (``archive/2022-05/``), and the subscription feed at the root
holds the open period's entries, with a ``prev-archive`` link to the newest closed
document, or ``fh:complete`` when there is none.

A closed document is ``fh:archive`` and links to the periods with entries before and
after it (``prev-archive``, ``next-archive``) and to the subscription feed
(``current``). Since entries come newest last, the period after a closed one never
changes once it is closed: adding articles never changes a closed document's bytes.
The open period's document is published too, without ``fh:archive`` and without
``next-archive``, so that the newest closed one's ``next-archive`` leads somewhere; it
holds what the subscription feed holds, and it is closed in turn when an entry of a
later period comes.

An entry corrected during the open period (its ``updated`` in it, see the ledger)
also appears in the subscription feed, as RFC 5005 §4.1 suggests, since readers do
not fetch archives again. Tombstones go in the subscription feed, as in the site's
feed without archives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from feedpub.feeds import EntryStamp, FeedSpec, Link
from feedpub.selections import newest

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.selections import EntryIndex

NAME = "archives"
LISTED = False
"""Archive documents are not listed on the site's page as feeds of their own."""

#: The label of the period a UTC time is in, by the name the settings give it; labels
#: sort as the periods do.
PERIOD_LABELS: dict[str, Callable[[datetime], str]] = {
    "year": lambda moment: f"{moment.year:04d}",
    "month": lambda moment: f"{moment.year:04d}-{moment.month:02d}",
    "week": lambda moment: "{:04d}-W{:02d}".format(*moment.isocalendar()[:2]),
    "day": lambda moment: moment.date().isoformat(),
}


def namespace(config: Config) -> str | None:
    """The archive folder, in which each period has a folder; None without archives."""
    return None if config.archive is None else config.archive.folder


def select(index: EntryIndex, config: Config) -> list[FeedSpec]:
    """The subscription feed and a document per period with entries, oldest first.

    Periods are found from the entries' stamps, without parsing a seed; each closed
    document's entries are parsed only if the build must render it again (its
    :attr:`~feedpub.feeds.FeedSpec.memo` tells).
    """
    if config.archive is None:
        return []
    folder = config.archive.folder
    label = PERIOD_LABELS[config.archive.period]
    stamps = index.stamps()
    periods: dict[str, list[EntryStamp]] = {}
    for stamp in stamps:
        periods.setdefault(label(stamp.published), []).append(stamp)
    order = sorted(periods)
    open_period = order[-1] if order else ""
    documents = []
    for number, period in enumerate(order):
        links = []
        if number > 0:
            links.append(Link("prev-archive", folder=f"{folder}/{order[number - 1]}"))
        if number + 1 < len(order):
            links.append(Link("next-archive", folder=f"{folder}/{order[number + 1]}"))
        links.append(Link("current", folder=""))
        spec = FeedSpec(
            folder=f"{folder}/{period}",
            id=config.base_url,
            title=f"{config.title}: {period}",
            description=config.feed_description,
            home=config.base_url,
            entries=index.deferred(periods[period]),
            links=tuple(links),
            archive=period != open_period,
        )
        documents.append(dataclasses.replace(spec, memo=_memo(spec, periods[period])))
    current = [
        stamp
        for stamp in stamps
        if label(stamp.published) == open_period
        or (stamp.updated > stamp.published and label(stamp.updated) >= open_period)
    ]
    closed = order[:-1]
    subscription = newest.site_feed(
        index,
        config,
        tuple(index.deferred(current)),
        links=(Link("prev-archive", folder=f"{folder}/{closed[-1]}"),) if closed else (),
        complete=not closed,
    )
    return [subscription, *documents]


def _memo(spec: FeedSpec, stamps: list[EntryStamp]) -> str:
    """What a document's files are made of, but the settings: its own fields and each
    entry's seed as the survey found it, with its correction."""
    made_of = [
        spec.folder,
        spec.title,
        spec.archive,
        [(link.rel, link.href, link.folder) for link in spec.links],
        [(s.seed, s.id, s.size, s.mtime_ns, s.updated.timestamp()) for s in stamps],
    ]
    return hashlib.sha256(json.dumps(made_of).encode("utf-8", "surrogatepass")).hexdigest()
