"""Reading seeds into records: what a build keeps of each seed without its body."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from stat import S_ISREG

from feedpub.cache import Diagnostics, SeedRecord
from feedpub.errors import Level, SeedError
from feedpub.seed import scan_seed
from feedpub.workers import Workers

ParsedRecord = tuple[SeedRecord, bool]
"""A record, and whether it may be cached."""
Progress = Callable[[int, int], None]


def parse_record(path: Path, authority: str) -> ParsedRecord:
    """Read and scan one seed; return its record and whether it may be cached.

    A seed that vanishes, changes while it is read, or cannot be read gets a
    record that is never cached, so the next build reads it again.
    """
    return _parse_chunk(path.parent, [path.name], authority)[0]


def _parse_chunk(folder: Path, names: Sequence[str], authority: str) -> list[ParsedRecord]:
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        return [_unreadable(name, "error", f"cannot read: {error.strerror}") for name in names]
    try:
        return [_parse_at(folder_fd, name, authority) for name in names]
    finally:
        os.close(folder_fd)


def _parse_at(folder_fd: int, name: str, authority: str) -> ParsedRecord:
    """:func:`parse_record` for a name in an open folder."""
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
        key = scan_seed(data, Path(name), authority=authority)
    except SeedError as error:
        rejection: Diagnostics = ((error.line, "error", error.message),)
        return SeedRecord(name, size, mtime_ns, None, "", True, rejection), True
    diagnostics = tuple((w.line, w.level, w.message) for w in key.warnings)
    published = key.published.timestamp()
    return SeedRecord(name, size, mtime_ns, published, key.id, False, diagnostics), True


def _unreadable(name: str, level: Level, message: str) -> ParsedRecord:
    """The record of a seed that could not be read whole: never cached."""
    return SeedRecord(name, 0, 0, None, "", level == "error", ((None, level, message),)), False


def _read_all(fd: int, size: int) -> bytes:
    """Read a file to its end, or to one byte past ``size`` when it grew."""
    chunks = []
    wanted = size + 1
    while wanted > 0 and (chunk := os.read(fd, wanted)):
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


#: Below this many seeds to parse, starting worker processes costs more than it saves.
POOL_THRESHOLD = 400
CHUNK = 200


def parse_all(
    folder: Path,
    names: list[str],
    authority: str,
    *,
    workers: Workers,
    progress: Progress | None = None,
) -> Iterator[list[ParsedRecord]]:
    """Parse the named seeds, on the workers when there are many; chunks in name order."""
    chunks = [names[start : start + CHUNK] for start in range(0, len(names), CHUNK)]
    work = partial(_parse_chunk, folder, authority=authority)
    results: Iterable[list[ParsedRecord]] = map(work, chunks)
    if workers.jobs > 1 and len(names) >= POOL_THRESHOLD:
        results = workers.pool().map(work, chunks)
    done = 0
    for chunk_results in results:
        done += len(chunk_results)
        if progress is not None:
            progress(done, len(names))
        yield chunk_results
