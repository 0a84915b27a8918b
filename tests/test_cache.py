"""The seed cache: rebuilds read only what changed, and the cache never changes output."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from feedpub import cache as cache_module
from feedpub import records
from feedpub.build import BULK_LOAD, BuildResult, build
from feedpub.cache import SeedCache, Totals, cache_file
from feedpub.cli import EXIT_SEEDS_REJECTED
from feedpub.config import Config
from feedpub.errors import Diagnostic, SeedReadError
from feedpub.ledger import ledger_file
from feedpub.listing import find_seeds, list_seeds
from feedpub.seed import parse_seed
from tests.conftest import DATA, FEED_FILES
from tests.test_cron import BASE_URL, make_seeds

FEEDS = FEED_FILES


def run(
    seeds: Path, output: Path, cache_dir: Path | None, *, jobs: int = 1, bulk_load: int = BULK_LOAD
) -> tuple[BuildResult, list[str]]:
    reported: list[Diagnostic] = []
    config = Config(base_url=BASE_URL, limit=30, output=output)
    result = build(
        seeds=seeds,
        config=config,
        cache_dir=cache_dir,
        jobs=jobs,
        report=reported.append,
        bulk_load=bulk_load,
    )
    return result, [str(diagnostic) for diagnostic in reported]


def feeds(output: Path) -> dict[str, bytes]:
    return {name: (output / name).read_bytes() for name in FEEDS}


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the seeds a build's survey reads, through records.read_at, the one
    function that reads a seed's bytes."""
    parsed: list[str] = []
    real = records.read_at

    def read_at(folder_fd: int, name: str, max_size: int) -> tuple[bytes, int, int]:
        parsed.append(name)
        return real(folder_fd, name, max_size)

    monkeypatch.setattr(records, "read_at", read_at)
    return parsed


def test_rebuilds_read_only_what_changed(tmp_path: Path, counting: list[str]) -> None:
    seeds = make_seeds(tmp_path / "seeds", 40)
    cache_dir = tmp_path / "cache"
    run(seeds, tmp_path / "out", cache_dir)
    assert len(counting) == 40
    counting.clear()
    run(seeds, tmp_path / "out", cache_dir)
    assert counting == []
    make_seeds(tmp_path / "more", 41)
    (tmp_path / "more" / "00040.txt").rename(seeds / "00040.txt")
    run(seeds, tmp_path / "out", cache_dir)
    assert counting == ["00040.txt"]
    counting.clear()
    edited = seeds / "00007.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Leica", "Leitz"), encoding="utf-8"
    )
    run(seeds, tmp_path / "out", cache_dir)
    assert counting == ["00007.txt"]
    counting.clear()
    (seeds / "00003.txt").unlink()
    result, _ = run(seeds, tmp_path / "out", cache_dir)
    assert counting == []
    assert result.seeds == 40
    store = SeedCache(cache_file(cache_dir, seeds, "example.com"))
    stamps = store.stamps()
    store.close()
    assert "00003.txt" not in stamps
    assert len(stamps) == 40


def test_a_seed_that_could_not_be_read_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counting: list[str]
) -> None:
    seeds = make_seeds(tmp_path / "seeds", 5)
    real = records.read_at

    def failing(folder_fd: int, name: str, max_size: int) -> tuple[bytes, int, int]:
        if name == "00002.txt":
            raise SeedReadError("error", "cannot read: Input/output error")
        return real(folder_fd, name, max_size)

    with monkeypatch.context() as patch:
        patch.setattr(records, "read_at", failing)
        result, report = run(seeds, tmp_path / "out", tmp_path / "cache")
    assert (result.seeds, result.rejected) == (5, 1)
    assert report == [f"{seeds / '00002.txt'}: error: cannot read: Input/output error"]
    counting.clear()
    result, report = run(seeds, tmp_path / "out", tmp_path / "cache")
    assert counting == ["00002.txt"]
    assert (result.seeds, result.rejected, report) == (5, 0, [])
    counting.clear()
    run(seeds, tmp_path / "out", tmp_path / "cache")
    assert counting == []


def test_same_size_and_mtime_means_unchanged(tmp_path: Path, counting: list[str]) -> None:
    seeds = make_seeds(tmp_path / "seeds", 3)
    run(seeds, tmp_path / "out", tmp_path / "cache")
    counting.clear()
    seed = seeds / "00001.txt"
    stat = seed.stat()
    seed.write_bytes(seed.read_bytes().replace(b"Leica", b"Leitz"))  # same size
    run(seeds, tmp_path / "out", tmp_path / "cache")
    assert counting == ["00001.txt"]  # the mtime moved
    counting.clear()
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    run(seeds, tmp_path / "out", tmp_path / "cache")
    assert counting == ["00001.txt"]  # one nanosecond is a change


def make_mixed(tmp_path: Path) -> Path:
    """Good seeds and every broken fixture, so the cache must replay errors too."""
    seeds = make_seeds(tmp_path / "seeds", 30)
    for fixture in (DATA / "seeds").glob("*.txt"):
        (seeds / fixture.name).write_bytes(fixture.read_bytes())
    return seeds


@pytest.mark.parametrize("damage", ["deleted", "garbage", "truncated", "other version"])
def test_a_lost_or_damaged_cache_changes_no_output(tmp_path: Path, damage: str) -> None:
    seeds = make_mixed(tmp_path)
    cold, cold_report = run(seeds, tmp_path / "cold", None)
    cache_dir = tmp_path / "cache"
    run(seeds, tmp_path / "warm", cache_dir)
    database = cache_file(cache_dir, seeds, "example.com")
    if damage == "deleted":
        database.unlink()
    elif damage == "garbage":
        database.write_bytes(b"this is not an SQLite database" * 100)
    elif damage == "truncated":
        data = database.read_bytes()
        database.write_bytes(data[: len(data) // 3])
    else:
        with sqlite3.connect(database) as db:
            db.execute("UPDATE meta SET value = '0.0.0' WHERE key = 'version'")
    result, report = run(seeds, tmp_path / "again", cache_dir)
    assert feeds(tmp_path / "again") == feeds(tmp_path / "cold")
    assert (result.rejected, result.warnings, result.seeds) == (
        cold.rejected,
        cold.warnings,
        cold.seeds,
    )
    cache_warnings = [line for line in report if line.startswith(str(database))]
    assert [line for line in report if line not in cache_warnings] == cold_report
    if damage == "garbage":
        assert cache_warnings == [f"{database}: warning: the cache was corrupt; rebuilding it"]
    if damage in ("deleted", "other version"):
        assert cache_warnings == []
    _, report = run(seeds, tmp_path / "again", cache_dir)
    assert report == cold_report


def test_output_is_the_same_for_any_number_of_jobs(tmp_path: Path) -> None:
    seeds = make_mixed(tmp_path)
    records.POOL_THRESHOLD, threshold = 10, records.POOL_THRESHOLD
    try:
        _, report_one = run(seeds, tmp_path / "one", None, jobs=1)
        _, report_two = run(seeds, tmp_path / "two", None, jobs=2)
        _, report_three = run(seeds, tmp_path / "three", tmp_path / "cache", jobs=3)
    finally:
        records.POOL_THRESHOLD = threshold
    assert feeds(tmp_path / "one") == feeds(tmp_path / "two") == feeds(tmp_path / "three")
    assert report_one == report_two == report_three


def test_concurrent_builds_share_a_cache_safely(tmp_path: Path) -> None:
    seeds = make_mixed(tmp_path)
    run(seeds, tmp_path / "expected", None)
    cache_dir = tmp_path / "cache"
    command = [sys.executable, "-m", "feedpub", "build", str(seeds), "--base-url", BASE_URL]
    command += ["--limit", "30", "-q", "--cache-dir", str(cache_dir), "-j", "2"]
    processes = [
        subprocess.Popen(
            [*command, "-o", str(tmp_path / f"out{n}")], cwd=tmp_path, stderr=subprocess.DEVNULL
        )
        for n in range(4)
    ]
    assert [process.wait(timeout=120) for process in processes] == [EXIT_SEEDS_REJECTED] * 4
    for n in range(4):
        assert feeds(tmp_path / f"out{n}") == feeds(tmp_path / "expected")
    store = SeedCache(cache_file(cache_dir, seeds, "example.com"))
    stamps = store.stamps()
    store.close()
    assert stamps == {
        path.name: (path.stat().st_size, path.stat().st_mtime_ns) for path in seeds.iterdir()
    }


def test_progress_is_told_as_seeds_are_parsed(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 450)
    calls: list[tuple[int, int]] = []
    config = Config(base_url=BASE_URL, output=tmp_path / "out")
    build(seeds=seeds, config=config, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(200, 450), (400, 450), (450, 450)]


def test_a_bulk_load_indexes_the_cache_after(tmp_path: Path) -> None:
    seeds = make_mixed(tmp_path)
    _, expected_report = run(seeds, tmp_path / "expected", None)
    _, report = run(seeds, tmp_path / "out", tmp_path / "cache", bulk_load=1)
    assert report == expected_report
    assert feeds(tmp_path / "out") == feeds(tmp_path / "expected")
    with sqlite3.connect(cache_file(tmp_path / "cache", seeds, "example.com")) as db:
        indexes = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert {"seeds_newest", "seeds_noted"} <= indexes


def test_a_cache_kept_busy_is_done_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = make_mixed(tmp_path)
    _, expected_report = run(seeds, tmp_path / "expected", None)
    run(seeds, tmp_path / "warm", tmp_path / "cache")
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT_MS", 100)
    database = cache_file(tmp_path / "cache", seeds, "example.com")
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another build, in the middle of its work
    try:
        _result, report = run(seeds, tmp_path / "out", tmp_path / "cache")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert report == [f"{database}: warning: cache not used: database is locked", *expected_report]
    assert feeds(tmp_path / "out") == feeds(tmp_path / "expected")


def test_a_first_build_records_the_listing_the_next_compares_with(
    tmp_path: Path, counting: list[str]
) -> None:
    """A build with no cache yet lists names only and takes the stamps from its reads."""
    seeds = make_mixed(tmp_path)
    (seeds / "a-folder.txt").mkdir()  # not a seed: left out without a word
    run(seeds, tmp_path / "out", tmp_path / "cache")
    store = SeedCache(cache_file(tmp_path / "cache", seeds, "example.com"))
    known = store.listing()
    store.close()
    assert known is not None
    assert known[0] == find_seeds(seeds, "*.txt").encode()
    counting.clear()
    result, _ = run(seeds, tmp_path / "out", tmp_path / "cache")
    assert counting == []
    assert result.written == ()


def test_reading_every_seed_drops_records_of_seeds_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another build may fill the cache between the look for it and its use."""
    seeds = make_seeds(tmp_path / "seeds", 5)
    run(seeds, tmp_path / "out", tmp_path / "cache")
    (seeds / "00002.txt").unlink()
    database = cache_file(tmp_path / "cache", seeds, "example.com")
    exists = os.path.exists
    # The build looks for its cache and finds none, as if another filled it right after.
    monkeypatch.setattr(os.path, "exists", lambda path: path != database and exists(path))
    result, report = run(seeds, tmp_path / "out", tmp_path / "cache")
    monkeypatch.undo()
    store = SeedCache(database)
    stamps = store.stamps()
    known = store.listing()
    store.close()
    assert sorted(stamps) == sorted(list_seeds(seeds, "*.txt"))
    assert sorted(stamps) == ["00000.txt", "00001.txt", "00003.txt", "00004.txt"]
    assert (result.seeds, len(result.entries), report) == (4, 4, [])
    assert known is not None
    assert known[0] == find_seeds(seeds, "*.txt").encode()


def test_a_cache_that_cannot_be_made_is_done_without(tmp_path: Path) -> None:
    seeds = make_mixed(tmp_path)
    _, expected_report = run(seeds, tmp_path / "expected", None)
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_bytes(b"")
    _, report = run(seeds, tmp_path / "out", not_a_folder)
    database = cache_file(not_a_folder, seeds, "example.com")
    assert report == [f"{database}: warning: cannot use the cache: File exists", *expected_report]
    assert feeds(tmp_path / "out") == feeds(tmp_path / "expected")


def set_totals(**counts: int) -> str:
    """SQL that stores these totals, as the cache encodes them."""
    return f"UPDATE meta SET value = '{Totals(**counts).encode()}' WHERE key = 'totals'"


DAMAGE = {
    "listing cut short": (
        "UPDATE meta SET value = x'0102' WHERE key = 'listing'",
        "its listing cannot be read (a listing shorter than its count)",
    ),
    "listing not UTF-8": (
        "UPDATE meta SET value = x'ffffffff00000000' || substr(value, 9) WHERE key = 'listing'",
        "it holds text that is not UTF-8",
    ),
    "listing stored as a number": (
        "UPDATE meta SET value = 42 WHERE key = 'listing'",
        "its listing or totals are not what it stores",
    ),
    "totals garbled": (
        "UPDATE meta SET value = 'x y' WHERE key = 'totals'",
        "its totals cannot be read",
    ),
    "totals that do not add up": (
        set_totals(seeds=30, rejected=5, warnings=0, entries=30),
        "its totals do not add up",
    ),
    "totals of other records": (
        set_totals(seeds=30, rejected=5, warnings=0, entries=25),
        "its diagnostics do not match its totals",
    ),
    "warnings miscounted": (
        set_totals(seeds=30, rejected=0, warnings=7, entries=30),
        "its diagnostics do not match its totals",
    ),
    "diagnostics garbled": (
        "UPDATE seeds SET diagnostics = '{' WHERE name = CAST('00003.txt' AS BLOB)",
        "its diagnostics of '00003.txt' cannot be read",
    ),
    "diagnostics of another shape": (
        """UPDATE seeds SET diagnostics = '[[1, "fatal", "x"]]'"""
        " WHERE name = CAST('00003.txt' AS BLOB)",
        "its diagnostics of '00003.txt' cannot be read",
    ),
    "a time that is text": (
        "UPDATE seeds SET published = 'abc' WHERE name = CAST('00003.txt' AS BLOB)",
        "its record of '00003.txt' does not match the seed",
    ),
    "the newest made old": (
        "UPDATE seeds SET published = 0 WHERE name = CAST('00029.txt' AS BLOB)",
        "its record of '00029.txt' does not match the seed",
    ),
    "an id changed": (
        "UPDATE seeds SET id = 'tag:x,2000:y' WHERE name = CAST('00029.txt' AS BLOB)",
        "its record of '00029.txt' does not match the seed",
    ),
    "text that is not UTF-8": (
        "UPDATE seeds SET id = CAST(x'ff' AS TEXT) WHERE name = CAST('00029.txt' AS BLOB)",
        "it holds text that is not UTF-8",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_contents_are_rebuilt_with_a_warning_and_change_no_output(
    tmp_path: Path, damage: str
) -> None:
    seeds = make_seeds(tmp_path / "seeds", 30)
    cache_dir = tmp_path / "cache"
    run(seeds, tmp_path / "expected", cache_dir)
    database = cache_file(cache_dir, seeds, "example.com")
    sql, why = DAMAGE[damage]
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute(sql)
        connection.commit()
    result, report = run(seeds, tmp_path / "out", cache_dir)
    assert report == [f"{database}: warning: the cache was corrupt ({why}); rebuilding it"]
    assert (result.seeds, result.rejected, len(result.entries)) == (30, 0, 30)
    assert feeds(tmp_path / "out") == feeds(tmp_path / "expected")
    result, report = run(seeds, tmp_path / "out", cache_dir)
    assert (report, result.written) == ([], ())


def test_a_record_deleted_from_the_cache_is_found_when_the_folder_changes(
    tmp_path: Path,
) -> None:
    """An unchanged folder's no-op rebuild trusts the stored totals without reading every
    record; the next build that counts them finds the gap."""
    seeds = make_seeds(tmp_path / "seeds", 30)
    cache_dir = tmp_path / "cache"
    run(seeds, tmp_path / "out", cache_dir)
    database = cache_file(cache_dir, seeds, "example.com")
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("DELETE FROM seeds WHERE name = CAST('00029.txt' AS BLOB)")
        connection.commit()
    (seeds / "00000.txt").write_text(
        (seeds / "00000.txt").read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8"
    )
    # The same history: the edit is a correction of what "out" published.
    shutil.copytree(ledger_file(tmp_path / "out").parent, ledger_file(tmp_path / "expected").parent)
    run(seeds, tmp_path / "expected", None)
    _, report = run(seeds, tmp_path / "out", cache_dir)
    assert report == [
        f"{database}: warning: the cache was corrupt (its records do not match the folder); "
        "rebuilding it"
    ]
    assert feeds(tmp_path / "out") == feeds(tmp_path / "expected")


def test_the_cache_keeps_each_seeds_categories_and_authors(tmp_path: Path) -> None:
    """What selections by category or author will read, without parsing bodies."""
    run(DATA / "seeds", tmp_path / "out", tmp_path / "cache")
    store = SeedCache(cache_file(tmp_path / "cache", DATA / "seeds", "example.com"))
    kept = list(store.newest())
    store.close()
    assert len(kept) == 39
    for record in kept:
        path = DATA / "seeds" / record.name
        entry = parse_seed(path.read_bytes(), path, authority="example.com").entry
        assert (record.categories, record.authors) == (entry.categories, entry.authors)
    assert any(len(record.categories) > 1 for record in kept)
    assert any(len(record.authors) > 1 for record in kept)
