"""RSS 2.0, as ``rss.xml``; feedgen renders it (see :mod:`feedpub.render`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.feeds import FeedSpec
    from feedpub.validate.findings import Finding

NAME = "rss"
FILE_NAME = "rss.xml"
MEDIA_TYPE = "application/rss+xml"


def render(spec: FeedSpec, config: Config) -> bytes:
    """The RSS feed of ``spec``."""
    from feedpub import render

    return render.rss(
        spec, config, self_url=spec.url(config.base_url, FILE_NAME), media_type=MEDIA_TYPE
    )


def validate(data: bytes) -> list[Finding]:
    """The validator's findings for an RSS document."""
    from feedpub.validate import validate

    return validate(data)


def count_entries(path: Path) -> int | None:
    """How many ``<item>`` elements the published file holds."""
    from feedpub.publish import count_elements

    return count_elements(path, "item")
