"""Parse one seed file (see SEED-FORMAT in the README) into an :class:`Entry`.

Everything here is a pure function of the file's bytes and its path: no file
system, no clock. A file that cannot be trusted raises :class:`SeedError`
naming the line; a fallback the parser takes is returned as a warning.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import NamedTuple

from feedpub.entry import Entry
from feedpub.errors import Diagnostic, SeedError
from feedpub.identity import tag_uri
from feedpub.seed_grammar import (
    BY,
    DATELINE,
    DATELINE_HINT,
    MONTHS,
    TIMESTAMP,
    TIMESTAMP_HINT,
    WEEKDAYS,
)
from feedpub.zones import DEFAULT_ZONES, ZoneError, Zones

_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}

_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
# XML 1.0 forbids C0 controls other than tab and line breaks, and U+FFFE/U+FFFF;
# C1 controls are allowed but discouraged, and no reader shows them as text.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# In UTF-8, a forbidden character is a C0 control or DEL (one byte each), or starts with
# C2 (C1 controls), ED (surrogates) or EF (U+FFFE, U+FFFF): bytes worth a closer look.
_LEAD_BYTES = b"\xc2\xed\xef"
_INNOCENT_BYTES = bytes(
    b
    for b in range(256)
    if not ((b < 0x20 and b not in b"\t\n\r") or b == 0x7F or b in _LEAD_BYTES)
)

# A title line that is most likely a dateline gone wrong ("Date: 2022-05-23", a second one).
_DATE_START = re.compile(r"date\W*\d{4}-\d{1,2}-\d{1,2}\b", re.IGNORECASE)
_CATEGORIES_WORD = re.compile(r"\bCATEGORIES\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# What scrapers put between the author and the weekday, when they keep anything, besides
# white space: stripped from the right by without_trailer, in time linear in its length.
NAME_TRAILER = ",;|/\u00b7\u2022\u2013\u2014-"
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:,\s*and\s+|,|;|&|\s+and\s+)\s*")

_CREDIT = re.compile(
    r"^(?:(?:top|featured?|header|hero|lead|main|cover)\s+)?"
    r"(?:image|photo|picture|photograph)s?\s*(?:courtesy|credits?|source|via|by|:)",
    re.IGNORECASE,
)
_SENTENCE_PUNCTUATION = re.compile('[.,;:!?"()\\[\\]\u201c\u201d\u3002\uff0c\uff01\uff1f]')
HTML_END_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9]*\s*>")
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "\u201d")

# Every output format writes four-digit years: RFC 822 (as RFC 1123 updates it) and
# RFC 3339 both do. An article dated outside them, in local time or in UTC, is rejected.
MIN_YEAR = 1000
MAX_YEAR = 9999

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
    """One warning per fallback or repair in the head and the whole text, in line order:
    what :func:`feedpub.scan.scan_seed` gives too."""
    body_warnings: tuple[Diagnostic, ...] = ()
    """Warnings about the body, which only reading it all finds, in line order."""


class _Line(NamedTuple):
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class _Byline:
    line: int
    authors: tuple[str, ...]
    published: datetime | None


@dataclass(frozen=True, slots=True)
class SeedKey:
    """What ordering and reporting need of a seed, found without building its body."""

    id: str
    """The entry's id, as :func:`parse_seed` gives it."""
    published: datetime
    """The entry's publication time, timezone-aware, in UTC."""
    warnings: tuple[Diagnostic, ...]
    """The same warnings :func:`parse_seed` gives, in line order."""
    categories: tuple[str, ...] = ()
    """The entry's categories, as :func:`parse_seed` gives them, for per-category feeds."""
    authors: tuple[str, ...] = ()
    """The entry's authors, as :func:`parse_seed` gives them, for per-author feeds."""
    digest: str = ""
    """The :func:`content_digest` of its title and body, which tells an edit (a
    correction) from a rebuild."""


@dataclass(slots=True)
class _Head:
    """A seed's lines and header, checked; what is left to read is the body."""

    lines: list[str]
    """Every line, control characters removed, white space not yet normalized."""
    dateline: tuple[date, tuple[str, ...]] | None
    title: _Line
    byline: _Byline | None
    warnings: list[Diagnostic]

    @property
    def body(self) -> list[str]:
        """The lines after the byline, or after the title when there is none."""
        return self.lines[self.byline.line if self.byline is not None else self.title.number :]

    def truncated(self, path: Path) -> SeedError:
        start = self.byline.line if self.byline is not None else self.title.number
        return SeedError(
            "expected body paragraphs after the title and byline; the file looks truncated",
            path=path,
            line=min(start + 1, len(self.lines)),
        )


def parse_seed(
    data: bytes, path: Path, *, authority: str, zones: Zones = DEFAULT_ZONES
) -> ParsedSeed:
    """Parse a seed's bytes; ``authority`` is the host that entry ids are minted under,
    ``zones`` the time zones its byline may name.

    Raises :class:`SeedError` when the file is not an article that can be trusted.
    """
    head = _head(data, path, zones)
    first = head.byline.line if head.byline is not None else head.title.number
    body = _body([normalize_space(raw) for raw in head.body])
    paragraphs, credits = body.paragraphs, body.credits
    if not paragraphs:
        raise head.truncated(path)
    published, day, warnings = _finish(head, path)
    categories = head.dateline[1] if head.dateline is not None else ()
    key = path.stem
    entry = Entry(
        id=tag_uri(authority, day, key),
        key=key,
        date=day,
        title=head.title.text,
        authors=head.byline.authors if head.byline is not None else (),
        published=published,
        updated=published,
        categories=categories,
        paragraphs=tuple(paragraphs),
        summary=paragraphs[0],
        credit="; ".join(credits) if credits else None,
        source=path,
    )
    inside = "a line inside a paragraph reads like an image's alt text and was left out; "
    inside += "put a blank line before it if it is one, or capitalize it if it is text"
    at_end = "the body ends with a line that reads like an image's alt text, left out; "
    at_end += "capitalize it or end it with a full stop if it is text"
    body_warnings = tuple(
        Diagnostic(path, first + 1 + index, "warning", message)
        for index, message in sorted(
            [(index, inside) for index in body.inside] + [(index, at_end) for index in body.at_end]
        )
    )
    return ParsedSeed(entry, warnings, body_warnings)


def scan_key(data: bytes, path: Path, authority: str, zones: Zones = DEFAULT_ZONES) -> SeedKey:
    """The general reading of what :func:`feedpub.scan.scan_seed` gives: what
    :func:`parse_seed` says of the seed's id, time and warnings, and the same
    :class:`SeedError`, without building its body."""
    head = _head(data, path, zones)
    if not any(is_paragraph(normalize_space(raw)) for raw in head.body):
        raise head.truncated(path)
    published, day, warnings = _finish(head, path)
    return SeedKey(
        tag_uri(authority, day, path.stem),
        published,
        warnings,
        categories=head.dateline[1] if head.dateline is not None else (),
        authors=head.byline.authors if head.byline is not None else (),
        digest=content_digest(head.title.text, "\n".join(head.body)),
    )


def content_digest(title: str, body: str) -> str:
    """A fingerprint of what readers see of an article: its title, white space
    normalized, and the lines of its body (alt text and credit included) as written.

    The dateline and the byline are not in it, so that tagging an article anew or
    fixing a byline is not a correction; a change of the body's white space is.
    """
    text = f"{title}\n{body}".encode("utf-8", "surrogatepass")
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()[:16]


def _head(data: bytes, path: Path, zones: Zones) -> _Head:
    """Decode a seed and read its dateline, title and byline."""
    text, warnings = decode(data, path)
    utf8 = data if not warnings and not data.startswith(_UTF16_BOMS) else None
    lines = clean_lines(text, path, warnings, utf8=utf8)
    content = iter(_header_lines(lines))
    first = next(content, None)
    if first is None:
        raise SeedError("empty file: expected a dateline, a title and a body", path=path, line=1)
    dateline = _dateline(first, path)
    title = first if dateline is None else next(content, None)
    if title is None:
        raise SeedError("expected a title after the dateline", path=path, line=first.number)
    if BY.match(title.text) and TIMESTAMP_HINT.search(title.text):
        raise SeedError("expected a title, found a byline", path=path, line=title.number)
    end_tag = HTML_END_TAG.search(title.text)
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
    candidate = next(content, None)
    byline = _byline(candidate, path, warnings, zones) if candidate is not None else None
    oddity = title_oddity(title.text, bylined=byline is not None)
    if oddity is not None:
        warnings.append(
            Diagnostic(
                path,
                title.number,
                "warning",
                f"the title reads like {oddity}; it was published as the title, so check "
                "the head of the file",
            )
        )
    return _Head(lines, dateline, title, byline, warnings)


def title_oddity(title: str, *, bylined: bool) -> str | None:
    """What a title line reads like when it is most likely not the title, or None.

    A title of names after ``by`` is suspect only when no byline follows: then the
    real title is most likely missing ("By The Numbers" before a byline is a title).
    """
    # Each pattern only behind a test that is a fraction of its cost: every seed's title
    # is looked at here.
    if ("CATEGORIES" in title and _CATEGORIES_WORD.search(title)) or (
        title[:4].lower() == "date" and _DATE_START.match(title)
    ):
        return "a dateline"
    if not bylined and BY.match(title) and _byline_names(title) is not None:
        return "a byline of names alone (is the title missing?)"
    if _is_credit(title):
        return "an image credit"
    if is_alt_text(title):
        return "an image's alt text"
    return None


def _byline_names(text: str) -> tuple[str, ...] | None:
    """The authors of a byline of names alone, or None when ``text`` is not one."""
    by = BY.match(text)
    if by is None or len(text) > NAME_BYLINE_MAX_CHARS:
        return None
    return author_names(text[by.end() :])


def _header_lines(lines: list[str]) -> list[_Line]:
    """The first three lines that are not blank: enough for a dateline, a title and a byline."""
    found: list[_Line] = []
    for number, raw in enumerate(lines, start=1):
        text = " ".join(raw.split())
        if text:
            found.append(_Line(number, text))
            if len(found) == 3:
                break
    return found


def _finish(head: _Head, path: Path) -> tuple[datetime, date, tuple[Diagnostic, ...]]:
    """The UTC publication time, the article's own date, and every warning in line order."""
    warnings = head.warnings
    if head.byline is None:
        warnings.append(
            Diagnostic(
                path, head.title.number + 1, "warning", "no byline: the article has no author"
            )
        )
    published, day = _when(head.dateline, head.byline, head.title.number, path, warnings)
    if not warnings:
        return published, day, ()
    return published, day, tuple(sorted(warnings, key=lambda w: w.line or 0))


def decode(data: bytes, path: Path) -> tuple[str, list[Diagnostic]]:
    """Decode UTF-8 (BOM or not) or UTF-16 with a BOM; fall back to Windows-1252 with a warning."""
    if data.startswith(_UTF16_BOMS):
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
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return (data[bom:] if bom else data).decode("utf-8"), []
    except UnicodeDecodeError as error:
        first_bad = bom + error.start
        if error.reason == "unexpected end of data":
            raise SeedError(
                "the file ends inside a UTF-8 character: it looks truncated",
                path=path,
                line=_line_at(data, first_bad),
            ) from None
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


def clean_lines(
    text: str, path: Path, warnings: list[Diagnostic], *, utf8: bytes | None = None
) -> list[str]:
    """Split into lines, NFC-normalized, dropping XML-forbidden characters with a warning.

    ``utf8`` is the text's UTF-8 encoding (a BOM allowed), when the caller has it.
    """
    if not is_nfc(text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if may_hold_forbidden(text, utf8):
        for number, raw in enumerate(lines, start=1):
            cleaned, removed = _FORBIDDEN.subn("", raw)
            if removed:
                codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(raw)}))
                warnings.append(
                    Diagnostic(
                        path, number, "warning", f"removed {removed} control character(s) ({codes})"
                    )
                )
                lines[number - 1] = cleaned
    return lines


def is_nfc(text: str) -> bool:
    """Whether the text is in NFC, testing the cheap sufficient conditions first."""
    return text.isascii() or _is_latin1(text) or unicodedata.is_normalized("NFC", text)


def _is_latin1(text: str) -> bool:
    """Whether every character is below U+0100; such text is always in NFC."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def may_hold_forbidden(text: str, utf8: bytes | None) -> bool:
    """A quick test that never misses a character :data:`_FORBIDDEN` matches."""
    encoded = text.encode("utf-8", "surrogatepass") if utf8 is None else utf8
    suspects = encoded.translate(None, _INNOCENT_BYTES)  # one pass over the text
    if not suspects:
        return False
    if suspects.translate(None, _LEAD_BYTES):
        return True  # a C0 control or DEL
    return _FORBIDDEN.search(text) is not None


def normalize_space(line: str) -> str:
    # str.split() splits on runs of any Unicode white space and drops both ends.
    return " ".join(line.split())


def _line_at(data: bytes, offset: int) -> int:
    return len(_LINE_BREAK_BYTES.findall(data, 0, offset)) + 1


def _dateline(line: _Line, path: Path) -> tuple[date, tuple[str, ...]] | None:
    if not DATELINE_HINT.match(line.text):
        return None
    match = DATELINE.match(line.text)
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
    if day.year < MIN_YEAR:
        raise SeedError(
            f"the dateline's year {day.year:04d} is before {MIN_YEAR}: feeds write "
            "four-digit years",
            path=path,
            line=line.number,
        )
    return day, categories_of(match["categories"])


def categories_of(text: str) -> tuple[str, ...]:
    """The categories after ``CATEGORIES`` in a dateline: comma-separated, stripped, each
    once, in their order."""
    categories: dict[str, None] = {}
    for category in text.split(","):
        if category.strip():
            categories[category.strip()] = None
    return tuple(categories)


def _byline(line: _Line, path: Path, warnings: list[Diagnostic], zones: Zones) -> _Byline | None:
    """Parse a byline; None when the line is not one (then it is body text)."""
    by = BY.match(line.text)
    if by is None:
        return None
    rest = line.text[by.end() :]
    timestamp = TIMESTAMP.search(rest)
    if timestamp is None and not TIMESTAMP_HINT.search(rest):
        names = _byline_names(line.text)
        return None if names is None else _Byline(line.number, names, None)
    if timestamp is None:
        raise SeedError(
            "malformed byline timestamp: expected 'Weekday, Month D, YYYY, HH:MM AM|PM ZONE'",
            path=path,
            line=line.number,
        )
    authors = author_names(without_trailer(rest[: timestamp.start()]))
    if authors is None:
        raise SeedError(
            "expected author names between 'by' and the timestamp", path=path, line=line.number
        )
    published = published_at(timestamp, line.number, path, warnings, zones)
    return _Byline(line.number, authors, published)


def without_trailer(names: str) -> str:
    """``names`` without the white space and :data:`NAME_TRAILER` characters that end it.

    A regular expression anchored at the end would try every start in a long run of
    such characters, which takes quadratic time on a byline made of them.
    """
    end = len(names)
    while end and (names[end - 1].isspace() or names[end - 1] in NAME_TRAILER):
        end -= 1
    return names[:end]


@functools.lru_cache(maxsize=4096)  # an archive has few authors and many articles each
def author_names(names: str) -> tuple[str, ...] | None:
    """Split ``A, B and C``; None when the text does not read as a list of names."""
    if not names or names.endswith(_SENTENCE_END):
        return None
    authors = tuple(name for name in _AUTHOR_SEPARATOR.split(names) if name)
    for name in authors:
        if not name[0].isupper() or len(name.split()) > NAME_MAX_WORDS:
            return None
    return authors or None


def published_at(
    match: re.Match[str],
    line_number: int,
    path: Path | None,
    warnings: list[Diagnostic],
    zones: Zones,
) -> datetime:
    weekday, month, day_text, year, hour_text, minute_text, meridiem, zone_name = match.group(
        "weekday", "month", "day", "year", "hour", "minute", "meridiem", "zone"
    )
    hour, minute = int(hour_text), int(minute_text)
    if not 1 <= hour <= 12 or minute > 59:
        raise SeedError(
            f"no such time {hour_text}:{minute_text}: expected HH:MM from 1:00 to 12:59",
            path=path,
            line=line_number,
        )
    try:
        tz = None if zone_name is None else zones.named(zone_name)
    except ZoneError as error:
        raise SeedError(str(error), path=path, line=line_number) from None
    hour = hour % 12 + (12 if meridiem in "Pp" else 0)
    try:
        day = date(int(year), _MONTH_NUMBERS[month], int(day_text))
    except ValueError:
        raise SeedError(
            f"no such date {month} {day_text}, {year}", path=path, line=line_number
        ) from None
    if day.year < MIN_YEAR:
        raise SeedError(
            f"the byline's year {year} is before {MIN_YEAR}: feeds write four-digit years",
            path=path,
            line=line_number,
        )
    if WEEKDAYS[day.weekday()] != weekday:
        warnings.append(
            Diagnostic(
                path,
                line_number,
                "warning",
                f"{month} {day_text}, {year} is a "
                f"{WEEKDAYS[day.weekday()]}, not a {weekday}: trusting the date",
            )
        )
    stamped = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    if tz is not None:
        return stamped
    try:
        local, doubt = zones.local(stamped)
    except ZoneError as error:
        raise SeedError(str(error), path=path, line=line_number) from None
    if doubt is not None:
        warnings.append(Diagnostic(path, line_number, "warning", doubt))
    return local


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
            return _utc(stamped, path, byline.line if byline is not None else 1), local_day
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
        return _utc(stamped, path, byline.line if byline is not None else 1), dateline[0]
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


def in_utc(stamped: datetime) -> datetime | None:
    """The time in UTC, or None when that falls outside the years feeds can write."""
    try:
        utc = stamped.astimezone(UTC)
    except OverflowError:
        return None
    return utc if MIN_YEAR <= utc.year <= MAX_YEAR else None


def _utc(stamped: datetime, path: Path, line: int) -> datetime:
    """:func:`in_utc`, or the error for a time no feed can write."""
    utc = in_utc(stamped)
    if utc is None:
        raise SeedError(
            f"{stamped.isoformat(timespec='minutes')} is outside the years {MIN_YEAR} to "
            f"{MAX_YEAR} in UTC: feeds write four-digit years",
            path=path,
            line=line,
        )
    return utc


@dataclass(frozen=True, slots=True)
class _Body:
    """A body's paragraphs and credits, and the lines left out as alt text that may have
    been text: indices into the body's lines, for warnings."""

    paragraphs: list[str]
    credits: list[str]
    inside: list[int]
    """Alt-text lines straight after a line of a paragraph."""
    at_end: list[int]
    """Alt-text lines after the last paragraph with no image credit after them: a short
    last paragraph in lower case reads like alt text."""


def _body(lines: list[str]) -> _Body:
    """Group body lines into paragraphs, setting alt-text and credit lines apart."""
    paragraphs: list[str] = []
    credits: list[str] = []
    inside: list[int] = []
    alt_text: list[int] = []  # left out without a warning so far
    current: list[str] = []
    after_text = False  # the line before was text, or alt text that came right after text
    for index, text in enumerate(lines):
        if is_paragraph(text):
            current.append(text)
            after_text = True
            alt_text.clear()  # a paragraph follows them: alt text of an image before it
            continue
        # A blank, an image's alt text or its credit all end a paragraph.
        if current:
            paragraphs.append(" ".join(current))
            current = []
        if _is_credit(text):
            credits.append(text)
            alt_text.clear()  # a credit follows them: alt text of the image it credits
        elif text and after_text:
            inside.append(index)
            continue
        elif text:
            alt_text.append(index)
        after_text = False
    if current:
        paragraphs.append(" ".join(current))
    return _Body(paragraphs, credits, inside, alt_text)


def _is_credit(text: str) -> bool:
    return len(text) <= CREDIT_MAX_CHARS and _CREDIT.match(text) is not None


def is_paragraph(text: str) -> bool:
    """Whether a normalized line is body text: not blank, a credit or alt text."""
    return bool(text) and not _is_credit(text) and not is_alt_text(text)


def is_alt_text(text: str) -> bool:
    """Whether a line is an image's alt text: a few lowercase keywords, no sentence punctuation."""
    return (
        len(text) <= ALT_TEXT_MAX_CHARS
        and len(text.split()) <= ALT_TEXT_MAX_WORDS
        and text == text.lower()
        and any(c.isalpha() for c in text)
        and not _SENTENCE_PUNCTUATION.search(text)
    )
