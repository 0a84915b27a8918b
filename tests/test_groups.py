"""Feeds per category and per author: which entries each holds, slugs, and feeds that go."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from click.testing import Result

from feedpub.cli import EXIT_DROP_REFUSED, EXIT_OK, EXIT_OUT_OF_DATE
from feedpub.validate import validate
from tests.conftest import BUNDLED_SEEDS, FEED_FILES, files_below, readme_block, run, tree_files

SETTINGS = 'base_url = "https://example.com/"\ntitle = "Site"\n[categories]\nlimit = 3\n[authors]\n'


def seed(folder: Path, number: int, categories: str, authors: str) -> None:
    """Article ``number``, a minute after the one before, in ``categories``, by ``authors``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{number:03d}.txt").write_text(
        f" date 2022-05-23 CATEGORIES {categories}\nArticle {number}\n\n"
        f"by {authors}Monday, May 23, 2022, 01:{number:02d} PM EDT\n"
        f"Paragraph of article {number}.\n",
        encoding="utf-8",
    )


def site(tmp_path: Path, settings: str = SETTINGS) -> Path:
    (tmp_path / "feedpub.toml").write_text(settings, encoding="utf-8")
    return tmp_path


def build(tmp_path: Path, *more: str) -> Result:
    return run("build", tmp_path / "seeds", "--config", tmp_path / "feedpub.toml", *more)


def titles(path: Path) -> list[str]:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [entry.title for entry in parsed.entries]


def a_varied_folder(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seed(seeds, 1, "Phones, Cameras", "Ana López")
    seed(seeds, 2, "Phones", "Tim Sweezy")
    seed(seeds, 3, "phones", "Ana López and Tim Sweezy")  # another spelling: the same feed
    seed(seeds, 4, "Cameras", "Tim Sweezy")
    seed(seeds, 5, "Phones", "Ana López")
    seed(seeds, 6, "", "Zoë Smith")
    return site(tmp_path)


def test_each_feed_holds_exactly_its_newest_entries_in_every_format(tmp_path: Path) -> None:
    a_varied_folder(tmp_path)
    result = build(tmp_path)
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    public = tmp_path / "public"
    expected = {
        "categories/cameras": ["Article 4", "Article 1"],
        "categories/phones": ["Article 5", "Article 3", "Article 2"],  # limit 3
        "authors/ana-lopez": ["Article 5", "Article 3", "Article 1"],
        "authors/tim-sweezy": ["Article 4", "Article 3", "Article 2"],
        "authors/zoe-smith": ["Article 6"],
    }
    folders = sorted(
        str(path.parent.relative_to(public))
        for path in public.rglob("atom.xml")
        if path != public / "atom.xml"
    )
    assert folders == sorted(expected)
    for folder, want in expected.items():
        for name in ("rss.xml", "atom.xml"):
            assert titles(public / folder / name) == want, (folder, name)
        items = json.loads((public / folder / "feed.json").read_bytes())["items"]
        assert [item["title"] for item in items] == want
        for name in FEED_FILES:
            assert validate((public / folder / name).read_bytes()) == [], (folder, name)
    atom = (public / "categories/phones/atom.xml").read_text(encoding="utf-8")
    assert "<id>https://example.com/categories/phones/</id>" in atom
    assert "<title>Site: Phones</title>" in atom
    assert '<link href="https://example.com/categories/phones/atom.xml" rel="self"' in atom
    feed = json.loads((public / "authors/ana-lopez/feed.json").read_bytes())
    assert (feed["title"], feed["feed_url"]) == (
        "Site: Ana López",
        "https://example.com/authors/ana-lopez/feed.json",
    )


def test_the_readmes_settings_make_the_readmes_tree(tmp_path: Path) -> None:
    a_varied_folder(tmp_path)
    site(tmp_path, 'base_url = "https://example.com/"\n' + readme_block("toml", "[categories]"))
    assert build(tmp_path).exit_code == EXIT_OK
    assert files_below(tmp_path / "public") == tree_files(readme_block("", "people/"))


def test_two_builds_are_identical_and_a_rebuild_writes_nothing(tmp_path: Path) -> None:
    a_varied_folder(tmp_path)
    assert build(tmp_path).exit_code == EXIT_OK
    files = sorted(path for path in (tmp_path / "public").rglob("*") if path.is_file())
    first = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    again = build(tmp_path)
    assert (again.exit_code, again.stderr) == (EXIT_OK, "")
    assert "; written: none; unchanged: " in again.stdout
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == first
    shutil.rmtree(tmp_path / "public")
    assert build(tmp_path, "--no-cache").exit_code == EXIT_OK
    assert sorted(path for path in (tmp_path / "public").rglob("*") if path.is_file()) == files
    assert {path: path.read_bytes() for path in files} == {
        path: data for path, (data, _) in first.items()
    }


def test_a_category_that_disappears_takes_its_feeds_with_it(tmp_path: Path) -> None:
    a_varied_folder(tmp_path)
    assert build(tmp_path).exit_code == EXIT_OK
    gone = tmp_path / "public" / "categories" / "cameras"
    (gone / "notes.txt").write_text("the site's own file\n", encoding="utf-8")
    for number in (1, 4):  # neither is in Cameras any more
        path = tmp_path / "seeds" / f"{number:03d}.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("Cameras", "Phones"), "utf-8")
    check = build(tmp_path, "--check")
    assert check.exit_code == EXIT_OUT_OF_DATE
    assert [line for line in check.stderr.splitlines() if "removed" in line] == [
        f"{gone / name}: error: would be removed" for name in sorted(FEED_FILES)
    ]
    assert sorted(path.name for path in gone.iterdir()) == sorted([*FEED_FILES, "notes.txt"])
    result = build(tmp_path)  # all of Cameras' entries gone: no drop refused for that
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    assert result.stdout.endswith(
        "; removed: " + ", ".join(str(gone / name) for name in sorted(FEED_FILES)) + "\n"
    )
    assert [path.name for path in gone.iterdir()] == ["notes.txt"]  # only feedpub's files
    (tmp_path / "seeds" / "006.txt").unlink()  # Zoë Smith's only article
    assert build(tmp_path).exit_code == EXIT_OK
    assert not (tmp_path / "public" / "authors" / "zoe-smith").exists()  # emptied: removed
    assert build(tmp_path, "--check").exit_code == EXIT_OK


def test_the_drop_guard_counts_a_kinds_feeds_together(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    for number in range(1, 10):  # Cameras: 2, 4, 6; Phones: the rest
        seed(seeds, number, "Cameras" if number in (2, 4, 6) else "Phones", "Tim Sweezy")
    # The site's feed holds the newest article alone, so only the kinds' feeds lose any.
    site(tmp_path, SETTINGS.replace("limit = 3", "limit = 10").replace("[authors]\n", ""))
    assert build(tmp_path, "--limit", "1").exit_code == EXIT_OK
    (seeds / "002.txt").unlink()
    (seeds / "004.txt").unlink()  # Cameras 3 -> 1, two thirds; the categories 9 -> 7
    result = build(tmp_path, "--limit", "1")
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    for number in (1, 3, 5, 7):  # the categories 7 -> 3
        (seeds / f"{number:03d}.txt").unlink()
    result = build(tmp_path, "--limit", "1")
    assert result.exit_code == EXIT_DROP_REFUSED
    assert result.stderr == (
        f"{tmp_path / 'public' / 'categories'}: error: the new feeds would hold 3 entries "
        "where the published ones hold 7, a drop of more than 50%; the feeds were left as "
        "they were (--force publishes anyway)\n"
    )
    assert build(tmp_path, "--limit", "1", "--force").exit_code == EXIT_OK


def test_slugs_that_need_a_choice_are_reported_with_the_newest_seed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seed(seeds, 1, "C", "Tim Sweezy")
    seed(seeds, 2, "C++", "Tim Sweezy")
    seed(seeds, 3, "🙂", "Tim Sweezy")
    seed(seeds, 4, "Index", "Tim Sweezy")
    seed(seeds, 5, "c", "Tim Sweezy")  # the same category as C
    site(tmp_path)
    result = build(tmp_path)
    assert result.exit_code == EXIT_OK
    assert result.stderr.splitlines() == [
        f"{seeds / '002.txt'}: warning: category 'C++' gives the slug 'c', but 'C' has it: "
        "its feed is in 'c-2'",
        f"{seeds / '003.txt'}: warning: category '🙂' gives no slug: its feed is in "
        "'category-d06f1525'",
        f"{seeds / '004.txt'}: warning: category 'Index' gives the slug 'index', but it is "
        "reserved: its feed is in 'index-2'",
    ]
    categories = tmp_path / "public" / "categories"
    assert sorted(path.name for path in categories.iterdir()) == [
        "c",
        "c-2",
        "category-d06f1525",
        "index-2",
    ]
    assert titles(categories / "c" / "atom.xml") == ["Article 5", "Article 1"]
    assert build(tmp_path).stderr == ""  # reported once, as every seed's problems are


def test_the_bundled_seeds_with_every_feed(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED_SEEDS, tmp_path / "seeds")
    site(tmp_path)
    result = build(tmp_path)
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    for path in (tmp_path / "public").rglob("*"):
        if path.is_file():
            assert validate(path.read_bytes()) == [], path
    assert titles(tmp_path / "public" / "authors" / "tim-sweezy" / "atom.xml") == titles(
        tmp_path / "public" / "atom.xml"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            '[categories]\nfolder = "../up"\n',
            "categories.folder: expected a folder below the output",
        ),
        ('[categories]\nfolder = ".hidden"\n', "categories.folder: expected a folder below"),
        ("[categories]\nlimit = 0\n", "categories.limit: expected a whole number of at least 1"),
        (
            '[authors]\nfolder = "categories/people"\n[categories]\n',
            "authors: the feeds per author",
        ),
        ('[categories]\nslug = "x"\n', "categories.slug: unknown setting"),
        (
            '[authors]\nfolder = "feed.json/by"\n',
            "authors: 'feed.json/by' is in 'feed.json', a file the build writes",
        ),
    ],
)
def test_bad_group_settings(tmp_path: Path, settings: str, message: str) -> None:
    (tmp_path / "seeds").mkdir()
    site(tmp_path, 'base_url = "https://example.com/"\n' + settings)
    result = build(tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr
