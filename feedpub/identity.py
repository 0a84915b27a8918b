"""Entry ids and links: the parts of a feed that must never drift."""

from __future__ import annotations

import re
import unicodedata
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
    return f"tag:{authority},{day.isoformat()}:{encode_key(key)}"


#: A ``tag:`` URI as :func:`tag_uri` makes it: the authority, the date and the key.
_TAG = re.compile(r"tag:[^,:]+,\d{4}-\d{2}-\d{2}:(?P<key>[^:]+)")


def key_of(id: str) -> str | None:
    """The key, as :func:`encode_key` gives it, that :func:`tag_uri` made the id ``id``
    of; None for another id."""
    found = _TAG.fullmatch(id)
    return None if found is None else found["key"]


def encode_key(key: str) -> str:
    """A seed's stem as it stands in ids and links: NFC, then percent-encoded UTF-8.

    A name's normalization form is the file system's or the editor's choice, not
    the author's, so ``é`` typed either way gives one key. A name whose bytes are
    not UTF-8 (read with Python's ``surrogateescape``) is encoded byte for byte.
    """
    if _UNRESERVED.fullmatch(key):
        return key
    encoded = unicodedata.normalize("NFC", key).encode("utf-8", "surrogateescape")
    return quote(encoded, safe="")


def article_url(base_url: str, pattern: str, *, key: str, day: date) -> str:
    """The article's link: ``base_url`` joined with ``pattern`` filled in.

    ``pattern`` may use ``{key}`` (the seed's stem), ``{year}``, ``{month}`` and
    ``{day}`` (two digits each for month and day).
    """
    path = pattern.format(
        key=encode_key(key),
        year=f"{day.year:04d}",
        month=f"{day.month:02d}",
        day=f"{day.day:02d}",
    )
    return base_url + path
