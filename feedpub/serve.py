"""A small preview server for the output folder, with the headers feed readers rely on.

It stays up whatever it is sent: every request gets a response (400 for one it
cannot read, 404 for anything but a file in the folder), a connection that sits
idle or half-sent is closed after :data:`IDLE_TIMEOUT` seconds, at most
:data:`MAX_CONNECTIONS` are served at once (others get 503 at once), and its log
prints at most :data:`LOG_LINES_PER_SECOND` lines a second.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from feedpub.outputs import by_file_name
from feedpub.reading import open_regular

#: Seconds a connection may sit idle, or take to send its request, before it is closed.
IDLE_TIMEOUT = 10.0
#: Connections served at once, each on its own thread; more get 503 Service Unavailable.
MAX_CONNECTIONS = 32
LOG_LINES_PER_SECOND = 20
#: Characters of a log line kept; a request line can be 64 KiB.
LOG_LINE_CHARS = 300
_REFUSAL = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
    b"Connection: close\r\n\r\n"
)


class RateLimitedLog:
    """Writes at most ``per_second`` lines a second, each cut to :data:`LOG_LINE_CHARS`,
    then says how many it left out."""

    def __init__(
        self,
        write: Callable[[str], object],
        per_second: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self._per_second = per_second
        self._clock = clock
        self._lock = threading.Lock()
        self._window = clock()
        self._written = 0
        self._dropped = 0

    def __call__(self, line: str) -> None:
        with self._lock:
            now = self._clock()
            if now - self._window >= 1:
                if self._dropped:
                    self._write(f"({self._dropped} log lines left out in one second)\n")
                self._window, self._written, self._dropped = now, 0, 0
            if self._written < self._per_second:
                self._written += 1
                if len(line) > LOG_LINE_CHARS:
                    line = line[: LOG_LINE_CHARS - 4] + "...\n"
                self._write(line)
            else:
                self._dropped += 1


class FeedServer(ThreadingHTTPServer):
    """A threading server with a bound on its threads and a rate-limited log."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: Callable[..., BaseHTTPRequestHandler],
        *,
        max_connections: int,
        log: Callable[[str], None],
    ) -> None:
        if ":" in address[0]:  # an IPv6 address such as ::1; the base class makes IPv4 sockets
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self.log = log
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse(request, client_address)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """The base class's, with the slot given back before the connection is closed: a
        client that sees the server close its idle connection and comes straight back
        is let in, not refused by the slot it just left."""
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self._slots.release()
            self.shutdown_request(request)

    def _refuse(self, request: socket.socket, client_address: Any) -> None:
        try:
            request.settimeout(1)
            request.sendall(_REFUSAL)
        except OSError:
            pass
        self.shutdown_request(request)
        self.log(f"{client_address[0]} - refused: {MAX_CONNECTIONS} connections already open\n")

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, not a traceback: a request that broke its connection (a reset, a
        time-out) is the client's business, and the server goes on."""
        error = sys.exc_info()[1]
        self.log(f"{client_address[0]} - connection ended: {type(error).__name__}: {error}\n")


class FeedHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder, with ETag, Last-Modified and 304."""

    server_version = "feedpub"
    timeout = IDLE_TIMEOUT
    server: FeedServer

    def __init__(self, *args: object, folder: Path, **kwargs: object) -> None:
        self.folder = folder
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        line = format % args
        self.server.log(f"{self.address_string()} - [{self.log_date_time_string()}] {line}\n")

    def _respond(self, *, body: bool) -> None:
        try:
            name = self._name()
        except ValueError as error:
            self.send_error(HTTPStatus.BAD_REQUEST, f"bad path: {error}")
            return
        found = self._read(name) if name is not None else None
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND, "no such feed")
            return
        path, data, modified = found
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self._not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(modified, usegmt=True))
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", _media_type(path))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _name(self) -> str | None:
        """The file asked for, relative to the folder; None for one never served (a
        dotfile, such as the lock, or a way out of the folder). Raises ValueError for a
        path that is not one."""
        name = unquote(urlsplit(self.path).path, errors="strict").lstrip("/")
        if name == "" or name.endswith("/"):
            name += "index.html"  # a folder's page, as static web servers serve it
        if "\0" in name:
            raise ValueError("a NUL character")
        parts = name.split("/")
        if any(part.startswith(".") for part in parts):
            return None  # the lock and temporary files, and every "..": never served
        return name

    def _read(self, name: str) -> tuple[Path, bytes, int] | None:
        """The regular file ``name`` below the folder, its bytes and mtime; None when
        there is none, wherever a link inside the folder points."""
        try:
            path = (self.folder / name).resolve()
            if not path.is_relative_to(self.folder.resolve()):
                return None
            with open_regular(path) as file:
                return path, file.read(), int(os.fstat(file.fileno()).st_mtime)
        except (OSError, ValueError, RuntimeError):  # RuntimeError: a symbolic link loop
            return None

    def _not_modified(self, etag: str, modified: int) -> bool:
        """RFC 9110 §13.1: If-None-Match wins; If-Modified-Since counts only without it."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return modified <= since


def _media_type(path: Path) -> str:
    """An output's own media type for its files; anything else is guessed from the suffix.
    Text and XML get their charset, which an XML media type needs (RFC 7303 §3.2); JSON
    none, as it has no such parameter (RFC 8259 §11)."""
    output = by_file_name(path.name)
    if output is not None:
        json = output.MEDIA_TYPE.endswith("json")
        return output.MEDIA_TYPE if json else f"{output.MEDIA_TYPE}; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.endswith(("xml", "html", "json")) else guessed


def make_server(
    folder: Path,
    *,
    bind: str,
    port: int,
    max_connections: int = MAX_CONNECTIONS,
    log: Callable[[str], None] | None = None,
) -> FeedServer:
    """A server for ``folder`` on ``bind``:``port`` (0 picks a free port); call serve_forever.

    ``log`` gets each line of the request log; by default, stderr at most
    :data:`LOG_LINES_PER_SECOND` lines a second.
    """
    return FeedServer(
        (bind, port),
        partial(FeedHandler, folder=folder),
        max_connections=max_connections,
        log=log or RateLimitedLog(sys.stderr.write, LOG_LINES_PER_SECOND),
    )
