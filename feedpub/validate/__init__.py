"""An offline validator for RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds from any producer.

``validate(data)`` is pure: bytes in, findings out. It never reads a file,
loads a DTD, expands an entity or touches the network. A document whose first
character (after a byte order mark and white space) opens a JSON object or array is
read as JSON; one that begins as an HTML page (or as the ``<link>`` and ``<meta>``
lines of a page's head) gets its feed autodiscovery links checked; any other is read
as XML.
"""

from __future__ import annotations

from lxml import etree

from feedpub.validate import atom, rss, values
from feedpub.validate.findings import Context, Finding, in_order, opening
from feedpub.validate.rules import RULES, Rule
from feedpub.validate.xmldoc import parse

XML_NS = "http://www.w3.org/XML/1998/namespace"

#: Root elements of documents that are not feeds but travel with them.
OTHER_FORMATS = {
    "opml": "OPML",
    "{http://www.w3.org/2007/app}service": "an AtomPub service document",
    "{http://www.w3.org/2007/app}categories": "an AtomPub category document",
    "{xri://$xrds}XRDS": "XRDS",
    "{http://www.opengis.net/kml/2.2}kml": "KML",
    "{http://earth.google.com/kml/2.1}kml": "KML",
    "{http://earth.google.com/kml/2.2}kml": "KML",
}

__all__ = ["RULES", "Finding", "Rule", "validate"]


def validate(data: bytes) -> list[Finding]:
    """Every finding in a feed document, in document order."""
    context = Context(data)
    start = opening(data, 14).lower()
    # JSON and pages are read by modules of their own, imported only for them, so that
    # validating XML starts no slower.
    if start[:1] in (b"{", b"["):
        from feedpub.validate import jsondoc, jsonfeed

        node = jsondoc.parse(context)
        if node is not None:
            jsonfeed.check(context, node)
        return in_order(context.findings)
    if start.startswith((b"<!doctype html", b"<html", b"<link", b"<meta")):
        from feedpub.validate import page

        page.check(context)
        return in_order(context.findings)
    root = parse(context)
    if root is not None:
        _xml_base(context, root)
        if root.tag == "rss":
            rss.check(context, root)
        elif root.tag == f"{{{atom.NS}}}feed":
            atom.check(context, root)
        elif root.tag == f"{{{atom.NS}}}entry":
            atom.check_entry_document(context, root)
        elif etree.QName(root).localname == "RDF":
            context.add("xml-root-unsupported", root, "RSS 1.0 (RDF) is not checked")
        elif root.tag in OTHER_FORMATS:
            context.add("xml-root-unsupported", root, f"{OTHER_FORMATS[root.tag]} is not checked")
        else:
            context.add("xml-root", root, _root_message(root))
    return in_order(context.findings)


def _xml_base(context: Context, root: etree._Element) -> None:
    base = "{http://www.w3.org/XML/1998/namespace}base"
    for element in root.iterfind(".//*[@xml:base]", namespaces={"xml": XML_NS}):
        problem = values.iri(element.get(base, ""), absolute=False)
        if problem is not None:
            context.add("xml-base", element, f"xml:base: {problem}")
    if root.get(base) is not None:
        problem = values.iri(root.get(base, ""), absolute=False)
        if problem is not None:
            context.add("xml-base", root, f"xml:base: {problem}")


def _root_message(root: etree._Element) -> str:
    qname = etree.QName(root)
    if qname.namespace == "http://purl.org/atom/ns#":
        return 'Atom 0.3 is obsolete: expected Atom 1.0 (xmlns="http://www.w3.org/2005/Atom")'
    if qname.localname in ("feed", "rss"):
        return f"<{qname.localname}> in namespace {qname.namespace!r}: expected RSS 2.0 or Atom 1.0"
    return f"<{qname.localname}> is not a feed: expected <rss> or an Atom <feed>"
