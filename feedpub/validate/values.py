"""Checks of single values: dates, URIs, e-mail addresses, MIME types, languages.

Each returns None when the value is good, or a message saying what was
expected. They are pure and know nothing of XML.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from urllib.parse import unquote

from feedpub.validate.languages import ISO_639_1

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RFC822_ZONES = {"UT", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"}
_MILITARY = set("ABCDEFGHIKLMNOPQRSTUVWXYZ")  # RFC 822 §5.1: one letter, J excepted
_RFC822 = re.compile(
    r"^(?:(?P<weekday>[A-Za-z]+)\s*,\s*)?"
    r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{2}|\d{4})\s+"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s+"
    r"(?P<zone>[A-Za-z]{1,3}|[+-]\d{4})$"
)
_RFC3339 = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})T"
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.\d+)?"
    r"(?:Z|(?P<sign>[+-])(?P<offset_hour>\d{2}):(?P<offset_minute>\d{2}))$"
)


def rfc822_date(value: str) -> tuple[str | None, str | None, str | None]:
    """Check an RFC 822 date-time.

    Returns (error, weekday error, form warning), each None when there is none.
    Two-digit years and military zones are legal, but draw the form warning.
    """
    match = _RFC822.match(_without_comments(value).strip())
    if match is None:
        example = "'Mon, 23 May 2022 17:01:00 +0000'"
        return f"expected an RFC 822 date such as {example}, got {value!r}", None, None
    month = match["month"].title()  # RFC 822 §3.4.7: case is ignored
    if month not in _MONTHS:
        return f"expected a month abbreviation such as 'May', got {match['month']!r}", None, None
    zone = match["zone"].upper()
    if not (zone[0] in "+-" or zone in _RFC822_ZONES or zone in _MILITARY):
        return f"expected a numeric zone such as '+0000', or GMT, got {zone!r}", None, None
    if zone[0] in "+-" and int(zone[3:]) > 59:
        return f"expected offset minutes from 00 to 59, got {zone!r}", None, None
    year = int(match["year"])
    if len(match["year"]) == 2:
        year += 2000 if year < 50 else 1900
    problem = _clock(year, month, match["day"], match["hour"], match["minute"],
                     match["second"] or "00")  # fmt: skip
    if problem is not None:
        return problem, None, None
    weekday_problem = None
    if match["weekday"] is not None:
        actual = _DAYS[date(year, _MONTHS.index(month) + 1, int(match["day"])).weekday()]
        weekday = match["weekday"].title()
        if weekday not in _DAYS:
            return (
                f"expected a day abbreviation such as 'Mon', got {match['weekday']!r}",
                None,
                None,
            )
        if weekday != actual:
            weekday_problem = f"{match['day']} {month} {year} is a {actual}, not a {weekday}"
    form = None
    if len(match["year"]) == 2:
        form = f"use a four-digit year instead of {match['year']!r}"
    elif zone in _MILITARY:
        form = f"use a numeric zone, not the military zone {zone!r}, whose sign RFC 822 got wrong"
    return None, weekday_problem, form


def _without_comments(value: str) -> str:
    """Drop RFC 822 comments: parenthesized, nestable, with backslash-quoted characters."""
    kept: list[str] = []
    depth = 0
    escaped = False
    for character in value:
        if escaped:
            escaped = False
        elif depth and character == "\\":
            escaped = True
        elif character == "(":
            depth += 1
        elif character == ")" and depth:
            depth -= 1
            if not depth:
                kept.append(" ")
        elif not depth:
            kept.append(character)
    return "".join(kept)


def rfc3339_date(value: str) -> str | None:
    """Check an RFC 3339 date-time, every field range-checked.

    Uppercase ``T`` and ``Z`` only, as RFC 4287 §3.3 requires of Atom.
    """
    match = _RFC3339.match(value)
    if match is None:
        return f"expected an RFC 3339 date-time such as '2022-05-23T17:01:00Z', got {value!r}"
    month = int(match["month"])
    if not 1 <= month <= 12:
        return f"no month {match['month']} in {value!r}"
    if match["sign"] is not None and (
        int(match["offset_hour"]) > 23 or int(match["offset_minute"]) > 59
    ):
        return f"expected a zone offset from -23:59 to +23:59 in {value!r}"
    return _clock(int(match["year"]), _MONTHS[month - 1], match["day"], match["hour"],
                  match["minute"], match["second"])  # fmt: skip


_W3CDTF = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:\d{2}))?)?)?$"
)


def w3cdtf_date(value: str) -> str | None:
    """Check a W3C-DTF date (a profile of ISO 8601): a year, up to a full time with a zone."""
    match = _W3CDTF.match(value)
    if match is None:
        return f"expected a W3C-DTF date such as '2022-05-23T17:01:00Z', got {value!r}"
    month = int(match["month"] or 1)
    if not 1 <= month <= 12:
        return f"no month {match['month']} in {value!r}"
    day, hour = match["day"] or "01", match["hour"] or "00"
    minute, second = match["minute"] or "00", match["second"] or "00"
    return _clock(int(match["year"]), _MONTHS[month - 1], day, hour, minute, second)


def _clock(year: int, month: str, day: str, hour: str, minute: str, second: str) -> str | None:
    last = calendar.monthrange(year, _MONTHS.index(month) + 1)[1] if year >= 1 else 31
    if not 1 <= int(day) <= last:
        return f"no day {day} in {month} {year}"
    if int(hour) > 23:
        return f"expected an hour from 00 to 23, got {hour}"
    if int(minute) > 59:
        return f"expected minutes from 00 to 59, got {minute}"
    if int(second) > 60:  # 60 is a leap second
        return f"expected seconds from 00 to 60, got {second}"
    return None


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Characters no URI or IRI may hold literally (RFC 3986 §2, RFC 3987 §2.2).
_BAD_IRI_CHARACTER = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_HIERARCHICAL = {"http", "https", "ftp", "ftps", "ws", "wss"}


def uri(value: str, *, absolute: bool) -> str | None:
    """Check a URI: an IRI with every non-ASCII character percent-encoded."""
    for character in value:
        if ord(character) > 0x7E:
            return f"character {character!r} must be percent-encoded in a URI: {value!r}"
    return iri(value, absolute=absolute)


def iri(value: str, *, absolute: bool) -> str | None:
    """Check an IRI (or URI); ``absolute`` requires a scheme."""
    if value != value.strip():
        return f"unexpected white space around {value.strip()!r}"
    bad = _BAD_IRI_CHARACTER.search(value)
    if bad is not None:
        return f"character {bad[0]!r} is not allowed in an IRI: {value!r}"
    if _BAD_PERCENT.search(value):
        return f"'%' must start a %XX escape in {value!r}"
    if value.count("#") > 1:
        return f"more than one '#' in {value!r}"
    scheme = _SCHEME.match(value)
    if scheme is None:
        return f"expected an absolute IRI with a scheme, got {value!r}" if absolute else None
    name = scheme[0][:-1].lower()
    if name in _HIERARCHICAL:
        rest = value[len(scheme[0]) :]
        if not rest.startswith("//") or len(rest) == 2 or rest[2] in "/?#":
            return f"expected {name}://host/... in {value!r}"
    if name == "tag" and not re.match(r"^tag:[^,:]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:", value):
        return f"expected tag:authority,YYYY[-MM[-DD]]:specific (RFC 4151), got {value!r}"
    if name == "urn" and not re.match(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$", value, re.I):
        return f"expected urn:NID:NSS (RFC 8141), got {value!r}"
    if value[:9].lower() == "urn:uuid:" and not _UUID.match(value[9:]):
        return f"expected urn:uuid: and a UUID (RFC 4122), got {value!r}"
    return None


_ADDR_SPEC = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)
# The lookbehind starts a match only where a run of local-part characters starts: a
# match inside a run is one from its start too, and each run is tried once, so a long
# run without "@" costs linear time, not quadratic.
_ADDRESS_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])"
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)


def email(value: str) -> str | None:
    """Check a bare addr-spec, as Atom's ``email`` holds."""
    if _ADDR_SPEC.match(value):
        return None
    return f"expected an e-mail address such as 'jane@example.com', got {value!r}"


def rss_contact(value: str) -> str | None:
    """Check RSS ``author``/``managingEditor``/``webMaster``: an e-mail address, as in
    ``jane@example.com (Jane Doe)``; the other mailbox forms readers accept pass too,
    but an address only inside the parenthesized name does not."""
    if _ADDRESS_IN_TEXT.search(_without_comments(unquote(value))):
        return None
    return f"expected an e-mail address, as in 'jane@example.com (Jane Doe)', got {value!r}"


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MIME = re.compile(rf"^{_TOKEN}/{_TOKEN}(?:\s*;\s*{_TOKEN}=(?:{_TOKEN}|\"[^\"]*\"))*$")


def mime_type(value: str) -> str | None:
    """Check a media type such as ``text/html`` or ``audio/mpeg``."""
    if _MIME.match(value):
        return None
    return f"expected a MIME type such as 'audio/mpeg', got {value!r}"


_LANGUAGE_TAG = re.compile(r"^(?P<primary>[A-Za-z]{2,3}|[iIxX])(?:-[A-Za-z0-9]{1,8})*$")


def language_tag(value: str) -> str | None:
    """Check a BCP 47 language tag's shape (RFC 5646 §2.1)."""
    if _LANGUAGE_TAG.match(value):
        return None
    return f"expected a language tag such as 'en' or 'en-US', got {value!r}"


def rss_language(value: str) -> str | None:
    """Check an RSS language: an ISO 639 code, optionally with a country, as the spec lists."""
    match = _LANGUAGE_TAG.match(value)
    if match is None:
        return f"expected a language code such as 'en' or 'en-us', got {value!r}"
    primary = match["primary"].lower()
    if len(primary) == 2 and primary not in ISO_639_1:
        return f"{primary!r} is not an ISO 639-1 language code"
    return None


def integer(value: str, *, minimum: int = 0, maximum: int | None = None) -> str | None:
    """Check a whole number within bounds."""
    if not re.fullmatch(r"[0-9]+", value):
        return f"expected a whole number, got {value!r}"
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        upper = f" to {maximum}" if maximum is not None else " or more"
        return f"expected a number from {minimum}{upper}, got {value}"
    return None
