"""Hostile but realistic input: nothing lost, no traceback, no hang.

Each test is one finding of a hostile review, named after what it keeps true.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

import feedpub.build
from feedpub import listing, records
from feedpub import seed as seed_module
from feedpub.cli import (
    EXIT_INTERNAL_ERROR,
    EXIT_NOTHING_PUBLISHED,
    EXIT_OK,
    EXIT_OUTPUT_FAILED,
    EXIT_SEEDS_REJECTED,
)
from feedpub.config import MAX_SEED_SIZE_CEILING
from feedpub.outputs import OUTPUTS
from feedpub.outputs import atom as atom_output
from feedpub.outputs import rss as rss_output
from feedpub.validate import validate, values
from tests.conftest import BUNDLED_SEEDS, FEED_FILES, StandIn, run, small_disk

EXAMPLE = next(BUNDLED_SEEDS.glob("*.txt")).read_bytes()
BASE_URL = "https://example.com/"


def build(seeds: Path, output: Path, *more: str) -> Result:
    return run("build", seeds, "-o", output, "--base-url", BASE_URL, *more)


def seed(folder: Path, name: str | bytes, data: bytes = EXAMPLE) -> Path:
    """Write a seed named ``name`` (bytes for a name that is not UTF-8) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / os.fsdecode(name)
    path.write_bytes(data)
    return path


def errors_in(data: bytes) -> list[str]:
    return [f"{f.code}: {f.message}" for f in validate(data) if f.level == "error"]


def test_a_crash_exits_70_with_one_line_and_the_traceback_only_with_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("render exploded")

    monkeypatch.setitem(OUTPUTS, "rss", StandIn("rss", broken))
    result = build(BUNDLED_SEEDS, tmp_path)
    assert result.exit_code == EXIT_INTERNAL_ERROR
    assert result.stderr == (
        "error: feedpub failed unexpectedly, a bug: RuntimeError: render exploded "
        "(--debug shows the traceback)\n"
    )
    for debug in (["--debug", "build"], ["build", "--debug"]):
        result = run(*debug, BUNDLED_SEEDS, "-o", tmp_path, "--base-url", BASE_URL)
        assert result.exit_code == EXIT_INTERNAL_ERROR
        assert result.stderr.startswith("Traceback (most recent call last):\n")
        assert result.stderr.endswith("a bug: RuntimeError: render exploded\n")
    assert not (tmp_path / "rss.xml").exists()


@pytest.mark.parametrize("cache", [True, False])
def test_a_name_that_is_not_utf8_gets_an_id_of_its_bytes(tmp_path: Path, cache: bool) -> None:
    seeds = tmp_path / "seeds"
    seed(seeds, b"caf\xe9.txt")
    seed(seeds, "plain.txt", EXAMPLE.replace(b"01:01 PM", b"02:01 PM"))
    more = () if cache else ("--no-cache",)
    result = build(seeds, tmp_path / "out", *more)
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    atom = (tmp_path / "out" / "atom.xml").read_bytes()
    assert errors_in(atom) == []
    assert b"<id>tag:example.com,2022-05-23:caf%E9</id>" in atom
    assert b'href="https://example.com/articles/caf%E9.html"' in atom


def test_a_name_that_is_not_utf8_is_reported_with_escapes(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seed(seeds, b"caf\xe9.txt", b"")
    seed(seeds, "plain.txt")
    for log_format in ("text", "json"):
        result = build(seeds, tmp_path / "out", "--log-format", log_format, "--all-diagnostics")
        assert result.exit_code == EXIT_SEEDS_REJECTED
        assert f"{seeds}/caf\\xe9.txt" in result.stderr.replace("\\\\", "\\")


def test_ids_do_not_depend_on_the_names_normalization_form(tmp_path: Path) -> None:
    ids = []
    for form in ("NFC", "NFD"):
        seeds = tmp_path / form
        seed(seeds, unicodedata.normalize(form, "café.txt"))
        assert build(seeds, tmp_path / f"out-{form}").exit_code == EXIT_OK
        ids.append((tmp_path / f"out-{form}" / "atom.xml").read_bytes().split(b"<id>")[2])
    assert ids[0] == ids[1]
    assert ids[0].startswith(b"tag:example.com,2022-05-23:caf%C3%A9</id>")


def make_seeds(folder: Path, count: int) -> list[Path]:
    """``count`` seeds like the example, a minute apart: the last is the newest."""
    return [
        seed(
            folder,
            f"{n:05d}.txt",
            EXAMPLE.replace(b"01:01 PM", f"{1 + n // 60:02d}:{n % 60:02d} PM".encode()),
        )
        for n in range(count)
    ]


def entry_ids(feed: Path) -> list[bytes]:
    return re.findall(rb"<id>(tag:[^<]*)</id>", feed.read_bytes())


def test_seeds_unreadable_since_the_survey_are_reported_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    paths = make_seeds(seeds, 60)
    output = tmp_path / "out"
    assert build(seeds, output, "--limit", "50").exit_code == EXIT_OK
    newest = {path.name for path in paths[-5:]}
    real_open = os.open

    def chmod_000(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if path in newest:  # the kernel's answer to a reader of a chmod 000 file
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", chmod_000)
    result = build(seeds, output, "--limit", "50")  # the cache trusts every record
    assert result.exit_code == EXIT_SEEDS_REJECTED
    assert result.stderr.splitlines() == [
        f"{seeds / name}: error: cannot read: Permission denied since the build listed it; "
        "not published"
        for name in sorted(newest)
    ]
    assert result.stdout.startswith("50 entries published from 60 seeds (5 rejected); ")
    # The next build knows them as unreadable from the start.
    result = build(seeds, output, "--limit", "50")
    assert result.exit_code == EXIT_SEEDS_REJECTED
    assert result.stderr.splitlines() == [
        f"{seeds / name}: error: cannot read: Permission denied" for name in sorted(newest)
    ]


@pytest.mark.parametrize("mishap", ["vanished", "fifo", "grew"])
def test_a_seed_replaced_between_survey_and_render_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mishap: str
) -> None:
    seeds = tmp_path / "seeds"
    newest = make_seeds(seeds, 3)[-1]
    real_read_at = records.read_at

    def read_at(folder_fd: int, name: str, max_size: int) -> tuple[bytes, int, int]:
        if name == newest.name and newest.is_file():
            newest.unlink()
            if mishap == "fifo":
                os.mkfifo(newest)
            elif mishap == "grew":
                newest.write_bytes(EXAMPLE * 2000)
        return real_read_at(folder_fd, name, max_size)

    monkeypatch.setattr(feedpub.build, "read_at", read_at)
    result = build(seeds, tmp_path / "out", "--no-cache")  # a hang here fails by timeout
    why = {
        "vanished": "vanished while being read",
        "fifo": "no longer a regular file",
        "grew": f"{len(EXAMPLE) * 2000:,} bytes, larger than the 1,048,576-byte limit for a "
        "seed (max_seed_size)",
    }[mishap]
    assert (result.exit_code, result.stderr) == (
        EXIT_SEEDS_REJECTED,
        f"{newest}: error: {why} since the build listed it; not published\n",
    )
    assert result.stdout.startswith("2 entries published from 3 seeds (1 rejected); ")


def test_a_seeds_folder_renamed_away_after_the_survey_is_still_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    make_seeds(seeds, 60)
    expected = tmp_path / "expected"
    assert build(seeds, expected, "--no-cache").exit_code == EXIT_OK
    real_read_at = records.read_at

    def read_at(folder_fd: int, name: str, max_size: int) -> tuple[bytes, int, int]:
        if seeds.exists():
            seeds.rename(tmp_path / "elsewhere")
        return real_read_at(folder_fd, name, max_size)

    monkeypatch.setattr(feedpub.build, "read_at", read_at)
    result = build(seeds, tmp_path / "out")
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    for name in FEED_FILES:
        assert (tmp_path / "out" / name).read_bytes() == (expected / name).read_bytes()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_seeds_folder_renamed_away_during_the_survey_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    seeds = tmp_path / "seeds"
    make_seeds(seeds, 500)
    output = tmp_path / "out"
    assert build(seeds, output, "--limit", "500").exit_code == EXIT_OK  # the cache is warm
    before = {path.name: path.read_bytes() for path in output.iterdir()}
    for path in seeds.iterdir():  # every seed changes, so every one is read again
        path.write_bytes(path.read_bytes().replace(b"Xiaomi And", b"Xiaomi, And"))
    real_stat_names = listing.stat_names

    def stat_then_rename(folder: Path, names: list[str]) -> Any:
        stamps = real_stat_names(folder, names)
        folder.rename(tmp_path / "elsewhere")  # between the listing and the reading
        return stamps

    monkeypatch.setattr(listing, "stat_names", stat_then_rename)
    result = build(seeds, output, "--limit", "500", "-j", jobs)
    assert result.exit_code == EXIT_NOTHING_PUBLISHED
    assert result.stderr == (
        f"{seeds}: error: the seeds folder vanished while the build read it; "
        "the feeds were left as they were\n"
    )
    assert {path.name: path.read_bytes() for path in output.iterdir()} == before


def test_one_symlink_loop_is_one_rejected_seed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    make_seeds(seeds, 2)
    (seeds / "loop.txt").symlink_to("loop.txt")
    for more in ([], [], ["--no-cache"]):  # a cold build, a warm one, and none
        result = build(seeds, tmp_path / "out", "--all-diagnostics", *more)
        assert result.exit_code == EXIT_SEEDS_REJECTED
        assert result.stderr == (
            f"{seeds / 'loop.txt'}: error: cannot read: Too many levels of symbolic links\n"
        )
        assert result.stdout.startswith("2 entries published from 3 seeds (1 rejected); ")


def test_a_link_that_cannot_be_statted_does_not_fail_the_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    make_seeds(seeds, 2)
    elsewhere = make_seeds(tmp_path / "elsewhere", 3)[-1]
    (seeds / "link.txt").symlink_to(elsewhere)
    assert build(seeds, tmp_path / "out").exit_code == EXIT_OK  # the cache is warm
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if path == "link.txt":  # as for a link into a folder this user may not search
            raise PermissionError(13, "Permission denied")
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    result = build(seeds, tmp_path / "out")
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")  # root may read it all the same
    assert result.stdout.startswith("3 entries published from 3 seeds (0 rejected); ")


def test_a_seed_over_the_size_cap_is_rejected_unread(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    make_seeds(seeds, 1)
    huge = seeds / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(3 * 1024**3)  # sparse: 3 GB that cost no disk, and must cost no RAM
    result = build(seeds, tmp_path / "out")
    assert result.exit_code == EXIT_SEEDS_REJECTED
    assert result.stderr == (
        f"{huge}: error: 3,221,225,472 bytes, larger than the 1,048,576-byte limit for a seed "
        "(max_seed_size); skipped\n"
    )


@pytest.mark.slow  # a soak: seconds of work, run by CI with -m slow
def test_the_largest_seed_allowed_builds_valid_feeds(tmp_path: Path) -> None:
    """Escaping makes "&" five bytes: the worst case must stay under XML's text limit."""
    seeds = tmp_path / "seeds"
    head = EXAMPLE.split(b"xiaomi leica")[0]
    body = b"&" * (MAX_SEED_SIZE_CEILING - len(head))
    seed(seeds, "worst.txt", head + body)
    assert (seeds / "worst.txt").stat().st_size == MAX_SEED_SIZE_CEILING
    (tmp_path / "feedpub.toml").write_text(
        f'base_url = "{BASE_URL}"\nmax_seed_size = {MAX_SEED_SIZE_CEILING}\n', encoding="utf-8"
    )
    result = run("build", seeds, "-o", tmp_path / "out", "--config", tmp_path / "feedpub.toml")
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    for name in FEED_FILES:
        assert errors_in((tmp_path / "out" / name).read_bytes()) == []


def test_the_last_and_first_writable_years_make_valid_feeds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seed(
        seeds,
        "last.txt",
        EXAMPLE.replace(b"2022-05-23", b"9999-12-31").replace(
            b"Monday, May 23, 2022, 01:01 PM EDT", b"Friday, December 31, 9999, 06:59 PM EST"
        ),
    )
    seed(
        seeds,
        "first.txt",
        EXAMPLE.replace(b"2022-05-23", b"1000-01-01").replace(
            b"Monday, May 23, 2022, 01:01 PM EDT", b"Wednesday, January 1, 1000, 01:00 AM CET"
        ),
    )
    result = build(seeds, tmp_path / "out")
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    for name in FEED_FILES:
        assert errors_in((tmp_path / "out" / name).read_bytes()) == []
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((tmp_path / "out" / name).read_bytes())
        assert [entry.published_parsed[:5] for entry in parsed.entries] == [
            (9999, 12, 31, 23, 59),
            (1000, 1, 1, 0, 0),
        ]
    items = json.loads((tmp_path / "out" / "feed.json").read_bytes())["items"]
    assert [item["date_published"][:16] for item in items] == [
        "9999-12-31T23:59",
        "1000-01-01T00:00",
    ]


#: The patterns the linear-time code replaced, as the reference it must agree with.
OLD_NAME_TRAILER = re.compile("[\\s,;|/\u00b7\u2022\u2013\u2014-]+$")
OLD_ADDRESS_IN_TEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@given(st.text(alphabet=st.sampled_from("aZ ,;|/\u00b7\u2022\u2013\u2014-\t\u3000\u00a0x")))
def test_the_name_trailer_strip_is_the_old_pattern(names: str) -> None:
    assert seed_module.without_trailer(names) == OLD_NAME_TRAILER.sub("", names)


@given(st.text(alphabet=st.sampled_from("aB9.-@_+ ()<>x")))
def test_the_address_search_finds_what_the_old_pattern_found(text: str) -> None:
    found = values._ADDRESS_IN_TEXT.search(text) is not None
    assert found == (OLD_ADDRESS_IN_TEXT.search(text) is not None)


def pathological_seeds(size: int) -> dict[str, str]:
    """Seeds of about ``size`` characters that make a backtracking pattern slow."""
    head = " date 2022-05-23 CATEGORIES\nTitle\n\n"
    stamp = "Monday, May 23, 2022, 01:01 PM EDT"
    n = size // 2
    return {
        "trailer": f"{head}by {', ' * n}x{stamp}\nBody text.\n",
        "dashes": f"{head}by A{'-' * size}x {stamp}\nBody text.\n",
        "names": f"{head}by {'Ab ' * (size // 3)}{stamp[:13]}\nBody text.\n",
        "weekdays": f"{head}by X {'Monday, ' * (size // 8)}\nBody text.\n",
        "authors": f"{head}by {'A, and ' * (size // 7)}B {stamp}\nBody text.\n",
        "end-tag": f" date 2022-05-23 CATEGORIES\n</{'a' * size}\n\nby X {stamp}\nBody.\n",
        "blank-lines": "\n" * size + "x",
        "spaces": f" date 2022-05-23 CATEGORIES\n{'a  ' * (size // 3)}\nby X\nBody text.\n",
        "categories": f"date {'CATEGORIES ' * (size // 11)}x\nTitle\nBody text.\n",
        "title-words": f" date 2022-05-23 CATEGORIES\n{'a ' * n}\n\n\nx",
    }


@pytest.mark.slow  # a soak: seconds of work, run by CI with -m slow
def test_pathological_seeds_build_within_a_time_budget(tmp_path: Path) -> None:
    """Each seed near the size cap; a quadratic pattern would take hours on one."""
    seeds = tmp_path / "seeds"
    for name, text in pathological_seeds(1_000_000).items():
        seed(seeds, f"{name}.txt", text.encode())
    make_seeds(seeds, 1)
    command = [sys.executable, "-m", "feedpub", "build", str(seeds), "-o", str(tmp_path / "out")]
    process = subprocess.run(
        [*command, "--base-url", BASE_URL, "--no-cache", "-q"],
        capture_output=True,
        timeout=120,  # minutes to hours per seed before the patterns were made linear
        check=False,
    )
    assert process.returncode == EXIT_SEEDS_REJECTED, process.stderr
    assert b"Traceback" not in process.stderr
    assert (tmp_path / "out" / "atom.xml").is_file()


@pytest.mark.slow  # a time budget: run by CI with -m slow, one test at a time
def test_a_pathological_feed_validates_within_a_time_budget(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<rss version="2.0"><channel><title>t</title><link>https://example.com/</link>'
        f"<description>d</description><managingEditor>{'a.' * 2_000_000}</managingEditor>"
        "</channel></rss>",
        encoding="utf-8",
    )
    process = subprocess.run(
        [sys.executable, "-m", "feedpub", "validate", str(feed)],
        capture_output=True,
        timeout=120,  # about an hour before the address search was made linear
        check=False,
    )
    assert process.returncode == 1
    assert b": error: rss-email: " in process.stdout


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until only about ``leave`` bytes are free."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("ab") as file:
        file.write(b"\0" * max(free - leave, 0))
    return filler


def test_a_full_disk_leaves_every_feed_as_it_was(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    paths = make_seeds(seeds, 60)
    with small_disk(tmp_path / "disk", 8 * 1024 * 1024) as disk:
        output = disk / "public"
        assert build(seeds, output, "--limit", "50").exit_code == EXIT_OK
        before = {path.name: path.read_bytes() for path in output.iterdir()}
        for path in paths:  # a longer edition of every article
            path.write_bytes(path.read_bytes() + b"\nA correction was added. " * 20)
        assert build(seeds, tmp_path / "new", "--limit", "50", "--no-cache").exit_code == 0
        new_rss = (tmp_path / "new" / "rss.xml").stat().st_size
        # Room for the new RSS feed alone: written and renamed first, as it used to be,
        # it would free the old one's room, and still leave none for the new Atom feed.
        filler = fill(disk, new_rss + 4096)
        result = build(seeds, output, "--limit", "50")
        assert result.exit_code == EXIT_OUTPUT_FAILED
        assert result.stderr == (
            f"{output / 'atom.xml'}: error: cannot write: No space left on device; "
            "the published feeds were left as they were\n"
        )
        assert {path.name: path.read_bytes() for path in output.iterdir()} == before
        filler.unlink()
        assert build(seeds, output, "--limit", "50").exit_code == EXIT_OK
        assert sorted(path.name for path in output.iterdir()) == sorted(FEED_FILES)


@pytest.mark.parametrize("odd", ["file-as-folder", "fifo-feed", "folder-feed"])
def test_odd_output_folders_and_files_are_an_output_error(tmp_path: Path, odd: str) -> None:
    output = tmp_path / "public"
    output.mkdir()
    if odd == "file-as-folder":
        output.rmdir()
        output.write_bytes(b"not a folder")
        where, why = output, "cannot use the output folder: File exists; nothing was written"
    elif odd == "fifo-feed":
        os.mkfifo(output / "atom.xml")
        where, why = output / "atom.xml", "not a regular file; feedpub replaces only files it wrote"
    else:
        (output / "rss.xml").mkdir()
        where, why = output / "rss.xml", "not a regular file; feedpub replaces only files it wrote"
    (tmp_path / "feedpub.toml").write_text(
        f'base_url = "{BASE_URL}"\noutput = "public"\n', encoding="utf-8"
    )
    for more in ([], ["--check"]):
        result = run("build", BUNDLED_SEEDS, "--config", tmp_path / "feedpub.toml", *more)
        if more and odd == "file-as-folder":
            continue  # --check takes no lock; it reads the feeds only
        assert (result.exit_code, result.stderr) == (EXIT_OUTPUT_FAILED, f"{where}: error: {why}\n")


def test_a_huge_published_feed_costs_no_memory(tmp_path: Path) -> None:
    output = tmp_path / "public"
    output.mkdir()
    with (output / "atom.xml").open("wb") as file:
        file.truncate(4 * 1024**3)  # sparse: whatever it holds must not be read whole
    command = [sys.executable, "-m", "feedpub", "build", str(BUNDLED_SEEDS), "-o", str(output)]
    process = subprocess.run(
        [*command, "--base-url", BASE_URL, "-q"],
        capture_output=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3)),
    )
    assert (process.returncode, process.stderr) == (EXIT_OK, b"")
    assert errors_in((output / "atom.xml").read_bytes()) == []


def test_published_entries_are_counted_as_a_stream(tmp_path: Path) -> None:
    feed = tmp_path / "rss.xml"
    feed.write_bytes(
        b"<rss><channel>" + b"<item><title>t</title></item>" * 100_000 + b"</channel></rss>"
    )
    assert rss_output.count_entries(feed) == 100_000
    atom_feed = tmp_path / "atom.xml"
    atom_feed.write_bytes(
        b'<feed xmlns="http://www.w3.org/2005/Atom">' + b"<entry/>" * 7 + b"</feed>"
    )
    assert atom_output.count_entries(atom_feed) == 7
    assert rss_output.count_entries(tmp_path / "missing.xml") is None
    (tmp_path / "broken.xml").write_bytes(b"<rss><channel><item>")
    assert rss_output.count_entries(tmp_path / "broken.xml") is None


def test_seeds_with_one_key_are_named_together_and_the_rest_published(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    make_seeds(seeds, 2)
    seed(seeds, "00001.md")
    result = build(seeds, tmp_path / "out", "--pattern", "*")
    assert result.exit_code == EXIT_SEEDS_REJECTED
    assert result.stderr.splitlines() == [
        f"{seeds / first}: error: the key '00001' is also that of {seeds / other}: seeds with "
        "one key would share an entry id and a link, so none of them is published until all "
        "but one are renamed"
        for first, other in (("00001.md", "00001.txt"), ("00001.txt", "00001.md"))
    ]
    assert result.stdout.startswith("1 entry published from 3 seeds (2 rejected); ")
    assert errors_in((tmp_path / "out" / "rss.xml").read_bytes()) == []


def test_nfc_and_nfd_twins_collide_under_the_default_pattern(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    make_seeds(seeds, 1)
    nfc, nfd = (unicodedata.normalize(form, "café.txt") for form in ("NFC", "NFD"))
    seed(seeds, nfc)
    seed(seeds, nfd, EXAMPLE.replace(b"01:01 PM", b"03:01 PM"))
    for more in ([], [], ["--no-cache"]):  # cold, warm, without a cache
        result = build(seeds, tmp_path / "out", "--all-diagnostics", *more)
        assert result.exit_code == EXIT_SEEDS_REJECTED
        assert result.stderr.count(": error: the key 'café' is also that of ") == 2
        assert result.stdout.startswith("1 entry published from 3 seeds (2 rejected); ")


@given(
    st.lists(
        st.sampled_from(["a.txt", "a.md", "b.txt", "é.txt", "e\u0301.txt", "a", "a.b.txt"]),
        unique=True,
    ),
    st.sampled_from(["*.txt", "*", "*.md", "a*", "*t", "*.b.txt"]),
)
def test_key_collisions_are_the_groups_of_one_stem(names: list[str], pattern: str) -> None:
    matching = listing.seed_names(names, pattern)
    groups: dict[str, list[str]] = {}
    for name in matching:
        groups.setdefault(unicodedata.normalize("NFC", Path(name).stem), []).append(name)
    expected = sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)
    assert listing.key_collisions(matching, pattern) == expected


@pytest.mark.slow  # a time budget: run by CI with -m slow, one test at a time
def test_a_minified_feed_with_many_findings_validates_within_a_time_budget(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.xml"
    item = b"<item><title>t</title><pubDate>soon</pubDate></item>"
    head = (
        b'<rss version="2.0"><channel><title>t</title><link>https://example.com/</link>'
        b"<description>d</description>"
    )
    feed.write_bytes(head + item * 20_000 + b"</channel></rss>")
    process = subprocess.run(
        [sys.executable, "-m", "feedpub", "validate", "--format", "json", str(feed)],
        capture_output=True,
        timeout=60,  # about two minutes when each finding searched the one line again
        check=False,
    )
    assert process.returncode == 1
    report = json.loads(process.stdout)
    dates = [f for f in report["findings"] if f["code"] == "rss-date"]
    assert len(dates) == 20_000
    # Each finding still points at its own element on the one line.
    for number in (0, 1, 19_999):
        column = 1 + len(head) + number * len(item) + item.index(b"<pubDate>")
        assert (dates[number]["line"], dates[number]["column"]) == (1, column)


def test_validate_reports_a_fifo_instead_of_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.xml")
    result = run("validate", tmp_path / "feed.xml")
    assert (result.exit_code, result.stdout) == (
        2,
        f"{tmp_path}/feed.xml:1:1: error: file-unreadable: not a regular file\n",
    )
    # In a folder, searched for feeds, a FIFO is no feed: passed over, never opened to wait.
    result = run("validate", tmp_path)
    assert (result.exit_code, result.stdout) == (0, "")


def test_dropped_text_and_odd_titles_are_warned_of_from_the_cache_too(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    fixtures = BUNDLED_SEEDS.parent / "tests" / "data" / "seeds"
    for name in ("alt-text-inside-a-paragraph.txt", "title-missing-before-a-names-byline.txt"):
        seed(seeds, name, (fixtures / name).read_bytes())
    for _ in range(2):  # cold, then from the cache
        result = build(seeds, tmp_path / "out", "--all-diagnostics")
        assert result.exit_code == EXIT_OK
        lines = result.stderr.splitlines()
        dropped = f"{seeds / 'alt-text-inside-a-paragraph.txt'}:{{}}: warning: a line inside a "
        assert [line for line in lines if "inside a paragraph" in line] == [
            dropped.format(7) + "paragraph reads like an image's alt text and was left out; put "
            "a blank line before it if it is one, or capitalize it if it is text",
            dropped.format(8) + "paragraph reads like an image's alt text and was left out; put "
            "a blank line before it if it is one, or capitalize it if it is text",
        ]
        assert (
            f"{seeds / 'title-missing-before-a-names-byline.txt'}:2: warning: the title reads "
            "like a byline of names alone (is the title missing?); it was published as the "
            "title, so check the head of the file"
        ) in lines


def test_a_seed_both_rejected_and_sharing_its_key_is_reported_twice(tmp_path: Path) -> None:
    """Found by the fuzzer: two diagnostics of one seed, one without a line."""
    seeds = tmp_path / "seeds"
    seed(seeds, "_.txt", b"")
    seed(seeds, "_.md", b"")
    make_seeds(seeds, 1)
    result = build(seeds, tmp_path / "out", "--pattern", "*")
    assert result.exit_code == EXIT_SEEDS_REJECTED
    assert [line.split(": error: ")[1][:20] for line in result.stderr.splitlines()] == [
        "empty file: expected",
        "the key '_' is also ",
        "empty file: expected",
        "the key '_' is also ",
    ]
