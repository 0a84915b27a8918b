"""Which files in the seeds folder are seeds, with the size and mtime of each."""

from __future__ import annotations

import fnmatch
import os
import re
import sys
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from feedpub.errors import NothingToPublishError
from feedpub.workers import Workers

#: Names that are never seeds: hidden files, editor backups and swap files,
#: downloads and copies still in progress. Besides ".*", each starts with "*".
IGNORED = (".*", "*~", "*.swp", "*.tmp", "*.part")

#: From this many names on, worker processes share the stat calls.
PARALLEL_LISTING = 20_000
#: Up to this many names come and gone, listings are compared in place.
FEW_NAMES = 64


class Stamp(NamedTuple):
    """A seed as a listing found it."""

    name: str
    size: int
    """Its size in bytes."""
    mtime_ns: int
    """Its modification time in nanoseconds."""


@dataclass(frozen=True, slots=True)
class Listing:
    """The seed files of a folder, in the folder's own order, with their stamps."""

    names: list[str]
    sizes: array[int]
    """Each file's size in bytes."""
    mtimes: array[int]
    """Each file's modification time in nanoseconds."""

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def from_stamps(cls, stamps: dict[str, tuple[int, int]]) -> Listing:
        """The listing of names with these (size, mtime in ns)."""
        sizes = array("q", (size for size, _ in stamps.values()))
        return cls(list(stamps), sizes, array("q", (mtime for _, mtime in stamps.values())))

    def encode(self) -> bytes:
        """The listing as bytes: equal bytes, equal listings."""
        sizes, mtimes = self.sizes, self.mtimes
        if sys.byteorder == "big":
            sizes, mtimes = array("q", sizes), array("q", mtimes)
            sizes.byteswap()
            mtimes.byteswap()
        names = "\0".join(self.names).encode("utf-8", "surrogateescape")
        # One join, one copy: a rebuild encodes the listing of every seed.
        count = len(self.names).to_bytes(8, "little")
        return b"".join((count, sizes.tobytes(), mtimes.tobytes(), names))

    @classmethod
    def decode(cls, data: bytes) -> Listing:
        """The listing :meth:`encode` gave ``data``; ValueError for bytes it cannot have."""
        count = int.from_bytes(data[:8], "little")
        if len(data) < 8 + 16 * count:
            raise ValueError("a listing shorter than its count")
        sizes, mtimes = array("q"), array("q")
        sizes.frombytes(data[8 : 8 + 8 * count])
        mtimes.frombytes(data[8 + 8 * count : 8 + 16 * count])
        if sys.byteorder == "big":
            sizes.byteswap()
            mtimes.byteswap()
        text = data[8 + 16 * count :].decode("utf-8", "surrogateescape")
        names = text.split("\0") if count else []
        if len(names) != count or (not count and text):
            raise ValueError("a listing whose names are not its count")
        return cls(names, sizes, mtimes)

    def changes_since(self, earlier: Listing) -> tuple[list[Stamp], list[str]]:
        """The seeds new or changed since ``earlier``, with their stamps, in name order;
        and the names of those gone."""
        # Plain tuples until the end: a folder of 100,000 seeds compares every one.
        changed, gone = self._changes_since(earlier)
        return [Stamp(*seed) for seed in changed], gone

    def _changes_since(self, earlier: Listing) -> tuple[list[tuple[str, int, int]], list[str]]:
        if not earlier.names:
            return sorted(self._seeds()), []
        if self.names == earlier.names:
            return sorted(self._edits_since(earlier)), []
        added = set(self.names).difference(earlier.names)
        gone = set(earlier.names).difference(self.names)
        if len(added) + len(gone) <= FEW_NAMES:
            # A few names came or went: without them, the folder's order is most likely kept.
            mine, theirs = self._without(added), earlier._without(gone)
            if mine.names == theirs.names:
                changed = mine._edits_since(theirs)
                changed += map(self._stamped, added)
                return sorted(changed), sorted(gone)
        previous = zip(earlier.names, earlier.sizes, earlier.mtimes, strict=True)
        return sorted(set(self._seeds()).difference(previous)), sorted(gone)

    def _seeds(self) -> Iterator[tuple[str, int, int]]:
        return zip(self.names, self.sizes, self.mtimes, strict=True)

    def _edits_since(self, earlier: Listing) -> list[tuple[str, int, int]]:
        """The seeds whose stamps differ from ``earlier``'s, which holds the same names."""
        if self.sizes == earlier.sizes and self.mtimes == earlier.mtimes:
            return []
        before = zip(earlier.sizes, earlier.mtimes, strict=True)
        return [
            seed for seed, stamp in zip(self._seeds(), before, strict=True) if seed[1:] != stamp
        ]

    def _stamped(self, name: str) -> tuple[str, int, int]:
        index = self.names.index(name)
        return name, self.sizes[index], self.mtimes[index]

    def _without(self, names: set[str]) -> Listing:
        """This listing less a few ``names`` it holds."""
        if not names:
            return self
        kept, sizes, mtimes = list(self.names), array("q", self.sizes), array("q", self.mtimes)
        for index in sorted((self.names.index(name) for name in names), reverse=True):
            del kept[index], sizes[index], mtimes[index]
        return Listing(kept, sizes, mtimes)


def _literal_suffix(pattern: str) -> str | None:
    """What every name ``pattern`` matches ends in, when the pattern is ``*`` and a
    suffix without wildcards (the usual ``*.txt``); None for any other pattern."""
    suffix = pattern[1:]
    if pattern.startswith("*") and not any(magic in suffix for magic in "*?[\\"):
        return suffix
    return None


def seed_names(names: Iterable[str], pattern: str) -> list[str]:
    """The ``names`` that match ``pattern`` and none of :data:`IGNORED`, in their order."""
    suffix = _literal_suffix(pattern)
    if suffix is not None:
        # The usual "*.txt": string methods are several times faster than a regex. A name
        # ending in ".txt" cannot end in ".swp" too: only related suffixes need the test.
        ignored = tuple(
            name[1:]
            for name in IGNORED
            if name.startswith("*") and (name[1:].endswith(suffix) or suffix.endswith(name[1:]))
        )
        if not ignored:
            return [name for name in names if name.endswith(suffix) and name[:1] != "."]
        return [
            name
            for name in names
            if name.endswith(suffix) and name[:1] != "." and not name.endswith(ignored)
        ]
    ignored_pattern = "|".join(fnmatch.translate(name) for name in IGNORED)
    wanted = re.compile(f"(?!{ignored_pattern}){fnmatch.translate(pattern)}").match
    return [name for name in names if wanted(name)]


def key_collisions(names: Sequence[str], pattern: str) -> list[tuple[str, ...]]:
    """Groups of two or more of the seeds ``names`` (matching ``pattern``) that share a
    key, the NFC form of the file name's stem, and with it an entry id and a link.

    With the usual pattern, ``*`` and a suffix holding a dot (``*.txt``), every stem
    is its name less a fixed tail, so ASCII names, unique in a folder, cannot collide.
    """
    suffix = _literal_suffix(pattern)
    if suffix is not None and "." in suffix and "".join(names).isascii():
        return []
    by_key: dict[str, list[str]] = {}
    for name in names:
        by_key.setdefault(unicodedata.normalize("NFC", Path(name).stem), []).append(name)
    return sorted(tuple(sorted(group)) for group in by_key.values() if len(group) > 1)


def list_seeds(folder: Path, pattern: str) -> list[str]:
    """The names of the regular files in ``folder`` matching ``pattern``, ignored names left
    out, in the folder's order: :func:`find_seeds` without the stamps.

    The folder's own entries say which are regular files; only symbolic links (and
    entries of file systems that do not say) cost a stat call. An entry that
    cannot be statted is listed, to be reported when it is read.
    Raises :class:`NothingToPublishError` when the folder cannot be read.
    """
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
        names = seed_names([entry.name for entry in entries], pattern)
        if len(names) < len(entries):
            wanted = set(names)
            entries = [entry for entry in entries if entry.name in wanted]
    except OSError as error:
        raise unreadable_folder(folder, error) from None
    return [entry.name for entry in entries if _may_be_file(entry)]


def _may_be_file(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a regular file, or may be one: an entry that cannot be looked
    at (a symbolic link loop, a link into a folder feedpub may not search) stays a seed,
    so that reading it reports that one seed instead of the whole folder failing."""
    try:
        return entry.is_file()
    except OSError:
        return True


def unreadable_folder(folder: Path, error: OSError) -> NothingToPublishError:
    """The error for a seeds folder that cannot be listed or opened."""
    if isinstance(error, FileNotFoundError):
        return NothingToPublishError("the seeds folder does not exist", path=folder)
    return NothingToPublishError(f"cannot read the seeds folder: {error.strerror}", path=folder)


def find_seeds(folder: Path, pattern: str, workers: Workers | None = None) -> Listing:
    """The regular files in ``folder`` matching ``pattern``, ignored names left out.

    A large folder is statted by ``workers`` and this process together.
    Raises :class:`NothingToPublishError` when the folder cannot be read.
    """
    try:
        names = seed_names(os.listdir(folder), pattern)  # noqa: PTH208
        if workers is None or workers.jobs == 1 or len(names) < PARALLEL_LISTING:
            parts, pending = [names], []
        else:
            step = -(-len(names) // workers.jobs)
            parts = [names[start : start + step] for start in range(0, len(names), step)]
            pending = [workers.pool().submit(stat_names, folder, part) for part in parts[1:]]
        stamped = [stat_names(folder, parts[0])]
        stamped += [future.result() for future in pending]
    except OSError as error:
        raise unreadable_folder(folder, error) from None
    sizes, mtimes, offset = array("q"), array("q"), 0
    dropped: set[int] = set()
    for part, (part_sizes, part_mtimes, part_dropped) in zip(parts, stamped, strict=True):
        sizes += part_sizes
        mtimes += part_mtimes
        dropped.update(offset + index for index in part_dropped)
        offset += len(part)
    if dropped:
        kept = [index for index in range(len(names)) if index not in dropped]
        names = [names[index] for index in kept]
        sizes = array("q", (sizes[index] for index in kept))
        mtimes = array("q", (mtimes[index] for index in kept))
    return Listing(names, sizes, mtimes)


def stat_names(folder: Path, names: list[str]) -> tuple[array[int], array[int], list[int]]:
    """Sizes and mtimes of ``names`` in ``folder``, and the indices of those that are not
    regular files (any more): they get size and mtime 0. A name that cannot be statted
    (a symbolic link loop, say) gets -1 for both and stays, for the read to report."""
    sizes, mtimes, dropped = array("q"), array("q"), []
    add_size, add_mtime, stat = sizes.append, mtimes.append, os.stat
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for index, name in enumerate(names):
            try:
                info = stat(name, dir_fd=folder_fd)
            except FileNotFoundError:  # removed since the folder was listed
                dropped.append(index)
                add_size(0)
                add_mtime(0)
                continue
            except OSError:
                # Kept, with stamps no seed has, so it is read, and reported, every time.
                add_size(-1)
                add_mtime(-1)
                continue
            if not S_ISREG(info.st_mode):
                dropped.append(index)
            add_size(info.st_size)
            add_mtime(info.st_mtime_ns)
    finally:
        os.close(folder_fd)
    return sizes, mtimes, dropped
