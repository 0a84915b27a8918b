"""WebSub hubs advertised in every feed, as each format has them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import feedparser
import pytest

from feedpub.build import build
from feedpub.config import Config, GroupFeeds, load_config
from feedpub.errors import ConfigError
from feedpub.validate import validate
from tests.conftest import DATA

HUBS = ("https://hub.example.com/", "http://pubsub.example.net/hub")


def test_every_feed_names_the_hubs_beside_its_self_link(config: Config) -> None:
    config = dataclasses.replace(config, hubs=HUBS, authors=GroupFeeds())
    build(seeds=DATA / "seeds", config=config)
    folders = ["", "authors/ana-lopez/"]
    for folder in folders:
        base = config.output / folder
        for name in ("rss.xml", "atom.xml"):
            parsed = feedparser.parse((base / name).read_bytes())
            assert not parsed.bozo
            links = [(link.rel, link.href) for link in parsed.feed.links if link.rel != "alternate"]
            assert links == [
                ("self", f"https://example.com/{folder}{name}"),
                *(("hub", hub) for hub in HUBS),
            ]
        document = json.loads((base / "feed.json").read_bytes())
        assert document["feed_url"] == f"https://example.com/{folder}feed.json"
        assert document["hubs"] == [{"type": "WebSub", "url": hub} for hub in HUBS]
        for name in ("rss.xml", "atom.xml", "feed.json"):
            findings = validate((base / name).read_bytes())
            assert {(finding.level, finding.code) for finding in findings} <= {
                ("warning", "title-html")  # the fixture folder's title with markup in it
            }


def test_no_hub_no_link(config: Config) -> None:
    build(seeds=DATA / "seeds", config=config)
    assert b'rel="hub"' not in (config.output / "atom.xml").read_bytes()
    assert "hubs" not in json.loads((config.output / "feed.json").read_bytes())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"https://hub.example.com/"', "hubs: expected a list of hub URLs"),
        ('["/hub"]', "hubs: expected an absolute http(s) URL, got '/hub'"),
        ('["ftp://hub.example.com/"]', "hubs: expected an absolute http(s) URL"),
        (
            '["https://hub.example.com/", "https://hub.example.com/"]',
            "hubs: 'https://hub.example.com/' is given twice",
        ),
    ],
)
def test_bad_hubs_are_named_with_their_line(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "feedpub.toml").write_text(
        f'base_url = "https://example.com/"\nhubs = {value}\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(None, {}, cwd=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'feedpub.toml'}:2: {message}")
