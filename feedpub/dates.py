"""The dates feeds carry, read back: RFC 3339 (Atom, JSON Feed) and RFC 822 (RSS)."""

from __future__ import annotations

from datetime import datetime


def timestamp(text: object) -> float | None:
    """An RFC 3339 or RFC 822 date-time with a zone, as POSIX seconds; None for anything
    else (no zone, no date, not text). Lenient, as a reader of published feeds is: the
    validator is what says whether a date is written as its format requires."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    try:
        if text[:4].isdigit():
            moment = datetime.fromisoformat(text)
        else:
            from email.utils import parsedate_to_datetime  # rarely needed: imported then

            moment = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    return None if moment.tzinfo is None else moment.timestamp()
