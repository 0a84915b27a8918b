"""A toy output for tests: each feed as a plain-text list of its entries' titles.

It is a module with the members of :class:`feedpub.outputs.Output` and nothing more,
to show that registering one is all a new format needs.
"""

from __future__ import annotations

from pathlib import Path

from feedpub.config import Config
from feedpub.feeds import FeedSpec, Published
from feedpub.validate.findings import Finding

NAME = "titles"
FILE_NAME = "titles.txt"
MEDIA_TYPE = "text/plain"


def render(spec: FeedSpec, config: Config) -> bytes:
    """One title a line, newest first."""
    return "".join(f"{entry.title}\n" for entry in spec.entries).encode("utf-8")


def validate(data: bytes) -> list[Finding]:
    """A list of titles is always valid."""
    return []


def count_entries(path: Path) -> int | None:
    """One entry a line."""
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return None


def read_published(path: Path) -> Published | None:
    """None: a list of titles holds no ids."""
    return None
