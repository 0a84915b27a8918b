"""``feedpub validate URL``: a feed fetched over HTTP(S), and what readers meet there
besides the document: its media type and charset, its self link against where it was
found, redirects, and whether the server answers a conditional request with 304.

urllib3 fetches (connection and read timeouts, a size cap, gzip decoded, redirects
followed one at a time so that each is reported). Every problem with the exchange is
a finding at line 1, column 1 of the document; a feed that cannot be fetched is a
``file-unreadable`` finding, as a file that cannot be read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from feedpub import __version__
from feedpub.validate.findings import Finding, finding, opening

#: Seconds to connect and to wait for each read.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
#: The media types each format may be served with; the first is its own.
MEDIA_TYPES = {
    "rss": ("application/rss+xml", "application/xml", "text/xml"),
    "atom": ("application/atom+xml", "application/xml", "text/xml"),
    "json": ("application/feed+json", "application/json"),
}
_ATOM = "{http://www.w3.org/2005/Atom}"


def is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


@dataclass
class Fetched:
    """What the server answered for a feed, after its redirects."""

    url: str
    """Where the document was found at last."""
    data: bytes
    headers: dict[str, str]
    """Lower-case names."""
    redirects: list[Finding] = field(default_factory=list)
    polling: list[Finding] = field(default_factory=list)
    """What a conditional request found."""


def fetch(url: str, max_size: int) -> Fetched | Finding:
    """The document at ``url``, or the ``file-unreadable`` finding of why not."""
    import urllib3

    pool = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT),
        retries=False,
        headers={"User-Agent": f"feedpub/{__version__} (validate)", "Accept-Encoding": "gzip"},
    )
    found: list[Finding] = []
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = pool.request("GET", url, redirect=False, preload_content=False)
            if response.status not in _REDIRECTS:
                break
            target = urljoin(url, response.headers.get("Location", ""))
            response.release_conn()
            kind = "permanently" if response.status in _PERMANENT else "for now"
            found.append(
                finding(
                    "http-redirect",
                    f"{url} redirects {kind} ({response.status}) to {target}: readers "
                    "should subscribe to where the feed is",
                )
            )
            url = target
        else:
            return finding("file-unreadable", f"more than {MAX_REDIRECTS} redirects")
        data = response.read(max_size + 1, decode_content=True)
        response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        return finding("file-unreadable", f"cannot fetch {url}: {error}")
    if response.status != 200:
        return finding("file-unreadable", f"{url} answered {response.status} {response.reason}")
    if len(data) > max_size:
        return finding(
            "file-unreadable", f"larger than the {max_size:,}-byte limit; raise it with --max-size"
        )
    headers = {name.lower(): value for name, value in response.headers.items()}
    fetched = Fetched(url, data, headers, found)
    fetched.polling = _conditional(pool, fetched)
    return fetched


def _conditional(pool: object, fetched: Fetched) -> list[Finding]:
    """Whether the server lets readers poll cheaply: a validator (ETag or
    Last-Modified) and a 304 to a request that sends it back."""
    import urllib3

    assert isinstance(pool, urllib3.PoolManager)
    etag, modified = fetched.headers.get("etag"), fetched.headers.get("last-modified")
    if not etag and not modified:
        return [
            finding(
                "http-conditional",
                "no ETag or Last-Modified: every reader downloads the whole feed at every poll",
            )
        ]
    ask = {"If-None-Match": etag} if etag else {"If-Modified-Since": modified or ""}
    try:
        response = pool.request("GET", fetched.url, headers=ask, redirect=False)
    except urllib3.exceptions.HTTPError as error:
        return [finding("http-conditional", f"the conditional request failed: {error}")]
    if response.status != 304:
        sent = "If-None-Match" if etag else "If-Modified-Since"
        return [
            finding(
                "http-conditional",
                f"answered {response.status}, not 304, to {sent} with the feed unchanged",
            )
        ]
    return []


def exchange_findings(fetched: Fetched) -> list[Finding]:
    """What the exchange gave: redirects, the media type and charset, the self link
    against the URL the feed was found at, and what a conditional request found."""
    return [*fetched.redirects, *_served_as(fetched), *fetched.polling]


def _served_as(fetched: Fetched) -> list[Finding]:
    kind, own = _kind_and_self(fetched.data)
    found: list[Finding] = []
    if kind is None:
        return found
    content_type = fetched.headers.get("content-type", "")
    media, _, parameters = content_type.partition(";")
    media = media.strip().lower()
    allowed = MEDIA_TYPES[kind]
    if media not in allowed:
        found.append(
            finding(
                "http-content-type",
                f"served as {media or 'no media type'!r}: expected {allowed[0]!r} "
                f"(or {', '.join(repr(t) for t in allowed[1:])})",
            )
        )
    elif media.startswith("text/") and "charset=" not in parameters.lower():
        found.append(
            finding(
                "http-charset",
                f"{media} without a charset is US-ASCII (RFC 3023), whatever the XML "
                "declaration says: add '; charset=utf-8'",
            )
        )
    if own is None:
        return found
    if own != fetched.url:
        found.append(
            finding(
                "http-self-link", f"the self link is {own!r}, but the feed is at {fetched.url!r}"
            )
        )
    return found


def _kind_and_self(data: bytes) -> tuple[str | None, str | None]:
    """The format (rss, atom, json) and self link of a document; (None, None) when it is
    not a feed that can be read."""
    if opening(data) == b"{":
        try:
            document = json.loads(data)
        except ValueError:
            return None, None
        if not isinstance(document, dict):
            return None, None
        own = document.get("feed_url")
        return "json", own if isinstance(own, str) else None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None, None
    if root.tag == "rss":
        parent = root.find("channel")
        kind = "rss"
    elif root.tag == f"{_ATOM}feed":
        parent, kind = root, "atom"
    else:
        return None, None
    if parent is None:
        return kind, None
    for link in parent.iterfind(f"{_ATOM}link"):
        if link.get("rel") == "self" and link.get("href"):
            return kind, link.get("href")
    return kind, None
