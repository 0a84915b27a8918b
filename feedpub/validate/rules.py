"""Every rule the validator checks: its stable code, level and source.

Codes never change meaning once published; a retired rule keeps its code
unused. The README's rule table is checked against this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "info"]

XML = "XML 1.0 (Fifth Edition)"
NS = "Namespaces in XML 1.0"
RSS = "RSS 2.0 specification (RSS Advisory Board)"
PROFILE = "RSS Best Practices Profile"
ATOM = "RFC 4287 (Atom)"
RFC822 = "RFC 822 §5, as updated by RFC 1123 §5.2.14"
RFC3339 = "RFC 3339 §5.6"
RFC3987 = "RFC 3987 (IRIs) / RFC 3986 (URIs)"
RFC5322 = "RFC 5322 §3.4.1 (addr-spec)"
BCP47 = "BCP 47 / RFC 5646"
MIME = "RFC 2045 §5.1 / RFC 6838"
JSON = "RFC 8259 (JSON)"
JSONFEED = "JSON Feed 1.1"
DISCOVERY = "HTML Living Standard §4.6.7.1 / RSS Autodiscovery"


@dataclass(frozen=True, slots=True)
class Rule:
    """One check."""

    code: str
    """Stable identifier, used in output and in the README."""
    level: Level
    """How serious a finding of this rule is."""
    spec: str
    """The specification the rule comes from."""
    summary: str
    """What the rule expects, in one line."""


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.code: rule for rule in rules}


RULES = _rules(
    # Reading the input
    Rule("file-unreadable", "error", "feedpub", "an input that can be read, within --max-size"),
    # The file and its XML
    Rule("xml-syntax", "error", XML, "a well-formed XML document"),
    Rule("xml-encoding", "error", XML + " §4.3.3", "bytes that match the declared encoding"),
    Rule(
        "xml-encoding-suspect",
        "warning",
        XML + " §4.3.3",
        "bytes that look like the declared encoding",
    ),
    Rule("xml-char", "error", XML + " §2.2", "only characters XML allows"),
    Rule(
        "xml-entity",
        "error",
        XML + " §4.1",
        "only the five predefined entities and character references",
    ),
    Rule(
        "xml-dtd-entity", "error", "feedpub (XML 1.0 §4.2)", "no entity declarations in a DOCTYPE"
    ),
    Rule("xml-namespace", "error", NS, "declared namespace prefixes"),
    Rule("xml-root", "error", "feedpub", 'an <rss version="2.0"> or Atom <feed> root element'),
    Rule(
        "xml-root-unsupported",
        "warning",
        "feedpub",
        "RSS 2.0 or Atom 1.0; other formats are not checked",
    ),
    Rule("xml-base", "error", "XML Base / " + RFC3987, "an IRI in xml:base"),
    # RSS 2.0
    Rule("rss-version", "error", RSS, 'version="2.0" on <rss>'),
    Rule("rss-missing", "error", RSS, "every required element"),
    Rule("rss-duplicate", "error", RSS, "at most one of each single-valued element"),
    Rule("rss-unknown", "error", RSS, "only elements RSS 2.0 defines, or elements in a namespace"),
    Rule("rss-misplaced", "error", RSS, "elements in the place the specification gives them"),
    Rule("rss-text", "error", RSS, "character data, not child elements, in simple elements"),
    Rule("rss-empty", "warning", PROFILE, "no empty elements"),
    Rule("rss-item-content", "error", RSS, "a title or a description in every item"),
    Rule("rss-date", "error", RFC822, "an RFC 822 date-time"),
    Rule("rss-date-weekday", "error", RFC822, "a weekday that matches the date"),
    Rule("rss-date-form", "warning", PROFILE, "a four-digit year and a numeric or GMT zone"),
    Rule("rss-url", "error", RSS, "an absolute URL"),
    Rule(
        "rss-email", "error", RSS, "an e-mail address, optionally followed by a name in parentheses"
    ),
    Rule("rss-guid-permalink", "error", RSS, "a URL in a guid that is a permalink"),
    Rule("rss-guid-duplicate", "error", RSS, "a different guid for every item"),
    Rule("rss-doctype", "error", RSS, "no DOCTYPE naming the withdrawn Netscape RSS 0.91 DTD"),
    Rule("rss-boolean", "error", RSS, "true or false"),
    Rule("rss-integer", "error", RSS, "a whole number in range"),
    Rule("rss-language", "error", RSS, "a language code the specification allows"),
    Rule("rss-skip-hours", "error", RSS, "hours 0 to 23, each once, at most 24"),
    Rule("rss-skip-hours-midnight", "warning", RSS, "0, not 24, for midnight in skipHours"),
    Rule("rss-skip-days", "error", RSS, "English day names, each once, at most 7"),
    Rule("dc-date", "error", "Dublin Core / W3C-DTF", "a W3C-DTF date in dc:date"),
    Rule("dc-language", "error", "Dublin Core / " + BCP47, "a language tag in dc:language"),
    Rule("rss-attribute", "error", RSS, "every required attribute, with a valid value"),
    Rule("rss-cloud-protocol", "error", RSS, "xml-rpc, soap or http-post as cloud protocol"),
    Rule("rss-image-size", "error", RSS, "an image at most 144 wide and 400 high"),
    Rule("rss-self-link", "warning", PROFILE, 'an atom:link rel="self" in the channel'),
    Rule("rss-enclosure-multiple", "warning", PROFILE, "at most one enclosure per item"),
    # Atom
    Rule("atom-missing", "error", ATOM, "every required element"),
    Rule("atom-duplicate", "error", ATOM, "at most one of each single-valued element"),
    Rule("atom-misplaced", "error", ATOM + " Appendix B", "feed metadata before the first entry"),
    Rule("atom-unknown", "error", ATOM, "only elements RFC 4287 defines in the Atom namespace"),
    Rule(
        "atom-author", "error", ATOM + " §4.1.2", "an author for every entry, its own or the feed's"
    ),
    Rule("atom-date", "error", RFC3339, "an RFC 3339 date-time"),
    Rule("atom-id", "error", ATOM + " §4.2.6", "an absolute IRI as id"),
    Rule(
        "atom-id-duplicate",
        "warning",
        ATOM + " §4.1.1",
        "different updated times for entries with one id",
    ),
    Rule("atom-no-namespace", "warning", ATOM + " §6.4", "extension elements in a namespace"),
    Rule("atom-iri", "error", RFC3987, "a valid IRI"),
    Rule("atom-email", "error", RFC5322, "an e-mail address"),
    Rule("atom-text-type", "error", ATOM + " §3.1.1", "type text, html or xhtml"),
    Rule("atom-xhtml-div", "error", ATOM + " §3.1.1.3", "exactly one xhtml:div in xhtml text"),
    Rule(
        "atom-text-markup",
        "error",
        ATOM + " §3.1.1.1",
        "no child elements in text or html constructs",
    ),
    Rule("atom-content", "error", ATOM + " §4.1.3", "content rules: src empty, a MIME type"),
    Rule("atom-content-type", "warning", ATOM + " §4.1.3.1", "a type attribute beside src"),
    Rule(
        "atom-content-or-link",
        "error",
        ATOM + " §4.1.1",
        "content or an alternate link in every entry",
    ),
    Rule("atom-summary", "error", ATOM + " §4.1.1", "a summary when content is not inline text"),
    Rule("atom-link", "error", ATOM + " §4.2.7", "an href on every link, valid attributes"),
    Rule("atom-link-rel", "warning", ATOM + " §4.2.7.2", "a registered rel value or an IRI"),
    Rule(
        "atom-link-alternate", "error", ATOM + " §4.1.1", "one alternate link per type and hreflang"
    ),
    Rule("atom-self-link", "warning", ATOM + " §4.2.7.2", 'a rel="self" link on the feed'),
    Rule("atom-category", "error", ATOM + " §4.2.2", "a term on every category"),
    Rule("atom-language", "error", BCP47, "a valid language tag"),
    # JSON and JSON Feed
    Rule("json-syntax", "error", JSON, "a well-formed JSON document"),
    Rule("json-encoding", "error", JSON + " §8.1", "UTF-8"),
    Rule("json-duplicate-key", "warning", JSON + " §4", "each member name once in an object"),
    Rule("jsonfeed-missing", "error", JSONFEED, "every required member"),
    Rule("jsonfeed-version", "error", JSONFEED, "a version URL the specification defines"),
    Rule("jsonfeed-type", "error", JSONFEED, "each member of the type the specification gives"),
    Rule("jsonfeed-url", "error", JSONFEED + " / " + RFC3987, "absolute URLs"),
    Rule("jsonfeed-date", "error", JSONFEED + " / " + RFC3339, "RFC 3339 dates"),
    Rule("jsonfeed-language", "error", JSONFEED + " / " + BCP47, "a valid language tag"),
    Rule("jsonfeed-author", "error", JSONFEED, "a name, url or avatar in every author"),
    Rule("jsonfeed-id-duplicate", "error", JSONFEED, "a different id for every item"),
    Rule("jsonfeed-public", "warning", JSONFEED, "home_page_url and feed_url"),
    Rule("jsonfeed-deprecated", "warning", JSONFEED, "no JSON Feed 1.0 forms: author, numeric ids"),
    Rule("jsonfeed-unknown", "warning", JSONFEED, "only defined members, or extensions with '_'"),
    # Pages that point to feeds
    Rule("page-feed-link", "error", DISCOVERY, "an absolute URL in every feed autodiscovery link"),
    Rule("page-feed-title", "warning", DISCOVERY, "a title on every feed autodiscovery link"),
    Rule("page-no-feed", "warning", DISCOVERY, "a feed autodiscovery link in a page"),
    # Extensions
    Rule("itunes-value", "error", "Apple Podcasts RSS feed requirements", "valid iTunes values"),
    Rule(
        "itunes-misplaced",
        "error",
        "Apple Podcasts RSS feed requirements",
        "iTunes elements in the channel or item they belong to",
    ),
    Rule("media-value", "error", "Media RSS 1.5.1", "valid Media RSS attributes"),
    Rule("fh-complete", "error", "RFC 5005 §2", "no paging links in a complete feed"),
    Rule(
        "geo-value",
        "error",
        "W3C Basic Geo (WGS84)",
        "a latitude from -90 to 90, a longitude from -180 to 180",
    ),
    # Between two editions of a feed (validate --previous)
    Rule(
        "id-changed",
        "error",
        ATOM + " §4.2.6 / " + RSS + " (guid)",
        "the ids the previous edition gave its entries, kept (--previous)",
    ),
    # A feed fetched over HTTP (validate URL)
    Rule(
        "http-redirect", "warning", "RFC 9110 §15.4", "a feed at the URL asked for, not redirected"
    ),
    Rule(
        "http-content-type",
        "warning",
        "RFC 4287 §7 / RSS Best Practices Profile",
        "the feed's own media type, or an XML or JSON one",
    ),
    Rule("http-charset", "warning", "RFC 3023 §3.1", "a charset with a text/* media type"),
    Rule(
        "http-self-link",
        "warning",
        "RFC 4287 §4.2.7.2 / RSS Best Practices Profile",
        "a self link that is the URL the feed was fetched at",
    ),
    Rule(
        "http-conditional",
        "warning",
        "RFC 9110 §13",
        "an ETag or Last-Modified, and 304 to a conditional request",
    ),
    # Shared
    Rule("mime-type", "error", MIME, "a valid MIME media type"),
    Rule("html-unsafe", "warning", PROFILE, "no script, event handlers or plugins in HTML"),
    Rule("html-relative-url", "warning", PROFILE, "absolute URLs in HTML, or an xml:base"),
    Rule("title-html", "warning", PROFILE, "plain text without markup in titles"),
)
