"""What ``feedpub validate`` reads: files, standard input (``-``), folders, in which
feeds are found by their root element, not their names, and URLs
(:mod:`feedpub.validate.http`).

Every input that cannot be read becomes a ``file-unreadable`` finding, so that text,
JSON and GitHub reports carry it as they carry any other.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from feedpub.errors import ReadError
from feedpub.reading import open_regular, read_at_most, read_capped
from feedpub.validate.findings import Finding, finding, opening
from feedpub.validate.http import exchange_findings, fetch, is_url

#: How a report names standard input.
STDIN = "<stdin>"
#: Root elements of the documents a folder is searched for: RSS 2.0 (and 0.9x), RSS 1.0,
#: Atom feeds and entries.
FEED_ROOTS = frozenset(
    {
        "rss",
        "{http://www.w3.org/2005/Atom}feed",
        "{http://www.w3.org/2005/Atom}entry",
        "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF",
    }
)
#: How much of a file in a folder is read to find its root element.
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Input:
    """A document to validate, or why it could not be read."""

    name: str
    """The file, folder entry or URL, as reports name it."""
    data: bytes | None
    problem: Finding | None = None
    exchange: list[Finding] = field(default_factory=list)
    """What fetching it over HTTP gave, besides the document."""


def gather(names: tuple[str, ...], max_size: int, *, feeds_only: bool = False) -> Iterator[Input]:
    """Each document the command line names, in its order: a file, standard input for
    ``-``, each feed in a folder and the folders below it, in name order, or a URL. With
    ``feeds_only``, a named file that is not a feed is passed over too (for hooks that
    are given every ``.xml`` file)."""
    for name in names:
        if name == "-":
            yield _stdin(max_size)
        elif is_url(name):
            yield _url(name, max_size)
        elif Path(name).is_dir():
            yield from _folder(Path(name), max_size)
        else:
            found = _file(Path(name), max_size)
            if not feeds_only or found.data is None or is_feed(found.data[:SNIFF_BYTES]):
                yield found


def _file(path: Path, max_size: int) -> Input:
    try:
        return Input(str(path), read_capped(path, max_size))
    except ReadError as error:
        return Input(str(path), None, finding("file-unreadable", error.message))


def _url(url: str, max_size: int) -> Input:
    fetched = fetch(url, max_size)
    if isinstance(fetched, Finding):
        return Input(url, None, fetched)
    return Input(url, fetched.data, exchange=exchange_findings(fetched))


def _stdin(max_size: int) -> Input:
    try:
        return Input(STDIN, read_at_most(sys.stdin.buffer, max_size))
    except ReadError as error:
        return Input(STDIN, None, finding("file-unreadable", error.message))


def _folder(folder: Path, max_size: int) -> Iterator[Input]:
    """The feeds below ``folder``, hidden files and folders left out; a file that cannot
    be read to tell is reported."""
    for root, folders, files in os.walk(folder, onerror=None):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            try:
                with open_regular(path) as file:
                    head = file.read(SNIFF_BYTES)
            except ValueError:
                continue  # not a regular file (a FIFO, a socket): never a feed here
            except OSError as error:
                problem = finding("file-unreadable", f"cannot read: {error.strerror}")
                yield Input(str(path), None, problem)
                continue
            if is_feed(head):
                yield _file(path, max_size)


def is_feed(head: bytes) -> bool:
    """Whether a document beginning with ``head`` is a feed: an XML document whose root
    is one of :data:`FEED_ROOTS`, or a JSON Feed (its ``version`` says so)."""
    start = opening(head)
    if start == b"{":
        return b'"https://jsonfeed.org/version/' in head and _json_feed(head)
    if start != b"<":
        return False
    parser = etree.iterparse(
        io.BytesIO(head), events=("start",), resolve_entities=False, no_network=True
    )
    try:
        for _, element in parser:
            return element.tag in FEED_ROOTS
    except etree.XMLSyntaxError:
        return False
    return False


def _json_feed(head: bytes) -> bool:
    """Whether ``head`` (a whole small file, or the start of a large one) is a JSON Feed."""
    try:
        document = json.loads(head)
    except ValueError:
        return True  # a start that names the JSON Feed version: a feed, too large to sniff
    return isinstance(document, dict) and str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    )
