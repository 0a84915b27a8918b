"""Rules for JSON Feed 1.1 documents (https://jsonfeed.org/version/1.1).

Every member the specification defines is checked for its type and value; members
whose names start with an underscore are extensions and pass unchecked, and any other
member gets a warning, as it is most often a misspelt one.
"""

from __future__ import annotations

from collections.abc import Callable

from feedpub.validate import values
from feedpub.validate.findings import Context
from feedpub.validate.jsondoc import Node

VERSIONS = ("https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1")

Check = Callable[[Context, str, Node], None]


def check(context: Context, root: Node) -> None:
    """Check a JSON Feed document: its members, its items, their ids."""
    if not isinstance(root.value, dict):
        context.add("jsonfeed-type", root.where, "expected a JSON Feed object")
        return
    feed: dict[str, Node] = root.value
    version = feed.get("version")
    if version is None:
        context.add("jsonfeed-missing", root.where, "expected version in the feed")
    elif version.value not in VERSIONS:
        context.add(
            "jsonfeed-version", version.where, f"expected {VERSIONS[0]!r}, got {version.value!r}"
        )
    for name in ("title", "items"):
        if name not in feed:
            context.add("jsonfeed-missing", root.where, f"expected {name} in the feed")
    for name in ("home_page_url", "feed_url"):
        if name not in feed:
            context.add("jsonfeed-public", root.where, f"expected {name}, as a feed on the web has")
    _members(context, "the feed", feed, _FEED)
    items = feed.get("items")
    if items is not None and isinstance(items.value, list):
        seen: set[object] = set()
        for item in items.value:
            identifier = item.value.get("id") if isinstance(item.value, dict) else None
            if identifier is None or isinstance(identifier.value, dict | list):
                continue
            if identifier.value in seen:
                context.add(
                    "jsonfeed-id-duplicate",
                    identifier.where,
                    f"item id {identifier.value!r} is given to an earlier item too",
                )
            seen.add(identifier.value)


def _members(
    context: Context, place: str, members: dict[str, Node], known: dict[str, Check]
) -> None:
    for name, node in members.items():
        member_check = known.get(name)
        if member_check is not None:
            member_check(context, name, node)
        elif not name.startswith("_"):
            context.add(
                "jsonfeed-unknown",
                node.where,
                f"{name!r} is not a member JSON Feed 1.1 defines for {place}"
                "; an extension's name begins with '_'",
            )


def _typed(word: str) -> Callable[[Context, str, Node], bool]:
    """A check that a member's value is of the kind ``word`` names, as :func:`_kind` does."""

    def is_typed(context: Context, name: str, node: Node) -> bool:
        if _kind(node) == word:
            return True
        context.add("jsonfeed-type", node.where, f"{name}: expected {word}, got {_kind(node)}")
        return False

    return is_typed


def _kind(node: Node) -> str:
    """What JSON calls the value: a bool is not a number there, as it is to Python."""
    value = node.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


_is_string = _typed("a string")
_is_number = _typed("a number")
_is_bool = _typed("true or false")
_is_object = _typed("an object")
_is_array = _typed("an array")


def _string(context: Context, name: str, node: Node) -> None:
    _is_string(context, name, node)


def _number(context: Context, name: str, node: Node) -> None:
    _is_number(context, name, node)


def _bool(context: Context, name: str, node: Node) -> None:
    _is_bool(context, name, node)


def _valued(code: str, problem_of: Callable[[str], str | None]) -> Check:
    """A check of a string member whose value ``problem_of`` judges, reported as ``code``."""

    def check(context: Context, name: str, node: Node) -> None:
        if _is_string(context, name, node):
            problem = problem_of(node.value)
            if problem is not None:
                context.add(code, node.where, f"{name}: {problem}")

    return check


_url = _valued("jsonfeed-url", lambda value: values.iri(value, absolute=True))
_date = _valued("jsonfeed-date", values.rfc3339_date)
_language = _valued("jsonfeed-language", values.language_tag)


def _tags(context: Context, name: str, node: Node) -> None:
    if _is_array(context, name, node):
        for tag in node.value:
            _is_string(context, f"{name}[]", tag)


def _author(context: Context, name: str, node: Node) -> None:
    if not _is_object(context, name, node):
        return
    _members(context, "an author", node.value, _AUTHOR)
    if not any(member in node.value for member in _AUTHOR):
        context.add("jsonfeed-author", node.where, f"{name}: expected a name, url or avatar")


def _authors(context: Context, name: str, node: Node) -> None:
    if _is_array(context, name, node):
        for author in node.value:
            _author(context, f"{name}[]", author)


def _deprecated_author(context: Context, name: str, node: Node) -> None:
    context.add(
        "jsonfeed-deprecated", node.where, "author is JSON Feed 1.0's: 1.1 has authors, an array"
    )
    _author(context, name, node)


def _objects(
    place: str,
    known: dict[str, Check],
    required: tuple[str, ...],
    more: Callable[[Context, Node], None] | None = None,
) -> Check:
    """The check of an array of objects (``place``: "an item", "a hub"), each with the
    members ``known``, those ``required`` among them, and what ``more`` checks."""
    kind = place.split(" ", 1)[1]

    def check(context: Context, name: str, node: Node) -> None:
        if not _is_array(context, name, node):
            return
        for element in node.value:
            if not _is_object(context, f"{name}[]", element):
                continue
            _members(context, place, element.value, known)
            for member in required:
                if member not in element.value:
                    context.add(
                        "jsonfeed-missing", element.where, f"expected {member} in every {kind}"
                    )
            if more is not None:
                more(context, element)

    return check


def _id(context: Context, name: str, node: Node) -> None:
    if _kind(node) == "a number":
        context.add(
            "jsonfeed-deprecated", node.where, "id: a number, which JSON Feed 1.1 makes a string"
        )
    elif _is_string(context, name, node) and not node.value.strip():
        context.add("jsonfeed-missing", node.where, "id: expected a non-empty string")


def _content(context: Context, item: Node) -> None:
    if "content_html" not in item.value and "content_text" not in item.value:
        context.add(
            "jsonfeed-missing", item.where, "expected content_html or content_text in every item"
        )


_AUTHOR: dict[str, Check] = {"name": _string, "url": _url, "avatar": _url}
_HUB: dict[str, Check] = {"type": _string, "url": _url}
_ATTACHMENT: dict[str, Check] = {
    "url": _url,
    "mime_type": _valued("mime-type", values.mime_type),
    "title": _string,
    "size_in_bytes": _number,
    "duration_in_seconds": _number,
}
_ITEM: dict[str, Check] = {
    "id": _id,
    "url": _url,
    "external_url": _url,
    "title": _string,
    "content_html": _string,
    "content_text": _string,
    "summary": _string,
    "image": _url,
    "banner_image": _url,
    "date_published": _date,
    "date_modified": _date,
    "authors": _authors,
    "author": _deprecated_author,
    "tags": _tags,
    "language": _language,
    "attachments": _objects("an attachment", _ATTACHMENT, ("url", "mime_type")),
}
_FEED: dict[str, Check] = {
    "version": lambda context, name, node: None,  # checked first, with its own rule
    "title": _string,
    "home_page_url": _url,
    "feed_url": _url,
    "description": _string,
    "user_comment": _string,
    "next_url": _url,
    "icon": _url,
    "favicon": _url,
    "authors": _authors,
    "author": _deprecated_author,
    "language": _language,
    "expired": _bool,
    "hubs": _objects("a hub", _HUB, ("type", "url")),
    "items": _objects("an item", _ITEM, ("id",), _content),
}
