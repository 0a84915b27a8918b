"""feedpub ping against a local WebSub hub on 127.0.0.1 that records what it is sent."""

from __future__ import annotations

import dataclasses
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from feedpub.build import build
from feedpub.cli import EXIT_OK, EXIT_PING_FAILED, EXIT_USAGE
from feedpub.config import Config, GroupFeeds
from tests.conftest import BUNDLED_SEEDS, run, running


class Hub(ThreadingHTTPServer):
    """A hub that answers each notification with the next of ``statuses`` (then 204),
    and keeps the form of each."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.received: list[dict[str, list[str]]] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _HubHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hub"

    def topics(self) -> list[str]:
        """The hub.topic of each notification, in order; hub.url must say the same."""
        for form in self.received:
            assert form["hub.mode"] == ["publish"]
            assert form["hub.url"] == form["hub.topic"]
        return [form["hub.topic"][0] for form in self.received]


class _HubHandler(BaseHTTPRequestHandler):
    server: Hub

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
        assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
        with self.server.lock:
            self.server.received.append(urllib.parse.parse_qs(body))
            status = self.server.statuses.pop(0) if self.server.statuses else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hub() -> Iterator[Hub]:
    with running(Hub()) as server:
        yield server


def site(config: Config, hub: Hub, seeds: Path = BUNDLED_SEEDS) -> Config:
    """The seeds built with the hub named, a feed per author too."""
    config = dataclasses.replace(config, hubs=(hub.url,), authors=GroupFeeds())
    build(seeds=seeds, config=config)
    return config


def ping(config: Config) -> tuple[int, str, str]:
    result = run("ping", config.output, "--backoff", "0.01")
    return result.exit_code, result.stdout, result.stderr


FEEDS = ["rss.xml", "atom.xml", "feed.json"]


def test_one_ping_per_changed_feed_and_none_for_the_unchanged(
    config: Config, hub: Hub, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in BUNDLED_SEEDS.iterdir():
        (seeds / seed.name).write_bytes(seed.read_bytes())
    config = site(config, hub, seeds)
    code, stdout, stderr = ping(config)
    assert (code, stderr) == (EXIT_OK, "")
    author = [f"authors/tim-sweezy/{name}" for name in FEEDS]
    expected = [f"https://example.com/{path}" for path in [*author, *FEEDS]]
    assert sorted(hub.topics()) == sorted(expected)  # one each
    assert stdout.startswith(f"notified: {config.output / 'atom.xml'}, ")

    hub.received.clear()
    code, stdout, _ = ping(config)
    assert (code, hub.received) == (EXIT_OK, [])
    assert stdout.startswith("notified: none; unchanged: ")

    # A new article changes the site's and the author's feeds; the page is no topic.
    text = next(seeds.iterdir()).read_text(encoding="utf-8")
    (seeds / "another.txt").write_text(text.replace("Xiaomi And Leica", "Leica"), "utf-8")
    build(seeds=seeds, config=config)
    assert ping(config)[0] == EXIT_OK
    assert sorted(hub.topics()) == sorted(expected)
    hub.received.clear()
    assert ping(config)[0] == EXIT_OK
    assert hub.received == []


def test_a_hub_that_cannot_take_it_yet_is_asked_again(config: Config, hub: Hub) -> None:
    config = site(config, hub)
    hub.statuses = [503, 429]
    code, _, stderr = ping(config)
    assert (code, stderr) == (EXIT_OK, "")
    assert len(hub.received) == 6 + 2  # six feeds, two of them asked again once


def test_a_hub_that_refuses_fails_the_ping_and_is_asked_next_time(config: Config, hub: Hub) -> None:
    config = site(config, hub)
    hub.statuses = [500] * 4  # the first feed: the first try and three retries
    code, _, stderr = ping(config)
    assert code == EXIT_PING_FAILED
    first = config.output / "atom.xml"
    assert (
        stderr
        == f"{first}: error: {hub.url} did not take it: 500 Internal Server Error (4 attempts)\n"
    )
    hub.received.clear()
    code, stdout, _ = ping(config)
    assert code == EXIT_OK
    assert hub.topics() == ["https://example.com/atom.xml"]  # only the one not taken
    taken = ["authors/tim-sweezy/atom.xml", "authors/tim-sweezy/feed.json"]
    taken += ["authors/tim-sweezy/rss.xml", "feed.json", "rss.xml"]
    unchanged = ", ".join(str(config.output / path) for path in taken)
    assert stdout == f"notified: {first}; unchanged: {unchanged}\n"
    hub.statuses = [400]
    (config.output / "atom.xml").write_bytes((config.output / "atom.xml").read_bytes() + b"\n")
    code, _, stderr = ping(config)
    assert code == EXIT_PING_FAILED
    assert stderr.endswith("did not take it: 400 Bad Request (1 attempt)\n")  # not retried


def test_a_hub_that_is_not_there_fails_after_the_retries(config: Config, hub: Hub) -> None:
    config = site(config, hub)
    hub.shutdown()
    hub.server_close()
    code, _, stderr = ping(config)
    assert code == EXIT_PING_FAILED
    assert "(4 attempts)" in stderr.splitlines()[0]


def test_feeds_without_hubs_are_not_pinged(config: Config, hub: Hub) -> None:
    build(seeds=BUNDLED_SEEDS, config=config)
    code, stdout, _ = ping(config)
    assert (code, stdout, hub.received) == (EXIT_OK, "notified: none; unchanged: none\n", [])
    assert run("ping", config.output / "missing").exit_code == EXIT_USAGE
