"""What a build's survey reads of a seed: its key, by a plain reading when it can.

Most seeds are in the plainest form of the format; for them, one regular expression
over the head (:data:`~feedpub.seed_grammar.PLAIN_HEAD`, the general grammar with
its choices narrowed) answers what the general reading (:func:`feedpub.seed.scan_key`)
would, many times faster. Any other seed gets the general reading. The plain reading
is tested only by comparison with the general one.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from feedpub.errors import Diagnostic, SeedError
from feedpub.identity import tag_uri
from feedpub.seed import (
    CREDIT_MAX_CHARS,
    HTML_END_TAG,
    SeedKey,
    author_names,
    categories_of,
    content_digest,
    in_utc,
    is_nfc,
    is_paragraph,
    may_hold_forbidden,
    normalize_space,
    published_at,
    scan_key,
    title_oddity,
    without_trailer,
)
from feedpub.seed_grammar import BY, PLAIN_HEAD, WEEKDAY
from feedpub.zones import DEFAULT_ZONES, Zones


def scan_seed(data: bytes, name: str, *, authority: str, zones: Zones = DEFAULT_ZONES) -> SeedKey:
    """Check a seed exactly as :func:`~feedpub.seed.parse_seed` does, returning only its key.

    ``name`` is the seed's file name: what :func:`~feedpub.seed.parse_seed` gets as
    ``path`` when the file is read from its folder. Raises the same :class:`SeedError`
    and gives the same warnings; it stops reading the body at the first
    paragraph instead of building them all.
    """
    stem, _, suffix = name.rpartition(".")
    if stem and suffix and "/" not in name and os.sep not in name:  # Path(name).stem == stem
        plain = plain_key(data, stem, authority, zones)
        if plain is not None:
            return plain
    return scan_key(data, Path(name), authority, zones)


def plain_key(data: bytes, key: str, authority: str, zones: Zones) -> SeedKey | None:
    """:func:`scan_seed`'s answer for a seed in the plainest form, whose file name's stem
    is ``key``; None for any other seed.

    It answers only when the general reading (:func:`feedpub.seed.scan_key`) would give
    an entry and no warning, and then gives what it gives, in one regular
    expression over the head instead of a pass per line:

    - UTF-8 without a BOM, no CR, no forbidden character and in NFC: what
      :func:`~feedpub.seed.decode` and :func:`~feedpub.seed.clean_lines` give, with no
      warning;
    - :data:`~feedpub.seed_grammar.PLAIN_HEAD` matched: its three lines are the first
      three that are not blank, and each group is what normalizing white space leaves;
    - the dateline's date is its first word, ISO and valid: what the general reading of
      the dateline reads;
    - a title that does not start with "by", holds no end tag and reads like nothing
      but a title (:func:`title_oddity`): no error, no warning;
    - names holding no weekday: a timestamp match starts at a weekday name, and
      none can start in the names or run from them into the weekday (a weekday
      name has one capital, its first letter), so the first match of
      :data:`~feedpub.seed_grammar.TIMESTAMP` in the byline is this one, with the same
      groups;
    - the same authors check, and :func:`~feedpub.seed.published_at` itself, warning of
      nothing; the dateline's date is the byline's: the general reading takes no fallback;
    - a body paragraph after the byline, found by the same test.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text or may_hold_forbidden(text, data) or not is_nfc(text):
        return None
    head = PLAIN_HEAD.match(text)
    if head is None or BY.match(head["title"]) or HTML_END_TAG.search(head["title"]):
        return None
    if title_oddity(head["title"], bylined=True) is not None:
        return None
    names = head["names"]
    authors = None if WEEKDAY.search(names) else author_names(without_trailer(names))
    if authors is None:
        return None
    try:
        day = date.fromisoformat(head["iso"])
        warnings: list[Diagnostic] = []
        # Any error goes to the general reading, which names the file.
        line = text.count("\n", 0, head.start("names")) + 1
        stamped = published_at(head, line, None, warnings, zones)
    except (ValueError, SeedError):
        return None
    if warnings or stamped.date() != day or not _has_paragraph(text, head.end()):
        return None
    utc = in_utc(stamped)
    if utc is None:
        return None
    categories = categories_of(head["categories"])
    digest = content_digest(head["title"], text[head.end() :])
    return SeedKey(
        tag_uri(authority, day, key),
        utc,
        (),
        categories=categories,
        authors=authors,
        digest=digest,
    )


def _has_paragraph(text: str, start: int) -> bool:
    """Whether a line from offset ``start`` on is a body paragraph, in text with no CR and
    no forbidden character."""
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if _is_long_ascii(line) or is_paragraph(normalize_space(line)):
            return True
        if end < 0:
            return False
        start = end + 1


def _is_long_ascii(line: str) -> bool:
    """Whether an ASCII line holds more than a credit line can, without normalizing it.

    With no control characters, ASCII white space is spaces and tabs: what is left
    when they are taken out, normalizing keeps, so the line cannot be a credit or alt text.
    """
    return line.isascii() and len(line) - line.count(" ") - line.count("\t") > CREDIT_MAX_CHARS
