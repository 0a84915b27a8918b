"""Telling WebSub hubs which published feeds changed (``feedpub ping``).

A feed is a topic when it names its own URL (Atom and RSS ``rel="self"``, JSON Feed
``feed_url``) and at least one hub (``rel="hub"``, JSON Feed ``hubs``), as a build
writes them with the ``hubs`` setting. For each topic whose bytes changed since the
last ping that reached every hub, each hub gets one publish notification, sent with
both ``hub.url`` and ``hub.topic`` (hubs differ in which they read), and retried with
back-off while the hub cannot take it (no connection, a timeout, 429 or 5xx).

What was last pinged is kept in the cache folder: losing it costs one ping of every
feed, which hubs take as a hint to fetch, never a change in what readers see.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from feedpub.reading import open_regular

ATOM = "{http://www.w3.org/2005/Atom}"
#: The files looked into: every format a build writes feeds in.
SUFFIXES = (".xml", ".json", ".rss", ".atom")
#: The largest file read as a possible feed.
MAX_FEED_SIZE = 64 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


@dataclass(frozen=True, slots=True)
class Topic:
    """A published feed that names its hubs."""

    path: Path
    url: str
    """The feed's own URL, as the hubs know it."""
    hubs: tuple[str, ...]
    digest: str
    """The SHA-256 of its bytes."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A notification a hub did not take."""

    hub: str
    topic: Topic
    why: str


@dataclass(frozen=True, slots=True)
class Pinged:
    """What one ``ping`` did."""

    notified: tuple[Topic, ...]
    """Topics every hub took a notification for."""
    unchanged: tuple[Topic, ...]
    """Topics with the bytes they had at the last ping."""
    failures: tuple[Failure, ...]
    kept: bool = True
    """Whether what was pinged could be kept for the next ping."""


def topics(folder: Path) -> list[Topic]:
    """Every feed below ``folder`` that names its own URL and a hub, by path."""
    found = []
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.suffix not in SUFFIXES or hidden:
            continue
        try:
            with open_regular(path) as file:
                data = file.read(MAX_FEED_SIZE + 1)
        except (OSError, ValueError):  # a folder, a FIFO, unreadable: not a feed to ping
            continue
        if len(data) > MAX_FEED_SIZE:
            continue
        named = _self_and_hubs(data)
        if named is not None and named[1]:
            digest = hashlib.sha256(data).hexdigest()
            found.append(Topic(path, named[0], named[1], digest))
    return found


def _self_and_hubs(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """A feed's own URL and its hubs; None when ``data`` is no feed that names itself."""
    if data.lstrip()[:1] == b"{":
        try:
            document = json.loads(data)
        except ValueError:
            return None
        url = document.get("feed_url") if isinstance(document, dict) else None
        listed = document.get("hubs") if isinstance(url, str) else None
        websub = [
            hub.get("url")
            for hub in (listed if isinstance(listed, list) else [])
            if isinstance(hub, dict) and str(hub.get("type", "")).lower() == "websub"
        ]
        return (url, tuple(hub for hub in websub if isinstance(hub, str))) if url else None
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None
    parent = root if root.tag == f"{ATOM}feed" else root.find("channel")
    if parent is None or root.tag not in (f"{ATOM}feed", "rss"):
        return None
    links = [(link.get("rel"), link.get("href")) for link in parent.iterfind(f"{ATOM}link")]
    own = [href for rel, href in links if rel == "self" and href]
    hubs = tuple(href for rel, href in links if rel == "hub" and href)
    return (own[0], hubs) if own else None


def state_file(cache_dir: Path, folder: Path) -> Path:
    """Where what was last pinged of the output ``folder`` is kept."""
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:20]
    return cache_dir / f"pinged-{key}.json"


def ping(
    found: list[Topic],
    state: Path,
    *,
    retries: int,
    backoff: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
) -> Pinged:
    """Notify each hub of each topic that changed since the state says it was pinged;
    then keep, in ``state``, each topic every hub took."""
    last = _load(state)
    notified, unchanged, failures = [], [], []
    for topic in found:
        if last.get(topic.url) == topic.digest:
            unchanged.append(topic)
            continue
        failed = []
        for hub in topic.hubs:
            why = _notify(
                hub, topic.url, retries=retries, backoff=backoff, timeout=timeout, sleep=sleep
            )
            if why is not None:
                failed.append(Failure(hub, topic, why))
        if failed:
            failures += failed
        else:
            notified.append(topic)
            last[topic.url] = topic.digest
    kept = _save(state, last) if notified else True
    return Pinged(tuple(notified), tuple(unchanged), tuple(failures), kept)


def _notify(
    hub: str,
    url: str,
    *,
    retries: int,
    backoff: float,
    timeout: float,
    sleep: Callable[[float], None],
) -> str | None:
    """None when ``hub`` took the notification of ``url``; else why it did not."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": url, "hub.topic": url})
    why = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(
            hub,
            data=body.encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            why = f"{error.code} {error.reason}"
            if error.code != 429 and error.code < 500:
                break  # the hub refused it: asking again gets the same answer
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            why = str(getattr(reason, "strerror", None) or reason)
    attempts = "1 attempt" if attempt == 0 else f"{attempt + 1} attempts"
    return f"{why} ({attempts})"


def _load(state: Path) -> dict[str, str]:
    try:
        loaded = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {url: digest for url, digest in loaded.items() if isinstance(digest, str)}


def _save(state: Path, pinged: dict[str, str]) -> bool:
    """Write the state whole or not at all; False when it cannot be kept."""
    try:
        state.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=state.parent, prefix=".pinged-", suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(dict(sorted(pinged.items())), file, indent=1)
        Path(name).replace(state)
    except OSError:
        return False
    return True
