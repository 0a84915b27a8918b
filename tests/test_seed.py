"""The seed parser against one input/expected pair per variation of the format.

Each ``tests/data/seeds/NAME.txt`` is parsed and compared with ``NAME.json``.
Regenerate with ``FEEDPUB_REGENERATE=1 python -m pytest tests/test_seed.py``.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import pytest

from feedpub import seed
from feedpub.errors import Diagnostic, SeedError
from feedpub.scan import plain_key, scan_seed
from feedpub.seed import is_alt_text, parse_seed
from feedpub.zones import DEFAULT_ZONES
from tests.conftest import DATA, check_expected

CASES = sorted((DATA / "seeds").glob("*.txt"))


def describe(path: Path) -> dict[str, object]:
    """Everything the parser says about a file, without the file's own location."""
    try:
        parsed = parse_seed(path.read_bytes(), Path(path.name), authority="example.com")
    except SeedError as error:
        return {"error": f"{error.line}: {error.message}"}
    entry = parsed.entry
    assert entry.source == Path(path.name)
    assert entry.summary == entry.paragraphs[0]
    assert entry.published.utcoffset() is not None
    return {
        "id": entry.id,
        "key": entry.key,
        "date": entry.date.isoformat(),
        "title": entry.title,
        "authors": list(entry.authors),
        "published": entry.published.isoformat(),
        "updated": entry.updated.isoformat(),
        "categories": list(entry.categories),
        "paragraphs": list(entry.paragraphs),
        "credit": entry.credit,
        "warnings": [f"{w.line}: {w.level}: {w.message}" for w in parsed.warnings],
        "body_warnings": [f"{w.line}: {w.level}: {w.message}" for w in parsed.body_warnings],
    }


@pytest.mark.parametrize("path", CASES, ids=[case.stem for case in CASES])
def test_seed_fixture(path: Path) -> None:
    actual = json.dumps(describe(path), ensure_ascii=False, indent=2) + "\n"
    check_expected(path.with_suffix(".json"), actual)


def test_every_fixture_has_an_expectation() -> None:
    expected = {path.stem for path in (DATA / "seeds").glob("*.json")}
    assert expected == {path.stem for path in CASES}


def test_the_bundled_seed_is_a_fixture() -> None:
    bundled = Path(__file__).resolve().parent.parent / "seeds" / "000_3ce5400f56404a2c.txt"
    assert (DATA / "seeds" / "example.txt").read_bytes() == bundled.read_bytes()


def outcome(scan: bool, data: bytes, path: Path) -> object:
    """What the full parse or the scan says of a seed, in the scan's terms."""
    try:
        if scan:
            key = scan_seed(data, path.name, authority="example.com")
            return key.id, key.published, key.warnings, key.categories, key.authors
        parsed = parse_seed(data, path, authority="example.com")
    except SeedError as error:
        return error.line, error.message
    entry = parsed.entry
    return entry.id, entry.published, parsed.warnings, entry.categories, entry.authors


HEADER = b" date 2022-05-23 CATEGORIES\nTitle\n\nby Ana LopezMonday, May 23, 2022, 01:01 PM EDT\n"
BODIES = {
    "paragraph": b"A sentence of body text.\n",
    "alt text only": b"xiaomi leica\n\nphone camera\n",
    "credit only": b"Top Image Courtesy of Example Photo\n",
    "alt text, then a paragraph": b"xiaomi leica\nIt begins here.\n",
    "blank lines only": b"\n\n  \n",
    "nothing": b"",
}


@pytest.mark.parametrize(
    ("name", "data"),
    [(case.name, case.read_bytes()) for case in CASES]
    + [(f"{body}.txt", HEADER + text) for body, text in BODIES.items()],
)
def test_the_scan_agrees_with_the_full_parse(name: str, data: bytes) -> None:
    """Builds order and report seeds from the scan, so it must say what parse_seed says."""
    path = Path(name)
    assert outcome(scan=True, data=data, path=path) == outcome(scan=False, data=data, path=path)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("xiaomi leica", True),
        ("leica xiaomi", True),
        ("smart-home hub on a kitchen counter", True),
        ("Xiaomi and Leica have announced it.", False),
        ("ok, fine", False),
        ("2022", False),
        ("one two three four five six seven eight nine ten eleven", False),
    ],
)
def test_alt_text_lines(line: str, expected: bool) -> None:
    assert is_alt_text(line) is expected


def test_edits_keep_the_id(tmp_path: Path) -> None:
    original = (DATA / "seeds" / "example.txt").read_bytes()
    edited = original.replace(b"Xiaomi And Leica", b"Leica And Xiaomi").replace(
        b"Rumors have been", b"Rumours had been"
    )
    assert edited != original
    before = parse_seed(original, Path("a/000_x.txt"), authority="example.com").entry
    after = parse_seed(edited, Path("b/000_x.txt"), authority="example.com").entry
    assert before.title != after.title
    assert before.paragraphs != after.paragraphs
    assert before.id == after.id == "tag:example.com,2022-05-23:000_x"


def general(data: bytes, path: Path) -> object:
    """What the general reading of :func:`scan_seed` says, the plain one left out."""
    try:
        return seed.scan_key(data, path, "example.com", DEFAULT_ZONES)
    except SeedError as error:
        return error.line, error.message


PLAIN = (DATA / "seeds" / "example.txt").read_bytes()
# Text that could mislead a reading of the head: white space of every kind, line breaks,
# control and non-NFC characters, a BOM, and words that the dateline or byline look for.
AWKWARD = (
    " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\u00a0", "\u2028", "\x85", "\x0b", "\x1c",
    "\x7f", "\x80", "\ufffe", "\ufeff", "\u200b", "e\u0301", "\u00e9", "\u0660", ",", ";",
    "|", "-", "\u00b7", ".", "by ", "By ", "BY", "</b>", "<b>", "date ", "CATEGORIES", "0", "9",
    "12", "Monday", "Sunday, ", "Tuesday, May 24, 2022, 01:01 PM EDT", "May", "AM", "a.m.",
    "IST", "Z", "x",
)  # fmt: skip


def mutate(text: str, chance: random.Random) -> str:
    """The text with one to three insertions, deletions or replacements near its head."""
    for _ in range(chance.randint(1, 3)):
        at = chance.randrange(min(len(text), 260))
        action = chance.choice(("insert", "delete", "replace"))
        end = at + (chance.randint(1, 6) if action != "insert" else 0)
        text = text[:at] + ("" if action == "delete" else chance.choice(AWKWARD)) + text[end:]
    return text


WORDS = ("leica", "xiaomi", "phone", "camera", "lens", "sensor")
TITLE = PLAIN.decode().splitlines()[1]
BYLINE = PLAIN.decode().splitlines()[3]
EDITS = {
    "as it is": ("", ""),
    "categories, one twice": ("CATEGORIES", "CATEGORIES Phones, Cameras,  Phones"),
    "categories, one plainly": ("CATEGORIES", "CATEGORIES Phones, Cameras, Phones"),
    "a title that is a byline": (TITLE, BYLINE),
    "a title with an end tag": ("Ultra", "Ultra</b>"),
    "a weekday in the names": ("Tim Sweezy", "Monday Sweezy"),
    "names that are not names": ("Tim Sweezy", "tim sweezy"),
    "the dateline a day off": ("2022-05-23", "2022-05-24"),
    "an impossible dateline": ("2022-05-23", "2022-02-30"),
    "the wrong weekday": ("Monday, May", "Tuesday, May"),
    "an impossible day": ("May 23", "May 32"),
    "hour 13": ("01:01 PM", "13:01 PM"),
    "minute 60": ("01:01 PM", "01:60 PM"),
    "an unknown zone": ("PM EDT", "PM IST"),
    "twelve at night": ("01:01 PM", "12:01 AM"),
    "CRLF": ("\n", "\r\n"),
    "a BOM": (" date", "\ufeff date"),
    "a C1 control in the body": ("The quality", "The \x85quality"),
    "a tab in the title": ("Flagship Camera", "Flagship\tCamera"),
    "trailing spaces": ("EDT\n", "EDT   \n"),
    "a title not in NFC": ("Flagship", "Fla\u0301gship"),
    "no body": ("EDT\n", "EDT\n\x00"),
    # Bodies with no paragraph ("\x00": the body ends here) that would seem to hold one if
    # a check were skipped: alt text in two lines parted by a CR, a credit longer than the
    # limit only in its spaces, and alt text that NFC brings under the length limit.
    "alt text parted by a CR": ("EDT\n", "EDT\n" + "\r".join([" ".join(WORDS)] * 2) + "\x00"),
    "a credit line spread by spaces": (
        "EDT\n",
        "EDT\nTop Image Courtesy of  " + "a  " * 80 + "\x00",
    ),
    "alt text that NFC shortens": ("EDT\n", "EDT\n" + " ".join(["e\u0301" * 5] * 8) + "\x00"),
}


@pytest.mark.parametrize(("old", "new"), EDITS.values(), ids=EDITS.keys())
def test_the_plain_reading_of_an_edge(old: str, new: str) -> None:
    """Each check of the plain reading, met by a seed that only that check turns away.

    Seeds in the plainest form must get the plain reading, or the shortcut is lost.
    """
    text = PLAIN.decode().replace(old, new, 1) if old else PLAIN.decode()
    if new.endswith("\x00"):  # the edit is the whole body
        text = text[: text.index("\x00")]
    data = text.encode("utf-8")
    plain = plain_key(data, "000_x", "example.com", DEFAULT_ZONES)
    assert plain is None or plain == general(data, Path("000_x.txt"))
    plainest = ("as it is", "twelve at night", "trailing spaces", "categories, one plainly")
    if (old, new) in {EDITS[name] for name in plainest}:
        assert plain is not None
    if (old, new) == EDITS["categories, one plainly"]:
        assert plain is not None
        assert (plain.categories, plain.authors) == (("Phones", "Cameras"), ("Tim Sweezy",))


def test_the_plain_reading_agrees_with_the_general_one() -> None:
    """scan_seed answers seeds in the plainest form by a shortcut: it must never differ.

    Thousands of seeds a few edits away from the real example: wherever the
    shortcut answers, its answer is the general reading's.
    """
    chance = random.Random(5)
    path = Path("000_x.txt")
    answered = 0
    tried = 4000
    for _ in range(tried):
        data = mutate(PLAIN.decode(), chance).encode("utf-8", "surrogatepass")
        plain = plain_key(data, path.stem, "example.com", DEFAULT_ZONES)
        if plain is not None:
            answered += 1
            assert plain == general(data, path), data[:300]
    assert plain_key(PLAIN, path.stem, "example.com", DEFAULT_ZONES) == general(PLAIN, path)
    assert tried // 10 < answered < tried  # both readings were exercised


@pytest.mark.parametrize(
    "name", ["a.txt", "a.b.txt", "a..txt", ".txt", "a.", "a", "é.txt", "a b.txt", "%41.TXT"]
)
def test_the_scan_keys_a_seed_by_its_stem_as_the_parse_does(name: str) -> None:
    scanned = scan_seed(PLAIN, name, authority="example.com")
    assert scanned.id == parse_seed(PLAIN, Path(name), authority="example.com").entry.id


WHITE_SPACE = sorted(
    {c for c in map(chr, range(0x110000)) if c.isspace() or re.fullmatch(r"\s", c)}
)


@pytest.mark.parametrize("space", WHITE_SPACE, ids=lambda space: f"U+{ord(space):04X}")
def test_every_kind_of_white_space_is_read_alike_by_scan_and_parse(space: str) -> None:
    """The scan's shortcut takes a regular expression's \\S+ for a word, the general
    reading str.split(): for each character either counts as white space, in the title,
    the names and the byline, both readings must agree."""
    text = PLAIN.decode().replace("Flagship Camera", f"Flagship{space}Camera", 1)
    text = text.replace("Tim Sweezy", f"Tim{space}Sweezy", 1)
    text = text.replace("PM EDT", f"PM{space}EDT", 1)
    data = text.encode("utf-8", "surrogatepass")
    path = Path("000_x.txt")
    assert outcome(scan=True, data=data, path=path) == outcome(scan=False, data=data, path=path)


def kept_out(code: int) -> bool:
    """Whether feedpub removes the character: what XML 1.0's Char production forbids
    (section 2.2), and the C1 controls, which it allows but no reader shows."""
    allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    return not (allowed or 0x10000 <= code <= 0x10FFFF) or 0x7F <= code <= 0x9F


def test_the_quick_control_character_test_misses_none() -> None:
    """clean_lines skips its slow search when the quick test says no: it must never be wrong."""
    for code in [*range(0x3000), *range(0xD700, 0x10000), 0x1F600, 0x10FFFF]:
        text = f"a{chr(code)}b"
        forbidden = kept_out(code)
        assert seed.may_hold_forbidden(text, None) >= forbidden, hex(code)
        if not 0xD800 <= code <= 0xDFFF:  # a lone surrogate has no UTF-8 file form
            assert seed.may_hold_forbidden(text, text.encode()) >= forbidden, hex(code)


def test_latin1_text_is_kept_as_nfc_normalizes_it() -> None:
    """clean_lines skips NFC normalization for text below U+0100: its lines must be what
    normalizing gives, for every pair of such characters."""
    latin1 = [c for c in map(chr, range(0x100)) if unicodedata.category(c) != "Cc"]
    text = "\n".join(first + second for first in latin1 for second in latin1)
    warnings: list[Diagnostic] = []
    lines = seed.clean_lines(text, Path("x.txt"), warnings)
    assert lines == unicodedata.normalize("NFC", text).split("\n")
    assert warnings == []


def test_the_fingerprint_is_of_the_title_and_body_alone() -> None:
    """What tells a correction from a rebuild: the text readers see, not the head's
    metadata, and the same by the plain and the general reading."""

    def digest(data: bytes) -> str:
        found = scan_seed(data, "example.txt", authority="example.com")
        general = seed.scan_key(data, Path("example.txt"), "example.com", DEFAULT_ZONES)
        assert found.digest == general.digest
        return found.digest

    original = digest(PLAIN)
    assert re.fullmatch("[0-9a-f]{16}", original)
    same = [
        PLAIN.replace(b"CATEGORIES", b"CATEGORIES Tech Phones", 1),  # re-tagged
        PLAIN.replace(b"by Tim Sweezy", b"by Tim  Sweezy", 1),  # a byline's spacing
        PLAIN.replace(b"\n", b"\r\n"),  # line ends
        PLAIN.replace(b"Xiaomi And", b"Xiaomi  And", 1),  # a title's spacing
    ]
    for data in same:
        assert digest(data) == original, data[:120]
    changed = [
        PLAIN.replace(b"Xiaomi And", b"Xiaomi and", 1),  # the title
        PLAIN.replace(b"announced", b"confirmed", 1),  # the body
        PLAIN.replace(b"Courtesy of", b"Courtesy:", 1),  # the credit
    ]
    assert len({original, *map(digest, changed)}) == 1 + len(changed)
