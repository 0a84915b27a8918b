"""Published files: replace them only when their bytes change, all or none; read them back.

A reader of a published file sees the old bytes or the new ones, whole: the new
bytes go to a temporary file in the same folder, are flushed to disk, and are
renamed over the old file; then the folder itself is flushed, so the rename
survives a crash too. A build's feeds are replaced together: every temporary is
written first, and only when all of them are on disk are they renamed, so a disk
that fills up leaves every feed as it was. A rename needs no room on the disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from feedpub.errors import OutputError
from feedpub.reading import open_regular

#: Temporary files of a write in progress; a killed run leaves them behind.
TEMP_PREFIX = ".feedpub-"
TEMP_SUFFIX = ".tmp"


def publish(files: Mapping[Path, bytes], remove: Iterable[Path] = ()) -> tuple[Path, ...]:
    """Replace each of ``files`` (path to bytes) that does not hold its bytes yet, all of
    them or none; then remove the files ``remove``, and their folders left empty.

    Returns the files written. An unchanged file keeps its mtime, so web servers
    keep answering conditional requests with 304. Raises :class:`OutputError`,
    with every file as it was, when a temporary cannot be written (a full disk, a
    folder that is not one, no permission) or an output is not a regular file.
    Files are removed only once every new one is in place, so a failure leaves
    nothing removed.
    """
    changed = {path: data for path, data in files.items() if not holds(path, data)}
    temporaries: dict[Path, Path] = {}
    try:
        for path, data in changed.items():
            temporaries[path] = _write_temporary(path, data)
        for path, temporary in temporaries.items():
            temporary.replace(path)
    except BaseException as error:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _cannot_write(error, path) from None
        raise
    emptied = set()
    for path in remove:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise OutputError(
                f"cannot remove: {error.strerror}; the new feeds are published", path=path
            ) from None
        emptied.add(path.parent)
    for folder in sorted(emptied):
        with contextlib.suppress(OSError):  # not empty: something else is in it
            folder.rmdir()
    kept = {folder for folder in emptied if folder.is_dir()}
    for folder in {path.parent for path in changed} | kept | {f.parent for f in emptied}:
        _fsync_folder(folder)
    return tuple(changed)


def _write_temporary(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file private; published files are for everyone to read.
        temporary.chmod(0o666 & ~_umask())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _cannot_write(error: OSError, path: Path) -> OutputError:
    where = Path(error.filename) if isinstance(error.filename, str) else path
    return OutputError(
        f"cannot write: {error.strerror}; the published feeds were left as they were",
        path=where if not where.name.startswith(TEMP_PREFIX) else path,
    )


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files that killed runs left in ``folder``; call it holding the lock."""
    try:
        stale = sorted(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
        for path in stale:
            path.unlink(missing_ok=True)
    except OSError as error:
        raise _cannot_write(error, folder) from None
    return stale


def count_elements(path: Path, tag: str) -> int | None:
    """How many ``tag`` elements the published XML file at ``path`` holds; None when there
    is none to read. The file is read as a stream, so a huge one costs time, not memory."""
    with _open_output(path) as file:
        if file is None:
            return None
        count = 0
        try:
            for _, element in etree.iterparse(
                file, events=("end",), tag=tag, resolve_entities=False, no_network=True
            ):
                count += 1
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del element.getparent()[0]
        except etree.XMLSyntaxError:
            return None
        return count


#: A published JSON file up to this size is read whole to count its items: the json
#: module is fast; a larger one is read as a stream, in little memory.
JSON_READ_WHOLE = 16 * 1024 * 1024


def count_listed(path: Path, member: str, *, whole: int = JSON_READ_WHOLE) -> int | None:
    """How many values the array ``member`` of the published JSON object at ``path``
    holds; None when there is no such file, or no such array in it. A file larger than
    ``whole`` bytes is read as a stream (JSON's structure is ASCII, which UTF-8 keeps
    apart), so a huge one costs time, not memory."""
    with _open_output(path) as file:
        if file is None:
            return None
        if os.fstat(file.fileno()).st_size <= whole:
            try:
                document = json.load(file)
            except ValueError:  # not JSON, or not UTF-8
                return None
            listed = document.get(member) if isinstance(document, dict) else None
            return len(listed) if isinstance(listed, list) else None
        scan = _ArrayCount(member.encode("utf-8"))
        while chunk := file.read(1 << 20):
            if scan.feed(chunk):
                return scan.count
    return None


class _ArrayCount:
    """The values of one member array of a JSON object, counted as the bytes come."""

    def __init__(self, member: bytes) -> None:
        self.member = member
        self.depth = 0
        self.in_string = self.escaped = False
        self.text = bytearray()  # the latest string of the object itself, for its keys
        self.key = b""
        self.counting = self.expecting = False
        self.count = 0

    def feed(self, chunk: bytes) -> bool:
        """Read on; True once the array has ended and :attr:`count` is its length."""
        for byte in chunk:
            if self.in_string:
                if self.escaped:
                    self.escaped = False
                elif byte == 0x5C:  # backslash
                    self.escaped = True
                elif byte == 0x22:  # the closing quote
                    self.in_string = False
                elif self.depth == 1 and len(self.text) <= len(self.member):
                    self.text.append(byte)
                continue
            if byte in b" \t\r\n":
                continue
            if self.counting and self.depth == 2:
                if byte == 0x5D:  # ]
                    return True
                if byte == 0x2C:  # ,
                    self.expecting = True
                    continue
                if self.expecting:
                    self.count += 1
                    self.expecting = False
            if byte == 0x22:
                self.in_string = True
                self.text.clear()
            elif byte == 0x3A and self.depth == 1:  # : after a member's name
                self.key = bytes(self.text)
            elif byte in b"{[":
                self.depth += 1
                if byte == 0x5B and self.depth == 2 and self.key == self.member:
                    self.counting = self.expecting = True
            elif byte in b"}]":
                self.depth -= 1
        return False


def read_xml_entries(
    path: Path, entry: str, fields: tuple[str, str, str], deleted: str | None = None
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]] | None:
    """The text of the children ``fields`` (id, published, updated) of each ``entry``
    element of the published XML file at ``path``, and the ``ref`` and ``when`` of
    each ``deleted`` element; None when there is no such file or it is not XML. Read as
    a stream, as :func:`count_elements` reads."""
    with _open_output(path) as file:
        if file is None:
            return None
        entries: list[tuple[str, str, str]] = []
        tombstones: list[tuple[str, str]] = []
        tags = (entry,) if deleted is None else (entry, deleted)
        try:
            for _, element in etree.iterparse(
                file, events=("end",), tag=tags, resolve_entities=False, no_network=True
            ):
                if element.tag == entry:
                    texts = [element.findtext(tag) or "" for tag in fields]
                    entries.append((texts[0], texts[1], texts[2]))
                else:
                    tombstones.append((element.get("ref", ""), element.get("when", "")))
                element.clear(keep_tail=False)
        except etree.XMLSyntaxError:
            return None
        return entries, tombstones


def read_json(path: Path, *, cap: int = 16 * JSON_READ_WHOLE) -> object:
    """The published JSON file at ``path``, parsed; None when there is no such file, it
    is larger than ``cap`` bytes, or it is not JSON."""
    with _open_output(path) as file:
        if file is None or os.fstat(file.fileno()).st_size > cap:
            return None
        try:
            return json.load(file)
        except ValueError:
            return None


def count_marked(path: Path, marker: bytes) -> int | None:
    """How often ``marker`` occurs in the published file at ``path``; None when there is no
    such file. Read in chunks, so a huge file costs time, not memory."""
    with _open_output(path) as file:
        if file is None:
            return None
        count, tail = 0, b""
        while chunk := file.read(1 << 20):
            window = tail + chunk
            count += window.count(marker)
            tail = window[-(len(marker) - 1) :] if len(marker) > 1 else b""
        return count


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` exists and holds exactly ``data``; only a file of the same size is
    read. Raises :class:`OutputError` when ``path`` is not a regular file."""
    with _open_output(path) as file:
        if file is None or os.fstat(file.fileno()).st_size != len(data):
            return False
        return file.read(len(data) + 1) == data


@contextmanager
def _open_output(path: Path) -> Iterator[BinaryIO | None]:
    """A published file opened for reading, or None when there is none; never blocks.

    Raises :class:`OutputError` for a file that is not regular (a FIFO or a folder
    named like a feed) or cannot be read: feedpub replaces only what it could write.
    """
    try:
        file = open_regular(path)
    except FileNotFoundError:
        yield None
        return
    except OSError as error:
        raise OutputError(f"cannot read the published file: {error.strerror}", path=path) from None
    except ValueError:
        raise OutputError(
            "not a regular file; feedpub replaces only files it wrote", path=path
        ) from None
    with file:
        yield file


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
