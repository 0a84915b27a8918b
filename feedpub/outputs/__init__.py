"""The outputs: each turns a :class:`~feedpub.feeds.FeedSpec` into the bytes of one file.

An output is a module of this package with the members of :class:`Output`, listed in
:data:`OUTPUTS`. Building, ``--check``, the drop guard, publishing and ``serve`` go
through this registry and name no format, so adding one is adding its module here.
Importing an output is cheap: what renders or reads a feed is imported when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from feedpub.outputs import atom, head, html, jsonfeed, rss

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.feeds import FeedSpec, Published
    from feedpub.validate.findings import Finding


class Output(Protocol):
    """One file format a build writes for each feed."""

    NAME: str
    """The format's name, as settings and messages give it."""
    FILE_NAME: str
    """The file each feed is written to, in the feed's folder, unless the ``file_names``
    setting names another (:meth:`~feedpub.config.Config.file_name`, which ``render``
    uses for the feed's own URL)."""
    MEDIA_TYPE: str
    """What ``serve`` answers with (``; charset=utf-8`` added, but to a JSON type)."""

    def render(self, spec: FeedSpec, config: Config) -> bytes:
        """The file's bytes, the same for the same spec and settings."""
        ...

    def validate(self, data: bytes) -> list[Finding]:
        """What is wrong with a file of this format; a build publishes none with errors."""
        ...

    def count_entries(self, path: Path) -> int | None:
        """How many entries the published file at ``path`` holds; None when there is no
        file to read, for the guard against dropping many at once."""
        ...

    def read_published(self, path: Path) -> Published | None:
        """The entries' ids and times (and tombstones) of the published file at ``path``;
        None when there is no file to read or the format holds no ids, for rebuilding a
        lost ledger."""
        ...


#: Every output, by name, in the order a build writes and reports them.
OUTPUTS: dict[str, Output] = {output.NAME: output for output in (rss, atom, jsonfeed, html, head)}


def by_file_name(name: str) -> Output | None:
    """The output whose files are called ``name``, if any."""
    return next((output for output in OUTPUTS.values() if name == output.FILE_NAME), None)


def file_names() -> str:
    """The outputs' file names, for help texts: ``rss.xml, atom.xml``."""
    return ", ".join(output.FILE_NAME for output in OUTPUTS.values())
