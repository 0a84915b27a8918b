"""The command line, run through Click's runner with exact exit codes and messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from feedpub import __version__
from feedpub.cli import EXIT_SEEDS_REJECTED, main
from tests.conftest import (
    BUNDLED_SEEDS,
    DATA,
    FEED_FILES,
    GOLDEN,
    README,
    ROOT,
    check_bundled_output,
    readme_block,
    run,
)

SEEDS = DATA / "seeds"


def build(seeds: Path, output: Path, *more: str) -> Result:
    return run("build", seeds, "--output", output, "--base-url", "https://example.com/", *more)


def expected_errors() -> list[str]:
    """The stderr line each broken fixture must produce."""
    lines = []
    for path in sorted(SEEDS.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if "error" in case:
            line, message = case["error"].split(": ", 1)
            lines.append(f"{path.with_suffix('.txt')}:{line}: error: {message}")
    return lines


def test_build_the_bundled_seeds_with_the_bundled_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BUNDLED_SEEDS, tmp_path / "seeds")
    shutil.copy(ROOT / "feedpub.toml", tmp_path / "feedpub.toml")
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "1 entry published from 1 seed (0 rejected); written: public/rss.xml, "
        "public/atom.xml, public/feed.json, public/index.html, public/head.html, "
        "public/authors/tim-sweezy/rss.xml, public/authors/tim-sweezy/atom.xml, "
        "public/authors/tim-sweezy/feed.json, public/authors/tim-sweezy/index.html, "
        "public/authors/tim-sweezy/head.html; unchanged: none\n"
    )
    assert f"```\n{result.stdout}```" in README  # as the README shows it
    check_bundled_output(tmp_path / "public")


def test_build_from_a_folder_below_the_site_says_which_settings_it_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BUNDLED_SEEDS, tmp_path / "seeds")
    shutil.copy(ROOT / "feedpub.toml", tmp_path / "feedpub.toml")
    monkeypatch.chdir(tmp_path / "seeds")
    result = run("build", "-v")
    assert result.exit_code == 0
    assert result.stderr == "settings: ../feedpub.toml\n"
    assert result.stdout.endswith(
        "written: ../public/rss.xml, ../public/atom.xml, ../public/feed.json, "
        "../public/index.html, ../public/head.html, ../public/authors/tim-sweezy/rss.xml, "
        "../public/authors/tim-sweezy/atom.xml, ../public/authors/tim-sweezy/feed.json, "
        "../public/authors/tim-sweezy/index.html, ../public/authors/tim-sweezy/head.html; "
        "unchanged: none\n"
    )
    assert (tmp_path / "public" / "atom.xml").read_bytes() == (GOLDEN / "atom.xml").read_bytes()
    result = run("build", "-v", "-q", "--log-format", "json", "--config", "../feedpub.toml")
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(result.stderr) == {"event": "settings", "path": "../feedpub.toml"}


def test_verbose_says_when_no_settings_file_was_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if any((folder / "feedpub.toml").exists() for folder in tmp_path.parents):
        pytest.skip("a feedpub.toml above the temporary folder")
    shutil.copytree(BUNDLED_SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    result = run("build", "-v", "-q", "--base-url", "https://example.com/")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith("settings: none found (no feedpub.toml, nor pyproject.toml")
    assert run("build", "-q", "--base-url", "https://example.com/").stderr == ""


def test_broken_seeds_are_named_and_the_rest_published(tmp_path: Path) -> None:
    result = build(SEEDS, tmp_path)
    assert result.exit_code == EXIT_SEEDS_REJECTED
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == expected_errors()
    assert "Traceback" not in result.stderr
    good = len(list(SEEDS.glob("*.json"))) - len(errors)
    assert result.stdout.startswith(
        f"{good} entries published from {good + len(errors)} seeds ({len(errors)} rejected); "
    )
    assert (tmp_path / "rss.xml").is_file()
    assert (tmp_path / "atom.xml").is_file()


def test_warnings_name_file_and_line(tmp_path: Path) -> None:
    result = build(SEEDS, tmp_path)
    assert f"{SEEDS / 'windows-1252.txt'}:2: warning: not valid UTF-8; decoded as Windows-1252" in (
        result.stderr.splitlines()
    )


def test_a_site_moving_from_jekyll_feed_keeps_its_feed_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's settings for jekyll-feed's feed.xml: only the formats asked for, the
    Atom feed under the old name, its self link there, and nothing else changed."""
    shutil.copytree(BUNDLED_SEEDS, tmp_path / "seeds")
    site = (ROOT / "feedpub.toml").read_text(encoding="utf-8").split("\n[")[0]  # no tables
    (tmp_path / "feedpub.toml").write_text(
        site + "\n" + readme_block("toml", "[file_names]"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.endswith("written: public/feed.xml, public/feed.json; unchanged: none\n")
    assert sorted(path.name for path in (tmp_path / "public").iterdir()) == [
        "feed.json",
        "feed.xml",
    ]
    atom = (tmp_path / "public" / "feed.xml").read_bytes()
    assert atom == (GOLDEN / "atom.xml").read_bytes().replace(
        b'href="https://example.com/atom.xml"', b'href="https://example.com/feed.xml"'
    )
    assert (tmp_path / "public" / "feed.json").read_bytes() == (GOLDEN / "feed.json").read_bytes()
    assert run("validate", "--strict", "public/feed.xml", "public/feed.json").exit_code == 0
    check = run("build", "--check")
    assert (check.exit_code, check.stderr) == (0, "")


def test_rebuild_leaves_unchanged_files_alone(tmp_path: Path) -> None:
    assert build(BUNDLED_SEEDS, tmp_path).exit_code == 0
    rss = tmp_path / "rss.xml"
    os.utime(rss, ns=(1_000_000_000, 1_000_000_000))
    result = build(BUNDLED_SEEDS, tmp_path)
    assert result.exit_code == 0
    unchanged = ", ".join(str(tmp_path / name) for name in FEED_FILES)
    assert result.stdout.endswith(f"written: none; unchanged: {unchanged}\n")
    assert rss.stat().st_mtime_ns == 1_000_000_000


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    assert build(SEEDS, tmp_path / "one").exit_code == EXIT_SEEDS_REJECTED
    assert build(SEEDS, tmp_path / "two").exit_code == EXIT_SEEDS_REJECTED
    for name in FEED_FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_output_does_not_depend_on_time_zone_or_locale(tmp_path: Path) -> None:
    """Another process, another zone and locale, another day: the same bytes."""
    assert build(SEEDS, tmp_path / "here").exit_code == EXIT_SEEDS_REJECTED
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    args = [
        "build",
        str(SEEDS),
        "-o",
        str(tmp_path / "there"),
        "--base-url",
        "https://example.com/",
    ]
    process = subprocess.run(
        [sys.executable, "-m", "feedpub", *args], env=env, capture_output=True, check=False
    )
    assert process.returncode == EXIT_SEEDS_REJECTED
    for name in FEED_FILES:
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes()


def test_missing_seeds_folder_changes_nothing(tmp_path: Path) -> None:
    assert build(BUNDLED_SEEDS, tmp_path).exit_code == 0
    before = (tmp_path / "rss.xml").read_bytes()
    result = build(tmp_path / "nowhere", tmp_path)
    assert result.exit_code == 3
    assert result.stderr == f"{tmp_path / 'nowhere'}: error: the seeds folder does not exist\n"
    assert (tmp_path / "rss.xml").read_bytes() == before


def test_only_broken_seeds_keep_the_published_feeds(tmp_path: Path) -> None:
    assert build(BUNDLED_SEEDS, tmp_path / "public").exit_code == 0
    before = (tmp_path / "public" / "atom.xml").read_bytes()
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(SEEDS / "empty.txt", broken)
    shutil.copy(SEEDS / "binary.txt", broken)
    result = build(broken, tmp_path / "public")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"{broken / 'binary.txt'}:3: error: binary file (NUL byte): expected a text article",
        f"{broken / 'empty.txt'}:1: error: empty file: expected a dateline, a title and a body",
        f"{broken}: error: no article to publish (2 seed files, 2 rejected); "
        "the feeds were left as they were",
    ]
    assert (tmp_path / "public" / "atom.xml").read_bytes() == before


def test_quiet_prints_no_summary(tmp_path: Path) -> None:
    result = build(BUNDLED_SEEDS, tmp_path, "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_limit_keeps_the_newest(tmp_path: Path) -> None:
    result = build(SEEDS, tmp_path, "--limit", "1")
    assert result.exit_code == EXIT_SEEDS_REJECTED
    atom = (tmp_path / "atom.xml").read_text(encoding="utf-8")
    assert atom.count("<entry>") == 1
    assert "late-evening-crosses-utc-midnight" in atom


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--base-url", "ftp://example.com/"],
            "error: --base-url: expected an absolute http(s) URL such as https://example.com/, "
            "got 'ftp://example.com/'",
        ),
        (["--limit", "0"], "error: --limit: expected a whole number of at least 1, got 0"),
        (["--title", " "], "error: --title: expected a non-empty title"),
    ],
)
def test_bad_flags_are_usage_errors(tmp_path: Path, flags: list[str], message: str) -> None:
    result = build(BUNDLED_SEEDS, tmp_path, *flags)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert not (tmp_path / "rss.xml").exists()


def test_a_base_url_is_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build", BUNDLED_SEEDS)
    assert result.exit_code == 2
    assert result.stderr == "error: no base URL: set base_url in feedpub.toml or pass --base-url\n"


def test_unknown_config_key_names_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "feedpub.toml"
    config.write_text('base_url = "https://example.com/"\ntitel = "Typo"\n', encoding="utf-8")
    result = run("build", BUNDLED_SEEDS, "--config", config, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{config}:2: error: titel: unknown setting (did you mean 'title'? expected one of: "
    )


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"feedpub, version {__version__}\n")


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(main.commands))])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {' '.join(command)}".rstrip() + " [OPTIONS]")
    for flag in ("-h", "--help"):
        assert run(*command, flag).stdout == result.stdout


def test_python_dash_m() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "feedpub", "--version"], capture_output=True, text=True, check=True
    )
    assert process.stdout == f"feedpub, version {__version__}\n"
