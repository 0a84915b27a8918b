"""Parse one seed file (see SEED-FORMAT in the README) into an :class:`Entry`.

Everything here is a pure function of the file's bytes and its path: no file
system, no clock. A file that cannot be trusted raises :class:`SeedError`
naming the line; a fallback the parser takes is returned as a warning.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from feedpub.entry import Entry
from feedpub.errors import Diagnostic, SeedError
from feedpub.identity import tag_uri
from feedpub.zones import zone

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
# XML 1.0 forbids C0 controls other than tab and line breaks, and U+FFFE/U+FFFF;
# C1 controls are allowed but discouraged, and no reader shows them as text.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

_DATELINE_HINT = re.compile(r"^date\s+(?:\d|.*\bCATEGORIES\b)")
_DATELINE = re.compile(r"^date\s+(?P<date>\S+)\s+CATEGORIES\b\s*(?P<categories>.*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_BY = re.compile(r"^by\s+", re.IGNORECASE)
_TIMESTAMP_HINT = re.compile(rf"(?:{'|'.join(WEEKDAYS)})\s*,\s*(?:{'|'.join(MONTHS)})\b")
_TIMESTAMP = re.compile(
    rf"(?P<weekday>{'|'.join(WEEKDAYS)})\s*,\s*"
    rf"(?P<month>{'|'.join(MONTHS)})\s+(?P<day>\d{{1,2}})\s*,\s*(?P<year>\d{{4}})\s*,?\s*"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<meridiem>[AaPp])\.?[Mm]\.?\s*"
    r"(?P<zone>[A-Za-z]+)$"
)
# What scrapers put between the author and the weekday, when they keep anything.
_NAME_TRAILER = re.compile("[\\s,;|/\u00b7\u2022\u2013\u2014-]+$")
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:,\s*and\s+|,|;|&|\s+and\s+)\s*")

_CREDIT = re.compile(
    r"^(?:(?:top|featured?|header|hero|lead|main|cover)\s+)?"
    r"(?:image|photo|picture|photograph)s?\s*(?:courtesy|credits?|source|via|by|:)",
    re.IGNORECASE,
)
_SENTENCE_PUNCTUATION = re.compile('[.,;:!?"()\\[\\]\u201c\u201d\u3002\uff0c\uff01\uff1f]')
_HTML_END_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9]*\s*>")
_SENTENCE_END = re.compile('[.!?:;"\u201d]$')

# Alt-text lines are a handful of keywords; real paragraphs are longer.
ALT_TEXT_MAX_CHARS = 80
ALT_TEXT_MAX_WORDS = 10
CREDIT_MAX_CHARS = 200
# A byline with names only is short; longer "By ..." lines are body text.
NAME_BYLINE_MAX_CHARS = 120
NAME_MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class ParsedSeed:
    """A seed that gave an entry, with the fallbacks taken on the way."""

    entry: Entry
    """The article."""
    warnings: tuple[Diagnostic, ...]
    """One warning per fallback or repair, in line order."""


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class _Byline:
    line: int
    authors: tuple[str, ...]
    published: datetime | None


def parse_seed(data: bytes, path: Path, *, authority: str) -> ParsedSeed:
    """Parse a seed's bytes; ``authority`` is the host that entry ids are minted under.

    Raises :class:`SeedError` when the file is not an article that can be trusted.
    """
    text, warnings = decode(data, path)
    lines = clean_lines(text, path, warnings)
    content = [line for line in lines if line.text]
    if not content:
        raise SeedError("empty file: expected a dateline, a title and a body", path=path, line=1)

    position = 0
    dateline = _dateline(content[0], path)
    if dateline is not None:
        position = 1
    if position == len(content):
        raise SeedError("expected a title after the dateline", path=path, line=content[0].number)
    title = content[position]
    if _BY.match(title.text) and _TIMESTAMP_HINT.search(title.text):
        raise SeedError("expected a title, found a byline", path=path, line=title.number)
    end_tag = _HTML_END_TAG.search(title.text)
    if end_tag is not None:
        warnings.append(
            Diagnostic(
                path,
                title.number,
                "warning",
                f"the title contains {end_tag[0]!r}, which feed validators report as HTML; "
                "it is published as plain text",
            )
        )
    position += 1
    byline = _byline(content[position], path, warnings) if position < len(content) else None
    header_end = byline.line if byline is not None else title.number

    paragraphs, credits = _body(lines[header_end:])
    if not paragraphs:
        raise SeedError(
            "expected body paragraphs after the title and byline; the file looks truncated",
            path=path,
            line=min(header_end + 1, len(lines)),
        )

    if byline is None:
        warnings.append(
            Diagnostic(path, title.number + 1, "warning", "no byline: the article has no author")
        )
    published, day = _when(dateline, byline, title.number, path, warnings)
    categories = dateline[1] if dateline is not None else ()
    key = path.stem
    entry = Entry(
        id=tag_uri(authority, day, key),
        key=key,
        date=day,
        title=title.text,
        authors=byline.authors if byline is not None else (),
        published=published,
        updated=published,
        categories=categories,
        paragraphs=tuple(paragraphs),
        summary=paragraphs[0],
        credit="; ".join(credits) if credits else None,
        source=path,
    )
    return ParsedSeed(entry, tuple(sorted(warnings, key=lambda w: w.line or 0)))


def decode(data: bytes, path: Path) -> tuple[str, list[Diagnostic]]:
    """Decode UTF-8 (BOM or not) or UTF-16 with a BOM; fall back to Windows-1252 with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise SeedError(
                "invalid UTF-16 text", path=path, line=_line_at(data, error.start)
            ) from None
    nul = data.find(b"\0")
    if nul >= 0:
        raise SeedError(
            "binary file (NUL byte): expected a text article", path=path, line=_line_at(data, nul)
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":
            raise SeedError(
                "the file ends inside a UTF-8 character: it looks truncated",
                path=path,
                line=_line_at(data, error.start),
            ) from None
        first_bad = error.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SeedError(
            f"byte 0x{data[error.start]:02X} is neither UTF-8 nor Windows-1252: "
            "expected a text article",
            path=path,
            line=_line_at(data, error.start),
        ) from None
    warning = Diagnostic(
        path, _line_at(data, first_bad), "warning", "not valid UTF-8; decoded as Windows-1252"
    )
    return text, [warning]


def clean_lines(text: str, path: Path, warnings: list[Diagnostic]) -> list[_Line]:
    """Split into numbered lines, dropping XML-forbidden characters and normalizing white space."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _FORBIDDEN.search(text):
        for number, raw in enumerate(raw_lines, start=1):
            cleaned, removed = _FORBIDDEN.subn("", raw)
            if removed:
                codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(raw)}))
                warnings.append(
                    Diagnostic(
                        path, number, "warning", f"removed {removed} control character(s) ({codes})"
                    )
                )
                raw_lines[number - 1] = cleaned
    # str.split() splits on runs of any Unicode white space and drops both ends.
    return [_Line(number, " ".join(raw.split())) for number, raw in enumerate(raw_lines, start=1)]


def _line_at(data: bytes, offset: int) -> int:
    return len(_LINE_BREAK_BYTES.findall(data, 0, offset)) + 1


def _dateline(line: _Line, path: Path) -> tuple[date, tuple[str, ...]] | None:
    if not _DATELINE_HINT.match(line.text):
        return None
    match = _DATELINE.match(line.text)
    if match is None:
        raise SeedError(
            "malformed dateline: expected 'date YYYY-MM-DD CATEGORIES [a, b, ...]'",
            path=path,
            line=line.number,
        )
    raw = match["date"]
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        raise SeedError(
            f"expected an ISO date (YYYY-MM-DD) in the dateline, found {raw!r}",
            path=path,
            line=line.number,
        ) from None
    categories: dict[str, None] = {}
    for category in match["categories"].split(","):
        if category.strip():
            categories[category.strip()] = None
    return day, tuple(categories)


def _byline(line: _Line, path: Path, warnings: list[Diagnostic]) -> _Byline | None:
    """Parse a byline; None when the line is not one (then it is body text)."""
    by = _BY.match(line.text)
    if by is None:
        return None
    rest = line.text[by.end() :]
    if not _TIMESTAMP_HINT.search(rest):
        authors = _authors(rest)
        if authors is None or len(line.text) > NAME_BYLINE_MAX_CHARS:
            return None
        return _Byline(line.number, authors, None)
    timestamp = _TIMESTAMP.search(rest)
    if timestamp is None:
        raise SeedError(
            "malformed byline timestamp: expected 'Weekday, Month D, YYYY, HH:MM AM|PM ZONE'",
            path=path,
            line=line.number,
        )
    authors = _authors(_NAME_TRAILER.sub("", rest[: timestamp.start()]))
    if authors is None:
        raise SeedError(
            "expected author names between 'by' and the timestamp", path=path, line=line.number
        )
    return _Byline(line.number, authors, _published(timestamp, line, path, warnings))


def _authors(names: str) -> tuple[str, ...] | None:
    """Split ``A, B and C``; None when the text does not read as a list of names."""
    if not names or _SENTENCE_END.search(names):
        return None
    authors = tuple(name for name in _AUTHOR_SEPARATOR.split(names) if name)
    for name in authors:
        if not name[0].isupper() or len(name.split()) > NAME_MAX_WORDS:
            return None
    return authors or None


def _published(
    match: re.Match[str], line: _Line, path: Path, warnings: list[Diagnostic]
) -> datetime:
    hour, minute = int(match["hour"]), int(match["minute"])
    if not 1 <= hour <= 12 or minute > 59:
        raise SeedError(
            f"no such time {match['hour']}:{match['minute']}: expected HH:MM from 1:00 to 12:59",
            path=path,
            line=line.number,
        )
    tz = zone(match["zone"])
    if tz is None:
        raise SeedError(
            f"unknown time zone {match['zone']!r}: expected an abbreviation from the zone table",
            path=path,
            line=line.number,
        )
    hour = hour % 12 + (12 if match["meridiem"] in "Pp" else 0)
    try:
        day = date(int(match["year"]), MONTHS.index(match["month"]) + 1, int(match["day"]))
    except ValueError:
        raise SeedError(
            f"no such date {match['month']} {match['day']}, {match['year']}",
            path=path,
            line=line.number,
        ) from None
    if WEEKDAYS[day.weekday()] != match["weekday"]:
        warnings.append(
            Diagnostic(
                path,
                line.number,
                "warning",
                f"{match['month']} {match['day']}, {match['year']} is a "
                f"{WEEKDAYS[day.weekday()]}, not a {match['weekday']}: trusting the date",
            )
        )
    return datetime.combine(day, time(hour, minute), tz)


def _when(
    dateline: tuple[date, tuple[str, ...]] | None,
    byline: _Byline | None,
    title_line: int,
    path: Path,
    warnings: list[Diagnostic],
) -> tuple[datetime, date]:
    """The UTC publication time and the article's own date, with warnings for fallbacks."""
    stamped = byline.published if byline is not None else None
    if stamped is not None:
        local_day = stamped.date()
        if dateline is None:
            warnings.append(
                Diagnostic(path, 1, "warning", "no dateline: dating the article by its byline")
            )
            return stamped.astimezone(UTC), local_day
        if dateline[0] != local_day:
            warnings.append(
                Diagnostic(
                    path,
                    byline.line if byline is not None else title_line,
                    "warning",
                    f"the dateline says {dateline[0].isoformat()} but the byline says "
                    f"{local_day.isoformat()}: using the byline's time",
                )
            )
        return stamped.astimezone(UTC), dateline[0]
    if dateline is None:
        raise SeedError(
            "expected a dateline or a byline timestamp to date the article",
            path=path,
            line=title_line,
        )
    warnings.append(
        Diagnostic(
            path,
            byline.line if byline is not None else title_line + 1,
            "warning",
            "no byline timestamp: using the dateline's date at 00:00 UTC",
        )
    )
    return datetime.combine(dateline[0], time(0), UTC), dateline[0]


def _body(lines: list[_Line]) -> tuple[list[str], list[str]]:
    """Group body lines into paragraphs, setting alt-text and credit lines apart."""
    paragraphs: list[str] = []
    credits: list[str] = []
    current: list[str] = []
    for line in lines:
        text = line.text
        is_credit = bool(_CREDIT.match(text)) and len(text) <= CREDIT_MAX_CHARS
        if text and not is_credit and not is_alt_text(text):
            current.append(text)
            continue
        # A blank, an image's alt text or its credit all end a paragraph.
        if current:
            paragraphs.append(" ".join(current))
            current = []
        if is_credit:
            credits.append(text)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs, credits


def is_alt_text(text: str) -> bool:
    """Whether a line is an image's alt text: a few lowercase keywords, no sentence punctuation."""
    return (
        len(text) <= ALT_TEXT_MAX_CHARS
        and len(text.split()) <= ALT_TEXT_MAX_WORDS
        and text == text.lower()
        and any(c.isalpha() for c in text)
        and not _SENTENCE_PUNCTUATION.search(text)
    )
