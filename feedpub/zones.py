"""Time zone abbreviations that seeds may use, mapped to fixed UTC offsets.

An abbreviation alone cannot name a zone reliably (``IST`` is India, Ireland or
Israel), so feedpub accepts only the ones below and rejects every other,
``IST`` included. Each
names one offset; daylight-saving forms have their own entry, as the seeds
write them.
"""

from __future__ import annotations

from datetime import timedelta, timezone

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
    "AST": -4 * 60,
    "ADT": -3 * 60,
    "EST": -5 * 60,
    "EDT": -4 * 60,
    "CST": -6 * 60,
    "CDT": -5 * 60,
    "MST": -7 * 60,
    "MDT": -6 * 60,
    "PST": -8 * 60,
    "PDT": -7 * 60,
    "AKST": -9 * 60,
    "AKDT": -8 * 60,
    "HST": -10 * 60,
    # Europe
    "WET": 0,
    "WEST": 60,
    "BST": 60,
    "CET": 60,
    "CEST": 2 * 60,
    "EET": 2 * 60,
    "EEST": 3 * 60,
    "MSK": 3 * 60,
}


def zone(abbreviation: str) -> timezone | None:
    """The fixed-offset zone for an abbreviation (any case), or None if it is not in the table."""
    return _ZONES.get(abbreviation.upper())


_ZONES = {
    name: timezone(timedelta(minutes=minutes), name) for name, minutes in ZONE_OFFSETS.items()
}
