"""Atom 1.0 rules (RFC 4287)."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from feedpub.validate import extensions, html, values
from feedpub.validate.findings import Context

NS = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IANA link relations a feed may use without an IRI (RFC 4287 §4.2.7.2, RFC 8288).
REGISTERED_RELS = frozenset(
    {
        "alternate", "related", "self", "enclosure", "via", "first", "last", "next",
        "previous", "prev", "next-archive", "prev-archive", "current", "replies", "edit",
        "edit-media", "license", "hub", "payment", "search", "service", "up", "archives",
        "author", "bookmark", "canonical", "describedby", "help", "icon", "item",
        "collection", "shortlink", "stylesheet", "tag", "preview", "memento", "original",
        "timegate", "timemap", "version-history", "latest-version", "predecessor-version",
        "successor-version", "working-copy", "working-copy-of", "nofollow", "noreferrer",
        "external", "privacy-policy", "terms-of-service",
    }
)  # fmt: skip
TEXT_TYPES = frozenset({"text", "html", "xhtml"})

Check = Callable[[Context, etree._Element], None]

# name -> (required, many, check) for the children of a feed, an entry and a source.
Children = dict[str, tuple[bool, bool, Check | None]]


def check(context: Context, feed: etree._Element) -> None:
    """Check an Atom ``<feed>`` document."""
    _children(context, feed, FEED)
    extensions.check_history(context, feed)
    entered = False
    for child in feed:
        if child.tag == f"{{{NS}}}entry":
            entered = True
        elif entered and isinstance(child.tag, str) and etree.QName(child).namespace == NS:
            context.add(
                "atom-misplaced",
                child,
                f"<{etree.QName(child).localname}> must come before the entries",
            )
    _language(context, feed)
    links = feed.findall(f"{{{NS}}}link")
    if not any(link.get("rel") == "self" for link in links):
        context.add("atom-self-link", feed, 'expected <link rel="self" href="URL of this feed">')
    feed_has_author = feed.find(f"{{{NS}}}author") is not None
    seen: dict[tuple[str, str], etree._Element] = {}
    for entry in feed.iterfind(f"{{{NS}}}entry"):
        has_author = entry.find(f"{{{NS}}}author") is not None or (
            entry.find(f"{{{NS}}}source/{{{NS}}}author") is not None
        )
        if not (has_author or feed_has_author):
            context.add("atom-author", entry, "expected an <author> in the entry or in the feed")
        key = (_text(entry.find(f"{{{NS}}}id")), _text(entry.find(f"{{{NS}}}updated")))
        if key[0] and key in seen:
            context.add(
                "atom-id-duplicate",
                entry,
                f"another entry has id {key[0]!r} and the same updated time",
            )
        seen.setdefault(key, entry)


def check_entry_document(context: Context, entry: etree._Element) -> None:
    """Check an Atom Entry Document (RFC 4287 §4.1.2): an entry standing alone."""
    _entry(context, entry)
    if (
        entry.find(f"{{{NS}}}author") is None
        and entry.find(f"{{{NS}}}source/{{{NS}}}author") is None
    ):
        context.add("atom-author", entry, "expected an <author> in the entry")


def _entry(context: Context, entry: etree._Element) -> None:
    _children(context, entry, ENTRY)
    _language(context, entry)
    content = entry.find(f"{{{NS}}}content")
    links = entry.findall(f"{{{NS}}}link")
    if content is None and not any(link.get("rel", "alternate") == "alternate" for link in links):
        context.add("atom-content-or-link", entry, 'expected <content> or a <link rel="alternate">')
    if content is not None and entry.find(f"{{{NS}}}summary") is None:
        kind = content.get("type", "text")
        if content.get("src") is not None or not (
            kind in TEXT_TYPES or kind.startswith("text/") or _is_xml(kind)
        ):
            context.add("atom-summary", entry, "expected a <summary> beside this <content>")


def _children(context: Context, parent: etree._Element, allowed: Children) -> None:
    seen: dict[str, int] = {}
    parent_name = etree.QName(parent).localname
    if (parent.text or "").strip():
        context.add("atom-text-markup", parent, f"unexpected text in <{parent_name}>")
    for child in parent:
        if (child.tail or "").strip():
            context.add("atom-text-markup", child, f"unexpected text in <{parent_name}>")
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.namespace != NS:
            extensions.check_element(context, child, parent_name)
            if qname.namespace is None:
                context.add(
                    "atom-no-namespace",
                    child,
                    f"<{qname.localname}> is in no namespace; readers cannot tell what it means",
                )
            continue
        spec = allowed.get(qname.localname)
        if spec is None:
            context.add(
                "atom-unknown", child, f"RFC 4287 defines no <{qname.localname}> in <{parent_name}>"
            )
            continue
        _, many, child_check = spec
        seen[qname.localname] = seen.get(qname.localname, 0) + 1
        if seen[qname.localname] == 2 and not many:
            context.add(
                "atom-duplicate", child, f"expected one <{qname.localname}> in <{parent_name}>"
            )
        if child_check is not None:
            child_check(context, child)
    for name, (required, _, _) in allowed.items():
        if required and name not in seen:
            context.add("atom-missing", parent, f"expected <{name}> in <{parent_name}>")
    alternates: set[tuple[str | None, str | None]] = set()
    for link in parent.iterfind(f"{{{NS}}}link"):
        if link.get("rel", "alternate") != "alternate":
            continue
        key = (link.get("type"), link.get("hreflang"))
        if key in alternates:
            context.add(
                "atom-link-alternate",
                link,
                "another alternate link has the same type and hreflang",
            )
        alternates.add(key)


def _text(element: etree._Element | None) -> str:
    return (element.text or "") if element is not None else ""


def _simple(
    context: Context, element: etree._Element, code: str, *, exact: bool = True
) -> str | None:
    """An element's text; None, with a finding, when it holds elements.

    ``exact`` values (ids, dates, IRIs) may not have white space around them.
    """
    name = etree.QName(element).localname
    for child in element:
        if isinstance(child.tag, str):
            context.add(code, child, f"expected text in <{name}>, found an element")
            return None
    text = element.text or ""
    if exact and text != text.strip():
        context.add(code, element, f"unexpected white space around the value of <{name}>")
        return None
    return text


def _id(context: Context, element: etree._Element) -> None:
    text = _simple(context, element, "atom-id")
    if text is not None:
        problem = values.iri(text, absolute=True)
        if problem is not None:
            context.add("atom-id", element, problem)


def _date(context: Context, element: etree._Element) -> None:
    text = _simple(context, element, "atom-date")
    if text is not None:
        problem = values.rfc3339_date(text)
        if problem is not None:
            context.add("atom-date", element, f"<{etree.QName(element).localname}>: {problem}")


def _iri(context: Context, element: etree._Element) -> None:
    text = _simple(context, element, "atom-iri")
    if text is not None:
        problem = values.iri(text, absolute=False) if text else "expected an IRI, got nothing"
        if problem is not None:
            context.add("atom-iri", element, f"<{etree.QName(element).localname}>: {problem}")


def _email(context: Context, element: etree._Element) -> None:
    text = _simple(context, element, "atom-email")
    if text is not None:
        problem = values.email(text)
        if problem is not None:
            context.add("atom-email", element, problem)


def _plain_text(context: Context, element: etree._Element) -> None:
    _simple(context, element, "atom-text-markup", exact=False)


def _person(context: Context, element: etree._Element) -> None:
    _children(context, element, PERSON)


def _language(context: Context, element: etree._Element) -> None:
    lang = element.get(XML_LANG)
    if lang:
        problem = values.language_tag(lang)
        if problem is not None:
            context.add("atom-language", element, f"xml:lang: {problem}")


def _text_construct(context: Context, element: etree._Element) -> None:
    name = etree.QName(element).localname
    kind = element.get("type", "text")
    if kind not in TEXT_TYPES:
        context.add(
            "atom-text-type", element, f'<{name} type="{kind}">: expected text, html or xhtml'
        )
        return
    _markup(context, element, kind)
    if kind == "text" and name == "title":
        markup = html.has_markup(element.text or "")
        if markup is not None:
            context.add(
                "title-html", element, f'{markup!r} in a type="text" title: declare type="html"'
            )


def _markup(context: Context, element: etree._Element, kind: str) -> None:
    """The rules shared by text constructs and inline content of type text, html or xhtml."""
    name = etree.QName(element).localname
    elements = [child for child in element if isinstance(child.tag, str)]
    if kind == "xhtml":
        outside = (element.text or "").strip() or any((c.tail or "").strip() for c in elements)
        if len(elements) != 1 or elements[0].tag != f"{{{XHTML}}}div" or outside:
            context.add(
                "atom-xhtml-div",
                element,
                f'<{name} type="xhtml"> must hold exactly one xhtml:div and nothing else',
            )
            return
        for descendant in elements[0].iter("*"):
            if etree.QName(descendant).namespace is None:
                context.add(
                    "atom-xhtml-div",
                    descendant,
                    f"<{descendant.tag}> inside xhtml content is in no namespace, not XHTML's",
                )
                break
        return
    if elements:
        context.add(
            "atom-text-markup",
            elements[0],
            f'<{name} type="{kind}"> holds an element; escape the markup or use type="xhtml"',
        )
        return
    if kind == "html":
        html.check(context, element, element.text or "")


def _is_xml(media_type: str) -> bool:
    essence = media_type.split(";")[0].strip().lower()
    return essence.endswith(("+xml", "/xml"))


def _content(context: Context, element: etree._Element) -> None:
    kind = element.get("type", "text")
    src = element.get("src")
    if src is not None:
        problem = values.iri(src, absolute=False)
        if problem is not None:
            context.add("atom-iri", element, f"src: {problem}")
        if len(element) or (element.text or "").strip():
            context.add("atom-content", element, "<content> with src must be empty")
        if element.get("type") is None:
            context.add("atom-content-type", element, "expected a type beside src on <content>")
        elif kind in TEXT_TYPES:
            context.add(
                "atom-content", element, f'with src, type must be a MIME type, not "{kind}"'
            )
            return
    if kind in TEXT_TYPES:
        if src is None:
            _markup(context, element, kind)
        return
    problem = values.mime_type(kind)
    if problem is not None:
        context.add("mime-type", element, f"<content type>: {problem}")
        return
    children = [child for child in element if isinstance(child.tag, str)]
    if kind.lower().startswith("multipart/"):
        context.add("atom-content", element, "a composite type (multipart/*) is not allowed")
    elif src is not None:
        return
    elif _is_xml(kind):
        stray = (element.text or "").strip() or any((c.tail or "").strip() for c in children)
        if len(children) != 1 or stray:
            context.add("atom-content", element, f"content of type {kind} must be one XML element")
    elif children:
        context.add("atom-content", element, f"content of type {kind} must be text, not elements")
    elif not kind.lower().startswith("text/"):
        payload = re.sub(r"\s+", "", element.text or "")
        if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", payload) or len(payload) % 4:
            context.add("atom-content", element, f"content of type {kind} must be Base64")


def _link(context: Context, element: etree._Element) -> None:
    href = element.get("href")
    if href is None:
        context.add("atom-link", element, "expected an href on <link>")
    else:
        problem = values.iri(href, absolute=False)
        if problem is not None:
            context.add("atom-link", element, f"href: {problem}")
    rel = element.get("rel")
    if (
        rel is not None
        and rel not in REGISTERED_RELS
        and (values.iri(rel, absolute=True) is not None or ":" not in rel)
    ):
        context.add(
            "atom-link-rel", element, f"rel {rel!r} is neither registered nor an absolute IRI"
        )
    for name, validate, code in (
        ("type", values.mime_type, "mime-type"),
        ("hreflang", values.language_tag, "atom-language"),
        ("length", values.integer, "atom-link"),
    ):
        value = element.get(name)
        if value is not None:
            problem = validate(value)
            if problem is not None:
                context.add(code, element, f"<link {name}>: {problem}")


def _category(context: Context, element: etree._Element) -> None:
    if element.get("term") is None:
        context.add("atom-category", element, "expected a term on <category>")
    scheme = element.get("scheme")
    problem = None if scheme is None else values.iri(scheme, absolute=True)
    if problem is not None:
        context.add("atom-iri", element, f"scheme: {problem}")


def _generator(context: Context, element: etree._Element) -> None:
    _simple(context, element, "atom-text-markup", exact=False)
    uri = element.get("uri")
    problem = None if uri is None else values.iri(uri, absolute=False)
    if problem is not None:
        context.add("atom-iri", element, f"uri: {problem}")


def _source(context: Context, element: etree._Element) -> None:
    _children(context, element, SOURCE)


PERSON: Children = {
    "name": (True, False, _plain_text),
    "uri": (False, False, _iri),
    "email": (False, False, _email),
}
_METADATA: Children = {
    "author": (False, True, _person),
    "category": (False, True, _category),
    "contributor": (False, True, _person),
    "link": (False, True, _link),
    "rights": (False, False, _text_construct),
    "title": (True, False, _text_construct),
    "updated": (True, False, _date),
    "id": (True, False, _id),
}
FEED: Children = {
    **_METADATA,
    "generator": (False, False, _generator),
    "icon": (False, False, _iri),
    "logo": (False, False, _iri),
    "subtitle": (False, False, _text_construct),
    "entry": (False, True, _entry),
}
ENTRY: Children = {
    **_METADATA,
    "content": (False, False, _content),
    "published": (False, False, _date),
    "source": (False, False, _source),
    "summary": (False, False, _text_construct),
}
SOURCE: Children = {
    **{name: (False, many, check) for name, (_, many, check) in FEED.items() if name != "entry"},
}
