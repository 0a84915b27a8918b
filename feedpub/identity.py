"""Entry ids and links: the parts of a feed that must never drift."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote, urlsplit

#: Characters that percent-encoding leaves alone (RFC 3986 "unreserved").
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def authority(base_url: str) -> str:
    """The tagging authority for ids: the base URL's host, lowercase, without port."""
    host = urlsplit(base_url).hostname
    if not host:
        raise ValueError(f"no host in {base_url!r}")
    return host


def tag_uri(authority: str, day: date, key: str) -> str:
    """An RFC 4151 ``tag:`` URI for an article.

    Built from the host, the article's date and its seed's stem only, so that
    editing the title or body, or moving articles to new URLs, keeps the id.
    """
    if not _UNRESERVED.fullmatch(key):
        key = quote(key, safe="")
    return f"tag:{authority},{day.isoformat()}:{key}"


def article_url(base_url: str, pattern: str, *, key: str, day: date) -> str:
    """The article's link: ``base_url`` joined with ``pattern`` filled in.

    ``pattern`` may use ``{key}`` (the seed's stem), ``{year}``, ``{month}`` and
    ``{day}`` (two digits each for month and day).
    """
    path = pattern.format(
        key=quote(key, safe=""),
        year=f"{day.year:04d}",
        month=f"{day.month:02d}",
        day=f"{day.day:02d}",
    )
    return base_url + path
