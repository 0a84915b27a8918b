"""A page a person can read, as ``index.html`` beside each feed's files.

It says what a feed is and how to subscribe, gives each feed's address to copy,
shows the newest entries, and has a ``<link rel="alternate">`` for every feed the
build writes, so that browsers and readers given the page find the feeds
(autodiscovery). The site's page also lists the site's other feeds. It needs no
JavaScript and no file besides itself.
"""

from __future__ import annotations

import html
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from feedpub.identity import article_url

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.entry import Entry
    from feedpub.feeds import FeedSpec, Published
    from feedpub.validate.findings import Finding

NAME = "html"
FILE_NAME = "index.html"
MEDIA_TYPE = "text/html"

#: The media types of feeds, with the name a person knows each by.
FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_STYLE = """\
body{font:1rem/1.5 system-ui,sans-serif;max-width:42rem;margin:0 auto;padding:1rem;color:#222}
h1{line-height:1.2}article{margin:1.5rem 0}.meta{color:#555;font-size:.9rem;margin:0}
code{word-break:break-all}pre{overflow-x:auto;background:#f4f4f4;padding:.5rem}"""


def feed_links(spec: FeedSpec, config: Config) -> list[tuple[str, str, str]]:
    """The feeds a build writes of ``spec``: (media type, name, URL), in the build's order."""
    feeds = [output for output in config.outputs if output.MEDIA_TYPE in FEED_TYPES]
    return [
        (
            output.MEDIA_TYPE,
            FEED_TYPES[output.MEDIA_TYPE],
            spec.url(config.base_url, config.file_name(output.NAME)),
        )
        for output in feeds
    ]


def head(spec: FeedSpec, config: Config) -> str:
    """The autodiscovery links of ``spec``'s feeds, one ``<link>`` a line."""
    return "".join(
        f'<link rel="alternate" type="{kind}" title="{_attr(f"{spec.title} ({name})")}" '
        f'href="{_attr(url)}">\n'
        for kind, name, url in feed_links(spec, config)
    )


def render(spec: FeedSpec, config: Config) -> bytes:
    """The page of ``spec``: UTF-8 HTML5, the same bytes for the same spec and settings."""
    links = head(spec, config)
    title = _text(spec.title)
    said = spec.description != spec.title
    tagline = f"<p>{_text(spec.description)}</p>\n" if said else ""
    parts = [
        "<!DOCTYPE html>\n",
        f'<html lang="{_attr(config.language)}">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{title}</title>\n",
        f'<meta name="description" content="{_attr(spec.description)}">\n',
        links,
        f"<style>\n{_STYLE}\n</style>\n</head>\n<body>\n",
        f"<header>\n<h1>{title}</h1>\n{tagline}</header>\n<main>\n",
        _subscribe(spec, config, links),
        _others(spec, config),
        _newest(spec, config),
        "</main>\n</body>\n</html>\n",
    ]
    return "".join(parts).encode("utf-8")


def _subscribe(spec: FeedSpec, config: Config, links: str) -> str:
    feeds = feed_links(spec, config)
    if not feeds:
        return ""
    items = "".join(
        f'<li>{name}: <a href="{_attr(url)}"><code>{_text(url)}</code></a></li>\n'
        for _, name, url in feeds
    )
    return (
        '<section id="subscribe">\n<h2>Subscribe</h2>\n'
        "<p>A feed lets a feed reader (NetNewsWire, Feedly, newsboat and many more) tell you "
        "of each new article here, without a visit or an e-mail. To subscribe, copy one of "
        "these addresses into your reader; any of them will do, as they hold the same "
        "articles.</p>\n"
        f"<ul>\n{items}</ul>\n"
        "<details>\n<summary>For your own web pages</summary>\n"
        "<p>Put these lines in a page's <code>&lt;head&gt;</code>, and browsers and readers "
        "given the page find the feeds:</p>\n"
        f"<pre><code>{_text(links)}</code></pre>\n</details>\n</section>\n"
    )


def _newest(spec: FeedSpec, config: Config) -> str:
    if not spec.entries:
        return '<section id="newest">\n<h2>Newest articles</h2>\n<p>None yet.</p>\n</section>\n'
    articles = "".join(_article(entry, config) for entry in spec.entries)
    return f'<section id="newest">\n<h2>Newest articles</h2>\n{articles}</section>\n'


def _article(entry: Entry, config: Config) -> str:
    url = article_url(config.base_url, config.article_path, key=entry.key, day=entry.date)
    moment = entry.published.astimezone(UTC)
    when = f"{_MONTHS[moment.month - 1]} {moment.day}, {moment.year}, {moment:%H:%M} UTC"
    stamp = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    byline = f"By {_text(', '.join(entry.authors))} · " if entry.authors else ""
    summary = f"<p>{_text(entry.summary)}</p>\n" if entry.summary else ""
    return (
        f'<article>\n<h3><a href="{_attr(url)}">{_text(entry.title)}</a></h3>\n'
        f'<p class="meta">{byline}<time datetime="{stamp}">{when}</time></p>\n'
        f"{summary}</article>\n"
    )


def page_url(folder: str, config: Config) -> str:
    """Where the page of the feed in ``folder`` is published: the folder's own URL, as web
    servers answer it with ``index.html``, or the page's file under another name."""
    name = config.file_name(NAME)
    page = "" if name == FILE_NAME else name
    return f"{config.base_url}{folder}/{page}" if folder else config.base_url + page


def _others(spec: FeedSpec, config: Config) -> str:
    if not spec.listed:
        return ""
    items = "".join(
        f'<li><a href="{_attr(page_url(other.folder, config))}">{_text(other.title)}</a></li>\n'
        for other in spec.listed
    )
    return f'<section id="more">\n<h2>More feeds</h2>\n<ul>\n{items}</ul>\n</section>\n'


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def validate(data: bytes) -> list[Finding]:
    """feedpub's validator's findings for the page: its autodiscovery links."""
    from feedpub.validate import validate

    return validate(data)


def count_entries(path: Path) -> int | None:
    """How many articles the published page shows; None when there is none to read."""
    from feedpub.publish import count_marked

    return count_marked(path, b"<article>")


def read_published(path: Path) -> Published | None:
    """None: a page holds no entry ids."""
    return None
