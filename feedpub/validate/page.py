"""HTML pages that point to feeds: their autodiscovery links.

A ``<link rel="alternate">`` with a feed's media type is how a browser, or a reader
given a site's address, finds its feeds (HTML Living Standard §4.6.7.1, the RSS
Board's RSS Autodiscovery); each needs an absolute URL, and a title to tell the
feeds apart.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from feedpub.validate import values
from feedpub.validate.findings import Context

#: The media types of feeds that autodiscovery links name.
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)


def check(context: Context) -> None:
    """Check every feed autodiscovery link of the page or fragment in ``context``."""
    try:
        text = context.data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        context.add("page-feed-link", (1, 1), f"expected a page in UTF-8: {error.reason}")
        return
    root = lxml_html.document_fromstring(text) if "<html" in text.lower() else None
    elements = (
        root.iter("link")
        if root is not None
        else (element for element in lxml_html.fragments_fromstring(text) if _is_link(element))
    )
    found = 0
    for link in elements:
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rels or kind not in FEED_TYPES:
            continue
        found += 1
        where = (link.sourceline if isinstance(link.sourceline, int) else 1, 1)
        href = link.get("href")
        problem = "no href" if not href else values.iri(href.strip(), absolute=True)
        if problem is not None:
            context.add("page-feed-link", where, f'<link rel="alternate" type="{kind}">: {problem}')
        if not (link.get("title") or "").strip():
            context.add(
                "page-feed-title", where, f'<link rel="alternate" type="{kind}"> has no title'
            )
    if not found:
        context.add("page-no-feed", (1, 1), 'no <link rel="alternate"> with a feed\'s type')


def _is_link(element: object) -> bool:
    return isinstance(element, etree._Element) and element.tag == "link"
