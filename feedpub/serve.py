"""A small preview server for the output folder, with the headers feed readers rely on."""

from __future__ import annotations

import hashlib
import mimetypes
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Media types by file name; anything else is guessed from the suffix.
MEDIA_TYPES = {
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
}


class FeedHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder, with ETag, Last-Modified and 304."""

    server_version = "feedpub"

    def __init__(self, *args: object, folder: Path, **kwargs: object) -> None:
        self.folder = folder
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, *, body: bool) -> None:
        path = self._file()
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "no such feed")
            return
        data = path.read_bytes()
        modified = int(path.stat().st_mtime)
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

    def _file(self) -> Path | None:
        name = unquote(urlsplit(self.path).path).lstrip("/") or "atom.xml"
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder.resolve()) or not path.is_file():
            return None
        if any(part.startswith(".") for part in path.relative_to(self.folder.resolve()).parts):
            return None  # the lock and temporary files
        return path

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
        except (TypeError, ValueError):
            return False
        return modified <= since


def _media_type(path: Path) -> str:
    if path.name in MEDIA_TYPES:
        return MEDIA_TYPES[path.name]
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.endswith(("xml", "html", "json")) else guessed


def make_server(folder: Path, *, bind: str, port: int) -> ThreadingHTTPServer:
    """A server for ``folder`` on ``bind``:``port`` (0 picks a free port); call serve_forever."""
    return ThreadingHTTPServer((bind, port), partial(FeedHandler, folder=folder))
