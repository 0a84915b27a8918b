"""HTML inside feeds: what readers would execute, and links they cannot resolve."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from lxml import etree

from feedpub.validate.findings import Context

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# Elements and attributes through which HTML runs code or plugins.
_UNSAFE_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base"}
)
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "background", "poster", "data"})
_UNSAFE_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|livescript)\s*:", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|#)")
# Parsing HTML in Python is slow, and most fragments hold nothing the scan looks
# for: no unsafe element, and no attribute value (on* handlers and URLs need "=").
_UNSAFE_OPENINGS = tuple(f"<{name}" for name in sorted(_UNSAFE_ELEMENTS))


def _worth_parsing(markup: str) -> bool:
    lower = markup.lower()
    return "=" in lower or any(opening in lower for opening in _UNSAFE_OPENINGS)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: str | None = None
        self.relative: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.unsafe is None and tag in _UNSAFE_ELEMENTS:
            self.unsafe = f"<{tag}>"
        for name, value in attrs:
            if self.unsafe is None and name.startswith("on"):
                self.unsafe = f"the {name} attribute of <{tag}>"
            if name in _URL_ATTRIBUTES and value is not None:
                if self.unsafe is None and _UNSAFE_SCHEME.match(value):
                    self.unsafe = f"a script URL in <{tag} {name}>"
                if self.relative is None and value.strip() and not _ABSOLUTE.match(value.strip()):
                    self.relative = value


def scan(markup: str) -> tuple[str | None, str | None]:
    """(what would run, a relative URL) found in an HTML fragment; None for none."""
    if "<" not in markup or not _worth_parsing(markup):
        return None, None
    scanner = _Scanner()
    scanner.feed(markup)
    scanner.close()
    return scanner.unsafe, scanner.relative


def has_markup(text: str) -> str | None:
    """An HTML end tag in plain text, which readers may take for markup; None for none."""
    match = re.search(r"</[A-Za-z][A-Za-z0-9]*\s*>", text)
    return match[0] if match else None


def check(context: Context, element: etree._Element, markup: str) -> None:
    """Report what in an element's HTML would run, and relative URLs with no xml:base."""
    unsafe, relative = scan(markup)
    name = etree.QName(element).localname
    if unsafe is not None:
        context.add("html-unsafe", element, f"{unsafe} in <{name}> would run in some readers")
    if relative is not None and not _has_base(element):
        context.add(
            "html-relative-url", element, f"relative URL {relative!r} in <{name}> and no xml:base"
        )


def _has_base(element: etree._Element) -> bool:
    return bool(element.get(XML_BASE)) or any(
        node.get(XML_BASE) for node in element.iterancestors()
    )
