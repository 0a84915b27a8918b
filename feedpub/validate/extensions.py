"""Rules for the extension namespaces feeds use most: iTunes podcasts, Media RSS,
feed history (RFC 5005) and the geo modules. Elements of other namespaces are
left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from feedpub.validate import values
from feedpub.validate.findings import Context

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
MEDIA = "http://search.yahoo.com/mrss/"
HISTORY = "http://purl.org/syndication/history/1.0"
GEO = {
    "http://www.w3.org/2003/01/geo/wgs84_pos#": ("lat", "long"),
    "http://postneo.com/icbm": ("latitude", "longitude"),
    "http://geourl.org/rss/module/": ("latitude", "longitude"),
}
ATOM = "http://www.w3.org/2005/Atom"
PAGING_RELS = frozenset(
    {"first", "last", "next", "previous", "prev", "next-archive", "prev-archive"}
)

ValueCheck = Callable[[str], str | None]


def _one_of(*allowed: str) -> ValueCheck:
    def check(value: str) -> str | None:
        if value in allowed:
            return None
        return f"expected {' or '.join(repr(a) for a in allowed)}, got {value!r}"

    return check


def _positive(value: str) -> str | None:
    return values.integer(value, minimum=1)


def _duration(value: str) -> str | None:
    if re.fullmatch(r"\d+|\d{1,2}:[0-5]\d|\d{1,3}:[0-5]\d:[0-5]\d", value):
        return None
    return f"expected seconds, MM:SS or H:MM:SS, got {value!r}"


def _yes_no(value: str) -> str | None:
    if value.lower() in ("yes", "no"):
        return None
    return f"expected 'Yes' or 'No', got {value!r}"


def _decimal(value: str) -> str | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return None
    return f"expected a number such as 128 or 29.97, got {value!r}"


def _url(value: str) -> str | None:
    return values.uri(value, absolute=True)


# iTunes element -> (where it may stand, check of its text).
_ITUNES: dict[str, tuple[str, ValueCheck | None]] = {
    "explicit": ("both", _one_of("true", "false")),
    "block": ("both", _yes_no),
    "complete": ("channel", _yes_no),
    "duration": ("item", _duration),
    "episode": ("item", _positive),
    "season": ("item", _positive),
    "episodeType": ("item", _one_of("full", "trailer", "bonus")),
    "type": ("channel", _one_of("episodic", "serial")),
    "new-feed-url": ("channel", _url),
    "owner": ("channel", None),
    "category": ("channel", None),
    "image": ("both", None),
    "author": ("both", None),
    "title": ("both", None),
    "subtitle": ("both", None),
    "summary": ("both", None),
    "keywords": ("both", None),
    "name": ("owner", None),
    "email": ("owner", values.email),
}


_MEDIA_CONTENT: dict[str, ValueCheck] = {
    "url": _url,
    "fileSize": _positive,
    "medium": _one_of("image", "audio", "video", "document", "executable"),
    "expression": _one_of("sample", "full", "nonstop"),
    "isDefault": _one_of("true", "false"),
    "bitrate": _decimal,
    "framerate": _decimal,
    "samplingrate": _decimal,
    "channels": values.integer,
    "height": _positive,
    "width": _positive,
    "duration": values.integer,
    "type": values.mime_type,
    "lang": values.language_tag,
}
_MEDIA_SIZED: dict[str, ValueCheck] = {"url": _url, "height": _positive, "width": _positive}
# Media RSS elements that stand at most once in their parent.
_MEDIA_SINGLE = frozenset({"title", "description", "copyright", "keywords", "player", "rating"})


def check_element(context: Context, element: etree._Element, place: str) -> None:
    """Check one extension element found in ``place`` (``channel``, ``item``, ``feed``...)."""
    qname = etree.QName(element)
    if qname.namespace == ITUNES:
        _itunes(context, element, qname.localname, place)
    elif qname.namespace == MEDIA:
        _media(context, element, qname.localname)
    elif qname.namespace in GEO:
        _geo(context, element, qname)


def check_history(context: Context, feed: etree._Element) -> None:
    """RFC 5005 §2: a complete feed has no paging links."""
    if feed.find(f"{{{HISTORY}}}complete") is None:
        return
    for link in feed.findall(f"{{{ATOM}}}link"):
        if link.get("rel") in PAGING_RELS:
            context.add(
                "fh-complete",
                link,
                f'a complete feed (fh:complete) has no rel="{link.get("rel")}" link',
            )


def _text(element: etree._Element) -> str:
    return element.text or ""


def _itunes(context: Context, element: etree._Element, name: str, place: str) -> None:
    spec = _ITUNES.get(name)
    if spec is None:
        return  # newer or rarer iTunes elements pass unchecked
    where, check = spec
    if where not in ("both", place):
        context.add(
            "itunes-misplaced", element, f"<itunes:{name}> belongs in <{where}>, not <{place}>"
        )
        return
    if check is not None:
        problem = check(_text(element))
        if problem is not None:
            context.add("itunes-value", element, f"<itunes:{name}>: {problem}")
    if name == "image":
        href = element.get("href")
        problem = "expected an href attribute" if href is None else _url(href)
        if problem is not None:
            context.add("itunes-value", element, f"<itunes:image>: {problem}")
    elif name == "category" and not element.get("text"):
        context.add("itunes-value", element, "<itunes:category>: expected a text attribute")
    elif name == "owner":
        for child in element:
            if isinstance(child.tag, str):
                _itunes(context, child, etree.QName(child).localname, "owner")


def _media(context: Context, element: etree._Element, name: str) -> None:
    if name in ("group", "content"):
        seen: set[str] = set()
        for child in element:
            if isinstance(child.tag, str) and etree.QName(child).namespace == MEDIA:
                child_name = etree.QName(child).localname
                if child_name in _MEDIA_SINGLE and child_name in seen:
                    context.add("media-value", child, f"more than one <media:{child_name}>")
                seen.add(child_name)
                _media(context, child, child_name)
    if name == "content":
        _media_attributes(context, element, name, _MEDIA_CONTENT)
    elif name in ("thumbnail", "player"):
        if element.get("url") is None:
            context.add("media-value", element, f"<media:{name}>: expected a url attribute")
        _media_attributes(context, element, name, _MEDIA_SIZED)
    elif name in ("title", "description", "text"):
        kind = element.get("type")
        if kind is not None and kind not in ("plain", "html"):
            context.add(
                "media-value", element, f"<media:{name} type>: expected plain or html, got {kind!r}"
            )
        lang = element.get("lang")
        problem = None if lang is None else values.language_tag(lang)
        if problem is not None:
            context.add("media-value", element, f"<media:{name} lang>: {problem}")


def _media_attributes(
    context: Context, element: etree._Element, name: str, checks: dict[str, ValueCheck]
) -> None:
    for attribute, check in checks.items():
        value = element.get(attribute)
        problem = None if value is None else check(value)
        if problem is not None:
            context.add("media-value", element, f"<media:{name} {attribute}>: {problem}")


def _geo(context: Context, element: etree._Element, qname: etree.QName) -> None:
    latitude, longitude = GEO[str(qname.namespace)]
    limits = {latitude: 90.0, longitude: 180.0}
    limit = limits.get(qname.localname)
    if limit is None:
        return
    text = _text(element).strip()
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not -limit <= number <= limit:
        context.add(
            "geo-value",
            element,
            f"<{qname.localname}>: expected a number from {-limit:g} to {limit:g}, got {text!r}",
        )
