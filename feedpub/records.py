"""Reading seeds into records: what a build keeps of each seed without its body."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from feedpub.cache import Diagnostics, Row, SeedRecord, row
from feedpub.errors import Level, SeedError
from feedpub.seed import scan_seed
from feedpub.workers import Workers

ParsedRecord = tuple[SeedRecord, bool]
"""A record, and whether it may be cached."""
Progress = Callable[[int, int], None]


class ParsedChunk(NamedTuple):
    """What parsing a chunk of seeds gave."""

    rows: list[Row]
    """The records that may be cached, as the cache stores them."""
    unstored: list[SeedRecord]
    """The records that may not: seeds that could not be read whole."""
    moved: int
    """How many seeds had another size or mtime than listed: changed since."""


def _parse_chunk(
    folder: Path, names: Sequence[str], listed: Sequence[tuple[int, int]] | None, authority: str
) -> ParsedChunk:
    """Parse seeds in one open folder; ``listed`` gives the (size, mtime in ns) each was
    listed with, when known, to count those that moved since."""
    rows: list[Row] = []
    unstored: list[SeedRecord] = []
    moved = 0
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        message = f"cannot read: {error.strerror}"
        return ParsedChunk([], [_unreadable(name, "error", message)[0] for name in names], 0)
    try:
        for index, name in enumerate(names):
            record, cacheable = _parse_at(folder_fd, name, authority)
            if not cacheable:
                unstored.append(record)
                continue
            rows.append(row(record))
            if listed is not None:
                moved += (record.size, record.mtime_ns) != listed[index]
    finally:
        os.close(folder_fd)
    return ParsedChunk(rows, unstored, moved)


def _parse_at(folder_fd: int, name: str, authority: str) -> ParsedRecord:
    """Read and scan the seed ``name`` in an open folder; its record and whether it may
    be cached.

    A seed that vanishes, changes while it is read, or cannot be read gets a
    record that is never cached, so the next build reads it again.
    """
    try:
        # Non-blocking, so that a FIFO put in a seed's place cannot hang the build.
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK, dir_fd=folder_fd)
    except FileNotFoundError:
        return _unreadable(name, "warning", "vanished while being read; skipped")
    except OSError as error:
        return _unreadable(name, "error", f"cannot read: {error.strerror}")
    try:
        before = os.fstat(fd)
        if not S_ISREG(before.st_mode):
            return _unreadable(name, "warning", "no longer a regular file; skipped")
        data = _read_all(fd, before.st_size)
        after = os.fstat(fd)
    except OSError as error:
        return _unreadable(name, "error", f"cannot read: {error.strerror}")
    finally:
        os.close(fd)
    size, mtime_ns = after.st_size, after.st_mtime_ns
    if before.st_size != size or before.st_mtime_ns != mtime_ns or len(data) != size:
        return _unreadable(name, "warning", "changed while being read; skipped")
    try:
        key = scan_seed(data, name, authority=authority)
    except SeedError as error:
        rejection: Diagnostics = ((error.line, "error", error.message),)
        return SeedRecord(name, size, mtime_ns, None, "", True, rejection), True
    diagnostics = tuple((w.line, w.level, w.message) for w in key.warnings) if key.warnings else ()
    return SeedRecord(
        name, size, mtime_ns, key.published.timestamp(), key.id, False, diagnostics
    ), True


def _unreadable(name: str, level: Level, message: str) -> ParsedRecord:
    """The record of a seed that could not be read whole: never cached."""
    return SeedRecord(name, 0, 0, None, "", level == "error", ((None, level, message),)), False


def _read_all(fd: int, size: int) -> bytes:
    """Read ``size`` bytes, or one more when the file grew; fewer when it shrank."""
    data = os.read(fd, size + 1)  # a regular file gives all at once but for a signal
    while len(data) < size and (chunk := os.read(fd, size + 1 - len(data))):
        data += chunk
    return data


#: Below this many seeds to parse, starting worker processes costs more than it saves.
POOL_THRESHOLD = 400
CHUNK = 200


def parse_all(
    folder: Path,
    names: Sequence[str],
    authority: str,
    *,
    listed: Sequence[tuple[int, int]] | None = None,
    workers: Workers,
    progress: Progress | None = None,
) -> Iterator[ParsedChunk]:
    """Parse the named seeds, on the workers when there are many; chunks in the order given.

    ``listed`` gives the (size, mtime in ns) each seed was listed with, when known.
    """
    starts = range(0, len(names), CHUNK)
    work = partial(_parse_chunk, folder, authority=authority)
    chunks = [names[start : start + CHUNK] for start in starts]
    stamps = [None if listed is None else listed[start : start + CHUNK] for start in starts]
    results: Iterable[ParsedChunk] = map(work, chunks, stamps)
    if workers.jobs > 1 and len(names) >= POOL_THRESHOLD:
        results = workers.pool().map(work, chunks, stamps)
    done = 0
    for chunk, result in zip(chunks, results, strict=True):
        done += len(chunk)
        if progress is not None:
            progress(done, len(names))
        yield result
