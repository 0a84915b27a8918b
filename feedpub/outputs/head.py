"""The autodiscovery links of each feed, as ``head.html``: lines to paste, or include,
in the ``<head>`` of a site's own pages, so that browsers and readers find the feeds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from feedpub.outputs import html

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.feeds import FeedSpec, Published

NAME = "head"
FILE_NAME = "head.html"
MEDIA_TYPE = "text/html"


def render(spec: FeedSpec, config: Config) -> bytes:
    """One ``<link rel="alternate">`` a line, for each feed format the build writes."""
    return html.head(spec, config).encode("utf-8")


validate = html.validate


def count_entries(path: Path) -> int | None:
    """None: the snippet holds no entries, so the drop guard has nothing to count."""
    return None


def read_published(path: Path) -> Published | None:
    """None: the snippet holds no entries."""
    return None
