"""The preview server, through a real HTTP client and through newsboat."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
from click.testing import CliRunner

from feedpub.build import build
from feedpub.cli import main
from feedpub.config import Config
from feedpub.serve import FeedHandler, FeedServer, RateLimitedLog, make_server
from tests.conftest import BUNDLED_SEEDS, require, running


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
    with running(make_server(output, bind="127.0.0.1", port=0)) as server:
        yield output, server.server_address[1], log


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
        ("feed.json", "application/feed+json"),  # JSON is UTF-8, with no charset (RFC 8259)
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


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    ("bind", "host"), [(None, "127.0.0.1"), ("::1", "[::1]"), ("[::1]", "[::1]")]
)
def test_the_serve_command(tmp_path: Path, bind: str | None, host: str) -> None:
    if bind and not ipv6_loopback():
        pytest.skip("no IPv6 loopback here")
    output = tmp_path / "public"
    build(seeds=BUNDLED_SEEDS, config=Config(base_url="https://example.com/", output=output))
    command = [sys.executable, "-m", "feedpub", "serve", str(output), "--port", "0"]
    with subprocess.Popen(
        command + (["--bind", bind] if bind else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith(f"Serving {output} at http://{host}:")
            assert line.endswith(
                " (rss.xml, atom.xml, feed.json, index.html, head.html); Ctrl-C stops.\n"
            )
            url = line.split(" at ")[1].split(" ")[0]
            with urllib.request.urlopen(url + "atom.xml", timeout=10) as response:
                assert response.read() == (output / "atom.xml").read_bytes()
        finally:
            process.terminate()


def test_an_address_in_use_is_named_as_in_a_url(tmp_path: Path) -> None:
    if not ipv6_loopback():
        pytest.skip("no IPv6 loopback here")
    (tmp_path / "public").mkdir()
    with socket.socket(socket.AF_INET6) as taken:
        taken.bind(("::1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve", str(tmp_path / "public"), "--bind", "::1", "--port", str(port)]
        )
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot listen on [::1]:{port}: Address already in use\n"


class Clock:
    """A clock that moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hostile_server(tmp_path: Path, clock: Clock) -> Iterator[tuple[FeedServer, int, list[str]]]:
    """A server with two connection slots and a log kept in a list, as written, on
    ``clock``'s time."""
    output = tmp_path / "public"
    build(seeds=BUNDLED_SEEDS, config=Config(base_url="https://example.com/", output=output))
    lines: list[str] = []
    log = RateLimitedLog(lines.append, 20, clock=clock)
    with running(
        make_server(output, bind="127.0.0.1", port=0, max_connections=2, log=log)
    ) as server:
        yield server, server.server_address[1], lines


def send(port: int, request: bytes) -> bytes:
    """The status line the server answers ``request`` with."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        return connection.makefile("rb").readline()


def send_when_let_in(port: int, request: bytes) -> bytes:
    """The status line of ``request``, sent again while the server, busy closing the
    connections before it, refuses it (a loaded machine)."""
    while (status := send(port, request)).startswith(b"HTTP/1.1 503 "):
        time.sleep(0.01)
    return status


def status_of(port: int, request: bytes) -> bytes:
    """The status code of the answer; a request with no usable HTTP version gets an
    HTTP/0.9 answer, the error page alone, which names it."""
    while True:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(request)
            answer = connection.makefile("rb").read()
        if not answer.startswith(b"HTTP/1.1 503 "):
            break
        time.sleep(0.01)  # refused while the connections before are closed
    if answer.startswith(b"HTTP/"):
        return answer.split(b" ")[1]
    return answer.split(b"<p>Error code: ")[1][:3]


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        (b"GET /%00 HTTP/1.1", b"400"),
        (b"GET /%ff.xml HTTP/1.1", b"400"),
        (b"GET //[::1 HTTP/1.1", b"404"),  # leading slashes are collapsed first
        (b"GET /" + b"a" * 5000 + b" HTTP/1.1", b"404"),
        (b"GET /" + b"a/" * 3000 + b" HTTP/1.1", b"404"),
        (b"GET /../../etc/passwd HTTP/1.1", b"404"),
        (b"GET /.feedpub.lock HTTP/1.1", b"404"),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1", b"414"),
        (b"garbage", b"400"),
        (b"GET / HTTP/9.9", b"505"),
        (b"BREW /atom.xml HTTP/1.1", b"501"),
    ],
)
def test_every_malformed_request_gets_an_answer_and_no_traceback(
    hostile_server: tuple[FeedServer, int, list[str]], request_line: bytes, status: bytes
) -> None:
    _, port, lines = hostile_server
    assert status_of(port, request_line + b"\r\nHost: x\r\n\r\n") == status
    assert not any("Traceback" in line for line in lines)


def test_a_bad_if_modified_since_is_ignored(
    hostile_server: tuple[FeedServer, int, list[str]],
) -> None:
    _, port, _ = hostile_server
    for value in (b"\x00", b"Mon, 99 Foo 99999 99:99:99 GMT", b"", b",,,"):
        assert (
            send_when_let_in(
                port, b"GET /atom.xml HTTP/1.1\r\nIf-Modified-Since: " + value + b"\r\n\r\n"
            )[:12]
            == b"HTTP/1.0 200"
        )


def test_idle_connections_are_closed_and_do_not_hold_the_server(
    hostile_server: tuple[FeedServer, int, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, port, _ = hostile_server
    monkeypatch.setattr(FeedHandler, "timeout", 0.5)
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
    idle[1].sendall(b"GET /atom.xml HTTP/1.1\r\nHost:")  # half-sent, then silent
    try:
        time.sleep(0.2)  # both slots taken: one more connection is refused, not queued
        assert send(port, b"GET /atom.xml HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 503 ")
        for connection in idle:  # each is closed by the server after its time-out
            assert connection.recv(65536) == b""
    finally:
        for connection in idle:
            connection.close()
    assert send(port, b"GET /atom.xml HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.0 200 ")


def test_a_slot_is_free_before_its_connection_is_closed(
    hostile_server: tuple[FeedServer, int, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client that sees the server close its idle connection and comes straight back
    is let in, even when the thread that closed it is slow to go on (a loaded machine)."""
    server, port, _ = hostile_server
    monkeypatch.setattr(FeedHandler, "timeout", 0.2)
    close = server.shutdown_request

    def close_then_stall(request: socket.socket) -> None:
        close(request)
        time.sleep(0.5)

    monkeypatch.setattr(server, "shutdown_request", close_then_stall)
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
    try:
        for connection in idle:
            assert connection.recv(65536) == b""
    finally:
        for connection in idle:
            connection.close()
    assert send(port, b"GET /atom.xml HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.0 200 ")


def test_a_request_flood_is_logged_at_a_bounded_rate(
    hostile_server: tuple[FeedServer, int, list[str]], clock: Clock
) -> None:
    _, port, lines = hostile_server
    for _ in range(200):  # in one second of the log's clock: up to 2 lines a request
        send(port, b"GET /nothing-here HTTP/1.1\r\n\r\n")
    assert len(lines) == 20
    clock.now += 1.1
    send_when_let_in(port, b"GET /atom.xml HTTP/1.1\r\n\r\n")
    assert re.fullmatch(r"\(\d+ log lines left out in one second\)\n", lines[20])
    assert '"GET /atom.xml HTTP/1.1" 200' in lines[-1]
    clock.now += 1.1
    send_when_let_in(port, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n\r\n")
    assert lines[-1].endswith("...\n")
    assert max(len(line) for line in lines) <= 300


def test_serve_binds_an_ipv6_address(tmp_path: Path) -> None:
    output = tmp_path / "public"
    build(seeds=BUNDLED_SEEDS, config=Config(base_url="https://example.com/", output=output))
    try:
        server = make_server(output, bind="::1", port=0, log=lambda line: None)
    except OSError as error:  # a machine without IPv6 on its loopback
        pytest.skip(f"no IPv6 loopback here: {error}")
    with running(server):
        connection = http.client.HTTPConnection("::1", server.server_address[1], timeout=10)
        connection.request("GET", "/atom.xml")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, (output / "atom.xml").read_bytes())
        connection.close()
