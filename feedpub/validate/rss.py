"""RSS 2.0 rules: the RSS Advisory Board's specification and its best-practices profile."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from feedpub.validate import extensions, html, values
from feedpub.validate.findings import Context

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
VERSIONS = frozenset({"2.0", "2.0.1", "0.91", "0.92"})
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CLOUD_PROTOCOLS = frozenset({"xml-rpc", "soap", "http-post"})

Check = Callable[[Context, etree._Element], None]


@dataclass(frozen=True, slots=True)
class Child:
    """What a parent allows of one child element."""

    required: bool = False
    many: bool = False
    check: Check | None = None


def check(context: Context, root: etree._Element) -> None:
    """Check an ``<rss>`` document."""
    version = root.get("version")
    if version is None:
        context.add("rss-version", root, 'expected version="2.0" on <rss>')
    elif version.strip() not in VERSIONS:
        context.add("rss-version", root, f'expected version="2.0", got {version!r}')
    doctype = str(getattr(root.getroottree().docinfo, "system_url", None) or "")
    if "netscape.com" in doctype:
        context.add("rss-doctype", (1, 1), f"the DOCTYPE names {doctype!r}, which no longer exists")
    _children(context, root, {"channel": Child(required=True, check=_channel)})


def _channel(context: Context, channel: etree._Element) -> None:
    _children(context, channel, CHANNEL)
    self_links = [link for link in channel.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"]
    if not self_links:
        context.add(
            "rss-self-link",
            channel,
            'expected <atom:link rel="self" href="URL of this feed"> in the channel',
        )
    guids: dict[str, etree._Element] = {}
    for guid in channel.iterfind("item/guid"):
        value = (guid.text or "").strip()
        if value and value in guids:
            context.add("rss-guid-duplicate", guid, f"guid {value!r} is used by another item too")
        guids.setdefault(value, guid)


def _item(context: Context, item: etree._Element) -> None:
    _children(context, item, ITEM)
    if item.find("title") is None and item.find("description") is None:
        context.add("rss-item-content", item, "expected a <title> or a <description> in <item>")
    enclosures = item.findall("enclosure")
    for extra in enclosures[1:]:
        context.add("rss-enclosure-multiple", extra, "expected at most one <enclosure> per item")


def _children(context: Context, parent: etree._Element, allowed: dict[str, Child]) -> None:
    """Check which children are present, and run each one's check."""
    seen: dict[str, int] = {}
    _attributes(context, parent)
    if (parent.text or "").strip():
        context.add("rss-text", parent, f"unexpected text in <{parent.tag}>")
    for child in parent:
        if (child.tail or "").strip():
            context.add(
                "rss-text", child, f"unexpected text after <{etree.QName(child).localname}>"
            )
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        qname = etree.QName(child)
        if qname.namespace is not None:
            _extension(context, child, qname)
            continue
        name = qname.localname
        spec = allowed.get(name)
        if spec is None:
            owner = _OWNERS.get(name)
            if owner is not None:
                context.add(
                    "rss-misplaced", child, f"<{name}> belongs in <{owner}>, not in <{parent.tag}>"
                )
            else:
                context.add("rss-unknown", child, f"RSS 2.0 defines no <{name}> in <{parent.tag}>")
            continue
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 2 and not spec.many:
            context.add("rss-duplicate", child, f"expected one <{name}> in <{parent.tag}>")
        if spec.check is not None:
            spec.check(context, child)
    for name, spec in allowed.items():
        if spec.required and name not in seen:
            context.add("rss-missing", parent, f"expected <{name}> in <{parent.tag}>")


def _attributes(context: Context, element: etree._Element) -> None:
    """Report attributes RSS does not define on an element (namespaced ones are extensions)."""
    allowed = ATTRIBUTES.get(str(element.tag), frozenset())
    for name in map(str, element.attrib):
        if not name.startswith("{") and name not in allowed:
            context.add(
                "rss-attribute", element, f"RSS 2.0 defines no {name} attribute on <{element.tag}>"
            )


def _extension(context: Context, element: etree._Element, qname: etree.QName) -> None:
    parent = element.getparent()
    extensions.check_element(context, element, "" if parent is None else str(parent.tag))
    if qname.namespace == ATOM and qname.localname == "link":
        href = element.get("href")
        if href is None:
            context.add("atom-link", element, "expected an href on <atom:link>")
        else:
            _report(context, "rss-url", element, values.iri(href, absolute=True))
    elif element.tag == CONTENT_ENCODED:
        _html(context, element)
    elif element.tag == DC_DATE:
        problem = values.w3cdtf_date((element.text or "").strip())
        if problem is not None:
            context.add("dc-date", element, f"<dc:date>: {problem}")
    elif element.tag == DC_LANGUAGE:
        problem = values.language_tag((element.text or "").strip())
        if problem is not None:
            context.add("dc-language", element, f"<dc:language>: {problem}")


def _text(context: Context, element: etree._Element) -> str:
    """The element's text; child elements are reported, since simple elements hold none."""
    _attributes(context, element)
    for child in element:
        if isinstance(child.tag, str):
            context.add("rss-text", child, f"expected text in <{element.tag}>, found <{child.tag}>")
            break
    return (element.text or "").strip()


def _report(context: Context, code: str, element: etree._Element, problem: str | None) -> None:
    if problem is not None:
        context.add(code, element, f"<{etree.QName(element).localname}>: {problem}")


def _plain(context: Context, element: etree._Element) -> None:
    if not _text(context, element):
        context.add("rss-empty", element, f"<{element.tag}> is empty")


def _title(context: Context, element: etree._Element) -> None:
    text = _text(context, element)
    markup = html.has_markup(text)
    if markup is not None:
        context.add("title-html", element, f"{markup!r} in a title: readers differ on markup here")


def _url(context: Context, element: etree._Element) -> None:
    _report(context, "rss-url", element, values.uri(_text(context, element), absolute=True))


def _date(context: Context, element: etree._Element) -> None:
    problem, weekday, form = values.rfc822_date(_text(context, element))
    _report(context, "rss-date", element, problem)
    _report(context, "rss-date-weekday", element, weekday)
    _report(context, "rss-date-form", element, form)


def _contact(context: Context, element: etree._Element) -> None:
    _report(context, "rss-email", element, values.rss_contact(_text(context, element)))


def _language(context: Context, element: etree._Element) -> None:
    _report(context, "rss-language", element, values.rss_language(_text(context, element)))


def _ttl(context: Context, element: etree._Element) -> None:
    _report(context, "rss-integer", element, values.integer(_text(context, element), minimum=1))


def _html(context: Context, element: etree._Element) -> None:
    html.check(context, element, _text(context, element))


def _attribute(
    context: Context,
    element: etree._Element,
    name: str,
    validate: Callable[[str], str | None] | None = None,
) -> None:
    value = element.get(name)
    if value is None:
        context.add("rss-attribute", element, f"expected a {name} attribute on <{element.tag}>")
    elif validate is not None:
        problem = validate(value.strip())
        if problem is not None:
            context.add("rss-attribute", element, f"{name}: {problem}")


def _absolute(value: str) -> str | None:
    return values.uri(value, absolute=True)


def _guid(context: Context, element: etree._Element) -> None:
    text = _text(context, element)
    permalink = element.get("isPermaLink", "true").strip()
    if permalink not in ("true", "false"):
        context.add(
            "rss-boolean", element, f'isPermaLink: expected "true" or "false", got {permalink!r}'
        )
    elif permalink == "true" and (
        values.uri(text, absolute=True) is not None
        or not text.lower().startswith(("http://", "https://"))
    ):
        context.add(
            "rss-guid-permalink",
            element,
            f'guid {text!r} is not an http(s) URL; add isPermaLink="false" if it is no permalink',
        )
    elif not text:
        context.add("rss-empty", element, "<guid> is empty")


def _enclosure(context: Context, element: etree._Element) -> None:
    _attribute(context, element, "url", _absolute)
    _attribute(context, element, "length", values.integer)
    _attribute(context, element, "type", values.mime_type)


def _source(context: Context, element: etree._Element) -> None:
    _attribute(context, element, "url", _absolute)


def _category(context: Context, element: etree._Element) -> None:
    _plain(context, element)


def _cloud(context: Context, element: etree._Element) -> None:
    for name in ("domain", "path", "registerProcedure"):
        _attribute(context, element, name)
    _attribute(
        context, element, "port", lambda value: values.integer(value, minimum=1, maximum=65535)
    )
    protocol = element.get("protocol")
    if protocol is None:
        context.add("rss-attribute", element, "expected a protocol attribute on <cloud>")
    elif protocol not in CLOUD_PROTOCOLS:
        context.add(
            "rss-cloud-protocol", element, f"expected xml-rpc, soap or http-post, got {protocol!r}"
        )


def _size(maximum: int) -> Check:
    def check_size(context: Context, element: etree._Element) -> None:
        text = _text(context, element)
        problem = values.integer(text, minimum=1)
        if problem is not None:
            _report(context, "rss-integer", element, problem)
        elif int(text) > maximum:
            context.add(
                "rss-image-size", element, f"<{element.tag}> is {text}; the most is {maximum}"
            )

    return check_size


def _image(context: Context, element: etree._Element) -> None:
    _children(context, element, IMAGE)


def _text_input(context: Context, element: etree._Element) -> None:
    _children(context, element, TEXT_INPUT)


def _form_name(context: Context, element: etree._Element) -> None:
    text = _text(context, element)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.:-]*", text):
        context.add("rss-text", element, f"<name>: expected a form field name, got {text!r}")


def _skip_hours(context: Context, element: etree._Element) -> None:
    _children(context, element, {"hour": Child(many=True, check=_hour)})
    hours = [(hour.text or "").strip().replace("24", "0") for hour in element.findall("hour")]
    if not hours or len(hours) > 24 or len(set(hours)) != len(hours):
        context.add("rss-skip-hours", element, "expected one to 24 hours, each at most once")


def _hour(context: Context, element: etree._Element) -> None:
    text = _text(context, element)
    if text == "24":
        context.add("rss-skip-hours-midnight", element, "<hour>24</hour>: midnight is 0 in RSS 2.0")
        return
    problem = values.integer(text, maximum=23)
    if problem is not None:
        context.add("rss-skip-hours", element, f"<hour>: {problem}")


def _skip_days(context: Context, element: etree._Element) -> None:
    _children(context, element, {"day": Child(many=True, check=_day)})
    days = [(day.text or "").strip() for day in element.findall("day")]
    if not days or len(days) > 7 or len(set(days)) != len(days):
        context.add("rss-skip-days", element, "expected one to seven days, each at most once")


def _day(context: Context, element: etree._Element) -> None:
    text = _text(context, element)
    if text not in DAYS:
        context.add("rss-skip-days", element, f"expected a day such as Monday, got {text!r}")


CHANNEL: dict[str, Child] = {
    "title": Child(required=True, check=_title),
    "link": Child(required=True, check=_url),
    "description": Child(required=True, check=_html),
    "language": Child(check=_language),
    "copyright": Child(check=_plain),
    "managingEditor": Child(check=_contact),
    "webMaster": Child(check=_contact),
    "pubDate": Child(check=_date),
    "lastBuildDate": Child(check=_date),
    "category": Child(many=True, check=_category),
    "generator": Child(check=_plain),
    "docs": Child(check=_url),
    "cloud": Child(check=_cloud),
    "ttl": Child(check=_ttl),
    "image": Child(check=_image),
    "rating": Child(check=_plain),
    "textInput": Child(check=_text_input),
    "skipHours": Child(check=_skip_hours),
    "skipDays": Child(check=_skip_days),
    "item": Child(many=True, check=_item),
}
ITEM: dict[str, Child] = {
    "title": Child(check=_title),
    "link": Child(check=_url),
    "description": Child(check=_html),
    "author": Child(check=_contact),
    "category": Child(many=True, check=_category),
    "comments": Child(check=_url),
    "enclosure": Child(many=True, check=_enclosure),
    "guid": Child(check=_guid),
    "pubDate": Child(check=_date),
    "source": Child(check=_source),
}
IMAGE: dict[str, Child] = {
    "url": Child(required=True, check=_url),
    "title": Child(required=True, check=_plain),
    "link": Child(required=True, check=_url),
    "width": Child(check=_size(144)),
    "height": Child(check=_size(400)),
    "description": Child(check=_plain),
}
TEXT_INPUT: dict[str, Child] = {
    "title": Child(required=True, check=_plain),
    "description": Child(required=True, check=_plain),
    "name": Child(required=True, check=_form_name),
    "link": Child(required=True, check=_url),
}
# Where each element RSS defines belongs, for elements met elsewhere.
_OWNERS: dict[str, str] = {
    **dict.fromkeys(CHANNEL, "channel"),
    **{name: "item" for name in ITEM if name not in CHANNEL},
    **dict.fromkeys(("url", "width", "height"), "image"),
    "name": "textInput",
    "hour": "skipHours",
    "day": "skipDays",
    "channel": "rss",
}

# The attributes RSS 2.0 defines, by element; every other element has none.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "rss": frozenset({"version"}),
    "guid": frozenset({"isPermaLink"}),
    "enclosure": frozenset({"url", "length", "type"}),
    "source": frozenset({"url"}),
    "category": frozenset({"domain"}),
    "cloud": frozenset({"domain", "port", "path", "registerProcedure", "protocol"}),
}
