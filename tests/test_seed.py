"""The seed parser against one input/expected pair per variation of the format.

Each ``tests/data/seeds/NAME.txt`` is parsed and compared with ``NAME.json``.
Regenerate with ``FEEDPUB_REGENERATE=1 python -m pytest tests/test_seed.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedpub.errors import SeedError
from feedpub.seed import is_alt_text, parse_seed
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
