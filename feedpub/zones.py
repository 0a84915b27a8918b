"""The time zones a byline may name: abbreviations, numeric offsets, a site's own zone.

An abbreviation alone cannot always name a zone (``IST`` is India, Ireland or
Israel), so feedpub knows only those with one meaning, each a fixed offset,
and a site names the others in its settings (``[zones]``). Numeric offsets
(``+09:00``, ``UTC+9``, ``GMT+5:30``) need no table. A byline that gives no
zone is read in the site's ``timezone``, an IANA zone, when it has one.

IANA rules come from the ``tzdata`` package, not the machine's database, so
that a seed gives the same instant on every machine.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from importlib import resources
from zoneinfo import ZoneInfo

#: Abbreviation -> offset from UTC in minutes. Documented in the README.
ZONE_OFFSETS: dict[str, int] = {
    # Universal
    "UTC": 0,
    "UT": 0,
    "GMT": 0,
    "Z": 0,
    # North America
    "NST": -(3 * 60 + 30),
    "NDT": -(2 * 60 + 30),
    "ADT": -3 * 60,
    "EST": -5 * 60,
    "EDT": -4 * 60,
    "CDT": -5 * 60,
    "MST": -7 * 60,
    "MDT": -6 * 60,
    "PST": -8 * 60,
    "PDT": -7 * 60,
    "AKST": -9 * 60,
    "AKDT": -8 * 60,
    "HST": -10 * 60,
    # South America
    "BRT": -3 * 60,
    "ART": -3 * 60,
    # Europe
    "WET": 0,
    "WEST": 60,
    "CET": 60,
    "CEST": 2 * 60,
    "EET": 2 * 60,
    "EEST": 3 * 60,
    "MSK": 3 * 60,
    # Africa
    "WAT": 60,
    "CAT": 2 * 60,
    "SAST": 2 * 60,
    "EAT": 3 * 60,
    # Asia
    "PKT": 5 * 60,
    "NPT": 5 * 60 + 45,
    "ICT": 7 * 60,
    "WIB": 7 * 60,
    "HKT": 8 * 60,
    "SGT": 8 * 60,
    "MYT": 8 * 60,
    "PHT": 8 * 60,
    "AWST": 8 * 60,
    "JST": 9 * 60,
    "KST": 9 * 60,
    # Oceania
    "ACST": 9 * 60 + 30,
    "ACDT": 10 * 60 + 30,
    "AEST": 10 * 60,
    "AEDT": 11 * 60,
    "NZST": 12 * 60,
    "NZDT": 13 * 60,
}

#: Abbreviations with several common meanings: a site's ``[zones]`` says which it means.
AMBIGUOUS: dict[str, str] = {
    "IST": "India +05:30, Ireland +01:00 or Israel +02:00",
    "CST": "North American Central -06:00, China +08:00 or Cuba -05:00",
    "BST": "British Summer +01:00 or Bangladesh +06:00",
    "AST": "Atlantic -04:00 or Arabia +03:00",
    "SST": "Samoa -11:00 or Singapore +08:00",
    "GST": "Gulf +04:00 or South Georgia -02:00",
}

# The offsets a zone may have, and the two ways to write one: with a sign and two-digit
# hours (+09:00, +0900), or after UTC or GMT, where the hour may have one digit (UTC+9).
MAX_OFFSET_MINUTES = 14 * 60
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})")
_PREFIXED = re.compile(
    r"(?:UTC|GMT|UT)(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?", re.IGNORECASE
)
_SIGNED = re.compile(r"(?:UTC|GMT|UT)?[+-]", re.IGNORECASE)
#: What a byline's zone may look like, for the seed grammar: a word, or an offset.
ZONE_PATTERN = r"(?:(?:[Uu][Tt][Cc]?|[Gg][Mm][Tt])?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]+)"


class ZoneError(ValueError):
    """A zone that is not in the tables, or an offset out of range; the message says why."""


def offset_minutes(text: str) -> int | None:
    """The offset written as ``+09:00``, ``+0900``, ``UTC+9`` or ``GMT+5:30``, in minutes;
    None when ``text`` is not written as an offset. Raises :class:`ZoneError` for
    one out of range."""
    match = _OFFSET.fullmatch(text) or _PREFIXED.fullmatch(text)
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    total = hours * 60 + minutes
    if minutes > 59 or total > MAX_OFFSET_MINUTES:
        raise ZoneError(f"no such offset {text!r}: expected one from -14:00 to +14:00")
    return -total if match["sign"] == "-" else total


def format_offset(minutes: int) -> str:
    """``+05:30`` for 330."""
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@dataclass(frozen=True, slots=True)
class Zones:
    """The zones a site's seeds may use: the table, the site's own entries over it, and
    the IANA zone for bylines that name none."""

    site: Mapping[str, int] = field(default_factory=dict)
    """The site's abbreviations (upper case), in minutes from UTC."""
    timezone: str = ""
    """The IANA zone for a byline without a zone; empty: such a byline is an error."""

    def fingerprint(self) -> str:
        """Text that differs whenever the zones do, for what caches parsed times; empty
        for the built-in table alone."""
        if not self.site and not self.timezone:
            return ""
        entries = ",".join(f"{name}={minutes}" for name, minutes in sorted(self.site.items()))
        return f"{entries};{self.timezone}"

    def named(self, text: str) -> tzinfo:
        """The zone a byline names. Raises :class:`ZoneError` naming what to do instead."""
        minutes = offset_minutes(text)
        if minutes is not None:
            return _fixed(minutes, None)
        if _SIGNED.match(text):
            raise ZoneError(
                f"malformed offset {text!r}: expected one such as +09:00, +0930 or UTC+9"
            )
        name = text.upper()
        if name in self.site:
            return _fixed(self.site[name], name)
        if name in AMBIGUOUS:
            meanings = AMBIGUOUS[name]
            example = _OFFSET.search(meanings)
            raise ZoneError(
                f"ambiguous time zone {text!r} ({meanings}): say which in the settings, "
                f'such as [zones] {name} = "{example[0] if example else "+00:00"}", '
                "or write the offset"
            )
        if name in ZONE_OFFSETS:
            return _fixed(ZONE_OFFSETS[name], name)
        raise ZoneError(
            f"unknown time zone {text!r}: expected an abbreviation from the zone table, an "
            "offset such as +09:00, or one added under [zones] in the settings"
        )

    def local(self, stamped: datetime) -> tuple[datetime, str | None]:
        """A byline's time that names no zone (``stamped``, naive), in the site's
        ``timezone``, and a warning for a time the clocks passed twice. Raises
        :class:`ZoneError` when there is no such zone or the clocks skipped the time."""
        if not self.timezone:
            raise ZoneError(
                "the byline names no time zone: add one such as EDT or +09:00, or set "
                "timezone (an IANA zone such as 'Asia/Kolkata') in the settings"
            )
        zone = iana_zone(self.timezone)
        if zone is None:  # the settings were checked: only a changed tz database gets here
            raise ZoneError(f"no such IANA time zone {self.timezone!r}")
        first = stamped.replace(tzinfo=zone, fold=0)
        if first.utcoffset() == first.replace(fold=1).utcoffset():
            return first, None
        when = f"{first:%H:%M} on {first:%B} {first.day}, {first.year}"
        if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != stamped:
            raise ZoneError(
                f"{when} did not happen in {self.timezone}: the clocks went forward past it"
            )
        return first, (
            f"{when} happened twice in {self.timezone}, as the clocks went back: taking the first"
        )


@functools.cache
def _fixed(minutes: int, name: str | None) -> timezone:
    offset = timedelta(minutes=minutes)
    return timezone(offset) if name is None else timezone(offset, name)


# IANA names are ASCII words joined by slashes; anything else could reach outside the data.
_IANA_NAME = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")


@functools.cache
def iana_zone(name: str) -> tzinfo | None:
    """The IANA zone ``name`` from the ``tzdata`` package; None if it has no such zone.

    Read from that package rather than the machine's database, so that a seed
    gives the same instant on every machine with the same ``tzdata``.
    """
    if not _IANA_NAME.fullmatch(name):
        return None
    try:
        with resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).open("rb") as file:
            return ZoneInfo.from_file(file, key=name)
    except (OSError, ValueError):
        return None


def iana_names() -> list[str]:
    """Every IANA zone name the ``tzdata`` package holds."""
    return resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()


DEFAULT_ZONES = Zones()
