"""The preview server, through a real HTTP client and through newsboat."""

from __future__ import annotations

import http.client
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest

from feedpub.build import build
from feedpub.config import Config
from feedpub.serve import FeedHandler, make_server
from tests.conftest import BUNDLED_SEEDS
from tests.test_readers import require


@pytest.fixture
def served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, int, list[str]]]:
    """A built output folder, a server for it on a free loopback port, and its request log."""
    output = tmp_path / "public"
    build(seeds=BUNDLED_SEEDS, config=Config(base_url="https://example.com/", output=output))
    (tmp_path / "secret.txt").write_text("not for the web", encoding="utf-8")
    log: list[str] = []
    monkeypatch.setattr(FeedHandler, "log_message", lambda self, fmt, *args: log.append(fmt % args))
    server = make_server(output, bind="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield output, server.server_address[1], log
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def get(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("rss.xml", "application/rss+xml; charset=utf-8"),
        ("atom.xml", "application/atom+xml; charset=utf-8"),
    ],
)
def test_200_then_304_with_the_etag(
    served: tuple[Path, int, list[str]], name: str, media_type: str
) -> None:
    output, port, _ = served
    first = get(port, f"/{name}")
    assert first.status == 200
    assert first.getheader("Content-Type") == media_type
    assert first.getheader("Content-Length") == str((output / name).stat().st_size)
    etag = first.getheader("ETag")
    assert etag is not None
    assert etag.startswith('"')
    last_modified = first.getheader("Last-Modified")
    assert last_modified == formatdate(int((output / name).stat().st_mtime), usegmt=True)
    assert get(port, f"/{name}", {"If-None-Match": etag}).status == 304
    assert get(port, f"/{name}", {"If-None-Match": f'"other", {etag}'}).status == 304
    assert get(port, f"/{name}", {"If-Modified-Since": last_modified}).status == 304
    assert get(port, f"/{name}", {"If-None-Match": '"other"'}).status == 200
    assert get(port, f"/{name}", method="HEAD").getheader("ETag") == etag


def test_a_changed_feed_gets_a_new_etag(served: tuple[Path, int, list[str]]) -> None:
    output, port, _ = served
    etag = get(port, "/atom.xml").getheader("ETag")
    (output / "atom.xml").write_bytes(
        (output / "atom.xml").read_bytes().replace(b"feedpub", b"feedpub!")
    )
    changed = get(port, "/atom.xml", {"If-None-Match": str(etag)})
    assert changed.status == 200
    assert changed.getheader("ETag") != etag


def test_only_the_folder_is_served(served: tuple[Path, int, list[str]]) -> None:
    output, port, _ = served
    assert get(port, "/missing.xml").status == 404
    assert get(port, "/../secret.txt").status == 404
    assert get(port, "/%2e%2e/secret.txt").status == 404
    (output / ".feedpub.lock").touch()
    assert get(port, "/.feedpub.lock").status == 404


def test_newsboat_polls_with_conditional_requests(
    served: tuple[Path, int, list[str]], tmp_path: Path
) -> None:
    require("newsboat", shutil.which("newsboat") is not None)
    _, port, log = served
    urls, cache = tmp_path / "urls", tmp_path / "cache.db"
    urls.write_text(f"http://127.0.0.1:{port}/atom.xml\n", encoding="utf-8")
    # newsboat 2.21 stores a new feed's ETag only from its second fetch on.
    for _ in range(3):
        subprocess.run(
            ["newsboat", "-u", str(urls), "-c", str(cache), "-x", "reload"],
            env={**os.environ, "HOME": str(tmp_path)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=True,
            timeout=60,
        )
    with sqlite3.connect(cache) as db:
        titles = [row[0] for row in db.execute("SELECT title FROM rss_item")]
    assert titles == [
        "Xiaomi And Leica Are Building A Flagship Camera Phone To Rival Pixel 6 "
        "And Galaxy S22 Ultra"
    ]
    statuses = [line.split('" ')[1].split()[0] for line in log if "GET /atom.xml" in line]
    assert statuses == ["200", "200", "304"]


def test_the_serve_command(tmp_path: Path) -> None:
    output = tmp_path / "public"
    build(seeds=BUNDLED_SEEDS, config=Config(base_url="https://example.com/", output=output))
    with subprocess.Popen(
        [sys.executable, "-m", "feedpub", "serve", str(output), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith(f"Serving {output} at http://127.0.0.1:")
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
            assert get(port, "/rss.xml").status == 200
        finally:
            process.terminate()
