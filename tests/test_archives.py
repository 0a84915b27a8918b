"""RFC 5005 archived feeds: the subscription feed and its archive documents, walked by
real readers, byte-identical once closed, valid every one."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner, Result
from lxml import etree

from feedpub import build as build_module
from feedpub.cli import EXIT_OK, EXIT_USAGE, main
from feedpub.config import Config
from feedpub.feeds import FeedSpec
from feedpub.outputs import OUTPUTS
from feedpub.seed import ParsedSeed, parse_seed
from feedpub.validate import validate
from tests.conftest import StandIn, readme_block
from tests.test_cron import EXAMPLE
from tests.test_readers import node

BASE_URL = "https://example.com/"
ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY = "{http://purl.org/syndication/history/1.0}"
FORMATS = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}
#: Two articles in March 2022, one in April, two in May.
DATES = [(3, 5), (3, 20), (4, 2), (5, 1), (5, 30)]


def seed(folder: Path, key: str, when: datetime) -> Path:
    """An article like the example, dated ``when`` (UTC)."""
    text = EXAMPLE.replace("2022-05-23", f"{when:%Y-%m-%d}")
    text = text.replace(
        "Monday, May 23, 2022, 01:01 PM EDT",
        f"{when:%A}, {when:%B} {when.day}, {when.year}, {when:%I:%M %p} UTC",
    )
    text = text.replace("Xiaomi And Leica", f"{key}: Xiaomi And Leica", 1)
    path = folder / f"{key}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def site(tmp_path: Path, dates: list[tuple[int, int]] = DATES, extra: str = "") -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    for number, (month, day) in enumerate(dates):
        seed(seeds, f"a{number}", datetime(2022, month, day, 13, 1, tzinfo=UTC))
    (tmp_path / "feedpub.toml").write_text(
        f'base_url = "{BASE_URL}"\n{extra}[archive]\n', encoding="utf-8"
    )
    return seeds


def build(tmp_path: Path, *more: str) -> Result:
    config = str(tmp_path / "feedpub.toml")
    seeds, output = str(tmp_path / "seeds"), str(tmp_path / "public")
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    return CliRunner().invoke(
        main, ["build", seeds, "-o", output, "--config", config, *more], env=env
    )


def local(output: Path, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    return output / url.removeprefix(BASE_URL)


def walk_feedparser(output: Path, name: str) -> list[list[str]]:
    """The ids of each document, from the subscription feed back along prev-archive."""
    documents = []
    path: Path | None = output / name
    while path is not None:
        if name == "feed.json":
            data = json.loads(path.read_bytes())
            documents.append([item["id"] for item in data["items"]])
            path = local(output, data["next_url"]) if "next_url" in data else None
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
        documents.append([entry.id for entry in parsed.entries])
        older = [link.href for link in parsed.feed.get("links", []) if link.rel == "prev-archive"]
        path = local(output, older[0]) if older else None
    return documents


def walk_javascript(output: Path, name: str) -> list[list[str]]:
    documents = []
    path: Path | None = output / name
    while path is not None:
        ran = node("walk.mjs", str(path))
        assert ran.returncode == 0, ran.stderr
        read = json.loads(ran.stdout)
        assert read["format"] == FORMATS[name]
        documents.append(read["ids"])
        path = local(output, read["older"]) if read["older"] else None
    return documents


def documents(output: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(output)): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def published(tmp_path: Path) -> Path:
    site(tmp_path)
    result = build(tmp_path)
    assert result.exit_code == EXIT_OK, result.stderr
    return tmp_path / "public"


def test_the_subscription_feed_holds_the_open_period_and_links_back(published: Path) -> None:
    root = etree.parse(published / "atom.xml").getroot()
    assert [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")] == [
        "tag:example.com,2022-05-30:a4",
        "tag:example.com,2022-05-01:a3",
    ]
    links = {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link")}
    assert links["prev-archive"] == f"{BASE_URL}archive/2022-04/atom.xml"
    assert root.find(f"{HISTORY}complete") is None
    assert root.find(f"{HISTORY}archive") is None
    assert sorted(path.name for path in (published / "archive").iterdir()) == [
        "2022-03",
        "2022-04",
        "2022-05",
    ]


def test_archive_documents_link_both_ways_and_to_the_current_feed(published: Path) -> None:
    for period, older, newer in (
        ("2022-03", None, "2022-04"),
        ("2022-04", "2022-03", "2022-05"),
    ):
        for name in ("atom.xml", "rss.xml"):
            root = etree.parse(published / "archive" / period / name).getroot()
            parent = root if name == "atom.xml" else root[0]
            links = {link.get("rel"): link.get("href") for link in parent.iter(f"{ATOM}link")}
            assert links.get("prev-archive") == (
                None if older is None else f"{BASE_URL}archive/{older}/{name}"
            )
            assert links["next-archive"] == f"{BASE_URL}archive/{newer}/{name}"
            assert links["current"] == f"{BASE_URL}{name}"
            assert links["self"] == f"{BASE_URL}archive/{period}/{name}"
            assert parent.find(f"{HISTORY}archive") is not None
    # The open period's document: not an archive yet, and nothing after it.
    root = etree.parse(published / "archive" / "2022-05" / "atom.xml").getroot()
    links = {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link")}
    assert "next-archive" not in links
    assert links["prev-archive"] == f"{BASE_URL}archive/2022-04/atom.xml"
    assert root.find(f"{HISTORY}archive") is None


@pytest.mark.parametrize("name", list(FORMATS))
def test_walking_prev_archive_yields_every_article_exactly_once(published: Path, name: str) -> None:
    expected = [
        f"tag:example.com,2022-{month:02d}-{day:02d}:a{number}"
        for number, (month, day) in enumerate(DATES)
    ]
    for walked in (walk_feedparser(published, name), walk_javascript(published, name)):
        assert walked == [expected[4:2:-1], expected[2:3], expected[1::-1]]
        ids = [id for document in walked for id in document]
        assert sorted(ids) == sorted(expected)


def test_every_document_is_valid_without_a_warning(published: Path) -> None:
    checked = 0
    for path, data in documents(published).items():
        assert validate(data) == [], path
        checked += 1
    assert checked == 20  # the subscription feed and three periods, five files each


def test_new_articles_never_change_a_closed_archive(tmp_path: Path, published: Path) -> None:
    before = documents(published)
    seed(tmp_path / "seeds", "a5", datetime(2022, 6, 3, 9, 0, tzinfo=UTC))
    seed(tmp_path / "seeds", "a6", datetime(2022, 6, 4, 9, 0, tzinfo=UTC))
    assert build(tmp_path).exit_code == EXIT_OK  # the drop guard sees entries move
    after = documents(published)
    for period in ("2022-03", "2022-04"):
        for name in ("rss.xml", "atom.xml", "feed.json", "index.html", "head.html"):
            path = f"archive/{period}/{name}"
            assert after[path] == before[path], path
    # May closed: it is an archive now, and leads to June.
    root = etree.fromstring(after["archive/2022-05/atom.xml"])
    assert root.find(f"{HISTORY}archive") is not None
    links = {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link")}
    assert links["next-archive"] == f"{BASE_URL}archive/2022-06/atom.xml"
    assert [len(document) for document in walk_feedparser(published, "atom.xml")] == [2, 2, 1, 2]
    for path, data in after.items():
        assert validate(data) == [], path


def test_a_site_with_one_period_is_complete(tmp_path: Path) -> None:
    site(tmp_path, dates=[(5, 1), (5, 30)])
    assert build(tmp_path).exit_code == EXIT_OK
    for name in ("atom.xml", "rss.xml"):
        data = (tmp_path / "public" / name).read_bytes()
        assert validate(data) == []
        root = etree.fromstring(data)
        assert len(root.findall(f".//{HISTORY}complete")) == 1
        assert not [link for link in root.iter(f"{ATOM}link") if "archive" in link.get("rel", "")]


def test_a_correction_reappears_in_the_subscription_feed(tmp_path: Path, published: Path) -> None:
    """RFC 5005 §4.1: readers do not fetch an archive again, so an entry corrected while
    the period is open is republished in the subscription feed as well."""
    march = (published / "archive" / "2022-03" / "atom.xml").read_bytes()
    path = tmp_path / "seeds" / "a0.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("announced", "confirmed", 1))
    env = {"SOURCE_DATE_EPOCH": str(int(datetime(2022, 5, 31, tzinfo=UTC).timestamp()))}
    config = str(tmp_path / "feedpub.toml")
    command = ["build", str(tmp_path / "seeds"), "-o", str(published), "--config", config]
    assert CliRunner().invoke(main, command, env=env).exit_code == EXIT_OK
    root = etree.parse(published / "atom.xml").getroot()
    entries = {e.findtext(f"{ATOM}id"): e for e in root.iter(f"{ATOM}entry")}
    corrected = entries["tag:example.com,2022-03-05:a0"]
    assert corrected.findtext(f"{ATOM}updated", "").startswith("2022-05-31T00:00:00")
    assert len(entries) == 3
    # Its archive holds the new text (for whoever reads it first) with the new date.
    assert (published / "archive" / "2022-03" / "atom.xml").read_bytes() != march
    assert validate((published / "atom.xml").read_bytes()) == []


def test_a_week_or_a_year_is_a_period_too(tmp_path: Path) -> None:
    site(tmp_path, extra="")
    (tmp_path / "feedpub.toml").write_text(
        f'base_url = "{BASE_URL}"\n[archive]\nperiod = "week"\nfolder = "older"\n'
    )
    assert build(tmp_path).exit_code == EXIT_OK
    weeks = sorted(path.name for path in (tmp_path / "public" / "older").iterdir())
    assert weeks == ["2022-W09", "2022-W11", "2022-W13", "2022-W17", "2022-W22"]
    assert [len(d) for d in walk_feedparser(tmp_path / "public", "atom.xml")] == [1, 1, 1, 1, 1]


def test_a_bad_period_is_a_usage_error(tmp_path: Path) -> None:
    site(tmp_path)
    (tmp_path / "feedpub.toml").write_text(
        f'base_url = "{BASE_URL}"\n[archive]\nperiod = "decade"\n'
    )
    result = build(tmp_path)
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == (
        f"{tmp_path / 'feedpub.toml'}:3: error: archive.period: expected one of year, month, "
        "week, day, got 'decade'\n"
    )


def test_closing_a_busy_period_is_no_drop(tmp_path: Path) -> None:
    """The subscription feed loses most of its entries when a period closes, to the
    archives: the drop guard counts them together."""
    site(tmp_path, dates=[(5, day) for day in range(1, 11)])
    assert build(tmp_path).exit_code == EXIT_OK
    seed(tmp_path / "seeds", "june", datetime(2022, 6, 1, 9, 0, tzinfo=UTC))
    result = build(tmp_path)
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    assert [len(d) for d in walk_feedparser(tmp_path / "public", "atom.xml")] == [1, 10]


def test_the_readmes_archive_settings_work_as_written(tmp_path: Path) -> None:
    block = readme_block("toml", 'period = "month"')
    site(tmp_path)
    (tmp_path / "feedpub.toml").write_text(f'base_url = "{BASE_URL}"\n{block}', encoding="utf-8")
    assert build(tmp_path).exit_code == EXIT_OK
    walked = walk_feedparser(tmp_path / "public", "atom.xml")
    assert [len(document) for document in walked] == [2, 1, 2]


def test_closed_archives_are_kept_without_parsing_or_rendering(
    tmp_path: Path, published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild renders the subscription feed, and keeps every period's document whose
    seeds did not change as the last build left it, unless it was touched."""
    rendered: list[str] = []
    real = OUTPUTS["atom"]

    def render(spec: FeedSpec, config: Config) -> bytes:
        rendered.append(spec.folder)
        return real.render(spec, config)

    monkeypatch.setitem(OUTPUTS, "atom", StandIn("atom", render))
    parsed: list[Path] = []

    def counting(data: bytes, path: Path, **options: Any) -> ParsedSeed:
        parsed.append(path)
        return parse_seed(data, path, **options)

    monkeypatch.setattr(build_module, "parse_seed", counting)
    before = documents(published)
    assert build(tmp_path).exit_code == EXIT_OK
    assert rendered == [""]
    assert sorted(path.name for path in parsed) == ["a3.txt", "a4.txt"]
    assert documents(published) == before
    # A closed document changed behind feedpub's back is made again.
    march = published / "archive" / "2022-03" / "atom.xml"
    march.write_bytes(march.read_bytes().replace(b"a0:", b"tampered:"))
    rendered.clear()
    assert build(tmp_path).exit_code == EXIT_OK
    assert rendered == ["", "archive/2022-03"]
    assert documents(published) == before
    # So is every one when a setting changes.
    rendered.clear()
    (tmp_path / "feedpub.toml").write_text(
        f'base_url = "{BASE_URL}"\ntitle = "Renamed"\n[archive]\n', encoding="utf-8"
    )
    assert build(tmp_path).exit_code == EXIT_OK
    assert rendered == ["", "archive/2022-03", "archive/2022-04", "archive/2022-05"]
