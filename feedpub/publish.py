"""File I/O: read capped inputs; write outputs only when their bytes change, never half-written.

A reader of a published file sees the old bytes or the new ones, whole: the new
bytes go to a temporary file in the same folder, are flushed to disk, and are
renamed over the old file; then the folder itself is flushed, so the rename
survives a crash too.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from lxml import etree

from feedpub.errors import ReadError

#: Temporary files of a write in progress; a killed run leaves them behind.
TEMP_PREFIX = ".feedpub-"
TEMP_SUFFIX = ".tmp"


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically unless it already holds exactly that.

    Returns whether the file was written. An unchanged file keeps its mtime, so
    web servers keep answering conditional requests with 304.
    """
    if holds(path, data):
        return False
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
        temporary.replace(path)
        _fsync_folder(path.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files that killed runs left in ``folder``; call it holding the lock."""
    stale = sorted(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def published_entries(path: Path) -> int | None:
    """How many entries the published feed at ``path`` holds; None when there is none to read."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError):
        return None
    count = root.xpath("count(/rss/channel/item | /*[local-name()='feed']/*[local-name()='entry'])")
    return int(count) if isinstance(count, float) else None


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


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` exists and holds exactly ``data``."""
    try:
        return path.read_bytes() == data
    except FileNotFoundError:
        return False


def read_capped(path: Path, limit: int) -> bytes:
    """The file's bytes; :class:`ReadError` if it cannot be read or holds more than ``limit``."""
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror}", path=path) from None
    if len(data) > limit:
        raise ReadError(
            f"larger than the {limit:,}-byte limit; raise it with --max-size", path=path
        )
    return data
