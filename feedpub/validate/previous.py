"""Ids that changed between two editions of a feed: what ``feedpub validate --previous``
checks, the same guard a build applies with its ledger.

An entry of the previous edition whose id is gone is matched to an entry of the new
one with an id the previous edition did not have, by its link, else by its title and
publication date: such an entry is the same article under another id, which readers
show again as new. Entries that merely left the feed (older ones, beyond its limit)
match nothing and are not reported.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from lxml import etree

from feedpub.dates import timestamp
from feedpub.validate.findings import Context, Finding, finding, opening

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True, slots=True)
class _Entry:
    id: str
    link: str
    title: str
    published: str
    where: tuple[int, int]
    """Line and column of the entry in its document."""


def changed_ids(previous: bytes, new: bytes, *, max_share: float) -> list[Finding]:
    """One ``id-changed`` finding, in ``new``, for each entry of ``previous`` that is
    there under another id, when they are more than ``max_share`` of ``previous``'s
    entries; none when either document is not a feed that can be read (its own
    findings say why)."""
    before, after = _entries(previous), _entries(new)
    if not before or after is None:
        return []
    old_ids = {entry.id for entry in before}
    new_ids = {entry.id for entry in after}
    fresh = [entry for entry in after if entry.id not in old_ids]
    by_link = {entry.link: entry for entry in fresh if entry.link}
    by_title = {
        (entry.title, _second(entry.published)): entry for entry in fresh if entry.published
    }
    moved: list[tuple[_Entry, _Entry]] = []
    for entry in before:
        if entry.id in new_ids:
            continue
        match = by_link.get(entry.link) if entry.link else None
        match = match or by_title.get((entry.title, _second(entry.published)))
        if match is not None:
            moved.append((entry, match))
    if not moved or len(moved) / len(before) <= max_share:
        return []
    share = f"{len(moved)} of the previous {len(before)} entries"
    return [
        finding(
            "id-changed",
            f"the entry published as {old.id!r} now has the id {now.id!r} ({share} changed "
            f"ids, more than {max_share:.0%}): readers show it again as new",
            *now.where,
        )
        for old, now in moved
    ]


def _second(text: str) -> str:
    """A date as its second, whatever its form, so that dates moved within their second
    (as feedpub's are, by id) still match; the text itself when it is no date."""
    moment = timestamp(text)
    return text if moment is None else str(math.floor(moment))


def _entries(data: bytes) -> list[_Entry] | None:
    """The entries of an RSS, Atom or JSON Feed document; None when it is none of them."""
    if opening(data) in (b"{", b"["):
        return _json_entries(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    context = Context(data)
    if root.tag == f"{_ATOM}feed":
        return [
            _Entry(
                (entry.findtext(f"{_ATOM}id") or "").strip(),
                _atom_link(entry),
                (entry.findtext(f"{_ATOM}title") or "").strip(),
                (entry.findtext(f"{_ATOM}published") or "").strip(),
                context.position(entry),
            )
            for entry in root.iterfind(f"{_ATOM}entry")
        ]
    if root.tag == "rss":
        entries = []
        for item in root.iterfind("channel/item"):
            link = (item.findtext("link") or "").strip()
            entries.append(
                _Entry(
                    (item.findtext("guid") or "").strip() or link,
                    link,
                    (item.findtext("title") or "").strip(),
                    (item.findtext("pubDate") or "").strip(),
                    context.position(item),
                )
            )
        return entries
    return None


def _atom_link(entry: etree._Element) -> str:
    for link in entry.iterfind(f"{_ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return (link.get("href") or "").strip()
    return ""


def _json_entries(data: bytes) -> list[_Entry] | None:
    try:
        document = json.loads(data)
    except ValueError:
        return None
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return None
    text = data.decode("utf-8", "replace")
    entries = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
            continue
        id = str(item["id"])
        offset = max(text.find(json.dumps(id, ensure_ascii=False)), 0)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        entries.append(
            _Entry(
                id,
                str(item.get("url") or ""),
                str(item.get("title") or ""),
                str(item.get("date_published") or ""),
                (line, column),
            )
        )
    return entries
