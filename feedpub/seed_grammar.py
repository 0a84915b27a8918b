"""The seed format's head, defined once: the dateline, the byline and its timestamp.

Each rule is written once, with its gaps and digits as parameters. The general
reading (:mod:`feedpub.seed`) instantiates it with any white space between words
and any Unicode digit, for lines whose white space it has already normalized; the
plain reading (:mod:`feedpub.scan`) instantiates the same rule with one space and
ASCII digits, over the raw text of a seed in the plainest form. So the plain form
is the general one with its choices narrowed, never a second statement of it.
"""

from __future__ import annotations

import re

from feedpub.zones import ZONE_PATTERN

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_MONTH_NAMES = "|".join(MONTHS)


def dateline(*, plain: bool) -> str:
    """``date YYYY-MM-DD CATEGORIES a, b``: the date as its first word (checked as ISO by
    the general reading, matched as ISO by the plain one), then the categories."""
    if plain:
        return r"date (?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2}) CATEGORIES(?P<categories>(?: \S+)*)"
    return r"date\s+(?P<date>\S+)\s+CATEGORIES\b\s*(?P<categories>.*)"


def timestamp(*, plain: bool) -> str:
    """``Weekday, Month D, YYYY, HH:MM AM|PM ZONE``; the general form also takes no gap
    where one is usual, no comma after the year, ``a.m.`` and no zone."""
    digit = "[0-9]" if plain else r"\d"
    comma = ", " if plain else r"\s*,\s*"
    after_year = ", " if plain else r"\s*,?\s*"
    gap = " " if plain else r"\s+"
    before_meridiem = " " if plain else r"\s*"
    meridiem = r"(?P<meridiem>[AP])M" if plain else r"(?P<meridiem>[AaPp])\.?[Mm]\.?"
    zone = r" (?P<zone>[A-Za-z]+)" if plain else rf"(?:\s*(?P<zone>{ZONE_PATTERN}))?"
    return (
        rf"(?P<weekday>{_WEEKDAY_NAMES}){comma}"
        rf"(?P<month>{_MONTH_NAMES}){gap}(?P<day>{digit}{{1,2}}){comma}"
        rf"(?P<year>{digit}{{4}}){after_year}"
        rf"(?P<hour>{digit}{{1,2}}):(?P<minute>{digit}{{2}}){before_meridiem}{meridiem}{zone}"
    )


def by(*, plain: bool) -> str:
    """The word ``by`` that starts a byline, in any case, and the gap after it."""
    return "[Bb][Yy] " if plain else r"by\s+"


#: A line that means to be a dateline: the general reading rejects it if it does not parse.
DATELINE_HINT = re.compile(r"^date\s+(?:\d|.*\bCATEGORIES\b)")
DATELINE = re.compile(rf"^{dateline(plain=False)}$")
BY = re.compile(rf"^{by(plain=False)}", re.IGNORECASE)
#: Enough of a timestamp to say a byline meant to have one.
TIMESTAMP_HINT = re.compile(rf"(?:{_WEEKDAY_NAMES})\s*,\s*(?:{_MONTH_NAMES})\b")
TIMESTAMP = re.compile(rf"{timestamp(plain=False)}$")
WEEKDAY = re.compile(_WEEKDAY_NAMES)

#: The head most seeds have, in its plainest form, over the raw text: blank lines hold only
#: spaces, lines are words (\S is what str.split() splits on, exactly) parted by single
#: spaces, and the byline's names run into its timestamp or are parted from it by a space.
PLAIN_HEAD = re.compile(
    rf"(?: *\n)* *{dateline(plain=True)} *\n"
    r"(?: *\n)* *(?P<title>\S+(?: \S+)*) *\n"
    rf"(?: *\n)* *{by(plain=True)}(?P<names>\S+(?: \S+)*?) ?{timestamp(plain=True)} *(?:\n|\Z)"
)
