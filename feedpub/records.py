"""Reading seeds into records: what a build keeps of each seed without its body.

Every seed's bytes are read by :func:`read_at`, and by nothing else here: the seam
where tests watch which seeds a survey reads, or make a read fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from feedpub.cache import Diagnostics, SeedRecord
from feedpub.config import DEFAULT_MAX_SEED_SIZE
from feedpub.errors import Level, NothingToPublishError, SeedError, SeedReadError
from feedpub.listing import Stamp
from feedpub.scan import scan_seed
from feedpub.workers import Workers
from feedpub.zones import DEFAULT_ZONES, Zones

ParsedRecord = tuple[SeedRecord, bool]
"""A record, and whether it may be cached."""
Progress = Callable[[int, int], None]


class ParsedChunk(NamedTuple):
    """What parsing a chunk of seeds gave."""

    records: list[SeedRecord]
    """The records that may be cached."""
    unstored: list[SeedRecord]
    """The records that may not: seeds that could not be read whole."""
    moved: int
    """How many seeds had another size or mtime than listed: changed since."""
    folder_problem: str | None = None
    """Why the seeds folder itself could not be read, when it could not: then nothing was."""


def read_at(folder_fd: int, name: str, max_size: int) -> tuple[bytes, int, int]:
    """The bytes of the seed ``name`` in an open folder, with the size and mtime (in ns)
    they were read at.

    Safe on anything a folder can hold: it opens without blocking, so a FIFO or a
    device put in a seed's place cannot hang the build, and reads only a regular
    file of at most ``max_size`` bytes. Raises :class:`SeedReadError` for a seed that
    vanished, is no regular file, is too large, cannot be read, or changed while read.
    """
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK, dir_fd=folder_fd)
    except FileNotFoundError:
        raise SeedReadError("warning", "vanished while being read; skipped") from None
    except OSError as error:
        raise SeedReadError("error", f"cannot read: {error.strerror}") from None
    try:
        before = os.fstat(fd)
        if not S_ISREG(before.st_mode):
            raise SeedReadError("warning", "no longer a regular file; skipped")
        if before.st_size > max_size:
            raise SeedReadError(
                "error",
                f"{before.st_size:,} bytes, larger than the {max_size:,}-byte limit for a "
                "seed (max_seed_size); skipped",
            )
        data = _read_all(fd, before.st_size)
        after = os.fstat(fd)
    except OSError as error:
        raise SeedReadError("error", f"cannot read: {error.strerror}") from None
    finally:
        os.close(fd)
    size, mtime_ns = after.st_size, after.st_mtime_ns
    if before.st_size != size or before.st_mtime_ns != mtime_ns or len(data) != size:
        raise SeedReadError("warning", "changed while being read; skipped")
    return data, size, mtime_ns


def open_folder(folder: Path, identity: tuple[int, int] | None = None) -> int:
    """A descriptor of the seeds folder; with ``identity`` (device, inode), only of that
    folder. Raises :class:`SeedReadError` (an error) naming why there is none."""
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise SeedReadError("error", "the seeds folder vanished while the build read it") from None
    except OSError as error:
        raise SeedReadError("error", f"cannot read the seeds folder: {error.strerror}") from None
    if identity is not None:
        info = os.fstat(folder_fd)
        if (info.st_dev, info.st_ino) != identity:
            os.close(folder_fd)
            raise SeedReadError("error", "the seeds folder was replaced while the build read it")
    return folder_fd


def _parse_chunk(
    folder: Path,
    seeds: Sequence[str] | Sequence[Stamp],
    authority: str,
    identity: tuple[int, int] | None = None,
    max_size: int = DEFAULT_MAX_SEED_SIZE,
    zones: Zones = DEFAULT_ZONES,
) -> ParsedChunk:
    """Parse seeds in one open folder, given by name, or with the stamps they were listed
    with, to count those that moved since. ``identity`` is the (device, inode) the folder
    had when the build started, when known."""
    records: list[SeedRecord] = []
    unstored: list[SeedRecord] = []
    moved = 0
    try:
        folder_fd = open_folder(folder, identity)
    except SeedReadError as problem:
        return ParsedChunk([], [], 0, problem.message)
    try:
        for seed in seeds:
            name = seed if isinstance(seed, str) else seed.name
            record, cacheable = _parse_at(
                folder_fd, name, authority, max_size=max_size, zones=zones
            )
            if not cacheable:
                unstored.append(record)
                continue
            records.append(record)
            if not isinstance(seed, str):
                moved += (record.size, record.mtime_ns) != (seed.size, seed.mtime_ns)
    finally:
        os.close(folder_fd)
    return ParsedChunk(records, unstored, moved)


def _parse_at(
    folder_fd: int,
    name: str,
    authority: str,
    *,
    max_size: int = DEFAULT_MAX_SEED_SIZE,
    zones: Zones = DEFAULT_ZONES,
) -> ParsedRecord:
    """Read and scan the seed ``name`` in an open folder; its record and whether it may
    be cached.

    A seed that vanishes, changes while it is read, or cannot be read gets a
    record that is never cached, so the next build reads it again.
    """
    try:
        data, size, mtime_ns = read_at(folder_fd, name, max_size)
    except SeedReadError as problem:
        return _unreadable(name, problem.level, problem.message)
    try:
        key = scan_seed(data, name, authority=authority, zones=zones)
    except SeedError as error:
        rejection: Diagnostics = ((error.line, "error", error.message),)
        return _without_entry(name, size, mtime_ns, rejected=True, diagnostics=rejection), True
    diagnostics = tuple((w.line, w.level, w.message) for w in key.warnings) if key.warnings else ()
    record = SeedRecord(
        name=name,
        size=size,
        mtime_ns=mtime_ns,
        published=key.published.timestamp(),
        id=key.id,
        rejected=False,
        categories=key.categories,
        authors=key.authors,
        digest=key.digest,
        diagnostics=diagnostics,
    )
    return record, True


def _unreadable(name: str, level: Level, message: str) -> ParsedRecord:
    """The record of a seed that could not be read whole: never cached."""
    diagnostics: Diagnostics = ((None, level, message),)
    return _without_entry(name, 0, 0, rejected=level == "error", diagnostics=diagnostics), False


def _without_entry(
    name: str, size: int, mtime_ns: int, *, rejected: bool, diagnostics: Diagnostics
) -> SeedRecord:
    """The record of a seed that gave no entry."""
    return SeedRecord(
        name=name,
        size=size,
        mtime_ns=mtime_ns,
        published=None,
        id="",
        rejected=rejected,
        categories=(),
        authors=(),
        digest="",
        diagnostics=diagnostics,
    )


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
    seeds: Sequence[str] | Sequence[Stamp],
    authority: str,
    *,
    identity: tuple[int, int] | None = None,
    max_size: int = DEFAULT_MAX_SEED_SIZE,
    zones: Zones = DEFAULT_ZONES,
    workers: Workers,
    progress: Progress | None = None,
) -> Iterator[ParsedChunk]:
    """Parse the seeds, given by name or with their listed stamps, on the workers when
    there are many; chunks in the order given.

    ``identity`` is the folder's (device, inode) when the build started; ``max_size``
    the largest seed to read; ``zones`` the time zones bylines may name.
    """
    work = partial(
        _parse_chunk,
        folder,
        authority=authority,
        identity=identity,
        max_size=max_size,
        zones=zones,
    )
    chunks = [seeds[start : start + CHUNK] for start in range(0, len(seeds), CHUNK)]
    results: Iterable[ParsedChunk] = map(work, chunks)
    if workers.jobs > 1 and len(seeds) >= POOL_THRESHOLD:
        results = workers.pool().map(work, chunks)
    done = 0
    for chunk, result in zip(chunks, results, strict=True):
        if result.folder_problem is not None:
            # What was read so far is not the folder any more: publish none of it.
            raise NothingToPublishError(
                f"{result.folder_problem}; the feeds were left as they were", path=folder
            )
        done += len(chunk)
        if progress is not None:
            progress(done, len(seeds))
        yield result
