"""The id ledger: corrections readers see, tombstones for deleted articles, and the guard
against changing published ids; each through real feeds and a real reader."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner, Result
from lxml import etree

from feedpub.cli import (
    EXIT_ID_CHANGE_REFUSED,
    EXIT_OK,
    EXIT_OUT_OF_DATE,
    EXIT_OUTPUT_FAILED,
    EXIT_USAGE,
    main,
)
from feedpub.dates import timestamp
from feedpub.identity import key_of, tag_uri
from feedpub.ledger import Article, Found, Ledger, Tombstone, ledger_file, reconcile, recovered
from feedpub.validate import validate
from tests.test_cron import BASE_URL, make_seeds

ATOM = "{http://www.w3.org/2005/Atom}"
TOMBSTONES = "{http://purl.org/atompub/tombstones/1.0}"
#: The first build's SOURCE_DATE_EPOCH: 2022-05-24T13:46:40Z, the day after the articles.
FIRST = 1_653_400_000
#: A later build's: 2023-11-14T22:13:20Z.
LATER = 1_700_000_000
LATER_TEXT = "2023-11-14T22:13:20Z"
FEEDS = ("rss.xml", "atom.xml", "feed.json")


def build(seeds: Path, output: Path, *more: str, epoch: int | None = None) -> Result:
    env = {"SOURCE_DATE_EPOCH": None if epoch is None else str(epoch)}
    command = ["build", str(seeds), "-o", str(output), "--base-url", BASE_URL, *more]
    return CliRunner().invoke(main, command, env=env)


def id_of(key: str) -> str:
    return tag_uri("example.com", date(2022, 5, 23), key)


def atom_entries(output: Path) -> dict[str, tuple[str, str, str]]:
    """Each Atom entry's title, published and updated text, by id."""
    return atom_entries_of({"atom.xml": (output / "atom.xml").read_bytes()})


def atom_entries_of(published: dict[str, bytes]) -> dict[str, tuple[str, str, str]]:
    """The same of the ``atom.xml`` among ``published`` files' bytes, by name."""
    root = etree.fromstring(published["atom.xml"])
    return {
        entry.findtext(f"{ATOM}id", ""): (
            entry.findtext(f"{ATOM}title", ""),
            entry.findtext(f"{ATOM}published", ""),
            entry.findtext(f"{ATOM}updated", ""),
        )
        for entry in root.iter(f"{ATOM}entry")
    }


def tombstones(output: Path) -> list[tuple[str | None, str | None]]:
    root = etree.parse(output / "atom.xml").getroot()
    return [(t.get("ref"), t.get("when")) for t in root.iter(f"{TOMBSTONES}deleted-entry")]


def edit_title(seed: Path, mtime: float | None = None) -> None:
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("Xiaomi And Leica", "Xiaomi And Leica, Corrected", 1), "utf-8")
    if mtime is not None:
        os.utime(seed, (mtime, mtime))


def feeds(output: Path) -> dict[str, bytes]:
    return {name: (output / name).read_bytes() for name in FEEDS}


@contextlib.contextmanager
def opened(path: Path) -> Iterator[Ledger]:
    book = Ledger(path)
    try:
        yield book
    finally:
        book.close()


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    """Five articles, published once (SOURCE_DATE_EPOCH at FIRST)."""
    seeds = make_seeds(tmp_path / "seeds", 5)
    output = tmp_path / "public"
    first = build(seeds, output, epoch=FIRST)
    assert (first.exit_code, first.stderr) == (EXIT_OK, "")
    return seeds, output


# --- the ledger itself --------------------------------------------------------------------


def test_reconcile_tells_new_edited_moved_gone_and_restored_articles() -> None:
    known = {
        "kept": Article("tag:a,2022-05-23:kept", 100, "d1", None),
        "edited": Article("tag:a,2022-05-23:edited", 100, "d1", None),
        "moved": Article("tag:a,2022-05-23:moved", 100, "d1", None),
        "gone": Article("tag:a,2022-05-23:gone", 100, "d1", None),
        "rebuilt": Article("tag:a,2022-05-23:rebuilt", 100, "", 150),
    }
    found = {
        "kept": Found("tag:a,2022-05-23:kept", 90.0, "d1", 500),
        "edited": Found("tag:a,2022-05-23:edited", 90.0, "d2", 500),
        "moved": Found("tag:b,2022-05-23:moved", 90.0, "d1", 500),
        "new": Found("tag:a,2022-05-23:new", 400.5, "d3", 600),
        "rebuilt": Found("tag:a,2022-05-23:rebuilt", 90.0, "d9", 500),
    }
    changes = reconcile(
        known, found, ["gone"], tombstoned={"tag:a,2022-05-23:new"}, build_time=None, deleted_at=700
    )
    assert changes.rows == {
        # An edit is dated by the seed's mtime; a rebuilt row's first digest is no edit.
        "edited": Article("tag:a,2022-05-23:edited", 100, "d2", 500),
        "moved": Article("tag:b,2022-05-23:moved", 100, "d1", None),
        "new": Article("tag:a,2022-05-23:new", 600, "d3", None),
        "rebuilt": Article("tag:a,2022-05-23:rebuilt", 100, "d9", 150),
    }
    assert changes.moved == [("moved", "tag:a,2022-05-23:moved", "tag:b,2022-05-23:moved")]
    assert changes.deleted == [
        Tombstone("tag:a,2022-05-23:moved", "moved", 500),
        Tombstone("tag:a,2022-05-23:gone", "gone", 700),
    ]
    assert changes.restored == ["tag:a,2022-05-23:new"]
    # SOURCE_DATE_EPOCH dates every change, but an edit never before the article's time.
    dated = reconcile(known, found, [], tombstoned=set(), build_time=50, deleted_at=700)
    assert dated.rows["edited"].changed == 90
    assert dated.rows["new"].first == 50


def test_a_ledger_is_recovered_from_what_feeds_published() -> None:
    entries = [
        ("tag:a,2022-05-23:plain", 1000.2, 1000.2),
        ("tag:a,2022-05-23:corrected", 1000.2, 5000.7),
        ("tag:a,2022-05-23:plain", 1000.2, 1000.2),  # in another format too
        ("https://not-ours.example/1", 1.0, 1.0),
    ]
    rows, deleted = recovered(entries, [("tag:a,2022-05-22:gone", 3000.0)])
    assert rows == {
        "plain": Article("tag:a,2022-05-23:plain", 1001, "", None),
        "corrected": Article("tag:a,2022-05-23:corrected", 1001, "", 5000),
    }
    assert deleted == [Tombstone("tag:a,2022-05-22:gone", "gone", 3000)]
    assert key_of("tag:example.com,2022-05-23:caf%C3%A9") == "caf%C3%A9"


def test_the_ledger_lives_beside_the_output_folder_not_in_it(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    _, output = site
    assert ledger_file(output) == tmp_path / "public.ledger" / "ledger.sqlite"
    assert not [path for path in output.rglob("*") if "ledger" in path.name]
    with opened(ledger_file(output)) as book:
        articles = book.articles()
    assert sorted(articles) == ["00000", "00001", "00002", "00003", "00004"]
    assert {key: article.id for key, article in articles.items()} == {
        key: id_of(key) for key in articles
    }
    assert {article.first for article in articles.values()} == {FIRST}
    assert {article.changed for article in articles.values()} == {None}


# --- corrections ----------------------------------------------------------------------------


def test_an_edit_moves_updated_once_and_rebuilds_are_byte_identical(
    site: tuple[Path, Path],
) -> None:
    seeds, output = site
    before = atom_entries(output)
    rss_before = feedparser.parse((output / "rss.xml").read_bytes())
    edit_title(seeds / "00003.txt")
    assert build(seeds, output, epoch=LATER).exit_code == EXIT_OK
    after = atom_entries(output)
    edited = id_of("00003")
    title, published, updated = after[edited]
    assert "Leica, Corrected" in title
    assert published == before[edited][1]  # the article's own time stays
    assert updated.startswith(LATER_TEXT.removesuffix("Z"))
    assert updated > before[edited][2]
    # Only the edited entry moved, and the feed's own updated is the correction's.
    assert {id: times[2] for id, times in after.items() if id != edited} == {
        id: times[2] for id, times in before.items() if id != edited
    }
    root = etree.parse(output / "atom.xml").getroot()
    assert root.findtext(f"{ATOM}updated") == updated
    items = {item["id"]: item for item in json.loads((output / "feed.json").read_bytes())["items"]}
    assert items[edited]["date_modified"] == updated.replace("+00:00", "Z")
    assert items[edited]["date_published"] == published.replace("+00:00", "Z")
    # RSS readers see no new item: the same guids, in the same order, at the same times.
    rss = feedparser.parse((output / "rss.xml").read_bytes())
    assert [(e.id, e.published) for e in rss.entries] == [
        (e.id, e.published) for e in rss_before.entries
    ]
    # Two rebuilds, even at other build times: byte-identical.
    published_now = feeds(output)
    for epoch in (LATER + 3600, None):
        assert build(seeds, output, epoch=epoch).exit_code == EXIT_OK
        assert feeds(output) == published_now
    for name in FEEDS:
        assert validate(published_now[name]) == [], name


def test_an_edit_without_source_date_epoch_is_dated_by_the_seeds_mtime(
    site: tuple[Path, Path],
) -> None:
    seeds, output = site
    edit_title(seeds / "00001.txt", mtime=LATER)
    assert build(seeds, output).exit_code == EXIT_OK
    assert atom_entries(output)[id_of("00001")][2].startswith("2023-11-14T22:13:20")


def test_an_edit_is_never_dated_before_the_article(site: tuple[Path, Path]) -> None:
    seeds, output = site
    edit_title(seeds / "00002.txt", mtime=1_000_000_000)  # 2001, before the article
    assert build(seeds, output).exit_code == EXIT_OK
    _, published, updated = atom_entries(output)[id_of("00002")]
    assert updated == published


def test_retagging_or_touching_an_article_is_no_correction(site: tuple[Path, Path]) -> None:
    seeds, output = site
    before = feeds(output)
    seed = seeds / "00000.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("CATEGORIES", "CATEGORIES Tech"))
    os.utime(seeds / "00004.txt", (LATER, LATER))
    assert build(seeds, output, epoch=LATER).exit_code == EXIT_OK
    updated = {id: times[2] for id, times in atom_entries(output).items()}
    assert updated == {id: times[2] for id, times in atom_entries_of(before).items()}


def test_check_sees_a_correction_and_writes_no_ledger(site: tuple[Path, Path]) -> None:
    seeds, output = site
    ledger = ledger_file(output)
    stored = ledger.read_bytes()
    edit_title(seeds / "00003.txt")
    result = build(seeds, output, "--check", epoch=LATER)
    assert result.exit_code == EXIT_OUT_OF_DATE
    assert ledger.read_bytes() == stored
    assert build(seeds, output, epoch=LATER).exit_code == EXIT_OK
    assert build(seeds, output, "--check", epoch=LATER + 60).exit_code == EXIT_OK


def test_the_cache_changes_no_byte_of_the_history(tmp_path: Path) -> None:
    """Builds with a cache bring the ledger up to date with only what changed; builds
    without one compare every seed: both make the same feeds through the same history."""
    outputs = {}
    for cached in (True, False):
        seeds = make_seeds(tmp_path / f"seeds-{cached}", 8)
        output = tmp_path / f"public-{cached}"
        more = ("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",)
        assert build(seeds, output, *more, epoch=FIRST).exit_code == EXIT_OK
        edit_title(seeds / "00006.txt")
        assert build(seeds, output, *more, epoch=FIRST + 100).exit_code == EXIT_OK
        (seeds / "00002.txt").unlink()
        assert build(seeds, output, *more, epoch=FIRST + 200).exit_code == EXIT_OK
        edit_title(seeds / "00004.txt")
        assert build(seeds, output, *more, epoch=FIRST + 300).exit_code == EXIT_OK
        assert build(seeds, output, *more, epoch=FIRST + 400).exit_code == EXIT_OK
        outputs[cached] = feeds(output)
    assert outputs[True] == outputs[False]


# --- tombstones ----------------------------------------------------------------------------


def test_a_deleted_seed_is_an_rfc_6721_tombstone_in_atom_alone(site: tuple[Path, Path]) -> None:
    seeds, output = site
    (seeds / "00002.txt").unlink()
    assert build(seeds, output, epoch=LATER).exit_code == EXIT_OK
    gone = id_of("00002")
    data = (output / "atom.xml").read_bytes()
    root = etree.fromstring(data)
    # RFC 6721 §2: at:deleted-entry, in the feed, with ref (the id) and when (RFC 3339).
    found = root.findall(f"{TOMBSTONES}deleted-entry")
    assert [(t.get("ref"), t.get("when")) for t in found] == [(gone, LATER_TEXT)]
    assert root.nsmap["at"] == TOMBSTONES[1:-1]
    assert [child.tag for child in found[0]] == []
    assert validate(data) == []
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert gone not in [entry.id for entry in parsed.entries]
    assert len(parsed.entries) == 4
    # It leaves the RSS and JSON feeds, which know no tombstones.
    for name in ("rss.xml", "feed.json"):
        assert gone.encode() not in (output / name).read_bytes()
        assert b"deleted" not in (output / name).read_bytes()
    # Rebuilds keep it as it is.
    assert build(seeds, output, epoch=LATER + 999).exit_code == EXIT_OK
    assert tombstones(output) == [(gone, LATER_TEXT)]


def test_a_deletion_without_source_date_epoch_is_dated_by_the_folder(
    site: tuple[Path, Path],
) -> None:
    seeds, output = site
    (seeds / "00002.txt").unlink()
    os.utime(seeds, (LATER, LATER))  # what the removal did, at a known time
    assert build(seeds, output).exit_code == EXIT_OK
    assert tombstones(output) == [(id_of("00002"), LATER_TEXT)]


def test_a_restored_seed_takes_its_tombstone_back(site: tuple[Path, Path]) -> None:
    seeds, output = site
    before = feeds(output)
    kept = (seeds / "00002.txt").read_bytes()
    (seeds / "00002.txt").unlink()
    assert build(seeds, output, epoch=LATER).exit_code == EXIT_OK
    (seeds / "00002.txt").write_bytes(kept)
    assert build(seeds, output, epoch=LATER + 60).exit_code == EXIT_OK
    assert tombstones(output) == []
    assert feeds(output) == before


def test_tombstones_stay_for_tombstone_days_after_the_newest_time(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    seeds, output = site
    (seeds / "00002.txt").unlink()
    assert build(seeds, output, epoch=LATER).exit_code == EXIT_OK
    # An article 31 days after the deletion: the tombstone is 31 days old.
    text = (seeds / "00000.txt").read_text(encoding="utf-8")
    newer = text.replace("Monday, May 23, 2022", "Friday, December 15, 2023").replace(
        "2022-05-23", "2023-12-15"
    )
    (seeds / "new.txt").write_text(newer, encoding="utf-8")
    settings = tmp_path / "feedpub.toml"
    for days, expected in ((31, [(id_of("00002"), LATER_TEXT)]), (30, [])):
        settings.write_text(f'base_url = "{BASE_URL}"\ntombstone_days = {days}\n')
        result = build(seeds, output, "--config", str(settings), epoch=LATER + 60)
        assert result.exit_code == EXIT_OK, result.stderr
        assert tombstones(output) == expected


def test_mass_deletion_is_still_refused_and_leaves_no_tombstone(site: tuple[Path, Path]) -> None:
    seeds, output = site
    for number in range(4):
        (seeds / f"0000{number}.txt").unlink()
    before = feeds(output)
    result = build(seeds, output, epoch=LATER)
    assert result.exit_code == 6
    assert feeds(output) == before
    # Nothing the refused build found was kept: no tombstone waits for the next build.
    with opened(ledger_file(output)) as book:
        assert book.tombstones() == []
        assert len(book) == 5


# --- the id guard --------------------------------------------------------------------------


def test_a_new_base_url_host_is_refused_unless_allowed(site: tuple[Path, Path]) -> None:
    seeds, output = site
    before = feeds(output)
    command = ["build", str(seeds), "-o", str(output), "--base-url", "https://news.example.org/"]
    result = CliRunner().invoke(main, command, env={"SOURCE_DATE_EPOCH": str(LATER)})
    assert result.exit_code == EXIT_ID_CHANGE_REFUSED
    assert result.stderr == (
        f"{seeds}: error: 5 of the 5 published articles would change their ids (100.0%, "
        "more than max_id_change 1%), so readers would show them again as new: "
        "00000: tag:example.com,2022-05-23:00000 -> tag:news.example.org,2022-05-23:00000; "
        "00001: tag:example.com,2022-05-23:00001 -> tag:news.example.org,2022-05-23:00001; "
        "00002: tag:example.com,2022-05-23:00002 -> tag:news.example.org,2022-05-23:00002; "
        "the feeds were left as they were (--allow-id-change publishes anyway)\n"
    )
    assert feeds(output) == before
    allowed = CliRunner().invoke(
        main, [*command, "--allow-id-change"], env={"SOURCE_DATE_EPOCH": str(LATER)}
    )
    assert allowed.exit_code == EXIT_OK, allowed.stderr
    assert all(id.startswith("tag:news.example.org,") for id in atom_entries(output))
    # Readers are told to drop the entries under their old ids.
    assert sorted(tombstones(output)) == [
        (id_of(f"0000{number}"), LATER_TEXT) for number in range(5)
    ]
    again = CliRunner().invoke(main, command, env={"SOURCE_DATE_EPOCH": str(LATER)})
    assert again.exit_code == EXIT_OK  # the ledger now holds the new ids


def test_a_few_changed_ids_pass_below_the_share(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 5)
    output = tmp_path / "public"
    assert build(seeds, output, epoch=FIRST).exit_code == EXIT_OK
    seed = seeds / "00001.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("2022-05-23", "2022-05-22"))
    settings = tmp_path / "feedpub.toml"
    settings.write_text(f'base_url = "{BASE_URL}"\nmax_id_change = 0.2\n', encoding="utf-8")
    result = build(seeds, output, "--config", str(settings), epoch=LATER)
    assert result.exit_code == EXIT_OK, result.stderr
    assert tombstones(output) == [(id_of("00001"), LATER_TEXT)]
    assert tag_uri("example.com", date(2022, 5, 22), "00001") in atom_entries(output)


# --- a lost or damaged ledger ----------------------------------------------------------------


def test_a_missing_ledger_is_rebuilt_from_the_feeds_keeping_history(
    site: tuple[Path, Path],
) -> None:
    seeds, output = site
    edit_title(seeds / "00003.txt")
    (seeds / "00001.txt").unlink()
    assert build(seeds, output, epoch=LATER).exit_code == EXIT_OK
    published = feeds(output)
    ledger = ledger_file(output)
    ledger.unlink()
    result = build(seeds, output, epoch=LATER + 500)
    assert result.exit_code == EXIT_OK
    assert result.stderr == (
        f"{ledger}: warning: the ledger was missing; rebuilt from the published feeds: "
        "4 articles, 1 tombstone\n"
    )
    assert feeds(output) == published  # the correction's time and the tombstone kept
    # The guard still knows the published ids.
    command = ["build", str(seeds), "-o", str(output), "--base-url", "https://news.example.org/"]
    assert CliRunner().invoke(main, command).exit_code == EXIT_ID_CHANGE_REFUSED


def test_a_damaged_ledger_is_kept_aside_and_rebuilt(site: tuple[Path, Path]) -> None:
    seeds, output = site
    published = feeds(output)
    ledger = ledger_file(output)
    ledger.write_bytes(b"this is not a database, and it is long enough to be read as one" * 64)
    result = build(seeds, output, epoch=LATER)
    assert result.exit_code == EXIT_OK
    assert result.stderr == (
        f"{ledger}: warning: the ledger was damaged (file is not a database); kept aside and "
        "rebuilt from the published feeds: 5 articles, 0 tombstones\n"
    )
    assert ledger.with_name(f"{ledger.name}.damaged").read_bytes().startswith(b"this is not")
    assert feeds(output) == published
    with opened(ledger) as book:
        assert len(book) == 5


def test_a_ledger_that_cannot_be_written_is_an_output_error(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 2)
    settings = tmp_path / "feedpub.toml"
    settings.write_text(
        f'base_url = "{BASE_URL}"\nledger = "missing/folder/ledger.sqlite"\n', encoding="utf-8"
    )
    result = build(seeds, tmp_path / "public", "--config", str(settings))
    assert result.exit_code == EXIT_OUTPUT_FAILED
    assert result.stderr == (
        f"{tmp_path / 'missing/folder/ledger.sqlite'}: error: cannot open the ledger: No such "
        "file or directory; set `ledger` to a writable place\n"
    )
    assert not (tmp_path / "public" / "atom.xml").exists()


def test_a_malformed_source_date_epoch_is_a_usage_error(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 1)
    result = CliRunner().invoke(
        main,
        ["build", str(seeds), "-o", str(tmp_path / "public"), "--base-url", BASE_URL],
        env={"SOURCE_DATE_EPOCH": "yesterday"},
    )
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == (
        "error: SOURCE_DATE_EPOCH: expected a whole number of seconds, got 'yesterday'\n"
    )


def test_the_ledgers_tables_are_as_documented(site: tuple[Path, Path]) -> None:
    _, output = site
    with contextlib.closing(sqlite3.connect(ledger_file(output))) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert tables >= {"meta", "articles", "deleted"}
        columns = [row[1] for row in db.execute("PRAGMA table_info(articles)")]
        assert columns == ["key", "id", "first", "digest", "changed"]


# --- the same guard in CI: validate --previous ------------------------------------------------


def test_validate_previous_reports_the_ids_a_new_host_changed(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    seeds, output = site
    moved = tmp_path / "moved"
    command = ["build", str(seeds), "-o", str(moved), "--base-url", "https://news.example.org/"]
    assert CliRunner().invoke(main, command).exit_code == EXIT_OK  # a fresh ledger
    for name in FEEDS:
        old, new = output / name, moved / name
        result = CliRunner().invoke(main, ["validate", "--previous", str(old), str(new)])
        assert result.exit_code == 1, (name, result.stdout)
        lines = result.stdout.splitlines()
        assert len(lines) == 5
        assert all(": error: id-changed: the entry published as 'tag:example.com," in line
                   for line in lines)  # fmt: skip
        assert "now has the id 'tag:news.example.org,2022-05-23:0000" in lines[0]
        # The same feed against itself, and a host change allowed in CI, pass.
        same = CliRunner().invoke(main, ["validate", "--previous", str(old), str(old)])
        assert (same.exit_code, same.stdout) == (0, "")
        allowed = ["validate", "--previous", str(old), str(new), "--max-id-change", "1"]
        assert CliRunner().invoke(main, allowed).exit_code == 0


def test_validate_previous_compares_one_feed(site: tuple[Path, Path]) -> None:
    _, output = site
    atom = str(output / "atom.xml")
    result = CliRunner().invoke(main, ["validate", "--previous", atom, atom, atom])
    assert result.exit_code == EXIT_USAGE
    assert "--previous compares one feed with its previous edition" in result.stderr
    missing = CliRunner().invoke(main, ["validate", "--previous", f"{atom}.gone", atom])
    assert missing.exit_code == EXIT_USAGE


def test_the_ledger_holds_what_feeds_published_and_keeps_it(tmp_path: Path) -> None:
    """An article no feed ever held was never seen by a reader: it has no history to keep,
    so the ledger stays the size of what was published, not of the archive."""
    seeds = make_seeds(tmp_path / "seeds", 5)
    output = tmp_path / "public"
    assert build(seeds, output, "--limit", "2", epoch=FIRST).exit_code == EXIT_OK
    with opened(ledger_file(output)) as book:
        assert sorted(book.articles()) == ["00003", "00004"]  # the two newest
    # A newer article pushes 00003 out of the feeds; the ledger keeps it.
    make_seeds(tmp_path / "more", 6)
    shutil.copy(tmp_path / "more" / "00005.txt", seeds / "00005.txt")
    assert build(seeds, output, "--limit", "2", epoch=FIRST + 60).exit_code == EXIT_OK
    with opened(ledger_file(output)) as book:
        assert sorted(book.articles()) == ["00003", "00004", "00005"]
    # Deleting what was published once is a tombstone; what never was, none.
    (seeds / "00003.txt").unlink()
    (seeds / "00000.txt").unlink()
    assert build(seeds, output, "--limit", "2", epoch=LATER).exit_code == EXIT_OK
    assert tombstones(output) == [(id_of("00003"), LATER_TEXT)]


def test_published_dates_are_read_back_in_every_form_feeds_write() -> None:
    moment = datetime(2022, 5, 23, 17, 1, tzinfo=UTC).timestamp()
    for text in (
        "2022-05-23T17:01:00Z",
        "2022-05-23T17:01:00.000000+00:00",
        " 2022-05-23T13:01:00-04:00 ",
        "Mon, 23 May 2022 17:01:00 +0000",
        "Mon, 23 May 2022 13:01:00 EDT",
    ):
        assert timestamp(text) == moment, text
    for other in ("2022-05-23T17:01:00", "yesterday", "", None, 1653325260):
        assert timestamp(other) is None, other
