"""Time zones a site names in its settings: [zones] and timezone, in seeds and builds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from feedpub.cli import EXIT_OK, EXIT_SEEDS_REJECTED, EXIT_USAGE, main
from feedpub.config import load_config
from feedpub.errors import SeedError
from feedpub.seed import parse_seed
from feedpub.zones import AMBIGUOUS, ZONE_OFFSETS, Zones
from tests.conftest import ROOT, readme_block

README = (ROOT / "README.md").read_text(encoding="utf-8")


def seed(stamp: str, day: str = "2022-05-23") -> bytes:
    return (
        f" date {day} CATEGORIES\nA Title\n\nby Tim Sweezy{stamp}\n"
        "First paragraph of the story, with a comma.\n"
    ).encode()


def published(data: bytes, zones: Zones) -> datetime:
    return parse_seed(data, Path("a.txt"), authority="example.com", zones=zones).entry.published


def test_the_sites_table_names_an_ambiguous_zone() -> None:
    india = Zones({"IST": 5 * 60 + 30})
    assert published(seed("Monday, May 23, 2022, 9:15 AM IST"), india) == datetime(
        2022, 5, 23, 3, 45, tzinfo=UTC
    )
    ireland = Zones({"IST": 60})
    assert published(seed("Monday, May 23, 2022, 9:15 AM ist"), ireland) == datetime(
        2022, 5, 23, 8, 15, tzinfo=UTC
    )
    # Without it, never a guess.
    with pytest.raises(SeedError, match="ambiguous time zone 'IST'"):
        published(seed("Monday, May 23, 2022, 9:15 AM IST"), Zones())


def test_the_sites_table_overrides_the_built_in_one() -> None:
    assert published(seed("Monday, May 23, 2022, 9:15 AM EST"), Zones({"EST": 10 * 60})) == (
        datetime(2022, 5, 22, 23, 15, tzinfo=UTC)
    )


def test_no_ambiguous_abbreviation_is_in_the_built_in_table() -> None:
    assert not set(AMBIGUOUS) & set(ZONE_OFFSETS)


def test_a_byline_without_a_zone_is_read_in_the_sites_timezone() -> None:
    kolkata = Zones(timezone="Asia/Kolkata")
    assert published(seed("Monday, May 23, 2022, 9:15 AM"), kolkata) == datetime(
        2022, 5, 23, 3, 45, tzinfo=UTC
    )
    # Summer time follows the zone's rules: Dublin is +01:00 in May, +00:00 in January.
    dublin = Zones(timezone="Europe/Dublin")
    assert published(seed("Monday, May 23, 2022, 9:15 AM"), dublin) == datetime(
        2022, 5, 23, 8, 15, tzinfo=UTC
    )
    winter = seed("Monday, January 10, 2022, 9:15 AM", day="2022-01-10")
    assert published(winter, dublin) == datetime(2022, 1, 10, 9, 15, tzinfo=UTC)
    # A zone in the byline wins over the site's.
    assert published(seed("Monday, May 23, 2022, 9:15 AM JST"), dublin) == datetime(
        2022, 5, 23, 0, 15, tzinfo=UTC
    )


def test_times_the_clocks_skipped_or_passed_twice() -> None:
    dublin = Zones(timezone="Europe/Dublin")
    # 27 March 2022: 01:00 became 02:00.
    skipped = seed("Sunday, March 27, 2022, 1:30 AM", day="2022-03-27")
    with pytest.raises(SeedError, match="01:30 on March 27, 2022 did not happen in Europe/Dublin"):
        published(skipped, dublin)
    # 30 October 2022: 02:00 became 01:00 again; the first 01:30 was 00:30 UTC.
    twice = seed("Sunday, October 30, 2022, 1:30 AM", day="2022-10-30")
    parsed = parse_seed(twice, Path("a.txt"), authority="example.com", zones=dublin)
    assert parsed.entry.published == datetime(2022, 10, 30, 0, 30, tzinfo=UTC)
    assert [w.message for w in parsed.warnings] == [
        "01:30 on October 30, 2022 happened twice in Europe/Dublin, as the clocks went back: "
        "taking the first"
    ]


def write(tmp_path: Path, settings: str) -> Path:
    path = tmp_path / "feedpub.toml"
    path.write_text('base_url = "https://example.com/"\n' + settings, encoding="utf-8")
    return path


def test_the_readme_zones_snippet_is_a_valid_setting(tmp_path: Path) -> None:
    snippet = readme_block("toml", "[zones]")
    snippet = "\n".join(line.strip() for line in snippet.splitlines())
    config = load_config(write(tmp_path, snippet), {}, cwd=tmp_path)
    assert config.zones == (("IST", 5 * 60 + 30),)


@pytest.mark.parametrize(
    ("settings", "line", "message"),
    [
        ('[zones]\nIST = "5:30"\n', 3, 'zones.IST: expected an offset such as "+05:30"'),
        ('[zones]\nEST = "-05:00"\nI-S-T = "+05:30"\n', 4, "zones.I-S-T: expected an abbreviation"),
        ('[zones]\nIST = "+15:00"\n', 3, "zones.IST: no such offset '+15:00'"),
        ('[zones]\nIST = "+05:30"\nist = "+01:00"\n', 4, "zones.ist: given twice"),
        ('zones = "IST"\n', 2, "zones: expected a table"),
        ('timezone = "Asia/Kolkatta"\n', 2, "timezone: unknown IANA time zone 'Asia/Kolkatta' "
         "(did you mean 'Asia/Kolkata'?"),
    ],
)  # fmt: skip
def test_bad_zone_settings_name_the_line(
    tmp_path: Path, settings: str, line: int, message: str
) -> None:
    path = write(tmp_path, settings)
    result = CliRunner().invoke(main, ["build", "--config", str(path)])
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.startswith(f"{path}:{line}: error: {message}")


def test_a_site_in_india_publishes_at_the_right_instant(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ist.txt").write_bytes(seed("Monday, May 23, 2022, 9:15 AM IST"))
    (seeds / "bare.txt").write_bytes(seed("Monday, May 23, 2022, 10:15 AM"))
    (seeds / "tokyo.txt").write_bytes(seed("Monday, May 23, 2022, 9:15 AM JST"))
    (seeds / "sydney.txt").write_bytes(
        seed("Monday, January 10, 2022, 8:00 PM AEDT", day="2022-01-10")
    )
    (seeds / "offset.txt").write_bytes(seed("Monday, May 23, 2022, 11:15 AM +09:00"))
    (seeds / "mystery.txt").write_bytes(seed("Monday, May 23, 2022, 9:15 AM XYZT"))
    config = write(tmp_path, 'timezone = "Asia/Kolkata"\n[zones]\nIST = "+05:30"\n')
    before = CliRunner().invoke(main, ["build", str(seeds), "--config", str(config)])
    assert before.exit_code == EXIT_SEEDS_REJECTED
    assert before.stderr.startswith(f"{seeds / 'mystery.txt'}:4: error: unknown time zone 'XYZT'")
    (seeds / "mystery.txt").unlink()
    result = CliRunner().invoke(main, ["build", str(seeds), "--config", str(config)])
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse((tmp_path / "public" / name).read_bytes())
        times = {entry.link.rsplit("/", 1)[1]: entry.published_parsed[:5] for entry in feed.entries}
        assert times == {
            "ist.html": (2022, 5, 23, 3, 45),
            "bare.html": (2022, 5, 23, 4, 45),
            "tokyo.html": (2022, 5, 23, 0, 15),
            "offset.html": (2022, 5, 23, 2, 15),
            "sydney.html": (2022, 1, 10, 9, 0),
        }, name


def test_changing_the_zone_settings_changes_the_times_despite_the_cache(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ist.txt").write_bytes(seed("Monday, May 23, 2022, 9:15 AM IST"))
    for offset, instant in (("+05:30", "2022-05-23T03:45:00."), ("+01:00", "2022-05-23T08:15:00.")):
        config = write(tmp_path, f'[zones]\nIST = "{offset}"\n')
        result = CliRunner().invoke(main, ["build", str(seeds), "--config", str(config)])
        assert result.exit_code == EXIT_OK
        assert f"<published>{instant}" in (tmp_path / "public" / "atom.xml").read_text("utf-8")
