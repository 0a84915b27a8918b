"""Atom 1.0, as ``atom.xml``; feedgen renders it (see :mod:`feedpub.render`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.feeds import FeedSpec
    from feedpub.validate.findings import Finding

NAME = "atom"
FILE_NAME = "atom.xml"
MEDIA_TYPE = "application/atom+xml"
_ENTRY = "{http://www.w3.org/2005/Atom}entry"


def render(spec: FeedSpec, config: Config) -> bytes:
    """The Atom feed of ``spec``."""
    from feedpub import render

    return render.atom(
        spec, config, self_url=spec.url(config.base_url, FILE_NAME), media_type=MEDIA_TYPE
    )


def validate(data: bytes) -> list[Finding]:
    """The validator's findings for an Atom document."""
    from feedpub.validate import validate

    return validate(data)


def count_entries(path: Path) -> int | None:
    """How many ``<entry>`` elements the published file holds."""
    from feedpub.publish import count_elements

    return count_elements(path, _ENTRY)
