"""Listing the seeds folder: one process or several, the same names and stamps."""

from __future__ import annotations

import os
import random
from array import array
from pathlib import Path

import pytest

from feedpub import listing
from feedpub.listing import Listing, find_seeds, list_seeds
from feedpub.workers import Workers


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for number in range(50):
        (tmp_path / f"{number:02d}.txt").write_bytes(b"x" * number)
    (tmp_path / "dir.txt").mkdir()
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / ".hidden.txt").write_bytes(b"hidden")
    (tmp_path / "notes.md").write_bytes(b"notes")
    return tmp_path


def test_only_regular_seed_files_are_listed_with_their_stamps(folder: Path) -> None:
    found = find_seeds(folder, "*.txt")
    expected = {f"{number:02d}.txt" for number in range(50)}
    assert set(found.names) == expected
    assert dict(zip(found.names, zip(found.sizes, found.mtimes, strict=True), strict=True)) == {
        name: ((folder / name).stat().st_size, (folder / name).stat().st_mtime_ns)
        for name in expected
    }


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_list_exactly_what_one_process_lists(
    folder: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = find_seeds(folder, "*.txt")
    monkeypatch.setattr(listing, "PARALLEL_LISTING", 1)
    with Workers(jobs) as workers:
        shared = find_seeds(folder, "*.txt", workers)
    assert shared == alone


def test_names_alone_are_the_names_of_the_listing(folder: Path) -> None:
    """Told apart by the folder's entries, not by stat: the same seeds, in the same order."""
    (folder / "link.txt").symlink_to(folder / "07.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "to-dir.txt").symlink_to(folder / "dir.txt")
    names = list_seeds(folder, "*.txt")
    assert names == find_seeds(folder, "*.txt").names
    assert "link.txt" in names
    assert not {"dangling.txt", "to-dir.txt", "dir.txt", "fifo.txt", ".hidden.txt"} & set(names)


def test_the_encoding_tells_every_name_size_and_mtime(folder: Path) -> None:
    before = find_seeds(folder, "*.txt")
    assert Listing.decode(before.encode()) == before
    seed = folder / "07.txt"
    info = seed.stat()
    os.utime(seed, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    touched = find_seeds(folder, "*.txt")
    seed.write_bytes(b"y" * 7)
    os.utime(seed, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    rewritten = find_seeds(folder, "*.txt")
    seed.rename(folder / "07b.txt")
    renamed = find_seeds(folder, "*.txt")
    assert len({before.encode(), touched.encode(), renamed.encode()}) == 3
    assert rewritten.encode() == touched.encode()  # same name, size and mtime: unchanged


def test_an_empty_listing_and_odd_names_survive_encoding() -> None:
    empty = Listing([], array("q"), array("q"))
    assert Listing.decode(empty.encode()) == empty
    odd = Listing(["a\udcff.txt", "é.txt", ""], array("q", [1, -2, 3]), array("q", [2**62, 0, -1]))
    assert Listing.decode(odd.encode()) == odd


def stamped(stamps: dict[str, tuple[int, int]]) -> Listing:
    return Listing.from_stamps(stamps)


def test_changes_since_an_earlier_stamped() -> None:
    earlier = stamped({"b": (1, 1), "a": (1, 1), "c": (1, 1)})
    assert stamped({"b": (1, 1), "a": (1, 1), "c": (1, 1)}).changes_since(earlier) == ([], [])
    edited = stamped({"b": (1, 1), "a": (2, 1), "c": (1, 2)})
    assert edited.changes_since(earlier) == ([("a", 2, 1), ("c", 1, 2)], [])
    reordered = stamped({"c": (1, 1), "a": (1, 1), "b": (1, 1)})
    assert reordered.changes_since(earlier) == ([], [])
    added_and_gone = stamped({"d": (1, 1), "a": (1, 1), "b": (1, 3)})
    assert added_and_gone.changes_since(earlier) == ([("b", 1, 3), ("d", 1, 1)], ["c"])
    assert earlier.changes_since(stamped({})) == ([("a", 1, 1), ("b", 1, 1), ("c", 1, 1)], [])


def listing_of(seeds: list[tuple[str, int, int]]) -> Listing:
    sizes, mtimes = array("q", (seed[1] for seed in seeds)), array("q", (seed[2] for seed in seeds))
    return Listing([seed[0] for seed in seeds], sizes, mtimes)


@pytest.mark.parametrize("trial", range(300))
def test_changes_since_is_the_difference_of_the_stamped_names(trial: int) -> None:
    """Whatever came, went, changed or moved in the folder's order, and however much."""
    chance = random.Random(trial)
    earlier = [(f"{n}.txt", chance.randrange(3), chance.randrange(3)) for n in range(trial)]
    chance.shuffle(earlier)
    now = list(earlier)
    for _ in range(chance.choice((0, 1, 2, 5, 80, 200))):
        edit = chance.choice(("add", "remove", "touch"))
        at = chance.randrange(len(now) + 1)
        if edit == "add":
            now.insert(at, (f"new{chance.randrange(10**6)}.txt", 0, 0))
        elif now and at < len(now):
            if edit == "remove":
                del now[at]
            else:
                now[at] = (now[at][0], now[at][1] + 1, now[at][2])
    now = list({seed[0]: seed for seed in now}.values())  # one stamp per name
    if chance.random() < 0.1:
        chance.shuffle(now)
    expected = (
        sorted(set(now).difference(earlier)),
        sorted({name for name, *_ in earlier}.difference(name for name, *_ in now)),
    )
    assert listing_of(now).changes_since(listing_of(earlier)) == expected
